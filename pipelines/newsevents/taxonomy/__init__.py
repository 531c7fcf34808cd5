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


def language_files(language: str | None = None) -> dict:
    """The per-language data beside the main files: `<language>/events.yaml` (lexicons,
    rules, function words) and `<language>/places.yaml` (names, demonyms). With a
    language, its two paths; without, {language: paths} for every language there is."""
    if language is not None:
        folder = EVENTS_YAML.parent / language
        return {"events": folder / "events.yaml", "places": folder / "places.yaml"}
    return {d.name: language_files(d.name) for d in sorted(EVENTS_YAML.parent.iterdir())
            if (d / "events.yaml").is_file()}
