"""The dead and the wounded a sentence counts: a pure function over its tokens.

The words are data, per language, in taxonomy/<language>/actors.yaml (`casualties`): number
words, multipliers, vague quantities with the smallest number each can mean, qualifiers that
make a figure a bound, the words around a figure that make it something else (an age, a road, a
sum, a date) and the words that make it a count of the dead or the wounded, after the figure
("ten killed", "cinco muertos") or before it ("Clashes kill 4", "the toll rose to 27").

A figure is read where it stands: it counts the dead when a death word follows it within a few
words, or a verb or noun of killing stands a few words before it; the nearer side decides, a
word after on a tie. Figures joined by "and" before one casualty word ("four soldiers and two
civilians were killed") are added. Only the sentences that carry a violence label are read.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from newsevents.taxonomy import FOLDER, read_yaml
from newsevents.text.classify import tokenize

_AFTER = 5      # a casualty word this many words after a figure at most
_BEFORE = 4     # a killing verb this many words before it at most
_WEAK = 2       # a weak number word ("un") counts only with a casualty word this near
_QUALIFIED = 2  # a qualifier this many words before a figure makes it inexact
_PART = 2       # "including" this many words before a figure makes it a part of another

_DIGITS = re.compile(r"\d+|\d{1,3}(?:[.,]\d{3})+", re.ASCII)    # not "²"
_DECIMAL = re.compile(r"\d+[.,]\d+")


class Casualties(NamedTuple):
    killed: int | None
    injured: int | None
    exact: bool | None   # None where the sentence states no figure


NONE = Casualties(None, None, None)


class _Words(NamedTuple):
    numbers: dict[str, int]
    multipliers: dict[str, int]
    joiners: frozenset[str]
    part_of: frozenset[str]
    weak: frozenset[str]
    vague: dict[str, int]
    qualifiers: frozenset[str]
    not_after: frozenset[str]
    not_before: frozenset[str]
    killed_after: frozenset[str]
    injured_after: frozenset[str]
    killed_before: frozenset[str]
    injured_before: frozenset[str]


@lru_cache(maxsize=16)
def words(language: str) -> _Words | None:
    """A language's casualty words, or None where its taxonomy has none."""
    path = FOLDER / language / "actors.yaml"
    if not path.is_file():
        return None
    data = (read_yaml(path) or {}).get("casualties")
    if not data:
        return None
    sets = {k: frozenset(str(w).lower() for w in data.get(k) or ())
            for k in ("joiners", "weak", "part_of", "qualifiers", "not_after", "not_before",
                      "killed_after", "injured_after", "killed_before", "injured_before")}
    return _Words(numbers={str(k).lower(): int(v) for k, v in data["numbers"].items()},
                  multipliers={str(k).lower(): int(v) for k, v in data["multipliers"].items()},
                  vague={str(k).lower(): int(v) for k, v in data["vague"].items()}, **sets)


class _Figure(NamedTuple):
    value: int
    first: int      # its first and last token
    last: int
    exact: bool


def _word_value(w: _Words, word: str) -> int | None:
    if word in w.numbers:
        return w.numbers[word]
    if "-" in word:     # "twenty-five"
        parts = word.split("-")
        if all(p in w.numbers for p in parts):
            return sum(w.numbers[p] for p in parts)
    return None


def _figures(w: _Words, low: list[str]) -> list[_Figure]:
    """The numbers of a sentence, each with its tokens; years, decimals and sums excluded
    later (_is_count)."""
    out: list[_Figure] = []
    i, n = 0, len(low)
    while i < n:
        t = low[i]
        if _DIGITS.fullmatch(t):
            out.append(_Figure(int(re.sub(r"\D", "", t)), i, i, True))
            i += 1
            continue
        if t in w.vague:
            out.append(_Figure(w.vague[t], i, i, False))
            i += 1
            continue
        v = _word_value(w, t)
        if v is None and t in w.multipliers:     # "a dozen", "mil"
            v = 0
        if v is None:
            i += 1
            continue
        # a run of number words: units add, multipliers multiply, a joiner between a round
        # number and a smaller one adds ("one hundred and five", "treinta y dos")
        total, current, j = 0, 0, i
        while j < n:
            u = low[j]
            x = _word_value(w, u)
            if x is not None and (j == i or current == 0 or current % 10 == 0 and x < 10
                                  or current % 100 == 0 and x < 100):
                current += x
            elif u in w.multipliers:
                current = (current or 1) * w.multipliers[u]
                if w.multipliers[u] >= 1000:
                    total, current = total + current, 0
            elif (u in w.joiners and j + 1 < n and current and current % 10 == 0
                  and (_word_value(w, low[j + 1]) or 0) < current):
                pass
            else:
                break
            j += 1
        while j - 1 > i and low[j - 1] in w.joiners:     # a joiner not followed by a number
            j -= 1
        out.append(_Figure(total + current, i, j - 1, True))
        i = j
    return out


