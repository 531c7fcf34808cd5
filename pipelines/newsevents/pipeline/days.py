"""The days a run owns: which articles it keeps, which partitions it replaces, and, for a
rerun by date, the published events it reads back so that whole count windows are recounted
and the incidents found again over every event.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import apache_beam as beam

from newsevents.options import UsageError
from newsevents.pipeline.count import ORIGIN, count_partitions
from newsevents.pipeline.read import STATS
from newsevents.schemas import EVENT_SCHEMA
from newsevents.tables import EVENTS, INCIDENTS, LOCATION_COUNTS

# on a read-back row: the incident_id it was published with (a day whose rows' ids change is
# written again)
STORED_INCIDENT = "stored_incident_id"


@dataclass(frozen=True)
class Scope:
    """What a run owns in its output. `replaced`: per partitioned table, the days whose
    partitions it replaces (None: the whole dataset; None for a table: all of it, the
    incidents). `others`: the events files of every day the run does not own, read back
    whole, so that the incidents are found over every event (any day's events can join an
    incident) and a recounted window holds all its events; `count_days`: the location_counts
    partitions the run writes at least. A rerun also writes again the events of the days
    whose rows' incident_id changed, and recounts their windows (pipeline._run_locked adds
    them to `replaced`)."""
    replaced: dict[str, frozenset[date] | None] | None = None
    others: tuple[str, ...] = ()

    @property
    def count_days(self) -> frozenset[date] | None:
        return None if self.replaced is None else self.replaced[LOCATION_COUNTS.name]


def scope_of(output: Path, days: frozenset[date] | None, window_seconds: int) -> Scope:
    """A rerun by date recounts every window that touches its days; refused where the output
    was counted in other windows (its manifest says)."""
    if days is None:
        return Scope()
    manifest = output / "_manifest.json"
    before = json.loads(manifest.read_text(encoding="utf-8")) if manifest.exists() else None
    if before is not None:
        window = before.get("window_seconds")
        origin = before.get("window_origin", "1970-01-01T00:00:00+00:00")
        aligned = (ORIGIN - datetime.fromisoformat(origin)).total_seconds() % window_seconds
        if window != window_seconds or aligned:
            raise UsageError(f"{output} was counted in other windows ({window} s from "
                             f"{origin}): a rerun by date must use the same --window; run "
                             "without --date/--since/--until to recount everything")
    parts = count_partitions(set(days), window_seconds)
    others = sorted(str(f) for f in (output / EVENTS.name).glob("date=*/*.parquet")
                    if date.fromisoformat(f.parent.name.split("=", 1)[1]) not in days)
    return Scope({EVENTS.name: days, LOCATION_COUNTS.name: frozenset(parts),
                  INCIDENTS.name: None}, tuple(others))


class KeepDays(beam.PTransform):
    """Keep the articles published on the given UTC days; count the others as skipped."""

    def __init__(self, days: frozenset[date] | None):
        super().__init__()
        self.days = days

    def expand(self, articles):
        days = self.days

        def split(element):
            source, article = element
            if days is None or article.published_at.date() in days:
                yield element
            else:
                yield beam.pvalue.TaggedOutput(STATS, (("skipped", source), 1))

        out = articles | "InDateRange" >> beam.FlatMap(split).with_outputs(STATS, main="kept")
        return {"articles": out.kept, STATS: out[STATS]}


class ReadPublishedEventRows(beam.PTransform):
    """Events files already published -> one list of whole rows per article (every column
    of the events table, null where an older file lacks it), in sentence order, each row also
    holding the incident_id it was published with (STORED_INCIDENT)."""

    def __init__(self, files: tuple[str, ...]):
        super().__init__()
        self.files = files

    def expand(self, pbegin):
        return (pbegin
                | "Files" >> beam.Create(self.files)
                | "Read" >> beam.io.ReadAllFromParquet()
                | "AsRows" >> beam.Map(_as_row)
                | "ByArticle" >> beam.GroupBy(lambda row: row["article_id"])
                | "AsLists" >> beam.MapTuple(
                    lambda _, rows: sorted(rows, key=lambda r: r["sentence_index"])))


def _as_row(found: dict) -> dict:
    row = {c: found.get(c) for c in EVENT_SCHEMA.names}
    row[STORED_INCIDENT] = found.get("incident_id")
    return row


def _changed_days(element):
    """(day, the day's read-back article lists) -> the lists, without STORED_INCIDENT, where
    any row's incident_id changed: the day's partition is then written again, whole."""
    _, lists = element
    lists = list(lists)
    if any(r["incident_id"] != r[STORED_INCIDENT] for rows in lists for r in rows):
        for rows in lists:
            yield [{k: v for k, v in r.items() if k != STORED_INCIDENT} for r in rows]


class KeepChangedDays(beam.PTransform):
    """Read-back article lists with their incident ids found again -> those of the days
    where an id changed (a rerun's incidents took in or let go of one of their rows)."""

    def expand(self, lists):
        return (lists
                | "ByDay" >> beam.GroupBy(lambda rows: f"{rows[0]['published_at']:%Y-%m-%d}")
                | "IfChanged" >> beam.FlatMap(_changed_days))


def is_read_back(rows: list[dict], _n: int = 2) -> int:
    """beam.Partition's index: 1 for a read-back article list, 0 for the run's own."""
    return 1 if STORED_INCIDENT in rows[0] else 0
