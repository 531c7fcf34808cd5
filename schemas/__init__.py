"""The public contract: one pydantic model and its explicit Arrow schema per record kind.

Arrow schemas are written by hand beside each model (Beam's schema inference knows neither
timestamps nor pydantic); tests/test_schemas.py checks that each pair agrees. The folder
installs as `newsevents.schemas` (pyproject.toml's package-dir).
"""
if __name__ != "newsevents.schemas":
    # From the repository's root the folder is importable as `schemas` too: a second copy of
    # every model, and a name that clashes with other packages'. Refuse it.
    raise ImportError(f"import newsevents.schemas, not {__name__}")

from newsevents.schemas.article import Article
from newsevents.schemas.dead_letter import DEAD_LETTER_SCHEMA, DeadLetter
from newsevents.schemas.event import EVENT_SCHEMA, Event
from newsevents.schemas.incident import INCIDENT_SCHEMA, Incident
from newsevents.schemas.location_count import LOCATION_COUNT_SCHEMA, LocationCount

__all__ = [
    "Article", "DeadLetter", "DEAD_LETTER_SCHEMA", "Event", "EVENT_SCHEMA", "Incident", "INCIDENT_SCHEMA",
    "LocationCount", "LOCATION_COUNT_SCHEMA",
]
