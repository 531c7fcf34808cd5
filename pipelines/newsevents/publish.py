"""Staging and publishing a run's output, and its manifest. Runs in the driver, not in Beam.

A run writes only inside `OUTPUT/.staging-<run>/`. Only after the pipeline has succeeded and
the counts reconcile are its partitions renamed into place, one directory rename each, so a
reader (or a run killed with -9) never sees a half-written partition. A later run removes
what a killed one left behind.
"""
from __future__ import annotations

import json
import os
import re
import shutil
from collections import defaultdict
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq


PARTITIONED = ("events", "location_counts")
_STAGED = re.compile(r"^(?P<table>[a-z_]+)(?:@(?P<part>[a-z]+=\d{4}-\d{2}-\d{2}))?-.*\.parquet$")
_LEFTOVER = re.compile(r"^\.(staging|trash)-")


def clean_leftovers(output: Path) -> list[str]:
    """Remove staging and trash directories of earlier runs that did not finish."""
    removed = []
    if output.is_dir():
        for child in output.iterdir():
            if child.is_dir() and _LEFTOVER.match(child.name):
                shutil.rmtree(child, ignore_errors=True)
                removed.append(child.name)
    return removed


def read_stats(staging: Path) -> dict:
    """The pipeline's count records (`_stats*` JSON lines) -> nested counts."""
    counts: dict = {"read": {}, "valid": {}, "skipped": {}, "events": {},
                    "sentences": 0, "event_rows": 0}
    for f in sorted(staging.glob("_stats*")):
        for line in f.read_text(encoding="utf-8").splitlines():
            kind, key, n = json.loads(line)
            if isinstance(counts[kind], int):
                counts[kind] += n
            else:
                counts[kind][key] = counts[kind].get(key, 0) + n
    return counts


def dead_letter_counts(staging: Path) -> dict[str, int]:
    per_source: dict[str, int] = defaultdict(int)
    for f in staging.glob("dead_letters-*.parquet"):
        for source in pq.read_table(f, columns=["source"]).column("source").to_pylist():
            per_source[source] += 1
    return dict(per_source)


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


def _assemble(staging: Path) -> dict[tuple[str, str | None], Path]:
    """Move staged files into `_ready/<table>/<partition>/part-NNNNN.parquet` directories."""
    groups: dict[tuple[str, str | None], list[Path]] = defaultdict(list)
    for f in staging.iterdir():
        m = _STAGED.match(f.name)
        if m and f.is_file():
            groups[(m["table"], m["part"])].append(f)
    ready = {}
    for (table, part), files in sorted(groups.items(), key=lambda kv: (kv[0][0], kv[0][1] or "")):
        target = staging / "_ready" / table / (part or "")
        target.mkdir(parents=True, exist_ok=True)
        for i, f in enumerate(sorted(files)):
            f.rename(target / f"part-{i:05d}.parquet")
        ready[(table, part)] = target
    return ready


def _in_days(partition: str, days: set[date] | None) -> bool:
    if days is None:
        return True
    return date.fromisoformat(partition.split("=", 1)[1]) in days


def publish(staging: Path, output: Path, days: set[date] | None,
            empty_tables: dict[str, pa.Schema]) -> dict[str, list[str]]:
    """Rename the staged partitions into `output`.

    Without `days` the run is the whole dataset: every partition of a table is replaced.
    With `days` only the partitions of those days are replaced (or removed, when the rerun
    of a day found nothing), so a scheduled rerun of a day touches nothing else.
    """
    ready = _assemble(staging)
    for table, schema in empty_tables.items():  # keep every table queryable, even if empty
        if not any(t == table for t, _ in ready):
            target = staging / "_ready" / table
            target.mkdir(parents=True, exist_ok=True)
            pq.write_table(schema.empty_table(), target / "part-00000.parquet")
            ready[(table, None)] = target
    trash = output / f".trash-{staging.name.removeprefix('.staging-')}"
    trash.mkdir(parents=True)
    published: dict[str, list[str]] = defaultdict(list)
    for table in PARTITIONED:
        current = output / table
        if current.is_dir():  # partitions of the days this run owns, and no others, go
            for part in sorted(p.name for p in current.iterdir() if p.name.startswith("date=")):
                if _in_days(part, days):
                    (trash / table).mkdir(exist_ok=True)
                    (current / part).rename(trash / table / part)
        for (t, part), src in sorted(ready.items(), key=lambda kv: (kv[0][0], kv[0][1] or "")):
            if t == table and part:
                current.mkdir(parents=True, exist_ok=True)
                src.rename(current / part)
                published[table].append(part)
    for (table, part), src in ready.items():  # unpartitioned: replaced whole
        if table not in PARTITIONED:
            if (output / table).exists():
                (output / table).rename(trash / table)
            src.rename(output / table)
            published[table] = []
    shutil.rmtree(trash, ignore_errors=True)
    return dict(published)


def write_manifest(output: Path, manifest: dict) -> Path:
    path = output / "_manifest.json"
    tmp = output / "._manifest.json.tmp"
    tmp.write_text(json.dumps(manifest, indent=2, sort_keys=True, default=str) + "\n",
                   encoding="utf-8")
    os.replace(tmp, path)  # atomic: readers see the old manifest or the new one
    return path
