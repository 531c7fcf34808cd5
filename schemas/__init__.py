"""The public contract: one pydantic model and its explicit Arrow schema per record kind.

Arrow schemas are written by hand beside each model (Beam's schema inference knows neither
timestamps nor pydantic); tests/test_schemas.py checks that each pair agrees.
"""
from schemas.article import Article
from schemas.dead_letter import DEAD_LETTER_SCHEMA, DeadLetter
from schemas.event import EVENT_SCHEMA, Event
from schemas.location_count import LOCATION_COUNT_SCHEMA, LocationCount

__all__ = [
    "Article", "DeadLetter", "DEAD_LETTER_SCHEMA", "Event", "EVENT_SCHEMA",
    "LocationCount", "LOCATION_COUNT_SCHEMA",
]
