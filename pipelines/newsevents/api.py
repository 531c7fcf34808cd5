"""The Python API without Beam: the options of an extraction, one article's events, and the
shape of an event record. `newsevents.ExtractEvents` (pipeline/extract.py) runs the same
extraction as a composite PTransform; the names a user imports are listed in
newsevents/__init__.py (`__all__`) and documented in docs/api.md.

Nothing here is on the pipeline's own hot path: `newsevents run` writes the rows as
events.py builds them (tuples for the nested parts, which Arrow reads fastest); the API
turns each into a plain dict (`event_record`) that validates as `Event` and that Arrow
writes with `EVENT_SCHEMA` as well."""
from __future__ import annotations

import functools
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from newsevents.records import DEFAULT_MAX_ARTICLE_BYTES, parse_json_line
from newsevents.schemas import Article, DeadLetter
from newsevents.schemas.dead_letter import RAW_LIMIT

if TYPE_CHECKING:
    from newsevents.text.classify import Classifier
    from newsevents.text.geoparse import Geoparser


@dataclass(frozen=True)
class ExtractOptions:
    """How to extract events. Checked once, here (TypeError or ValueError).

    keep_all_sentences: a record for every sentence, not only those with a label.
    classifier, geoparser: factories called once per worker (in DoFn.setup) or once per
        process (extract_article) to build the classifier and the geoparser: inject your
        own taxonomy (`lambda: Classifier("my/en/events.yaml")`) or gazetteer
        (`lambda: Geoparser(gazetteer=...)`). Default: the taxonomy in use
        (NEWSEVENTS_TAXONOMY's, else the shipped one), checked first, and the installed
        gazetteer.
    max_article_bytes: a larger article is a dead letter (as `newsevents run` treats it).
    """
    keep_all_sentences: bool = False
    classifier: Callable[[], "Classifier"] | None = None
    geoparser: Callable[[], "Geoparser"] | None = None
    max_article_bytes: int = DEFAULT_MAX_ARTICLE_BYTES

    def __post_init__(self) -> None:
        if not isinstance(self.keep_all_sentences, bool):
            raise TypeError(f"keep_all_sentences must be True or False, not "
                            f"{self.keep_all_sentences!r}")
        for name in ("classifier", "geoparser"):
            factory = getattr(self, name)
            if factory is not None and not callable(factory):
                raise TypeError(f"{name} must be a function that builds one (called once per "
                                f"worker), not {type(factory).__name__}")
        if not isinstance(self.max_article_bytes, int) or self.max_article_bytes <= 0:
            raise ValueError(f"max_article_bytes must be a positive int, not "
                             f"{self.max_article_bytes!r}")

    @classmethod
    def from_pipeline_options(cls, options) -> "ExtractOptions":
        """The extraction options of `newsevents run`'s flags (--keep-all-sentences,
        --max-article-bytes), from a Beam PipelineOptions."""
        from newsevents.options import NewsEventsOptions
        o = options.view_as(NewsEventsOptions)
        return cls(keep_all_sentences=bool(o.keep_all_sentences),
                   max_article_bytes=o.max_article_bytes)

    def build(self, check: bool = True) -> tuple["Classifier", "Geoparser"]:
        """A classifier and a geoparser as these options say (heavy: a few seconds). The
        default taxonomy is checked first (TaxonomyError) unless `check` is False: a worker
        builds what its launcher checked."""
        if self.classifier is None:
            from newsevents.text.classify import Classifier
            if check:
                from newsevents.taxonomy.schema import ensure_valid
                ensure_valid()
            classifier = Classifier()
        else:
            classifier = self.classifier()
        if self.geoparser is None:
            from newsevents.text.geoparse import Geoparser
            geoparser = Geoparser()
        else:
            geoparser = self.geoparser()
        return classifier, geoparser


def _json_default(value: Any) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON")


def to_article(record: Any, source: str = "ExtractEvents",
               max_bytes: int = DEFAULT_MAX_ARTICLE_BYTES) -> Article | DeadLetter:
    """An Article, or a dict with its fields (id, text, published_at as RFC 3339 text or
    an aware datetime, and optionally language, title, url, source) -> an Article, or the
    DeadLetter `newsevents run` would write for the same record (same error types)."""
    if isinstance(record, Article):
        return record
    if not isinstance(record, dict):
        return DeadLetter(source=source, line=None, raw=repr(record)[:RAW_LIMIT],
                          error_type="not_an_object",
                          error=f"an element must be an Article or a dict, not "
                                f"{type(record).__name__}")
    try:
        raw = json.dumps(record, default=_json_default, ensure_ascii=False).encode("utf-8")
    except (TypeError, ValueError) as e:
        return DeadLetter(source=source, line=None, raw=repr(record)[:RAW_LIMIT],
                          error_type="invalid_record", error=f"not JSON-like: {e}")
    parsed = parse_json_line(raw, source, 0, max_bytes=max_bytes)
    return parsed.model_copy(update={"line": None}) if isinstance(parsed, DeadLetter) else parsed


def event_record(row: dict, labels: tuple[str, ...] | None = None) -> dict:
    """A row as events.py builds it -> a plain dict in the shape of `Event` (nested parts as
    dicts, `scores` as {label: score}): JSON-ready, and what WriteToParquet takes with
    EVENT_SCHEMA."""
    if labels is None:
        from newsevents.taxonomy import LABELS
        labels = LABELS
    record = dict(row)
    record["scores"] = dict(zip(labels, row["scores"]))
    for key in ("evidence", "flags", "locations", "actors"):
        record[key] = [part._asdict() for part in row[key]]
    return record


@functools.lru_cache(maxsize=4)
def _parts(options: ExtractOptions) -> tuple["Classifier", "Geoparser"]:
    return options.build()


def extract_article(article: Article | dict, options: ExtractOptions | None = None) -> list[dict]:
    """One article's events without Beam: a record per sentence with a label (per sentence,
    with keep_all_sentences), each a dict in the shape of `Event`. The classifier and the
    geoparser load on the first call (a few seconds) and are kept for the next ones with the
    same options. A record that `newsevents run` would dead-letter raises ValueError with its
    reason."""
    from newsevents.events import extract_events
    options = options or ExtractOptions()
    parsed = to_article(article, max_bytes=options.max_article_bytes)
    if isinstance(parsed, DeadLetter):
        raise ValueError(f"{parsed.error_type}: {parsed.error}")
    classifier, geoparser = _parts(options)
    rows = extract_events(parsed, classifier, geoparser, options.keep_all_sentences).rows
    return [event_record(row) for row in rows]
