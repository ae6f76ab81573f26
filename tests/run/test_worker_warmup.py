"""A worker warms trafilatura up before a batch that may hold HTML, and only then: plain-text
JSONL never loads it (a third of a second of CPU and half the memory of a text run)."""

from __future__ import annotations

import json
import subprocess
import sys

_PROBE = r"""
import json, sys
from cleaner.settings import Config
from cleaner.run import worker
from cleaner.sources.readers import RawDocument
worker.init_worker(Config(), worker.RunContext(source="t", added="2020-01-01T00:00:00.000Z"))
docs = [RawDocument("in.jsonl", "jsonl", "record", line.encode(), line=n + 1, position=n + 1)
        for n, line in enumerate(json.loads(sys.argv[1]))]
outcomes = worker.process_documents(docs)
print(json.dumps({"trafilatura": "trafilatura" in sys.modules,
                  "written": sum(o.line is not None for o in outcomes)}))
"""

_TEXT = {"id": "a", "text": "A plain line of scraped text that says enough to be kept.\nSign up now for free!"}
_HTML = {"id": "b", "html": "<html><body><article><p>" + "A paragraph of the article. " * 20
         + "</p></article></body></html>"}


def _probe(records: list[dict]) -> dict:
    lines = json.dumps([json.dumps(r) for r in records])
    out = subprocess.run([sys.executable, "-c", _PROBE, lines], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def test_plain_text_batches_never_load_trafilatura():
    assert {"trafilatura": False, "written": 2} == _probe([_TEXT, dict(_TEXT, id="c")])


def test_a_batch_with_an_html_record_is_warmed_up_and_cleaned():
    assert {"trafilatura": True, "written": 2} == _probe([_TEXT, _HTML])


def test_the_pool_warms_the_kept_cleaners_core_once_with_the_shipped_rules_examples(tmp_path, monkeypatch):
    """Before a pool forks its workers, the compiled core meets the shipped rules' examples once
    (it compiles a rule where a line first meets it: every worker paid that again), and only
    for the Cleaner the run kept; the rules of other packs stay compiled where a line meets them."""
    from cleaner import Cleaner, Config
    from cleaner.run import worker

    pack = tmp_path / "mine.yaml"
    pack.write_text("rules:\n  - id: MINE001\n    name: my-own-rule\n    description: a rule of mine.\n"
                    "    match: {regex: 'zqx marker line', scope: line}\n    action: drop_line\n"
                    "    examples:\n      remove: ['zqx marker line here']\n      keep: ['nothing to see']\n")
    config = Config(rule_paths=(str(pack),))
    cleaner = Cleaner(config)
    seen: list[str] = []
    monkeypatch.setattr(cleaner, "clean_text", lambda text, **kw: seen.append(text))
    monkeypatch.setattr(worker, "_BUILT", cleaner)
    monkeypatch.setattr(worker, "_WARMED", set())
    worker.warm_kept(Config())  # not the kept Cleaner's config: nothing to warm
    assert [] == seen
    worker.warm_kept(config)
    worker.warm_kept(config)
    assert 1 == len(seen)
    lines = set(seen[0].splitlines())
    assert "Sign up now for unlimited free access to" in lines  # PROMO001's
    assert "zqx marker line here" not in lines and "nothing to see" not in lines
