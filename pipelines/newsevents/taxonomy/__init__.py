"""The taxonomy files, read by the classifier and the geoparser. Their paths live here, in a
module that is never compiled: a module mypyc compiles has no `__file__` to find them by."""
from pathlib import Path

EVENTS_YAML = Path(__file__).resolve().with_name("events.yaml")
PLACES_YAML = EVENTS_YAML.with_name("places.yaml")
