"""From event sentences to incidents: which sentences, within an article and across articles,
report the same real-world event. Pure functions, no Beam (pipeline/incidents.py wires them).

A row becomes a `Member` (the fields the decision needs). Members are compared only within a
block: the same event type and country (see `block_keys`), and a span of event dates. Within a
block, a pair is a candidate when it passes the hard checks (places compatible: the same place,
or one inside the other; event dates within a tolerance that is tighter for stated dates;
casualty figures compatible where both state them), and it is linked when its evidence scores
at least `LINK_SCORE`: the same article, the same specific place, the same stated date, the
same figures, the same actor types, and shared rare words and numbers. Links are taken from
the strongest down, and two groups join only if the joined group still passes the hard checks
as a whole (a country-level sentence cannot chain two shootings in different towns).

A block with more than `ALL_PAIRS_UP_TO` members (a capital on a busy day) is not compared
pair by pair: MinHash signatures of the members' rare words and LSH (datasketch) give the
candidate pairs, with the pairs from the same article.
"""
from __future__ import annotations

import hashlib
import itertools
import re
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from typing import Iterable, NamedTuple

from newsevents.schemas.event import EVENT_LOCATION_FIELDS
from newsevents.text.classify import tokenize
from newsevents.text.dates import ARTICLE, STATED

LOCATION_FIELDS: tuple[str, ...] = tuple(f.name for f in EVENT_LOCATION_FIELDS)
_PRECISION = {"country": 0, "admin1": 1, "admin2": 2, "city": 3}

# Event dates, in days: a stated date may be one day off another (midnight, time zones,
# "last night" against "early Sunday"); an undated sentence's event happened on its
# publication day or up to PUBLISHED_LAG days before.
STATED_SLACK = 1
PUBLISHED_LAG = 3
# Blocks span BUCKET_DAYS of event dates; every member is also a guest of the neighbouring
# bucket nearer to it, so that two members up to BUCKET_DAYS / 2 days apart always meet in
# one block (an incident across midnight or a bucket's boundary is not split).
BUCKET_DAYS = 8
LINK_SCORE = 2.5
DAY_PENALTY = 0.5          # per day between two undated members of different articles
COMMON_SHARE = 0.1         # a word in this share of a block's articles is no evidence
COMMON_MIN = 8
ALL_PAIRS_UP_TO = 400     # all pairs cost less than LSH below this (docs/incidents.md)
RARE_ZIPF = 5.3            # wordfreq's scale: "market" (5.29) is evidence, "police" (5.33) not
LSH_THRESHOLD = 0.3
LSH_PERMUTATIONS = 64


_DIGIT = re.compile(r"\d")
# on a rerun's read-back row: the incident_id it was published with
STORED_INCIDENT = "stored_incident_id"


class Member(NamedTuple):
    """An event row as the incident step reads it (a plain tuple: cheap to shuffle)."""
    event_id: str
    article_id: str
    event_type: str
    day: int                 # event_date as a proleptic ordinal
    stated: bool             # event_date was stated, not the publication day
    published: int           # published_at in microseconds since the epoch (a datetime with
                             # its zone pickles to a quarter of a member's bytes in a shuffle)
    place: tuple             # the row's EVENT_LOCATION_FIELDS, in order
    killed: int | None
    injured: int | None
    exact: bool | None
    actor1: str | None
    actor2: str | None
    words: tuple[str, ...]   # rare words and numbers, sorted, without the place's names
    # a rerun's read-back row, on its first label's member: the incident_id it was published
    # with ("" for none); None otherwise
    stored: str | None = None


# --- members -------------------------------------------------------------------------------

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def micros(when: datetime) -> int:
    return (when - _EPOCH) // timedelta(microseconds=1)


def as_datetime(micros: int) -> datetime:
    return _EPOCH + timedelta(microseconds=micros)


@lru_cache(maxsize=200_000)
def _rare(word: str, language: str) -> bool:
    from wordfreq import zipf_frequency
    try:
        return zipf_frequency(word, language) < RARE_ZIPF
    except LookupError:                 # a language wordfreq lacks: English's list
        return zipf_frequency(word, "en") < RARE_ZIPF


