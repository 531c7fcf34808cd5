"""ExtractEvents: articles -> event rows, with the classifier and gazetteer loaded once per worker."""
from __future__ import annotations

import gc
import traceback

import apache_beam as beam
from apache_beam import pvalue
from apache_beam.metrics import Metrics
from apache_beam.transforms.window import GlobalWindow
from apache_beam.utils.timestamp import MIN_TIMESTAMP
from apache_beam.utils.windowed_value import WindowedValue

from newsevents.events import extract_events
from newsevents.pipeline.read import DEAD_LETTERS, STATS
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
    def __init__(self, keep_all: bool):
        self.keep_all = keep_all
        self.sentences = Metrics.counter(self.__class__, "sentences")
        self.events = Metrics.counter(self.__class__, "events")
        self.failed = Metrics.counter(self.__class__, "processing_errors")

    def setup(self):
        # Heavy state, once per worker process, not per bundle or element.
        from newsevents.text.classify import Classifier
        from newsevents.text.geoparse import Geoparser
        self.classifier = Classifier()
        self.geoparser = Geoparser()
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


class ExtractEvents(beam.PTransform):
    """(source, Article) -> {'events': lists of row dicts, one list per article with events,
    DEAD_LETTERS, STATS}."""

    def __init__(self, keep_all: bool = False):
        super().__init__()
        self.keep_all = keep_all

    def expand(self, articles):
        out = articles | "SplitClassifyLocate" >> beam.ParDo(
            ExtractEventsFn(self.keep_all)).with_outputs(DEAD_LETTERS, STATS, main="events")
        return {"events": out.events, DEAD_LETTERS: out[DEAD_LETTERS], STATS: out[STATS]}
