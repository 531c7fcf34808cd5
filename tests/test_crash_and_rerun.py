"""A run killed with SIGKILL leaves the previous output intact; the next run cleans up."""
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.dataset as ds

from newsevents.synth import write_synthetic


def newsevents(*args, **kw):
    return subprocess.Popen([sys.executable, "-m", "newsevents", "run", *map(str, args)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kw)


def snapshot(out: Path) -> dict:
    """Every visible file with its bytes: what a reader of the output would see."""
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and not any(part.startswith(".") for part in p.relative_to(out).parts)}


def test_kill_9_midway_leaves_previous_output_and_next_run_cleans_up(tmp_path):
    small, big = tmp_path / "small.jsonl", tmp_path / "big.jsonl"
    write_synthetic(str(small), 20, seed=3)
    write_synthetic(str(big), 4000, seed=4)
    out = tmp_path / "out"
    first = newsevents("--input", small, "--output", out)
    assert first.wait(timeout=300) == 0, first.stderr.read().decode()
    before = snapshot(out)
    assert any(k.startswith("events/date=") for k in before)

    victim = newsevents("--input", big, "--output", out)
    deadline = time.monotonic() + 120
    while not any(p.name.startswith(".staging-") for p in out.iterdir()):
        assert victim.poll() is None and time.monotonic() < deadline
        time.sleep(0.05)
    time.sleep(1.5)  # well inside the run: reading and extracting
    os.kill(victim.pid, signal.SIGKILL)
    victim.wait()

    assert snapshot(out) == before  # nothing half-written is visible
    ds.dataset(out / "events", format="parquet", partitioning="hive").to_table()
    assert any(p.name.startswith(".staging-") for p in out.iterdir())  # the leftovers

    again = newsevents("--input", small, "--output", out)
    assert again.wait(timeout=300) == 0
    assert not [p for p in out.iterdir() if p.name.startswith((".staging-", ".trash-"))]
    after = snapshot(out)
    assert json.loads(after["_manifest.json"])["counts"] == json.loads(before["_manifest.json"])["counts"]
