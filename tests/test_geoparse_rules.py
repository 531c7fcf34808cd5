"""The geoparser's name and location rules, each alone: the sentences it must fire on (guards
recall) and must not fire on (guards precision), and the README's lists of them."""
import ast
import re
import textwrap
from pathlib import Path

import pytest

from newsevents.text import geoparse
from newsevents.text.classify import tokenize
from newsevents.text.gazetteer import normalize
from newsevents.text.geoparse import (LOCATION_RULES, NAME_RULES, Geoparser, _Candidate,
                                      _Name, _Span)

README = Path(__file__).resolve().parents[1] / "README.md"
# the source, not the module: compiled functions carry no docstrings
SOURCE = README.with_name("pipelines") / "newsevents" / "text" / "geoparse.py"

# rule -> (text, name[, language]) it must fire on, (text, name[, language]) it must not fire
# on; without a language, the text is read as English
EXAMPLES = {
    "currency": ([("The Lebanese pound fell again.", "Lebanese")],
                 [("The Lebanese army moved in.", "Lebanese")]),
    "demonym": ([("Egyptian mediators arrived.", "Egyptian")],
                [("Mediators arrived in Cairo.", "Cairo")]),
    "title_before": ([("President Jackson spoke on Monday.", "Jackson")],
                     [("Flooding in Jackson closed roads.", "Jackson")]),
    "abbreviated_title": ([("Habló el Gral. Padrino ayer.", "Padrino")],
                          [("Los soldados llegaron a Padrino.", "Padrino")]),
    "facility_before": ([("Cerraron el puente Simón Bolívar.", "Simón Bolívar")],
                        [("Llegaron a Simón Bolívar.", "Simón Bolívar")]),
    "known_person": ([("Pintaron de rojo el busto de Simón Bolívar.", "Simón Bolívar", "es")],
                     [("Hubo saqueos en el municipio Simón Bolívar.", "Simón Bolívar", "es")]),
    "street_after": ([("A man was robbed on Collins Avenue overnight.", "Collins"),
                      ("A man was shot on Franklin St. Police said he died.", "Franklin")],
                     [("Flights at Minneapolis St. Paul airport resumed.", "Minneapolis"),
                      ("Floods In Kerala Drive Thousands From Homes", "Kerala")]),
    "organisation": ([("The Texas Rangers won again.", "Texas")],
                     [("Floods hit Texas again.", "Texas")]),
    "organisation_before": ([("Según la Defensoría del Pueblo, hubo dos heridos.", "Pueblo",
                              "es")],
                            [("Según la Alcaldía de Popayán, hubo dos heridos.", "Popayán",
                              "es")]),
    "acronym": ([("HIV rates fell.", "HIV")],
                [("UK rates fell.", "UK")]),
    "speech_verb": ([("Jackson said the plan failed.", "Jackson")],
                    [("Colombia said the plan failed.", "Colombia")]),
    "name_goes_on": ([("Paris Hilton arrived late.", "Paris")],
                     [("Flights to Sydney Australia resumed.", "Sydney")]),
    "name_before": ([("Ivan Duque spoke.", "Duque")],
                    [("Mali's Menaka region was hit.", "Menaka")]),
    "capitalised_by_position": ([("Hope is fading.", "Hope")],
                                [("Residents of Hope left.", "Hope")]),
    "common_word": ([("Crowds met Paul at the airport.", "Paul")],
                    [("Crowds gathered in Atlanta.", "Atlanta")]),
}

# rule -> (text, mention) it must fire on, (text, mention) it must not fire on
LOCATION_EXAMPLES = {
    "out_of_frame": ([("Troops from Kenya shelled Beni in North Kivu province.", "Kenya")],
                     [("Troops from Kenya shelled Beni in North Kivu province.", "Beni")]),
    "origin": ([("Un convoy enviado desde Brasil cruzó a Venezuela por Pacaraima.", "Pacaraima",
                 "es"),
                ("Un convoy enviado desde Brasil cruzó a Venezuela por Pacaraima.", "Brasil",
                 "es")],
               [("Un convoy enviado desde Brasil cruzó a Venezuela por Pacaraima.", "Venezuela",
                 "es"),
                ("Un convoy enviado desde Brasil fue atacado en Pacaraima.", "Pacaraima", "es"),
                # English "from" is looser ("from France to Germany"): not read so
                ("A convoy sent from Brazil crossed into Venezuela at Pacaraima.", "Pacaraima")]),
    "capital_named": ([("Protests spread in Kenya's capital on Monday.", "Kenya")],
                      [("Protests spread in Kenya on Monday.", "Kenya")]),
    "not_located": ([("Washington warned of new sanctions.", "Washington"),
                     ("Washington-based monitors counted the dead.", "Washington")],
                    [("Police in Khartoum fired tear gas.", "Khartoum")]),
    "context_of_another": ([("Rebels attacked the town of Beni in North Kivu province.",
                             "North Kivu")],
                           [("Rebels attacked the town of Beni in North Kivu province.",
                             "Beni")]),
}


