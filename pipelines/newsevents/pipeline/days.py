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
from newsevents.incidents import LOCATION_FIELDS, STORED_INCIDENT
from newsevents.pipeline.count import ORIGIN, count_partitions
from newsevents.pipeline.read import STATS
from newsevents.tables import EVENTS, INCIDENTS, LOCATION_COUNTS


@dataclass(frozen=True)
class Scope:
    """What a run owns in its output. `replaced`: per partitioned table, the days whose
    partitions it replaces (None: the whole dataset; None for a table: all of it, the
    incidents). `others`: the events files of every day the run does not own, read back
    (the columns the counts and incidents need), so that the incidents are found over every
    event (any day's events can join an incident) and a recounted window holds all its
    events; `count_days`: the location_counts partitions the run writes at least. A rerun
    also recounts the windows of the days whose rows' incident_id changed, and the driver
    stages those days' events again with their new ids (pipeline._run_locked adds them to
    `replaced`)."""
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


class ReadPublishedEvents(beam.PTransform):
    """Events files already published -> one list of rows per article with the columns the
    counts and the incidents need (not the whole rows: they are not written again here),
    null where an older file lacks a column, each row holding the incident_id it was
    published with (STORED_INCIDENT)."""

    COLUMNS = ["event_id", "article_id", "published_at", "language", "text", "labels",
               "evidence", "locations", *LOCATION_FIELDS, "event_date", "event_date_source",
               "killed", "injured", "casualties_exact", "actor1_type", "actor2_type",
               "incident_id"]

    def __init__(self, files: tuple[str, ...]):
        super().__init__()
        self.files = files

    def expand(self, pbegin):
        return (pbegin
                | "Files" >> beam.Create(self.files)
                | "Read" >> beam.io.ReadAllFromParquet(columns=self.COLUMNS)
                | "AsRows" >> beam.Map(_as_row)
                | "ByArticle" >> beam.GroupBy(lambda row: row["article_id"])
                | "AsLists" >> beam.MapTuple(lambda _, rows: list(rows)))   # sums: any order


def _as_row(found: dict) -> dict:
    row = {c: found.get(c) for c in ReadPublishedEvents.COLUMNS}
    row[STORED_INCIDENT] = row.pop("incident_id")
    return row