def rare_words(text: str, language: str, exclude: Iterable[str] = ()) -> tuple[str, ...]:
    """The sentence's rare words (3+ letters, rare in its language) and numbers, sorted: the
    wording evidence. `exclude`: words not to count (the place names, scored as places)."""
    excluded = set(exclude)
    found = set()
    for token in tokenize(text):
        w = token[0]
        if w in excluded:
            continue
        if w.isalpha():
            if len(w) >= 3 and _rare(w, language):
                found.add(w)
        elif _DIGIT.search(w):
            found.add(w)
    return tuple(sorted(found))


@lru_cache(maxsize=16)
def event_vocabulary(language: str) -> frozenset[str]:
    """Words every report of some violence may use, whichever event it is: the casualty and
    actor words of the language's taxonomy (taxonomy/<language>/actors.yaml) and its date
    words (dates.yaml). "Gunman" and "wounded" are rare in the language, not among reports
    of shootings: no evidence."""
    from newsevents.taxonomy import FOLDER, read_yaml
    path = FOLDER / language / "actors.yaml"
    if not path.is_file():
        return frozenset()
    data = read_yaml(path) or {}
    dates = FOLDER / language / "dates.yaml"
    sections = [data.get("casualties") or {}, data.get("actors") or {}]
    if dates.is_file():         # "tuesday", "night": the date is scored as a date
        sections.append({k: v for k, v in ((read_yaml(dates) or {}).get("dates") or {}).items()
                         if k != "examples"})
    words: set[str] = set()
    for section in sections:
        for value in section.values():
            items = value if isinstance(value, (list, dict)) else ()
            for phrase in items:
                words.update(str(phrase).lower().split())
    return frozenset(words)


def members_of(row: dict) -> list[Member]:
    """The row's Members, one per label (a sentence of violence and aid moving reports one
    incident of each type); none for a row with no label (--keep-all-sentences)."""
    if not row["labels"]:
        return []
    day = row.get("event_date") or row["published_at"].date()
    language = row.get("language") or "en"
    # not evidence of which event: the place's names (scored as places), the words that
    # made it an event (its triggers) and the taxonomy's casualty and actor words
    names = [w for loc in row.get("locations") or () for w in _field(loc, "surface").lower().split()]
    names += [w for ev in row.get("evidence") or () for w in _field(ev, "trigger").lower().split()]
    words = rare_words(row["text"], language, [*names, *event_vocabulary(language)])
    place = tuple(row[f] for f in LOCATION_FIELDS)
    stored = (row[STORED_INCIDENT] or "") if STORED_INCIDENT in row else None
    return [Member(row["event_id"], row["article_id"], label, day.toordinal(),
                   row.get("event_date_source") in (STATED, ARTICLE), micros(row["published_at"]),
                   place,
                   row.get("killed"), row.get("injured"), row.get("casualties_exact"),
                   row.get("actor1_type"), row.get("actor2_type"), words,
                   stored if i == 0 else None)      # the row's incident is its first label's
            for i, label in enumerate(row["labels"])]


def _field(part, name: str) -> str:
    """A nested part's field: a NamedTuple as extraction builds it, a dict as read back."""
    return part[name] if isinstance(part, dict) else getattr(part, name)


# --- blocks --------------------------------------------------------------------------------

def block_keys(m: Member) -> list[tuple[tuple, bool]]:
    """(block key, home) pairs: the member's own block (home) and the neighbouring one it is a
    guest of. Key: (event type, country, date bucket); a member without a place is blocked
    with the others of its article's country-less kind (country "")."""
    country = m.place[LOCATION_FIELDS.index("country_code")] or ""
    bucket, offset = divmod(m.day, BUCKET_DAYS)
    neighbour = bucket - 1 if offset < BUCKET_DAYS // 2 else bucket + 1
    return [((m.event_type, country, bucket), True),
            ((m.event_type, country, neighbour), False)]


# --- the decision ----------------------------------------------------------------------------

_COUNTRY, _ADMIN1, _ADMIN2 = (LOCATION_FIELDS.index(f) for f in
                              ("country_code", "admin1_code", "admin2_code"))
_NAME, _GEONAMEID, _PREC = (LOCATION_FIELDS.index(f) for f in
                            ("location_name", "geonameid", "location_precision"))


