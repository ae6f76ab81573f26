"""Helpers the test modules import (kept out of conftest so they can be imported)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path


def cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run the installed ``cleaner`` in a real process (``added`` pinned for determinism)."""
    full_env = dict(os.environ, SOURCE_DATE_EPOCH="1700000000")
    full_env.update(env or {})
    return subprocess.run([sys.executable, "-m", "cleaner", *args], capture_output=True, text=True, env=full_env)


def run_on_terminal(*args: str, env: dict | None = None) -> tuple[int, str]:
    """Run ``cleaner`` with its stderr on a 160-column pseudo-terminal: (exit code, what it showed)."""
    import fcntl
    import pty
    import struct
    import termios

    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 160, 0, 0))
    proc = subprocess.Popen([sys.executable, "-m", "cleaner", *args], stdout=subprocess.DEVNULL, stderr=follower,
                            stdin=subprocess.DEVNULL, env=env)
    os.close(follower)
    chunks = []
    while True:
        try:
            data = os.read(leader, 65536)
        except OSError:  # the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    os.close(leader)
    return proc.wait(), b"".join(chunks).decode("utf-8", "replace")


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(x) for x in Path(path).read_text(encoding="utf-8").splitlines() if x.strip()]


def run_and_read(input_dir: Path, tmp: Path, *extra: str) -> dict[str, dict]:
    """Run ``cleaner run`` and return the records by file name."""
    out = tmp / "out.jsonl"
    proc = cli("run", str(input_dir), "-o", str(out), "-q", *extra)
    assert proc.returncode == 0, proc.stderr
    return {Path(r["metadata"]["path"]).name: r for r in read_jsonl(out)}
