"""`newsevents explain`: what decided each sentence's labels, flags and place, on sentences
the tests write themselves. The expectations are read from the classifier and the pipeline's
own rows where the rules may change, so the tests check that explain reports them, whole."""
import json
from datetime import datetime, timezone

import pytest

from newsevents.cli import main
from newsevents.commands import explain as x
from newsevents.events import extract_events
from newsevents.schemas import Article
from newsevents.text.classify import Classifier, tokenize
from newsevents.text.geoparse import Geoparser

DAY = datetime(2024, 3, 1, tzinfo=timezone.utc)
# Triggers beside someone who can use force, that a word gives another sense: attacking a
# plan, killing time or a match, shooting a film. At least one must be flagged `sense`.
OTHER_SENSES = ["Rebel leaders attacked the peace plan on the radio.",
                "Soldiers killed time playing football before the match.",
                "The army side killed off the match with a late goal.",
                "Police officers shot a film about the stadium."]
NEGATED = "Soldiers did not attack the village on Sunday."
PLACES = "Gunmen killed four farmers near the town of Goma in North Kivu province."


@pytest.fixture(scope="module")
def classifier():
    return Classifier()


@pytest.fixture(scope="module")
def geoparser():
    return Geoparser()


def article(text, language=None):
    return Article(id="t", text=text, published_at=DAY, language=language)


def test_every_row_of_the_pipeline_is_explained_as_it_is(classifier, geoparser):
    text = " ".join([*OTHER_SENSES, NEGATED, PLACES])
    got = x.explain(article(text), classifier, geoparser)
    rows = extract_events(article(text), classifier, geoparser, keep_all=True).rows
    assert len(got["sentences"]) == len(rows) == len(OTHER_SENSES) + 2
    for s, row in zip(got["sentences"], rows):
        assert s["text"] == row["text"] and s["labels"] == row["labels"]
        assert s["row"] == bool(row["labels"])
        assert [(e["rule"], e["start"]) for e in s["evidence"]] == \
            [(e.rule, e.start) for e in row["evidence"]]
        assert [(f["rule"], f["kind"], f["cue"]) for f in s["flags"]] == \
            [(f.rule, f.kind, f.cue) for f in row["flags"]]
        assert [p["surface"] for p in s["places"]] == [m.surface for m in row["locations"]]
        assert s["location_source"] == row["location_source"]
        assert (s["location"] or {}).get("location_name") == row["location_name"]
        # offsets are the article's, as in the output
        for e in s["evidence"] + s["flags"]:
            assert text[e["start"]:e["end"]] == e["trigger"]


def test_a_trigger_given_another_sense_names_the_deciding_word(classifier, geoparser):
    seen = 0
    for sentence in OTHER_SENSES:
        lines = x.format_explanation(x.explain(article(sentence), classifier,
                                               geoparser)).splitlines()
        for f in classifier.classify(sentence, "en").flags:
            if f.kind != "sense":
                continue
            seen += 1
            line = next(ln for ln in lines if " sense " in ln and f.rule in ln)
            assert repr(f.trigger) in line and f"decided by {f.cue!r}" in line
            assert "(unless " in line
    assert seen, "none of the sentences has a trigger given another sense"


def test_a_negated_trigger_names_its_negation(classifier, geoparser):
    got = x.explain(article(NEGATED), classifier, geoparser)
    flags = got["sentences"][0]["flags"]
    negated = [f for f in flags if f["kind"] == "negated"]
    assert negated and negated[0]["label"] == "violence" and negated[0]["cue"] == "not"
    assert not got["sentences"][0]["row"]
    printed = x.format_explanation(got)
    assert "negated" in printed and "decided by 'not'" in printed and "no row" in printed


def test_conditions_are_reported_as_the_classifier_decided(classifier, geoparser):
    """A counted trigger's rule has every need and no veto; a `context` flag's rule misses
    at least one need, a `sense` flag's rule has a veto: what explain says of each agrees."""
    text = " ".join([*OTHER_SENSES, NEGATED, PLACES,
                     "The new rules are killing the high street, shop owners say.",
                     "Rebels shelled the army base overnight."])
    a = article(text)
    got = x.explain(a, classifier, geoparser)
    view = x.RuleView("en")
    tokens = tokenize(text)
    starts = [t[2] for t in tokens]
    kinds = set()
    for s in got["sentences"]:
        toks = x.sentence_tokens(tokens, starts, s["start"], s["end"])
        for e in s["evidence"]:
            assert view.check(e["rule"], s["text"], toks, s["start"], e["start"],
                              e["end"]) == {"missing": [], "veto": None}
            assert e["weight"] == classifier.taxonomies["en"].weights[e["rule"]]
            kinds.add("counted")
        for f in s["flags"]:
            rule = view.rules[f["rule"]]
            if f["kind"] == "context":
                assert f["missing"] and set(f["missing"]) <= {view.describe(c)
                                                               for c in rule.needs}
            if f["kind"] == "sense":
                assert f["unless"] in {view.describe(c) for c in rule.unless}
            kinds.add(f["kind"])
    assert {"counted", "context", "sense", "negated"} <= kinds


