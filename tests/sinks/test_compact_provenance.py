"""--provenance compact: the same records without excerpts, still enough to replay every removal."""

from __future__ import annotations

import json
from pathlib import Path

from hostile_support import run_cli

from cleaner.apply import replay

SEEDS = Path(__file__).resolve().parents[2] / "fixtures" / "seeds"


def test_compact_records_keep_everything_but_the_excerpts_and_replay(tmp_path):
    full, compact = tmp_path / "full.jsonl", tmp_path / "compact.jsonl"
    added = ("--added", "2020-01-01T00:00:00.000Z")
    assert 0 == run_cli("run", str(SEEDS), "-o", str(full), *added).returncode
    proc = run_cli("run", str(SEEDS), "-o", str(compact), "--provenance", "compact", *added)
    assert 0 == proc.returncode, proc.stderr
    assert compact.stat().st_size < full.stat().st_size
    removed = 0
    for a, b in zip(map(json.loads, full.read_text().splitlines()), map(json.loads, compact.read_text().splitlines())):
        assert a["text"] == b["text"]
        assert [{k: v for k, v in r.items() if k not in ("excerpt", "chars")} for r in a["metadata"]["removed"]] \
            == b["metadata"]["removed"]
        source = (SEEDS / Path(a["metadata"]["path"]).name).read_text(encoding="utf-8")
        assert replay(source, b["metadata"]["removed"]) == b["text"]
        removed += len(b["metadata"]["removed"])
        assert {k: v for k, v in a["metadata"].items() if k != "removed"} \
            == {k: v for k, v in b["metadata"].items() if k != "removed"}
    assert removed > 10
