"""Each hand-written Arrow schema agrees with its pydantic model, field by field, and the
rows the pipeline builds agree with both."""
import json
import random
import subprocess
import sys
import types
import typing
from datetime import date, datetime, timezone
from pathlib import Path

import pyarrow as pa
import pytest
from pydantic import BaseModel, ValidationError

from newsevents.schemas import (DEAD_LETTER_SCHEMA, EVENT_SCHEMA, LOCATION_COUNT_SCHEMA,
                                DeadLetter, Event, LocationCount)


def _check(annotation, field: pa.Field, path: str):
    args = typing.get_args(annotation)
    optional = type(None) in args and (typing.get_origin(annotation) in (typing.Union, types.UnionType))
    if optional:
        assert field.nullable, f"{path} is optional in the model but not nullable in Arrow"
        (annotation,) = [a for a in args if a is not type(None)]
    else:
        assert not field.nullable, f"{path} is required in the model but nullable in Arrow"
    t = field.type
    if annotation is str:
        assert t == pa.string(), path
    elif annotation is int:
        assert pa.types.is_integer(t), path
    elif annotation is float:
        assert pa.types.is_floating(t), path
    elif annotation is bool:
        assert pa.types.is_boolean(t), path
    elif annotation is datetime:
        assert pa.types.is_timestamp(t) and t.tz == "UTC", path
    elif annotation is date:
        assert pa.types.is_date32(t), path
    elif typing.get_origin(annotation) is list:
        assert pa.types.is_list(t), path
        (inner,) = typing.get_args(annotation)
        item = t.value_field
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            _check_struct(inner, item.type, path + "[]")
        else:
            assert inner is str and item.type == pa.string(), path
    elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
        _check_struct(annotation, t, path)
    else:
        pytest.fail(f"{path}: no Arrow mapping for {annotation}")


def _check_struct(model, struct_type, path):
    assert pa.types.is_struct(struct_type), path
    fields = {struct_type.field(i).name: struct_type.field(i) for i in range(struct_type.num_fields)}
    assert list(fields) == list(model.model_fields), f"{path}: fields differ"
    for name, info in model.model_fields.items():
        _check(info.annotation, fields[name], f"{path}.{name}")


@pytest.mark.parametrize("model, schema", [
    (Event, EVENT_SCHEMA), (LocationCount, LOCATION_COUNT_SCHEMA), (DeadLetter, DEAD_LETTER_SCHEMA)])
def test_arrow_schema_matches_model(model, schema):
    _check_struct(model, pa.struct(list(schema)), model.__name__)


def test_check_catches_a_drifted_schema():
    drifted = pa.struct([f if f.name != "line" else pa.field("line", pa.string()) for f in DEAD_LETTER_SCHEMA])
    with pytest.raises(AssertionError):
        _check_struct(DeadLetter, drifted, "DeadLetter")


def test_schemas_installs_only_as_newsevents_schemas():
    # a top-level `schemas` would clash with other packages'; from the repository's root the
    # folder itself is on the path and refuses the name
    root = Path(__file__).resolve().parent.parent
    for cwd in (root, root.parent):
        assert subprocess.run([sys.executable, "-c", "import schemas"], cwd=cwd,
                              capture_output=True).returncode != 0, cwd


def test_the_labels_are_the_taxonomys():
    from newsevents.schemas.event import Scores
    from newsevents.taxonomy import EVENTS_YAML, LABELS, read_yaml
    assert LABELS == tuple(read_yaml(EVENTS_YAML)["labels"])
    assert tuple(Scores.model_fields) == LABELS
    assert tuple(EVENT_SCHEMA.field("scores").type.names) == LABELS


def test_location_key_is_the_schemas_location():
    from newsevents.events import LOCATION_KEY_FIELDS
    from newsevents.schemas.event import EVENT_LOCATION_FIELDS
    assert list(LOCATION_KEY_FIELDS) == [f.name for f in EVENT_LOCATION_FIELDS]
    assert list(LOCATION_KEY_FIELDS) == [f.name for f in LOCATION_COUNT_SCHEMA
                                         if f.name in LocationCount.model_fields
                                         and f.name not in ("window_start", "window_end",
                                                            "event_type", "sentence_count",
                                                            "article_count",
                                                            "incident_count")]


