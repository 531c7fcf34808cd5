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


COUNT_BY = ("published_at", "event_date")


def count_instant(published_at: datetime, event_date: date | None,
                  count_by: str = "published_at") -> datetime:
    """The instant an event is counted at: its article's publication time, or (count_by
    event_date) the start of its event's UTC day."""
    if count_by == "event_date" and event_date is not None:
        return datetime(event_date.year, event_date.month, event_date.day, tzinfo=timezone.utc)
    return published_at


def count_time(row: dict, count_by: str = "published_at") -> datetime:
    """count_instant of an events row."""
    return count_instant(row["published_at"], row.get("event_date"), count_by)


def article_counts(rows: list[dict], window_seconds: int, count_by: str = "published_at"
                   ) -> list[tuple[tuple, tuple[int, int, int]]]:
    """One article's event rows -> ((window start, event_type, *location), (sentences, 1, 0))
    per key (the third figure, incidents, is counted apart: FindIncidents).

    Summed within the article first, so that Beam carries one element per article and key
    instead of one per row and label, and each element is one article: ReadArticles lets an
    id through once, so counting elements counts distinct articles without keeping their
    ids (a set of ids per key grew with the input: +250 MB at 160,000 articles)."""
    if count_by == "published_at":
        start = window_start(rows[0]["published_at"], window_seconds)
        sentences: dict[tuple, int] = {}
        for row in rows:
            for key in count_keys(row):
                sentences[key] = sentences.get(key, 0) + 1
        return [((start, *key), (n, 1, 0)) for key, n in sentences.items()]
    # by event date, an article's rows fall in several windows: still one article per key
    keyed: dict[tuple, int] = {}
    for row in rows:
        start = window_start(count_time(row, count_by), window_seconds)
        for key in count_keys(row):
            keyed[(start, *key)] = keyed.get((start, *key), 0) + 1
    return [(key, (n, 1, 0)) for key, n in keyed.items()]


@beam.typehints.with_output_types(tuple[tuple, tuple[int, int, int]])
class SumPerBundleFn(beam.DoFn):
    """article_counts, summed over the bundle in a dict per Beam window and sent when the
    bundle ends (or when a dict is full): Beam's combiner, called once per article and key,
    cost about twice as much (profiled)."""

    MAX_KEYS = 50_000         # sent early beyond this many keys: memory stays bounded

    def __init__(self, window_seconds: int, count_by: str = "published_at"):
        self.window_seconds = window_seconds
        self.count_by = count_by

    def start_bundle(self):
        self._sums: dict = {}     # Beam window -> {key: (sentences, articles)}

    def process(self, rows, window=beam.DoFn.WindowParam):
        sums = self._sums.setdefault(window, {})
        for key, (n, a, i) in article_counts(rows, self.window_seconds, self.count_by):
            s = sums.get(key)
            sums[key] = (n, a, i) if s is None else (s[0] + n, s[1] + a, s[2] + i)
        if len(sums) >= self.MAX_KEYS:
            yield from sums.items()
            del self._sums[window]

    def finish_bundle(self):
        for window, sums in self._sums.items():
            for element in sums.items():
                yield WindowedValue(element, window.max_timestamp(), [window])
        self._sums = {}


def count_row(element, window_seconds: int, with_incidents: bool = True) -> dict:
    (start, event_type, *location), (sentences, articles, incidents) = element
    row = {
        "window_start": EPOCH + timedelta(microseconds=start),
        "window_end": EPOCH + timedelta(microseconds=start, seconds=window_seconds),
        "event_type": event_type,
        "sentence_count": sentences,
        "article_count": articles,
        "incident_count": incidents if with_incidents else None,
    }
    row.update(zip(LOCATION_KEY_FIELDS, location))
    return row


class CountEventsByLocation(beam.PTransform):
    """Lists of event rows, one list per article (as ExtractEvents gives them), and
    FindIncidents' count keys -> count rows per fixed window of published_at (or, count_by event_date,
    of the event's day), event type and location: sentences, articles, distinct incidents.

    The window is part of the key rather than a Beam window (WindowInto(FixedWindows)):
    the counts are the same in a batch run, and Beam's per-element window handling cost a
    measurable share of the whole pipeline's time (docs/speed.md)."""

    def __init__(self, window_seconds: int, count_by: str = "published_at",
                 incidents=None):
        super().__init__()
        if window_seconds <= 0:
            raise TypeError(f"window_seconds must be positive, got {window_seconds}")
        if count_by not in COUNT_BY:
            raise TypeError(f"count_by must be one of {COUNT_BY}, got {count_by!r}")
        self.window_seconds = window_seconds
        self.count_by = count_by
        # FindIncidents' (key, (0, 0, 1)), one per incident and key; None: no incidents
        # (null counts)
        self.incidents = incidents

    def expand(self, events):
        window, by = self.window_seconds, self.count_by
        sums = events | "KeyByWindowTypeAndLocation" >> beam.ParDo(SumPerBundleFn(window, by))
        if self.incidents is None:
            return (sums
                    | "Count" >> beam.CombinePerKey(TupleCombineFn(sum, sum, sum))
                    | "FormatCounts" >> beam.Map(count_row, window, False))
        return (
            (sums, self.incidents)
            | "SentencesAndIncidents" >> beam.Flatten()
            # sentences, articles, incidents
            | "Count" >> beam.CombinePerKey(TupleCombineFn(sum, sum, sum))
            | "FormatCounts" >> beam.Map(count_row, window))
