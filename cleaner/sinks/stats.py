"""``--stats PATH``: the figures of a run as one JSON file, read by ``cleaner report``.

``documents`` (read, written, rejected, files skipped), ``bytes`` (in: documents as read,
decompressed; out: the output lines), ``chars`` (in, removed), ``rules`` (per rule and
heuristic that fired: removals, lines touched, characters removed, its name and description),
``rejects`` (per reason, the count), ``kept_ratio`` (written documents by the share of their
characters kept, in tenths: index 9 is 90-100 %) and ``samples`` (the first documents with
removals: the start of the kept text and the removed excerpts), ``memory`` (the peak resident
memory of the main process and of the largest worker, MiB).
"""

from __future__ import annotations

import json
import os
from typing import TYPE_CHECKING, Any

from .._version import __version__

if TYPE_CHECKING:
    from ..pipeline import Cleaner

STATS_VERSION = 1


def stats_dict(summary, cleaner: "Cleaner", *, input_path: str, output: str) -> dict[str, Any]:
    """The stats of a finished run (``summary`` is :class:`cleaner.run.local.Summary`)."""
    names = {r.id: (r.name, r.description) for r in cleaner.rules}
    names.update({h.id: (h.name, h.description) for h in cleaner.heuristics})
    rules = {}
    for rule in sorted(summary.rules, key=lambda r: (-summary.rule_chars.get(r, 0), r)):
        name, description = names.get(rule, ("", ""))
        rules[rule] = {"name": name, "description": description, "removals": summary.rules[rule],
                       "lines": summary.rule_lines.get(rule, 0), "chars": summary.rule_chars.get(rule, 0)}
    return {
        "stats_version": STATS_VERSION, "cleaner_version": __version__,
        "rules_fingerprint": cleaner.fingerprint, "input": input_path, "output": output,
        "documents": {"read": summary.read, "written": summary.written, "rejected": summary.rejected,
                      "files_skipped": summary.skipped_files},
        "bytes": {"in": summary.bytes_in, "out": summary.bytes_out},
        "chars": {"in": summary.chars_in, "removed": summary.chars_removed},
        "rules": rules,
        "rejects": dict(sorted(summary.reasons.items(), key=lambda kv: (-kv[1], kv[0]))),
        "kept_ratio": [summary.kept_ratio.get(str(i), 0) for i in range(10)],
        "samples": list(summary.samples),
        "memory": {"peak_main_mib": getattr(summary, "peak_main_mib", 0),
                   "peak_worker_mib": getattr(summary, "peak_worker_mib", 0)},
    }


def write_stats(path: str, stats: dict[str, Any]) -> None:
    """Write ``stats`` to ``path`` (under a temporary name, then renamed)."""
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    tmp = os.path.join(directory, f".{os.path.basename(path)}.part-{os.getpid()}")
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(stats, fh, ensure_ascii=False, indent=1)
        fh.write("\n")
    os.replace(tmp, path)
