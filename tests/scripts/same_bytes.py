"""Prove that a change keeps the bytes: run two trees of cleaner on the same inputs, compare sha256.

    python tests/scripts/same_bytes.py --old main~1            # old commit vs the working tree
    python tests/scripts/same_bytes.py --old A --new B --quick # two commits, fixtures only
    python tests/scripts/same_bytes.py --old A --save a.json   # keep the sums of both sides ...
    python tests/scripts/same_bytes.py --old a.json            # ... and compare a new tree with them
    python tests/scripts/same_bytes.py --new main --save a.json  # one side only: the sums of main

Each tree is built into its own folder with ``pip install --no-deps --target`` (so a compiled
core is built as a user would get it) and run with this interpreter's dependencies. Every
case runs with ``SOURCE_DATE_EPOCH=0`` and writes its output, rejects and any learned files;
the sha256 of every file is compared, case by case, and any difference fails the run (exit 1).

Cases: the bundled fixtures (seeds, HTML, JSONL) with each ``--favor``; every set of
``../shared/bench`` or ``$CLEANER_BENCH_DIR`` (text and HTML, each ``--favor``; without either, the
fixtures only, and the run says so), ``--learn`` on the sites set, and
``--engine ray`` on the fixtures (when Ray is installed), and sharded local runs (``-o DIR/``) of
the fixtures and of one bench set: the parts of these are compared as what they hold, the records and
the rejects of all parts in part order (how the input is cut into shards may change; what the
run writes may not). ``--only TEXT`` runs the cases whose name holds TEXT. Bench data is read in
place and never copied into the repository.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
# the bench sets: $CLEANER_BENCH_DIR, else ../shared/bench beside the repository (as the quality gate)
BENCH = Path(os.environ.get("CLEANER_BENCH_DIR") or REPO.parent / "shared" / "bench")
FAVORS = ("balanced", "precision", "recall")


def cases(quick: bool) -> list[tuple[str, list[str]]]:
    """(name, arguments after ``cleaner run``) of every case, INPUT first."""
    out = []
    fixtures = [("seeds", REPO / "fixtures" / "seeds"), ("html", REPO / "fixtures" / "html"),
                ("jsonl", REPO / "fixtures" / "jsonl" / "sample.jsonl")]
    for name, path in fixtures:
        for favor in FAVORS:
            out.append((f"fixtures-{name}-{favor}", [str(path), "--favor", favor]))
    try:
        import ray  # noqa: F401
        out.append(("fixtures-seeds-ray", [str(REPO / "fixtures" / "seeds"), "--engine", "ray"]))
    except ImportError:
        print("ray not installed: the --engine ray case is left out", file=sys.stderr)
    for name, path in fixtures:
        out.append((f"fixtures-{name}-sharded", [str(path)]))
    if not quick and not BENCH.is_dir():
        print(f"bench sets not found in {BENCH} (set CLEANER_BENCH_DIR): the fixtures only", file=sys.stderr)
    if quick or not BENCH.is_dir():
        return out
    for kind in ("text", "html"):
        if (BENCH / "scrapinghub-aeb" / kind).is_dir():
            out.append((f"scrapinghub-aeb-{kind}-sharded", [str(BENCH / "scrapinghub-aeb" / kind)]))
    for bench in sorted(p for p in BENCH.iterdir() if p.is_dir()):
        for kind in ("text", "html"):
            if not (bench / kind).is_dir():
                continue
            for favor in FAVORS:
                out.append((f"{bench.name}-{kind}-{favor}", [str(bench / kind), "--favor", favor]))
            if bench.name.endswith("-sites"):
                out.append((f"{bench.name}-{kind}-learn", [str(bench / kind), "--learn"]))
    return out


def build(tree: str, work: Path) -> Path:
    """Install the cleaner of ``tree`` (a commit, or a folder) into a folder of its own."""
    src = Path(tree)
    if not src.is_dir():
        src = work / "src"
        src.mkdir()
        archive = subprocess.run(["git", "-C", str(REPO), "archive", tree], check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(src)], input=archive, check=True)
    target = work / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target), str(src)],
                   check=True)
    return target


def run_all(site: Path, work: Path, todo: list[tuple[str, list[str]]], jobs: int) -> dict[str, dict[str, str]]:
    """sha256 of every file each case writes, by case and file name."""
    env = dict(os.environ, PYTHONPATH=str(site), SOURCE_DATE_EPOCH="0", PYTHONHASHSEED="0")
    sums = {}
    for name, args in todo:
        out = work / "out" / name
        out.mkdir(parents=True)
        target = str(out / ("o" if "ray" in args else "o.jsonl")) if not name.endswith("-sharded") else f"{out}/o/"
        cmd = [sys.executable, "-m", "cleaner", "run", *args, "-o", target, "-q", "-j", str(jobs)]
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True, cwd=work)
        if name.endswith("-sharded") or "ray" in args:  # parts: how the input is cut may change
            files = parts_sums(out / "o")
        else:
            files = {str(p.relative_to(out)): hashlib.sha256(p.read_bytes()).hexdigest()
                     for p in sorted(out.rglob("*")) if p.is_file()}
        files["exit"] = str(proc.returncode)
        if len(files) == 1:
            # A case that writes nothing compares equal to any other broken run: say why, loudly.
            tail = proc.stderr.strip().splitlines()[-1:] or ["(no stderr)"]
            files["error"] = tail[0]
            print(f"  {name}: wrote nothing: {tail[0]}", file=sys.stderr)
        sums[name] = files
        print(f"  {name}: exit {proc.returncode}, {len(files) - 1} files", file=sys.stderr)
    return sums


def parts_sums(directory: Path) -> dict[str, str]:
    """sha256 of the records and of the rejects of a sharded run's parts, each decompressed and
    concatenated in part order (what the single-file run would have written)."""
    import zstandard

    sums = {}
    for kind, keep in (("records", lambda n: not n.endswith(".rejects.jsonl.zst")),
                       ("rejects", lambda n: n.endswith(".rejects.jsonl.zst"))):
        sha = hashlib.sha256()
        for part in sorted(p for p in directory.glob("part-*.jsonl.zst") if keep(p.name)):
            with open(part, "rb") as fh:
                reader = zstandard.ZstdDecompressor().stream_reader(fh)
                while chunk := reader.read(1 << 20):
                    sha.update(chunk)
        sums[kind] = sha.hexdigest()
    return sums if directory.is_dir() else {}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--old", help="the old commit, a folder, or the --save file of an earlier run")
    parser.add_argument("--new", default=str(REPO), help="the new commit or folder (default: the working tree)")
    parser.add_argument("--quick", action="store_true", help="fixtures only")
    parser.add_argument("-j", "--jobs", type=int, default=2)
    parser.add_argument("--save", help="write the sums of both sides to this JSON file")
    parser.add_argument("--only", help="run only the cases whose name holds this text")
    args = parser.parse_args()
    todo = [case for case in cases(args.quick) if args.only is None or args.only in case[0]]
    sides = {}
    with tempfile.TemporaryDirectory() as tmp:
        for side in ("old", "new"):
            if getattr(args, side) is None:
                continue
            if getattr(args, side).endswith(".json"):
                sides[side] = json.loads(Path(getattr(args, side)).read_text())["new" if side == "old" else side]
                continue
            work = Path(tmp) / side
            work.mkdir()
            print(f"== {side}: {getattr(args, side)}", file=sys.stderr)
            sides[side] = run_all(build(getattr(args, side), work), work, todo, args.jobs)
    if args.save:
        Path(args.save).write_text(json.dumps(sides, indent=1, sort_keys=True))
    if args.old is None:
        print(f"sums of {args.new} saved in {args.save}")
        return 0
    differ = [name for name, _ in todo if sides["old"].get(name) != sides["new"][name]]
    for name in differ:
        print(f"DIFFERENT {name}: old {sides['old'][name]} new {sides['new'][name]}")
    broken = [name for name, _ in todo if "error" in sides["new"][name]]
    for name in broken:
        print(f"BROKEN {name}: {sides['new'][name]['error']}")
    files = sum(len(v) - 1 for v in sides["new"].values())
    print(f"same bytes: {len(todo) - len(differ)} of {len(todo)} cases identical ({files} files)")
    return 1 if differ or broken else 0


if __name__ == "__main__":
    sys.exit(main())
