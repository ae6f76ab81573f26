"""Inputs and outputs named by a URL (``s3://``, ``gs://``, any fsspec protocol): file systems
with retries, listing, fetching, and errors that never show a credential.

- :func:`open_fs`: the fsspec file system of a URL. For S3, botocore retries throttling
  (``503 SlowDown``) and transient errors itself (standard mode, 10 attempts, exponential
  backoff with jitter); :func:`with_retries` adds our own backoff around whole operations
  (a commit, a listing, a download), so a burst of throttling outlasts botocore's budget.
- :func:`list_remote_inputs`: the input files under a URL, sorted by relative path, as
  :class:`~cleaner.sources.files.InputFile` (``path`` is the URL); what
  :func:`cleaner.sources.readers.list_inputs` is for local paths.
- :func:`redact`: a message with every URL's user info and every credential of the
  environment replaced by ``***``; every error about a URL goes through it.

Endpoints and credentials come from the usual places (``AWS_*`` variables, ``~/.aws``,
``FSSPEC_S3_ENDPOINT_URL`` for an S3-compatible server), never from the command line.
"""

from __future__ import annotations

import os
import random
import re
import time
from typing import Any, Callable, TypeVar

from ..errors import ConfigError
from .files import InputFile

T = TypeVar("T")

# variables whose values are secrets: never printed, whatever the message
_SECRET_VARS = ("AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_ACCESS_KEY_ID", "GOOGLE_APPLICATION_CREDENTIALS",
                "AZURE_STORAGE_KEY", "AZURE_STORAGE_CONNECTION_STRING", "AZURE_STORAGE_SAS_TOKEN", "RAY_AUTH_TOKEN")
_USERINFO = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*://)[^\s]*@")  # to the last @: a secret may hold a /
RETRY_ATTEMPTS = 6  # our own, around botocore's 10
RETRY_BASE = 0.25  # seconds; doubled each attempt, with jitter


def is_url(path: str) -> bool:
    """True for ``scheme://...`` other than ``file://`` (those are read through fsspec).

    >>> is_url("s3://bucket/crawl/"), is_url("/data/crawl"), is_url("file:///data")
    (True, False, False)
    """
    m = re.match(r"([a-zA-Z][a-zA-Z0-9+.-]*)://", path)
    return bool(m) and m.group(1).lower() not in ("file", "local")


def redact(text: str) -> str:
    """``text`` with URL user info and the environment's credentials replaced by ``***``.

    >>> redact("cannot read s3://AKIA:s3cr3t/x+y@bucket/x")
    'cannot read s3://***@bucket/x'
    """
    text = _USERINFO.sub(r"\1***@", str(text))
    for name in _SECRET_VARS:
        value = os.environ.get(name)
        if value and len(value) >= 4:
            text = text.replace(value, "***")
    return text


def describe(exc: BaseException) -> str:
    """An error as one short line, credentials removed."""
    return redact(" ".join(str(exc).split()))[:300] or type(exc).__name__


def _storage_options(protocol: str) -> dict[str, Any]:
    if protocol in ("s3", "s3a"):
        attempts = int(os.environ.get("AWS_MAX_ATTEMPTS") or 10)  # botocore's own variable, if set
        return {"config_kwargs": {"retries": {"max_attempts": attempts, "mode": "standard"}}}
    return {}


def open_fs(url: str):
    """``(filesystem, path)`` for ``url`` (a local path gives the local file system)."""
    try:
        import fsspec
        from fsspec.core import split_protocol
    except ImportError:
        raise ConfigError(f"{redact(url)}: URLs need fsspec (and s3fs for s3://): "
                          "pip install 'boilerclean[ray]'") from None
    if _USERINFO.match(url):
        raise ConfigError(f"{redact(url)}: credentials in a URL are not accepted; give them through the "
                          "environment (AWS_ACCESS_KEY_ID, ...) or the file system's config")
    protocol = split_protocol(url)[0] or "file"
    try:
        fs, path = fsspec.core.url_to_fs(url, **_storage_options(protocol))
    except (ImportError, ValueError) as exc:
        raise ConfigError(f"cannot open {redact(url)}: {describe(exc)}") from None
    return fs, path


def _transient(exc: BaseException) -> bool:
    """Worth trying again: throttling, a reset connection, a timeout; not a missing file or a refusal."""
    if isinstance(exc, (FileNotFoundError, PermissionError, IsADirectoryError, NotADirectoryError, ConfigError)):
        return False
    return isinstance(exc, (OSError, TimeoutError, ConnectionError)) or "SlowDown" in str(exc) \
        or type(exc).__name__ in ("ClientError", "EndpointConnectionError", "ReadTimeoutError")


