"""The days a run owns: which articles it keeps, which partitions it replaces, and, for a
rerun by date, the published events it reads back so that whole count windows are recounted.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import apache_beam as beam

from newsevents.events import LOCATION_KEY_FIELDS
from newsevents.options import UsageError
from newsevents.pipeline.count import ORIGIN, count_partitions, window_days
from newsevents.pipeline.read import STATS
from newsevents.tables import EVENTS, LOCATION_COUNTS


@dataclass(frozen=True)
class Scope:
    """What a run owns in its output. `replaced`: per partitioned table, the days whose
    partitions it replaces (None: the whole dataset). `reread`: events files of untouched days
    whose count windows the run recomputes, read back so that a window's counts hold all its
    events; `count_days`: the location_counts partitions the run writes."""
    replaced: dict[str, frozenset[date]] | None = None
    reread: tuple[str, ...] = ()

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
    others = window_days(parts, window_seconds) - days
    reread = sorted(str(f) for d in others
                    for f in (output / EVENTS.name / f"date={d}").glob("*.parquet"))
    return Scope({EVENTS.name: days, LOCATION_COUNTS.name: frozenset(parts)},
                 tuple(reread))


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
    """Events files already published -> one list of rows per article, as ExtractEvents
    gives them, with the columns the counts need. A column that older files lack (the
    district) is null in their rows: their counts key it so."""

    COLUMNS = ["article_id", "published_at", "labels", *LOCATION_KEY_FIELDS]

    def __init__(self, files: tuple[str, ...]):
        super().__init__()
        self.files = files

    def expand(self, pbegin):
        return (pbegin
                | "Files" >> beam.Create(self.files)
                | "Read" >> beam.io.ReadAllFromParquet(columns=self.COLUMNS)
                | "NullWhereMissing" >> beam.Map(_with_columns, self.COLUMNS)
                | "ByArticle" >> beam.GroupBy(lambda row: row["article_id"])
                | "AsLists" >> beam.MapTuple(lambda _, rows: list(rows)))   # sums: any order


def _with_columns(row: dict, columns: list[str]) -> dict:
    """The row with every column, null where its file lacks it (pyarrow reads the columns a
    file has of those asked)."""
    return row if len(row) == len(columns) else {c: row.get(c) for c in columns}
