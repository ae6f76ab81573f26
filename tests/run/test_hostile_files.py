"""Hostile file systems: vanishing, unreadable and linked files never stop or hang a run."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cleaner import Config
from cleaner.run.local import iter_task_outcomes, iter_tasks
from cleaner.run.worker import RunContext
from cleaner.sources.readers import Limits, list_inputs, read_file
from hostile_support import hostile, outcomes, run_cli


def outcomes_of(root, follow_symlinks=False):
    files, _ = list_inputs(str(root), follow_symlinks=follow_symlinks)
    config = Config()
    return files, config


def clean_listed(files, config):
    ctx = RunContext(source="t", added="2023-01-01T00:00:00.000Z")
    out = {}
    for batch in iter_task_outcomes(iter_tasks(files, config), config, ctx, jobs=1):
        for o in batch:
            key = o.reject["path"] if o.reject else None
            out[key or "written"] = o.reject["reason"] if o.reject else "written"
    return out


def test_files_that_vanish_after_listing_are_rejected_as_vanished(tmp_path):
    (tmp_path / "a.txt").write_text(hostile.ARTICLE)
    (tmp_path / "b.txt").write_text(hostile.ARTICLE)
    (tmp_path / "c.jsonl").write_text('{"text": "x"}\n')
    files, config = outcomes_of(tmp_path)
    (tmp_path / "a.txt").unlink()
    (tmp_path / "c.jsonl").unlink()
    assert {"a.txt": "vanished", "c.jsonl": "vanished", "written": "written"} == clean_listed(files, config)


@pytest.mark.skipif(os.geteuid() == 0, reason="running as root: chmod 000 does not stop root from reading; "
                    "FIFOs, loops and dangling links cover unreadable files in test_hostile_inputs")
def test_unreadable_file_is_rejected(tmp_path):
    (tmp_path / "secret.txt").write_text(hostile.ARTICLE)
    (tmp_path / "secret.txt").chmod(0)
    files, config = outcomes_of(tmp_path)
    assert {"secret.txt": "unreadable"} == clean_listed(files, config)


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to read the file as an unprivileged user")
def test_unreadable_file_is_rejected_for_a_user_who_cannot_read_it():
    """As root, drop to the 'nobody' user around the read: chmod 000 then really stops it."""
    import shutil
    import tempfile

    from cleaner.run import worker

    top = tempfile.mkdtemp(prefix="cleaner-unreadable-", dir="/tmp")
    try:
        os.chmod(top, 0o755)
        for name in ("open.txt", "secret.txt"):
            (Path(top) / name).write_text(hostile.ARTICLE)
        os.chmod(Path(top) / "open.txt", 0o644)
        os.chmod(Path(top) / "secret.txt", 0)
        files, config = outcomes_of(top)
        worker.init_worker(config, worker.RunContext(source="t", added="2023-01-01T00:00:00.000Z"))
        os.seteuid(65534)
        try:
            got = {f.relpath: [o.reject["reason"] if o.reject else "written" for o in worker.process_documents(list(read_file(f, Limits(config.max_bytes))))]
                   for f in files}
        finally:
            os.seteuid(0)
        assert {"open.txt": ["written"], "secret.txt": ["unreadable"]} == got
    finally:
        shutil.rmtree(top)


def test_follow_symlinks_reads_outside_links_and_survives_loops(tmp_path):
    hostile.write_hostile(tmp_path / "in")
    out = tmp_path / "out.jsonl"
    proc = run_cli("run", str(tmp_path / "in"), "-o", str(out), "--follow-symlinks", "--jobs", "1")
    assert 1 == proc.returncode, proc.stderr
    records, rejects = outcomes(out)
    assert ("outside.txt", None) in records
    assert "symlink_loop" == rejects[("loop-a.txt", None)]["reason"]
    assert not any(key[0].startswith("dirloop/up/") for key in records)
