"""From one article to rows, with the real classifier and geoparser."""
from datetime import datetime, timezone

import pytest

from newsevents.events import event_id, extract_events
from newsevents.text.classify import Classifier
from newsevents.text.geoparse import Geoparser
from newsevents.schemas import Article


@pytest.fixture(scope="module")
def parts():
    return Classifier(), Geoparser()


def article(text: str) -> Article:
    return Article(id="a", text=text, published_at=datetime(2019, 2, 23, tzinfo=timezone.utc))


def test_a_megabyte_sentence_without_punctuation_is_cut_not_fatal(parts):
    text = ("rebels shelled the town near Aleppo and " * 26_000)[:1_000_000]
    extraction = extract_events(article(text), *parts, keep_all=True)
    lengths = [r["char_end"] - r["char_start"] for r in extraction.rows]
    assert extraction.sentences == len(extraction.rows) >= 500
    assert max(lengths) <= 2000
    assert any("violence" in r["labels"] for r in extraction.rows)


def test_rows_carry_article_offsets_and_stable_ids(parts):
    text = "Nothing happened on Monday. Rebels shelled Homs, killing two civilians."
    (row,) = extract_events(article(text), *parts).rows
    start = text.index("Rebels")
    assert (row["char_start"], row["text"]) == (start, text[start:])
    (ev,) = [e for e in row["evidence"] if e.trigger == "shelled"]
    assert text[ev.start:ev.end] == "shelled"
    assert row["event_id"] == event_id("a", start, len(text))
    assert (row["location_name"], row["country_code"], row["location_source"]) == \
        ("Homs", "SY", "sentence")
