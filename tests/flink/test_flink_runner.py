"""The pipeline on a real Flink cluster gives the same Parquet as on the DirectRunner.

Run with `pytest -m flink tests/flink -s`; the fixtures are in conftest.py next to this file.
"""
from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest

from .conftest import TASK_SLOTS

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "seeds" / "000_28aa3b8bf562bb45.jsonl"
TABLES = ("events", "location_counts", "incidents", "dead_letters")

pytestmark = pytest.mark.flink


# ---------------------------------------------------------------- the cluster on its own

SMOKE_JOB = """\
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.core.fs.FileSystem.WriteMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

public class SmokeJob {
  public static void main(String[] args) throws Exception {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setRuntimeMode(RuntimeExecutionMode.BATCH);
    env.fromSequence(1, Long.parseLong(args[1]))
        .map(x -> Tuple2.of(x % 10, x)).returns(Types.TUPLE(Types.LONG, Types.LONG))
        .keyBy(t -> t.f0)
        .sum(1)
        .writeAsText(args[0], WriteMode.OVERWRITE);
    env.execute("newsevents-smoke");
  }
}
"""


def _post(url: str, body: bytes, content_type: str) -> dict:
    request = urllib.request.Request(url, data=body, headers={"Content-Type": content_type})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.load(response)


def _get(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.load(response)


def test_the_cluster_runs_a_java_job_on_its_task_manager(flink_cluster_handle, tmp_path):
    """Compile a tiny DataStream job, submit it through the REST API, read what it wrote."""
    cluster = flink_cluster_handle
    src = tmp_path / "SmokeJob.java"
    src.write_text(SMOKE_JOB, encoding="utf-8")
    subprocess.run(["javac", "-nowarn", "-cp", f"{cluster.home}/lib/*", "-d", tmp_path, src],
                   check=True, capture_output=True, timeout=300)
    jar = tmp_path / "smoke.jar"
    subprocess.run(["jar", "cf", jar, "-C", tmp_path, "SmokeJob.class"], check=True,
                   timeout=60)

    boundary = uuid.uuid4().hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"jarfile\"; "
            f"filename=\"smoke.jar\"\r\nContent-Type: application/x-java-archive\r\n\r\n"
            ).encode() + jar.read_bytes() + f"\r\n--{boundary}--\r\n".encode()
    base = f"http://{cluster.address}"
    uploaded = _post(f"{base}/jars/upload", body, f"multipart/form-data; boundary={boundary}")
    jar_id = Path(uploaded["filename"]).name
    out, n = tmp_path / "out", 100_000
    started = time.monotonic()
    job_id = _post(f"{base}/jars/{jar_id}/run",
                   json.dumps({"entryClass": "SmokeJob", "parallelism": TASK_SLOTS,
                               "programArgsList": [str(out), str(n)]}).encode(),
                   "application/json")["jobid"]
    while True:
        job = _get(f"{base}/jobs/{job_id}")
        if job["state"] in ("FINISHED", "FAILED", "CANCELED"):
            break
        assert time.monotonic() - started < 120, f"job still {job['state']}"
        time.sleep(0.5)
    assert job["state"] == "FINISHED", cluster.logs()
    assert max(v["parallelism"] for v in job["vertices"]) == TASK_SLOTS, job["vertices"]
    files = sorted(out.iterdir()) if out.is_dir() else [out]   # one file at parallelism 1
    lines = [line for f in files for line in f.read_text().split()]
    sums = dict(tuple(map(int, line.strip("()").split(","))) for line in lines)
    assert sums == {k: sum(range(k or 10, n + 1, 10)) for k in range(10)}
    print(f"\n[flink] SmokeJob on {cluster.address}: {job['state']} in "
          f"{time.monotonic() - started:.1f} s; vertices " + ", ".join(
              f"{v['name'][:30]} x{v['parallelism']}" for v in job["vertices"]))


# ---------------------------------------------------------------- the pipeline on Flink

