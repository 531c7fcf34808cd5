"""CountEventsByLocation: event rows -> counts per window, event type and location."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import apache_beam as beam
from apache_beam.transforms.combiners import TupleCombineFn
from apache_beam.utils.windowed_value import WindowedValue

from newsevents.events import LOCATION_KEY_FIELDS, count_keys

EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
# Windows are aligned to a Monday midnight, so that a week runs Monday to Sunday (ISO weeks)
# and a day, or an hour, starts on the hour (the Unix epoch was a Thursday).
ORIGIN = datetime(1970, 1, 5, tzinfo=timezone.utc)
_ORIGIN_MICROS = (ORIGIN - EPOCH) // timedelta(microseconds=1)
_DAY = 86_400_000_000


def window_start(published_at: datetime, window_seconds: int) -> int:
    """Start of the fixed window holding published_at, in microseconds since the epoch:
    FixedWindows' arithmetic with the Monday origin as offset, exact in integers."""
    micros = (published_at - EPOCH) // timedelta(microseconds=1)
    return micros - (micros - _ORIGIN_MICROS) % (window_seconds * 1_000_000)


def _micros(day: date) -> int:
    return (day - EPOCH.date()).days * _DAY


def _day(micros: int) -> date:
    return EPOCH.date() + timedelta(days=micros // _DAY)


def count_partitions(days: set[date], window_seconds: int) -> set[date]:
    """The location_counts partitions (days a window starts on) whose windows hold any
    instant of `days`: those a rerun of `days` must recompute."""
    w = window_seconds * 1_000_000
    parts = set()
    for d in days:
        lo = _micros(d)
        first = lo - (lo - _ORIGIN_MICROS) % w          # the window holding d's first instant
        parts.add(_day(first))
        if (first if first == lo else first + w) < lo + _DAY:
            parts.add(d)                                 # a window starts on d itself
    return parts


def window_days(partitions: set[date], window_seconds: int) -> set[date]:
    """Every day that a window starting in `partitions` covers: the events a recount of
    those partitions needs."""
    w = window_seconds * 1_000_000
    days = set()
    for p in partitions:
        lo = _micros(p)
        last = lo + _DAY - 1
        last -= (last - _ORIGIN_MICROS) % w              # the last window starting on p
        if last < lo:
            continue
        days.update(p + timedelta(n) for n in range((_day(last + w - 1) - p).days + 1))
    return days


def article_counts(rows: list[dict], window_seconds: int) -> list[tuple[tuple, tuple[int, int]]]:
    """One article's event rows -> ((window start, event_type, *location), (sentences, 1))
    per key.

    Summed within the article first, so that Beam carries one element per article and key
    instead of one per row and label, and each element is one article: ReadArticles lets an
    id through once, so counting elements counts distinct articles without keeping their
    ids (a set of ids per key grew with the input: +250 MB at 160,000 articles)."""
    start = window_start(rows[0]["published_at"], window_seconds)
    sentences: dict[tuple, int] = {}
    for row in rows:
        for key in count_keys(row):
            sentences[key] = sentences.get(key, 0) + 1
    return [((start, *key), (n, 1)) for key, n in sentences.items()]


@beam.typehints.with_output_types(tuple[tuple, tuple[int, int]])
class SumPerBundleFn(beam.DoFn):
    """article_counts, summed over the bundle in a dict per Beam window and sent when the
    bundle ends (or when a dict is full): Beam's combiner, called once per article and key,
    cost about twice as much (profiled)."""

    MAX_KEYS = 50_000         # sent early beyond this many keys: memory stays bounded

    def __init__(self, window_seconds: int):
        self.window_seconds = window_seconds

    def start_bundle(self):
        self._sums: dict = {}     # Beam window -> {key: (sentences, articles)}

    def process(self, rows, window=beam.DoFn.WindowParam):
        sums = self._sums.setdefault(window, {})
        for key, (n, a) in article_counts(rows, self.window_seconds):
            s = sums.get(key)
            sums[key] = (n, a) if s is None else (s[0] + n, s[1] + a)
        if len(sums) >= self.MAX_KEYS:
            yield from sums.items()
            del self._sums[window]

    def finish_bundle(self):
        for window, sums in self._sums.items():
            for element in sums.items():
                yield WindowedValue(element, window.max_timestamp(), [window])
        self._sums = {}


def count_row(element, window_seconds: int) -> dict:
    (start, event_type, *location), (sentences, articles) = element
    row = {
        "window_start": EPOCH + timedelta(microseconds=start),
        "window_end": EPOCH + timedelta(microseconds=start, seconds=window_seconds),
        "event_type": event_type,
        "sentence_count": sentences,
        "article_count": articles,
    }
    row.update(zip(LOCATION_KEY_FIELDS, location))
    return row


class CountEventsByLocation(beam.PTransform):
    """Lists of event rows, one list per article (as ExtractEvents gives them) -> count rows
    per fixed window of published_at, event type and location.

    The window is part of the key rather than a Beam window (WindowInto(FixedWindows)):
    the counts are the same in a batch run, and Beam's per-element window handling cost a
    measurable share of the whole pipeline's time (docs/speed.md)."""

    def __init__(self, window_seconds: int):
        super().__init__()
        if window_seconds <= 0:
            raise TypeError(f"window_seconds must be positive, got {window_seconds}")
        self.window_seconds = window_seconds

    def expand(self, events):
        window = self.window_seconds
        return (
            events
            | "KeyByWindowTypeAndLocation" >> beam.ParDo(SumPerBundleFn(window))
            | "Count" >> beam.CombinePerKey(TupleCombineFn(sum, sum))   # sentences, articles
            | "FormatCounts" >> beam.Map(count_row, window))
