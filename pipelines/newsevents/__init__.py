"""newsevents: sentence-level event data from news text.

The names a user may import are in `__all__` (docs/api.md documents each):

    from newsevents import ExtractEvents          # the composite PTransform, for your pipeline
    from newsevents import extract_article        # one article's events, without Beam

They load on first use (PEP 562), so `import newsevents` and the command line stay quick:
Beam is imported only by the names that need it."""
__version__ = "0.1.0"

__all__ = [
    "ExtractEvents", "ExtractOptions", "extract_article",
    "Article", "Event", "DeadLetter", "EVENT_SCHEMA", "DEAD_LETTER_SCHEMA", "LABELS",
    "Classifier", "Geoparser", "check_taxonomy", "TaxonomyError",
]

# name -> (module, attribute)
_PUBLIC = {
    "ExtractEvents": ("newsevents.pipeline.extract", "ExtractEvents"),
    "ExtractOptions": ("newsevents.api", "ExtractOptions"),
    "extract_article": ("newsevents.api", "extract_article"),
    "Article": ("newsevents.schemas", "Article"),
    "Event": ("newsevents.schemas", "Event"),
    "DeadLetter": ("newsevents.schemas", "DeadLetter"),
    "EVENT_SCHEMA": ("newsevents.schemas", "EVENT_SCHEMA"),
    "DEAD_LETTER_SCHEMA": ("newsevents.schemas", "DEAD_LETTER_SCHEMA"),
    "LABELS": ("newsevents.taxonomy", "LABELS"),
    "Classifier": ("newsevents.text.classify", "Classifier"),
    "Geoparser": ("newsevents.text.geoparse", "Geoparser"),
    "check_taxonomy": ("newsevents.taxonomy.schema", "check_folder"),
    "TaxonomyError": ("newsevents.taxonomy.schema", "TaxonomyError"),
}


def __getattr__(name: str) -> object:
    if name not in _PUBLIC:
        raise AttributeError(f"module 'newsevents' has no attribute {name!r}")
    import importlib
    module, attribute = _PUBLIC[name]
    value = getattr(importlib.import_module(module), attribute)
    globals()[name] = value          # the next lookup finds it without coming here
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
