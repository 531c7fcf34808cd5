"""Articles -> event rows, with the classifier and gazetteer loaded once per worker.

ExtractEvents is the public composite (newsevents.ExtractEvents: Articles or dicts -> event
records, for a user's own pipeline); ExtractEventLists is `newsevents run`'s (one list of
rows per article, with the read's sources, dead letters and counts). Both run
ExtractEventsFn."""
from __future__ import annotations

import gc
import traceback

import apache_beam as beam
from apache_beam import pvalue
from apache_beam.metrics import Metrics
from apache_beam.transforms.window import GlobalWindow, TimestampedValue
from apache_beam.utils.timestamp import MIN_TIMESTAMP
from apache_beam.utils.windowed_value import WindowedValue

from newsevents.api import ExtractOptions, event_record, to_article
from newsevents.events import extract_events
from newsevents.pipeline.read import DEAD_LETTERS, STATS
from newsevents.schemas import Article
from newsevents.schemas.dead_letter import RAW_LIMIT

GC_YOUNG_THRESHOLD = 50_000


def fewer_collections():
    """Extraction allocates and frees millions of small tuples and dicts, none of them in a
    cycle: at Python's default (a collection every 700 net allocations) the collector took a
    noticeable share of the CPU, even with the loaded gazetteer frozen out of its walks.
    Output is unaffected; memory hardly (cyclic garbage waits for 50,000 allocations
    instead of 700)."""
    young, *older = gc.get_threshold()
    if 0 < young < GC_YOUNG_THRESHOLD:
        gc.set_threshold(GC_YOUNG_THRESHOLD, *older)


class ExtractEventsFn(beam.DoFn):
    def __init__(self, keep_all: bool, options: ExtractOptions | None = None):
        self.keep_all = keep_all
        self.options = options or ExtractOptions(keep_all_sentences=keep_all)
        self.sentences = Metrics.counter(self.__class__, "sentences")
        self.events = Metrics.counter(self.__class__, "events")
        self.failed = Metrics.counter(self.__class__, "processing_errors")

    def setup(self):
        # Heavy state, once per worker process, not per bundle or element.
        self.classifier, self.geoparser = self.options.build(check=False)
        fewer_collections()

    def start_bundle(self):
        # Counts are summed per bundle and sent in finish_bundle: one element per key and
        # bundle instead of a dozen per article, each of which Beam would carry to the sum.
        self._stats = {}

    def process(self, element):
        source, article = element
        try:
            rows, n_sentences, language, has_rules = extract_events(
                article, self.classifier, self.geoparser, self.keep_all)
        except Exception as e:  # noqa: BLE001 - routed to dead letters, counted, never dropped
            self.failed.inc()
            yield pvalue.TaggedOutput(DEAD_LETTERS, {
                "source": source, "line": None, "raw": article.model_dump_json()[:RAW_LIMIT],
                "error_type": "processing_error",
                "error": f"article '{article.id}': {type(e).__name__}: {e} "
                         f"({traceback.extract_tb(e.__traceback__)[-1].name})"})
            return
        self.sentences.inc(n_sentences)
        self.events.inc(len(rows))
        stats = self._stats
        for key, n in ((("valid", source), 1), (("sentences", ""), n_sentences),
                       (("event_rows", ""), len(rows)), (("languages", language), 1),
                       (("languages_without_rules", language), 0 if has_rules else 1)):
            stats[key] = stats.get(key, 0) + n
        for row in rows:
            for label in row["labels"]:
                stats[("events", label)] = stats.get(("events", label), 0) + 1
        if rows:
            # One element per article, not per row (11 rows on average): Beam's cost per
            # element downstream (counting, the file sink's window lookup) was ~8% of the CPU.
            yield rows

    def finish_bundle(self):
        # Articles are in the global window (the read does not window them): so are their counts.
        for key, n in self._stats.items():
            yield pvalue.TaggedOutput(STATS, WindowedValue((key, n), MIN_TIMESTAMP,
                                                           [GlobalWindow()]))
        self._stats = {}


