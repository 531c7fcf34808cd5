"""Counts per time window, event type and event location."""
from __future__ import annotations

from datetime import datetime

import pyarrow as pa

from newsevents.schemas.event import EVENT_LOCATION_FIELDS, Row


class LocationCount(Row):
    window_start: datetime
    window_end: datetime
    event_type: str
    # All location fields are null for events without a location, so totals reconcile.
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
    incident_count: int | None   # distinct incidents; null in output written before them


LOCATION_COUNT_SCHEMA = pa.schema([
    pa.field("window_start", pa.timestamp("us", tz="UTC"), nullable=False),
    pa.field("window_end", pa.timestamp("us", tz="UTC"), nullable=False),
    pa.field("event_type", pa.string(), nullable=False),
    *EVENT_LOCATION_FIELDS,
    pa.field("sentence_count", pa.int64(), nullable=False),
    pa.field("article_count", pa.int64(), nullable=False),
    pa.field("incident_count", pa.int64()),
])
