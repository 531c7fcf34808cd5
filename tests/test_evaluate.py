"""The evaluation commands, on gold files the tests write themselves."""
import json
from types import SimpleNamespace as NS
from pathlib import Path

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


def test_casualty_figures_are_compared_where_the_gold_gives_them(tmp_path, capsys):
    path = write(tmp_path / "gold.jsonl", [
        {"id": "1", "text": "Rebels killed 12 soldiers and wounded 3 in an ambush.",
         "labels": ["violence"], "killed": 12, "injured": 4, "deaths": 30},
        {"id": "2", "text": "Troops shot dead a 20-year-old man on Route 6.",
         "labels": ["violence"], "killed": None, "deaths": 1},
        {"id": "3", "text": "Gunmen killed 5 people in the market.", "labels": ["violence"],
         "killed": 5, "deaths": 5},
        {"id": "4", "text": "The bakery sold 40 cakes.", "labels": [], "killed": None}])
    assert main(["evaluate", "--gold", path, "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)["figures"]
    assert {k: (v["given"], v["read"], v["equal"], v["spurious"]) for k, v in figures.items()} \
        == {"killed": (2, 2, 2, 0), "injured": (1, 1, 0, 0), "deaths": (3, 2, 1, 0)}
    assert figures["deaths"]["equal_of_read"] == 0.5
    assert main(["evaluate", "--gold", path]) == 0
    assert "casualty figures and actors" in capsys.readouterr().out


def test_gold_without_figures_reports_none(tmp_path, capsys):
    path = write(tmp_path / "gold.jsonl", [
        {"id": "1", "text": "Rebels killed 12 soldiers.", "labels": ["violence"]}])
    assert main(["evaluate", "--gold", path, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["figures"] == {}


def test_the_development_file_of_figures_stays_read():
    """tests/data/casualties_dev.jsonl: the figures read agree where they are read."""
    from newsevents.commands.evaluate.classification import evaluate
    from newsevents.text.classify import Classifier
    gold = [json.loads(line) for line in
            (Path(__file__).parent / "data" / "casualties_dev.jsonl").open(encoding="utf-8")]
    figures = evaluate(gold, Classifier()).figures
    assert figures["killed"]["equal_of_given"] >= 0.75
    assert figures["killed"]["equal_of_read"] >= 0.95
    assert figures["injured"]["equal_of_given"] >= 0.85
    assert figures["killed"]["spurious"] == figures["injured"]["spurious"] == 0
    assert figures["actor1_type"]["equal_of_read"] >= 0.7
    assert figures["actor2_type"]["equal_of_read"] >= 0.75


def test_the_development_file_of_parties_stays_read():
    """tests/data/actors_dev.jsonl: the states of diplomacy and aid rows, and who defected."""
    from newsevents.commands.evaluate.classification import evaluate
    from newsevents.text.classify import Classifier
    gold = [json.loads(line) for line in
            (Path(__file__).parent / "data" / "actors_dev.jsonl").open(encoding="utf-8")]
    figures = evaluate(gold, Classifier()).figures
    for name in ("actor1_country", "actor2_country"):
        assert figures[name]["equal_of_given"] >= 0.8
        assert figures[name]["equal_of_read"] >= 0.95
        assert figures[name]["spurious"] == 0
    assert figures["actor1_type"]["equal_of_given"] >= 0.6


def test_actor_types_are_compared_where_the_gold_gives_them(tmp_path, capsys):
    path = write(tmp_path / "gold.jsonl", [
        {"id": "1", "text": "Soldiers killed two rebels in the hills.", "labels": ["violence"],
         "actor1_type": "state_forces", "actor2_type": "civilians"},
        {"id": "2", "text": "Gunmen killed two farmers.", "labels": ["violence"],
         "actor1_type": None, "actor2_type": "civilians"}])
    assert main(["evaluate", "--gold", path, "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)["figures"]
    assert {k: (v["given"], v["read"], v["equal"], v["spurious"]) for k, v in figures.items()} \
        == {"actor1_type": (1, 1, 1, 0), "actor2_type": (2, 2, 1, 0)}


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
    # false alarms: the ordinary sections' sentences that report no violence (fans attacked
    # outside a stadium do)
    ordinary = [r["text"] for r in records
                if r["section"] in ("business", "sport", "technology", "entertainment")
                and "violence" not in r["labels"]]
    assert rates(ordinary, Classifier())["per_1000"]["violence"] <= 10


# --- per detected language, vetoes (issue 23) -------------------------------------------------

MIXED = [
    {"id": "en1", "text": "Rebels shelled the army base outside the town overnight.",
     "labels": ["violence"]},
    {"id": "en2", "text": "The bakery on the corner opened a second shop this week.",
     "labels": ["violence"]},
    {"id": "es1", "text": "Hombres armados mataron a tres campesinos en una vereda del Cauca.",
     "labels": ["violence"]},
    {"id": "es2", "text": "La panadería de la esquina abrió una segunda tienda esta semana.",
     "labels": ["none"]}]


def test_figures_per_detected_language():
    answers = {MIXED[0]["text"]: ["violence"], MIXED[2]["text"]: ["violence"],
               MIXED[3]["text"]: ["violence"]}
    report = classification.evaluate(MIXED, FakeClassifier(answers))
    en, es = report.by_language["en"], report.by_language["es"]
    assert (en["records"], en["tp"], en["fp"], en["fn"]) == (2, 1, 0, 1)
    assert en["recall"] == 0.5 and en["label_recall"] == {"violence": 0.5}
    assert (es["records"], es["tp"], es["fp"], es["fn"]) == (2, 1, 1, 0)
    assert es["precision"] == 0.5 and es["recall"] == 1.0
    text = "\n".join(classification.format_by_language(report))
    assert "by detected language" in text
    assert [ln.split()[:2] for ln in text.splitlines()[3:]] == [["all", "4"], ["en", "2"],
                                                                ["es", "2"]]
    only = classification.evaluate(MIXED, FakeClassifier(answers), "es")
    assert [r.id for r in only.records] == ["es1", "es2"] and only.micro["fp"] == 1
    with pytest.raises(classification.GoldError, match="no record is detected as 'fr'"):
        classification.evaluate(MIXED, FakeClassifier(answers), "fr")


def test_the_command_keeps_one_detected_language(tmp_path, capsys):
    path = write(tmp_path / "gold.jsonl", MIXED)
    assert main(["evaluate", "--gold", path, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out["by_language"]) == {"en", "es"} and out["records"] == 4
    assert main(["evaluate", "--gold", path, "--language", "en", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["records"] == 2 and out["language"] == "en" and set(out["by_language"]) == {"en"}
    for bad, message in (("fr", "no record is detected as 'fr'"), ("EN!", "bad --language")):
        assert main(["evaluate", "--gold", path, "--language", bad]) == 2
        err = capsys.readouterr().err.strip()
        assert message in err and len(err.splitlines()) == 1


# sentences of our own, each labelled violence in the gold file but not by the classifier:
# a negated trigger, a trigger given another sense, a figure of speech, and no trigger at all
MISSED = [
    {"id": "neg", "text": "Soldiers did not attack the village on Sunday.", "labels": ["violence"]},
    {"id": "sense", "text": "Rebel leaders attacked the peace plan on the radio.",
     "labels": ["violence"]},
    {"id": "figure", "text": "The new rules are killing the high street, shop owners say.",
     "labels": ["violence"]},
    {"id": "nothing", "text": "The bakery opened a second shop.", "labels": ["violence"]},
    {"id": "hit", "text": "Rebels shelled the army base overnight.", "labels": ["violence"]}]


def test_vetoes_list_the_flags_on_missed_labels(tmp_path, capsys):
    from newsevents.text.classify import Classifier
    classifier = Classifier()
    report = classification.evaluate(MISSED, classifier)
    v = classification.vetoes(report, classifier, examples=2)
    missed = [r for r in report.records if "violence" not in r.predicted]
    assert v["misses"] == len(missed) and v["misses"] >= 3
    no_flag = [r for r in missed if not any(f.label == "violence" for f in r.result.flags)]
    assert v["without_flag"] == len(no_flag) and "nothing" in {r.id for r in no_flag}
    # every violence flag on a missed record is counted once, under its rule and kind
    flags = {(r.id, f.rule, f.kind, f.start) for r in missed for f in r.result.flags
             if f.label == "violence"}
    assert sum(g["flags"] for g in v["by_rule"]) == len(flags) == sum(v["by_kind"].values())
    negated = next(g for g in v["by_rule"] if g["kind"] == "negated")
    assert negated["decided"] == {"'not'": 1} and negated["examples"][0]["id"] == "neg"
    for g in v["by_rule"]:
        if g["kind"] == "context":
            assert all(d.startswith("needs missing: ") and "?" not in d for d in g["decided"])
    # the hit is no miss: nothing of it is listed
    assert all(x["id"] != "hit" for g in v["by_rule"] for x in g["examples"])
    path = write(tmp_path / "gold.jsonl", MISSED)
    assert main(["evaluate", "--gold", path, "--vetoes"]) == 0
    text = capsys.readouterr().out
    assert "vetoed triggers on the missed labels" in text and "decided by 'not'" in text
    # the false-negative listing names each flag's cue
    assert "'attack' negated (violence.attack) by 'not'" in text
    assert main(["evaluate", "--gold", path, "--vetoes", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["vetoes"]["misses"] == v["misses"] and out["vetoes"]["by_kind"] == v["by_kind"]


def test_a_sense_veto_names_its_word_and_condition():
    from newsevents.text.classify import Classifier
    classifier = Classifier()
    report = classification.evaluate(MISSED[1:2], classifier)
    sense = [f for f in report.records[0].result.flags if f.kind == "sense"]
    v = classification.vetoes(report, classifier)
    listed = [g for g in v["by_rule"] if g["kind"] == "sense"]
    assert len(listed) == len({f.rule for f in sense})
    for g in listed:
        cue = next(f.cue for f in sense if f.rule == g["rule"])
        assert g["decided"] == {repr(cue.lower()): 1}
        assert g["examples"][0]["unless"]


# --- rates per category (issue 23) ------------------------------------------------------------

def test_rates_per_value_count_a_record_in_each_of_its_values():
    from newsevents.commands.evaluate.rate import rates_by, values_of
    assert values_of({"c": ["b", "a", "a"]}, "c") == ["a", "b"]
    assert values_of({"c": "sport"}, "c") == ["sport"]
    assert values_of({"c": []}, "c") == values_of({}, "c") == ["(none)"]
    records = [
        {"text": "Rebels shelled the town. Prices rose.", "cat": ["war", "economy"]},
        {"text": "Prices rose. The bank cut rates. Shares fell.", "cat": ["economy"]},
        {"text": "The team won the cup.", "cat": "sport"},
        {"text": "Gunmen killed two guards.", "cat": ["crime"]}]
    answers = {"Rebels shelled the town.": ["violence"], "Gunmen killed two guards.": ["violence"]}
    r = rates_by(records, FakeClassifier(answers), "cat", outside={"war", "crime"})
    assert list(r["values"]) == ["economy", "crime", "sport", "war"]     # most records first
    economy = r["values"]["economy"]
    assert (economy["texts"], economy["sentences"], economy["labelled"]["violence"]) == (2, 5, 1)
    assert economy["per_1000"]["violence"] == 200.0
    assert r["values"]["war"]["sentences"] == 2 and r["values"]["sport"]["labelled"]["any"] == 0
    assert (r["all"]["texts"], r["all"]["sentences"], r["all"]["labelled"]["violence"]) == \
        (4, 7, 2)
    # outside war and crime: the second and third records
    assert (r["outside"]["texts"], r["outside"]["sentences"],
            r["outside"]["labelled"]["any"]) == (2, 4, 0)
    pooled = rates_by(records, FakeClassifier(answers), "cat", min_records=2)
    assert list(pooled["values"]) == ["economy"] and pooled["others"]["texts"] == 2


def test_the_rate_command_by_category(tmp_path, capsys):
    path = write(tmp_path / "news.jsonl", [
        {"id": "1", "categories": ["Sport"], "text": "The striker shot wide. The crowd sang."},
        {"id": "2", "categories": ["Crime", "Local"],
         "text": "Gunmen killed four villagers on Sunday. The market reopened."},
        {"id": "3", "categories": ["Local"], "text": "The council approved the new budget."}])
    assert main(["evaluate-rate", "--gold", path, "--by", "categories", "--outside", "Crime",
                 "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["values"]["Crime"]["labelled"]["violence"] == 1
    assert out["values"]["Local"]["texts"] == 2 and out["values"]["Local"]["sentences"] == 3
    assert out["all"]["sentences"] == 5 and out["outside"]["labelled"]["any"] == 0
    assert out["outside"]["texts"] == 2 and out["outside_values"] == ["Crime"]
    assert main(["evaluate-rate", "--gold", path, "--by", "categories", "--outside", "Crime",
                 "--show", "3"]) == 0
    text = capsys.readouterr().out
    assert "outside: the records with none of Crime" in text
    assert "Crime: 1 labelled sentences" in text and "Gunmen killed four villagers" in text
    assert "violence.kill" in text


@pytest.mark.parametrize("argv, message", [
    (["--outside", "Crime"], "go with --by"),
    (["--by", "section"], "has a field 'section'"),
    (["--by", "categories", "--outside", "War"], "no record has categories 'War'"),
    (["--by", "categories", "--min-records", "0"], "at least 1"),
])
def test_the_rate_command_by_category_bad_options(tmp_path, capsys, argv, message):
    path = write(tmp_path / "news.jsonl", [{"id": "1", "categories": ["Crime"],
                                            "text": "Prices rose."}])
    assert main(["evaluate-rate", "--gold", path, *argv]) == 2
    err = capsys.readouterr().err.strip()
    assert message in err and len(err.splitlines()) == 1


def test_a_bad_gold_line_is_one_line_with_by(tmp_path, capsys):
    path = tmp_path / "news.jsonl"
    path.write_text('{"id": "1", "categories": ["Crime"], "text": "Prices rose."}\n{oops\n')
    assert main(["evaluate-rate", "--gold", str(path), "--by", "categories"]) == 2
    err = capsys.readouterr().err.strip()
    assert "news.jsonl:2: not JSON" in err and len(err.splitlines()) == 1
    assert main(["evaluate", "--gold", str(path), "--vetoes"]) == 2
    err = capsys.readouterr().err.strip()
    assert "news.jsonl:2: not JSON" in err and len(err.splitlines()) == 1
