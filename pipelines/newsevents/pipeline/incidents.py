"""FindIncidents: event rows -> incidents (one row per real-world event); thin DoFns over the
pure functions of newsevents.incidents. attach_incident_ids: each events row's incident_id,
set in the staged files once the incidents are known.

    lists of rows (one per article)
      -> ToMembers: (block key, (member, home)) for the member's home block and its guest block
      -> GroupByBlock -> ClusterBlocks: (label, member) for each block's home members
      -> GroupByIncident -> BuildIncidents: incident rows; each incident's count keys, once;
         the days of read-back rows whose incident changed (a rerun)

The events rows themselves never wait for their incident: they are written as extraction
gives them, and the driver sets their incident_id in the staged files afterwards, a file at a
time (a join of every row with its id held every row of the run in the DirectRunner's
memory). Only the compact members are shuffled, and state is per block and per incident.
"""
from __future__ import annotations

import os
from collections import defaultdict
from datetime import date
from pathlib import Path

import apache_beam as beam
import pyarrow as pa
import pyarrow.parquet as pq
from apache_beam import pvalue
from apache_beam.metrics import Metrics

from newsevents.incidents import (as_datetime, block_keys, cluster_block, incident_row,
                                  members_of, row_incident)
from newsevents.pipeline.count import count_instant, window_start
from newsevents.pipeline.write import ROWS_PER_BATCH
from newsevents.tables import EVENTS, INCIDENTS, STAGED, Table

# The incidents as the pipeline stages them, in a few files: the driver reads them for the
# events' ids anyway and writes them by event_date (hundreds of days, a file each: through
# Beam's file sink each partition cost a writer, a temporary file and a rename per bundle)
UNSORTED_INCIDENTS = Table(INCIDENTS.name, INCIDENTS.schema)

COUNTED = "counted"     # ((window start, event_type, *location), (0, 0, 1)): incident_count
CHANGED = "changed"     # a read-back row's publication day (ISO) whose incident_id changed


def _members(rows: list[dict]):
    for row in rows:
        for m in members_of(row):
            for key, home in block_keys(m):
                yield key, (m, home)


class ClusterBlockFn(beam.DoFn):
    def __init__(self):
        self.blocks = Metrics.counter(self.__class__, "blocks")
        self.largest = Metrics.distribution(self.__class__, "block_size")

    def process(self, element):
        key, entries = element
        entries = list(entries)
        self.blocks.inc()
        self.largest.update(len(entries))
        yield from cluster_block(key, entries)


def count_keys_of(members, window_seconds: int, count_by: str) -> set[tuple]:
    """The (window start, event_type, *location) keys an incident counts once at: those of
    its members' rows (a member's time is its row's count time)."""
    return {(window_start(count_instant(as_datetime(m.published), date.fromordinal(m.day),
                                        count_by), window_seconds), m.event_type, *m.place)
            for m in members}


class BuildIncidentFn(beam.DoFn):
    def __init__(self, window_seconds: int, count_by: str):
        self.window_seconds, self.count_by = window_seconds, count_by
        self.incidents = Metrics.counter(self.__class__, "incidents")

    def process(self, element):
        _, members = element
        members = list(members)
        row = incident_row(members)
        self.incidents.inc()
        incident = row["incident_id"]
        # an incident is built once: its keys, made distinct here, count it once each
        for key in count_keys_of(members, self.window_seconds, self.count_by):
            yield pvalue.TaggedOutput(COUNTED, (key, (0, 0, 1)))
        for m in members:
            if m.stored is not None and m.stored != incident:
                yield pvalue.TaggedOutput(CHANGED, f"{as_datetime(m.published):%Y-%m-%d}")
        yield row


class FindIncidents(beam.PTransform):
    """Lists of event rows, one per article -> {'incidents': incident rows, COUNTED: each
    incident's count keys, CHANGED: days of read-back rows whose incident_id changed}."""

    def __init__(self, window_seconds: int, count_by: str = "published_at"):
        super().__init__()
        self.window_seconds, self.count_by = window_seconds, count_by

    def expand(self, events):
        out = (events
               | "ToMembers" >> beam.FlatMap(_members)
               | "GroupByBlock" >> beam.GroupByKey()
               | "ClusterBlocks" >> beam.ParDo(ClusterBlockFn())
               | "GroupByIncident" >> beam.GroupByKey()
               | "BuildIncidents" >> beam.ParDo(
                   BuildIncidentFn(self.window_seconds, self.count_by)).with_outputs(
                       COUNTED, CHANGED, main="incidents"))
        return {"incidents": out.incidents, COUNTED: out[COUNTED], CHANGED: out[CHANGED]}


