"""Mining holds each document to --doc-timeout as ``run`` does: a page that takes too long is
passed over and counted, and the rest of the corpus is still learned from."""

from __future__ import annotations

from conftest_helpers import cli


def slow_page(blocks: int = 12000) -> str:
    return "<html><body>" + "".join(
        f"<div class='c{i % 50}'><p>Paragraph {i} of the long page about the harbour bridge and its "
        f"repairs.</p><a href='/x{i}'>link {i}</a></div>" for i in range(blocks)) + "</body></html>"


def test_mine_passes_over_a_document_longer_than_doc_timeout(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "slow.html").write_text(slow_page())
    for n in range(3):
        (src / f"page{n}.txt").write_text(f"Menu Home Shop\nA sentence number {n} about the council.\n")
    proc = cli("mine", str(src), "-o", str(tmp_path / "pack.yaml"), "--doc-timeout", "0.5")
    assert 0 == proc.returncode, proc.stderr
    assert "mined 3 documents" in proc.stderr, proc.stderr
    assert "1 documents passed over (longer than --doc-timeout)" in proc.stderr, proc.stderr
