"""``cleaner run --engine ray``: the shards of a run as Ray tasks, on one machine or a cluster.

The driver plans the shards (:mod:`cleaner.run.plan`: files, ranges of big JSONL files, groups
of small files) and submits one
Ray task per shard, at most a few per CPU of the cluster at a time. Each task reads its
input itself (a path every node can read, or a URL: ``s3://``, ``gs://``, any fsspec
protocol), cleans it with the code of the local engine, and writes and commits its own
part (:func:`cleaner.run.shards.clean_shard`, :mod:`cleaner.sinks.shards`); the driver gets
back the shard's marker (its counts), never a record. A task lost with its node is run
again by Ray (``max_retries``) and writes the same deterministic part names, so nothing is
lost or doubled; a shard that still fails is reported, the others are committed, and
``--resume`` finishes the run.

:class:`CleanBatch` is the building block for your own Ray Data pipelines:
``ds.map_batches(CleanBatch, batch_size=256)``.
"""

from __future__ import annotations

import logging
from typing import Any, Iterator

from ..errors import ConfigError
from ..settings import Config
from ..sinks.records import dumps, provenance_of
from .plan import SHARD_BYTES, Shard
from .shards import Job, clean_shard, run_sharded

TASK_RETRIES = 4  # runs of a task whose worker or node died (Ray's own retry)
IN_FLIGHT_PER_CPU = 2  # tasks submitted per CPU of the cluster: enough to keep every CPU busy


def _ray():
    try:
        import ray
    except ImportError:
        raise ConfigError("--engine ray needs Ray: pip install 'boilerclean[ray]'") from None
    return ray


def connect(address: str | None, quiet: bool = False) -> Any:
    """Join the Ray cluster at ``address`` (or start a local Ray), Ray's own logging held to errors."""
    ray = _ray()
    if not ray.is_initialized():
        ray.init(address=address, include_dashboard=False, log_to_driver=False,
                 logging_level=logging.ERROR if quiet else logging.WARNING,
                 configure_logging=True, ignore_reinit_error=True)
    for name in ("ray", "ray.data", "ray._private", "ray.util"):
        logging.getLogger(name).setLevel(logging.ERROR if quiet else logging.WARNING)
    return ray


def _clean_shard_task(shard: Shard, job: Job) -> dict[str, Any]:
    return clean_shard(shard, job)


def ray_executor(address: str | None = None, *, quiet: bool = False, concurrency: int | None = None):
    """An executor for :func:`cleaner.run.shards.run_sharded`: one Ray task per shard."""

    def execute(todo: list[Shard], job: Job) -> Iterator[tuple[Shard, Any]]:
        ray = connect(address, quiet)
        if not todo:
            return
        task = ray.remote(num_cpus=1, max_retries=TASK_RETRIES, retry_exceptions=False)(_clean_shard_task)
        cpus = concurrency or max(1, int(ray.cluster_resources().get("CPU", 1)))
        job_ref = ray.put(job)
        waiting = list(todo)
        running: dict[Any, Shard] = {}
        while waiting or running:
            while waiting and len(running) < cpus * IN_FLIGHT_PER_CPU:
                shard = waiting.pop(0)
                running[task.remote(shard, job_ref)] = shard
            ready, _ = ray.wait(list(running), num_returns=1)
            for ref in ready:
                shard = running.pop(ref)
                try:
                    yield shard, ray.get(ref)
                except KeyboardInterrupt:
                    raise
                except Exception as exc:  # noqa: BLE001 - this shard failed; the others go on
                    yield shard, exc

    return execute


def run_ray(input_path: str, output_dir: str, config: Config, *, address: str | None = None,
            rejects: str | None = None, attributes: str | None = None, resume: bool = False,
            follow_symlinks: bool = False, concurrency: int | None = None, quiet: bool = False,
            shard_bytes: int = SHARD_BYTES):
    """Clean every document under ``input_path`` (a path or URL) with Ray tasks into one
    committed part per shard (:mod:`cleaner.run.plan`) under ``output_dir`` (a directory or URL prefix)."""
    return run_sharded(input_path, output_dir, config, ray_executor(address, quiet=quiet, concurrency=concurrency),
                       rejects=rejects, attributes=attributes, resume=resume, follow_symlinks=follow_symlinks,
                       shard_bytes=shard_bytes)


class CleanBatch:
    """Ray Data callable class for your own pipelines: records with a text or html column in,
    cleaned ``text`` out, with ``cleaner_removed`` (JSON list of removals) and
    ``cleaner_rejected`` (the reject reason, or ``""`` for a kept row) beside the other columns.

    ``cleaner_rejected`` is ``""``, not None, for kept rows, as in the Hugging Face ``datasets``
    function (:mod:`cleaner.integrations.hf`): a column of None is typed null by Arrow when a
    first batch has no reject. Keep the clean rows with
    ``ds.filter(lambda row: not row["cleaner_rejected"])``.

    ``ds.map_batches(CleanBatch, fn_constructor_kwargs={"config": Config(favor="precision")},
    batch_size=256)`` (Ray Data runs it in an actor pool sized to the cluster; pass
    ``concurrency=N`` to fix the number of actors).
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
            out["cleaner_rejected"].append(meta.get("rejected") or "")
        return out


def _plain(value: Any) -> Any:
    """A numpy scalar as the Python value it holds."""
    return value.item() if hasattr(value, "item") and not isinstance(value, (str, bytes)) else value
