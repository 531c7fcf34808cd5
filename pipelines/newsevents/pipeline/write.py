"""WriteTable: rows -> Parquet files in the staging directory, through Beam's file sink.

Beam's WriteToFiles writes temporary files and renames them on commit, so retried bundles
do not duplicate output. It cannot create Hive partition folders (its final rename does not
make directories), so each file carries its table and partition in its flat name
(`newsevents.tables`), and `newsevents.pipeline.publish` moves it into place.
"""
from __future__ import annotations

import apache_beam as beam
import pyarrow as pa
import pyarrow.parquet as pq
from apache_beam.io import fileio
from apache_beam.transforms.window import GlobalWindows

from newsevents.tables import Table

ROWS_PER_BATCH = 8_192  # rows buffered per open file: row groups big enough, memory bounded
# Rows are held as Python dicts only this long, then as Arrow: tens of thousands of nested
# dicts waiting for their row group cost memory and garbage-collector passes over them all.
ROWS_PER_CONVERSION = 1_024   # divides ROWS_PER_BATCH: row groups stay 8,192 rows


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


class WriteTable(beam.PTransform):
    """Rows of one table -> `<staging>/<table>@<partition>-*.parquet` (Table.staged_name).

    With batched, each element is a list of rows of one partition (one article's events):
    the sink's cost per element, a window lookup and a partition name, is paid per list.
    """

    def __init__(self, staging: str, table: Table, batched: bool = False):
        super().__init__()
        self.staging, self.table, self.batched = staging, table, batched

    def expand(self, rows):
        table, batched = self.table, self.batched
        schema = table.schema

        def destination(record):
            return table.staged_name(table.partition(record[0] if batched else record))

        if not isinstance(rows.windowing.windowfn, GlobalWindows):
            # one file per partition, not per window and partition
            rows = rows | "Unwindow" >> beam.WindowInto(GlobalWindows())
        return rows | "WriteParquet" >> fileio.WriteToFiles(
            path=self.staging,
            destination=destination,
            sink=lambda _dest: ParquetSink(schema, batched),
            file_naming=fileio.destination_prefix_naming(".parquet"))
