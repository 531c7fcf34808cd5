"""The date a sentence says its event happened: a pure function over its lower-case tokens,
resolved against the article's publication day (never the wall clock).

The words are data, per language, in taxonomy/<language>/dates.yaml: weekdays, months,
phrases that name a day by its distance from publication ("yesterday", "anoche"), the words
that make a weekday the previous one ("last Tuesday", "el martes pasado") or a future one
("next Tuesday"), the weekend. Resolution:
- a weekday is the latest such day on or before the publication day ("on Tuesday" in an
  article of Thursday: two days before); with "last"/"pasado", strictly before it;
- a day and month without a year is the latest such date not after publication ("on 30
  December" in an article of 2 January: the year before);
- a date with its year stands as written, unless it is after publication (then no date).
The first expression in the sentence decides: news sentences put the event's time first or
right after the verb far more often than a second, background date.

A library such as dateparser reads absolute dates in many languages, but its cost per call and
its handling of bare weekdays (relative to the wall clock unless told otherwise) paid for
nothing here: the expressions that matter in news are these few relative ones.
"""
from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache
from typing import NamedTuple

from newsevents.taxonomy import FOLDER, read_yaml
from newsevents.text.classify import tokenize

STATED = "stated"
ARTICLE = "article"         # stated by an earlier event sentence of the article
PUBLISHED = "published"


class _Words(NamedTuple):
    weekdays: dict[str, int]
    months: dict[str, int]
    relative: dict[tuple[str, ...], int]   # phrase as tokens -> days from publication
    longest: int                           # the longest relative or weekend phrase, in tokens
    starts: frozenset[str]                 # the first words of the relative and weekend phrases
    last_before: frozenset[str]
    last_after: frozenset[str]
    future_before: frozenset[str]
    weekend: frozenset[tuple[str, ...]]
    day_month_joiners: frozenset[str]
    ordinal_endings: tuple[str, ...]
    year_joiners: frozenset[str]
    reporting: frozenset[str]
    word_months: frozenset[str]
    month_prepositions: frozenset[str]
    reporting_span: int


def _phrase(text: str) -> tuple[str, ...]:
    return tuple(t[0] for t in tokenize(str(text).lower()))


@lru_cache(maxsize=16)
def words(language: str) -> _Words | None:
    """A language's date words, or None where its taxonomy has none."""
    path = FOLDER / language / "dates.yaml"
    if not path.is_file():
        return None
    data = (read_yaml(path) or {}).get("dates")
    if not data:
        return None
    relative = {_phrase(k): int(v) for k, v in (data.get("relative") or {}).items()}
    weekend = frozenset(_phrase(w) for w in data.get("weekend") or ())
    sets = {k: frozenset(str(w).lower() for w in data.get(k) or ())
            for k in ("last_before", "last_after", "future_before", "day_month_joiners",
                      "year_joiners", "reporting", "word_months", "month_prepositions")}
    return _Words(weekdays={str(k).lower(): int(v) for k, v in data["weekdays"].items()},
                  months={str(k).lower(): int(v) for k, v in data["months"].items()},
                  relative=relative,
                  longest=max([len(p) for p in [*relative, *weekend]] or [1]),
                  starts=frozenset(p[0] for p in [*relative, *weekend] if p),
                  weekend=weekend,
                  ordinal_endings=tuple(str(e).lower() for e in data.get("ordinal_endings")
                                        or ()),
                  reporting_span=int(data.get("reporting_span", 0)),
                  **sets)


def _day_number(w: _Words, low: list[str], i: int) -> tuple[int | None, int]:
    """1-31 from "9" (or "9" "th": the tokenizer cuts an ordinal's ending off), and the
    index after it."""
    token = low[i]
    if not (token.isdigit() and len(token) <= 2 and 1 <= int(token) <= 31):
        return None, i
    i += 1
    if i < len(low) and low[i] in w.ordinal_endings:
        i += 1
    return int(token), i


def _year(token: str) -> int | None:
    return int(token) if len(token) == 4 and token.isdigit() and token[:2] in ("19", "20") \
        else None


