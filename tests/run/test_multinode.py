"""A real two-node Ray cluster on this machine (head + worker, one CPU each), s3:// in and out
through a real S3-compatible server, and the worker node killed mid-run: the run finishes (or
``--resume`` finishes it) with every record once, byte for byte those of the local engine.

The nodes are ``ray start --block`` processes in their own sessions, on their own ports and
temporary directory; teardown kills those sessions only (never ``ray stop``, which would end
every Ray on the machine).
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

pytest.importorskip("ray", reason="Ray is an optional extra: pip install '.[ray]'")
pytest.importorskip("s3fs", reason="s3:// needs s3fs: pip install '.[test]'")
pytest.importorskip("moto.server", reason="the S3 server of the tests: pip install 'moto[server]'")

from hostile_support import session_alive
from shard_support import ADDED, MotoServer, free_port, read_parts

ROOT = Path(__file__).resolve().parents[2]
RAY = str(Path(sys.executable).with_name("ray"))
SHARDS = 10


def _ports() -> list[str]:
    """Ports of this node's services, free now (other Rays may run on this machine)."""
    names = ["--node-manager-port", "--object-manager-port", "--dashboard-agent-listen-port",
             "--dashboard-agent-grpc-port", "--runtime-env-agent-port", "--metrics-export-port"]
    return [x for name in names for x in (name, str(free_port()))]


class Node:
    """One ``ray start --block`` in its own session; killed with its whole session."""

    def __init__(self, args: list[str], env: dict[str, str], log: Path):
        self.log = open(log, "wb")
        self.proc = subprocess.Popen([RAY, "start", "--block", "--num-cpus", "1", "--disable-usage-stats",
                                      "--node-ip-address", "127.0.0.1", "--object-store-memory", str(80 << 20),
                                      *args], env=env, stdout=self.log, stderr=subprocess.STDOUT,
                                     start_new_session=True)

    def kill(self) -> None:
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.proc.wait(timeout=30)
        for _ in range(100):
            if not session_alive(self.proc.pid):
                break
            time.sleep(0.1)
        for pid in session_alive(self.proc.pid):  # left behind: end them by id
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.log.close()


def _nodes_up(address: str, env: dict[str, str], nodes: list[Node], deadline: float) -> None:
    probe = ("import ray, sys; ray.init(address=sys.argv[1], log_to_driver=False, logging_level='ERROR');"
             "print(sum(1 for n in ray.nodes() if n['Alive']))")
    want = len(nodes)
    while time.monotonic() < deadline:
        dead = [n for n in nodes if n.proc.poll() is not None]
        assert not dead, Path(dead[0].log.name).read_text(errors="replace")[-2000:]
        out = subprocess.run([sys.executable, "-c", probe, address], env=env, capture_output=True, text=True,
                             timeout=60)
        if out.stdout.strip() == str(want):
            return
        time.sleep(1)
    raise AssertionError(f"the cluster did not come up with {want} nodes")


def _corpus(src: Path) -> None:
    """SHARDS JSONL files of seed texts, each taking a second or so to clean."""
    seeds = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "fixtures" / "seeds").glob("*.txt"))]
    src.mkdir(parents=True)
    for n in range(SHARDS):
        with open(src / f"crawl-{n:02d}.jsonl", "w", encoding="utf-8") as fh:
            for i in range(60):
                fh.write(json.dumps({"id": f"{n}-{i}", "text": seeds[i % len(seeds)] + f"\n\nItem {n}/{i}."}) + "\n")


def test_a_worker_node_killed_mid_run_loses_and_doubles_nothing(tmp_path):
    _corpus(tmp_path / "in")
    local = subprocess.run([sys.executable, "-m", "cleaner", "run", str(tmp_path / "in"), "-o",
                            str(tmp_path / "local.jsonl"), "--added", ADDED, "--jobs", "1", "-q"],
                           capture_output=True, text=True, timeout=300)
    assert 0 == local.returncode, local.stderr
    temp = tempfile.mkdtemp(prefix="rt", dir="/tmp")  # short: Ray's socket paths have a length limit
    nodes: list[Node] = []
    with MotoServer() as s3:
        fs = s3.fs()
        fs.mkdir("corpus")
        fs.mkdir("cleaned")
        s3.upload(tmp_path / "in", "s3://corpus/in")
        # token authentication (Ray's default for `ray start`): the same token for the nodes and the driver
        env = dict(os.environ, RAY_AUTH_MODE="token", RAY_AUTH_TOKEN=secrets.token_hex(16),
                   RAY_health_check_period_ms="500", RAY_health_check_failure_threshold="4",
                   RAY_health_check_timeout_ms="1000")
        port = free_port()
        address = f"127.0.0.1:{port}"
        try:
            nodes.append(Node(["--head", "--port", str(port), "--include-dashboard=false", "--temp-dir", temp,
                               *_ports()], env, tmp_path / "head.log"))
            deadline = time.monotonic() + 90
            _nodes_up(address, env, nodes, deadline)
            nodes.append(Node(["--address", address, *_ports()], env, tmp_path / "worker.log"))
            _nodes_up(address, env, nodes, deadline)
            cmd = [sys.executable, "-m", "cleaner", "run", "s3://corpus/in", "-o", "s3://cleaned/mn",
                   "--engine", "ray", "--ray-address", address, "--added", ADDED, "-q", "--shard-bytes", "0"]
            run = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            markers = lambda: [p for p in fs.ls("cleaned/mn/.cleaner", detail=False, refresh=True)  # noqa: E731
                               if p.rsplit("/", 1)[-1].startswith("part-")] if fs.exists("cleaned/mn/.cleaner") else []
            kill_by = time.monotonic() + 120
            while not markers() and run.poll() is None and time.monotonic() < kill_by:
                time.sleep(0.2)
            committed_at_kill = len(markers())
            assert run.poll() is None and committed_at_kill < SHARDS, "the run ended before the node could be killed"
            nodes[1].kill()
            out, err = run.communicate(timeout=150)
            if run.returncode != 0:  # the run may give up a shard: --resume finishes it on the head
                again = subprocess.run(cmd + ["--resume"], env=env, capture_output=True, text=True, timeout=150)
                assert 0 == again.returncode, err + again.stderr
            records, rejects, parts = read_parts(fs, "cleaned/mn")
        finally:
            for node in reversed(nodes):
                node.kill()
            shutil.rmtree(temp, ignore_errors=True)
    assert [f"part-{i:05d}.jsonl.zst" for i in range(SHARDS)] == parts
    ids = [json.loads(line)["id"] for line in records.decode().splitlines()]
    assert len(ids) == len(set(ids)) == SHARDS * 60  # nothing lost, nothing doubled
    assert (tmp_path / "local.jsonl").read_bytes() == records
    assert (tmp_path / "local.rejects.jsonl").read_bytes() == rejects
    assert 0 < committed_at_kill