@pytest.fixture(scope="module")
def geo():
    return Geoparser()


def name_in(geo, text, surface, language=None):
    """The name `surface` in text as the rules see it (its candidates, no rule applied)."""
    tokens = tokenize(text)
    start = text.index(surface)
    end = start + len(surface)
    inside = [k for k, t in enumerate(tokens) if start <= t[2] < end]
    gaz = geo.gazetteer
    key = normalize(surface)
    candidates = [gaz.places[i] for i in gaz.names.get(key, ())]
    span = _Span(start, end, inside[0], inside[-1], key, candidates, gaz.demonyms.get(key))
    return _Name(geo, span, tokens, geo._language(language))


def candidate_in(geo, text, surface, language=None):
    """The mention `surface` in text as the location rules see it."""
    mentions = geo._mentions(text, None, language)
    (m,) = [m for m in mentions if m.surface == surface]
    lang = geo._language(language)
    return _Candidate(geo, text, m, mentions, geo._frame(text, mentions, lang), lang,
                      geo._origins(text, mentions, lang))


@pytest.mark.parametrize("rules, examples", [(NAME_RULES, EXAMPLES),
                                             (LOCATION_RULES, LOCATION_EXAMPLES)])
def test_every_rule_has_examples_and_every_example_a_rule(rules, examples):
    assert [r.__name__ for r in rules] == list(examples)
    assert all(fire and quiet for fire, quiet in examples.values())


CASES = [(rule, EXAMPLES, name_in) for rule in NAME_RULES] + [
    (rule, LOCATION_EXAMPLES, candidate_in) for rule in LOCATION_RULES]


@pytest.mark.parametrize("rule, examples, make", CASES, ids=[c[0].__name__ for c in CASES])
def test_each_rule_alone(geo, rule, examples, make):
    fire, quiet = examples[rule.__name__]
    for example in fire:
        assert rule(make(geo, *example)) is not None, f"{rule.__name__} missed: {example[0]}"
    for example in quiet:
        assert rule(make(geo, *example)) is None, f"{rule.__name__} fired: {example[0]}"


def docstrings() -> dict[str, str]:
    tree = ast.parse(SOURCE.read_text(encoding="utf-8"))
    return {f.name: ast.get_docstring(f) or "" for f in tree.body
            if isinstance(f, ast.FunctionDef)}


def test_every_rule_says_what_it_handles():
    docs = docstrings()
    assert [r.__name__ for r in [*NAME_RULES, *LOCATION_RULES] if not docs.get(r.__name__)] == []


def rules_markdown(rules) -> str:
    """The README's list of rules, from their docstrings, in order."""
    lines = []
    docs = docstrings()
    for n, rule in enumerate(rules, 1):
        doc = " ".join(docs[rule.__name__].split())
        lines.append(textwrap.fill(f"{n}. `{rule.__name__}`: {doc}", width=92,
                                   initial_indent="  ", subsequent_indent="     "))
    return "\n".join(lines)


@pytest.mark.parametrize("kind, rules", [("name", NAME_RULES), ("location", LOCATION_RULES)])
def test_the_readme_lists_the_rules_in_order(kind, rules):
    text = README.read_text(encoding="utf-8")
    block = re.search(rf"<!-- {kind} rules: .*? -->\n(.*?)\n<!-- end of {kind} rules -->", text,
                      re.S)
    assert block, f"README: the {kind} rules' block is missing"
    assert block.group(1) == rules_markdown(rules), \
        f"README's {kind} rules differ from the code's; the list is:\n" + rules_markdown(rules)


def test_the_rules_module_keeps_its_words_in_data():
    # the words are the taxonomy's (taxonomy/en/places.yaml), not literals in the module
    assert geoparse.ACTOR_VERBS == geoparse.WORDS["actor_verbs"] and "warned" in geoparse.ACTOR_VERBS