def newsevents(*args: str, timeout: float = 900) -> tuple[float, str]:
    """`python -m newsevents ...` in a subprocess; returns (seconds, stdout)."""
    started = time.monotonic()
    run = subprocess.run([sys.executable, "-m", "newsevents", *map(str, args)],
                         capture_output=True, text=True, timeout=timeout, cwd=ROOT)
    seconds = time.monotonic() - started
    assert run.returncode == 0, (f"newsevents {' '.join(map(str, args))} exited "
                                 f"{run.returncode}\n--- stdout\n{run.stdout[-4000:]}\n"
                                 f"--- stderr\n{run.stderr[-12000:]}")
    return seconds, run.stdout


@pytest.fixture(scope="session")
def synth_corpus(tmp_path_factory) -> Path:
    """200 synthetic articles plus two broken lines, so that dead_letters has rows too."""
    path = tmp_path_factory.mktemp("corpus") / "synth.jsonl"
    newsevents("synth", "--articles", "200", "--out", path)
    with path.open("a", encoding="utf-8") as f:
        f.write('{"id": "broken-json", "text": \n')
        f.write(json.dumps({"id": "no-text", "published_at": "2019-02-20T10:00:00Z"}) + "\n")
    return path


def table_rows(output: Path, table: str) -> tuple[list[str], list[str]]:
    """(column names, rows as canonical JSON, sorted) of one Hive-partitioned table."""
    import pyarrow.dataset as ds

    root = output / table
    files = sorted(root.rglob("*.parquet")) if root.is_dir() else []
    if not files:
        return [], []
    data = ds.dataset(root, format="parquet", partitioning="hive").to_table()
    rows = sorted(json.dumps(r, sort_keys=True, default=str) for r in data.to_pylist())
    return sorted(data.column_names), rows


def manifest(output: Path) -> dict:
    return json.loads((output / "_manifest.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("corpus", ["seed", "synth"])
def test_flink_writes_the_same_tables_as_the_direct_runner(
        corpus, request, flink_setup, beam_flink_args, flink_cluster_handle, tmp_path):
    flink_cluster = flink_cluster_handle.address
    source = SEED if corpus == "seed" else request.getfixturevalue("synth_corpus")
    direct, flink = tmp_path / "direct", tmp_path / "flink"

    direct_s, _ = newsevents("run", "--input", source, "--output", direct)
    jobs_before = {j["jid"] for j in flink_cluster_handle.jobs()}
    flink_s, summary = newsevents("run", "--input", source, "--output", flink, *beam_flink_args)

    new_jobs = [j for j in flink_cluster_handle.jobs() if j["jid"] not in jobs_before]
    assert [j["state"] for j in new_jobs] == ["FINISHED"], new_jobs   # it ran on the cluster

    on_direct, on_flink = manifest(direct), manifest(flink)
    assert on_direct["runner"] == "DirectRunner"
    assert f"--runner={on_flink['runner']}" in beam_flink_args
    assert on_flink["counts"] == on_direct["counts"]
    assert on_flink["published_partitions"] == on_direct["published_partitions"]
    assert on_flink["reconciled"] and on_direct["reconciled"]

    rows = {}
    for table in TABLES:
        want, got = table_rows(direct, table), table_rows(flink, table)
        assert got[0] == want[0], f"{table}: columns differ"
        assert len(got[1]) == len(want[1]), f"{table}: {len(got[1])} rows, want {len(want[1])}"
        assert got[1] == want[1], f"{table}: rows differ"
        rows[table] = len(got[1])
    if corpus == "synth":
        assert rows["dead_letters"] == 2 and rows["events"] > 0

    print(f"\n[flink] {corpus} ({source.name}): DirectRunner {direct_s:.1f} s, "
          f"{on_flink['runner']} on the Flink cluster at {flink_cluster} "
          f"({flink_setup.describe()}) {flink_s:.1f} s, Flink job {new_jobs[0]['name']!r} "
          f"{new_jobs[0]['duration'] / 1000:.1f} s; equal rows: "
          + ", ".join(f"{t} {n}" for t, n in rows.items())
          + f"; counts {on_flink['counts']['read']} read, "
            f"{on_flink['counts']['sentences']} sentences")
    print(summary.splitlines()[0])
