"""The evaluation commands, on gold files the tests write themselves."""
import json
from types import SimpleNamespace as NS

import pytest

from newsevents.cli import main
from newsevents.commands.evaluate import classification, geo


class FakeClassifier:
    """Predicts from a dict text -> labels: known answers for the arithmetic."""
    version = "fake"

    def __init__(self, answers):
        self.answers = answers

    def classify(self, text, language="en"):
        return NS(labels=tuple(self.answers.get(text, ())), evidence=(), flags=())


def test_scores_follow_the_counts():
    gold = [{"id": "1", "text": "a", "labels": ["violence"]},
            {"id": "2", "text": "b", "labels": ["none"]},
            {"id": "3", "text": "c", "labels": ["diplomacy", "violence"]},
            {"id": "4", "text": "d", "labels": []}]
    predicted = {"a": ["violence"], "b": ["violence"], "c": ["diplomacy"]}
    report = classification.evaluate(gold, FakeClassifier(predicted))
    v = report.per_label["violence"]
    assert (v["tp"], v["fp"], v["fn"]) == (1, 1, 1)
    assert v["precision"] == v["recall"] == 0.5
    assert report.micro["tp"] == 2 and report.micro["fp"] == 1 and report.micro["fn"] == 1
    assert report.micro["f1"] == pytest.approx(2 / 3, abs=1e-4)
    assert report.exact_match == 0.5
    assert report.confusion["none"]["violence"] == 1 and report.confusion["none"]["none"] == 1


def test_a_perfect_classifier_scores_one():
    gold = [{"id": str(i), "text": t, "labels": labs}
            for i, (t, labs) in enumerate([("a", ["defection"]), ("b", ["aid_movement"])])]
    report = classification.evaluate(gold, FakeClassifier({"a": ["defection"],
                                                           "b": ["aid_movement"]}))
    assert report.micro["f1"] == 1.0 and report.macro_f1 == 1.0


def write(path, records):
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return str(path)


