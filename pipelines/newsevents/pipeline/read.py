"""ReadArticles: input files -> valid, de-duplicated articles, dead letters and read counts.

Memory stays flat with the input: articles stream from the files straight into extraction.
Only ids and positions are grouped, to find repeated ids; the articles are then read again
and a repeat is dead-lettered where it stands. Large JSON Lines files are read in chunks
(planned at line boundaries) so that several workers share one file.
"""
from __future__ import annotations

import os
from datetime import datetime

import apache_beam as beam
from apache_beam import pvalue
from apache_beam.metrics import Metrics

from newsevents.progress import chunk_read
from newsevents.records import duplicate_letter, is_text_file, iter_jsonl, parse_text_file
from newsevents.schemas import Article, DeadLetter

DEAD_LETTERS = "dead_letters"
STATS = "stats"
# The DirectRunner deals a stage's chunks round-robin to its workers, once, with no stealing,
# so the busier worker sets the wall time: many small chunks share the work evenly, and a
# chunk costs only one file open and seek.
CHUNK_BYTES = 1 << 18


def plan_chunks(path: str, chunk_bytes: int = CHUNK_BYTES) -> list[tuple[str, int, int | None, int]]:
    """(path, start byte, end byte or None for the end, number of the first line). Compressed
    and .txt files are one chunk; a JSON Lines file is cut after a newline every chunk_bytes."""
    size = os.path.getsize(path)
    if is_text_file(path) or path.endswith(".gz") or size <= chunk_bytes:
        return [(path, 0, None, 1)]
    chunks, start, line = [], 0, 1
    with open(path, "rb") as fh:
        while True:
            fh.seek(start + chunk_bytes)
            fh.readline()                       # finish the line the boundary falls in
            end = fh.tell()
            if end >= size:
                chunks.append((path, start, None, line))
                return chunks
            fh.seek(start)
            lines = 0
            remaining = end - start
            while remaining:                    # count the chunk's lines, block by block
                block = fh.read(min(remaining, 1 << 20))
                lines += block.count(b"\n")
                remaining -= len(block)
            chunks.append((path, start, end, line))
            start, line = end, line + lines


def read_chunk(chunk, published_at: datetime | None, max_bytes: int,
               language: str | None = None):
    """(line, Article | DeadLetter) for every record of one chunk; `published_at` and
    `language` are a .txt article's (JSON Lines records carry their own)."""
    path, start, end, first_line = chunk
    with open(path, "rb") as fh:
        if is_text_file(path):
            yield None, parse_text_file(fh.read(), path, published_at, max_bytes=max_bytes,
                                        language=language)
        else:
            yield from iter_jsonl(fh, path, max_bytes=max_bytes, start=start, end=end,
                                  first_line=first_line)


@beam.typehints.with_output_types(tuple[str, tuple])
class RecordIdsFn(beam.DoFn):
    """First pass: a chunk -> (article id, (source, line)) for each valid article."""

    def __init__(self, published_at: datetime | None, max_bytes: int,
                 language: str | None = None):
        self.published_at = published_at
        self.max_bytes = max_bytes
        self.language = language

    def process(self, chunk):
        for line, record in read_chunk(chunk, self.published_at, self.max_bytes,
                                               self.language):
            if isinstance(record, Article):
                yield record.id, (chunk[0], line or 0)


def repeats(element):
    """(id, positions) -> ((source, line) of each repeat, (source, line) of the first)."""
    _, positions = element
    first, *rest = sorted(positions)
    for position in rest:
        yield position, first


@beam.typehints.with_output_types(tuple[str, Article])
class ReadRecordsFn(beam.DoFn):
    """Second pass: a chunk -> (source, Article), dead letters (repeats among them), counts.

    Of the articles sharing an id the first by (file, line) is kept: file order is stable
    across runners, reading order is not.
    """

    def __init__(self, published_at: datetime | None, max_bytes: int,
                 language: str | None = None):
        self.published_at = published_at
        self.max_bytes = max_bytes
        self.language = language
        self.read = Metrics.counter(self.__class__, "records_read")
        self.dead = Metrics.counter(self.__class__, "dead_letters")

    def process(self, chunk, repeated: dict):
        source, n = chunk[0], 0
        for line, record in read_chunk(chunk, self.published_at, self.max_bytes,
                                               self.language):
            n += 1
            if isinstance(record, Article) and (source, line or 0) in repeated:
                first_source, first_line = repeated[(source, line or 0)]
                record = duplicate_letter(record, source, line, first_source, first_line or None)
            if isinstance(record, DeadLetter):
                self.dead.inc()
                yield pvalue.TaggedOutput(DEAD_LETTERS, record.model_dump())
            else:
                yield source, record
        self.read.inc(n)
        end = chunk[2] if chunk[2] is not None else os.path.getsize(source)
        chunk_read(end - chunk[1], n)
        yield pvalue.TaggedOutput(STATS, (("read", source), n))


class ReadArticles(beam.PTransform):
    """files (a list of paths) -> {'articles': (source, Article), DEAD_LETTERS, STATS}."""

    def __init__(self, files: list[str], published_at: datetime | None, max_bytes: int,
                 chunk_bytes: int = CHUNK_BYTES, language: str | None = None):
        super().__init__()
        if not files:
            raise TypeError("ReadArticles needs at least one file")
        self.files = sorted(files)
        self.published_at = published_at
        self.max_bytes = max_bytes
        self.chunk_bytes = chunk_bytes
        self.language = language        # of .txt articles; None: detected

    def expand(self, pbegin):
        chunks = (pbegin
                  | "PlanChunks" >> beam.Create(
                      [c for f in self.files for c in plan_chunks(f, self.chunk_bytes)])
                  | "SpreadChunks" >> beam.Reshuffle())     # lets several workers share them
        repeated = (chunks
                    | "ReadIds" >> beam.ParDo(RecordIdsFn(self.published_at, self.max_bytes,
                                                           self.language))
                    | "GroupIds" >> beam.GroupByKey()
                    | "FindRepeats" >> beam.FlatMap(repeats))
        read = (chunks
                | "ParseRecords" >> beam.ParDo(ReadRecordsFn(self.published_at, self.max_bytes,
                                                         self.language),
                                               repeated=beam.pvalue.AsDict(repeated))
                .with_outputs(DEAD_LETTERS, STATS, main="articles"))
        return {"articles": read.articles, DEAD_LETTERS: read[DEAD_LETTERS], STATS: read[STATS]}
