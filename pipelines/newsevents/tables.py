"""The output's tables, each written once: name, Arrow schema, partition column, file names.

Every module that writes, publishes, summarises or reports a table takes it from here, so a
table is renamed, added or re-partitioned in one place.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.dataset as ds

from newsevents.schemas import (DEAD_LETTER_SCHEMA, EVENT_SCHEMA, INCIDENT_SCHEMA,
                                LOCATION_COUNT_SCHEMA)

# Beam's file sink cannot make directories, so a staged file carries its table and
# partition in its flat name: `events@date=2019-02-23-00000-of-00001.parquet`.
PART_SEPARATOR = "@"
STATS_PREFIX = "_stats"        # the run's count records, JSON lines beside the staged files


@dataclass(frozen=True)
class Table:
    name: str
    schema: pa.Schema
    partition_by: str | None = None   # a timestamp (its UTC day) or date column names the partition

    def partition(self, row: dict) -> str | None:
        return f"date={row[self.partition_by]:%Y-%m-%d}" if self.partition_by else None

    def staged_name(self, partition: str | None) -> str:
        return f"{self.name}{PART_SEPARATOR}{partition}" if partition else self.name

    def read(self, output: Path, columns: list[str] | None = None) -> pa.Table | None:
        """The table as published in `output` (the columns it has of those asked), or None
        where it was never written or holds no partition.

        Read with the table's own columns, whatever the file the dataset's schema is taken
        from: a column added since (the district) is null in older files, not missing
        from the table or dropped from newer files."""
        path = Path(output) / self.name
        if not path.is_dir():
            return None
        dataset = ds.dataset(path, format="parquet", partitioning="hive")
        if not dataset.schema.names:
            return None
        fragments = list(dataset.get_fragments())
        if len({f.physical_schema for f in fragments}) > 1:
            return _read_merged(fragments, columns or self.schema.names + [
                n for n in dataset.schema.names if n not in self.schema.names])
        found = dataset.schema
        # the files' own types where they have the column (a taxonomy with other labels
        # has another `scores` struct), then what they have beyond the table's (the partition)
        dataset = dataset.replace_schema(pa.schema(
            [found.field(f.name) if f.name in found.names else f for f in self.schema]
            + [f for f in found if f.name not in self.schema.names]))
        if columns is not None:
            columns = [c for c in columns if c in dataset.schema.names]
        return dataset.to_table(columns=columns)


def _read_merged(fragments: list, columns: list[str]) -> pa.Table:
    """Files written by different versions (a column or a struct field added since: the
    district, a flag's cue): each read whole, then merged, what a file lacks null."""
    tables = []
    for fragment in fragments:
        table = fragment.to_table()
        for key, value in ds.get_partition_keys(fragment.partition_expression).items():
            table = table.append_column(key, pa.array([value] * len(table)))
        tables.append(table)
    merged = pa.concat_tables(tables, promote_options="permissive")
    return merged.select([c for c in columns if c in merged.schema.names])


EVENTS = Table("events", EVENT_SCHEMA, "published_at")
LOCATION_COUNTS = Table("location_counts", LOCATION_COUNT_SCHEMA, "window_start")
DEAD_LETTERS = Table("dead_letters", DEAD_LETTER_SCHEMA)
INCIDENTS = Table("incidents", INCIDENT_SCHEMA, "event_date")
TABLES = (EVENTS, LOCATION_COUNTS, INCIDENTS, DEAD_LETTERS)
PARTITIONED = tuple(t.name for t in TABLES if t.partition_by)

STAGED = re.compile(rf"^(?P<table>{'|'.join(t.name for t in TABLES)})"
                    rf"(?:{PART_SEPARATOR}(?P<part>date=\d{{4}}-\d{{2}}-\d{{2}}))?-.*\.parquet$")