def test_a_condition_reads_as_the_file_writes_it(classifier):
    view = x.RuleView("en")
    inline = [c for rule in view.rules.values() for c in rule.needs + rule.unless
              if c.lexicons and c.lexicons[0].startswith("#")]
    assert inline
    for c in inline:
        said = view.describe(c)
        assert "#inline" not in said and "[" in said


def test_places_and_the_chosen_location_appear(classifier, geoparser):
    got = x.explain(article(PLACES), classifier, geoparser)
    s = got["sentences"][0]
    assert s["row"] and "violence" in s["labels"]
    names = {p["surface"]: p for p in s["places"]}
    assert {"Goma", "North Kivu"} <= set(names)
    assert names["Goma"]["country_code"] == "CD" and names["Goma"]["verdict"] == "kept"
    # the province holds the town: its context, not the event's place
    assert names["North Kivu"]["rule"] == "context_of_another"
    assert s["location"]["location_name"] == "Goma" and s["location_source"] == "sentence"
    printed = x.format_explanation(got)
    assert "'Goma' -> Goma, CD (city, toponym): kept" in printed
    assert "passed over by context_of_another" in printed
    assert "location Goma, CD (city) by sentence" in printed


def test_a_sentence_without_a_place_of_its_own_says_where_its_place_came_from(
        classifier, geoparser):
    text = PLACES + " Two of them were shot dead near a well."
    got = x.explain(article(text), classifier, geoparser)
    second = got["sentences"][1]
    assert second["places"] == [] and second["location_source"] == "context"
    assert "by context: no place of its own" in x.format_explanation(got)


def test_spanish(classifier, geoparser, capsys):
    text = "Los rebeldes no atacaron el pueblo. Hombres armados mataron a tres campesinos en Cauca."
    got = x.explain(article(text, "es"), classifier, geoparser)
    assert got["language"] == "es" and got["language_given"]
    first, second = got["sentences"]
    assert any(f["kind"] == "negated" and f["cue"] == "no" for f in first["flags"])
    assert "violence" in second["labels"] and second["evidence"][0]["weight"] > 0
    assert second["location"]["country_code"] == "CO"
    assert main(["explain", "--language", "es", "--json", text]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["language"] == "es" and [s["labels"] for s in out["sentences"]] == \
        [first["labels"], second["labels"]]


def test_text_stdin_and_file_read_alike(tmp_path, capsys, monkeypatch):
    import io
    assert main(["explain", NEGATED]) == 0
    direct = capsys.readouterr().out
    path = tmp_path / "a.txt"
    path.write_bytes(("\ufeff" + NEGATED + "\r\n").encode())     # BOM and CRLF, as .txt input
    assert main(["explain", "--file", str(path)]) == 0
    assert capsys.readouterr().out == direct
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(NEGATED.encode())))
    assert main(["explain", "-"]) == 0
    assert capsys.readouterr().out == direct
    assert "language: en (detected)" in direct


def test_a_language_without_rules_says_so(capsys):
    assert main(["explain", "--language", "de", "Die Soldaten griffen das Dorf an."]) == 0
    out = capsys.readouterr().out
    assert "no rules for language 'de'" in out and "no row" in out


@pytest.mark.parametrize("argv, message", [
    (["explain"], "give the text"),
    (["explain", "Troops fired.", "--file", "x.txt"], "not both"),
    (["explain", "--file", "/nonexistent/a.txt"], "cannot read"),
    (["explain", "   "], "empty"),
    (["explain", "--language", "english", "Troops fired."], "bad --language"),
    (["explain", "--published-at", "2024-03-01", "Troops fired."], "bad --published-at"),
    (["explain", "Troops\x00fired."], "NUL"),
])
def test_bad_options_are_one_line_and_exit_2(capsys, argv, message):
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert message in err and len(err.splitlines()) == 1 and err.startswith("newsevents: error:")
