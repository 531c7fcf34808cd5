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