class ExtractEventLists(beam.PTransform):
    """`newsevents run`'s extraction: (source, Article) -> {'events': lists of row dicts, one
    list per article with events, DEAD_LETTERS, STATS}."""

    def __init__(self, keep_all: bool = False):
        super().__init__()
        self.keep_all = keep_all

    def expand(self, articles):
        out = articles | "SplitClassifyLocate" >> beam.ParDo(
            ExtractEventsFn(self.keep_all)).with_outputs(DEAD_LETTERS, STATS, main="events")
        return {"events": out.events, DEAD_LETTERS: out[DEAD_LETTERS], STATS: out[STATS]}


class ToArticlesFn(beam.DoFn):
    """Articles or dicts -> (source, Article), or a dead letter as `newsevents run` writes
    for the same record."""

    def __init__(self, source: str, max_bytes: int):
        self.source = source
        self.max_bytes = max_bytes
        self.invalid = Metrics.counter(self.__class__, "invalid_records")

    def process(self, record):
        parsed = to_article(record, self.source, self.max_bytes)
        if isinstance(parsed, Article):
            yield self.source, parsed
        else:
            self.invalid.inc()
            yield pvalue.TaggedOutput(DEAD_LETTERS, parsed.model_dump())


def _event_records(rows: list[dict]):
    """An article's rows -> its event records, each at its article's time (published_at),
    for a user's windows."""
    for row in rows:
        yield TimestampedValue(event_record(row), row["published_at"].timestamp())


def _fail(dead_letter: dict):
    raise ValueError(f"newsevents.ExtractEvents: {dead_letter['error_type']}: "
                     f"{dead_letter['error']} (ExtractEvents().with_dead_letters() "
                     "keeps them as an output instead)")


class ExtractEvents(beam.PTransform):
    """Articles (newsevents.Article, or dicts with id, text, published_at and optionally
    language, title, url, source) -> event records: a dict per sentence with a label (per
    sentence, with keep_all_sentences) in the shape of newsevents.Event, timestamped with
    its article's published_at.

        events = articles | ExtractEvents(ExtractOptions(keep_all_sentences=True))

    A record that `newsevents run` would dead-letter (a missing field, a date without a time
    zone) fails the pipeline with its reason; `.with_dead_letters()` returns
    (events, dead_letters) instead, the dead letters as dicts in the shape of DeadLetter.
    The classifier and the gazetteer load once per worker (ExtractOptions injects others)."""

    def __init__(self, options: ExtractOptions | None = None):
        super().__init__()
        if options is not None and not isinstance(options, ExtractOptions):
            from apache_beam.options.pipeline_options import PipelineOptions
            if not isinstance(options, PipelineOptions):
                raise TypeError("ExtractEvents takes newsevents.ExtractOptions or Beam "
                                f"PipelineOptions, not {type(options).__name__}")
            options = ExtractOptions.from_pipeline_options(options)
        self.options = options or ExtractOptions()
        self._dead_letters = False
        if self.options.classifier is None:
            # the taxonomy the workers will load, checked here, once: one line, not a trace
            from newsevents.taxonomy.schema import ensure_valid
            ensure_valid()

    def with_dead_letters(self) -> "ExtractEvents":
        """The same extraction, giving (events, dead_letters), as Beam's
        with_exception_handling gives (good, bad)."""
        copy = ExtractEvents(self.options)
        copy._dead_letters = True
        return copy

    def expand(self, records):
        articles = records | "ToArticles" >> beam.ParDo(ToArticlesFn(
            "ExtractEvents", self.options.max_article_bytes)).with_outputs(
                DEAD_LETTERS, main="articles")
        extracted = articles.articles | "SplitClassifyLocate" >> beam.ParDo(
            ExtractEventsFn(self.options.keep_all_sentences, self.options)).with_outputs(
                DEAD_LETTERS, STATS, main="events")
        events = extracted.events | "EventRecords" >> beam.FlatMap(_event_records)
        dead = ((articles[DEAD_LETTERS], extracted[DEAD_LETTERS])
                | "DeadLetters" >> beam.Flatten())
        if self._dead_letters:
            return events, dead
        _ = dead | "FailOnDeadLetter" >> beam.Map(_fail)
        return events