# --- the row builders against the contract: real rows, every field, in order -------------

def _as_record(value, arrow_type: pa.DataType):
    """A row value as the model reads it: a struct given as a tuple is read by position, as
    Arrow reads it, so its length and (for named tuples) its field names must be the
    struct's exactly."""
    if pa.types.is_struct(arrow_type) and isinstance(value, tuple):
        names = [arrow_type.field(i).name for i in range(arrow_type.num_fields)]
        assert len(value) == len(names), f"{type(value).__name__}: {len(value)} fields, {names}"
        if hasattr(value, "_fields"):
            assert list(value._fields) == names, type(value).__name__
        return {n: _as_record(v, arrow_type.field(n).type) for n, v in zip(names, value)}
    if pa.types.is_list(arrow_type) and isinstance(value, list):
        return [_as_record(v, arrow_type.value_type) for v in value]
    return value


def check_rows(rows: list[dict], schema: pa.Schema, model) -> None:
    """Every row has exactly the schema's columns (a misspelled key would otherwise become a
    null) and validates against the model (no unknown field, none missing, right types)."""
    for row in rows:
        assert sorted(row) == sorted(schema.names), set(row) ^ set(schema.names)
        model.model_validate({k: _as_record(v, schema.field(k).type) for k, v in row.items()})
    pa.Table.from_pylist(rows, schema=schema)       # and Arrow takes them as they are


@pytest.fixture(scope="module")
def real_rows():
    """Rows of the seeds and synthetic articles in both languages, every sentence kept."""
    from newsevents.events import extract_events
    from newsevents.schemas import Article
    from newsevents.commands.synth import make_article
    from newsevents.text.classify import Classifier
    from newsevents.text.geoparse import Geoparser
    parts = Classifier(), Geoparser()
    seeds = Path(__file__).resolve().parent.parent / "seeds"
    lines = [line for f in sorted(seeds.glob("*.jsonl"))
             for line in f.read_text(encoding="utf-8").splitlines() if line.strip()]
    articles = [Article.model_validate_json(line) for line in lines]
    rng, start = random.Random(3), datetime(2019, 2, 18, tzinfo=timezone.utc)
    articles += [Article.model_validate_json(json.dumps(make_article(i, rng, start, 7, lang)))
                 for lang in ("en", "es") for i in range(40)]
    # one list per article, as ExtractEvents gives them
    return [extract_events(a, *parts, keep_all=True).rows for a in articles]


def test_row_structs_name_the_classifiers_fields():
    # events.py copies the classifier's results into the schema's order by name: the same
    # names on both sides (classify's Flag puts `kind` second, the schema last)
    from newsevents.events import EvidenceRow, FlagRow
    from newsevents.text import classify
    assert EvidenceRow._fields == classify.Evidence._fields
    assert sorted(FlagRow._fields) == sorted(classify.Flag._fields)


def test_event_rows_from_real_extraction_are_the_contract(real_rows):
    from newsevents.text import classify
    real_rows = [row for rows in real_rows for row in rows]
    check_rows(real_rows, EVENT_SCHEMA, Event)
    # every part of the contract was exercised
    for column in ("evidence", "flags", "locations", "location_name", "admin2_code"):
        assert any(row[column] for row in real_rows), column
    kinds = {f.kind for row in real_rows for f in row["flags"]}
    assert kinds and kinds <= set(classify.FLAG_KINDS), kinds


def test_count_rows_are_the_contract(real_rows):
    from newsevents.pipeline.count import article_counts, count_row
    rows = [count_row(element, 86_400) for article in real_rows if article
            for element in article_counts(article, 86_400)]
    assert rows
    check_rows(rows, LOCATION_COUNT_SCHEMA, LocationCount)


@pytest.mark.parametrize("change", ["misspelled", "missing", "extra", "short struct"])
def test_a_row_off_the_contract_fails(real_rows, change):
    row = dict(next(r for rows in real_rows for r in rows if r["flags"]))
    if change == "misspelled":
        row["locaton_name"] = row.pop("location_name")
    elif change == "missing":
        del row["language"]
    elif change == "extra":
        row["confidence"] = 1.0
    else:
        row["flags"] = [tuple(row["flags"][0])[:-1]]
    with pytest.raises((AssertionError, ValidationError)):
        check_rows([row], EVENT_SCHEMA, Event)