# --- in the driver, once the pipeline has run -----------------------------------------------

def _staged(staging: Path, table: Table, partitioned: bool = True) -> list[Path]:
    return sorted(f for f in staging.iterdir()
                  if f.is_file() and (m := STAGED.match(f.name)) and m["table"] == table.name
                  and (m["part"] is not None) == partitioned)


def partition_incidents(staging: Path) -> dict[tuple[str, str], str]:
    """The staged UNSORTED_INCIDENTS files -> one staged file per event_date (rows sorted by
    incident_id); returns (event_type, event_id) -> incident_id (every incident has one
    member at least)."""
    files = _staged(staging, INCIDENTS, partitioned=False)
    if not files:
        return {}
    table = pa.concat_tables(pq.read_table(f, schema=INCIDENTS.schema) for f in files)
    for f in files:
        f.unlink()
    table = table.sort_by([("event_date", "ascending"), ("incident_id", "ascending")])
    days = table.column("event_date").to_pylist()
    start = 0
    for i in range(1, len(days) + 1):
        if i == len(days) or days[i] != days[start]:
            part = INCIDENTS.partition({"event_date": days[start]})
            _write(table.slice(start, i - start),
                   staging / f"{INCIDENTS.staged_name(part)}-00000.parquet")
            start = i
    ids: dict[tuple[str, str], str] = {}
    for incident, event_type, events in zip(*(table.column(c).to_pylist() for c in
                                              ("incident_id", "event_type", "event_ids"))):
        for e in events:
            ids[(event_type, e)] = incident
    return ids


def _ids_of(batch, ids: dict[tuple[str, str], str]) -> pa.Array:
    """A batch of events rows (labels, event_id) -> their incident_ids."""
    return pa.array([row_incident({"labels": labels, "event_id": e}, ids) for labels, e in
                     zip(batch.column("labels").to_pylist(),
                         batch.column("event_id").to_pylist())], pa.string())


def _write(table: pa.Table, path: Path) -> None:
    # the row groups ParquetSink writes; through a temporary name, as _rewrite
    tmp = path.with_name(path.name + ".tmp")
    pq.write_table(table, tmp, compression="zstd", row_group_size=ROWS_PER_BATCH)
    os.replace(tmp, path)


def _rewrite(src: Path, dst: Path, ids: dict[tuple[str, str], str]) -> None:
    """The events file `src` -> `dst` with its rows' incident_ids, a row group at a time (the
    same row groups; memory per row group, not per file). `src` may be `dst`."""
    tmp = dst.with_name(dst.name + ".tmp")
    # through a temporary name, so a crash leaves the staged file whole (the run is then
    # not published at all)
    with pq.ParquetFile(src) as source:
        schema = source.schema_arrow
        if "incident_id" not in schema.names:           # a file written before incidents
            schema = schema.append(pa.field("incident_id", pa.string()))
        at = schema.get_field_index("incident_id")
        writer = pq.ParquetWriter(tmp, schema, compression="zstd")
        for g in range(source.num_row_groups):
            group = source.read_row_group(g)
            new = _ids_of(group, ids)
            if "incident_id" in group.column_names:
                group = group.set_column(at, "incident_id", new)
            else:
                group = group.append_column("incident_id", new)
            writer.write_table(group)
        writer.close()
    os.replace(tmp, dst)


def _changed(src: str, ids: dict[tuple[str, str], str]) -> bool:
    """Whether a published events file's incident_ids differ from `ids`' (read by column)."""
    have = pq.read_schema(src).names
    table = pq.read_table(src, columns=[c for c in ("labels", "event_id", "incident_id")
                                        if c in have])
    old = (table.column("incident_id").to_pylist() if "incident_id" in have
           else [None] * len(table))
    return _ids_of(table, ids).to_pylist() != old


def attach_incident_ids(staging: Path, published: tuple[str, ...] = ()) -> int:
    """Write the staged incidents by event_date and set incident_id in every staged events
    file; of the `published` events files (a rerun's other days), stage again those of each
    day where an id changed, whole. Returns the number of incidents. Memory: the run's
    (type, event_id) -> incident_id map and one row group at a time."""
    ids = partition_incidents(staging)
    for f in _staged(staging, EVENTS):
        _rewrite(f, f, ids)
    by_day: dict[str, list[str]] = defaultdict(list)
    for name in published:
        by_day[Path(name).parent.name].append(name)
    for partition, files in sorted(by_day.items()):
        files = sorted(files)
        if any(_changed(f, ids) for f in files):
            for i, f in enumerate(files):
                _rewrite(Path(f),
                         staging / f"{EVENTS.staged_name(partition)}-reread-{i:05d}.parquet", ids)
    return len(set(ids.values()))
