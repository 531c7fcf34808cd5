"""One row per sentence event (or per sentence with --keep-all-sentences)."""
from __future__ import annotations

from datetime import date, datetime

import pyarrow as pa
from pydantic import BaseModel, ConfigDict, create_model

from newsevents.taxonomy import LABELS


class Row(BaseModel):
    """A part of an output row: a misspelled or missing field fails validation (the tests
    validate real rows), rather than becoming a null in Parquet."""
    model_config = ConfigDict(extra="forbid")


# A score per label of the taxonomy, in its order: the labels are data (taxonomy/events.yaml)
Scores = create_model("Scores", __base__=Row, **{label: (float, ...) for label in LABELS})


class Evidence(Row):
    """A trigger that counted (offsets into the article text)."""
    label: str
    trigger: str
    start: int
    end: int
    rule: str


class Flag(Evidence):
    """A trigger that did not count, and why: kind is `negated`, `hypothetical`,
    `background` (an earlier event the sentence refers to), `sense` (a word of the trigger's
    own phrase gives it another sense: a shot "at goal") or `context` (what the rule needs is
    missing: nothing physical beside "attacked the plan"); cue is the word that decided, as
    written ("" where an absence decided)."""
    kind: str
    cue: str | None   # null in output written before 2026-12-07


class Location(Row):
    """A place the sentence mentions (offsets into the article text)."""
    surface: str
    start: int
    end: int
    kind: str  # toponym, metonym (an actor), embedded (in an organisation's name) or demonym
    name: str
    geonameid: int | None  # None for subdivisions outside the US: no package ships their ids
    country_code: str
    admin1_code: str | None
    latitude: float
    longitude: float
    feature: str  # city, admin2, admin1, country, continent or region


class ActorMention(Row):
    """Who acted (actor1) or was acted upon (actor2) in an event sentence (offsets into the
    article text); type is one of ACLED's eight, None for an unidentified perpetrator and for
    the states and bodies that are the parties of diplomacy and aid."""
    text: str
    start: int
    end: int
    role: str
    type: str | None
    country_code: str | None


class Event(Row):
    event_id: str
    article_id: str
    sentence_index: int
    text: str
    char_start: int
    char_end: int
    published_at: datetime
    # the day the sentence says its event happened (text/dates.py), else the publication day
    # (UTC); null in output written before they were added
    event_date: date | None
    event_date_source: str | None   # stated or published
    language: str   # ISO 639-1, from the input's `language` or detected; "un" when unknown
    labels: list[str]
    scores: Scores
    evidence: list[Evidence]
    flags: list[Flag]
    locations: list[Location]
    location_name: str | None
    geonameid: int | None
    country_code: str | None
    admin1_code: str | None
    admin2_code: str | None   # the district ("IN.52.495", GeoNames' code): a city's, or itself
    admin2_name: str | None
    latitude: float | None
    longitude: float | None
    location_precision: str | None
    location_source: str
    # the sentence's own figures (text/casualties.py), on violence rows; null where it states
    # none, and in output written before they were added
    killed: int | None
    injured: int | None
    casualties_exact: bool | None
    # the main pair of actors (text/actors.py): [] and nulls where the sentence names none
    actors: list[ActorMention] | None   # null in output written before they were added
    actor1_type: str | None
    actor2_type: str | None
    # the incident the row reports (the incidents table); null for a row without a label, in
    # output written before incidents were added, and in ExtractEvents' records (a run's
    # incidents need all its articles)
    incident_id: str | None = None
    taxonomy_version: str
    gazetteer_version: str


_EVIDENCE_FIELDS = [
    pa.field("label", pa.string(), nullable=False),
    pa.field("trigger", pa.string(), nullable=False),
    pa.field("start", pa.int32(), nullable=False),
    pa.field("end", pa.int32(), nullable=False),
    pa.field("rule", pa.string(), nullable=False),
]

# The chosen event location: in `events` and, as the grouping key, in `location_counts`.
# All null for an event without a location, so totals reconcile. The district (admin2) is
# null where the gazetteer does not know it, and in output written before it was added.
EVENT_LOCATION_FIELDS = [
    pa.field("location_name", pa.string()),
    pa.field("geonameid", pa.int64()),
    pa.field("country_code", pa.string()),
    pa.field("admin1_code", pa.string()),
    pa.field("admin2_code", pa.string()),
    pa.field("admin2_name", pa.string()),
    pa.field("latitude", pa.float64()),
    pa.field("longitude", pa.float64()),
    pa.field("location_precision", pa.string()),
]

EVENT_SCHEMA = pa.schema([
    pa.field("event_id", pa.string(), nullable=False),
    pa.field("article_id", pa.string(), nullable=False),
    pa.field("sentence_index", pa.int32(), nullable=False),
    pa.field("text", pa.string(), nullable=False),
    pa.field("char_start", pa.int32(), nullable=False),
    pa.field("char_end", pa.int32(), nullable=False),
    pa.field("published_at", pa.timestamp("us", tz="UTC"), nullable=False),
    pa.field("event_date", pa.date32()),
    pa.field("event_date_source", pa.string()),
    pa.field("language", pa.string(), nullable=False),
    pa.field("labels", pa.list_(pa.string()), nullable=False),
    pa.field("scores", pa.struct([
        pa.field(name, pa.float64(), nullable=False) for name in LABELS
    ]), nullable=False),
    pa.field("evidence", pa.list_(pa.struct(_EVIDENCE_FIELDS)), nullable=False),
    pa.field("flags", pa.list_(pa.struct(
        _EVIDENCE_FIELDS + [pa.field("kind", pa.string(), nullable=False),
                             # null in output written before it was added
                             pa.field("cue", pa.string())])), nullable=False),
    pa.field("locations", pa.list_(pa.struct([
        pa.field("surface", pa.string(), nullable=False),
        pa.field("start", pa.int32(), nullable=False),
        pa.field("end", pa.int32(), nullable=False),
        pa.field("kind", pa.string(), nullable=False),
        pa.field("name", pa.string(), nullable=False),
        pa.field("geonameid", pa.int64()),
        pa.field("country_code", pa.string(), nullable=False),
        pa.field("admin1_code", pa.string()),
        pa.field("latitude", pa.float64(), nullable=False),
        pa.field("longitude", pa.float64(), nullable=False),
        pa.field("feature", pa.string(), nullable=False),
    ])), nullable=False),
    *EVENT_LOCATION_FIELDS,
    pa.field("location_source", pa.string(), nullable=False),
    pa.field("killed", pa.int32()),
    pa.field("injured", pa.int32()),
    pa.field("casualties_exact", pa.bool_()),
    # nullable: output written before the actors were added has none
    pa.field("actors", pa.list_(pa.struct([
        pa.field("text", pa.string(), nullable=False),
        pa.field("start", pa.int32(), nullable=False),
        pa.field("end", pa.int32(), nullable=False),
        pa.field("role", pa.string(), nullable=False),
        pa.field("type", pa.string()),
        pa.field("country_code", pa.string()),
    ]))),
    pa.field("actor1_type", pa.string()),
    pa.field("actor2_type", pa.string()),
    pa.field("incident_id", pa.string()),
    pa.field("taxonomy_version", pa.string(), nullable=False),
    pa.field("gazetteer_version", pa.string(), nullable=False),
])
