"""Actors of a violence sentence (text/actors.py): each ACLED type, each role, the country
of a demonym, in English and Spanish. The project's own sentences."""
import pytest

from newsevents.text.actors import actors_of_text, words


def pair(sentence, trigger, language="en"):
    return {a.role: (a.text, a.type, a.country_code)
            for a in actors_of_text(sentence, trigger, language)}


@pytest.mark.parametrize("language,sentence,trigger,actor1,actor2", [
    # each type, in the active voice: the subject used force, the object took it
    ("en", "Security forces killed two rebels near the dam.", "killed",
     ("Security forces", "state_forces", None), ("rebels", "rebels", None)),
    ("en", "Militiamen attacked protesters outside the court.", "attacked",
     ("Militiamen", "political_militia", None), ("protesters", "protesters", None)),
    ("en", "Clan fighters raided villagers' cattle camps.", "raided",
     ("Clan fighters", "identity_militia", None), ("villagers", "civilians", None)),
    ("en", "Rioters stoned riot police in the square.", "stoned",
     ("Rioters", "rioters", None), ("riot police", "state_forces", None)),
    ("en", "Peacekeepers shot at mercenaries on the road.", "shot",
     ("Peacekeepers", "external", None), ("mercenaries", "external", None)),
    # an unidentified perpetrator keeps its words, with no type
    ("en", "Gunmen shot dead four farmers.", "shot",
     ("Gunmen", None, None), ("farmers", "civilians", None)),
    # the passive: the subject took the force, the agent used it
    ("en", "Six students were killed by Syrian troops.", "killed",
     ("Syrian troops", "state_forces", "SY"), ("students", "civilians", None)),
    ("es", "La policía venezolana mató a dos manifestantes.", "mató",
     ("policía venezolana", "state_forces", "VE"), ("manifestantes", "protesters", None)),
    ("es", "Los campesinos fueron asesinados por paramilitares.", "asesinados",
     ("paramilitares", "political_militia", None), ("campesinos", "civilians", None)),
    ("es", "Los guerrilleros atacaron a los saqueadores.", "atacaron",
     ("guerrilleros", "rebels", None), ("saqueadores", "rioters", None)),
    ("es", "Hombres armados asesinaron a un líder social.", "asesinaron",
     ("Hombres armados", None, None), ("líder social", "civilians", None)),
])
def test_types_and_roles(language, sentence, trigger, actor1, actor2):
    assert pair(sentence, trigger, language) == {"actor1": actor1, "actor2": actor2}


def test_a_passive_without_its_agent_has_only_the_victim():
    assert pair("Three soldiers were killed in the blast.", "killed") == {
        "actor2": ("soldiers", "state_forces", None)}


@pytest.mark.parametrize("language,sentence,trigger,victim", [
    # a headline's passive, without its auxiliary: a preposition, a mark or nothing after
    ("en", "Four soldiers killed in roadside blast", "killed", "soldiers"),
    ("en", "Two herders shot dead near the well", "shot", "herders"),
    ("en", "Villagers abducted, homes burned", "abducted", "Villagers"),
    ("es", "Tres policías heridos en una emboscada", "heridos", "policías"),
    # the subject of a verb of dying took the force; in Spanish it may follow the verb
    ("en", "A student died after police clashed with marchers.", "died", "student"),
    ("es", "Mueren dos soldados en el norte del país", "Mueren", "soldados"),
])
def test_headline_passives_and_verbs_of_dying_have_the_victim(language, sentence, trigger,
                                                             victim):
    found = pair(sentence, trigger, language)
    assert found["actor2"][0] == victim and "actor1" not in found


@pytest.mark.parametrize("sentence", [
    "Rebels killed at least 12 soldiers in the hills.",   # a bound: a figure, not a passive
    "Rebels killed 12 soldiers.",
])
def test_a_participle_with_its_object_stays_active(sentence):
    assert pair(sentence, "killed")["actor1"] == ("Rebels", "rebels", None)


def test_a_victim_after_an_english_verb_of_dying_is_not_read():
    assert pair("Dozens died as troops fired on marchers.", "died") == {}


def test_a_later_trigger_only_fills_a_role_still_empty():
    from newsevents.text.actors import find_actors
    from newsevents.text.classify import tokenize
    text = "Eight civilians killed as rebels shelled the market."
    roles = {a.role: a.text for a in find_actors(
        text, tokenize(text), [text.index("killed"), text.index("shelled")], "en")}
    assert roles == {"actor2": "civilians", "actor1": "rebels"}


def test_offsets_are_the_words():
    text = "At dawn, Colombian soldiers fired on a group of civilians."
    for a in actors_of_text(text, "fired", "en"):
        assert text[a.start:a.end] == a.text
    assert pair(text, "fired")["actor1"] == ("Colombian soldiers", "state_forces", "CO")


def test_no_actor_noun_no_actors():
    assert actors_of_text("Ten killed in ambush near the river", "killed", "en") == []
    assert actors_of_text("Troops kill 9 rebels", "kill", "xx") == []
    assert words("xx") is None


@pytest.mark.parametrize("language", ["en", "es"])
def test_every_type_is_acleds(language):
    from newsevents.taxonomy import FOLDER, read_yaml
    data = read_yaml(FOLDER / language / "actors.yaml")["actors"]
    assert set(data) == {"state_forces", "rebels", "political_militia", "identity_militia",
                         "rioters", "protesters", "civilians", "external", "unknown"}
    assert all(isinstance(w, str) for nouns in data.values() for w in nouns)


