"""A file swapped for a symbolic link between listing and reading is never read outside INPUT.

The inputs are listed first, then swapped, then read (the deterministic form of the race):
the reader opens with ``O_NOFOLLOW`` and checks the descriptor it opened, not the name.
"""

from __future__ import annotations

import os

from cleaner import Config
from cleaner.run.local import iter_task_outcomes, iter_tasks
from cleaner.run.worker import RunContext
from cleaner.sources.readers import Limits, list_inputs, read_file
from hostile_support import hostile

SECRET = "TOP SECRET line that lives outside INPUT and must never be read."


def _tree(tmp_path):
    root, outside = tmp_path / "in", tmp_path / "outside"
    (root / "sub").mkdir(parents=True)
    outside.mkdir()
    for name in ("a.txt", "c.jsonl", "sub/b.txt"):
        text = hostile.ARTICLE if name.endswith(".txt") else '{"text": "A real sentence, kept as it is."}\n'
        (root / name).write_text(text)
    (outside / "secret.txt").write_text(SECRET + "\n" + hostile.ARTICLE)
    (outside / "c.jsonl").write_text('{"text": "' + SECRET + '"}\n')
    (outside / "b.txt").write_text(SECRET + "\n" + hostile.ARTICLE)
    return root, outside


def _swap(root, outside):
    """Each listed file (and the listed directory) replaced by a link to a file outside INPUT."""
    for name, target in (("a.txt", "secret.txt"), ("c.jsonl", "c.jsonl")):
        os.unlink(root / name)
        os.symlink(outside / target, root / name)
    os.rename(root / "sub", root / "sub.old")
    os.symlink(outside, root / "sub")


def _outcomes(files):
    config = Config()
    ctx = RunContext(source="t", added="2023-01-01T00:00:00.000Z")
    got = {}
    for batch in iter_task_outcomes(iter_tasks(files, config), config, ctx, jobs=1):
        for o in batch:
            got[o.reject["path"] if o.reject else o.line] = o.reject["reason"] if o.reject else "written"
    return got


def test_files_swapped_for_links_after_listing_are_not_read(tmp_path):
    root, outside = _tree(tmp_path)
    files, _ = list_inputs(str(root))
    assert ["a.txt", "c.jsonl", "sub/b.txt"] == [f.relpath for f in files]
    _swap(root, outside)
    got = _outcomes(files)
    assert not any(SECRET in key for key in got), "read a file outside INPUT"
    assert {"a.txt": "symlink_swapped", "c.jsonl": "symlink_swapped",
            "sub/b.txt": "symlink_outside_input"} == got


def test_reader_rejects_each_swapped_file_with_its_reason(tmp_path):
    root, outside = _tree(tmp_path)
    files, _ = list_inputs(str(root))
    _swap(root, outside)
    limits = Limits(Config().max_bytes)
    got = {f.relpath: [(d.data is None, d.reason) for d in read_file(f, limits)] for f in files}
    assert {"a.txt": [(True, "symlink_swapped")], "c.jsonl": [(True, "symlink_swapped")],
            "sub/b.txt": [(True, "symlink_outside_input")]} == got


def test_links_inside_input_are_still_read(tmp_path):
    root, _ = _tree(tmp_path)
    os.symlink(root / "a.txt", root / "link.txt")
    files, _ = list_inputs(str(root))
    got = {f.relpath: [d.reason for d in read_file(f, Limits(Config().max_bytes))] for f in files}
    assert {"a.txt": [""], "c.jsonl": [""], "link.txt": [""], "sub/b.txt": [""]} == got


def test_follow_symlinks_still_follows_a_swapped_link(tmp_path):
    root, outside = _tree(tmp_path)
    files, _ = list_inputs(str(root), follow_symlinks=True)
    _swap(root, outside)
    got = {f.relpath: [d.reason for d in read_file(f, Limits(Config().max_bytes))] for f in files}
    assert {"a.txt": [""], "c.jsonl": [""], "sub/b.txt": [""]} == got
