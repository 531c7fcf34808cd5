"""Each hand-written Arrow schema agrees with its pydantic model, field by field."""
import types
import typing
from datetime import datetime

import pyarrow as pa
import pytest
from pydantic import BaseModel

from schemas import (DEAD_LETTER_SCHEMA, EVENT_SCHEMA, LOCATION_COUNT_SCHEMA, DeadLetter, Event,
                     LocationCount)


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
    elif annotation is datetime:
        assert pa.types.is_timestamp(t) and t.tz == "UTC", path
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


def test_row_structs_follow_the_models():
    # extract_events gives a row's structs as tuples, which Arrow reads by position
    from newsevents.events import EvidenceRow, FlagRow, LocationRow, ScoresRow
    from schemas.event import LABELS, Evidence, Flag, Location, Scores
    for row_type, model in ((ScoresRow, Scores), (EvidenceRow, Evidence), (FlagRow, Flag),
                            (LocationRow, Location)):
        assert list(row_type._fields) == list(model.model_fields), row_type.__name__
    assert ScoresRow._fields == LABELS
