"""Measure ``cleaner mine`` on a synthetic crawl: documents per second and peak memory.

    python tests/perf/mine_memory.py [--docs 10000] [--sites 50] [--keep DIR]

Writes DOCS plain-text pages under a temporary directory, one directory per site: each page
has its site's chrome (menu, footer, cookie notice, a digit-varying copyright line) around an
article of varied lines. Runs ``cleaner mine`` in a child process and prints its wall time,
documents/s and peak RSS (``resource.getrusage(RUSAGE_CHILDREN).ru_maxrss``), then the same
for ``cleaner run --no-heuristics`` on the same input (the text path's speed, for comparison).
This prints figures; it asserts nothing (speed is never a timed test).
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import subprocess
import sys
import tempfile
import time

WORDS = ("the of and a to in is was for on that with as by at from his her they this said which "
         "river council harvest market school railway harbour museum forest engine budget vote "
         "storm bridge village report season player coach doctor patient court judge").split()


def sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def site_chrome(rng: random.Random, s: int) -> tuple[list[str], list[str]]:
    menu = [f"Site {s} home"] + [f"{rng.choice(WORDS).title()} section {s}-{k}" for k in range(25)]
    footer = [f"About site {s}", "Contact us", "Privacy policy", f"Newsletter of site {s}: sign up",
              f"We use cookies on site {s} to improve your experience. Accept all cookies."]
    return menu, footer


def write_corpus(root: str, docs: int, sites: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    chrome = [site_chrome(rng, s) for s in range(sites)]
    for d in range(docs):
        s = d % sites
        menu, footer = chrome[s]
        body = [sentence(rng, rng.randint(4, 40)) for _ in range(rng.randint(8, 30))]
        related = [f"Related: {sentence(rng, 6)}" for _ in range(3)]
        lines = menu + body + related + footer + [f"© {2000 + d % 25} Site {s} Media"]
        path = os.path.join(root, f"site{s:03d}", f"{d:06d}.txt")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as fh:
            fh.write("\n".join(lines) + "\n")


def measure(cmd: list[str]) -> tuple[float, float, str]:
    """Wall seconds, peak RSS in MiB of the child, and its stderr tail."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    secs = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if proc.returncode not in (0, 1):
        sys.exit(f"{' '.join(cmd)} failed ({proc.returncode}): {proc.stderr[-1000:]}")
    # ru_maxrss is the largest child so far: run the smaller job last or read it as an upper bound
    return secs, max(peak, before) / 1024, proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else ""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=10_000)
    ap.add_argument("--sites", type=int, default=50)
    ap.add_argument("--max-hashes", type=int, default=None, help="pass --max-hashes to mine")
    ap.add_argument("--keep", help="write the corpus here and keep it")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = a.keep or os.path.join(tmp, "corpus")
        t0 = time.perf_counter()
        write_corpus(root, a.docs, a.sites)
        print(f"corpus: {a.docs} documents in {a.sites} sites written in {time.perf_counter() - t0:.1f}s")
        exe = [sys.executable, "-m", "cleaner"]
        extra = ["--max-hashes", str(a.max_hashes)] if a.max_hashes else []
        secs, rss, note = measure(exe + ["mine", root, "-o", os.path.join(tmp, "learned.yaml"), *extra])
        print(f"mine: {secs:.1f}s, {a.docs / secs:.0f} docs/s, peak RSS {rss:.0f} MiB  [{note}]")
        secs, rss, _ = measure(exe + ["run", root, "-o", os.path.join(tmp, "out.jsonl"), "-q", "-j", "1",
                                      "--no-heuristics"])
        print(f"run (text path, 1 job, no heuristics): {secs:.1f}s, {a.docs / secs:.0f} docs/s, "
              f"peak RSS so far {rss:.0f} MiB")


if __name__ == "__main__":
    main()
