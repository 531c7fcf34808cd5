"""WriteTable: rows -> Parquet files in the staging directory, through Beam's file sink.

Beam's WriteToFiles writes temporary files and renames them on commit, so retried bundles
do not duplicate output. It cannot create Hive partition folders (its final rename does not
make directories), so each file carries its table and partition in its flat name,
`events@date=2019-02-23-....parquet`, and `newsevents.publish` moves it into place.
"""
from __future__ import annotations

from collections.abc import Callable

import apache_beam as beam
import pyarrow as pa
import pyarrow.parquet as pq
from apache_beam.io import fileio
from apache_beam.transforms.window import GlobalWindows

ROWS_PER_BATCH = 8_192  # rows buffered per open file: row groups big enough, memory bounded
# Rows are held as Python dicts only this long, then as Arrow: tens of thousands of nested
# dicts waiting for their row group cost memory and garbage-collector passes over them all.
ROWS_PER_CONVERSION = 1_024   # divides ROWS_PER_BATCH: row groups stay 8,192 rows
PART_SEPARATOR = "@"


class ParquetSink(fileio.FileSink):
    def __init__(self, schema: pa.Schema):
        self.schema = schema
        self._writer = None
        self._rows = []
        self._batches = []
        self._buffered = 0

    def open(self, fh):
        self._writer = pq.ParquetWriter(fh, self.schema, compression="zstd")
        self._rows = []
        self._batches = []
        self._buffered = 0

    def write(self, record):
        self._rows.append(record)
        if len(self._rows) >= ROWS_PER_CONVERSION:
            self._convert()
            if self._buffered >= ROWS_PER_BATCH:
                self._write_batch()

    def _convert(self):
        if self._rows:
            self._batches.append(pa.RecordBatch.from_pylist(self._rows, schema=self.schema))
            self._buffered += len(self._rows)
            self._rows = []

    def _write_batch(self):
        self._convert()
        if self._batches:
            # one row group, byte for byte what one table of the same rows would write
            self._writer.write_table(pa.Table.from_batches(self._batches, schema=self.schema))
            self._batches = []
            self._buffered = 0

    def flush(self):
        # WriteToFiles calls flush once, just before it closes the file: write the footer.
        self._write_batch()
        self._writer.close()


def staged_name(table: str, partition: str | None) -> str:
    return f"{table}{PART_SEPARATOR}{partition}" if partition else table


class WriteTable(beam.PTransform):
    """Rows of one table -> `<staging>/<table>@<partition>-*.parquet`."""

    def __init__(self, staging: str, table: str, schema: pa.Schema,
                 partition: Callable[[dict], str] | None = None):
        super().__init__()
        self.staging, self.table, self.schema, self.partition = staging, table, schema, partition

    def expand(self, rows):
        table, partition, schema = self.table, self.partition, self.schema
        return (
            rows
            | "Unwindow" >> beam.WindowInto(GlobalWindows())
            | "WriteParquet" >> fileio.WriteToFiles(
                path=self.staging,
                destination=lambda row: staged_name(table, partition(row) if partition else None),
                sink=lambda _dest: ParquetSink(schema),
                file_naming=fileio.destination_prefix_naming(".parquet")))


def date_partition(field: str) -> Callable[[dict], str]:
    return lambda row: f"date={row[field]:%Y-%m-%d}"
