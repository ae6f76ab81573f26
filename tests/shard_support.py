"""Shared by the sharded-run tests (local, Ray, S3, multi-node): a corpus, the parts read back,
and an S3-compatible server (moto's, in server mode) on 127.0.0.1."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import socket
from pathlib import Path

import zstandard

ROOT = Path(__file__).resolve().parent.parent
ADDED = "2020-01-01T00:00:00.000Z"
# credentials the tests use; they must never show in an output, a log or an error
ACCESS_KEY, SECRET_KEY = "AKIACLEANERTESTKEY01", "cleanerTestSecret/Never+Printed0123456789"


def write_corpus(src: Path) -> Path:
    """Seeds, a JSONL file, an HTML page, a broken .jsonl.gz and an empty file: records and rejects."""
    shutil.copytree(ROOT / "fixtures" / "seeds", src / "seeds")
    shutil.copy(ROOT / "fixtures" / "jsonl" / "sample.jsonl", src / "sample.jsonl")
    shutil.copy(ROOT / "fixtures" / "html" / "harbour-bridge.html", src / "page.html")
    with gzip.open(src / "broken.jsonl.gz", "wb") as fh:
        fh.write(b'{"id": "a", "text": "One sentence of text that is kept as it is."}\n{not json\n')
    (src / "empty.txt").write_bytes(b"")
    return src


def write_big(src: Path) -> Path:
    """A JSONL file of 300 lines with blank lines, bad lines, records without an id and lines
    over --max-bytes (3000 here), between small files."""
    write_corpus(src)
    rows = []
    for i in range(300):
        if i % 37 == 5:
            rows.append("")
        elif i % 53 == 7:
            rows.append("{not json")
        elif i % 71 == 9:
            rows.append(json.dumps({"text": "An over-long line. " * 400}))
        else:
            rows.append(json.dumps({"text": f"Line {i} of an article about the harbour.\n"
                                            "Sign up now for unlimited free access to\n" * (1 + i % 4)}))
    (src / "m-big.jsonl").write_text("\n".join(rows))  # no newline after the last line
    return src


def _unzstd(data: bytes) -> bytes:
    return zstandard.ZstdDecompressor().stream_reader(data).read() if data else b""


def read_parts(fs, prefix: str, rejects: str | None = None) -> tuple[bytes, bytes, list[str]]:
    """(records, rejects, part names) of a sharded run: every part decompressed, in part order."""
    names = sorted(p.rsplit("/", 1)[-1] for p in fs.ls(prefix, detail=False)
                   if p.rsplit("/", 1)[-1].startswith("part-"))
    parts = [n for n in names if not n.endswith(".rejects.jsonl.zst")]
    rej = [n for n in sorted(p.rsplit("/", 1)[-1] for p in fs.ls(rejects or prefix, detail=False))
           if n.endswith(".rejects.jsonl.zst")]
    out = b"".join(_unzstd(fs.cat_file(f"{prefix}/{n}")) for n in parts)
    bad = b"".join(_unzstd(fs.cat_file(f"{rejects or prefix}/{n}")) for n in rej)
    return out, bad, parts


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def s3_env(endpoint: str) -> dict[str, str]:
    """The environment that points fsspec/s3fs at the test server, with the test credentials."""
    return {"AWS_ACCESS_KEY_ID": ACCESS_KEY, "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
            "AWS_DEFAULT_REGION": "us-east-1", "FSSPEC_S3_ENDPOINT_URL": endpoint,
            "AWS_ENDPOINT_URL": endpoint, "AWS_EC2_METADATA_DISABLED": "true"}


class MotoServer:
    """moto's S3 server in this process (a real HTTP server on 127.0.0.1, its own thread)."""

    def __init__(self):
        from moto.server import ThreadedMotoServer

        self.port = free_port()
        self.server = ThreadedMotoServer(ip_address="127.0.0.1", port=self.port, verbose=False)
        self.endpoint = f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> "MotoServer":
        self.server.start()
        import urllib.request

        urllib.request.urlopen(urllib.request.Request(self.endpoint + "/moto-api/reset", method="POST"))  # moto's state is per process
        self.saved = {k: os.environ.get(k) for k in s3_env(self.endpoint)}
        os.environ.update(s3_env(self.endpoint))
        import fsspec.config

        fsspec.config.set_conf_env(fsspec.config.conf)  # FSSPEC_S3_ENDPOINT_URL, read at import otherwise
        return self

    def fs(self):
        import s3fs

        return s3fs.S3FileSystem(endpoint_url=self.endpoint, key=ACCESS_KEY, secret=SECRET_KEY,
                                 skip_instance_cache=True)

    def upload(self, local: Path, url: str) -> None:
        fs = self.fs()
        for path in sorted(local.rglob("*")):
            if path.is_file():
                fs.pipe_file(url.removeprefix("s3://").rstrip("/") + "/" + path.relative_to(local).as_posix(),
                             path.read_bytes())

    def __exit__(self, *exc) -> None:
        self.server.stop()
        for key, value in self.saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        import fsspec.config

        fsspec.config.conf.pop("s3", None)


class Throttler:
    """An HTTP proxy on 127.0.0.1 in front of the S3 server that answers ``503 SlowDown`` (as S3
    does when throttling): every other request until it has refused ``budget`` of them, or with
    ``burst``, that many requests in a row after the first ``after``."""

    SLOW_DOWN = (b'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>SlowDown</Code>'
                 b"<Message>Please reduce your request rate.</Message></Error>")

    def __init__(self, target: str, budget: int = 0, *, burst: int = 0, after: int = 0):
        import http.client
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        host, port = target.removeprefix("http://").split(":")
        proxy = self
        self.refused, self.seen, self.budget = 0, 0, budget
        lock = threading.Lock()

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:
                pass

            def _any(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with lock:
                    proxy.seen += 1
                    if burst:
                        refuse = after < proxy.seen <= after + burst
                    else:
                        refuse = proxy.seen % 2 == 0 and proxy.refused < proxy.budget
                    proxy.refused += refuse
                if refuse:
                    self.send_response(503)
                    self.send_header("Content-Type", "application/xml")
                    self.send_header("Content-Length", str(len(Throttler.SLOW_DOWN)))
                    self.end_headers()
                    self.wfile.write(Throttler.SLOW_DOWN)
                    return
                conn = http.client.HTTPConnection(host, int(port), timeout=60)
                headers = {k: v for k, v in self.headers.items() if k.lower() not in ("expect", "connection")}
                conn.request(self.command, self.path, body=body, headers=headers)
                resp = conn.getresponse()
                data = resp.read()
                self.send_response(resp.status)
                for key, value in resp.getheaders():
                    if key.lower() not in ("content-length", "transfer-encoding", "connection", "server", "date"):
                        self.send_header(key, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(data)
                conn.close()

            do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = _any

        self.server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.endpoint = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "Throttler":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
