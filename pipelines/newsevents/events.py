"""From an article to event rows: split, classify, locate. Pure functions, no Beam.

One call per article (not per sentence) keeps Beam's per-element cost off the hot path and
lets the geoparser see the whole article, which it needs to resolve places and to fall back
to the article's context for sentences that name none.
"""
from __future__ import annotations

import hashlib
from bisect import bisect_left
from datetime import date
from typing import TYPE_CHECKING, NamedTuple

from newsevents.text.actors import find_actors, find_parties
from newsevents.text.casualties import NONE as NO_CASUALTIES, Casualties, casualties_of_tokens
from newsevents.text.classify import NOTHING, states_named, tokenize
from newsevents.text.dates import ARTICLE, PUBLISHED, STATED, event_date
from newsevents.text.language import detect_language
from newsevents.text.sentences import split_sentences
from newsevents.schemas import Article
from newsevents.schemas.event import EVENT_LOCATION_FIELDS
from newsevents.taxonomy import LABEL_SPECS, LABELS

if TYPE_CHECKING:
    from newsevents.text.classify import Classification, Classifier, Taxonomy
    from newsevents.text.geoparse import Geoparser, Mention


# the labels whose rows carry casualty figures (`casualties: true` in taxonomy/events.yaml),
# and how each label's actors are read (`actors`: force or parties)
CASUALTY_LABELS = frozenset(label for label, spec in LABEL_SPECS.items()
                            if spec.get("casualties"))
ACTOR_READINGS: dict[str, str] = {label: str(spec["actors"])
                                  for label, spec in LABEL_SPECS.items() if spec.get("actors")}


class Extraction(NamedTuple):
    rows: list[dict]
    sentences: int
    language: str
    has_rules: bool     # whether the taxonomy has rules for the language


def event_id(article_id: str, start: int, end: int) -> str:
    """Stable across runs and runners: a hash of where the sentence is, not of when it ran."""
    return hashlib.sha1(f"{article_id}\x1f{start}\x1f{end}".encode()).hexdigest()[:20]


# The nested parts of a row (structs in Parquet) are tuples in the field order of their models
# in schemas.event: Arrow converts a tuple to a struct in half the time of a dict (tests check
# real rows against the schema). Named, so that Python code reads them by name; the scores,
# whose fields are the taxonomy's labels (data), are a plain tuple in label order.
class EvidenceRow(NamedTuple):
    label: str
    trigger: str
    start: int
    end: int
    rule: str


class FlagRow(NamedTuple):
    label: str
    trigger: str
    start: int
    end: int
    rule: str
    kind: str
    cue: str


class LocationRow(NamedTuple):
    surface: str
    start: int
    end: int
    kind: str
    name: str
    geonameid: int | None
    country_code: str
    admin1_code: str | None
    latitude: float
    longitude: float
    feature: str


def _location_struct(m: "Mention") -> LocationRow:
    p = m.place
    return LocationRow(m.surface, m.start, m.end, m.kind, p.name, p.geonameid, p.country_code,
                       p.admin1_code, p.latitude, p.longitude, p.feature)


def _scores(scores) -> tuple[float, ...]:
    return tuple([float(scores.get(label, 0.0)) for label in LABELS])


