"""Start-up: a plain-text run imports nothing it does not use (each process pays for every import)."""

import json
import subprocess
import sys

# Imported only when the input needs them: a crawl (warcio, and the fsspec it imports), HTML
# (trafilatura, the extractor's version), URLs with one worker (the public suffix list); a pack
# the cache does not hold (PyYAML; the tests turn the cache off, so not listed here); the Python
# path's own patterns (HEU030's comment headers, Chinese and Japanese word cuts: the compiled core
# does both on plain text); importlib.abc (it pulls importlib.resources, ~15 ms).
NOT_FOR_TEXT = ("warcio", "fsspec", "trafilatura", "importlib.metadata", "publicsuffixlist",
                "cleaner.heuristics.comments", "cleaner.lines.cjk", "importlib.abc", "importlib.resources")

RUN = """
import json, runpy, sys
before = set(sys.modules)
sys.argv = ["cleaner", "run", sys.argv[1], "-o", sys.argv[2], "-q", "-j", "1"]
try:
    runpy.run_module("cleaner", run_name="__main__")
except SystemExit as exc:
    code = exc.code
print(json.dumps([code, sorted(set(sys.modules) - before)]))
"""


def test_a_plain_text_run_imports_no_crawl_html_or_suffix_machinery(tmp_path):
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    src.write_text(json.dumps({"id": "a", "text": "The council approved the new budget on Monday.\n"}) + "\n",
                   encoding="utf-8")
    proc = subprocess.run([sys.executable, "-c", RUN, str(src), str(out)], capture_output=True, text=True,
                          check=True)
    code, imported = json.loads(proc.stdout.splitlines()[-1])
    assert 0 == code
    assert [] == [m for m in NOT_FOR_TEXT if m in imported]
    assert 1 == len(out.read_text(encoding="utf-8").splitlines())


def test_a_run_with_stats_loads_its_rules_once(tmp_path, monkeypatch):
    from cleaner.cli.main import main
    from cleaner.pipeline import Cleaner

    builds = []
    build = Cleaner._build
    monkeypatch.setattr(Cleaner, "_build", lambda self, *a: builds.append(1) or build(self, *a))
    src, stats = tmp_path / "in.jsonl", tmp_path / "stats.json"
    src.write_text(json.dumps({"id": "a", "text": "The council approved the new budget on Monday.\n"}) + "\n",
                   encoding="utf-8")
    assert 0 == main(["run", str(src), "-o", str(tmp_path / "out.jsonl"), "-q", "--stats", str(stats)])
    assert [1] == builds
    assert json.loads(stats.read_text(encoding="utf-8"))["rules_fingerprint"]