def place_path(place: tuple) -> tuple:
    """(country, admin1, admin2, city) as far as the place's precision goes, None beyond."""
    level = _PRECISION.get(place[_PREC] or "", -1)
    city = (place[_GEONAMEID] or place[_NAME]) if level >= 3 else None
    return (place[_COUNTRY],
            place[_ADMIN1] if level >= 1 else None,
            place[_ADMIN2] if level >= 2 or (level >= 3 and place[_ADMIN2]) else None,
            city)


def _paths_agree(a: tuple, b: tuple) -> bool:
    return all(x is None or y is None or x == y for x, y in zip(a, b))


def _merge_paths(a: tuple, b: tuple) -> tuple:
    return tuple(x if x is not None else y for x, y in zip(a, b))


def _interval(m: Member) -> tuple[int, int]:
    """The days the member's event may have happened on."""
    if m.stated:
        return m.day, m.day + STATED_SLACK
    return m.day - PUBLISHED_LAG, m.day + STATED_SLACK


def _figures_agree(lo: int | None, hi: int | None) -> bool:
    """Figures of one incident differ by at most half the larger (tolls grow as the wounded
    die and bodies are found; "at least three" and "four"), or by one."""
    return lo is None or hi is None or hi - lo <= max(1, hi // 2)


class _Group:
    """A growing incident inside a block: what the hard checks need of all its members."""
    __slots__ = ("path", "lo", "hi", "killed", "injured")

    def __init__(self, m: Member):
        self.path = place_path(m.place)
        self.lo, self.hi = _interval(m)
        self.killed = (m.killed, m.killed) if m.killed else (None, None)
        self.injured = (m.injured, m.injured) if m.injured else (None, None)

    def joins(self, other: "_Group") -> bool:
        return (_paths_agree(self.path, other.path)
                and max(self.lo, other.lo) <= min(self.hi, other.hi)
                and _figures_agree(*_range(self.killed, other.killed))
                and _figures_agree(*_range(self.injured, other.injured)))

    def absorb(self, other: "_Group") -> None:
        self.path = _merge_paths(self.path, other.path)
        self.lo, self.hi = max(self.lo, other.lo), min(self.hi, other.hi)
        self.killed = _range(self.killed, other.killed)
        self.injured = _range(self.injured, other.injured)


def _range(a: tuple, b: tuple) -> tuple:
    values = [v for v in (*a, *b) if v is not None]
    return (min(values), max(values)) if values else (None, None)


def link_score(a: Member, b: Member, common: frozenset[str] = frozenset(),
               paths: tuple[tuple, tuple] | None = None) -> float:
    """The evidence that two members report one incident (the hard checks aside). `common`:
    words too frequent in the block to tell its incidents apart ("shelling" in a week of
    Syria), no evidence."""
    score = 0.0
    if a.article_id == b.article_id:
        score += LINK_SCORE     # an article's sentences are one incident unless checks split them
    elif not (a.stated or b.stated):
        # publication days far apart say little about one event: a day apart costs
        score -= DAY_PENALTY * abs(a.day - b.day)
    pa_, pb = paths or (place_path(a.place), place_path(b.place))
    if pa_[3] is not None and pa_[3] == pb[3]:
        score += 1.5
    elif pa_[2] is not None and pa_[2] == pb[2]:
        score += 1.0
    elif pa_[1] is not None and pa_[1] == pb[1]:
        score += 0.5
    if a.stated and b.stated:
        score += 1.0 if a.day == b.day else 0.3
    if a.killed and b.killed:
        score += 1.5 if a.killed == b.killed else 0.5
    if a.injured and b.injured and a.injured == b.injured:
        score += 0.5
    for x, y in ((a.actor1, b.actor1), (a.actor2, b.actor2)):
        if x and y:
            score += 0.3 if x == y else -1.0
    content = a.killed is not None and a.killed == b.killed
    if a.words and b.words:
        wa, wb = set(a.words) - common, set(b.words) - common
        shared = len(wa & wb)
        if shared:
            content = True
            score += 0.5 * min(shared, 4) + 2.0 * shared / len(wa | wb)
    if a.article_id != b.article_id and not content:
        # a place and a day alone do not make two reports one event: two shootings in one
        # town on one day are two
        return 0.0
    return score


def common_words(members: list[Member]) -> frozenset[str]:
    """Words in at least COMMON_SHARE of the block's articles (and in COMMON_MIN of them)."""
    articles: dict[str, set[str]] = {}
    for m in members:
        articles.setdefault(m.article_id, set()).update(m.words)
    need = max(COMMON_MIN, COMMON_SHARE * len(articles))
    counts: dict[str, int] = {}
    for words in articles.values():
        for w in words:
            counts[w] = counts.get(w, 0) + 1
    return frozenset(w for w, n in counts.items() if n >= need)


def _candidate_pairs(members: list[Member], common: frozenset[str],
                     all_pairs_up_to: int = ALL_PAIRS_UP_TO) -> list[tuple[int, int]]:
    n = len(members)
    if n <= all_pairs_up_to:
        return list(itertools.combinations(range(n), 2))
    return sorted(_lsh_pairs(members, common) | _article_pairs(members))


def _article_pairs(members: list[Member]) -> set[tuple[int, int]]:
    by_article: dict[str, list[int]] = {}
    for i, m in enumerate(members):
        by_article.setdefault(m.article_id, []).append(i)
    return {p for ids in by_article.values() for p in itertools.combinations(ids, 2)}


def _lsh_pairs(members: list[Member], common: frozenset[str]) -> set[tuple[int, int]]:
    """Pairs whose rare words (beyond the block's common ones) are alike, from MinHash
    signatures in an LSH index: near-linear in the block's size, where all pairs would be
    quadratic."""
    from datasketch import MinHash, MinHashLSH
    lsh = MinHashLSH(num_perm=LSH_PERMUTATIONS, params=_lsh_bands())
    words = [[w.encode() for w in m.words if w not in common] for m in members]
    hashes = MinHash.bulk(words, num_perm=LSH_PERMUTATIONS, seed=1)
    pairs: set[tuple[int, int]] = set()
    for i, (ws, h) in enumerate(zip(words, hashes)):
        if not ws:
            continue
        for j in lsh.query(h):
            pairs.add((j, i))
        lsh.insert(i, h)
    return pairs


@lru_cache(maxsize=1)
def _lsh_bands() -> tuple[int, int]:
    """The (bands, rows) MinHashLSH chooses for LSH_THRESHOLD, computed once: it integrates
    for them each time an index is made."""
    from datasketch import MinHashLSH
    lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=LSH_PERMUTATIONS)
    return lsh.b, lsh.r