def test_the_command_filters_and_prints_json(tmp_path, capsys):
    path = write(tmp_path / "gold.jsonl", [
        {"id": "1", "text": "Rebels shelled the town overnight.", "labels": ["violence"],
         "lang": "en"},
        {"id": "2", "text": "The bakery opened a new shop.", "labels": ["none"], "lang": "en"},
        {"id": "3", "text": "Los rebeldes atacaron.", "labels": ["violence"], "lang": "es"}])
    assert main(["evaluate", "--gold", path, "--filter", "lang=en", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["records"] == 2 and out["classifier"].startswith("taxonomy-")
    assert out["per_label"]["violence"]["tp"] == 1 and out["micro"]["fp"] == 0
    assert main(["evaluate", "--gold", path]) == 0
    text = capsys.readouterr().out
    assert "micro" in text and "false negatives" in text and "confusion" in text


@pytest.mark.parametrize("records, message", [
    ([{"id": "1", "text": "x", "labels": ["war"]}], "unknown label"),
    ([{"id": "1", "text": "x", "labels": "violence"}], "list of strings"),
])
def test_bad_gold_is_one_line_and_exit_2(tmp_path, capsys, records, message):
    path = write(tmp_path / "gold.jsonl", records)
    assert main(["evaluate", "--gold", path]) == 2
    err = capsys.readouterr().err.strip()
    assert message in err and len(err.splitlines()) == 1


def test_missing_gold_file(tmp_path, capsys):
    assert main(["evaluate-geo", "--gold", str(tmp_path / "nope.jsonl")]) == 2
    assert "not found" in capsys.readouterr().err


def mention(start, end, lat, lon, feature="city"):
    return NS(start=start, end=end, surface="x",
              place=NS(latitude=lat, longitude=lon, name="x", country_code="XX",
                       feature=feature))


def test_haversine():
    assert geo.haversine_km(48.8566, 2.3522, 51.5074, -0.1278) == pytest.approx(344, abs=2)


def test_geo_matching_overlap_and_dropped_toponyms():
    gold = [{"start": 0, "end": 5, "lat": 0.0, "lon": 0.0},
            {"start": 10, "end": 15, "lat": 10.0, "lon": 10.0}]
    dropped = [{"start": 30, "end": 35}]
    predicted = [mention(2, 7, 0.0, 1.0),        # overlaps the first, 111 km off
                 mention(20, 25, 0, 0),           # nothing there: a false positive
                 mention(31, 33, 0, 0)]           # overlaps a dropped toponym: neither way
    doc = geo.score_document("x" * 40, gold, dropped, predicted)
    assert (doc.tp, doc.fp, doc.fn) == (1, 1, 1)
    assert doc.errors_km == [pytest.approx(111.2, abs=0.5)]


def test_a_country_is_right_where_the_gold_point_lies_inside_it():
    # the gold point is 800 km from Russia's point but inside Russia; a city that far is wrong
    gold = [{"start": 0, "end": 6, "lat": 61.0, "lon": 40.0},
            {"start": 10, "end": 16, "lat": 61.0, "lon": 40.0}]
    russia = mention(0, 6, 61.0, 55.0, "country")
    russia.place.country_code = "RU"
    town = mention(10, 16, 61.0, 55.0)
    town.place.country_code = "RU"
    at = geo.PointCountry()
    doc = geo.score_document("x" * 20, gold, [], [russia, town], geo.Holders(at))
    assert doc.right_or_country == [True, False]
    assert not any(e <= geo.NEAR_KM for e in doc.errors_km)
    # a disputed area counts for either claimant: a point in Crimea
    assert {"UA", "RU"} <= at(44.95, 34.1)
    assert at(48.85, 2.35) == {"FR"}


@pytest.fixture(scope="module")
def holders():
    return geo.Holders()


def wide(name, feature, lat=0.0, lon=0.0, code="", gid=None):
    return NS(name=name, feature=feature, latitude=lat, longitude=lon, country_code=code,
              geonameid=gid)


@pytest.mark.parametrize("place, lat, lon, right", [
    # a region holds its member countries' points, not its neighbours'
    (wide("Sahel", "region", 15.0, 5.0), 13.5, 2.1, True),           # Niamey, Niger
    (wide("Sahel", "region", 15.0, 5.0), 5.6, -0.2, False),          # Accra, Ghana
    # a sea holds the points in its box, wherever its centre is drawn
    (wide("Black Sea", "region", 43.0, 35.0), 44.6, 33.5, True),     # off Sevastopol
    (wide("Black Sea", "region", 43.0, 35.0), 39.9, 32.9, False),    # Ankara, inland
    # a box across the 180th meridian
    (wide("Pacific Ocean", "region", 0.0, -160.0), 10.0, 170.0, True),
    (wide("Pacific Ocean", "region", 0.0, -160.0), 10.0, 100.0, False),
    # a continent holds its countries' points: Africa holds Nairobi, not Madrid
    (wide("Africa", "continent", 7.2, 21.1), -1.29, 36.82, True),
    (wide("Africa", "continent", 7.2, 21.1), 40.4, -3.7, False),
    # a country holds its points; a city 500 km off is wrong
    (wide("Canada", "country", 56.0, -106.0, "CA"), 45.5, -73.6, True),
    (wide("Montreal", "city", 45.5, -73.6, "CA"), 43.65, -79.38, False),
])
def test_a_wide_place_is_right_where_it_holds_the_gold_point(holders, place, lat, lon, right):
    km = geo.haversine_km(place.latitude, place.longitude, lat, lon)
    assert km > geo.NEAR_KM
    assert geo.right_or_held(place, {"lat": lat, "lon": lon}, km, holders) is right


def test_the_gold_places_own_id_is_right_whatever_the_distance(holders):
    # a province whose point one gold set draws 300 km from ours: the same GeoNames id
    province = wide("Alberta", "admin1", 55.0, -115.0, "CA", gid=5883102)
    gold = {"lat": 52.3, "lon": -113.5, "geonameid": 5883102}
    km = geo.haversine_km(55.0, -115.0, 52.3, -113.5)
    assert km > geo.NEAR_KM
    assert geo.right_or_held(province, gold, km, holders)
    assert not geo.right_or_held(province, {**gold, "geonameid": 6093943}, km, holders)
    assert not geo.right_or_held(province, {"lat": 52.3, "lon": -113.5}, km, holders)
    # the strict key counts distance only
    doc = geo.score_document("Alberta", [{"start": 0, "end": 7, **gold}], [],
                             [NS(start=0, end=7, surface="Alberta", place=province)], holders)
    assert doc.right_or_country == [True] and doc.errors_km[0] > geo.NEAR_KM


def test_every_region_says_what_it_holds():
    from newsevents.taxonomy import PLACES_YAML, read_yaml
    for name, region in read_yaml(PLACES_YAML)["regions"].items():
        assert len(region["at"]) == 2, name
        assert region.get("countries") or len(region.get("box", ())) == 4, name


def test_geo_command_end_to_end(tmp_path, capsys):
    text = "Shells hit Aleppo on Monday while talks went on in Geneva."
    path = write(tmp_path / "geo.jsonl", [{"id": "d1", "text": text, "toponyms": [
        {"start": text.index("Aleppo"), "end": text.index("Aleppo") + 6,
         "lat": 36.2, "lon": 37.16, "kind": "city"},
        {"start": text.index("Geneva"), "end": text.index("Geneva") + 6,
         "lat": 46.2, "lon": 6.15, "kind": "other"}]}])
    assert main(["evaluate-geo", "--gold", path, "--toponym-filter", "kind=city",
                 "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["tp"], out["fp"], out["fn"]) == (1, 0, 0)      # Geneva dropped: neither way
    assert out["accuracy_161km"] == 1.0 and out["median_error_km"] < 10
    assert out["accuracy_161km_or_country"] == 1.0


def test_location_command_scores_the_first_event_sentence(tmp_path, capsys):
    # the first sentence names no event, the second one does: its place is scored
    records = [
        {"id": "a", "text": "Officials met in Geneva on Monday. Troops shelled Aleppo overnight.",
         "country_code": "SY", "latitude": 36.2, "longitude": 37.16},
        {"id": "b", "text": "Gunmen killed two farmers in Kandahar.", "country_code": "AF",
         "lat": 31.61, "lon": 65.71, "published_at": "2024-05-01T00:00:00Z"},
        {"id": "c", "text": "Nothing else was reported.", "country_code": "AF",
         "lat": 31.61, "lon": 65.71}]
    path = write(tmp_path / "loc.jsonl", records)
    assert main(["evaluate-location", "--gold", path, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["records"] == 3
    assert out["country_accuracy"] == out["within_25km"] == out["within_161km"] == \
        pytest.approx(2 / 3, abs=1e-3)
    assert out["no_location"] == pytest.approx(1 / 3, abs=1e-3)
    assert out["median_km"] < 25
    assert main(["evaluate-location", "--gold", path]) == 0
    assert "c: true AF, got -" in capsys.readouterr().out


def test_location_command_needs_a_true_point(tmp_path, capsys):
    path = write(tmp_path / "loc.jsonl", [{"id": "a", "text": "Shells hit Aleppo.",
                                          "country_code": "SY"}])
    assert main(["evaluate-location", "--gold", path]) == 2
    assert "needs text, country_code, latitude and longitude" in capsys.readouterr().err


def test_location_command_skips_bad_lines_naming_them(tmp_path, capsys):
    good = {"id": "a", "text": "Gunmen killed two farmers in Kandahar.", "country_code": "AF",
            "latitude": 31.61, "longitude": 65.71}
    path = tmp_path / "loc.jsonl"
    path.write_text(json.dumps(good) + "\n{not json\n"
                    + json.dumps({**good, "id": None}) + "\n"
                    + json.dumps({k: v for k, v in good.items() if k != "id"}) + "\n",
                    encoding="utf-8")
    assert main(["evaluate-location", "--gold", str(path), "--json"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["records"] == 1
    warnings = captured.err.strip().splitlines()
    assert [w.split(": ")[2].split(":")[1] for w in warnings] == ["2", "3", "4"]
    assert "not JSON" in warnings[0] and "no id" in warnings[1] and "Traceback" not in captured.err
    # a file with nothing usable left is one error line and exit 2
    path.write_text("{not json\n", encoding="utf-8")
    assert main(["evaluate-location", "--gold", str(path)]) == 2
    assert "newsevents: error:" in capsys.readouterr().err


def test_location_command_shows_the_sentence_and_the_true_place(tmp_path, capsys):
    text = "Rebels shelled Aleppo overnight."
    path = write(tmp_path / "loc.jsonl", [
        {"id": "a", "text": text, "country_code": "AF", "latitude": 31.61, "longitude": 65.71,
         "place": "Kandahar"}])
    assert main(["evaluate-location", "--gold", path]) == 0
    out = capsys.readouterr().out
    assert "a: true Kandahar (AF), got Aleppo (SY" in out and text in out


def test_location_command_scores_labelled_records_and_precise_distances(tmp_path, capsys):
    records = [
        # an event, its point precise
        {"id": "a", "text": "Gunmen killed two farmers in Kandahar.", "country_code": "AF",
         "latitude": 31.61, "longitude": 65.71, "prec": 1},
        # an event whose point is a province's: its country counts, not its distance
        {"id": "b", "text": "Gunmen killed two farmers in Kandahar.", "country_code": "AF",
         "latitude": 33.0, "longitude": 68.0, "prec": 4},
        # no event the classifier sees: left out with --labelled
        {"id": "c", "text": "The bakery in Kandahar opened a shop.", "country_code": "AF",
         "latitude": 31.61, "longitude": 65.71, "prec": 1}]
    path = write(tmp_path / "loc.jsonl", records)
    assert main(["evaluate-location", "--gold", path, "--json", "--labelled",
                 "--distance-filter", "prec=1,2"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["records"], out["scored"], out["unlabelled"]) == (3, 2, 1)
    assert out["distance_records"] == 1 and out["within_25km"] == 1.0
    assert out["country_accuracy"] == 1.0 and out["no_location"] == 0.0
    assert main(["evaluate-location", "--gold", path, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["scored"] == out["distance_records"] == 3
    assert out["within_25km"] == pytest.approx(2 / 3, abs=1e-3)


def test_output_piped_to_a_reader_that_leaves_early_is_not_an_error(tmp_path):
    import subprocess
    import sys
    path = write(tmp_path / "gold.jsonl", [
        {"id": str(i), "text": f"Troops shelled the town, report {i}. " + "Words. " * 60,
         "labels": ["diplomacy"]} for i in range(400)])
    # hundreds of kilobytes of errors listed: more than a pipe holds once `head` has gone
    cmd = (f"{sys.executable} -m newsevents evaluate --gold {path} --show 400 "
           "| head -n 1")
    done = subprocess.run(cmd, shell=True, capture_output=True, text=True, timeout=120)
    assert done.stdout.startswith("gold:")
    assert "Traceback" not in done.stderr and "BrokenPipe" not in done.stderr


def test_rates_count_labelled_sentences_per_thousand():
    from newsevents.commands.evaluate.rate import rates
    texts = ["Rebels shelled the town. The bakery opened a new shop.", "Prices rose."]
    answers = {"Rebels shelled the town.": ["violence"]}
    r = rates(texts, FakeClassifier(answers))
    assert r["sentences"] == 3 and r["labelled"]["violence"] == 1
    assert r["per_1000"]["violence"] == pytest.approx(333.3) and r["per_1000"]["diplomacy"] == 0


def test_the_rate_command_reads_text_or_synthetic_calm_sentences(tmp_path, capsys):
    path = write(tmp_path / "news.jsonl", [
        {"id": "1", "section": "sport", "text": "United had two probing attacks early on. "
                                               "The striker shot wide."},
        {"id": "2", "section": "wire", "text": "Gunmen killed four villagers on Sunday."}])
    assert main(["evaluate-rate", "--gold", path, "--filter", "section=sport", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["sentences"] == 2 and out["labelled"]["any"] == 0
    assert main(["evaluate-rate", "--gold", path, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["labelled"]["violence"] == 1
    # newsevents synth's non-event sentences must stay quiet
    assert main(["evaluate-rate", "--synth", "2000", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["sentences"] >= 2000 and out["labelled"]["any"] == 0
    assert main(["evaluate-rate", "--synth", "5", "--gold", path]) == 2


def test_the_development_set_is_well_formed_and_scored():
    """tests/data/events_dev.jsonl: the project's own labelled sentences (see its README)."""
    from pathlib import Path

    from newsevents.commands.evaluate.common import read_gold
    from newsevents.commands.evaluate.rate import rates
    from newsevents.text.classify import Classifier
    records = list(read_gold(Path(__file__).parent / "data" / "events_dev.jsonl"))
    assert len(records) >= 300 and len({r["id"] for r in records}) == len(records)
    assert all(r["section"] and r["batch"].isalpha() for r in records)
    report = classification.evaluate(records, Classifier())
    assert report.micro["f1"] >= 0.95
    ordinary = [r["text"] for r in records
                if r["section"] in ("business", "sport", "technology", "entertainment")]
    assert rates(ordinary, Classifier())["per_1000"]["violence"] <= 10