def _is_count(w: _Words, low: list[str], f: _Figure) -> bool:
    """Whether a figure can count people: not a year, a decimal, an age, a time, a sum, a
    road, a date or a calibre."""
    token = low[f.first]
    if f.first == f.last and token.isdigit() and len(token) == 4 and 1800 <= f.value <= 2100:
        return False
    if f.first > 0 and low[f.first - 1] in w.not_before:
        return False
    if f.last + 1 < len(low) and low[f.last + 1] in w.not_after:
        return False
    return f.value > 0


def _side(w: _Words, low: list[str], f: _Figure, blockers: set[int]) -> tuple[str, int, int]:
    """(side, distance, index of the word that decided) for a figure: side is 'killed' or
    'injured' from its nearest casualty word, 'next' where another figure joined by a joiner
    follows first, '' where none is near. Qualifiers ("at least") do not add to a distance."""
    after: tuple[str, int, int] = ("", 99, -1)
    weak = low[f.first] in w.weak and f.first == f.last
    limit = _WEAK if weak else _AFTER
    for k in range(f.last + 1, min(len(low), f.last + 1 + limit)):
        u = low[k]
        if k in blockers:
            if any(low[m] in w.joiners for m in range(f.last + 1, k)):
                after = ("next", k - f.last, k)
            break
        if u in w.killed_after:
            after = ("killed", k - f.last, k)
            break
        if u in w.injured_after:
            after = ("injured", k - f.last, k)
            break
    if weak:
        return after
    before: tuple[str, int, int] = ("", 99, -1)
    distance = 0
    k = f.first - 1
    while k >= 0 and distance < _BEFORE and k not in blockers:
        u = low[k]
        if u not in w.qualifiers:
            distance += 1
        if u in w.killed_before:
            before = ("killed", distance, k)
            break
        if u in w.injured_before:
            before = ("injured", distance, k)
            break
        k -= 1
    return before if before[1] < after[1] else after


def casualties_of_tokens(low: list[str], language: str) -> Casualties:
    """Killed, injured and whether both are exact, from a sentence's lower-case tokens."""
    w = words(language)
    if w is None:
        return NONE
    figures = [f for f in _figures(w, low) if _is_count(w, low, f)]
    if not figures:
        return NONE
    blockers = {k for f in _figures(w, low) for k in range(f.first, f.last + 1)}
    found = [_side(w, low, f, blockers) for f in figures]
    # a casualty word counts one figure, the nearest ("en un ataque murieron 5": the 5)
    nearest: dict[int, int] = {}
    for side, distance, k in found:
        if side in ("killed", "injured"):
            nearest[k] = min(distance, nearest.get(k, 99))
    sides = [side if side == "next" or k < 0 or nearest.get(k) == distance else ""
             for side, distance, k in found]
    # a figure joined to the next one takes its side ("four soldiers and two civilians killed")
    for i in range(len(sides) - 2, -1, -1):
        if sides[i] == "next":
            sides[i] = sides[i + 1]
    killed = injured = None
    exact = True
    for f, side in zip(figures, sides):
        if side not in ("killed", "injured"):
            continue
        if any(low[k] in w.part_of for k in range(max(0, f.first - _PART), f.first)):
            continue        # "21 killed, including 8 soldiers": a part, already counted
        qualified = any(low[k] in w.qualifiers
                        for k in range(max(0, f.first - _QUALIFIED), f.first))
        exact = exact and f.exact and not qualified
        if side == "killed":
            killed = (killed or 0) + f.value
        else:
            injured = (injured or 0) + f.value
    if killed is None and injured is None:
        return NONE
    return Casualties(killed, injured, exact)


def casualties(text: str, language: str) -> Casualties:
    """Killed, injured and whether both are exact, from a sentence's text."""
    return casualties_of_tokens([t[0] for t in tokenize(text)], language)
