"""Nothing lost: kills during the run and during publishing, reruns by date with any window,
the lock, and counts that must reconcile."""
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pyarrow.dataset as ds
import pytest

from newsevents.cli import main
from newsevents.pipeline.publish import OutputLock, recover
from newsevents.commands.synth import write_synthetic

ROOT = Path(__file__).resolve().parents[1]
SEED = json.loads((ROOT / "seeds" / "000_28aa3b8bf562bb45.jsonl").read_text(encoding="utf-8"))
QUIET = {"id": "q", "text": "The committee met on Tuesday and adjourned until next month."}


def newsevents(*args, env=None, **kw):
    return subprocess.Popen([sys.executable, "-m", "newsevents", "run", *map(str, args)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env={**os.environ, **(env or {})}, **kw)


def write_articles(path: Path, when: list[str], base: dict = SEED) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps({**base, "id": f"{base['id']}-{t}", "published_at": t})
                            + "\n" for t in when), encoding="utf-8")
    return path


def snapshot(out: Path) -> dict:
    """Every visible file with its bytes: what a reader of the output would see."""
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and not any(part.startswith(".") for part in p.relative_to(out).parts)}


def partitions(out: Path) -> dict[str, list]:
    """Each visible partition (and unpartitioned table) -> its rows, in a stable order."""
    found = {}
    for table in ("events", "location_counts", "dead_letters"):
        root = out / table
        if not root.is_dir():
            continue
        dirs = [root] if table == "dead_letters" else sorted(root.glob("date=*"))
        for d in dirs:
            rows = ds.dataset(d, format="parquet").to_table().to_pylist()
            found[str(d.relative_to(out))] = sorted(json.dumps(r, sort_keys=True, default=str)
                                                    for r in rows)
    return found


def leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.iterdir()
                  if p.name.startswith((".staging-", ".trash-", ".journal-")))


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
    assert "discarded unpublished run" in again.stdout.read().decode()
    assert not leftovers(out)
    after = snapshot(out)
    assert json.loads(after["_manifest.json"])["counts"] == json.loads(before["_manifest.json"])["counts"]


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    base = tmp_path_factory.mktemp("publish")
    old_in = write_articles(base / "old" / "in.jsonl",
                            ["2019-02-21T10:00:00Z", "2019-02-22T10:00:00Z"])
    new_in = write_articles(base / "new" / "in.jsonl",
                            ["2019-02-22T18:00:00Z", "2019-02-23T08:00:00Z"])
    with new_in.open("a", encoding="utf-8") as fh:
        fh.write("{not json\n")
    old = base / "old-out"
    assert main(["run", "--input", str(old_in), "--output", str(old)]) == 0
    new = base / "new-out"
    shutil.copytree(old, new)
    assert main(["run", "--input", str(new_in), "--output", str(new)]) == 0
    return base, old, new, new_in


class TestKillWhilePublishing:
    """NEWSEVENTS_CRASH_AT=publish:K exits as a kill would right after publishing's K-th step;
    every K is tried. The old output covers 21-22 February, the new run 22-23 February and a
    dead letter: partitions are removed (21), replaced (22) and added (23)."""

    def crash_at(self, runs, k: int, tag: str = "k") -> tuple[Path, int]:
        base, old, _, new_in = runs
        out = base / f"{tag}{k}"
        shutil.copytree(old, out)
        proc = newsevents("--input", new_in, "--output", out,
                          env={"NEWSEVENTS_CRASH_AT": f"publish:{k}"})
        proc.communicate(timeout=300)
        return out, proc.returncode

    def test_every_step(self, runs):
        _, old, new, _ = runs
        before, after = partitions(old), partitions(new)
        assert before.keys() != after.keys()           # the walk covers adds and removals
        ks, results = [], {}
        with ThreadPoolExecutor(2) as pool:
            k = 0
            while True:                                # until a K past the last step
                batch = list(pool.map(lambda k: self.crash_at(runs, k), range(k, k + 4)))
                results.update(zip(range(k, k + 4), batch))
                if any(code == 0 for _, code in batch):
                    break
                k += 4
        for k, (out, code) in sorted(results.items()):
            ks.append(k)
            visible = partitions(out)
            for part, rows in visible.items():         # each is complete: old or new
                assert rows in (before.get(part), after.get(part)), (k, part)
            if code == 0:
                assert visible == after and not leftovers(out), k
                continue
            assert code == 137, (k, code)
            left = leftovers(out)
            said = recover(out)
            assert bool(said) == bool(left), k         # the last step leaves nothing to do
            restored = partitions(out)
            assert restored == (before if k == 0 else after), (k, said)   # all old or all new
            assert not leftovers(out), k
            manifest = json.loads((out / "_manifest.json").read_text())
            expected = json.loads(((old if k == 0 else new) / "_manifest.json").read_text())
            assert manifest["counts"] == expected["counts"], k
        assert len([k for k in ks if results[k][1] == 137]) >= 10   # every rename was a step

    def test_the_next_run_finishes_the_publish_and_says_so(self, runs):
        _, _, new, new_in = runs
        out, code = self.crash_at(runs, 3, tag="next-run-")
        assert code == 137 and leftovers(out)
        again = newsevents("--input", new_in, "--output", out)
        stdout, stderr = again.communicate(timeout=300)
        assert again.returncode == 0, stderr.decode()
        assert "finished publishing interrupted run" in stdout.decode()
        assert partitions(out) == partitions(new) and not leftovers(out)


