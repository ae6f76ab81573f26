"""Building a Cleaner: what it costs beyond loading and compiling the rules (no collector passes)."""

import gc
import sys
from pathlib import Path

from cleaner import Cleaner, Config
from cleaner.run import worker

sys.path.insert(0, str(Path(__file__).resolve().parent / "perf"))
from rulegen import write_pack  # noqa: E402


def collections_while(build, tmp_path):
    """(what ``build(config)`` returns for a pack of 1,000 generated rules, the generations of
    the collector's passes meanwhile)."""
    pack = tmp_path / "many.yaml"
    write_pack(str(pack), 1000)
    runs = []

    def count(phase, info):
        if phase == "start":
            runs.append(info["generation"])

    gc.collect()
    gc.callbacks.append(count)
    try:
        return build(Config(rule_paths=(str(pack),))), runs
    finally:
        gc.callbacks.remove(count)


def test_building_a_cleaner_runs_no_cycle_collection(tmp_path):
    cleaner, runs = collections_while(Cleaner, tmp_path)
    assert 1047 <= len(cleaner.rules)
    # none while building; the young generation once at most, right after (the first allocation
    # once the collector is back); without the pause, dozens of passes, some over everything
    assert runs in ([], [0])
    assert gc.isenabled()


def test_the_collector_is_left_as_it_was():
    gc.disable()
    try:
        Cleaner()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_kept_cleaner_leaves_the_collectors_view():
    kept = worker._BUILT
    gc.unfreeze()
    try:
        worker.keep_cleaner(Cleaner())
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
        worker._BUILT = kept


def test_the_runs_kept_cleaner_is_frozen_before_the_collector_sees_it(tmp_path):
    """run()'s Cleaner: no collection at all, not even the young generation's pass as the build
    ends (Cleaner() alone has it: it scans every object the build made, which the freeze then
    takes out of the collector's view anyway)."""
    from cleaner.run.local import build_kept_cleaner

    kept = worker._BUILT
    try:
        cleaner, runs = collections_while(build_kept_cleaner, tmp_path)
        assert worker._BUILT is cleaner and gc.isenabled() and gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
        worker._BUILT = kept
    assert [] == runs
