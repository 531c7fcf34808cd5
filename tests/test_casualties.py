"""Casualty figures from a sentence (text/casualties.py): each number form, each number that
is not a casualty, in English and Spanish. The project's own sentences."""
import pytest

from newsevents.text.casualties import Casualties, casualties, words

C = Casualties


@pytest.mark.parametrize("language,sentence,expected", [
    # digits and words, before and after the casualty word
    ("en", "Clashes kill 4 in the northern hills", C(4, None, True)),
    ("en", "Ten killed in ambush near the river crossing", C(10, None, True)),
    ("en", "Seven people were killed when a bus was hit.", C(7, None, True)),
    ("en", "The raid left 1,200 dead across the valley.", C(1200, None, True)),
    ("en", "Twenty-five were wounded by the explosion.", C(None, 25, True)),
    ("en", "Gunmen shot dead twenty five farmers.", C(25, None, True)),
    ("en", "The shelling killed twenty five farmers.", C(25, None, True)),
    ("en", "One hundred and five died in the siege.", C(105, None, True)),
    ("en", "The mob injured two dozen shopkeepers.", C(None, 24, True)),
    ("en", "Three killed, 10 wounded in market blast", C(3, 10, True)),
    ("en", "Rebels killed 5 and injured 12 in the raid.", C(5, 12, True)),
    ("en", "Four soldiers and two civilians were killed.", C(6, None, True)),
    ("en", "The bombing's death toll rose to 27 on Friday.", C(27, None, True)),
    # bounds and vague quantities: the smallest number they can mean, not exact
    ("en", "Gunmen killed at least 12 people and wounded two dozen others.", C(12, 24, False)),
    ("en", "A car bomb killed more than 30 people.", C(30, None, False)),
    ("en", "Dozens were killed when troops fired on the crowd.", C(24, None, False)),
    ("en", "Fighting killed scores of people.", C(40, None, False)),
    ("en", "Several people were hurt in the stampede.", C(None, 3, False)),
    ("en", "Hundreds were injured in the clashes.", C(None, 200, False)),
    ("en", "Police shot dead four armed robbers at the bank.", C(4, None, True)),
    ("en", "The shelling claimed the lives of 16 villagers.", C(16, None, True)),
    # a part of a figure already counted is not added
    ("en", "Thirty were killed on Monday, including 8 policemen.", C(30, None, True)),
    ("es", "Murieron 21 personas, entre ellas 4 niños.", C(21, None, True)),
    ("es", "Cinco muertos en un ataque a una patrulla", C(5, None, True)),
    ("es", "La tropa abatió a siete guerrilleros.", C(7, None, True)),
    ("es", "Diez policías fueron asesinados en la emboscada.", C(10, None, True)),
    ("es", "Veinticinco personas murieron y decenas resultaron heridas.", C(25, 20, False)),
    ("es", "Al menos treinta y dos personas fueron asesinadas.", C(32, None, False)),
    ("es", "Un soldado muerto y tres heridos dejó el combate.", C(1, 3, True)),
    ("es", "En un ataque murieron 5 policías.", C(5, None, True)),
    ("es", "El bombardeo mató a 1.200 civiles.", C(1200, None, True)),
    ("es", "Los enfrentamientos dejaron varios heridos.", C(None, 3, False)),
    ("es", "La explosión hirió a dos docenas de transeúntes.", C(None, 24, True)),
])
def test_figures(language, sentence, expected):
    assert casualties(sentence, language) == expected


@pytest.mark.parametrize("language,sentence", [
    # numbers that are not of the dead or the wounded
    ("en", "Gunmen killed a 25-year-old driver on Route 9 at 10 p.m."),      # age, road, time
    ("en", "The soldiers killed in 2019 were buried on Tuesday."),     # a year
    ("en", "The bomb, which weighed 12 kg, killed a man."),            # a weight
    ("en", "Police killed a man with a 9 mm pistol."),                 # a calibre
    ("en", "The rebels paid $5 million before the killing."),          # money
    ("en", "Soldiers killed a man on March 5 near the base."),         # a date
    ("en", "Unemployment of 40 percent fuelled the deadly riots."),    # a percentage
    ("en", "No one was killed in the attack."),
    ("en", "Fighters were killed in 4 districts of the province."),       # places counted
    ("en", "Militants killed in the last 3 days were buried."),            # a span of time
    ("en", "Shelling killed a family living 3 km² from the front."),       # an area
    ("en", "A soldier was killed in the attack."),                     # no figure stated
    ("es", "Un joven de 17 años murió en la ruta 5."),                 # age, road
    ("es", "Dispararon fusiles calibre 7.62 y mataron a un hombre."),       # a calibre
    ("es", "Las tropas mataron a un hombre a las 10 de la noche."),    # time
    ("es", "Un atentado en 2018 mató al alcalde."),                    # year
])
def test_not_casualties(language, sentence):
    result = casualties(sentence, language)
    assert result.killed is None and result.injured is None and result.exact is None, result


def test_language_without_words():
    assert words("xx") is None
    assert casualties("Ten killed", "xx") == C(None, None, None)


@pytest.mark.parametrize("language", ["en", "es"])
def test_words_are_words(language):
    """Every entry is a string: YAML reads a bare `no` as false, which would never match."""
    from newsevents.taxonomy import FOLDER, read_yaml
    data = read_yaml(FOLDER / language / "actors.yaml")["casualties"]
    for key, value in data.items():
        entries = value if isinstance(value, list) else list(value)
        assert all(isinstance(e, str) for e in entries), (key, entries)
    assert words(language).numbers and words(language).killed_after
