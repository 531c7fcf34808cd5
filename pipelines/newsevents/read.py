"""ReadArticles: input files -> valid, de-duplicated articles, dead letters and read counts."""
from __future__ import annotations

from datetime import datetime

import apache_beam as beam
from apache_beam import pvalue
from apache_beam.io import fileio
from apache_beam.io.filesystem import CompressionTypes
from apache_beam.metrics import Metrics

from newsevents.records import duplicate_letter, is_text_file, iter_jsonl, parse_text_file
from schemas import Article, DeadLetter

DEAD_LETTERS = "dead_letters"
STATS = "stats"


@beam.typehints.with_output_types(tuple[str, tuple])
class ReadRecordsFn(beam.DoFn):
    """One input file -> (article id, (source, line, article)), dead letters, and a count."""

    def __init__(self, published_at: datetime | None, max_bytes: int):
        self.published_at = published_at
        self.max_bytes = max_bytes
        self.read = Metrics.counter(self.__class__, "records_read")
        self.dead = Metrics.counter(self.__class__, "dead_letters")

    def _records(self, readable):
        source = readable.metadata.path
        # Decompression is ours, not Beam's, so a corrupt .gz becomes a dead letter.
        with readable.open(compression_type=CompressionTypes.UNCOMPRESSED) as fh:
            if is_text_file(source):
                yield None, parse_text_file(fh.read(), source, self.published_at,
                                            max_bytes=self.max_bytes)
            else:
                yield from iter_jsonl(fh, source, max_bytes=self.max_bytes)

    def process(self, readable):
        source, n = readable.metadata.path, 0
        for line, record in self._records(readable):
            n += 1
            if isinstance(record, DeadLetter):
                self.dead.inc()
                yield pvalue.TaggedOutput(DEAD_LETTERS, record.model_dump())
            else:
                yield record.id, (source, line, record)
        self.read.inc(n)
        yield pvalue.TaggedOutput(STATS, (("read", source), n))


@beam.typehints.with_output_types(tuple[str, Article])
class KeepFirstFn(beam.DoFn):
    """Of the articles sharing an id, keep the first by (file, line); the rest are dead letters.

    Reading order is not stable across runners, file order is: this makes the choice
    deterministic.
    """

    def process(self, element):
        _, copies = element
        copies = sorted(copies, key=lambda c: (c[0], c[1] or 0))
        first_source, first_line, article = copies[0]
        yield first_source, article
        for source, line, dup in copies[1:]:
            yield pvalue.TaggedOutput(
                DEAD_LETTERS,
                duplicate_letter(dup, source, line, first_source, first_line).model_dump())


class ReadArticles(beam.PTransform):
    """files (a list of paths) -> {'articles': (source, Article), DEAD_LETTERS, STATS}."""

    def __init__(self, files: list[str], published_at: datetime | None, max_bytes: int):
        super().__init__()
        if not files:
            raise TypeError("ReadArticles needs at least one file")
        self.files = sorted(files)
        self.published_at = published_at
        self.max_bytes = max_bytes

    def expand(self, pbegin):
        read = (
            pbegin
            | "ListFiles" >> beam.Create(self.files)
            | "MatchFiles" >> fileio.MatchAll()
            | "OpenFiles" >> fileio.ReadMatches()
            | "ParseRecords" >> beam.ParDo(ReadRecordsFn(self.published_at, self.max_bytes))
            .with_outputs(DEAD_LETTERS, STATS, main="records"))
        unique = (
            read.records
            | "GroupById" >> beam.GroupByKey()
            | "KeepFirstOfId" >> beam.ParDo(KeepFirstFn()).with_outputs(
                DEAD_LETTERS, main="articles"))
        dead = ((read[DEAD_LETTERS], unique[DEAD_LETTERS])
                | "AllReadDeadLetters" >> beam.Flatten())
        return {"articles": unique.articles, DEAD_LETTERS: dead, STATS: read[STATS]}