def cluster(members: list[Member], all_pairs_up_to: int = ALL_PAIRS_UP_TO) -> list[int]:
    """Each member's group, as the index of the group's first member (members sorted by
    event_id first: the same block gives the same groups in any order). A block of more than
    `all_pairs_up_to` members takes its candidate pairs from LSH."""
    parent = list(range(len(members)))
    groups = {i: _Group(m) for i, m in enumerate(members)}

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    links = []
    common = common_words(members)
    paths = [g.path for g in groups.values()]
    words = [frozenset(m.words) - common for m in members]
    for i, j in _candidate_pairs(members, common, all_pairs_up_to):
        a, b = members[i], members[j]
        if (a.article_id != b.article_id and words[i].isdisjoint(words[j])
                and (a.killed is None or a.killed != b.killed)):
            continue        # no content in common: link_score's 0, found before the checks
        if not groups[i].joins(groups[j]):        # each alone: the pair's own hard checks
            continue
        score = link_score(members[i], members[j], common, (paths[i], paths[j]))
        if score >= LINK_SCORE:
            links.append((-score, i, j))
    links.sort()
    for _, i, j in links:
        ri, rj = root(i), root(j)
        if ri == rj or not groups[ri].joins(groups[rj]):
            continue
        keep, gone = min(ri, rj), max(ri, rj)
        parent[gone] = keep
        groups[keep].absorb(groups.pop(gone))
    return [root(i) for i in range(len(members))]