def _weekday_date(day: int, published: date, strictly_before: bool) -> date:
    back = (published.weekday() - day) % 7
    if back == 0 and strictly_before:
        back = 7
    return published - timedelta(back)


def _day_month(day: int, month: int, year: int | None, published: date) -> date | None:
    """The date, the latest not after publication where the year is not given."""
    try:
        if year is not None:
            found = date(year, month, day)
            return found if found <= published else None
        found = date(published.year, month, day)
        return found if found <= published else date(published.year - 1, month, day)
    except ValueError:          # 31 June, 29 February of another year
        return None


def _date_after(w: _Words, low: list[str], i: int, published: date) -> tuple[date | None, int]:
    """A day-month date starting at token i ("9 May", "9th of May", "May 9", "9 de mayo",
    with a year after), and the index after it; (None, i) where none starts there."""
    n = len(low)
    day, j = _day_number(w, low, i)
    if day is not None:                          # 9 [th] [of|de] May [[,|de] 2019]
        if j < n and low[j] in w.day_month_joiners:
            j += 1
        if j < n and low[j] in w.months:
            return _with_year(w, low, j + 1, day, w.months[low[j]], published)
        return None, i
    month = w.months.get(low[i])
    if low[i] in w.word_months and (i == 0 or low[i - 1] not in w.month_prepositions):
        return None, i                           # "may 5 times", not "on May 5"
    if month is not None and i + 1 < n:          # May 9[th] [[,] 2019]
        day, j = _day_number(w, low, i + 1)
        if day is not None:
            return _with_year(w, low, j, day, month, published)
    return None, i


def _with_year(w: _Words, low: list[str], j: int, day: int, month: int,
               published: date) -> tuple[date | None, int]:
    n = len(low)
    k = j + 1 if j < n and low[j] in w.year_joiners else j
    year = _year(low[k]) if k < n else None
    if year is not None:
        j = k + 1
    return _day_month(day, month, year, published), j


def _dates(w: _Words, low: list[str], published: date):
    """(token index, date) of every past date the tokens state, in order."""
    n = len(low)
    i = 0
    while i < n:
        token = low[i]
        future = i > 0 and low[i - 1] in w.future_before
        found = None
        # phrases first, the longest (only where one starts: most tokens start none)
        for size in range(min(w.longest, n - i) if token in w.starts else 0, 0, -1):
            phrase = tuple(low[i:i + size])
            if phrase in w.relative:
                found = published + timedelta(w.relative[phrase])
                break
            if phrase in w.weekend:
                if not future:
                    found = _weekday_date(5, published, i > 0 and low[i - 1] in w.last_before)
                break
        if found is None and not future and token in w.weekdays:
            last = (i > 0 and low[i - 1] in w.last_before) or (
                i + 1 < n and low[i + 1] in w.last_after)
            found = _weekday_date(w.weekdays[token], published, last)
        if found is None and (token[:1].isdigit() or token in w.months):
            found, after = _date_after(w, low, i, published)
            if after > i:
                if found is not None and not future:
                    yield i, found
                i = after
                continue
        if found is not None:
            yield i, found
        i += 1


def stated_date_of_tokens(low: list[str], language: str, published: date) -> date | None:
    """The date the sentence (its lower-case tokens) says its event happened, or None: the
    first date it states that is not the date of the report itself ("police said on
    Tuesday"), else that one."""
    w = words(language)
    if w is None:
        return None
    reported = None
    for i, found in _dates(w, low, published):
        window = low[max(0, i - w.reporting_span):i]
        if not any(t in w.reporting for t in window):
            return found
        if reported is None:
            reported = found
    return reported


def stated_date(text: str, language: str, published: date) -> date | None:
    """stated_date_of_tokens for a sentence's text."""
    return stated_date_of_tokens([t[0] for t in tokenize(text)], language, published)


def event_date(low: list[str], language: str, published: date) -> tuple[date, str]:
    """(the event's date, `stated` or `published`): the stated date where the sentence
    gives one, else the publication day."""
    found = stated_date_of_tokens(low, language, published)
    return (found, STATED) if found is not None else (published, PUBLISHED)
