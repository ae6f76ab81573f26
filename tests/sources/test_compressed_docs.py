"""Pages and texts compressed one by one (``page.html.gz``, ``notes.txt.zst``): cleaned like
the plain files, within the same limits, and refused with a reason when broken."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import zstandard

from conftest_helpers import read_jsonl

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "fixtures" / "html" / "harbour-bridge.html"
SEED = sorted((ROOT / "fixtures" / "seeds").glob("*.txt"))[0]


def _records(path: Path) -> dict[str, dict]:
    return {r["metadata"]["path"]: r for r in read_jsonl(path)}


def test_compressed_pages_and_texts_come_out_as_their_plain_files(tmp_path, cli):
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(PAGE, src / "page.html")
    shutil.copy(SEED, src / "seed.txt")
    (src / "page2.html.gz").write_bytes(gzip.compress(PAGE.read_bytes()))
    (src / "page3.htm.zst").write_bytes(zstandard.ZstdCompressor().compress(PAGE.read_bytes()))
    (src / "seed2.TXT.GZ").write_bytes(gzip.compress(SEED.read_bytes()))
    (src / "archive.gz").write_bytes(gzip.compress(b"what is inside is not named"))
    out = tmp_path / "out.jsonl"
    proc = cli("run", str(src), "-o", str(out), "-q")
    assert 0 == proc.returncode, proc.stderr
    got = _records(out)
    assert {"page.html", "page2.html.gz", "page3.htm.zst", "seed.txt", "seed2.TXT.GZ"} == set(got)
    for plain, packed in (("page.html", "page2.html.gz"), ("page.html", "page3.htm.zst"),
                          ("seed.txt", "seed2.TXT.GZ")):
        a, b = got[plain], got[packed]
        assert a["text"] and a["text"] == b["text"]
        # provenance describes the document: the hash and size of what was cleaned
        for key in ("sha256", "bytes", "format", "removed"):
            assert a["metadata"][key] == b["metadata"][key], key
    assert "html" == got["page3.htm.zst"]["metadata"]["format"]


def test_broken_oversized_and_bomb_documents_are_rejected_with_reasons(tmp_path, cli):
    src = tmp_path / "in"
    src.mkdir()
    packed = gzip.compress(PAGE.read_bytes())
    (src / "truncated.html.gz").write_bytes(packed[: len(packed) // 2])
    (src / "not-gzip.html.gz").write_bytes(PAGE.read_bytes())
    (src / "bomb.txt.gz").write_bytes(gzip.compress(b"a" * 20_000_000))
    shutil.copy(SEED, src / "good.txt")
    out = tmp_path / "out.jsonl"
    proc = cli("run", str(src), "-o", str(out), "-q", "--max-bytes", "30000000")
    assert 1 == proc.returncode, proc.stderr
    reasons = {r["path"]: r["reason"] for r in read_jsonl(tmp_path / "out.rejects.jsonl")}
    assert {"truncated.html.gz": "corrupt_archive", "not-gzip.html.gz": "corrupt_archive",
            "bomb.txt.gz": "decompression_bomb"} == reasons
    assert ["good.txt"] == list(_records(out))
    # --max-bytes holds for what a document expands to, not only for the file
    big = tmp_path / "big.txt.zst"
    big.write_bytes(zstandard.ZstdCompressor().compress(b"word " * 300_000))
    proc = cli("run", str(big), "-o", str(out), "-q", "--max-bytes", "1000000")
    assert 1 == proc.returncode, proc.stderr
    assert ["too_large"] == [r["reason"] for r in read_jsonl(tmp_path / "out.rejects.jsonl")]


def test_explain_reads_a_compressed_page(tmp_path, cli):
    page = tmp_path / "page.html.gz"
    page.write_bytes(gzip.compress(PAGE.read_bytes()))
    plain = cli("explain", str(PAGE))
    packed = cli("explain", str(page))
    assert 0 == plain.returncode and 0 == packed.returncode, packed.stderr
    assert plain.stdout == packed.stdout


def test_mining_reads_compressed_documents_like_plain_ones(tmp_path):
    from cleaner.settings import Config
    from cleaner.learn.corpus import iter_documents

    plain, packed = tmp_path / "plain" / "site", tmp_path / "packed" / "site"
    plain.mkdir(parents=True)
    packed.mkdir(parents=True)
    shutil.copy(SEED, plain / "a.txt")
    shutil.copy(PAGE, plain / "b.html")
    (packed / "a.txt.gz").write_bytes(gzip.compress(SEED.read_bytes()))
    (packed / "b.html.zst").write_bytes(zstandard.ZstdCompressor().compress(PAGE.read_bytes()))
    got = [list(iter_documents(str(d.parent), Config())) for d in (plain, packed)]
    assert 2 == len(got[0]) and got[0] == got[1]