def test_a_trash_left_by_an_older_version_is_put_back_not_deleted(tmp_path):
    out = tmp_path / "out"
    src = write_articles(tmp_path / "in.jsonl", ["2019-02-22T10:00:00Z", "2019-02-23T10:00:00Z"])
    assert main(["run", "--input", str(src), "--output", str(out)]) == 0
    before = partitions(out)
    trash = out / ".trash-19990101T000000Z-1" / "events"
    trash.mkdir(parents=True)
    (out / "events" / "date=2019-02-22").rename(trash / "date=2019-02-22")   # killed midway
    assert "restored 1 partitions" in recover(out)[0]
    assert partitions(out) == before and not leftovers(out)


def test_a_second_run_on_a_locked_output_fails_at_once(tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    src = write_articles(tmp_path / "in.jsonl", ["2019-02-22T10:00:00Z"])
    (out / ".staging-x").mkdir()           # a live run's scratch: must not be touched
    with OutputLock(out):
        code = main(["run", "--input", str(src), "--output", str(out)])
    err = capsys.readouterr().err
    assert code == 1 and "another newsevents run" in err and str(os.getpid()) in err
    assert (out / ".staging-x").exists() and not (out / "events").exists()


# --- reruns by date -------------------------------------------------------------------------

# Monday 18 to Tuesday 26 February 2019, at several hours: days, quarter days and two weeks.
TIMES = [f"2019-02-{d:02d}T{h:02d}:30:00Z" for d, h in
         [(18, 1), (19, 7), (21, 13), (21, 19), (22, 5), (23, 2), (23, 11), (23, 22), (24, 9),
          (25, 4), (26, 20)]]


def counts(out: Path) -> list[tuple]:
    t = ds.dataset(out / "location_counts", format="parquet", partitioning="hive").to_table()
    return sorted(tuple(str(v) for v in r.values()) for r in t.to_pylist())


def event_ids(out: Path) -> list[str]:
    t = ds.dataset(out / "events", format="parquet", partitioning="hive").to_table()
    return sorted(t.column("event_id").to_pylist())


@pytest.mark.parametrize("window,scope,dropped", [
    ("1d", ["--date", "2019-02-23"], ("2019-02-23",)),
    ("6h", ["--date", "2019-02-23"], ("2019-02-23",)),
    ("1w", ["--date", "2019-02-23"], ("2019-02-23",)),
    ("1w", ["--since", "2019-02-24", "--until", "2019-02-25"], ("2019-02-24", "2019-02-25")),
])
def test_a_rerun_by_date_gives_the_counts_of_a_full_run(tmp_path, window, scope, dropped):
    full_in = write_articles(tmp_path / "full" / "in.jsonl", TIMES)
    full = tmp_path / "full-out"
    assert main(["run", "--input", str(full_in), "--output", str(full), "--window", window]) == 0
    # The output first lacks the rerun's days (their articles arrived late), then the rerun
    # of those days adds them: every window touching them must count all its events.
    late = write_articles(tmp_path / "late" / "in.jsonl",
                          [t for t in TIMES if not t.startswith(dropped)])
    out = tmp_path / "out"
    assert main(["run", "--input", str(late), "--output", str(out), "--window", window]) == 0
    assert counts(out) != counts(full)
    assert main(["run", "--input", str(full_in), "--output", str(out), "--window", window,
                 *scope]) == 0
    assert counts(out) == counts(full)
    assert event_ids(out) == event_ids(full)


def test_weeks_start_on_monday_and_days_at_midnight(tmp_path):
    src = write_articles(tmp_path / "in.jsonl", ["2019-02-24T23:59:00Z", "2019-02-25T00:01:00Z"])
    for window, starts in [("1w", {"2019-02-18", "2019-02-25"}),
                           ("1d", {"2019-02-24", "2019-02-25"})]:
        out = tmp_path / window
        assert main(["run", "--input", str(src), "--output", str(out), "--window", window]) == 0
        t = ds.dataset(out / "location_counts", format="parquet", partitioning="hive").to_table()
        assert {f"{w:%Y-%m-%d %H:%M}" for w in t.column("window_start").to_pylist()} == {
            f"{s} 00:00" for s in starts}


def test_a_rerun_with_another_window_is_refused(tmp_path, capsys):
    src = write_articles(tmp_path / "in.jsonl", TIMES[:3])
    out = tmp_path / "out"
    assert main(["run", "--input", str(src), "--output", str(out), "--window", "1d"]) == 0
    before = snapshot(out)
    code = main(["run", "--input", str(src), "--output", str(out), "--window", "1w",
                 "--date", "2019-02-19"])
    err = capsys.readouterr().err.strip()
    assert code == 2 and "same --window" in err and len(err.splitlines()) == 1
    assert snapshot(out) == before


# --- counts that must reconcile ------------------------------------------------------------

def test_a_reader_that_loses_a_record_publishes_nothing(tmp_path, monkeypatch, capsys):
    import apache_beam as beam

    from newsevents import pipeline
    from newsevents.pipeline.read import ReadArticles

    class LossyRead(ReadArticles):
        """Reads and counts every record, then drops one article on the floor."""

        def expand(self, pbegin):
            out = super().expand(pbegin)
            out["articles"] = out["articles"] | "Lose" >> beam.Filter(
                lambda element: not element[1].id.endswith("T10:00:00Z"))
            return out

    src = write_articles(tmp_path / "in.jsonl", ["2019-02-22T09:00:00Z", "2019-02-22T10:00:00Z"])
    out = tmp_path / "out"
    monkeypatch.setattr(pipeline, "ReadArticles", LossyRead)
    code = main(["run", "--input", str(src), "--output", str(out)])
    err = capsys.readouterr().err
    assert code == 1 and "do not reconcile" in err and "read 2 != valid 1" in err
    assert snapshot(out) == {} and not leftovers(out)
    monkeypatch.undo()
    assert main(["run", "--input", str(src), "--output", str(out)]) == 0
    assert json.loads((out / "_manifest.json").read_text())["reconciled"] is True


def test_a_rerun_by_date_reads_back_older_events_without_the_district(tmp_path):
    """Events published before the district was added are read back by a rerun of a
    neighbouring day: their counts key the district as null, and every count is kept."""
    import pyarrow.parquet as pq
    src = write_articles(tmp_path / "in.jsonl", TIMES)
    full = tmp_path / "full"
    assert main(["run", "--input", str(src), "--output", str(full), "--window", "1w"]) == 0
    out = tmp_path / "out"
    shutil.copytree(full, out)
    for f in (out / "events").glob("date=*/*.parquet"):     # as an older version wrote them
        pq.write_table(pq.read_table(f).drop_columns(["admin2_code", "admin2_name"]), f)
    assert main(["run", "--input", str(src), "--output", str(out), "--window", "1w",
                 "--date", "2019-02-23"]) == 0
    t = ds.dataset(out / "location_counts", format="parquet", partitioning="hive").to_table()
    ureña = {(str(r["window_start"].date()), r["admin2_code"]): r["sentence_count"]
             for r in t.to_pylist() if r["location_name"] == "Ureña"}
    # the week of the 18th: the 3 articles of the 23rd have their district, the 6 older ones
    # read back are null; the week of the 25th, not recounted, keeps its rows
    assert set(ureña) == {("2019-02-18", "VE.20.2020"), ("2019-02-18", None),
                          ("2019-02-25", "VE.20.2020")}
    assert ureña[("2019-02-18", "VE.20.2020")] * 6 == ureña[("2019-02-18", None)] * 3

    def summed(rows):    # the counts without the district: as the full run's
        total = {}
        for r in rows:
            key = tuple(str(v) for k, v in r.items() if not k.startswith("admin2_")
                        and k not in ("sentence_count", "article_count", "incident_count"))
            n = total.get(key, (0, 0))
            total[key] = (n[0] + r["sentence_count"], n[1] + r["article_count"])
        return total
    full_counts = ds.dataset(full / "location_counts", format="parquet",
                             partitioning="hive").to_table().to_pylist()
    assert summed(t.to_pylist()) == summed(full_counts)
    assert event_ids(out) == event_ids(full)
