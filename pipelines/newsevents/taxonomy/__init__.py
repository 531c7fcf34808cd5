"""The taxonomy files, read by the classifier and the geoparser. Their paths live here, in a
module that is never compiled: a module mypyc compiles has no `__file__` to find them by."""
from pathlib import Path

import yaml

EVENTS_YAML = Path(__file__).resolve().with_name("events.yaml")
PLACES_YAML = EVENTS_YAML.with_name("places.yaml")

# libyaml's loader where PyYAML has it (its wheels do): the same data, ten times faster. Every
# worker process reads these files at start-up, and the pure-Python parser took 0.1 s a file.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse_yaml(text: str):
    return yaml.load(text, Loader=_LOADER)


def read_yaml(path: Path | str):
    return parse_yaml(Path(path).read_text(encoding="utf-8"))
