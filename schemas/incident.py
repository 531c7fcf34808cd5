"""One row per incident: the event sentences, within an article and across articles, that
report the same real-world event (newsevents/incidents.py decides which)."""
from __future__ import annotations

from datetime import date, datetime

import pyarrow as pa

from newsevents.schemas.event import EVENT_LOCATION_FIELDS, Row


class Incident(Row):
    incident_id: str
    event_type: str
    event_date: date
    event_date_source: str
    location_name: str | None
    geonameid: int | None
    country_code: str | None
    admin1_code: str | None
    admin2_code: str | None
    admin2_name: str | None
    latitude: float | None
    longitude: float | None
    location_precision: str | None
    sentence_count: int
    article_count: int
    first_published: datetime
    last_published: datetime
    killed: int | None
    injured: int | None
    actor1_type: str | None
    actor2_type: str | None
    event_ids: list[str]


INCIDENT_SCHEMA = pa.schema([
    pa.field("incident_id", pa.string(), nullable=False),
    pa.field("event_type", pa.string(), nullable=False),
    pa.field("event_date", pa.date32(), nullable=False),
    pa.field("event_date_source", pa.string(), nullable=False),
    *EVENT_LOCATION_FIELDS,
    pa.field("sentence_count", pa.int64(), nullable=False),
    pa.field("article_count", pa.int64(), nullable=False),
    pa.field("first_published", pa.timestamp("us", tz="UTC"), nullable=False),
    pa.field("last_published", pa.timestamp("us", tz="UTC"), nullable=False),
    pa.field("killed", pa.int32()),
    pa.field("injured", pa.int32()),
    pa.field("actor1_type", pa.string()),
    pa.field("actor2_type", pa.string()),
    pa.field("event_ids", pa.list_(pa.string()), nullable=False),
])
