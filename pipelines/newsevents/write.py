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
    """Rows -> one Parquet file; with batched, each record is a list of rows."""

    def __init__(self, schema: pa.Schema, batched: bool = False):
        self.schema = schema
        self.batched = batched
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
        if self.batched:
            self._rows.extend(record)
        else:
            self._rows.append(record)
        if len(self._rows) >= ROWS_PER_CONVERSION:
            self._convert()

    def _convert(self):
        # Whole batches of ROWS_PER_CONVERSION rows, however the rows arrived: row groups stay
        # at ROWS_PER_BATCH rows, the file the same whether rows come one or a list at a time.
        rows, n = self._rows, ROWS_PER_CONVERSION
        while len(rows) >= n:
            self._batches.append(pa.RecordBatch.from_pylist(rows[:n], schema=self.schema))
            del rows[:n]
            self._buffered += n
            if self._buffered >= ROWS_PER_BATCH:
                self._write_batches()

    def _write_batches(self):
        if self._batches:
            # one row group, byte for byte what one table of the same rows would write
            self._writer.write_table(pa.Table.from_batches(self._batches, schema=self.schema))
            self._batches = []
            self._buffered = 0

    def flush(self):
        # WriteToFiles calls flush once, just before it closes the file: write the footer.
        if self._rows:
            self._batches.append(pa.RecordBatch.from_pylist(self._rows, schema=self.schema))
            self._rows = []
        self._write_batches()
        self._writer.close()


def staged_name(table: str, partition: str | None) -> str:
    return f"{table}{PART_SEPARATOR}{partition}" if partition else table


class WriteTable(beam.PTransform):
    """Rows of one table -> `<staging>/<table>@<partition>-*.parquet`.

    With batched, each element is a list of rows of one partition (one article's events):
    the sink's cost per element, a window lookup and a partition name, is paid per list.
    """

    def __init__(self, staging: str, table: str, schema: pa.Schema,
                 partition: Callable[[dict], str] | None = None, batched: bool = False):
        super().__init__()
        self.staging, self.table, self.schema, self.partition = staging, table, schema, partition
        self.batched = batched

    def expand(self, rows):
        table, partition, schema, batched = self.table, self.partition, self.schema, self.batched

        def destination(record):
            row = record[0] if batched else record
            return staged_name(table, partition(row) if partition else None)

        if not isinstance(rows.windowing.windowfn, GlobalWindows):
            # one file per partition, not per window and partition
            rows = rows | "Unwindow" >> beam.WindowInto(GlobalWindows())
        return rows | "WriteParquet" >> fileio.WriteToFiles(
            path=self.staging,
            destination=destination,
            sink=lambda _dest: ParquetSink(schema, batched),
            file_naming=fileio.destination_prefix_naming(".parquet"))


def date_partition(field: str) -> Callable[[dict], str]:
    return lambda row: f"date={row[field]:%Y-%m-%d}"