def extract_events(article: Article, classifier: "Classifier", geoparser: "Geoparser",
                   keep_all: bool = False) -> Extraction:
    """Rows for the `events` table: sentences with at least one label (all with keep_all)."""
    text = article.text
    language = article.language or detect_language(text)
    spans = split_sentences(text, language)
    tokens = tokenize(text)                 # once, for the classifier and the geoparser
    starts = [t[2] for t in tokens]
    has_rules = classifier.has_rules(language)
    taxonomy = classifier.taxonomies.get(language) if has_rules else None
    results = []
    for s, e in spans:
        # a language without rules passes through unlabelled, counted as such
        results.append(classifier.classify_tokens(
            text, tokens[bisect_left(starts, s):bisect_left(starts, e)], s, e, language)
            if has_rules else NOTHING)
    rows: list[dict] = []
    # most ordinary news has no event sentence: its places would be found for nothing
    if not (keep_all or any(r.labels for r in results)):
        return Extraction(rows, len(spans), language, has_rules)
    triggers = [[(ev.start + s, ev.end + s) for ev in r.evidence]
                for (s, _), r in zip(spans, results)]
    places = geoparser.locate(text, spans, triggers, tokens,
                              None if keep_all else [bool(r.labels) for r in results], language)
    districts = geoparser.gazetteer.districts     # GeoNames id -> (admin2 code, name)
    published_day = article.published_at.date()
    # a report states its event's date once, in the lead: a later event sentence that states
    # none takes the last one an earlier event sentence stated (only labelled sentences set
    # it, so --keep-all-sentences gives the same dates)
    article_day: date | None = None
    for index, ((start, end), result, where) in enumerate(zip(spans, results, places)):
        if not (result.labels or keep_all):
            continue
        loc = where.location
        district = (districts.get(loc.geonameid)
                    if loc is not None and loc.geonameid is not None else None)
        sentence_tokens = tokens[bisect_left(starts, start):bisect_left(starts, end)]
        before = spans[index - 1] if index else (start, start)
        toll, actors = casualties_and_actors(
            text, sentence_tokens, result, language, start, taxonomy,
            tokens[bisect_left(starts, before[0]):bisect_left(starts, before[1])])
        day, day_source = event_date([t[0] for t in sentence_tokens], language, published_day)
        if day_source == PUBLISHED and article_day is not None:
            day, day_source = article_day, ARTICLE
        elif day_source == STATED and result.labels:
            article_day = day
        pair = {a.role: a.type for a in actors}
        rows.append({
            "event_id": event_id(article.id, start, end),
            "article_id": article.id,
            "sentence_index": index,
            "text": text[start:end],
            "char_start": start,
            "char_end": end,
            "published_at": article.published_at,
            "event_date": day,
            "event_date_source": day_source,
            "language": language,
            "labels": list(result.labels),
            "scores": _scores(result.scores),
            # classifier offsets are sentence-relative; the output's are article-relative
            "evidence": [EvidenceRow(x.label, x.trigger, x.start + start, x.end + start, x.rule)
                         for x in result.evidence],
            "flags": [FlagRow(x.label, x.trigger, x.start + start, x.end + start, x.rule, x.kind,
                              x.cue)
                      for x in result.flags],
            "locations": [_location_struct(m) for m in where.mentions],
            "location_name": loc.name if loc else None,
            "geonameid": loc.geonameid if loc else None,
            "country_code": loc.country_code if loc else None,
            "admin1_code": loc.admin1_code if loc else None,
            "admin2_code": district[0] if district else None,
            "admin2_name": district[1] if district else None,
            "latitude": loc.latitude if loc else None,
            "longitude": loc.longitude if loc else None,
            "location_precision": where.precision if loc else None,
            "location_source": where.source if loc else "none",
            "killed": toll.killed,
            "injured": toll.injured,
            "casualties_exact": toll.exact,
            "actors": actors,
            "actor1_type": pair.get("actor1"),
            "actor2_type": pair.get("actor2"),
            "incident_id": None,        # set by the incidents stage, which sees every article
            "taxonomy_version": classifier.version,
            "gazetteer_version": geoparser.version,
        })
    return Extraction(rows, len(spans), language, has_rules)


def casualties_and_actors(text: str, tokens: list, result: "Classification", language: str,
                          base: int = 0, taxonomy: "Taxonomy | None" = None,
                          context: list | None = None) -> tuple[Casualties, list]:
    """A sentence's casualty figures (on rows of a casualty label only: a count of anything
    else is no casualty) and its actors, read as the first of its labels with an `actors`
    reading gives them (taxonomy/events.yaml: `force` from actor nouns, `parties` from the
    states and bodies the classifier's `taxonomy` finds; without it, no parties). The
    roles follow that label's triggers. `tokens` are the sentence's, `base` the offset its
    classification's offsets are relative to, `context` the previous sentence's tokens
    (what "they" refers to)."""
    toll = (casualties_of_tokens([t[0] for t in tokens], language)
            if CASUALTY_LABELS.intersection(result.labels) else NO_CASUALTIES)
    for label in result.labels:
        reading = ACTOR_READINGS.get(label)
        triggers = [x.start + base for x in result.evidence if x.label == label]
        if reading == "force":
            actors = find_actors(text, tokens, triggers, language, context)
        elif reading == "parties" and taxonomy is not None:
            actors = find_parties(text, tokens, states_named(tokens, taxonomy), triggers,
                                  language, taxonomy.state_agents, taxonomy.agents_before)
        else:
            continue
        if actors:
            return toll, actors
    return toll, []


# The location part of an event row: the key its counts are grouped under.
LOCATION_KEY_FIELDS: tuple[str, ...] = tuple([f.name for f in EVENT_LOCATION_FIELDS])


def count_keys(row: dict) -> list[tuple]:
    """(event_type, *location), one per label of the row: the keys its counts go under."""
    location = tuple(row[f] for f in LOCATION_KEY_FIELDS)
    return [(label, *location) for label in row["labels"]]
