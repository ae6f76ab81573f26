"""Where records go: the output record, JSONL shards, rejects, checkpoints for resuming.

May import ``sources`` (compression), ``settings`` and ``document``; never the pipeline itself."""

from .._compat import room_getattr

__getattr__ = room_getattr('sinks')  # the old cleaner.sinks module's names, deprecated
