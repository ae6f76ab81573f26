"""`run --learn` on a bench set's plain text, by the split by site: with and without it, side by side.

    python tests/scripts/learn_eval.py ../shared/bench/wcxb-dev-sites            # whole dumps
    python tests/scripts/learn_eval.py ../shared/bench/wcxb-dev-sites --regime crop
    python tests/scripts/learn_eval.py ../shared/bench/wcxb-dev-sites --learn-args='--min-share 0.2'

Each page of the set (its text in the chosen regime, see :mod:`cleaner.eval.linelabels`) is
written to one JSONL record with its URL, so that a page's site is its registered domain; the
file is cleaned by ``cleaner run`` twice (``-j 2``), without and with ``--learn`` (mining the
same file first, as ``--learn`` does). Printed per split (``dev``: where thresholds are
chosen; ``heldout``: sites never used to choose them): content lines kept, junk F1 and mean
token F1 against the gold, and how many content lines the learned rules themselves removed.
A development script, not a test: the bench data is read in place and never copied.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from cleaner.eval.figures import page_prf
from cleaner.eval.linelabels import load_labelled_set, read_ground_truth, regime_pages
from cleaner.eval.scoring import score_lines


def write_input(pages, urls: dict[str, str], path: Path) -> None:
    """One record per page: id, URL and the text to clean."""
    with path.open("w", encoding="utf-8") as f:
        for p in pages:
            text = p.text if p.text is not None else Path(p.text_path).read_text(encoding="utf-8", errors="replace")
            f.write(json.dumps({"id": p.id, "url": urls.get(p.id), "text": text}) + "\n")


def clean(inp: Path, out: Path, learn: bool, learn_args: list[str]) -> dict[str, dict]:
    """The output records of ``cleaner run`` on ``inp``, by id."""
    cmd = [sys.executable, "-m", "cleaner", "run", str(inp), "-o", str(out), "-j", "2", "-q"]
    subprocess.run(cmd + (["--learn", *learn_args] if learn else []), check=True)
    records = {}
    with out.open(encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            records[r["id"]] = r
    return records


def figures(pages, records: dict[str, dict]) -> tuple[float, float, float, int]:
    """Content kept, junk F1, mean token F1, and content lines removed by learned rules."""
    keep = found = drop = removed = by_learned = 0
    f1 = []
    for p in pages:
        r = records.get(p.id, {"text": "", "metadata": {}})
        s = score_lines(p.lines, r["text"])
        keep, found, drop, removed = keep + s.keep, found + s.keep_found, drop + s.drop, removed + s.drop_removed
        f1.append(page_prf(r["text"], p.gold_text or "")[2])
        content = {x["line"] for x in p.lines if x["label"] == "keep"}
        for m in r["metadata"].get("removed", []):
            if m["rule"].startswith("LEARN-"):
                by_learned += len(content & set(range(m["line"], m["line"] + m.get("lines", 1))))
    precision = removed / (removed + keep - found) if removed + keep - found else 1.0
    recall = removed / drop if drop else 1.0
    junk_f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return found / keep, junk_f1, sum(f1) / len(f1), by_learned


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("set", type=Path, help="a bench set with ground-truth.jsonl and text/")
    ap.add_argument("--regime", choices=("dump", "crop", "gold"), default="dump")
    ap.add_argument("--learn-args", default="", help="more options of the --learn run, e.g. '--min-share 0.2'")
    a = ap.parse_args(argv)
    _, truth = read_ground_truth(str(a.set))
    urls = {t["id"]: t.get("url") for t in truth}
    pages = regime_pages(load_labelled_set(str(a.set)), a.regime)
    with tempfile.TemporaryDirectory() as tmp:
        inp = Path(tmp) / "in.jsonl"
        write_input(pages, urls, inp)
        outs = {learn: clean(inp, Path(tmp) / f"out-{int(learn)}.jsonl", learn, a.learn_args.split())
                for learn in (False, True)}
    print(f"{a.set.name}, plain text ({a.regime}): kept / junk F1 / token F1; content lines learned rules removed")
    for split in ("dev", "heldout"):
        part = [p for p in pages if p.split == split]
        row = [figures(part, outs[learn]) for learn in (False, True)]
        (k0, j0, t0, _), (k1, j1, t1, lost) = row
        print(f"  {split:8s} {len(part):4d} pages | without {k0:.3f} / {j0:.3f} / {t0:.3f} | "
              f"--learn {k1:.3f} / {j1:.3f} / {t1:.3f} | {lost}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
