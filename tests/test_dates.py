"""text/dates.py: the date a sentence says its event happened, against publication."""
from datetime import date

import pytest

from newsevents.taxonomy import FOLDER, read_yaml
from newsevents.text.dates import PUBLISHED, STATED, event_date, stated_date
from newsevents.text.classify import tokenize

THU = date(2024, 5, 9)      # a Thursday


def _examples():
    for lang in ("en", "es"):
        data = read_yaml(FOLDER / lang / "dates.yaml")["dates"]["examples"]
        for ex in data["match"]:
            yield (lang, ex["text"], date.fromisoformat(ex["published"]),
                   date.fromisoformat(ex["date"]))
        for text in data["no_match"]:
            yield lang, text, THU, None


@pytest.mark.parametrize("lang,text,published,expected", list(_examples()))
def test_taxonomy_examples(lang, text, published, expected):
    assert stated_date(text, lang, published) == expected


@pytest.mark.parametrize("text,expected", [
    ("Militants stormed the post on Thursday.", THU),               # the publication day
    ("Militants stormed the post last Thursday.", date(2024, 5, 2)),  # the week before
    ("Militants stormed the post on Friday night.", date(2024, 5, 3)),
    ("Militants stormed the post overnight.", THU),
    ("Militants stormed the post this morning.", THU),
    ("Militants stormed the post last weekend.", date(2024, 5, 4)),
    ("Militants stormed the post on 9 May.", THU),
    ("Militants stormed the post on 10 May.", date(2023, 5, 10)),   # not after publication
    ("Militants stormed the post on May 10, 2023.", date(2023, 5, 10)),
    ("Militants stormed the post on May 10, 2025.", None),          # after publication
    ("Militants will storm the post by Friday.", None),
    ("The post was stormed in 2019.", None),
    ("Seven people were killed.", None),
])
def test_english(text, expected):
    assert stated_date(text, "en", THU) == expected


@pytest.mark.parametrize("text,expected", [
    ("Milicianos asaltaron el puesto el jueves.", THU),
    ("Milicianos asaltaron el puesto el jueves pasado.", date(2024, 5, 2)),
    ("Milicianos asaltaron el puesto el pasado lunes.", date(2024, 5, 6)),
    ("Milicianos asaltaron el puesto anteayer.", date(2024, 5, 7)),
    ("Milicianos asaltaron el puesto el fin de semana.", date(2024, 5, 4)),
    ("Milicianos asaltaron el puesto el 20 de diciembre.", date(2023, 12, 20)),
    ("La policía dijo el miércoles que el puesto fue asaltado el lunes.", date(2024, 5, 6)),
    ("Milicianos asaltaron el puesto.", None),
])
def test_spanish(text, expected):
    assert stated_date(text, "es", THU) == expected


def test_report_date_only_when_no_other():
    assert stated_date("Police said on Tuesday that two died.", "en", THU) == date(2024, 5, 7)
    assert stated_date("Police said on Tuesday that two died on Sunday.", "en",
                       THU) == date(2024, 5, 5)


def test_event_date_source():
    low = [t[0] for t in tokenize("A mine exploded yesterday.")]
    assert event_date(low, "en", THU) == (date(2024, 5, 8), STATED)
    low = [t[0] for t in tokenize("A mine exploded.")]
    assert event_date(low, "en", THU) == (THU, PUBLISHED)


def test_language_without_words_states_nothing():
    assert stated_date("Hier, une bombe a explosé.", "fr", THU) is None


def test_a_leads_date_holds_for_the_event_sentences_after_it():
    """A report gives its event's date once: the sentences after the lead that give none take
    it (`article`); one that gives its own keeps it; unlabelled sentences set nothing."""
    from datetime import datetime, timezone

    from newsevents.events import extract_events
    from newsevents.schemas import Article
    from newsevents.text.classify import Classifier
    from newsevents.text.dates import ARTICLE
    from newsevents.text.geoparse import Geoparser
    text = ("The council met on Monday to discuss the market's new roof. "
            "Gunmen opened fire on a minibus near Jos on Saturday, killing four passengers. "
            "The attackers then set two shops on fire before fleeing. "
            "Troops clashed with the same gang on Tuesday night east of the town.")
    article = Article(id="d", text=text, published_at=datetime(2024, 5, 9, tzinfo=timezone.utc))
    classifier, geoparser = Classifier(), Geoparser()
    rows = extract_events(article, classifier, geoparser).rows
    dates = [(r["event_date"], r["event_date_source"]) for r in rows]
    assert dates == [(date(2024, 5, 4), STATED), (date(2024, 5, 4), ARTICLE),
                     (date(2024, 5, 7), STATED)]
    every = extract_events(article, classifier, geoparser, keep_all=True).rows
    assert [(r["event_date"], r["event_date_source"]) for r in every if r["labels"]] == dates
    assert (every[0]["event_date"], every[0]["event_date_source"]) == (date(2024, 5, 6), STATED)
