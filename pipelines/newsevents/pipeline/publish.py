"""Staging and publishing a run's output, and its manifest. Runs in the driver, not in Beam.

A run writes only inside `OUTPUT/.staging-<run>/`. Once the pipeline has succeeded and the
counts reconcile, publishing goes through a journal, as a database commits:

1. the new partitions and the new manifest are made ready inside the staging directory;
2. the journal `OUTPUT/.journal-<run>.json`, the list of every rename to make, is written
   atomically: from this instant the run is committed;
3. for each partition, the old one is renamed into `OUTPUT/.trash-<run>/` and the new one
   renamed into place, one directory rename each; then the manifest; then the trash, the
   staging directory and the journal are deleted.

A reader never sees a half-written partition: each is the old one or the new one. A run
killed at any instant is finished by the next run before it does anything else (`recover`):
with a journal every remaining rename is made (all new); without one, nothing was published
and the staging directory is only the dead run's scratch (all old). A trash directory is
deleted only once the journal's renames are all made, so it never holds the only copy of a
partition a reader should see. A lock on `OUTPUT/.lock` keeps a second run out.
"""
from __future__ import annotations

import fcntl
import json
import os
import shutil
from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from pathlib import Path

import pyarrow.parquet as pq

from newsevents.tables import DEAD_LETTERS, PARTITIONED, STAGED, STATS_PREFIX, TABLES

JOURNAL_PREFIX = ".journal-"
CRASH_ENV = "NEWSEVENTS_CRASH_AT"     # publish:K, for tests: exit as a kill would, after step K


class OutputBusy(RuntimeError):
    """Another run holds the output's lock."""


class OutputLock:
    """An exclusive lock on OUTPUT/.lock for the whole run. The kernel drops it when the
    process dies, however it dies, so a killed run never leaves the output locked."""

    def __init__(self, output: Path):
        self.path = output / ".lock"
        self._fh = None

    def __enter__(self):
        fh = open(self.path, "a+", encoding="utf-8")
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.seek(0)
            holder = fh.read().strip() or "unknown"
            fh.close()
            raise OutputBusy(f"another newsevents run (pid {holder}) is writing "
                             f"{self.path.parent}: wait for it to end, or write elsewhere") from None
        fh.seek(0)
        fh.truncate()
        fh.write(str(os.getpid()))
        fh.flush()
        self._fh = fh
        return self

    def __exit__(self, *exc):
        self._fh.close()          # closing releases the lock


class _Steps:
    """Counts publishing's steps (each rename, delete and manifest write); with
    NEWSEVENTS_CRASH_AT=publish:K the process dies right after step K, as under kill -9."""

    def __init__(self, faults: bool = True):
        spec = os.environ.get(CRASH_ENV, "") if faults else ""
        self.crash_at = int(spec.split(":", 1)[1]) if spec.startswith("publish:") else None
        self.done = 0
        if self.crash_at == 0:
            os._exit(137)

    def step(self):
        self.done += 1
        if self.done == self.crash_at:
            os._exit(137)


def read_stats(staging: Path) -> dict:
    """The pipeline's count records (STATS_PREFIX* JSON lines) -> nested counts."""
    counts: dict = {"read": {}, "valid": {}, "skipped": {}, "events": {}, "languages": {},
                    "languages_without_rules": {}, "sentences": 0, "event_rows": 0}
    for f in sorted(staging.glob(f"{STATS_PREFIX}*")):
        for line in f.read_text(encoding="utf-8").splitlines():
            kind, key, n = json.loads(line)
            if isinstance(counts[kind], int):
                counts[kind] += n
            else:
                counts[kind][key] = counts[kind].get(key, 0) + n
    return counts