def cluster_block(key: tuple, entries: Iterable[tuple[Member, bool]]
                  ) -> list[tuple[tuple[str, str], Member]]:
    """A block's (label, member) pairs for its home members: the label is the event type and
    the smallest event_id of the member's group, guests included, so that the two blocks a
    group near a bucket's boundary falls in give its members the same label."""
    entries = sorted(entries, key=lambda e: (e[0].event_id, not e[1]))
    members, home, seen = [], [], set()
    for m, is_home in entries:
        if m.event_id in seen:          # a member seen twice (a rerun's read-back)
            continue
        seen.add(m.event_id)
        members.append(m)
        home.append(is_home)
    roots = cluster(members)
    return [((m.event_type, members[r].event_id), m)
            for m, r, h in zip(members, roots, home) if h]


# --- incidents -----------------------------------------------------------------------------

def incident_id(event_type: str, event_ids: Iterable[str]) -> str:
    """Stable: a hash of the type and the sorted member ids (the same sentences give the same
    id; a sentence of two types is in an incident of each)."""
    return hashlib.sha1("\x1f".join([event_type, *sorted(event_ids)]).encode()).hexdigest()[:20]


def _most_common(values: Iterable[str | None]) -> str | None:
    counts: dict[str, int] = {}
    for v in values:
        if v:
            counts[v] = counts.get(v, 0) + 1
    return min(counts, key=lambda v: (-counts[v], v)) if counts else None


def _best_place(members: list[Member]) -> tuple:
    """The most specific place the members name (they agree on it: the hard checks), the most
    often named on a tie."""
    counts: dict[tuple, int] = {}
    for m in members:
        counts[m.place] = counts.get(m.place, 0) + 1

    def rank(place: tuple):
        return (-_PRECISION.get(place[_PREC] or "", -1), -counts[place],
                tuple("" if v is None else str(v) for v in place))
    return min(counts, key=rank)


def incident_row(members: list[Member]) -> dict:
    """One incident's row (the `incidents` table) from its members."""
    members = sorted(members, key=lambda m: m.event_id)
    stated = [m.day for m in members if m.stated]
    day = min(stated) if stated else min(m.day for m in members)
    killed = [m.killed for m in members if m.killed is not None]
    injured = [m.injured for m in members if m.injured is not None]
    row = {
        "incident_id": incident_id(members[0].event_type, (m.event_id for m in members)),
        "event_type": members[0].event_type,
        "event_date": date.fromordinal(day),
        "event_date_source": "stated" if stated else "published",
    }
    row.update(zip(LOCATION_FIELDS, _best_place(members)))
    row.update({
        "sentence_count": len(members),
        "article_count": len({m.article_id for m in members}),
        "first_published": as_datetime(min(m.published for m in members)),
        "last_published": as_datetime(max(m.published for m in members)),
        "killed": max(killed) if killed else None,
        "injured": max(injured) if injured else None,
        "actor1_type": _most_common(m.actor1 for m in members),
        "actor2_type": _most_common(m.actor2 for m in members),
        "event_ids": [m.event_id for m in members],
    })
    return row


def row_incident(row: dict, incidents: dict[tuple[str, str], str]) -> str | None:
    """The events row's incident_id: its first label's incident ((type, event_id) ->
    incident_id)."""
    return incidents.get((row["labels"][0], row["event_id"])) if row["labels"] else None


def find_incidents(rows: Iterable[dict]) -> tuple[list[dict], dict[str, str | None]]:
    """Incident rows and event_id -> incident_id (the events row's, row_incident) for rows
    all at once, without Beam: the same blocks and decisions as the pipeline's FindIncidents
    (tests and evaluate-incidents)."""
    rows = list(rows)
    blocks: dict[tuple, list[tuple[Member, bool]]] = {}
    for row in rows:
        for m in members_of(row):
            for key, home in block_keys(m):
                blocks.setdefault(key, []).append((m, home))
    by_label: dict[tuple[str, str], list[Member]] = {}
    for key in sorted(blocks):
        for label, m in cluster_block(key, blocks[key]):
            by_label.setdefault(label, []).append(m)
    incidents = [incident_row(ms) for ms in by_label.values()]
    typed = {(r["event_type"], e): r["incident_id"] for r in incidents for e in r["event_ids"]}
    ids = {row["event_id"]: row_incident(row, typed) for row in rows if row["labels"]}
    return sorted(incidents, key=lambda r: r["incident_id"]), ids