# --- the parties of diplomacy and aid, and the actors of defection, on the rows written ----

@pytest.fixture(scope="module")
def extract():
    from datetime import datetime, timezone

    from newsevents.events import extract_events
    from newsevents.schemas import Article
    from newsevents.text.classify import Classifier
    from newsevents.text.geoparse import Geoparser
    classifier, geoparser = Classifier(), Geoparser()

    def rows(text, language=None):
        article = Article(id="a", text=text, language=language,
                          published_at=datetime(2019, 2, 23, tzinfo=timezone.utc))
        return extract_events(article, classifier, geoparser).rows
    return rows


def parties(rows, label):
    row = next(r for r in rows if label in r["labels"])
    return {a.role: (a.text, a.type, a.country_code) for a in row["actors"]}


@pytest.mark.parametrize("label,sentence,actor1,actor2", [
    # a joint subject: both named before the trigger
    ("diplomacy", "Chile and Peru signed a fisheries agreement.",
     ("Chile", None, "CL"), ("Peru", None, "PE")),
    # subject and object, a state's agent nouns taken in
    ("diplomacy", "Brazil expelled the Bolivian ambassador on Monday.",
     ("Brazil", None, "BR"), ("Bolivian ambassador", None, "BO")),
    ("diplomacy", "The Chilean foreign minister met his Peruvian counterpart.",
     ("Chilean foreign minister", None, "CL"), ("Peruvian counterpart", None, "PE")),
    # an international body has no country code
    ("aid_movement", "The United Nations delivered medicine to Haiti.",
     ("United Nations", None, None), ("Haiti", None, "HT")),
    ("aid_movement", "Aid trucks from Ecuador crossed into Peru at dawn.",
     ("Ecuador", None, "EC"), ("Peru", None, "PE")),
    # Spanish puts the agent noun first
    ("diplomacy", "El Gobierno peruano expulsó al embajador de Bolivia.",
     ("Gobierno peruano", None, "PE"), ("Bolivia", None, "BO")),
])
def test_parties_of_diplomacy_and_aid(extract, label, sentence, actor1, actor2):
    assert parties(extract(sentence), label) == {"actor1": actor1, "actor2": actor2}


def test_one_state_named_twice_is_one_party(extract):
    found = parties(extract("Peru's president said Peru would expel the envoy."), "diplomacy")
    assert found.get("actor2", ("",))[0] != "Peru"


def test_defection_reads_actor_nouns(extract):
    found = parties(extract("Two Bolivian soldiers deserted the army and fled to Chile."),
                    "defection")
    assert found["actor1"] == ("Bolivian soldiers", "state_forces", "BO")
    assert found["actor2"][1] == "state_forces"


def test_parties_have_no_flat_type(extract):
    row = next(r for r in extract("Chile and Peru signed a fisheries agreement.")
               if "diplomacy" in r["labels"])
    assert row["actor1_type"] is None and row["actor2_type"] is None
    assert row["killed"] is None            # casualty figures are violence rows' only


def test_every_label_says_how_its_actors_are_read():
    from newsevents.events import ACTOR_READINGS
    from newsevents.taxonomy import LABELS
    assert set(ACTOR_READINGS) == set(LABELS)
    assert set(ACTOR_READINGS.values()) <= {"force", "parties"}


# --- pronouns that refer back ---------------------------------------------------------------

def test_a_pronoun_takes_the_type_of_the_previous_sentences_actor(extract):
    rows = extract("Rebels stormed the town of Kalo on Monday. They killed five traders "
                   "in the market.")
    second = [r for r in rows if r["text"].startswith("They")]
    assert second, "the second sentence is an event"
    actors = {a.role: (a.text, a.type) for a in second[0]["actors"]}
    assert actors["actor1"] == ("They", "rebels")
    assert actors["actor2"] == ("traders", "civilians")


def test_a_pronoun_refers_first_to_its_own_sentence():
    assert pair("Rebels said they had killed 40 soldiers.", "killed")["actor1"] == (
        "they", "rebels", None)


def test_an_object_pronoun_is_not_its_own_sentences_subject(extract):
    rows = extract("Rebels stormed the village on Monday. Soldiers fired at them from the hill.")
    row = next(r for r in rows if r["text"].startswith("Soldiers"))
    actors = {a.role: (a.text, a.type) for a in row["actors"]}
    assert actors == {"actor1": ("Soldiers", "state_forces"), "actor2": ("them", "rebels")}


def test_a_pronoun_with_nothing_to_refer_to_is_dropped():
    assert pair("They killed five traders in the market.", "killed") == {
        "actor2": ("traders", "civilians", None)}


def test_spanish_pronouns_refer_back_too(extract):
    rows = extract("Los guerrilleros llegaron al pueblo en la noche. Ellos asesinaron a "
                   "tres campesinos.", "es")
    row = next(r for r in rows if r["text"].startswith("Ellos"))
    assert {a.role: a.type for a in row["actors"]} == {"actor1": "rebels",
                                                       "actor2": "civilians"}


def test_the_agent_of_a_spanish_noun_of_attack():
    assert pair("Cinco muertos en una emboscada de los paramilitares", "emboscada",
                "es")["actor1"] == ("paramilitares", "political_militia", None)
    # the complement of a noun of killing is its victim, not its agent
    assert pair("El asesinato de un campesino conmocionó al pueblo", "asesinato",
                "es").get("actor1") is None