def dead_letters(staging: Path) -> tuple[dict[str, int], dict[str, dict]]:
    """Dead letters per source file, and per kind: {error_type: {"count", "example"}}."""
    per_source: dict[str, int] = defaultdict(int)
    kinds: dict[str, dict] = {}
    for f in sorted(staging.glob(f"{DEAD_LETTERS.name}-*.parquet")):
        t = pq.read_table(f, columns=["source", "error_type", "error"])
        for source, kind, error in zip(*(t.column(c).to_pylist() for c in t.column_names)):
            per_source[source] += 1
            entry = kinds.setdefault(kind, {"count": 0, "example": error})
            entry["count"] += 1
    return dict(per_source), dict(sorted(kinds.items()))


def reconcile(files: list[str], stats: dict, dead: dict[str, int]) -> tuple[list[dict], list[str]]:
    """Per input file: read = valid + skipped + dead letters. Returns rows and the mismatches."""
    rows, problems = [], []
    for f in files:
        read, valid = stats["read"].get(f, 0), stats["valid"].get(f, 0)
        skipped, d = stats["skipped"].get(f, 0), dead.get(f, 0)
        rows.append({"path": f, "bytes": os.path.getsize(f), "read": read, "valid": valid,
                     "skipped_out_of_range": skipped, "dead_letters": d})
        if read != valid + skipped + d:
            problems.append(f"{f}: read {read} != valid {valid} + skipped {skipped} "
                            f"+ dead letters {d}")
    return rows, problems


def assemble(staging: Path) -> dict[tuple[str, str | None], Path]:
    """Move staged files into `_ready/<table>/<partition>/part-NNNNN.parquet` directories;
    an unpartitioned table with no rows gets an empty file, so it stays queryable."""
    groups: dict[tuple[str, str | None], list[Path]] = defaultdict(list)
    for f in staging.iterdir():
        m = STAGED.match(f.name)
        if m and f.is_file():
            groups[(m["table"], m["part"])].append(f)
    ready = {}
    for (table, part), files in sorted(groups.items(), key=lambda kv: (kv[0][0], kv[0][1] or "")):
        target = staging / "_ready" / table / (part or "")
        target.mkdir(parents=True, exist_ok=True)
        for i, f in enumerate(sorted(files)):
            f.rename(target / f"part-{i:05d}.parquet")
        ready[(table, part)] = target
    for table in TABLES:
        if not table.partition_by and not any(t == table.name for t, _ in ready):
            target = staging / "_ready" / table.name
            target.mkdir(parents=True, exist_ok=True)
            pq.write_table(table.schema.empty_table(), target / "part-00000.parquet")
            ready[(table.name, None)] = target
    return ready


def partition_day(partition: str) -> date:
    return date.fromisoformat(partition.split("=", 1)[1])


def plan_moves(ready: dict[tuple[str, str | None], Path], output: Path, trash: Path,
               replaced: dict[str, Iterable[date]] | None) -> tuple[list[list[str]], dict]:
    """The renames that publish `ready`: [src, dst] pairs, each partition's old copy out just
    before its new copy in. `replaced` maps a partitioned table to the days whose partitions
    this run owns (None: the run is the whole dataset and owns every partition)."""
    moves: list[list[str]] = []
    published: dict[str, list[str]] = {}
    for table in PARTITIONED:
        # None for a table in `replaced`: the run replaces it whole (a rerun's incidents)
        owned = (None if replaced is None or replaced.get(table, ()) is None
                 else set(replaced.get(table, ())))
        new = {part: src for (t, part), src in ready.items() if t == table and part}
        if owned is not None:
            stray = [p for p in new if partition_day(p) not in owned]
            if stray:
                raise ValueError(f"{table}: staged partitions {stray} outside the run's days")
        current = output / table
        old = sorted(p.name for p in current.iterdir()
                     if p.name.startswith("date=")) if current.is_dir() else []
        old = [p for p in old if owned is None or partition_day(p) in owned]
        for part in sorted(set(old) | set(new)):
            if part in old:
                moves.append([str(current / part), str(trash / table / part)])
            if part in new:
                moves.append([str(new[part]), str(current / part)])
        published[table] = sorted(new)
    for (table, part), src in sorted(ready.items(), key=lambda kv: kv[0][0]):
        if table not in PARTITIONED:          # unpartitioned: replaced whole
            if (output / table).exists():
                moves.append([str(output / table), str(trash / table)])
            moves.append([str(src), str(output / table)])
            published[table] = []
    return moves, published


