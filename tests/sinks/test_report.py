"""``--stats`` figures and the ``cleaner report`` page, rendered in a real headless Chromium."""

from __future__ import annotations

import json
import os
import shutil
import struct
import subprocess
import sys
import zlib
from collections import Counter
from pathlib import Path

import pytest
from conftest_helpers import read_jsonl

ROOT = Path(__file__).resolve().parents[2]
JUNK = "Sign up now for unlimited free access to\nSource link\n"
BROWSERS = ("chromium-headless-shell", "chromium", "chromium-browser")
# the fill of each chart's bars (cleaner/sinks/report.py)
COLORS = {"chars-by-rule": (0xE4, 0x57, 0x56), "kept-ratio": (0x4C, 0x78, 0xA8), "rejects": (0xF5, 0x85, 0x18)}


@pytest.fixture(scope="module")
def run_with_stats(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("stats")
    src = tmp / "in"
    shutil.copytree(ROOT / "fixtures" / "seeds", src)
    (src / "more.jsonl").write_text(json.dumps({"id": "j", "text": JUNK}) + "\n{broken\n")
    out, stats = tmp / "out.jsonl", tmp / "stats.json"
    proc = subprocess.run([sys.executable, "-m", "cleaner", "run", str(src), "-o", str(out), "-q", "--stats", str(stats)],
                          capture_output=True, text=True)
    assert 0 == proc.returncode, proc.stderr
    return tmp, json.loads(stats.read_text())


def test_stats_add_up_to_the_records_and_rejects(run_with_stats):
    tmp, stats = run_with_stats
    records = read_jsonl(tmp / "out.jsonl")
    rejects = read_jsonl(tmp / "out.rejects.jsonl")
    assert {"read": 7, "written": 5, "rejected": 2, "files_skipped": 0} == stats["documents"]
    assert {"empty_after_cleaning": 1, "bad_json": 1} == stats["rejects"]
    assert stats["rejects"] == Counter(r["reason"] for r in rejects)
    assert (tmp / "out.jsonl").stat().st_size == stats["bytes"]["out"]
    seeds_bytes = sum(p.stat().st_size for p in (ROOT / "fixtures" / "seeds").glob("*.txt"))
    assert seeds_bytes + (tmp / "in" / "more.jsonl").stat().st_size == stats["bytes"]["in"]
    chars, lines, removals = Counter(), Counter(), Counter()
    for r in records:
        for removal in r["metadata"]["removed"]:
            chars[removal["rule"]] += removal["chars"]
            lines[removal["rule"]] += removal.get("lines", 1)
            removals[removal["rule"]] += 1
    assert dict(chars) == {k: v["chars"] for k, v in stats["rules"].items()}
    assert dict(lines) == {k: v["lines"] for k, v in stats["rules"].items()}
    assert dict(removals) == {k: v["removals"] for k, v in stats["rules"].items()}
    assert "paywall-signup-cta" == stats["rules"]["PROMO001"]["name"]
    assert 5 == sum(stats["kept_ratio"]) and len(stats["kept_ratio"]) == 10
    kept = [1 - r["metadata"]["chars_removed"] / r["metadata"]["chars_in"] for r in records]
    assert [sum(1 for k in kept if min(9, int(k * 10)) == i) for i in range(10)] == stats["kept_ratio"]
    assert [r["id"] for r in records if r["metadata"]["chars_removed"]] == [s["id"] for s in stats["samples"]]


def test_report_is_self_contained(run_with_stats, tmp_path):
    tmp, _ = run_with_stats
    page = tmp_path / "report.html"
    proc = subprocess.run([sys.executable, "-m", "cleaner", "report", str(tmp / "stats.json"), "-o", str(page)],
                          capture_output=True, text=True)
    assert 0 == proc.returncode, proc.stderr
    html = page.read_text(encoding="utf-8")
    for ident in COLORS:
        assert f'id="{ident}"' in html
    assert "<script" not in html and "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in html and "<link" not in html and "<img" not in html
    assert "Sign up now for unlimited free access to" in html  # a removed line in the samples


@pytest.mark.parametrize("provenance", ["full", "compact"])
def test_samples_are_those_the_written_lines_give_and_a_compact_run_reports(tmp_path, provenance):
    """The worker makes a sample from the record before writing it, or the run makes it from the
    written line: both give the same sample, in the record's form (compact: no excerpt)."""
    from cleaner.run.local import sample_of

    src = tmp_path / "in"
    shutil.copytree(ROOT / "fixtures" / "seeds", src)
    out, stats, page = tmp_path / "out.jsonl", tmp_path / "stats.json", tmp_path / "report.html"
    proc = subprocess.run([sys.executable, "-m", "cleaner", "run", str(src), "-o", str(out), "-q", "-j", "1",
                           "--provenance", provenance, "--stats", str(stats)], capture_output=True, text=True)
    assert 0 == proc.returncode, proc.stderr
    samples = json.loads(stats.read_text())["samples"]
    from_lines = [sample_of(line) for line in out.read_text(encoding="utf-8").splitlines()
                  if json.loads(line)["metadata"]["chars_removed"]]
    assert samples and samples == from_lines[:len(samples)]
    assert all((r["excerpt"] is not None) == (provenance == "full") for s in samples for r in s["removed"])
    proc = subprocess.run([sys.executable, "-m", "cleaner", "report", str(stats), "-o", str(page)],
                          capture_output=True, text=True)
    assert 0 == proc.returncode, proc.stderr


def test_report_of_a_file_that_is_not_stats_is_a_usage_error(tmp_path, cli):
    (tmp_path / "x.json").write_text("[1, 2]")
    proc = cli("report", str(tmp_path / "x.json"), "-o", str(tmp_path / "r.html"))
    assert 2 == proc.returncode and "is not a 'cleaner run --stats' file" in proc.stderr


GOOD = {"documents": {"read": 1, "written": 1, "rejected": 0, "files_skipped": 0},
        "chars": {"in": 10, "removed": 1}, "bytes": {"in": 10, "out": 12}}
MALFORMED = {"missing-bytes": {"documents": {}, "chars": {}},
             "chars-a-word": {**GOOD, "chars": {"in": "x", "removed": 1}},
             "rule-a-number": {**GOOD, "rules": {"X": 5}},
             "sample-a-number": {**GOOD, "samples": [3]},
             "excerpt-a-number": {**GOOD, "samples": [{"removed": [{"excerpt": 5}]}]},
             "kept-ratio-infinite": {**GOOD, "kept_ratio": [1e400, 1]}}


@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_report_of_a_malformed_stats_file_is_one_line_exit_2(tmp_path, name):
    from hostile_support import run_cli

    (tmp_path / "s.json").write_text(json.dumps(MALFORMED[name]))
    proc = run_cli("report", str(tmp_path / "s.json"), "-o", str(tmp_path / "r.html"), timeout=60)
    assert 2 == proc.returncode and 1 == len(proc.stderr.splitlines()), proc.stderr
    assert "is not a 'cleaner run --stats' file" in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.parametrize("what", ["fifo", "/dev/zero"])
def test_report_of_a_fifo_or_device_is_refused_not_waited_on(tmp_path, what):
    from hostile_support import run_cli

    path = "/dev/zero" if what == "/dev/zero" else str(tmp_path / "pipe")
    if what == "fifo":
        os.mkfifo(path)
    proc = run_cli("report", path, "-o", str(tmp_path / "r.html"), timeout=60)
    assert 2 == proc.returncode and 1 == len(proc.stderr.splitlines()), proc.stderr
    assert "not a regular file" in proc.stderr


def _png_pixels(data: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and RGB(A) rows of an 8-bit PNG, undoing the scanline filters."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width = 8, b"", 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, color = struct.unpack(">IIBB", body[:10])
            assert 8 == depth and color in (2, 6)
            bpp = 3 if color == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw, stride, rows, prev = zlib.decompress(idat), width * bpp, [], bytearray(width * bpp)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if kind == 1:
                line[i] = (line[i] + a) & 255
            elif kind == 2:
                line[i] = (line[i] + b) & 255
            elif kind == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return width, bpp, rows


def test_report_renders_every_chart_in_headless_chromium(run_with_stats, tmp_path):
    browser = next((shutil.which(b) for b in BROWSERS if shutil.which(b)), None)
    if browser is None:
        if os.environ.get("CLEANER_REQUIRE_BROWSER"):  # .ci/run installs it: a skip there would hide a failure
            pytest.fail("CLEANER_REQUIRE_BROWSER is set but no Chromium is on PATH")
        pytest.skip("no Chromium here (Debian: apt-get install chromium-headless-shell)")
    tmp, _ = run_with_stats
    page, shot = tmp_path / "report.html", tmp_path / "report.png"
    subprocess.run([sys.executable, "-m", "cleaner", "report", str(tmp / "stats.json"), "-o", str(page)], check=True)
    common = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
              "--no-first-run", f"--user-data-dir={tmp_path / 'profile'}"]
    dom = subprocess.run(common + ["--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=120)
    assert 0 == dom.returncode, dom.stderr[-1500:]
    for ident in COLORS:  # parsed by the browser: each chart is there with its bars
        assert f'<figure class="chart" id="{ident}">' in dom.stdout
    assert dom.stdout.count('class="bar"') >= 10 + 2 + 5
    proc = subprocess.run(common + ["--window-size=1100,1400", f"--screenshot={shot}", page.as_uri()],
                          capture_output=True, text=True, timeout=120)
    assert 0 == proc.returncode and shot.exists(), proc.stderr[-1500:]
    width, bpp, rows = _png_pixels(shot.read_bytes())
    seen = Counter()
    for row in rows:
        for x in range(0, width * bpp, bpp):
            seen[tuple(row[x:x + 3])] += 1
    for ident, color in COLORS.items():  # each chart's bars were painted
        assert seen[color] > 200, (ident, seen[color])
