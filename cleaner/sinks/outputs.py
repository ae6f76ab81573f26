"""Which writer OUTPUT's name asks for: JSONL (plain, ``.gz``, ``.zst``) or Parquet.

Parquet (``pip install 'boilerclean[parquet]'``) is written from the run's JSONL when the
run completes: the run itself (checkpoints, ``--resume``) writes a hidden
``.OUTPUT.jsonl`` beside it, then :func:`write_parquet` turns it into one Parquet file with
the columns ``id``, ``text``, ``source``, ``added``, ``created`` (strings) and ``metadata``
(the record's metadata object as a JSON string: its keys differ from record to record).
"""

from __future__ import annotations

import json
import os

from ..errors import ConfigError
from ..sources.compress import COMPRESSED

JSONL_SUFFIXES = (".jsonl", ".ndjson", ".json")
COLUMNS = ("id", "text", "source", "added", "created", "metadata")
_ROWS_PER_GROUP = 10_000


def output_kind(path: str) -> str:
    """``jsonl`` or ``parquet`` from OUTPUT's name; a stream ('-', a FIFO, a device) is JSONL,
    and a directory is left for :func:`cleaner.sinks.paths.check_outputs` to refuse; else ConfigError."""
    from .paths import is_stream

    low = path.lower()
    if is_stream(path) or os.path.isdir(path):
        return "jsonl"
    if low.endswith(".parquet"):
        return "parquet"
    for comp in ("",) + COMPRESSED:
        if low.endswith(tuple(s + comp for s in JSONL_SUFFIXES)):
            return "jsonl"
    raise ConfigError(f"cannot tell the output format of {path}: name it .jsonl, .jsonl.gz, "
                      ".jsonl.zst or .parquet, or '-' for stdout")


def pyarrow_modules():
    """pyarrow and pyarrow.parquet, or ConfigError saying how to install them."""
    try:
        import pyarrow
        import pyarrow.parquet
    except ImportError:
        raise ConfigError("a .parquet OUTPUT needs pyarrow: pip install 'boilerclean[parquet]'") from None
    return pyarrow, pyarrow.parquet


def staging_path(output: str) -> str:
    """The hidden JSONL a Parquet run writes (and resumes) before the Parquet file."""
    directory, name = os.path.split(os.path.abspath(output))
    return os.path.join(directory, f".{name}.jsonl")


def write_parquet(jsonl_path: str, output: str) -> int:
    """Convert the run's JSONL into ``output`` (written under a temporary name); the row count."""
    pa, pq = pyarrow_modules()
    schema = pa.schema([(name, pa.string()) for name in COLUMNS])
    tmp = output + f".part-{os.getpid()}"
    rows = 0
    writer = pq.ParquetWriter(tmp, schema, compression="zstd")
    try:
        batch: dict[str, list] = {name: [] for name in COLUMNS}
        with open(jsonl_path, encoding="utf-8") as fh:
            for line in fh:
                record = json.loads(line)
                for name in COLUMNS[:-1]:
                    batch[name].append(record.get(name))
                batch["metadata"].append(json.dumps(record.get("metadata"), ensure_ascii=False))
                rows += 1
                if len(batch["id"]) >= _ROWS_PER_GROUP:
                    writer.write_table(pa.table(batch, schema=schema))
                    batch = {name: [] for name in COLUMNS}
        if batch["id"] or not rows:
            writer.write_table(pa.table(batch, schema=schema))
        writer.close()
    except BaseException:
        writer.close()
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    os.replace(tmp, output)
    return rows
