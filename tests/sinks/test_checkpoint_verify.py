"""--resume checks a part file against the size and sha256 its manifest recorded: a damaged one is
not carried on (the run starts again, with a warning), an intact one is."""

from __future__ import annotations

import pytest

from cleaner.sinks.checkpoint import CheckpointedOutput, hidden_path

IDENTITY = {"input": "x", "options": "y"}


def _committed(tmp_path, name: str) -> tuple[str, str]:
    out, rejects = str(tmp_path / name), str(tmp_path / "out.rejects.jsonl")
    sink = CheckpointedOutput(out, rejects, IDENTITY, resume=False)
    for i in range(5):
        sink.write(f'{{"id": "{i}"}}')
    sink.write_reject('{"path": "a", "reason": "empty"}')
    sink.commit(3, {"summary": {}})
    sink.write('{"id": "uncommitted"}')
    sink.close()  # killed: the manifest says 3 tasks
    return out, rejects


@pytest.mark.parametrize("name", ["out.jsonl", "out.jsonl.gz"])
def test_an_intact_part_is_carried_on(tmp_path, name):
    out, rejects = _committed(tmp_path, name)
    sink = CheckpointedOutput(out, rejects, IDENTITY, resume=True)
    assert 3 == sink.tasks_done
    sink.close()


@pytest.mark.parametrize("which", ["output", "rejects"])
def test_a_part_changed_since_its_commit_is_redone_with_a_warning(tmp_path, capsys, which):
    out, rejects = _committed(tmp_path, "out.jsonl")
    part = hidden_path(out if which == "output" else rejects, ".part")
    data = bytearray(open(part, "rb").read())
    data[2] ^= 1  # same size, other bytes
    open(part, "wb").write(bytes(data))
    sink = CheckpointedOutput(out, rejects, IDENTITY, resume=True)
    assert 0 == sink.tasks_done
    assert "no longer matches the manifest" in capsys.readouterr().err
    sink.write('{"id": "0"}')
    sink.finish(1, {})
    assert '{"id": "0"}\n' == open(out).read()
