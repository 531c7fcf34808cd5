"""CountEventsByLocation: event rows -> counts per window, event type and location."""
from __future__ import annotations

import apache_beam as beam
from apache_beam.transforms.window import FixedWindows, TimestampedValue

from newsevents.events import LOCATION_KEY_FIELDS, count_keys


def article_counts(rows: list[dict]) -> list[tuple[tuple, tuple[int, str]]]:
    """One article's event rows -> ((event_type, *location), (sentences, article_id)) per key.

    Summed within the article first, so that Beam carries one element per article and key
    instead of one per row and label; the totals are the same."""
    sentences: dict[tuple, int] = {}
    for row in rows:
        for key, _ in count_keys(row):
            sentences[key] = sentences.get(key, 0) + 1
    article_id = rows[0]["article_id"]
    return [(key, (n, article_id)) for key, n in sentences.items()]


class CountSentencesAndArticles(beam.CombineFn):
    """(sentences, distinct articles) for one key in one window."""

    def create_accumulator(self):
        return 0, set()

    def add_input(self, acc, value):
        n, articles = acc
        sentences, article_id = value
        articles.add(article_id)
        return n + sentences, articles

    def merge_accumulators(self, accs):
        n, articles = 0, set()
        for k, a in accs:
            n += k
            articles |= a
        return n, articles

    def extract_output(self, acc):
        return acc[0], len(acc[1])


class FormatCountFn(beam.DoFn):
    def process(self, element, window=beam.DoFn.WindowParam):
        (event_type, *location), (sentences, articles) = element
        row = {
            "window_start": window.start.to_utc_datetime(has_tz=True),
            "window_end": window.end.to_utc_datetime(has_tz=True),
            "event_type": event_type,
            "sentence_count": sentences,
            "article_count": articles,
        }
        row.update(zip(LOCATION_KEY_FIELDS, location))
        yield row


class CountEventsByLocation(beam.PTransform):
    """Lists of event rows, one list per article (as ExtractEvents gives them) -> count rows.

    All rows of a list share the article's published_at, so the list is stamped and windowed
    once, as a whole."""

    def __init__(self, window_seconds: int):
        super().__init__()
        if window_seconds <= 0:
            raise TypeError(f"window_seconds must be positive, got {window_seconds}")
        self.window_seconds = window_seconds

    def expand(self, events):
        return (
            events
            | "EventTime" >> beam.Map(
                lambda rows: TimestampedValue(rows, rows[0]["published_at"].timestamp()))
            | "Window" >> beam.WindowInto(FixedWindows(self.window_seconds))
            | "KeyByTypeAndLocation" >> beam.FlatMap(article_counts)
            | "Count" >> beam.CombinePerKey(CountSentencesAndArticles())
            | "FormatCounts" >> beam.ParDo(FormatCountFn()))
