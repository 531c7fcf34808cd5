"""Reading input files into articles or dead letters: pure functions, no Beam.

Every record read ends as an Article or a DeadLetter, never silently dropped; the caller
counts what it reads so the manifest can check that read = valid + dead letters.
"""
from __future__ import annotations

import gzip
import re
import zlib
from collections.abc import Iterator
from datetime import datetime
from pathlib import PurePath
from typing import BinaryIO

from pydantic import ValidationError

from newsevents.schemas import Article, DeadLetter
from newsevents.schemas.dead_letter import RAW_LIMIT

DEFAULT_MAX_ARTICLE_BYTES = 2_000_000
# C0 controls other than tab, newline and carriage return. Replaced one-for-one by a space so
# character offsets into the text stay valid; NUL instead rejects the record (binary data).
_CONTROL = {c: " " for c in range(0x20) if c not in (0x09, 0x0A, 0x0D)}
_CONTROL[0x7F] = " "
# str.translate with a dict looks up every character in Python; this search, in C, finds
# out first whether there is anything to replace.
_HAS_CONTROL = re.compile("[" + "".join(map(chr, _CONTROL)) + "]")

Record = Article | DeadLetter


def _raw(data: bytes | str) -> str:
    if isinstance(data, bytes):
        data = data.decode("utf-8", errors="backslashreplace")
    return data[:RAW_LIMIT]


def _dead(source: str, line: int | None, raw: bytes | str, error_type: str, error: str) -> DeadLetter:
    return DeadLetter(source=source, line=line, raw=_raw(raw), error_type=error_type, error=error)


def _explain(e: ValidationError) -> tuple[str, str]:
    """Map pydantic's first error to a stable error_type and a one-line reason."""
    err = e.errors(include_url=False)[0]
    kind, loc = err["type"], ".".join(str(p) for p in err["loc"])
    if kind == "json_invalid":
        return "invalid_json", f"not valid JSON: {err['msg'].removeprefix('Invalid JSON: ')}"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return "not_an_object", "the JSON value is not an object"
    if kind == "missing":
        return "missing_field", f"required field '{loc}' is missing"
    if loc in ("id", "text") and kind in ("string_too_short", "value_error"):
        return "empty_field", f"field '{loc}' is empty"
    if loc == "published_at":
        return "invalid_published_at", f"field 'published_at': {err['msg']}"
    return "invalid_field", f"field '{loc}': {err['msg']}"


def _check_text(article: Article, source: str, line: int | None, raw, max_bytes: int) -> Record:
    text = article.text
    if len(text) > max_bytes // 4 and len(text.encode("utf-8")) > max_bytes:
        return _dead(source, line, raw, "too_large",
                     f"article text is larger than the limit of {max_bytes} bytes")
    if "\x00" in text:
        return _dead(source, line, raw, "control_characters", "article text contains NUL characters")
    if not _HAS_CONTROL.search(text):
        return article
    clean = text.translate(_CONTROL)
    return article if clean == text else article.model_copy(update={"text": clean})


def parse_json_line(raw: bytes, source: str, line: int, *, last: bool = False,
                    max_bytes: int = DEFAULT_MAX_ARTICLE_BYTES) -> Record:
    """One JSONL line (without its newline) -> Article or DeadLetter."""
    if line == 1 and raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]  # a byte-order mark is an encoding artefact, not content
    if raw.endswith(b"\r"):
        raw = raw[:-1]  # CRLF line endings
    if not raw.strip():
        return _dead(source, line, raw, "empty_line", "empty line where a JSON record was expected")
    if len(raw) > max_bytes * 2:  # JSON escapes can double the size of the text they carry
        return _dead(source, line, raw, "too_large", f"record is larger than {max_bytes * 2} bytes")
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as e:
        return _dead(source, line, raw, "invalid_utf8", f"not valid UTF-8 at byte {e.start}")
    try:
        article = Article.model_validate_json(raw)
    except ValidationError as e:
        error_type, error = _explain(e)
        if last and error_type == "invalid_json":
            error_type, error = "truncated_record", "last line of the file is cut off: " + error
        return _dead(source, line, raw, error_type, error)
    return _check_text(article, source, line, raw, max_bytes)


def iter_jsonl(fh: BinaryIO, source: str, *, max_bytes: int = DEFAULT_MAX_ARTICLE_BYTES,
               start: int = 0, end: int | None = None,
               first_line: int = 1) -> Iterator[tuple[int, Record]]:
    """Every line of a JSON Lines file (gzip if the name ends in .gz), as (line, record);
    or of the chunk of a plain file from byte `start` (a line start, line `first_line`) to
    byte `end` (just after a newline)."""
    stream = gzip.GzipFile(fileobj=fh) if source.endswith(".gz") else fh
    if start:
        fh.seek(start)
    remaining = None if end is None else end - start
    line, pending = first_line - 1, None
    try:
        for raw in stream:
            if pending is not None:
                line += 1
                yield line, parse_json_line(pending[:-1], source, line, max_bytes=max_bytes)
                pending = None
            if remaining is not None:
                if remaining <= 0:
                    break
                remaining -= len(raw)
            pending = raw
        if pending is not None:
            line += 1
            complete = pending.endswith(b"\n")
            yield line, parse_json_line(pending[:-1] if complete else pending, source, line,
                                        last=not complete, max_bytes=max_bytes)
    except (OSError, EOFError, zlib.error) as e:
        # A corrupt or truncated archive: what was read stands, the rest is one dead letter.
        yield line + 1, _dead(source, line + 1, b"", "corrupt_file",
                    f"compressed file is corrupt or truncated after line {line}: {e}")


def parse_published_at(value: str) -> datetime:
    """An option's RFC 3339 time, read exactly as an input record's `published_at` (UTC);
    ValueError where it is not one."""
    import json
    return Article.model_validate_json(json.dumps(
        {"id": "x", "text": "x", "published_at": value})).published_at


def parse_text_file(data: bytes, source: str, published_at: datetime | None, *,
                    max_bytes: int = DEFAULT_MAX_ARTICLE_BYTES,
                    language: str | None = None) -> Record:
    """A .txt file is one article; its id is the file name without extension, its language
    `language` when given (else detected later)."""
    article_id = PurePath(source).stem
    if published_at is None:
        return _dead(source, None, data, "missing_published_at",
                     "a .txt article needs --published-at (its event time)")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8").replace("\r\n", "\n")
    except UnicodeDecodeError as e:
        return _dead(source, None, data, "invalid_utf8", f"not valid UTF-8 at byte {e.start}")
    try:
        article = Article(id=article_id, text=text, published_at=published_at,
                          language=language)
    except ValidationError as e:
        return _dead(source, None, data, *_explain(e))
    return _check_text(article, source, None, data, max_bytes)


def is_text_file(path: str) -> bool:
    return path.lower().endswith(".txt")


def duplicate_letter(article: Article, source: str, line: int | None,
                     first_source: str, first_line: int | None) -> DeadLetter:
    where = f"{first_source}:{first_line}" if first_line else first_source
    return _dead(source, line, article.model_dump_json(), "duplicate_id",
                 f"id '{article.id}' was already read at {where}; the first one is kept")
