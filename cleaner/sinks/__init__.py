"""Where records go: the output record, JSONL shards, rejects, checkpoints for resuming.

May import ``sources`` (compression), ``settings`` and ``document``; never the pipeline itself."""