def publish(staging: Path, moves: list[list[str]], manifest: dict) -> None:
    """Commit the run (write its journal), then carry the journal out."""
    steps = _Steps()
    staged_manifest = staging / "_manifest.json"
    staged_manifest.write_text(json.dumps(manifest, indent=2, sort_keys=True, default=str)
                               + "\n", encoding="utf-8")
    journal = {"staging": str(staging), "trash": str(trash_of(staging)), "moves": moves,
               "manifest": str(staged_manifest)}
    path = journal_of(staging)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(journal, indent=1) + "\n", encoding="utf-8")
    os.replace(tmp, path)                 # the commit point
    steps.step()
    _carry_out(path, journal, steps)


def trash_of(staging: Path) -> Path:
    return staging.with_name(f".trash-{_run_of(staging)}")


def _run_of(staging: Path) -> str:
    return staging.name.removeprefix(".staging-")


def journal_of(staging: Path) -> Path:
    return staging.with_name(f"{JOURNAL_PREFIX}{_run_of(staging)}.json")


def _carry_out(path: Path, journal: dict, steps: _Steps) -> int:
    """Make every rename of the journal not yet made, then delete what it superseded. Safe to
    run again after a kill at any point: a made rename is seen as made and skipped."""
    made = 0
    manifest = Path(journal["manifest"])
    if manifest.exists():         # it goes last: while it is staged, renames may be left
        for src, dst in journal["moves"]:
            s, d = Path(src), Path(dst)
            # made before the kill (each partition's old copy leaves before its new one
            # comes, so a destination that exists is this journal's doing), or nothing to move
            if d.exists() or not s.exists():
                continue
            d.parent.mkdir(parents=True, exist_ok=True)
            s.rename(d)
            made += 1
            steps.step()
        os.replace(manifest, path.parent / "_manifest.json")   # readers see old or new
        made += 1
        steps.step()
    for scratch in (journal["trash"], journal["staging"]):
        if Path(scratch).exists():
            shutil.rmtree(scratch)
            steps.step()
    path.unlink()
    steps.step()
    return made


def recover(output: Path) -> list[str]:
    """Finish or discard what killed runs left in `output`; say what was done. Call it
    holding the lock, before anything else touches the output."""
    said = []
    if not output.is_dir():
        return said
    for path in sorted(output.glob(f"{JOURNAL_PREFIX}*.json")):
        journal = json.loads(path.read_text(encoding="utf-8"))
        made = _carry_out(path, journal, _Steps(faults=False))   # recovery: no fault point
        said.append(f"finished publishing interrupted run {_run_of(Path(journal['staging']))}"
                    f" ({made} renames left): the output is that run's")
    for child in sorted(output.iterdir()):
        if child.name.startswith(JOURNAL_PREFIX) and child.suffix == ".tmp":
            child.unlink()                 # a journal never committed
        elif child.is_dir() and child.name.startswith(".staging-"):
            shutil.rmtree(child)           # never committed: the output is as it was
            said.append(f"discarded unpublished run {_run_of(child)}: the output is as before it")
        elif child.is_dir() and child.name.startswith(".trash-"):
            said.append(_restore_trash(output, child))
    return said


def _restore_trash(output: Path, trash: Path) -> str:
    """A trash directory without a journal (left by a version before journals): put back
    each partition that is missing from the output, then delete the rest."""
    restored = 0
    for table in sorted(p for p in trash.iterdir() if p.is_dir()):
        parts = [p for p in table.iterdir() if p.name.startswith("date=")]
        if not parts and not (output / table.name).exists():
            table.rename(output / table.name)
            restored += 1
        for part in parts:
            if not (output / table.name / part.name).exists():
                (output / table.name).mkdir(exist_ok=True)
                part.rename(output / table.name / part.name)
                restored += 1
    shutil.rmtree(trash)
    return f"restored {restored} partitions from {trash.name}"

