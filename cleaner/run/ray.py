"""``cleaner run --engine ray``: the same cleaning as a Ray Data pipeline, on one machine or a cluster.

The pipeline is input files -> cleaned records -> JSONL shards. Each Ray worker holds one
:class:`~cleaner.pipeline.Cleaner` (rules compiled once per worker) and cleans whole files with
exactly the code of the local engine, so records are byte for byte the same; the files must
be readable at the same path from every node (a shared or mounted file system). The driver
streams the results in input order into ``OUTPUT_DIR/part-00000.jsonl``, ... and
``OUTPUT_DIR/rejects.jsonl``, so counts and rejects are exact and memory stays flat.

:class:`CleanBatch` is for your own Ray Data pipelines:
``ds.map_batches(CleanBatch, concurrency=4, batch_size=256)``.
"""

from __future__ import annotations

import json
import logging
import os
from typing import Any

from ..errors import ConfigError
from ..settings import Config, resolve_added
from ..sinks.records import dumps, provenance_of

_DEFAULT_SHARD = 1 << 30


def _ray():
    try:
        import ray
        import ray.data  # noqa: F401
    except ImportError:
        raise ConfigError("--engine ray needs Ray Data: pip install 'boilerclean[ray]'") from None
    return ray


class CleanFiles:
    """Ray Data callable class: a batch of input files in, their outcomes (one row each) out."""

    def __init__(self, config: Config, source: str, added: str):
        from . import worker

        worker.init_worker(config, worker.RunContext(source=source, added=added))
        self.config = config

    def __call__(self, batch: dict[str, Any]) -> dict[str, list]:
        from ..sources.files import InputFile
        from . import local as runner
        from . import worker

        cols: dict[str, list] = {k: [] for k in ("index", "seq", "line", "reject", "chars_in",
                                                 "chars_removed", "rules")}
        for index, path, relpath, fmt, problem, within, follow, raw in zip(
                batch["index"], batch["path"], batch["relpath"], batch["format"], batch["problem"],
                batch["within"], batch["follow"], batch["raw_relpath"]):
            item = InputFile(str(path), str(relpath), str(fmt), str(problem) if problem else None,
                             within=str(within), follow=bool(follow), raw_relpath=bytes(raw) if raw else None)
            seq = 0
            for task in runner.iter_tasks([item], self.config):
                for out in worker.process_documents(task):
                    cols["index"].append(int(index))
                    cols["seq"].append(seq)
                    cols["line"].append(out.line or "")  # strings only: "" is none
                    cols["reject"].append(dumps(out.reject) if out.reject is not None else "")
                    cols["chars_in"].append(out.chars_in)
                    cols["chars_removed"].append(out.chars_removed)
                    cols["rules"].append(dumps(out.rules))
                    seq += 1
        return cols


def run_ray(input_path: str, output_dir: str, config: Config, *, address: str | None = None,
            shard_size: int | None = None, follow_symlinks: bool = False, concurrency: int | None = None):
    """Clean every document under ``input_path`` with Ray Data into JSONL shards in ``output_dir``."""
    from ..pipeline import Cleaner
    from ..sinks.jsonl import FileSink, ShardedSink
    from ..sinks.paths import check_outputs
    from ..sources.readers import list_inputs
    from . import local as runner

    ray = _ray()
    config = config.with_(rule_paths=tuple(os.path.abspath(p) for p in config.rule_paths))
    Cleaner(config)  # load and check the rules before any work (raises ConfigError)
    check_outputs(input_path, {"-o": output_dir}, directories=("-o",))
    files, skipped = list_inputs(input_path, follow_symlinks=follow_symlinks, fmt=config.input_format)
    if os.path.exists(output_dir) and not os.path.isdir(output_dir):
        raise ConfigError(f"with --engine ray, OUTPUT is a directory: {output_dir} is a file")
    source = config.source or os.path.basename(os.path.normpath(os.path.abspath(input_path))) or "cleaner"
    added = resolve_added(config.added)
    if not ray.is_initialized():
        ray.init(address=address, include_dashboard=False, log_to_driver=False,
                 ignore_reinit_error=True, configure_logging=False)
    logging.getLogger("ray.data").setLevel(logging.ERROR)
    ctx = ray.data.DataContext.get_current()
    ctx.execution_options.preserve_order = True
    ctx.enable_progress_bars = False
    summary = runner.Summary(skipped_files=skipped)
    os.makedirs(output_dir, exist_ok=True)
    sink = ShardedSink(os.path.join(output_dir, "part.jsonl"), shard_size or _DEFAULT_SHARD)
    rejects = FileSink(os.path.join(output_dir, "rejects.jsonl"))
    try:
        if files:
            items = [{"index": i, "path": os.path.abspath(f.path), "relpath": f.relpath, "format": f.format,
                      "problem": f.problem or "", "within": f.within, "follow": f.follow,
                      "raw_relpath": f.raw_relpath or b""}
                     for i, f in enumerate(files)]
            workers = concurrency or max(1, int(ray.available_resources().get("CPU", 1)))
            ds = ray.data.from_items(items, override_num_blocks=len(items))
            ds = ds.map_batches(CleanFiles, fn_constructor_args=(config, source, added), batch_size=1,
                                concurrency=workers, batch_format="default")
            for table in ds.iter_batches(batch_size=256, batch_format="pyarrow"):
                batch = table.to_pydict()
                for i in range(len(batch["index"])):
                    _emit(batch, i, summary, sink, rejects)
    except BaseException:
        sink.abort()
        rejects.abort()
        raise
    sink.commit()
    rejects.commit()
    return summary


def _emit(batch: dict[str, Any], i: int, summary, sink, rejects) -> None:
    from .worker import Outcome

    reject = batch["reject"][i]
    outcome = Outcome(line=batch["line"][i] if not reject else None,
                      reject=json.loads(reject) if reject else None,
                      chars_in=int(batch["chars_in"][i]), chars_removed=int(batch["chars_removed"][i]),
                      rules=json.loads(batch["rules"][i]))
    summary.add(outcome)
    if outcome.line is not None:
        sink.write(outcome.line)
    else:
        rejects.write(dumps(outcome.reject))


class CleanBatch:
    """Ray Data callable class for your own pipelines: records with a text or html column in,
    cleaned ``text`` out, with ``cleaner_removed`` (JSON list of removals) and
    ``cleaner_rejected`` (a reason, or None) beside the other columns.

    ``ds.map_batches(CleanBatch, fn_constructor_kwargs={"config": Config(favor="precision")},
    concurrency=4, batch_size=256)``
    """

    def __init__(self, config: Config | None = None):
        from ..pipeline import Cleaner

        self.cleaner = Cleaner(config)

    def __call__(self, batch: dict[str, Any]) -> dict[str, list]:
        names = list(batch)
        rows = [{k: _plain(batch[k][i]) for k in names} for i in range(len(batch[names[0]]) if names else 0)]
        out: dict[str, list] = {k: [] for k in names}
        out.update({"text": [], "cleaner_removed": [], "cleaner_rejected": []})
        for row, rec in zip(rows, self.cleaner.map(rows)):
            for k in names:
                if k != "text":
                    out[k].append(row[k])
            meta = provenance_of(rec["metadata"])
            out["text"].append(rec["text"])
            out["cleaner_removed"].append(dumps(meta.get("removed", [])))
            out["cleaner_rejected"].append(meta.get("rejected"))
        return out


def _plain(value: Any) -> Any:
    """A numpy scalar as the Python value it holds."""
    return value.item() if hasattr(value, "item") and not isinstance(value, (str, bytes)) else value