def with_retries(fn: Callable[[], T], what: str, *, attempts: int = RETRY_ATTEMPTS,
                 sleep: Callable[[float], None] = time.sleep) -> T:
    """``fn()``, tried again with exponential backoff (and jitter) while it fails transiently.

    >>> calls = []
    >>> def flaky():
    ...     calls.append(1)
    ...     if len(calls) < 3:
    ...         raise OSError("503 SlowDown")
    ...     return "done"
    >>> with_retries(flaky, "a test", sleep=lambda s: None), len(calls)
    ('done', 3)
    """
    for attempt in range(attempts):
        try:
            return fn()
        except Exception as exc:  # noqa: BLE001 - sorted by _transient
            if attempt + 1 >= attempts or not _transient(exc):
                raise
            sleep(RETRY_BASE * (2 ** attempt) * (0.5 + random.random()))
    raise AssertionError("unreachable")  # pragma: no cover


def check_input_url(url: str) -> None:
    """ConfigError (exit 2, one line) when the input bucket or prefix does not exist."""
    fs, path = open_fs(url)
    try:
        found = with_retries(lambda: fs.exists(path), f"checking {url}")
    except Exception as exc:  # noqa: BLE001 - a refusal, a bad endpoint: one line
        raise ConfigError(f"cannot read input {redact(url)}: {describe(exc)}") from None
    if not found:
        raise ConfigError(f"input not found: {redact(url)}")


def check_output_url(url: str) -> None:
    """ConfigError when the bucket of an output prefix does not exist (the prefix itself is made)."""
    fs, path = open_fs(url)
    bucket = path.split("/", 1)[0]
    try:
        found = with_retries(lambda: fs.exists(bucket), f"checking {url}")
    except Exception as exc:  # noqa: BLE001
        raise ConfigError(f"cannot write {redact(url)}: {describe(exc)}") from None
    if not found:
        raise ConfigError(f"output bucket not found: {redact(url)} (create it first)")


def _stamp(info: dict[str, Any]) -> str:
    """What says an object changed: its size and ETag (or modification time)."""
    return f"{info.get('size')}:{info.get('ETag') or info.get('etag') or info.get('mtime') or info.get('updated') or ''}"


def list_remote_inputs(url: str, *, fmt: str | None, file_format: Callable[[str], str | None],
                       skip: Callable[[str], bool]) -> tuple[list[InputFile], int, dict[str, str]]:
    """The input files under ``url`` (or ``url`` itself), sorted by relative path, how many were
    skipped, and each one's stamp (size and ETag, from the listing itself: no request per file);
    ``skip(relpath)`` passes over names that are not inputs (our own outputs)."""
    check_input_url(url)
    fs, root = open_fs(url)
    protocol = url.split("://", 1)[0]
    try:
        if with_retries(lambda: fs.isfile(root), f"listing {url}"):
            name = root.rsplit("/", 1)[-1]
            info = with_retries(lambda: fs.info(root), f"listing {url}")
            return [InputFile(url, name, fmt or file_format(name) or "text")], 0, {url: _stamp(info)}
        listing = with_retries(lambda: fs.find(root, detail=True), f"listing {url}")
    except Exception as exc:  # noqa: BLE001
        raise ConfigError(f"cannot list input {redact(url)}: {describe(exc)}") from None
    found, skipped, stamps = [], 0, {}
    base = root.rstrip("/") + "/"
    for path in sorted(listing):
        rel = path[len(base):] if path.startswith(base) else path.rsplit("/", 1)[-1]
        if any(part.startswith(".") for part in rel.split("/")) or skip(rel):
            continue
        kind = fmt or file_format(rel.rsplit("/", 1)[-1])
        if kind is None:
            skipped += 1
            continue
        found.append(InputFile(f"{protocol}://{path}", rel, kind))
        stamps[found[-1].path] = _stamp(listing[path])
    found.sort(key=lambda f: f.relpath)
    return found, skipped, stamps


def fetch_to(url: str, directory: str) -> str:
    """Download ``url`` into ``directory`` (retried); the local path. Raises OSError, redacted."""
    fs, path = open_fs(url)
    local = os.path.join(directory, "input-" + re.sub(r"[^A-Za-z0-9._-]", "_", path.rsplit("/", 1)[-1])[-80:])
    try:
        with_retries(lambda: fs.get_file(path, local), f"reading {url}")
    except Exception as exc:  # noqa: BLE001 - the shard is rejected with the reason
        raise OSError(f"{type(exc).__name__}: {describe(exc)}") from None
    return local
