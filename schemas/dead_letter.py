"""A record that could not become output, with where it came from and why."""
from __future__ import annotations

import pyarrow as pa
from pydantic import BaseModel

RAW_LIMIT = 2048  # characters of the raw record kept: enough to see the problem, bounded


class DeadLetter(BaseModel):
    source: str
    line: int | None  # 1-based line in a JSONL file; None for a whole-file record (.txt)
    raw: str
    error_type: str  # a stable code: invalid_json, invalid_record, duplicate_id, ...
    error: str  # one sentence a person understands


DEAD_LETTER_SCHEMA = pa.schema([
    pa.field("source", pa.string(), nullable=False),
    pa.field("line", pa.int64()),
    pa.field("raw", pa.string(), nullable=False),
    pa.field("error_type", pa.string(), nullable=False),
    pa.field("error", pa.string(), nullable=False),
])
