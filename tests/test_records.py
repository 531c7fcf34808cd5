"""Reading records: every kind of bad input becomes a dead letter with a reason; good records
around it survive."""
import gzip
import io
import json
from datetime import datetime, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsevents.records import iter_jsonl, parse_text_file
from newsevents.schemas import Article, DeadLetter

GOOD = {"id": "a1", "text": "Police fired tear gas at protesters in Caracas.",
        "published_at": "2019-02-23T10:00:00Z"}


def line(**changes) -> bytes:
    record = {**GOOD, **changes}
    return json.dumps({k: v for k, v in record.items() if v is not ...}).encode()


def read(data: bytes, name="in.jsonl"):
    return list(iter_jsonl(io.BytesIO(data), name, max_bytes=10_000))


BAD = {
    "invalid_json": (b'{"id": "x", "text": ', "invalid_json"),
    "not_an_object": (b'["a", "b"]', "not_an_object"),
    "missing_id": (line(id=...), "missing_field"),
    "empty_id": (line(id=""), "empty_field"),
    "blank_text": (line(text="   "), "empty_field"),
    "missing_text": (line(text=...), "missing_field"),
    "id_wrong_type": (line(id=42), "invalid_field"),
    "text_wrong_type": (line(text=["a"]), "invalid_field"),
    "missing_published_at": (line(published_at=...), "missing_field"),
    "bad_published_at": (line(published_at="last Tuesday"), "invalid_published_at"),
    "published_at_without_zone": (line(published_at="2019-02-23T10:00:00"), "invalid_published_at"),
    "published_at_absurd_past": (line(published_at="0999-01-01T00:00:00Z"), "invalid_published_at"),
    "published_at_absurd_future": (line(published_at="2999-01-01T00:00:00Z"), "invalid_published_at"),
    "invalid_utf8": (b'{"id": "x", "text": "caf\xe9", "published_at": "2019-02-23T00:00:00Z"}', "invalid_utf8"),
    "nul_character": (line(text="before\u0000after"), "control_characters"),
    "raw_nul_byte": (b'{"id": "x",\x00 "text": "t"}', "invalid_json"),
    "empty_line": (b"   ", "empty_line"),
    "too_large": (line(text="word " * 5000), "too_large"),
    "deeply_nested": (b'{"id": "x", "text": "t", "published_at": "2019-02-23T00:00:00Z", "x": '
                      + b"[" * 3000 + b"]" * 3000 + b"}", "invalid_json"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_record_is_a_dead_letter_and_neighbours_survive(case):
    bad, error_type = BAD[case]
    records = read(line(id="before") + b"\n" + bad + b"\n" + line(id="after") + b"\n")
    assert [n for n, _ in records] == [1, 2, 3]
    (_, first), (_, middle), (_, last) = records
    assert isinstance(first, Article) and first.id == "before"
    assert isinstance(last, Article) and last.id == "after"
    assert isinstance(middle, DeadLetter), case
    assert middle.error_type == error_type
    assert middle.source == "in.jsonl" and middle.line == 2
    assert middle.error and len(middle.raw) <= 2048


def test_byte_order_mark_and_crlf_are_read_not_rejected():
    records = read(b"\xef\xbb\xbf" + line(id="a") + b"\r\n" + line(id="b") + b"\r\n")
    assert [r.id for _, r in records] == ["a", "b"]


def test_control_characters_other_than_nul_become_spaces_keeping_offsets():
    (_, article), = read(line(text="one\x0btwo\x1fthree"))
    assert article.text == "one two three"


def test_published_at_is_normalised_to_utc():
    (_, article), = read(line(published_at="2019-02-23T01:00:00-05:00"))
    assert article.published_at == datetime(2019, 2, 23, 6, tzinfo=timezone.utc)


def test_truncated_last_line_is_named_as_such():
    records = read(line(id="a") + b"\n" + line(id="b")[:30])
    assert isinstance(records[0][1], Article)
    assert records[1][1].error_type == "truncated_record"


def test_last_line_without_newline_is_still_a_record():
    assert [r.id for _, r in read(line(id="a") + b"\n" + line(id="b"))] == ["a", "b"]


def test_corrupt_gzip_keeps_what_was_read_and_dead_letters_the_rest():
    whole = gzip.compress(b"".join(line(id=f"a{i}") + b"\n" for i in range(2000)))
    records = read(whole[: len(whole) // 2], name="in.jsonl.gz")
    *good, (n, dead) = records
    assert good and all(isinstance(r, Article) for _, r in good)
    assert isinstance(dead, DeadLetter) and dead.error_type == "corrupt_file"
    assert n == len(good) + 1


def test_gzip_is_read():
    records = read(gzip.compress(line(id="z") + b"\n"), name="x.jsonl.gz")
    assert [r.id for _, r in records] == ["z"]


def test_text_file_needs_published_at():
    dead = parse_text_file(b"Some text.", "/in/abc.txt", None)
    assert isinstance(dead, DeadLetter) and dead.error_type == "missing_published_at"
    when = datetime(2019, 2, 23, tzinfo=timezone.utc)
    article = parse_text_file(b"\xef\xbb\xbfSome text.\r\nMore.", "/in/abc.txt", when)
    assert article.id == "abc" and article.text == "Some text.\nMore."


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_random_bytes_never_crash_and_every_line_is_accounted_for(data):
    records = read(data)
    assert all(isinstance(r, (Article, DeadLetter)) for _, r in records)
    lines = data.count(b"\n") + (0 if data.endswith(b"\n") or not data else 1)
    assert [n for n, _ in records] == list(range(1, lines + 1))


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20)


@settings(max_examples=200, deadline=None)
@given(st.one_of(json_values, st.fixed_dictionaries(
    {"id": json_values, "text": json_values, "published_at": json_values})))
def test_random_json_is_an_article_or_a_dead_letter(value):
    (n, record), = read(json.dumps(value).encode())
    assert n == 1 and isinstance(record, (Article, DeadLetter))


def test_chunks_cover_every_line_once(tmp_path):
    from newsevents.pipeline.read import plan_chunks, read_chunk
    path = tmp_path / "in.jsonl"
    path.write_bytes(b"".join(line(id=f"a{i}", text="x" * (i % 7 + 1)) + b"\n" for i in range(50)))
    chunks = plan_chunks(str(path), chunk_bytes=300)
    assert len(chunks) > 3 and chunks[0][1] == 0 and chunks[-1][2] is None
    assert all(a[2] == b[1] for a, b in zip(chunks, chunks[1:]))     # contiguous
    whole = list(iter_jsonl(path.open("rb"), str(path)))
    pieces = [r for c in chunks for r in read_chunk(c, None, 10_000)]
    assert pieces == whole and [n for n, _ in pieces] == list(range(1, 51))
