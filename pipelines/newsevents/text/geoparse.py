"""Find place names, resolve them against the gazetteer, and choose each sentence's event place.

Recognition: capitalised token runs (with "of", "de", ... inside) looked up longest first,
accent-, case- and possessive-insensitive; demonyms map to their country (in lower case too
where the article's language writes them so: "venezolanos"). Names that context
says are not places are dropped: a title before them or another capitalised name beside them
(people: "President Jackson", "Paris Hilton", "Ivan Duque" and later "Duque"), an
organisation word after them ("Texas Rangers", "Washington Post"), a street word (streets
honour places elsewhere: "Collins Avenue" is not in Collins), words GeoNames lists but
news rarely means as places ("March", "Police").

Resolution (RESOLUTION_STAGES, in order): each candidate is scored by feature (country >
subdivision > city), population, capital status, and agreement with the article's other places
(same country, inside a named subdivision, "Long Beach, California"), in two passes so the
unambiguous names inform the rest. A word beside a name narrows it to its kind ("Washington
state", "the city of Mendoza"), and so does a list of subdivisions ("Idaho, Utah, Washington
and Vermont").

Event location: a sentence's most specific place that is not an actor ("Washington warned" is
metonymy) nor the context of another ("the town of Beni in North Kivu province"); otherwise
the previous sentence's place in the same paragraph (`context`), else the article's main
place (`article`).
"""
from __future__ import annotations

import math
import re
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from wordfreq import zipf_frequency

from newsevents.taxonomy import (PLACES_LANGUAGE, language_demonyms, language_files,
                                 place_words, read_yaml, with_languages)
from newsevents.text.classify import Token, fold_accents, lower_case, tokenize
from newsevents.text.gazetteer import (ARTICLE_WORDS, COMMON_ZIPF, PLACES_YAML, SKELETON_MIN,
                                       Gazetteer, load_gazetteer, normalize, skeleton,
                                       vowel_pattern)
from newsevents.text.place import Place

# The words beside the names (taxonomy/en/places.yaml): read once, on import
WORDS = place_words("en")
CONNECTORS = WORDS["connectors"]
NAME_JOINERS = CONNECTORS | WORDS["name_joiners"]
FUNCTION_WORDS = WORDS["function_words"]
LOCATIVE = WORDS["locative_words"]
ACTOR_VERBS = WORDS["actor_verbs"]
SPEECH_VERBS = WORDS["speech_verbs"]
ACTOR_NOUNS = WORDS["actor_nouns"]
BORDER_WITH = WORDS["border_with"]
BORDER_AFTER = WORDS["border_after"]
ATTACK_NOUNS = WORDS["attack_nouns"]
PATRONS = WORDS["patron_prefixes"]
HOME_AGENTS = WORDS["home_agents"]
OPERATION_WORDS = WORDS["operation_words"]
ACTOR_OF = frozenset({"of", "de", "del"})       # "the army of Chad", "el ejército de Chad"
PLACE_TYPES = WORDS["place_types"]
# Words that say which kind of place a name is: "Washington state", "the state of Táchira"
# (a subdivision); "the city of Washington" (a city); "Daman district" (second level)
ADMIN1_WORDS = WORDS["admin1_after"]
STATE_OWNED = WORDS["state_owned"]
STATE_WORDS = WORDS["state_words"]
ADMIN1_OF = WORDS["admin1_of"]
ADMIN2_WORDS = WORDS["admin2_after"]
ADMIN2_OF = WORDS["admin2_of"]
CITY_OF = WORDS["city_of"]
CITY_AFTER = WORDS["city_after"]
REGION_WORDS = WORDS["region_words"]
QUALIFIERS = WORDS["qualifiers"]
PAIR_TYPE_WORDS = ADMIN1_WORDS | ADMIN2_WORDS | CITY_OF | QUALIFIERS | WORDS["pair_type_words"]
# A name inside a city's extent: "Sheikh Othman district of Aden" (km from the city's point)
CITY_EXTENT_KM = 30.0
NEIGHBOUR_KM = 300.0     # a town this near another country's place may be its neighbour
BIG_CITY_KM = 50.0       # a city of half a million and the boroughs and suburbs named with it
DISTRICT_EXTENT_KM = 100.0
NEIGHBOURS_KM = 30.0     # a town this near another of the article's towns is its neighbour
NEIGHBOUR_CELL = 0.5     # degrees: squares of the map at least NEIGHBOURS_KM a side
COUNTY_WORDS = WORDS["county_words"]
LOCAL_AGENCIES = WORDS["local_agencies"]
# after a demonym, a person or a business it describes ("a Mexican man", "a Chinese
# restaurant"): no event place where the article names one
PERSON_NOUNS = WORDS["person_nouns"] | WORDS["venue_nouns"]
SERVICE_WORDS = WORDS["service_words"]
# a city's police speak of places inside it: a town of this size elsewhere is no other
# town they would name ("shot in Antioch, Metro Nashville police said")
AGENCY_REACH_SIZE = 500_000
CITY_PART_WORDS = WORDS["city_part_words"]
SIDE_WORDS = WORDS["side_words"]
OF_WORDS = frozenset({"of", "de", "del"})       # "neighborhood of", "el barrio Belén de"
# a sentence ending between two names: a full stop and a capital (roughly: "St. Louis"
# reads as one, a sentence's own names are seldom so far apart)
SENTENCE_BREAK = re.compile(r"[.!?][\"”’]?\s+[\"“]?[A-Z]")
MILE_WORDS = WORDS["mile_words"]
MILE_KM = 1.609
# between two names, the distance of the first from the second: "is about 30 miles southwest
# of", ", a town 12 km north of", ", 40 kilometres from" (distance_from)
DISTANCE = re.compile(
    r"\s*(?:,\s*)?(?:(?:is|lies|sits|was)\s+)?(?:(?:a|an|the)\s+(?:\w+\s+)?"
    r"(?:town|city|village|community|suburb|hamlet)\s+)?(?:(?:about|some|roughly|nearly|"
    r"approximately|around|just|only|less than|more than)\s+)?(\d+(?:\.\d+)?)\s*-?\s*("
    + "|".join(sorted(WORDS["mile_words"] | WORDS["kilometre_words"], key=len, reverse=True))
    + r")\b\.?\s+(?:[a-z]+\s+)?(?:of|from|outside(?:\s+of)?)\s+(?:the\s+)?(?:[a-z]+\s+)?",
    re.I)
DISTANCE_STATED = re.compile(r"\d\s*-?\s*(?:" + "|".join(sorted(
    WORDS["mile_words"] | WORDS["kilometre_words"], key=len, reverse=True)) + r")\b", re.I)
# (a plain look for the units' stems first: a regular expression over every text costs more)
DISTANCE_UNITS = ("mile", "Mile", "MILE", "km", "KM", "ilomet", "ILOMET", " mi ", " mi.")
DIGIT = re.compile(r"\d")
DISTANCE_GAP = 80
COUNTY_REACH = 400     # characters between a county's name and its town's: a sentence or two
LIST_AND = WORDS["list_and"]
PAIRED = WORDS["paired"]
FIRM = WORDS["firm"]
ORIGIN_WORDS = WORDS["origin_words"]
ORIGIN_REACH = 32    # characters before a name read for an origin: "procedentes de la "
CAPITAL_AFTER = re.compile(r"(?:['’´]s)? (?:" + "|".join(sorted(WORDS["capital_words"]))
                           + r")\b")
BETWEEN_WORDS = re.compile(r"\w+|[,(]")
WORD = re.compile(r"\w+")
# A wire dateline before the story: "BOGOTA (Reuters) - ", "NAIROBI, Kenya (AP) - ", "ADDIS
# ABABA - " (a city in capitals, its country or date, the agency, a dash)
DATELINE = re.compile(r"\s*[A-ZÀ-Þ][A-ZÀ-Þ .'’-]*[A-ZÀ-Þ](?:,[^()\n—–-]{1,40})?"
                      r"(?:\s*\([^()\n]{1,30}\))?\s*[-—–]\s")
DATELINE_CHARS = 80
PAIRED_GAP = 32      # characters: "district of", "village, in the", with spaces (speed)
STREET_WORDS = WORDS["street_words"]
SAINT_WORDS = WORDS["saint_words"]
STREET_VERBS = WORDS["street_verbs"]
STREET_PLURALS = WORDS["street_plurals"]
CROSSING_WORDS = WORDS["crossing_words"]
AND_WORDS = frozenset({"and", "&"})
CURRENCIES = WORDS["currencies"]
DISEASES = WORDS["diseases"]
ABBREVIATED = WORDS["abbreviated"]
SENTENCE_END = frozenset('.!?:;"')
ATTRIBUTED = re.compile(r"(?:\S:|\s[-–—])\s*$")     # "...: Ankara", "... - French"
OPENED_BEFORE = re.compile(r"\(\s*(?:[A-Z][\w'’-]*\s+){0,3}$")
# Abbreviations whose dot stays inside a name: "St. Louis", "Mt. Kenya", "Ft. Worth".
ABBREVIATED = frozenset({"st", "ste", "mt", "ft"})
# Features an event can be counted at (its location_precision); continents and regions are
# recognised but too wide.
LOCATABLE = frozenset({"country", "admin1", "admin2", "city"})
SPECIFICITY = {"city": 3, "admin2": 2.5, "admin1": 2, "country": 1}
# a place under an alternate name this many times bigger than every town bearing the name
# as its main one is what the name means (alternate_names)
ALTERNATE_FACTOR = 5
ALTERNATE_SMALL = 10_000     # ... where every town of the main name is a village or small town
ALTERNATE_BIG = 20_000
AL_WORD = re.compile(r"\bal ")
ABU_WORD = re.compile(r"^(?:albu|abu) ")
RARE_ZIPF = 2.0
POSITION_ZIPF = 3.0   # a word this frequent, first in a sentence, may be capitalised only there
TITLE_ZIPF = 3.5   # an everyday word, read as one in a title-case headline (title_case_word)
FIRST_NAME_ZIPF = 5.2    # a word after a first name this frequent is no surname: "India Today"
FIRST_KEYS_MAX = 1 << 18    # cached first-word keys (Geoparser._first_word), then start over


class Mention(NamedTuple):
    surface: str
    start: int
    end: int
    place: Place
    kind: str        # toponym, metonym (an actor), embedded (in an organisation's name), demonym


class SentenceLocation(NamedTuple):
    mentions: tuple[Mention, ...]
    location: Place | None
    precision: str | None
    source: str      # sentence, context, article or none


class _Span:
    """A recognised name (a plain class: compiled, its constructor is native code)."""

    def __init__(self, start: int, end: int, first: int, last: int, key: str,
                 candidates: list[Place], demonym: str | None = None) -> None:
        self.start = start
        self.end = end
        self.first = first         # token indices
        self.last = last
        self.key = key
        self.candidates = candidates
        self.demonym = demonym
        self.embedded = False
        self.untyped = candidates  # before a word beside the name narrowed them


class _Language:
    """What a language's data says about the words around names in its text (`words` in
    taxonomy/<language>/places.yaml; English's, the module's lists, are the default)."""

    def __init__(self, words: dict[str, frozenset[str]], demonyms: dict[str, str]) -> None:
        self.function_words = FUNCTION_WORDS | words.get("function_words", frozenset())
        # words the gazetteer files under the Arabic article that never begin a name here
        self.not_articles = words.get("not_articles", frozenset())
        # demonyms written in lower case ("venezolanos", accents or not) -> gazetteer key
        self.lower_demonyms: dict[str, str] = {}
        if "demonyms" in words.get("written_lower_case", frozenset()):
            for form in demonyms:
                self.lower_demonyms[lower_case(form)] = normalize(form)
                self.lower_demonyms[normalize(form)] = normalize(form)
        # origin words after which a country is no event place (Geoparser._origins)
        self.origins = words.get("origin_words", frozenset())
        self.currencies = words.get("currencies", frozenset())
        self.types_before = words.get("place_types_before", frozenset())
        self.org_before = frozenset(normalize(w) for w in
                                    words.get("organisation_words_before", ()))
        # where a sentence names no place, a demonym locates it only after these (None: any)
        agents = words.get("demonym_agents")
        self.demonym_agents = frozenset(
            f for w in agents for f in fold_accents(lower_case(w))) if agents else None
        self.frequencies = tuple(sorted(words.get("word_frequencies", ()))) or ("en",)
        # after a country's name, its actors: "Chad troops" (actor_nationality)
        self.actor_nouns = ACTOR_NOUNS | words.get("actor_nouns", frozenset())
        # beside a name, a military operation's: "Operation Olive Branch" (operation_name)
        self.operation_words = OPERATION_WORDS | words.get("operation_words", frozenset())
        # before a place, the border the event is at: "the border with Turkey" (across_border)
        self.border_with = BORDER_WITH | words.get("border_with", frozenset())
        self.border_start = re.compile("|".join(sorted({re.escape(w.split()[0])
                                                         for w in self.border_with})), re.I)
        # before a country or its demonym, its capital: "la capital venezolana"
        self.capital_before = tuple(sorted(words.get("capital_before", ())))
        # before a name, a part of a city ("el barrio Siloé", "la colonia Roma"), and before
        # "de" and a town, its agencies ("la policía de Culiacán") (local_agency)
        self.city_parts_before = words.get("city_parts_before", frozenset())
        self.agencies_before = words.get("agencies_before", frozenset())


ENGLISH = _Language({}, {})
NO_ORIGINS: frozenset[str] = frozenset()


def mentions_by_sentence(mentions: list[Mention],
                         spans: list[tuple[int, int]]) -> list[list[Mention]]:
    """The mentions of each sentence span, in order (both sorted by offset)."""
    per_sentence: list[list[Mention]] = [[] for _ in spans]
    k = 0
    for m in mentions:
        while k < len(spans) and spans[k][1] <= m.start:
            k += 1
        if k < len(spans) and spans[k][0] <= m.start:
            per_sentence[k].append(m)
    return per_sentence


class Geoparser:
    """Load the gazetteer once (per worker, in DoFn.setup) and parse many articles."""

    def __init__(self, gazetteer: Gazetteer | None = None, places_path: Path | str = PLACES_YAML):
        self.gazetteer = gazetteer or load_gazetteer()
        self.version = self.gazetteer.version
        words, _ = with_languages(read_yaml(places_path))   # and each language's titles
        self.org_words = frozenset(normalize(w) for w in words["organisation_words"])
        self.titles = frozenset(normalize(w) for w in words["person_titles"])
        # "el puente Simón Bolívar", "la avenida Bolívar": a facility named after a place
        self.facilities = frozenset(normalize(w) for w in words.get("facility_words", ()))
        self.abbreviations = frozenset(normalize(w) for w in words.get("abbreviated_titles", ()))
        # the languages' locative prepositions ("en Ureña") and the articles they pass over
        self.locatives = LOCATIVE | frozenset(words.get("locative_words", ()))
        self.passed_over = frozenset(["the", *words.get("articles", ())])
        # the languages' articles between an origin word and a name: "desde la"
        self.origin_articles = frozenset(words.get("articles", ()))
        # people whom places are named after: "la estatua de Simón Bolívar"
        self.people = frozenset(normalize(w) for w in words.get("people", ()))
        # names that are not places though they are or contain one (the name rules
        # organisation_name, broadcaster, first_name)
        gaz = self.gazetteer
        listed = words.get("not_places", {})
        self.broadcasters = frozenset(normalize(w) for w in listed.get("broadcasters", ()))
        self.first_names = frozenset(normalize(w) for w in listed.get("first_names", ()))
        # a place's key -> the words before and after it in an organisation's name
        self.org_names: dict[str, list[tuple[tuple[str, ...], tuple[str, ...]]]] = {}
        for name in listed.get("organisations", ()):
            parts = normalize(name).split(" ")
            for i in range(len(parts)):
                for j in range(i + 1, len(parts) + 1):
                    key = " ".join(parts[i:j])
                    if key in gaz.names or key in gaz.demonyms:
                        self.org_names.setdefault(key, []).append(
                            (tuple(parts[:i]), tuple(parts[j:])))
        # country abbreviations that are one only in capitals ("CAR"): key -> the country
        self.capitals_only = {normalize(a): gaz.country[code] for a, code in
                              words.get("country_abbreviations", {}).items()
                              if code in gaz.country}
        # armed groups of one country (`armed_groups`): their first words -> a pattern for
        # each name they begin and its country (Geoparser._group_country; one pattern of
        # all the names, tried at every character, cost ten times the geoparser's time)
        self.groups: dict[str, list[tuple[re.Pattern, Place]]] = {}
        for code, names in words.get("armed_groups", {}).items():
            if code in gaz.country:
                for name in names:
                    first = lower_case(re.split(r"[\s'’-]+", name.strip())[0])
                    self.groups.setdefault(first, []).append(
                        (re.compile(_group_pattern(name)), gaz.places[gaz.country[code]]))
        # each language's words beside the names; text of another language reads English's
        self.languages: dict[str, _Language] = {}
        for language, files in language_files().items():
            if language == PLACES_LANGUAGE:       # English's words are the module's
                continue
            extra = read_yaml(files["places"])
            if "words" in extra:
                self.languages[language] = _Language(place_words(language),
                                                     language_demonyms(extra))
        # where something came from, in any language: "from", "procedentes de"
        origins = set(ORIGIN_WORDS)
        for lang in self.languages.values():
            origins |= lang.origins
        self.origins = frozenset(origins)
        # a state's agents at home, in any language: "la policía boliviana" (demonym_context)
        homes = set(HOME_AGENTS)
        for language in self.languages:
            homes |= place_words(language).get("home_agents", frozenset())
        self.home_agents = frozenset(f for w in homes for f in fold_accents(lower_case(w)))
        self.origin_starts = frozenset(w.split()[0] for w in origins if " " in w)
        # wordfreq loads a list on first use: English's here, once; another language's with
        # its first article (an English run does not pay for it)
        _common_word("the")
        self._first_keys: dict[str, str] = {}

    # --- recognition and resolution ----------------------------------------------------

    def find_places(self, text: str, language: str | None = None) -> list[Mention]:
        """Every place name (toponyms, metonyms and names embedded in an organisation's;
        demonyms are not names) in a text."""
        return [m for m in self._mentions(text, None, language) if m.kind != "demonym"]

    def _mentions(self, text: str, tokens: list[Token] | None = None,
                  language: str | None = None) -> list[Mention]:
        if tokens is None:
            tokens = tokenize(text)
        lang = self._language(language)
        split, spans = self._names(text, tokens, lang)
        return self._resolve(text, split, spans, lang)

    def _language(self, language: str | None) -> _Language:
        return self.languages.get(language, ENGLISH) if language else ENGLISH

    def _names(self, text: str, tokens: list[Token],
               lang: _Language = ENGLISH) -> tuple[list[Token], list[_Span]]:
        """The tokens names are read in (a hyphenated word split where it holds a place)
        and the names recognised in them."""
        split = _split_hyphens(tokens, self._is_major) if "-" in text else tokens
        return split, self._recognize(text, split, split is not tokens, lang)

    def _recognize(self, text: str, tokens: list[Token], hyphens: bool = False,
                   lang: _Language = ENGLISH) -> list[_Span]:
        gaz = self.gazetteer
        # a person's name's words -> where it was first read and the verdict that read it
        people: dict[str, tuple[int, str]] = {}
        person_end = -1                # the token after the last person's name read
        lowered: list = []             # the text's lower-case words, once needed (_Name)
        spans: list[_Span] = []
        n = len(tokens)
        first_words = gaz.first_words
        # where a place name can start: a capitalised word that begins some name (an ASCII
        # token that lower-casing leaves alone, as most are, has no capital: passed over
        # first; some other capitals, "ℂ" or "𝐊", have no lower case)
        # (a capitalised word that begins no name may still be a spelling of a transliterated
        # one: _by_skeleton)
        skeletons = gaz.skeletons
        # (each with the most words a name starting with its first word has; 0: none)
        starts = [(k, first_words.get(self._first_word(t[1]), 0)) for k, t in enumerate(tokens)
                  if (t[0] != t[1] or not t[1].isascii())
                  and (t[1][0].isupper() or _article_name(t[1]))]
        if not skeletons:
            starts = [(k, longest) for k, longest in starts if longest]
        if lang.not_articles:          # "En San Antonio del Táchira": a preposition
            starts = [(k, longest) for k, longest in starts
                      if tokens[k][0] not in lang.not_articles]
        done = 0                       # tokens before this index belong to a name found
        for k, longest in starts:
            if k < done:
                continue
            found = None
            if not longest:
                # "Jesr al-Shughur": of a first word that begins no name, the longest run of
                # name words (three at most) that is a spelling of a transliterated name
                # (a word English does not use among them, or none is a spelling: most are
                # out at once)
                last, unusual = k, _unusual(tokens[k][0])
                stop = k + 3 if k + 3 < n else n
                while last + 1 < stop and (tokens[last + 1][1][:1].isupper() or (
                        "-" in tokens[last + 1][1] and _article_name(tokens[last + 1][1]))):
                    last += 1
                    unusual = unusual or _unusual(tokens[last][0])
                if unusual:
                    for end in range(last, k - 1, -1):
                        found = self._by_skeleton(text, tokens, k, end)
                        if found is not None:
                            break
                longest = 0            # (no name to read in full)
            limit = min(longest, n - k)
            if hyphens or (k + 1 < n and tokens[k + 1][0] == "." and len(tokens[k][1]) <= 2
                           and _initials(tokens, k + 1)):
                # "-" tokens and the dots of initials ("EE. UU.") are not words of the name
                m = words = 0
                while k + m < n and words < longest:
                    words += tokens[k + m][0] != "-" and not _initials(tokens, k + m)
                    m += 1
                limit = m
            for length in range(limit, 0, -1):
                last = k + length - 1
                if not (tokens[last][1][:1].isupper() or _article_name(tokens[last][1])):
                    continue
                if any(not tokens[m][1][:1].isupper() and tokens[m][0] not in NAME_JOINERS
                       and not _article_name(tokens[m][1])
                       and tokens[m][0] != "-"     # "Guinea-Bissau", "Stratford-upon-Avon"
                       and not (tokens[m][0] == "." and (tokens[m - 1][0] in ABBREVIATED
                                                          or _initials(tokens, m)))  # "EE. UU."
                       for m in range(k + 1, last)):
                    continue
                start = tokens[k][2]
                end = tokens[last][2] + len(tokens[last][1])
                key = normalize(text[start:end])
                if key in gaz.non_places:
                    if length == 1:
                        break
                    continue
                cands = gaz.names.get(key)
                if cands and key in self.capitals_only and not text[start:end].replace(
                        ".", "").replace(" ", "").isupper():     # "Car bomb", not "CAR"
                    only = self.capitals_only[key]
                    cands = [i for i in cands if i != only]
                # (a demonym has one or two words: "C. African" is three tokens)
                demonym = gaz.demonyms.get(key) if length <= 3 else None
                if cands or demonym:
                    # (gaz.places builds a place at its first read: gazetteer.Places)
                    found = _Span(start, end, k, last, key,
                                  [gaz.places[i] for i in cands] if cands else [], demonym)
                    break
                # "Deir Ezzor": a known first word and one that begins no name, or a rare
                # one ("Reef Dimashq": Dimashq alone is one of Damascus' names; "Maarat
                # al-Numan": the article aside)
                # (two words, or three with a hyphen split off: "Jabal al-Zawiyah")
                if 2 <= length <= 2 + 2 * hyphens and skeletons and (
                        self._first_word(tokens[last][1]) not in first_words
                        or _unusual(tokens[last][0])):
                    found = self._by_skeleton(text, tokens, k, last)
                    if found is not None:
                        break
            if found is None and skeletons and "-" in tokens[k][1]:
                # one hyphenated word, "al-Suwaidaa", "Der-Ezor": a spelling of a name its
                # first word begins (the names it begins were looked up above)
                found = self._by_skeleton(text, tokens, k, k)
            if found is None:
                continue
            # a name right after a person's name goes on with it: "Senator Mark Tyler"
            verdict = "person" if found.first == person_end else \
                self._not_a_place(found, tokens, people, lang, lowered)
            if verdict in ("person", "known person"):
                person_end = found.last + 1
                for t in tokens[found.first:found.last + 1]:
                    if t[0] not in people or verdict == "known person":
                        people[t[0]] = (found.start, verdict)
            # (a place's name that begins a longer name, "Paris Hilton" or "Dubai Turf",
            # does not make the place a person's name later: unlike a surname, it is
            # seldom written alone)
            elif verdict in (None, "embedded"):
                found.embedded = verdict == "embedded"
                spans.append(found)
            done = found.last + 1
        if lang.lower_demonyms:
            spans = self._lower_demonyms(tokens, spans, lang)
        # a name seen as part of a person's name is not a place later either ("President
        # Duque", then "Duque"), unless a place-type word or a locative preposition comes
        # before it ("el estado Bolívar" after "Simón Bolívar"; "homes across Jackson" after
        # "Mark Jackson": people are not "across"); the decision reaches back to earlier mentions only for a
        # listed person: a headline's "Houston" stays the city where "Whitney Houston" follows
        if not people:
            return spans
        return [s for s in spans
                if not (s.first == s.last and tokens[s.first][0] in people and not s.demonym
                        and not (s.first and (tokens[s.first - 1][0] in lang.types_before
                                              or tokens[s.first - 1][0] in self.locatives))
                        and self._still_person(s, people[tokens[s.first][0]]))]

    def _still_person(self, s: _Span, person: tuple[int, str]) -> bool:
        """A name alone that a person's name used is still the person here: a listed person's
        anywhere, another's after it (the headline's city stays a city)."""
        start, verdict = person
        return verdict == "known person" or s.start >= start

    def _by_skeleton(self, text: str, tokens: list[Token], k: int, last: int) -> _Span | None:
        """A name the gazetteer lacks that is another spelling of a transliterated place's
        ("Deir Ezzor" for Deir ez-Zor, "Qameshly" for Al Qamishli): the same skeleton (no
        vowels, articles or doubled letters) as a town of some size or a province of a country
        whose names are transliterated, the same first letter and about the same length; not a
        word English uses, nor a word in capitals."""
        start, end = tokens[k][2], tokens[last][2] + len(tokens[last][1])
        raw = text[start:end]
        # (of two words, one rare is enough: "Reef Dimashq", not "The Nation")
        if raw.isupper() or (not _rare_word(_bare_word(tokens[k][0])) if k == last else not any(
                _unusual(tokens[m][0]) for m in range(k, last + 1))):
            return None
        key = normalize(raw)
        sk = _skeleton(key)
        # (a short skeleton's vowel pattern only for a name written with its article,
        # "al-Suwaidaa", or of two words, "Ayn Issa": a bare short word finds namesakes
        # abroad more often than not, "Jobar" Iran's Juybar, "Barada" Tunisia's Bou Arada;
        # but it may be a name whose article the press drops, "Tabaqa" for Al-Tabqa)
        skeletons = self.gazetteer.skeletons
        if len(sk) >= SKELETON_MIN:
            cands = skeletons.get(sk)
        elif key.startswith("al "):
            cands = skeletons.get(_vowel_pattern(key)) or skeletons.get("al " + sk)
        elif " " in key:
            cands = skeletons.get(_vowel_pattern(key))
        else:      # (a town's: a province keeps its article, "Kafriya" is no Al Kufrah)
            cands = [i for i in skeletons.get("al " + sk, ())
                     if self.gazetteer.places[i].feature == "city"]
        if not cands:
            return None
        bare = _without_articles(key)
        places = [p for i in cands if (p := self.gazetteer.places[i])
                  and _without_articles(p.key)[:1] == bare[:1]
                  and abs(len(_without_articles(p.key)) - len(bare)) <= 2]
        return _Span(start, end, k, last, key, places) if places else None

    def _lower_demonyms(self, tokens: list[Token], spans: list[_Span],
                        lang: _Language) -> list[_Span]:
        """The demonyms a language writes in lower case ("los militares venezolanos"), added
        to the names found, in order; not after a currency ("el peso colombiano")."""
        demonyms = self.gazetteer.demonyms
        added = False
        for k, t in enumerate(tokens):
            key = lang.lower_demonyms.get(t[0])
            if key is not None and t[0] == t[1] and not (
                    k and tokens[k - 1][0] in lang.currencies):
                code = demonyms.get(key)
                if code is not None:
                    spans.append(_Span(t[2], t[2] + len(t[1]), k, k, key, [], code))
                    added = True
        if added:
            spans.sort(key=_span_start)
        return spans

    def _first_word(self, raw: str) -> str:
        """The gazetteer key of a token's first word ("Guinea-Bissau" -> "guinea"), cached:
        the same capitalised words come back article after article."""
        key = self._first_keys.get(raw)
        if key is None:
            if len(self._first_keys) >= FIRST_KEYS_MAX:
                self._first_keys.clear()
            key = normalize(raw).split(" ")[0]
            if key in ARTICLE_WORDS:      # "El Fasher" is filed as "al fasher"
                key = "al"
            self._first_keys[raw] = key
        return key

    def _not_a_place(self, span: _Span, tokens: list[Token], people: object,
                     lang: _Language = ENGLISH, lowered: list | None = None) -> str | None:
        """Why a matched name is not a place here, or "embedded" when it names part of an
        organisation ("Buffalo Public Schools", "U.S. Army"), or None for a place: the first
        of NAME_RULES, in order, that has a verdict."""
        name = _Name(self, span, tokens, lang, lowered)
        for rule in NAME_RULES:
            verdict = rule(name)
            if verdict is not None:
                return None if verdict == PLACE else verdict
        return None

    def _saint(self, tokens: list[Token], k: int) -> bool:
        """ "St." or "St" at k stands for Saint: with the next word it makes a place name
        ("St. Paul"), where "Franklin St. Police said" does not."""
        n = k + 2 if k + 1 < len(tokens) and tokens[k + 1][0] == "." else k + 1
        return n < len(tokens) and self._is_name(normalize("st " + tokens[n][1]))

    def _is_big(self, key: str) -> bool:
        """A country, subdivision or demonym: "Sydney Australia" is two places, not a name."""
        gaz = self.gazetteer
        return key in gaz.demonyms or any(gaz.places[i].feature in ("country", "admin1")
                                          for i in gaz.names.get(key, ()))

    def _is_major(self, name: str, any_place: bool = False) -> bool:
        """A country, subdivision, demonym or city of 100,000 (any place with any_place)."""
        key = normalize(name)
        if any_place or self._is_big(key):
            return self._is_name(key)
        gaz = self.gazetteer
        return any(gaz.places[i].population >= 100_000 for i in gaz.names.get(key, ()))

    def _is_name(self, key: str) -> bool:
        gaz = self.gazetteer
        return key in gaz.names or key in gaz.demonyms

    def _resolve(self, text: str, tokens: list[Token], spans: list[_Span],
                 lang: _Language = ENGLISH) -> list[Mention]:
        """Each name's place, RESOLUTION_STAGES in order; then the mentions: toponyms,
        metonyms (actors), names inside an organisation's, and demonyms as their country."""
        r = _Resolution(self.gazetteer, text, tokens, spans, self._after_from,
                        self.home_agents, lang)
        for stage in RESOLUTION_STAGES:
            stage(r)
        gaz = self.gazetteer
        picked = r.picked
        mentions = []
        k = 0                      # the next name's index in r.names and r.picked
        for s in r.spans:          # (a stage may drop a name: spelling_guess)
            surface = text[s.start:s.end]
            if s.demonym:
                index = gaz.country.get(s.demonym)
                if index is not None:
                    mentions.append(Mention(surface, s.start, s.end, gaz.places[index], "demonym"))
                continue
            p = picked[k]
            k += 1
            kind = ("embedded" if s.embedded else
                    "metonym" if self._is_actor(s, p, tokens) else "toponym")
            mentions.append(Mention(surface, s.start, s.end, p, kind))
        return mentions

    def _locative(self, text: str, start: int) -> bool:
        """The word before the name, past articles and qualifiers, puts something there:
        "in southern Venezuela", "police in Khartoum", "en Ureña"."""
        for w in reversed(lower_case(text[max(0, start - 40):start]).split()):
            if w not in QUALIFIERS and w not in self.passed_over:
                return w in self.locatives
        return False

    def _in_the(self, text: str, start: int) -> bool:
        """A locative preposition and an article right before start: "in the", "en la"."""
        words = lower_case(text[max(0, start - 24):start]).split()
        return len(words) >= 2 and words[-1] in self.passed_over and words[-2] in self.locatives

    def _holds(self, text: str, place: Place, o: Mention) -> bool:
        """The place holds o, a place where the event may be: not one named in passing
        ("Dallas-based", "a man from Evanston", a country's capital standing for its
        government: "in Sudan, between Khartoum's army and the RSF", unless something
        happens in it). A county holds a town, not the next county (it has no code of its
        own here)."""
        if o.kind != "toponym" or o.place == place or not _contains(place, o.place):
            return False
        if place.feature == "admin2" and o.place.feature != "city":
            return False
        if text.startswith("-", o.end) or self._after_from(text, o.start):
            return False
        # but a capital where something happens is a place: "police in Khartoum"
        return not (place.feature == "country" and self._is_capital(o.place)
                    and not self._locative(text, o.start))

    def _after_from(self, text: str, start: int,
                    origins: frozenset[str] | None = None) -> bool:
        """The name at start follows an origin word (of any language, or of `origins`): where
        someone or something came from ("from", "desde", "procedentes de", "desde la")."""
        words = lower_case(text[max(0, start - ORIGIN_REACH):start]).split()
        if words and words[-1] in self.origin_articles:     # "desde la", "procedentes de los"
            words.pop()
        if not words:
            return False
        if origins is None:
            origins = self.origins
        return words[-1] in origins or (len(words) > 1 and words[-2] in self.origin_starts
                                        and f"{words[-2]} {words[-1]}" in origins)

    def _origins(self, text: str, mentions: list[Mention],
                 lang: _Language = ENGLISH) -> frozenset[str]:
        """The countries a sentence names after one of its language's origin words ("enviada
        desde Brasil"), where it names a place in another country as well; else none."""
        if not lang.origins:
            return NO_ORIGINS
        origins = {m.place.country_code for m in mentions
                   if m.kind == "toponym" and m.place.feature == "country"
                   and self._after_from(text, m.start, lang.origins)}
        if origins and any(m.kind == "toponym" and m.place.country_code not in origins
                           for m in mentions):
            return frozenset(origins)
        return NO_ORIGINS

    def _is_capital(self, place: Place) -> bool:
        capital = self.gazetteer.capitals.get(place.country_code)
        return capital is not None and self.gazetteer.places[capital] == place

    def _is_actor(self, span: _Span, place: Place, tokens: list[Token]) -> bool:
        if place.feature != "country" and not (
                place.feature == "city" and self._is_capital(place)):
            return False
        after = tokens[span.last + 1][0] if span.last + 1 < len(tokens) else ""
        before = tokens[span.first - 1][0] if span.first > 0 else ""
        return after in ACTOR_VERBS and before not in LOCATIVE

    # --- event location -------------------------------------------------------------------

    def locate(self, text: str, spans: list[tuple[int, int]],
               triggers: list[list[tuple[int, int]]] | None = None,
               tokens: list[Token] | None = None,
               wanted: list[bool] | None = None,
               language: str | None = None) -> list[SentenceLocation]:
        """One SentenceLocation per sentence span (article-relative offsets throughout); the
        article's language picks the words read around names (English's by default). With
        `wanted`, only those sentences are located (the others' source is "skipped"): a
        sentence's place is chosen where it or a later one in its paragraph needs it."""
        if tokens is None:
            tokens = tokenize(text)
        mentions = self._mentions(text, tokens, language)
        groups: list[list[tuple[int, Place]]] = []    # the armed groups named, once needed

        def groups_in(start: int, end: int) -> Place | None:
            return self._group_country(text, tokens, groups, start, end)
        lang = self._language(language)
        per_sentence = mentions_by_sentence(mentions, spans)
        agents = lang.demonym_agents
        # the article's main place counts the demonyms that may locate a sentence, and no
        # place before a hyphen ("Ankara-backed factions", "London-based monitors") or after
        # "pro-" ("pro-Turkey factions")
        located = [m for m in mentions if m.kind == "demonym" or not (
            text.startswith("-", m.end) or _patron(text, m.start))]
        main = _main_place(located if agents is None else [
            m for m in located if m.kind != "demonym" or _after_agent(text, m.start, agents)])
        # the actors' nationality ("Russian warplanes") is the article's place only where
        # it names no other: measured on GED's headlines with no place, the actors' country
        # is right twice as often as wrong, so it stays there
        if main is not None and any(m.kind == "demonym" for m in mentions):
            main = _main_place([m for m in located if m.kind != "demonym" or (
                (agents is None or _after_agent(text, m.start, agents))
                and not _actors_after(text, m.end, lang.actor_nouns))]) or main
        sentence_triggers: list = triggers or [None] * len(spans)
        chosen: dict[int, Place | None] = {}
        out = []
        paragraph = 0           # the first sentence of the current paragraph
        for index, ((start, end), ms) in enumerate(zip(spans, per_sentence)):
            if index and "\n" in text[spans[index - 1][1]:start]:
                paragraph = index  # a new paragraph does not inherit the last one's place
            if wanted is not None and not wanted[index]:
                out.append(SentenceLocation(tuple(ms), None, None, "skipped"))
                continue
            where = self._chosen(text, per_sentence, sentence_triggers, chosen, index, lang,
                                 spans, groups_in)
            if where is not None:
                out.append(SentenceLocation(tuple(ms), where, where.feature, "sentence"))
                continue
            previous: Place | None = None     # the last place chosen in the paragraph
            for before in range(index - 1, paragraph - 1, -1):
                previous = self._chosen(text, per_sentence, sentence_triggers, chosen, before,
                                        lang, spans, groups_in)
                if previous is not None:
                    break
            if previous is not None:
                out.append(SentenceLocation(tuple(ms), previous, previous.feature,
                                            "context"))
            elif main is not None:
                out.append(SentenceLocation(tuple(ms), main, main.feature, "article"))
            else:
                # where the article names no place, a country that speaks of the event is
                # where it happened ("Algeria says troops killed six militants"): a
                # government reports on its own ground
                speaker = {m.place for m in ms if m.kind == "metonym"
                           and m.place.feature == "country"}
                if len(speaker) == 1:
                    (place,) = speaker
                    out.append(SentenceLocation(tuple(ms), place, place.feature, "sentence"))
                    continue
                # last, the one country of the armed groups named: "SDF fighters repelled an
                # attack" (the sentence's groups, else the article's)
                group = groups_in(start, end)
                source = "sentence"
                if group is None and (start or end < len(text)):
                    group, source = groups_in(0, len(text)), "article"
                if group is not None:
                    out.append(SentenceLocation(tuple(ms), group, group.feature, source))
                else:
                    out.append(SentenceLocation(tuple(ms), None, None, "none"))
        return out

    def _group_hits(self, text: str, tokens: list[Token],
                    hits: list[list[tuple[int, Place]]]) -> list[tuple[int, Place]]:
        """Where the text names an armed group of one country (`armed_groups` in
        taxonomy/places.yaml), and its country: found once per text (in `hits`), where a
        sentence needs them."""
        if hits:
            return hits[0]
        found: list[tuple[int, Place]] = []
        groups = self.groups
        # each word, and the parts of a hyphenated one ("anti-balaka", "al-nusra"), with
        # where it starts
        words = {t[0] for t in tokens}
        parts = {p for w in words if "-" in w for p in w.split("-")}
        # (most texts name none: out at once)
        if words.isdisjoint(groups) and parts.isdisjoint(groups):
            hits.append(found)
            return found
        for t in tokens:
            word = t[0]
            at = [(word, t[2])]
            if "-" in word:
                offset = t[2]
                for part in word.split("-"):
                    at.append((part, offset))
                    offset += len(part) + 1
            for w, start in at:
                for pattern, country in groups.get(w, ()):
                    if pattern.match(text, start):
                        found.append((start, country))
                        break
        hits.append(found)
        return found

    def _group_country(self, text: str, tokens: list[Token],
                       hits: list[list[tuple[int, Place]]], start: int, end: int
                       ) -> Place | None:
        """The one country of the armed groups of one country named in text[start:end], or
        None: none, or groups of several."""
        found = {country for at, country in self._group_hits(text, tokens, hits)
                 if start <= at < end}
        return next(iter(found)) if len(found) == 1 else None

    def _chosen(self, text: str, per_sentence: list[list[Mention]], triggers: list,
                chosen: dict[int, Place | None], index: int, lang: _Language,
                spans: list[tuple[int, int]],
                groups_in: Callable[[int, int], Place | None]) -> Place | None:
        """The sentence's own place, chosen once."""
        if index not in chosen:
            chosen[index] = self._choose(text, per_sentence[index], triggers[index], lang,
                                         spans[index], groups_in)
        return chosen[index]

    def _frame(self, text: str, mentions: list[Mention],
               lang: _Language = ENGLISH) -> set[str]:
        """The countries of the subdivisions and countries that hold another place named
        here, not as an origin in the language's words ("desde Brasil"): a place outside
        all of them is a namesake (out_of_frame)."""
        return {o.place.country_code for o in mentions
                if o.kind == "toponym" and o.place.feature in ("country", "admin1", "admin2")
                and any(self._holds(text, o.place, x) for x in mentions)
                and not (lang.origins and self._after_from(text, o.start, lang.origins))}

    def _choose(self, text: str, mentions: list[Mention], triggers,
                lang: _Language = ENGLISH, span: tuple[int, int] | None = None,
                groups_in: Callable[[int, int], Place | None] | None = None) -> Place | None:
        if not mentions:
            return None
        best, best_score = None, None
        # (one mention holds no other: no frame)
        frame = self._frame(text, mentions, lang) if len(mentions) > 1 else set()
        origins = self._origins(text, mentions, lang)
        for m in mentions:
            c = _Candidate(self, text, m, mentions, frame, lang, origins)
            if not _located(c):
                continue
            place = c.place
            distance = 0
            for n, (s, _) in enumerate(triggers or ()):
                if n == 0 or abs(m.start - s) < distance:
                    distance = abs(m.start - s)
            score = (SPECIFICITY[place.feature] + 2 * self._locative(text, m.start)
                     - distance / 1000)
            if best_score is None or score > best_score:
                best, best_score = place, score
        if best is None and groups_in is not None and span is not None and any(
                m.kind == "demonym" for m in mentions):
            # peoples beside an armed group of one country: the foreign jets and troops come
            # to the group's ground ("Turkish shelling hit SDF positions" is in Syria)
            group = groups_in(*span)
            if group is not None:
                return group
        if best is None:    # only demonyms: "Venezuelan police fired": the country, no more
            agents = lang.demonym_agents
            # (nor a person's origin or a cuisine: "a Mexican man was shot", "outside a
            # Chinese restaurant" are where the article is, where it names a place; else
            # the article's place is that country anyway)
            demonyms = [m.place for m in mentions if m.kind == "demonym" and (
                agents is None or _after_agent(text, m.start, agents))
                and not _actors_after(text, m.end, lang.actor_nouns)
                and not _actors_after(text, m.end, PERSON_NOUNS)]
            if len({p.country_code for p in demonyms}) == 1:
                return demonyms[0]
            # of several peoples, the one a locative and "the" put the event in: "Russian
            # raids killed 12 in the Syrian desert" (not "killed in an Israeli raid")
            if len(demonyms) > 1:
                placed = {m.place for m in mentions if m.kind == "demonym"
                          and self._in_the(text, m.start)}
                if len(placed) == 1:
                    return next(iter(placed))
        return best


PLACE = "place"      # a rule's verdict that ends the chain: the name is a place


class _Name:
    """A recognised name and what the name rules read around it (a plain class: compiled,
    its fields are native)."""

    def __init__(self, geo: Geoparser, span: _Span, tokens: list[Token],
                 lang: _Language = ENGLISH, lowered: list | None = None) -> None:
        self.geo = geo
        # the text's words written in lower case, computed once per text and shared by its
        # names (lower_case_words)
        self.lowered = lowered if lowered is not None else []
        self.span = span
        self.tokens = tokens
        self.lang = lang
        first, last = span.first, span.last
        self.first = first
        self.last = last
        self.before: Token | None = tokens[first - 1] if first > 0 else None
        self.after = tokens[last + 1][0] if last + 1 < len(tokens) else ""
        # a possessive folded into the last token: "Mali's"
        self.possessive = tokens[last][3] - tokens[last][2] > len(tokens[last][1])
        # the capitalised words (and connectors) that follow the name
        run: list[str] = []
        for t in tokens[last + 1:last + 5]:
            if not (t[1][:1].isupper() or t[0] in CONNECTORS):
                break
            run.append(normalize(t[1]))
        self.run = run
        candidates = span.candidates
        self.big = any(p.feature in ("country", "admin1", "continent", "region")
                       for p in candidates)
        self.very_big = any(p.feature in ("country", "continent", "region") for p in candidates)
        # (a district's population is its towns', not its name's renown)
        self.small = not self.big and max((p.population for p in candidates
                                           if p.feature != "admin2"), default=0) < 100_000
        self.raw = text_of(tokens, first, last)
        self.sentence_start = first == 0 or tokens[first - 1][0] in SENTENCE_END

    def lower_case_words(self) -> frozenset[str]:
        """The words the text writes in lower case somewhere, once per text (scanning the
        text for each small place's name cost a fifth of the geoparser's time)."""
        if not self.lowered:
            self.lowered.append(frozenset(t[0] for t in self.tokens if t[1][:1].islower()))
        return self.lowered[0]


# --- the name rules: is a recognised name a place here? -----------------------------------
# Each returns a verdict ("person", "known person", "first name", "organisation", "street",
# "currency", "acronym", "common word", "embedded", or PLACE) or None to pass the name on to
# the next rule; in NAME_RULES' order. A person's name ("person", "known person") makes its
# words no place later in the article too (Geoparser._still_person says where).

def currency(n: _Name) -> str | None:
    """A currency word after the name: "the US dollar", "the Lebanese pound"."""
    return "currency" if n.after in CURRENCIES else None


def disease(n: _Name) -> str | None:
    """A disease named after a place: "Marburg virus", "Lassa fever", "Lyme disease" (the
    virus is no event in Marburg)."""
    return "disease" if n.after in DISEASES else None


def demonym(n: _Name) -> str | None:
    """A demonym is a place's adjective, whatever stands around it: "Egyptian mediators"."""
    return PLACE if n.span.demonym else None


def title_before(n: _Name) -> str | None:
    """A person's title before the name: "President Jackson", "Mr Sudan"."""
    b = n.before
    return "person" if b is not None and normalize(b[1]) in n.geo.titles else None


def abbreviated_title(n: _Name) -> str | None:
    """An abbreviated title and its dot before the name: "Gral. Padrino"."""
    b = n.before
    return "person" if b is not None and b[1] == "." and n.first > 1 and normalize(
        n.tokens[n.first - 2][1]) in n.geo.abbreviations else None


def facility_before(n: _Name) -> str | None:
    """A facility named after a place: "el puente Simón Bolívar", "la avenida Bolívar"."""
    b, facilities = n.before, n.geo.facilities
    return "street" if b is not None and facilities and normalize(b[1]) in facilities else None


def organisation_name(n: _Name) -> str | None:
    """A party or other organisation whose listed name holds a place's (`not_places:
    organisations` in taxonomy/places.yaml): "United Russia" is a party, not Russia."""
    forms = n.geo.org_names.get(n.span.key)
    if not forms:
        return None
    tokens, first, last = n.tokens, n.first, n.last
    for before, after in forms:
        if first >= len(before) and last + len(after) < len(tokens) and all(
                normalize(tokens[first - len(before) + i][1]) == w
                for i, w in enumerate(before)) and all(
                normalize(tokens[last + 1 + i][1]) == w for i, w in enumerate(after)):
            return "organisation"
    return None


def broadcaster(n: _Name) -> str | None:
    """A broadcaster or news agency (`not_places: broadcasters`): "CNN reported" (GeoNames
    gives the letters to Angola's Cunene), "SANA said"."""
    return "organisation" if n.span.key in n.geo.broadcasters else None


def first_name(n: _Name) -> str | None:
    """A place's name that is also a first name (`not_places: first_names`), before a
    capitalised word that is no place, place type, organisation word or very frequent word
    (surnames are frequent: "Smith"): a person ("Georgia Smith", "Chad Johnson"; but
    "Georgia Tech", "Jordan Valley", "India Today", "Paris, Texas")."""
    run = n.run
    if n.span.key not in n.geo.first_names or not run or n.possessive:
        return None
    w = run[0]
    geo = n.geo
    tokens = n.tokens
    if tokens[n.last + 1][0] in CONNECTORS or w in PLACE_TYPES or w in geo.org_words \
            or w in geo.titles or w in geo.gazetteer.non_places or geo._is_big(w) \
            or zipf_frequency(tokens[n.last + 1][0], "en") >= FIRST_NAME_ZIPF:
        return None
    return "first name"


def operation_name(n: _Name) -> str | None:
    """A military operation's name, with its word before it or, in quotes, after it:
    "Operation Olive Branch", "the “Olive Branch” operation" (not Olive Branch, Mississippi);
    a place's name without quotes before the word is where it happens ("the Mosul
    operation")."""
    b, words = n.before, n.lang.operation_words
    if b is not None and (b[0] in words or (b[0] == '"' and n.first >= 2
                                            and n.tokens[n.first - 2][0] in words)):
        return "organisation"
    k = n.last + 2
    if n.after == '"' and k < len(n.tokens) and n.tokens[k][0] in words:
        return "organisation"
    return None


def address(n: _Name) -> str | None:
    """A name in a street address: a small place's after a house number ("at 4100 Walnut")
    or any after "block of" ("the 3400 block of West Madison"): a street named after a place."""
    tokens, first = n.tokens, n.first
    k = first - 1
    if k >= 0 and tokens[k][0] in QUALIFIERS:
        k -= 1
    if k < 0:
        return None
    t = tokens[k][0]
    # (a house number has three digits or more, and is no year: "killed 12 Syrians", "in
    # 2019 Paris")
    if n.small and t.isdigit() and 3 <= len(t) <= 5 and not (
            len(t) == 4 and 1800 <= int(t) <= 2099):
        return "street"
    if t == "of" and k >= 1 and tokens[k - 1][0] == "block":
        return "street"
    return None


def person_in_facility(n: _Name) -> str | None:
    """A small place's name after a capitalised word, inside a facility's or organisation's
    full name, is a person's surname: "Louis Armstrong New Orleans International Airport" is
    not in Armstrong, "John Wayne Airport" not in Wayne (but "Ronald Reagan Washington
    National Airport" is Washington's)."""
    b = n.before
    if b is None or n.sentence_start or not n.small or not b[1][:1].isupper() \
            or b[0] in n.lang.function_words or b[0] in CONNECTORS or b[0] in QUALIFIERS:
        return None
    geo = n.geo
    if not any(w in geo.org_words for w in n.run):
        # the facility word may follow another name: "... New Orleans International Airport"
        tokens = n.tokens
        if not any(normalize(t[1]) in geo.org_words for t in tokens[n.last + 1:n.last + 6]
                   if t[1][:1].isupper()):
            return None
        if not all(t[1][:1].isupper() for t in tokens[n.last + 1:n.last + 3]):
            return None
    return "person"


def known_person(n: _Name) -> str | None:
    """A person whom places are named after, named in full: "la estatua de Simón Bolívar"
    (GeoNames has hamlets of that name), unless a place-type word comes before it."""
    b = n.before
    if n.span.key in n.geo.people and not (b is not None and b[0] in n.lang.types_before):
        return "known person"
    return None


def street_after(n: _Name) -> str | None:
    """A street word after the name: streets honour places elsewhere ("Collins Avenue" is
    not in Collins, "Franklin St. Police"), but "St." before a name is Saint ("St. Paul")
    and "Drive" before more capitalised words is a headline's verb."""
    run = n.run
    if run and run[0] in STREET_WORDS and not (
            (run[0] in SAINT_WORDS and n.geo._saint(n.tokens, n.last + 1))
            or (run[0] in STREET_VERBS and len(run) > 1)):
        return "street"
    return None


def intersection(n: _Name) -> str | None:
    """Names at a street crossing are streets: "near Devon and Kedzie avenues" (a plural
    street word after the second name), "the corner of Madison and Pulaski" (a crossing word
    and "of" before the first), "Kedzie Avenue and Devon" (a street before "and")."""
    tokens, first, last = n.tokens, n.first, n.last
    size = len(tokens)
    # (most names have no street word, "and" nor "of" beside them: out at once)
    after = n.after
    if after in STREET_PLURALS:
        return "street"
    if after in AND_WORDS:
        # the second name of the crossing, then the plural: "Devon and (West) Kedzie avenues"
        k = last + 2
        while k < size and k <= last + 4 and tokens[k][1][:1].isupper():
            k += 1
        if k > last + 2 and k < size and tokens[k][0] in STREET_PLURALS:
            return "street"
    if first >= 2:
        b, bb = tokens[first - 1][0], tokens[first - 2][0]
        if b == "of" and bb in CROSSING_WORDS:
            return "street"
        if b in AND_WORDS and (bb in STREET_WORDS or bb == "." and first >= 3
                               and tokens[first - 3][0] in STREET_WORDS):
            return "street"
        if b in AND_WORDS:
            # "the corner of Madison and Pulaski": the first name, "of", a crossing word
            k = first - 2
            while k > 0 and k >= first - 4 and tokens[k][1][:1].isupper():
                k -= 1
            if k < first - 2 and k >= 1 and tokens[k][0] == "of" \
                    and tokens[k - 1][0] in CROSSING_WORDS:
                return "street"
    return None


def organisation(n: _Name) -> str | None:
    """An organisation word in the capitalised words after the name: the place is part of
    the organisation's name ("Buffalo Public Schools": embedded), or a common word that is
    no town there ("Kenya Human Rights Commission": "Human" is a word)."""
    if not any(w in n.geo.org_words for w in n.run):
        return None
    first = n.first
    return "common word" if first == n.last and _common_word(n.tokens[first][0]) and \
        max((p.population for p in n.span.candidates), default=0) < 500_000 \
        else "embedded"


def organisation_before(n: _Name) -> str | None:
    """An organisation word and "de" before a one-word name that is a frequent word of the
    text's language, as Spanish orders them: a word, not a town ("la Defensoría del Pueblo",
    "el Ministerio de Defensa"; but "la Alcaldía de Popayán" is in Popayán)."""
    first, tokens, org = n.first, n.tokens, n.lang.org_before
    if org and first == n.last and first >= 2 and tokens[first - 1][0] in CONNECTORS \
            and normalize(tokens[first - 2][1]) in org \
            and _frequent(tokens[first][0], n.lang) and max(
                (p.population for p in n.span.candidates if p.key == n.span.key),
                default=0) < 500_000:
        # (of the places that bear the name: "Pueblo" is also one of Puebla's names)
        return "common word"
    return None


def acronym(n: _Name) -> str | None:
    """A short acronym that only a small place bears, or a city under another name: "HIV",
    "FAO" (GeoNames has a hamlet for most of them), "DOH" (an airport's code); but a city's
    own name in capitals is the city: "CAIRO (AP) -"."""
    raw = n.raw
    if not raw.replace(".", "").isupper() or n.big or len(raw) > 5:
        return None
    key = n.span.key
    return None if any(p.key == key and p.population >= 100_000 for p in n.span.candidates) \
        else "acronym"


def dateline_name(n: _Name) -> str | None:
    """A name in capitals that opens the text before a dash, a comma or parentheses is the
    dateline's city, whatever words follow it: "DALLAS - Dallas Johnson, 23, was shot" (the
    dash leaves no token between the two)."""
    tokens, last = n.tokens, n.last
    if n.first or last + 1 >= len(tokens) or not n.raw.isupper():
        return None
    following = tokens[last + 1]
    return PLACE if following[0] in "(,-—–" or following[2] - tokens[last][3] > 1 else None


def speech_verb(n: _Name) -> str | None:
    """A speech verb after a name that is no country or subdivision: places do not speak
    ("Jackson said"), but the police in one do ("Police in Gary said"); countries and
    capitals that do are metonyms."""
    if n.big or n.after not in SPEECH_VERBS:
        return None
    b = n.before
    return None if b is not None and b[0] in n.geo.locatives else "person"


def compound_name(n: _Name) -> str | None:
    """A small place's name that an Arabic article joins to a word beside it belongs to a
    longer name the gazetteer lacks: "Khan al-Sheikh" is not Haan (Germany) nor "Tal
    al-Hawa" India's Tal, and "al-Zawiyah" after "Jabal" is a mountain, not Libya's
    Zawiya (a name the gazetteer has whole, "Jisr al-Shughur", is read whole first)."""
    tokens, first, last = n.tokens, n.first, n.last
    # (most names have no hyphen beside them: out at once)
    if n.very_big or not ("-" in tokens[first][1] or (first and tokens[first - 1][0] == "-")
                          or (last + 1 < len(tokens) and "-" in tokens[last + 1][1])):
        return None
    if n.small and last + 1 < len(tokens) and tokens[last + 1][2] == tokens[last][3] + 1 \
            and _article_name(tokens[last + 1][1]):
        return "common word"
    # the word before the article: "Jabal al-Zawiyah" (one token, or three where the
    # hyphen was split off a big place's name: "al", "-", "Zawiyah")
    k = first - 1
    if not _article_name(tokens[first][1]):
        if not (first >= 3 and tokens[first - 1][0] == "-"
                and tokens[first - 2][0] in ARTICLE_WORDS):
            return None
        k = first - 3
    if k < 0:
        return None
    b = tokens[k]
    if b[1][:1].isupper() and b[3] + 1 == tokens[k + 1][2] \
            and (k == 0 or tokens[k - 1][0] not in SENTENCE_END) \
            and b[0] not in n.lang.function_words and b[0] not in CONNECTORS \
            and b[0] not in QUALIFIERS:
        return "common word"
    return None


def name_goes_on(n: _Name) -> str | None:
    """The name goes on with a capitalised word that is no place, no title, no place type
    and no common word: "Paris Hilton" (but "Sydney Australia" is two places)."""
    run = n.run
    if run and not n.possessive and not n.big and run[0] not in n.geo.titles \
            and run[0] not in PLACE_TYPES and run[0] not in CONNECTORS \
            and not _common_word(run[0]) and (n.small or not n.geo._is_big(run[0])):
        return "first name"
    return None


def name_before(n: _Name) -> str | None:
    """A capitalised word before the name that is no function word, qualifier or (for a
    place of some size) other name: "Ivan Duque", "Carlos Holmes Trujillo"; but a name
    followed by its kind is a place ("Mali's Menaka region", "days of Shelling Aleppo
    city": no surname is followed by "city"), and an everyday adverb, adjective or gerund
    before it is no first name ("Deadly Bangui Attack", "Shelling Homs")."""
    b, tokens, last = n.before, n.tokens, n.last
    if (not n.sentence_start and b is not None and b[1][:1].isupper()
            and not (b[0].endswith(("ly", "ing")) and _title_word(b[0]))
            and b[0] not in n.lang.function_words and b[0] not in CONNECTORS
            and b[0] not in QUALIFIERS and not n.very_big
            and (n.small or not n.geo._is_name(normalize(b[1])))
            and not (last + 1 < len(tokens) and tokens[last + 1][0] in PLACE_TYPES)):
        return "person"
    return None


def capitalised_by_position(n: _Name) -> str | None:
    """A small place's one-word name that is capitalised only by position, or written in
    lower case elsewhere in the text: "So", "Hope"."""
    tokens, first = n.tokens, n.first
    if first != n.last or not n.small:
        return None
    # (first in a sentence, a word English does not use is a name: "Ghouta")
    if n.sentence_start:
        return "common word" if _word_zipf(tokens[first][0]) >= POSITION_ZIPF else None
    # (a name written with its lower-case article first is no lower-case word: "al-Mayadin")
    if tokens[first][0] in n.lower_case_words() and not _article_name(tokens[first][1]):
        return "common word"
    return None


def common_word(n: _Name) -> str | None:
    """A one-word name that is a frequent word: "Commerce", "Paul", "Mary" (a town or a small
    province), unless half a million people bear the name, or 350,000 in towns of that name
    ("Atlanta", "Boston", "Cambridge": wordfreq counts big places' names as words too), or it
    is an abbreviation written on purpose: "NY", "Springfield, Ill., police said" (a dot and
    then a comma, so no full stop)."""
    tokens, first, last, span = n.tokens, n.first, n.last, n.span
    if first == last and not n.very_big and _common_word(tokens[first][0]) and not any(
            p.population >= 500_000 and p.key == span.key for p in span.candidates) \
            and sum(p.population for p in span.candidates
                    if p.key == span.key and p.feature == "city") < 350_000:
        if not (n.raw.isupper() or (
                last + 2 < len(tokens) and tokens[last + 1][0] == "."
                and tokens[last + 1][2] == tokens[last][3] and tokens[last + 2][0] == ",")
                # a town before its state or country: "Oxford, Mississippi"
                or (n.after == "," and last + 2 < len(tokens)
                    and tokens[last + 2][1][:1].isupper()
                    and n.geo._is_big(normalize(tokens[last + 2][1])))):
            return "common word"
    return None


def qualifier_before(n: _Name) -> str | None:
    """A compass word or qualifier standing alone as a name right before a country's or
    subdivision's name qualifies it: "Northwest Cameroon" is Cameroon's north-west, not
    Iceland's Northwest region (a name the gazetteer has whole, "North Kivu", is read whole
    first)."""
    run = n.run
    if n.first == n.last and run and normalize(n.raw) in QUALIFIERS \
            and n.geo._is_big(run[0]):
        return "common word"
    return None


def title_case_word(n: _Name) -> str | None:
    """In a title-case headline, where every word is capitalised, a small place's one-word
    name that is an everyday English word (less frequent than common_word asks) is the word:
    "Rebels Attack, Loot And Burns Villages" (not Burns, Oregon), unless a container follows
    ("Burns, Oregon"); the towns that hold the word only among their other names do not
    count, whatever their size ("Grenade Attack Kills Three": not Granada)."""
    tokens, first = n.tokens, n.first
    if first != n.last or n.big or max((p.population for p in n.span.candidates
                                         if p.feature != "admin2" and _bears(p, n.span.key)),
                                        default=0) >= 100_000 \
            or n.after == "," \
            or not _title_word(tokens[first][0]) or not _title_case(tokens, first):
        return None
    return "common word"


def _title_case(tokens: list[Token], k: int) -> bool:
    """The sentence around token k capitalises its words of four letters or more (at least
    four of them, and none in lower case but a few)."""
    lo = k
    while lo > 0 and tokens[lo - 1][0] not in SENTENCE_END:
        lo -= 1
    hi = k
    while hi + 1 < len(tokens) and tokens[hi + 1][0] not in SENTENCE_END:
        hi += 1
    upper = lower = 0
    for t in tokens[lo:hi + 1]:
        if len(t[1]) >= 4 and t[1][0].isalpha():
            if t[1][0].isupper():
                upper += 1
            else:
                lower += 1
    return upper >= 4 and lower * 5 <= upper


@lru_cache(maxsize=1 << 16)
def _title_word(word: str) -> bool:
    """An everyday English word (Zipf scale TITLE_ZIPF or more: "burns", "raids")."""
    return zipf_frequency(word, "en") >= TITLE_ZIPF


# In the order they apply: the first verdict decides; a name no rule speaks against is a place.
NAME_RULES: list[Callable[[_Name], str | None]] = [
    currency, disease, demonym, organisation_name, broadcaster, title_before, abbreviated_title,
    facility_before, known_person, operation_name, address, street_after, intersection,
    person_in_facility, organisation, organisation_before, acronym, dateline_name, speech_verb,
    first_name, compound_name, name_goes_on, name_before, capitalised_by_position, common_word,
    title_case_word, qualifier_before]


class _Resolution:
    """An article's recognised names on their way to places, and the evidence the
    resolution stages gather about the article: what each stage reads and writes (a plain
    class: compiled, its fields are native)."""

    def __init__(self, gazetteer: Gazetteer, text: str, tokens: list[Token],
                 spans: list[_Span], after_from: Callable[[str, int], bool],
                 home_agents: frozenset[str] = frozenset(), lang: _Language = ENGLISH) -> None:
        self.gazetteer = gazetteer
        self.lang = lang                    # the words of the text's language
        self.home_agents = home_agents      # Geoparser.home_agents
        self.text = text
        # the name at an offset follows an origin word: Geoparser._after_from
        self.after_from = after_from
        self.tokens = tokens
        self.spans = spans                  # names and demonyms, in the text's order
        self.names = [s for s in spans if not s.demonym]
        # the countries and first-level subdivisions the article points to, weighed: a
        # country named counts 1, a demonym 0.5
        self.countries: dict[str, float] = {}
        self.admin1s: dict[tuple[str, str | None], float] = {}
        # id(span) -> the candidates a container named beside it leaves the name
        self.containers: dict[int, list[Place]] = {}
        # (name, container, firmly) for the containers that hold none of the name's
        # candidates; firmly: "of" or parentheses, not "in" (named_container)
        self.unplaced: list[tuple[_Span, _Span, bool]] = []
        # (country, subdivision) -> the keys of the names placed in it
        self.holders: dict[tuple[str, str | None], list[tuple[str, Place]]] = {}
        self.picked: list[Place] = []       # each name's place so far, as self.names
        # id(span) of the names whose bearers get no bonus for bearing the name: a place
        # of that other name is far bigger (alternate_names)
        self.waived: set[int] = set()


# --- the resolution stages: which place does each name stand for? -------------------------
# Each reads and changes the one _Resolution of an article, in RESOLUTION_STAGES' order:
# narrowing a name's candidates, adding to the article's evidence, or picking a place.

def type_word(r: _Resolution) -> None:
    """A word beside a name narrows it to its kind: "Washington state", "the state of
    Táchira" (a subdivision), "the city of Mendoza", "Kherson city" (a city), "Daman
    district" (a district); not "Georgia's state TV" nor "the head of state of Georgia"."""
    gaz, tokens = r.gazetteer, r.tokens
    for s in r.spans:
        if len(s.candidates) > 1 or (s.candidates and s.key in gaz.typed_names):
            s.candidates = _typed(s, tokens, gaz)


def demonym_context(r: _Resolution) -> None:
    """A demonym is half a place of its country: "Egyptian mediators" favour Egypt's
    candidates for the article's other names, but less than one place's worth of a country
    only breaks near ties; beside a state's agents at home, where the article names no other
    people, it is a whole place: "Bolivian police dispersed miners in Sucre" is Bolivia's
    Sucre, "la policía española" pulls Córdoba to Spain."""
    countries = r.countries
    peoples = {s.demonym for s in r.spans if s.demonym}
    tokens, homes = r.tokens, r.home_agents
    for s in r.spans:
        if s.demonym:
            weight = 0.5
            if len(peoples) == 1 and homes and (
                    (s.first > 0 and tokens[s.first - 1][0] in homes)
                    or (s.last + 1 < len(tokens) and tokens[s.last + 1][0] in homes)):
                weight = 1.0
            countries[s.demonym] = countries.get(s.demonym, 0) + weight


def country_context(r: _Resolution) -> None:
    """A country's name is context for the article's other names even where a town shares
    it ("Australia"), but not where a subdivision does ("Georgia" in an article about
    Atlanta); so is a name whose every candidate lies in one country ("West Bank"), and its
    subdivision where it is one."""
    gaz, countries, admin1s = r.gazetteer, r.countries, r.admin1s
    for s in r.names:
        if len({p.country_code for p in s.candidates}) == 1 or (
                any(p.feature == "country" for p in s.candidates)
                and not any(p.feature == "admin1" for p in s.candidates)):
            p = _best(s.candidates, {}, {}, gaz, s.key)
            countries[p.country_code] = countries.get(p.country_code, 0) + 1
            if p.feature == "admin1":
                admin1s[(p.country_code, p.admin1_code)] = 1


def named_container(r: _Resolution) -> None:
    """A name followed by a place that contains it keeps the candidates inside that one,
    whatever their populations, and the container's country counts twice: "Long Beach,
    California", "Daman district, Kandahar province", "Sheikh Othman district of Aden",
    "Um Kadada (North Darfur state)"; not a list of towns ("Pasadena, Burbank, Glendale")
    or of states ("Nevada, Missouri"), nor where someone came from ("refugees from Odessa
    in Texas")."""
    text, spans, containers, countries = r.text, r.spans, r.containers, r.countries
    for a, b in zip(spans, spans[1:]):
        # most neighbours are far apart
        if b.start - a.end > PAIRED_GAP or b.demonym or not b.candidates:
            continue
        # no country holds a place named before it, but a state holds a town named as a
        # country: "Lebanon, Tenn.", "Mexico, Mo." (not "Niger, Nigeria": a country)
        named_as_country = any(p.feature in ("country", "continent", "region")
                               for p in a.candidates)
        if named_as_country and not any(p.feature == "admin1" for p in b.candidates):
            continue
        # without the words that say what the first place is: "district, in the"
        between = " ".join(w for w in BETWEEN_WORDS.findall(text, a.end, b.start)
                           if lower_case(w) not in PAIR_TYPE_WORDS).replace(" ,", ",")
        # "refugees from Odessa in Texas" came from elsewhere
        if between != "," and r.after_from(text, a.start):
            continue
        if between in PAIRED:
            for c in sorted(b.candidates, key=_by_prior):
                # a town holds a town where words say so ("district of Aden"), not in
                # a list ("Pasadena, Burbank, Glendale")
                if c.feature == "city" and between == ",":
                    continue
                if named_as_country and (c.feature != "admin1" or between != ","):
                    continue
                # the container outranks a type word: "Beni territory, North Kivu" is
                # the Congolese town, not Bolivia's Beni department
                inside = [p for p in a.candidates if _within(c, p)] or [
                    p for p in a.untyped if _within(c, p)]
                if named_as_country:        # the towns, not the country's provinces
                    inside = [p for p in inside if p.feature == "city"]
                if not inside:
                    continue
                # "Nevada, Missouri" in a list of states is two states, but "Tampa,
                # Florida" or "Washington, D.C." are cities: a subdivision
                # elsewhere makes a list where the town inside is small
                if between == "," and any(
                        p.feature == "admin1" and p.country_code == c.country_code
                        for p in a.candidates) and not any(
                            p.population >= 100_000 for p in inside):
                    break
                containers[id(a)] = inside
                containers[id(b)] = [c]     # the second name is the container
                countries[c.country_code] = countries.get(c.country_code, 0) + 2
                break
            else:
                if between in FIRM:          # "of", parentheses: unknown_in_container
                    r.unplaced.append((a, b, True))
                elif between != "," and _abroad(a, b):
                    # "in" states containment less firmly ("Warwick in Queensland" may
                    # be a list's), but a small name none of whose namesakes lies in the
                    # container's country is no namesake abroad: unknown_in_container
                    r.unplaced.append((a, b, False))


def _abroad(a: _Span, b: _Span) -> bool:
    """Every candidate of the name a lies outside the one country of its container b's
    candidates."""
    countries = {p.country_code for p in b.candidates}
    return len(countries) == 1 and not any(p.country_code in countries for p in a.candidates)


def unknown_in_container(r: _Resolution) -> None:
    """A name that "of" or parentheses put in a subdivision where none of its candidates
    lies is a place the gazetteer does not have, there ("Qala village of Daman district"):
    it takes its container, not a small namesake elsewhere; so does a name "in" a
    subdivision of a country where none of its candidates lies ("clashes in Marlow in
    Eastern Ghouta" are in Syria, not in England)."""
    containers = r.containers
    for a, b, firmly in r.unplaced:
        # a container the container has itself, named next, settles it first: "Qala
        # village of Daman district, Kandahar province" is in the Afghan Daman
        settled = containers.get(id(b))
        subdivisions = [c for c in settled or b.candidates if c.feature in ("admin1", "admin2")]
        # a big town elsewhere may be what is meant; a province elsewhere cannot lie there
        if subdivisions and all(p.population < 100_000 or p.feature in ("admin1", "admin2")
                                for p in a.candidates):
            containers[id(a)] = subdivisions
            # "in New York" does not say the state, as "of New York" does
            if settled is None and firmly:
                containers[id(b)] = subdivisions


def named_county(r: _Resolution) -> None:
    """A town whose county the article names near it (COUNTY_REACH) is that county's town,
    whatever the size of its namesakes, and the county the one that holds it: "shot in
    Jordan, the Scott County Sheriff's Office said" is Jordan, Minnesota (not the country),
    "Palestine police ... Anderson County deputies" Palestine, Texas."""
    gaz = r.gazetteer
    counties = [s for s in r.names if s.key.rsplit(" ", 1)[-1] in COUNTY_WORDS]
    if not counties:             # most articles name no county: out at once
        return
    districts, containers = gaz.districts, r.containers
    for s in r.names:
        if id(s) in containers or s in counties:
            continue
        near: dict[str, tuple[_Span, Place]] = {}      # district code -> county named
        for c in counties:
            if abs(c.start - s.start) <= COUNTY_REACH:
                for p in c.candidates:
                    d = districts.get(p.geonameid) \
                        if p.feature == "admin2" and p.geonameid is not None else None
                    if d is not None:
                        near[d[0]] = (c, p)
        if not near:
            continue
        held: dict[int, list[Place]] = {}
        inside: list[Place] = []
        for p in s.candidates:
            d = districts.get(p.geonameid) \
                if p.feature == "city" and p.geonameid is not None else None
            if d is not None and d[0] in near:
                inside.append(p)
                c, county = near[d[0]]
                held.setdefault(id(c), []).append(county)
        if not inside:
            continue
        containers[id(s)] = inside
        for c in counties:
            if id(c) in held and id(c) not in containers:
                containers[id(c)] = held[id(c)]
        if len({(p.country_code, p.admin1_code) for p in inside}) == 1:
            # one state: a whole subdivision of evidence for the article's other names
            p = inside[0]
            r.countries[p.country_code] = r.countries.get(p.country_code, 0) + 1
            r.admin1s[(p.country_code, p.admin1_code)] = max(
                1, r.admin1s.get((p.country_code, p.admin1_code), 0))


def local_agency(r: _Resolution) -> None:
    """A town whose local agencies speak ("Chicago police said", "the Scott County
    Sheriff's Office") or that heads the dateline ("CHICAGO (AP) -") is the article's home:
    a whole subdivision of evidence that pulls namesakes home ("the Englewood neighborhood"
    is Chicago's, not Colorado's); a part of that city ("the Englewood neighborhood", "the
    Dutchtown neighborhood of St. Louis", "Austin on the West Side") is the city where the
    gazetteer has no namesake near it; so is a small place after a locative in a sentence
    where the city's police speak ("shot in Whitehaven, Memphis police said"). A language
    may put the words before: "en la colonia Roma, informó la policía de Culiacán"."""
    text, tokens, gaz, containers = r.text, r.tokens, r.gazetteer, r.containers
    names = r.names
    n = len(tokens)
    anchors: list[tuple[_Span, Place, bool]] = []      # (name, its place, an agency's)
    dateline = DATELINE.match(text) if text[:1].isupper() or text[:1].isspace() else None
    before = r.lang.agencies_before
    for k, s in enumerate(names):
        agency = (s.last + 1 < n and tokens[s.last + 1][0] in LOCAL_AGENCIES) or bool(
            before and s.first >= 2 and tokens[s.first - 1][0] in OF_WORDS
            and tokens[s.first - 2][0] in before)
        if not agency and not (k == 0 and dateline is not None and s.end <= dateline.end()):
            continue
        candidates = containers.get(id(s)) or s.candidates
        # a town's police and its dateline go by its own name, not by one of a far bigger
        # place's other names ("Canton police" are not Guangzhou's)
        place = _best(candidates, r.countries, r.admin1s, gaz, s.key, None, id(s) in r.waived)
        if place.feature == "city" and not _bears(place, s.key) and id(s) not in containers:
            bearers = [p for p in candidates if _bears(p, s.key)]
            if bearers:
                containers[id(s)] = bearers
                place = _best(bearers, r.countries, r.admin1s, gaz, s.key)
        if place.feature in ("city", "admin2"):
            anchors.append((s, place, agency))
    # (most articles have no home and name no part of a city: out at once)
    parts_before = r.lang.city_parts_before
    if not anchors and not any((s.last + 1 < n and tokens[s.last + 1][0] in CITY_PART_WORDS)
                               or (parts_before and s.first
                                   and tokens[s.first - 1][0] in parts_before)
                               for s in names):
        return
    for _, place, _ in anchors:
        if place.admin1_code:
            subdivision = (place.country_code, place.admin1_code)
            r.admin1s[subdivision] = max(1, r.admin1s.get(subdivision, 0))
    cities = [(s, p, agency) for s, p, agency in anchors if p.feature == "city"]
    anchored = {id(s) for s, _, _ in anchors}
    for k, s in enumerate(names):
        if id(s) in anchored or (id(s) in containers and not any(
                a is s for a, _, _ in r.unplaced)):
            continue
        home = _city_part(r, k, cities)
        if home is None:
            if not cities:
                continue
            # a place of no great size in a sentence where a city's agency speaks, after a
            # locative ("in Antioch, Metro Nashville police said": not California's)
            small = all(p.feature in ("city", "admin2") and p.population < AGENCY_REACH_SIZE
                        for p in s.candidates)
            if not small or not s.first or _word_before(tokens, s.first) not in LOCATIVE:
                continue
            home = next((p for a, p, agency in cities if agency
                         and not SENTENCE_BREAK.search(text, min(a.end, s.end),
                                                       max(a.start, s.start))), None)
            if home is None:
                continue
        near = [p for p in s.candidates if p.feature == "city" and _near(home, p, BIG_CITY_KM)]
        containers[id(s)] = near or [home]


def _word_before(tokens: list[Token], k: int) -> str:
    """The word before token k, past articles and qualifiers ("in the", "in southern")."""
    k -= 1
    while k > 0 and (tokens[k][0] == "the" or tokens[k][0] in QUALIFIERS):
        k -= 1
    return tokens[k][0] if k >= 0 else ""


def _city_part(r: _Resolution, k: int, cities: list[tuple[_Span, Place, bool]]
               ) -> Place | None:
    """The city a name is a part of, where words say it is one: a city-part word after it
    ("the Englewood neighborhood", "the Vailsburg section of Newark": the city named after
    "of", else the article's home city), or a side of the city ("Austin on the West Side",
    "Brightmoor on Detroit's west side")."""
    s, tokens, names = r.names[k], r.tokens, r.names
    n = len(tokens)
    j = s.last + 1
    after = j < n and tokens[j][0] in CITY_PART_WORDS
    if after or (s.first and tokens[s.first - 1][0] in r.lang.city_parts_before):
        # "... neighborhood of (north) St. Louis", "el barrio Belén de Medellín": that city,
        # if it is one
        of = j + 1 if after else j
        if of < n and tokens[of][0] in OF_WORDS and k + 1 < len(names):
            m = of + 1
            while m < n and (tokens[m][0] in r.lang.function_words or tokens[m][0] in QUALIFIERS):
                m += 1
            b = names[k + 1]
            if b.first == m:
                place = _best(r.containers.get(id(b)) or b.candidates, r.countries,
                              r.admin1s, r.gazetteer, b.key)
                return place if place.feature == "city" else None
        return _home_city(s, cities)
    # "on the West Side", "on Detroit's west side"
    if j + 3 < n and tokens[j][0] == "on":
        if tokens[j + 1][0] == "the" and tokens[j + 2][0] in QUALIFIERS \
                and tokens[j + 3][0] in SIDE_WORDS:
            return _home_city(s, cities)
        if k + 1 < len(names) and names[k + 1].first == j + 1 == names[k + 1].last \
                and tokens[j + 2][0] in QUALIFIERS and tokens[j + 3][0] in SIDE_WORDS:
            b = names[k + 1]
            place = _best(r.containers.get(id(b)) or b.candidates, r.countries, r.admin1s,
                          r.gazetteer, b.key)
            return place if place.feature == "city" else None
    return None


def _home_city(s: _Span, cities: list[tuple[_Span, Place, bool]]) -> Place | None:
    """The article's home city for a name: the last one named before it, else the first
    (None: the article has none)."""
    if not cities:
        return None
    before = [p for a, p, _ in cities if a.start < s.start]
    return before[-1] if before else cities[0][1]


def distance_from(r: _Resolution) -> None:
    """A name said to lie some distance from another lies that far from it, whatever its
    namesakes' sizes: "Jordan is about 30 miles southwest of Minneapolis" is Minnesota's
    Jordan, not the country; "Moscow, a city 80 miles south of Spokane" is Idaho's."""
    text, names, containers = r.text, r.names, r.containers
    # (most articles state no distance: out at once)
    if len(names) < 2 or not any(unit in text for unit in DISTANCE_UNITS) \
            or DISTANCE_STATED.search(text) is None:
        return
    for a, b in zip(names, names[1:]):
        if b.start - a.end > DISTANCE_GAP or id(a) in containers \
                or DIGIT.search(text, a.end, b.start) is None:
            continue
        found = DISTANCE.fullmatch(text, a.end, b.start)
        if found is None:
            continue
        unit = lower_case(found.group(2))
        km = float(found.group(1)) * (MILE_KM if unit in MILE_WORDS else 1.0)
        # (stated distances are round: half as far again, and a town's extent)
        reach = km * 1.5 + CITY_EXTENT_KM
        anchors = containers.get(id(b)) or b.candidates
        near = [p for p in a.candidates if p.feature == "city" and p.population < 1_000_000
                and any(_near(p, q, reach) for q in anchors if q.feature in ("city", "admin2"))]
        if near:
            containers[id(a)] = near


def region_or_country(r: _Resolution) -> None:
    """A region whose name wire copy also gives one of its countries is the region where the
    article names another of its countries or peoples ("Central Africa: Chad, Cameroon and
    Gabon"), else the country ("Fighting spreads in Central Africa" is in the Central African
    Republic)."""
    members = r.gazetteer.region_countries
    for s in r.names:
        if len(s.candidates) < 2 or s.candidates[0].feature != "region":
            continue
        region = s.candidates[0]
        own = {p.country_code for p in s.candidates if p.feature == "country"}
        others = members.get(region.name, frozenset()) - own
        named = any(o.demonym in others if o.demonym else any(
            p.feature == "country" and p.country_code in others for p in o.candidates)
            for o in r.spans if o is not s)
        r.containers[id(s)] = [region] if named else [
            p for p in s.candidates if p.feature == "country"]


def alternate_names(r: _Resolution) -> None:
    """A name is a place's alternate name too, and where that place is far bigger (five times,
    20,000 people) than every town that bears the name as its main one, all small, the
    alternate wins: "Palmyra" is Syria's Tadmur (GeoNames' main name), not the small Palmyras
    of the United States; "Philadelphia" stays the US city (Amman, which the name also was, is
    not that much bigger)."""
    waived = r.waived
    for s in r.names:
        cands = s.candidates
        if len(cands) < 2:
            continue
        main = other = 0
        for p in cands:
            if _bears(p, s.key):            # "Marburg an der Lahn" bears "Marburg"
                # a country or a province that bears the name; or a district's seat whose
                # size GeoNames does not know ("Ra's al 'Ayn" in Syria: no "Rosh Ha'Ayin")
                if p.feature != "city" or not p.population:
                    main = -1
                    break
                main = max(main, p.population)
            elif p.feature == "city":
                other = max(other, p.population)
        if 0 <= main < ALTERNATE_SMALL and other >= max(ALTERNATE_FACTOR * main,
                                                        ALTERNATE_BIG):
            waived.add(id(s))


def first_pass(r: _Resolution) -> None:
    """Each name's best candidate on what the article names (its countries, subdivisions
    and containers), before the other names' places are known: those places then inform
    each other through the stages after this one ("Atlanta" places "Georgia")."""
    gaz, containers, countries, admin1s = r.gazetteer, r.containers, r.countries, r.admin1s
    waived = r.waived
    r.picked = [_best(containers.get(id(s)) or s.candidates, countries, admin1s, gaz, s.key,
                      None, id(s) in waived) for s in r.names]


def listed_subdivisions(r: _Resolution) -> None:
    """A name listed among a country's subdivisions is one of them: "Idaho, Utah, Washington
    and Vermont" (the state, not the capital), "New Mexico and New York"; not where a name
    can only be a town ("Denver, New York and Washington") nor for a big city beside its
    namesake's neighbours ("Washington, Maryland and Virginia")."""
    names, picked, containers = r.names, r.picked, r.containers
    for k in _listed_subdivisions(r.text, names, picked, containers):
        picked[k] = _best(containers[id(names[k])], r.countries, r.admin1s, r.gazetteer,
                          names[k].key, None, id(names[k]) in r.waived)


def holders(r: _Resolution) -> None:
    """A subdivision that holds other places of the article is the subdivision: "Atlanta
    ... Georgia" is the state, not the country; a city of its own name ("New York") is no
    evidence, nor are places inside a big city of the subdivision's name ("Brooklyn ... New
    York" is the city)."""
    held = r.holders
    for s, p in zip(r.names, r.picked):
        if p.feature in ("city", "admin2") and p.admin1_code:
            held.setdefault((p.country_code, p.admin1_code), []).append((s.key, p))


def picks_as_context(r: _Resolution) -> None:
    """Each place of the first pass is half a place of evidence for its country and
    subdivision: a town named beside another places it ("Richmond and Norfolk" are both
    in Virginia; Norfolk is not the English county); a subdivision picked is a whole one, as
    if named alone: it settles itself and pulls its towns' namesakes home ("London ... Ontario
    police" is London, Ontario)."""
    countries, admin1s = r.countries, r.admin1s
    for p in r.picked:
        weight = 1.0 if p.feature == "admin1" else 0.5
        countries[p.country_code] = countries.get(p.country_code, 0) + weight
        if p.admin1_code:
            admin1s[(p.country_code, p.admin1_code)] = admin1s.get(
                (p.country_code, p.admin1_code), 0) + weight


def second_pass(r: _Resolution) -> None:
    """Each name's place on all the evidence, the first pass's places and the subdivisions
    that hold them included: the names that are sure decide the others; a town within
    NEIGHBOURS_KM of another name's town is the closest reading ("Cambridge ... Somerville"
    are Massachusetts' neighbours)."""
    gaz, containers, countries, admin1s = r.gazetteer, r.containers, r.countries, r.admin1s
    held = r.holders
    waived = r.waived
    # the towns of the first pass, by square of the map (_beside)
    neighbours: dict[tuple[int, int], list[tuple[str, Place]]] = {}
    towns = [(s.key, p) for s, p in zip(r.names, r.picked) if p.feature == "city"]
    # (one town, or towns of one name only, have no neighbour of another name)
    if len({k for k, _ in towns}) > 1:
        for k, p in towns:
            y, x = _cell(p)
            for dy in (-1, 0, 1):
                for dx in (-1, 0, 1):
                    neighbours.setdefault((y + dy, x + dx), []).append((k, p))
    r.picked = [_best(containers.get(id(s)) or s.candidates, countries, admin1s, gaz, s.key,
                      held, id(s) in waived, neighbours) for s in r.names]


def spelling_guess(r: _Resolution) -> None:
    """A name the gazetteer does not have, read as another spelling of a transliterated
    place's (Geoparser._by_skeleton), is no place where that place lies outside every country
    of the article's names the gazetteer has: "al-Kashif, a district of Daraa" is no town of
    Iran's Kashaf (demonyms do not count: "Russian jets struck Deir Ezzor" is in Syria)."""
    names = r.names
    known = r.gazetteer.names
    if all(s.key in known for s in names):
        return
    # (a guess by a skeleton of four letters or more is as good as a name known; one by a
    # shorter skeleton's vowel_pattern is not: "al-Kashif" and Kashaf)
    loose = [len(_skeleton(s.key)) < SKELETON_MIN if s.key not in known else False
             for s in names]
    countries = {p.country_code for p, guess in zip(r.picked, loose) if not guess}
    if not countries:
        return
    wrong = {id(s) for s, p, guess in zip(names, r.picked, loose)
             if guess and p.country_code not in countries}
    if wrong:
        r.spans = [s for s in r.spans if id(s) not in wrong]
        kept = [k for k, s in enumerate(names) if id(s) not in wrong]
        r.names = [names[k] for k in kept]
        r.picked = [r.picked[k] for k in kept]


def one_sense(r: _Resolution) -> None:
    """A name means one place in an article: where words settle one mention (a type word,
    a container, a list of subdivisions), the article's bare mentions of that name follow it:
    "Daman district, Kandahar province ... later in Daman" stays in Afghanistan, and
    "Washington, Oregon and Idaho ... treated in Washington" stays the state."""
    containers = r.containers
    settled: dict[str, Place] = {}
    for s, p in zip(r.names, r.picked):
        if (id(s) in containers or s.candidates is not s.untyped) and s.key not in settled:
            settled[s.key] = p
    if not settled:
        return
    for k, s in enumerate(r.names):
        sense = settled.get(s.key)
        if sense is not None and id(s) not in containers and s.candidates is s.untyped \
                and sense in s.candidates:
            r.picked[k] = sense


# In the order they apply; _resolve then makes each name a Mention of its picked place.
RESOLUTION_STAGES: list[Callable[[_Resolution], None]] = [
    type_word, demonym_context, country_context, named_container, unknown_in_container,
    named_county, local_agency, distance_from, region_or_country, alternate_names, first_pass,
    listed_subdivisions, holders, picks_as_context, second_pass, spelling_guess, one_sense]


class _Candidate:
    """A mention of a sentence as a candidate for its event location, and the place it
    stands for (the location rules may change it: a country's capital)."""

    def __init__(self, geo: Geoparser, text: str, mention: Mention, mentions: list[Mention],
                 frame: set[str], lang: _Language = ENGLISH,
                 origins: frozenset[str] = NO_ORIGINS) -> None:
        self.geo = geo
        self.text = text
        self.mention = mention
        self.mentions = mentions
        self.frame = frame
        self.lang = lang
        self.origins = origins             # Geoparser._origins
        self.place = mention.place


# --- the location rules: can a mention be the sentence's event location? ------------------
# Each returns a reason to pass the mention over, PLACE to take it (no later rule applies),
# or None to ask the next rule; in LOCATION_RULES' order. The mentions kept are then scored:
# the most specific, after a locative preposition, nearest the trigger.

def out_of_frame(c: _Candidate) -> str | None:
    """A place outside every country that holds another place named in the sentence is a
    namesake: "El Mina, Tripoli, in northern Lebanon" is not the Al Mina of Yemen."""
    return "namesake" if c.frame and c.mention.place.country_code not in c.frame else None


def namesake_abroad(c: _Candidate) -> str | None:
    """A town of under 100,000 people alone in its country, where the sentence's other towns,
    districts and provinces all lie in one other country and none within 300 km, is a namesake of a
    place the gazetteer lacks there: "air raids hit Arbin east of Damascus" (not Arbin, France), "al-Mansoura town west
    of Raqqa" (not Algeria's Mansoura); not where a demonym or a country names its country,
    nor beside a country only ("Afrin, close to the Turkish frontier"; "Tumbes, el ministro
    peruano")."""
    if len(c.mentions) < 2:
        return None
    place = c.mention.place
    # a compass word GeoNames gives a province abroad is as weak as a small town ("CAR
    # rebels attack civilians in Northwest" is not Iceland's), beside a country too
    compass = place.feature == "admin1" and place.key in QUALIFIERS
    if not compass and (place.feature != "city" or place.population >= 100_000):
        return None
    code = place.country_code
    others = set()
    for o in c.mentions:
        if o is c.mention or _other_name(c.text, o, c.mentions):
            continue
        # a neighbour across the border is no namesake ("en Ureña ... los bomberos de
        # Cúcuta", ten kilometres apart)
        if o.place.country_code == code or (o.place.feature != "country"
                                            and _near(place, o.place, NEIGHBOUR_KM)):
            return None
        # a country in an organisation's name is where it acts ("the Syria Democratic
        # Forces shelled Azizia")
        if o.kind == "embedded" and o.place.feature == "country" or compass and (
                o.kind == "toponym" and o.place.feature == "country"):
            others.add(o.place.country_code)
        # (not a word's part: "Ankara-backed", "pro-Ankara factions"; but "al-Raqqa")
        # (a district of GeoNames' that lists no town in it is too weak a reading: Ethiopia's
        # Shabelle for Somalia's "Lower Shabelle"; a region the press names is not)
        elif o.kind == "toponym" and (o.place.feature in ("city", "admin1") or (
                o.place.feature == "admin2" and (o.place.population
                                                 or o.place.geonameid is None))) \
                and not c.text.startswith("-", o.end) and not (
                    c.text[o.start - 1:o.start] == "-" and not set(lower_case(
                        c.text[max(0, o.start - 5):o.start - 1]).split()[-1:]) & ARTICLE_WORDS):
            others.add(o.place.country_code)
    return "namesake" if len(others) == 1 else None


def service_abroad(c: _Candidate) -> str | None:
    """A country a person served in, a tour or two ago, is their past, not where the event
    happens: "a veteran who served two tours in Iraq was shot outside his home" (past
    service words, `service_words`, within four words before "in" and the country)."""
    m = c.mention
    if m.place.feature != "country":
        return None
    words = lower_case(c.text[max(0, m.start - 40):m.start]).split()[-5:]
    if len(words) < 2 or words[-1] != "in" or not SERVICE_WORDS.intersection(words[:-1]):
        return None
    return "background"


def origin(c: _Candidate) -> str | None:
    """A place in a country the sentence names as where something came from (in its
    language's origin words), when it names a place in another country too, is on the way:
    "la ayuda enviada desde Brasil entró a Venezuela por Pacaraima" happened in Venezuela."""
    return "origin" if c.mention.place.country_code in c.origins else None


def capital_named(c: _Candidate) -> str | None:
    """A country followed by "capital" names its capital city: "Kenya's capital", "the
    Ethiopian capital"; so does "capital" before it, as Spanish orders them: "la capital
    venezolana"."""
    m, gaz = c.mention, c.geo.gazetteer
    capital = gaz.capitals.get(m.place.country_code)
    before = c.lang.capital_before
    if m.place.feature == "country" and m.kind in ("toponym", "demonym") and \
            capital is not None and (CAPITAL_AFTER.match(c.text, m.end) or (
                before and lower_case(c.text[max(0, m.start - 16):m.start]).rstrip().endswith(
                    before))):
        c.place = gaz.places[capital]
        return PLACE
    return None


def region_in_one_country(c: _Candidate) -> str | None:
    """A region that lies in one country (its one member in `regions`) puts the event in
    that country: "an air raid in Darfur" happened in Sudan, "fighting in the Donbas" in
    Ukraine; a region of several countries locates nothing."""
    m, gaz = c.mention, c.geo.gazetteer
    if m.kind != "toponym" or m.place.feature != "region":
        return None
    members = gaz.region_countries.get(m.place.name, ())
    if len(members) == 1:
        (code,) = members
        index = gaz.country.get(code)
        if index is not None:
            c.place = gaz.places[index]
            return PLACE
    return None


def not_located(c: _Candidate) -> str | None:
    """Only a toponym of a countable feature (country, subdivision, district, city) locates
    an event: not a metonym ("Washington warned"), a demonym, a name inside an
    organisation's, a continent, nor a place before a hyphen ("Washington-based monitors")
    or after "pro-" ("pro-Turkey factions")."""
    m = c.mention
    if m.kind != "toponym" or m.place.feature not in LOCATABLE or c.text.startswith("-", m.end):
        return "not a location"
    if _patron(c.text, m.start):
        return "not a location"
    return None


def _patron(text: str, start: int) -> bool:
    """A name after "pro-" is the side actors take: "pro-Turkey factions"."""
    if not text.startswith("-", start - 1):        # most: out at once
        return False
    words = lower_case(text[max(0, start - 8):start - 1]).split()[-1:]
    return bool(words) and words[0] in PATRONS


def actor_nationality(c: _Candidate) -> str | None:
    """A country named as the actors' nationality ("Chad troops", "U.S. coalition jets",
    "the army of Chad") is not where they act when the sentence names a place, or a people
    that is no actor, of another country: "UN says Chad troops killed 30 in CAR" happened in
    the Central African Republic, "two U.S. soldiers wounded in an Afghan clash" in
    Afghanistan; but "CAR soldiers and Russian instructors were wounded" in the CAR. So is a
    country whose possessive names an attack ("wounded in Iran's drone strikes on Iraq"),
    and a town or province before actor nouns ("a Panhandle soldier killed in Afghanistan":
    his home)."""
    m = c.mention
    country = m.place.feature == "country"
    nouns = c.lang.actor_nouns
    if not country:
        # a town's or a province's soldiers somewhere else: "Panhandle soldier killed in
        # Afghanistan" (the soldier's home)
        if not _actors_after(c.text, m.end, nouns):
            return None
    else:
        # (not a possessive: "warned Venezuela's military" names the target, not the place
        # of the actors; but a possessive's attack is the country's: "Israel's strikes")
        before = lower_case(c.text[max(0, m.start - 24):m.start]).split()[-3:]
        if not (_actors_after(c.text, m.end, nouns) or _attack_after(c.text, m.end)
                or (len(before) >= 2 and before[-1] in ACTOR_OF and (
                    before[-2] in nouns or (len(before) == 3 and before[-2] in c.geo.passed_over
                                            and before[-3] in nouns)))):
            return None
    code = m.place.country_code
    return "actor" if any(
        o.place.country_code != code and ((o.kind == "demonym" and not _actors_after(
            c.text, o.end, nouns)) or (o.kind == "toponym" and o.place.feature in LOCATABLE))
        for o in c.mentions) else None


def across_border(c: _Candidate) -> str | None:
    """A place after "the border with" lies on the far side of the border from the event:
    "clashes on the border with Iraq" happened on this side, "la frontera con Colombia" too;
    so does a country before "border" where the sentence names another country's place or
    people ("a camp in Syria on the Jordan border")."""
    m = c.mention
    if m.place.feature == "country" and _border_after(c.text, m.end) and any(
            o.place.country_code != m.place.country_code and o.kind != "embedded"
            for o in c.mentions):
        return "across the border"
    start = max(0, m.start - 32)
    if c.lang.border_start.search(c.text, start, m.start) is None:   # most: out at once
        return None
    words = [w for w in lower_case(c.text[start:c.mention.start]).split()
             if w not in c.geo.passed_over and w not in QUALIFIERS]
    return "across the border" if len(words) >= 2 and \
        f"{words[-2]} {words[-1]}" in c.lang.border_with else None


def _actors_after(text: str, end: int, nouns: frozenset[str]) -> bool:
    """An actor noun right after a name or demonym: "Russian paramilitaries"."""
    words = lower_case(text[end:end + 24]).split()[:1]
    return bool(words) and words[0].rstrip(",.:;'’") in nouns


def _attack_after(text: str, end: int) -> bool:
    """A possessive and an attack within three words after a name: "Israel's Syria strikes",
    "Iran's missile attack"."""
    if text[end:end + 2] not in ("'s", "’s"):
        return False
    words = lower_case(text[end + 2:end + 40]).split()[:3]
    return any(w.rstrip(",.:;'’") in ATTACK_NOUNS for w in words)


def _border_after(text: str, end: int) -> bool:
    """A border word right after a name: "the Jordan border", "Turkey's frontier"."""
    words = lower_case(text[end:end + 16]).split()[:1]
    if words and words[0] in ("'s", "’s"):
        words = lower_case(text[end + 2:end + 18]).split()[:1]
    return bool(words) and words[0].rstrip(",.:;'’") in BORDER_AFTER


def other_name(c: _Candidate) -> str | None:
    """A name in parentheses right after a place's, and not a place that holds it, is the
    place's other name: "Ras al-Ayn (Sari Kani)", "Kobani (Ain al-Arab)" (but "Um Kadada
    (North Darfur state)" names its container: named_container)."""
    return "other name" if _other_name(c.text, c.mention, c.mentions) else None


def _other_name(text: str, m: Mention, mentions: list[Mention]) -> bool:
    # "(" and perhaps more capitalised words of the other name: "(Sari Kani)"
    if text.rfind("(", max(0, m.start - 40), m.start) < 0:
        return False
    opened = OPENED_BEFORE.search(text, max(0, m.start - 40), m.start)
    if opened is None:
        return False
    before = text[:opened.start()].rstrip()
    for o in mentions:
        if o.end == len(before) and o is not m and o.kind == "toponym":
            return not _contains(m.place, o.place)
    return False


def attribution(c: _Candidate) -> str | None:
    """A country or its capital after a colon or dash that ends a headline is who reported
    it, not where it happened: "Nine killed in blast in a Syrian frontier town: Ankara"."""
    m, text = c.mention, c.text
    place = m.place
    if not ATTRIBUTED.search(text, max(0, m.start - 4), m.start):     # most: out at once
        return None
    # (the headline's end: the text's, or a line's)
    after = text[m.end:m.end + 6].lstrip(" .\"'’”)]")
    if after and after[0] != "\n" or not (place.feature == "country"
                                          or c.geo._is_capital(place)):
        return None
    return "attribution"


def context_of_another(c: _Candidate) -> str | None:
    """A country, subdivision or district that holds another place named in the sentence is
    its context: "the town of Beni in North Kivu province" happened in Beni."""
    place = c.place
    if place.feature != "city" and any(c.geo._holds(c.text, place, o) for o in c.mentions):
        return "context"
    return None


def dateline(c: _Candidate) -> str | None:
    """A dateline says where the report was filed, not where the event happened: "BOGOTA
    (Reuters) - Soldiers clashed with rebels in Guaviare" happened in Guaviare. It locates
    the event only where the sentence names no other place (a demonym counts: "LONDON -
    Yemeni gunmen ..." is no event in London)."""
    m = c.mention
    if m.start > DATELINE_CHARS:
        return None
    found = DATELINE.match(c.text)
    if found is None or m.end > found.end():
        return None
    return "dateline" if any(
        o.start >= found.end() and ((o.kind == "demonym"
                                     and not _actors_after(c.text, o.end, PERSON_NOUNS)) or (
            o.kind == "toponym" and o.place.feature in LOCATABLE)) for o in c.mentions) \
        else None


# In the order they apply: the first verdict decides; a mention no rule passes over is kept.
LOCATION_RULES: list[Callable[[_Candidate], str | None]] = [
    dateline, out_of_frame, namesake_abroad, service_abroad, origin, capital_named,
    region_in_one_country, not_located, across_border, actor_nationality, other_name,
    attribution, context_of_another]


def _located(c: _Candidate) -> bool:
    """The mention may be the event location: the first location rule with a verdict says."""
    for rule in LOCATION_RULES:
        verdict = rule(c)
        if verdict is not None:
            return verdict == PLACE
    return True


@lru_cache(maxsize=1 << 16)
def _common_word(word: str, language: str = "en") -> bool:
    """Frequent in the language (English by default; wordfreq's Zipf scale): a small place
    of that name is unlikely to be meant."""
    return zipf_frequency(word, language) >= COMMON_ZIPF


@lru_cache(maxsize=1 << 16)
def _word_zipf(word: str) -> float:
    return zipf_frequency(word, "en")


@lru_cache(maxsize=1 << 16)
def _rare_word(word: str) -> bool:
    """Rare in English (wordfreq's Zipf scale below 2: "Qameshly", not "Guardian" nor
    "Mallard"): a capitalised word that may be an unknown spelling of a place."""
    return zipf_frequency(word, "en") < RARE_ZIPF


def _frequent(word: str, lang: _Language) -> bool:
    """Frequent in the text's language(s) (`word_frequencies`; English by default)."""
    for language in lang.frequencies:
        if _common_word(word, language):
            return True
    return False


def _initials(tokens: list[Token], m: int) -> bool:
    """The token at m is the dot of initials inside a name: "EE. UU.", "EE.UU." (after one
    or two capitals, no space between)."""
    if m <= 0 or m >= len(tokens) or tokens[m][0] != ".":
        return False
    t = tokens[m - 1]
    return len(t[1]) <= 2 and t[1].isupper() and t[3] == tokens[m][2]


def _after_agent(text: str, start: int, agents: frozenset[str]) -> bool:
    """One of the two words before start is a state's agent (`agents`, with and without
    accents): "la policía boliviana", "la Guardia Nacional venezolana" (not "un periodista
    italiano")."""
    return any(w in agents for w in lower_case(text[max(0, start - 40):start]).split()[-2:])


_skeleton = lru_cache(maxsize=1 << 16)(skeleton)     # the same unknown words come back
_vowel_pattern = lru_cache(maxsize=1 << 16)(vowel_pattern)


def _without_articles(key: str) -> str:
    """A normalized name without the Arabic article and spaces: "deir al zor" -> "deirzor";
    the tribal "Albu" or "Abu" as "bu" ("albu kamal" -> "bukamal")."""
    return AL_WORD.sub("", ABU_WORD.sub("bu", key)).replace(" ", "")


def _bare_word(word: str) -> str:
    """A lower-case word without the Arabic article joined to it: "al-numan" -> "numan" (the
    article makes any word look frequent)."""
    article, dash, rest = word.partition("-")
    return rest if dash and rest and article in ARTICLE_WORDS else word


@lru_cache(maxsize=1 << 16)
def _unusual(word: str) -> bool:
    """A lower-case word of a name that English does not use: rare, or written with the
    Arabic article ("al-zawiyah")."""
    return _rare_word(word) or _bare_word(word) is not word


def _group_pattern(name: str) -> str:
    """A regular expression for an armed group's name: an acronym in capitals as written
    ("SDF", not "sdf"), other names in any case, with a hyphen, a space or nothing between
    their words; a whole word (the match starts at a word's start)."""
    words = [re.escape(w).replace("'", "['’]?") for w in re.split(r"[\s-]+", name) if w]
    body = r"[\s-]?".join(words)
    if not (name.isupper() or any(c.isdigit() for c in name)):
        body = f"(?i:{body})"
    return rf"{body}(?!\w)"


def _span_start(s: _Span) -> int:
    return s.start


def _article_name(word: str) -> bool:
    """A name written with its article first: "al-Hasakah", "ez-Zor"."""
    if "-" not in word:           # most words: no need to split them
        return False
    article, dash, rest = word.partition("-")
    return bool(dash) and article in ARTICLE_WORDS and rest[:1].isupper()


def _split_hyphens(tokens: list[Token], major: Callable[..., bool]) -> list[Token]:
    """Names inside hyphenated words are names too: "London-based", "Russian-backed",
    "pro-Russian", "Amsterdam-London". The classifier keeps such words whole; the geoparser
    sees their parts (with a "-" token between) where the word reads as a place plus a
    qualifier, or as a pair of major places; "Agence France-Presse", "Jean-Yves",
    "Mercedes-Benz" and "Port-au-Prince" stay whole."""
    out: list[Token] = []
    done = 0                                   # tokens before this index are in out
    for k in [k for k, t in enumerate(tokens) if "-" in t[1]]:
        t = tokens[k]
        parts = t[1].split("-")
        names = [p for p in parts if p[:1].isupper()]
        if len(t[1]) < 4 or not names or not (all(major(p) for p in names) or (
                len(names) == 1 and parts[0] == names[0] and major(parts[0], any_place=True))):
            continue
        out.extend(tokens[done:k])
        done = k + 1
        start = t[2]
        for n, part in enumerate(parts):
            if n:
                out.append(("-", "-", start, start + 1))
                start += 1
            if part:
                end = start + len(part)
                # the last part keeps a possessive folded into the token
                out.append((lower_case(part), part, start,
                            t[3] if n == len(parts) - 1 else end))
                start = end
    if not done:
        return tokens
    out.extend(tokens[done:])
    return out


def text_of(tokens: list[Token], first: int, last: int) -> str:
    return " ".join(t[1] for t in tokens[first:last + 1])


def _listed_subdivisions(text: str, names: list[_Span], picked: list[Place],
                         containers: dict[int, list[Place]]) -> list[int]:
    """The indices of the names a list of subdivisions narrows (listed_subdivisions), each
    given those subdivisions in containers: the names' places so far are in picked."""
    groups: list[list[int]] = []
    listed = False
    for k in range(len(picked)):     # the names placed so far: every one, after first_pass
        s = names[k]
        if k and s.start - names[k - 1].end <= 8 and \
                text[names[k - 1].end:s.start].strip(" ,") in LIST_AND:     # ",  and "
            groups[-1].append(k)
            listed = True
        else:
            groups.append([k])
    narrowed: list[int] = []
    if not listed:
        return narrowed
    for group in groups:
        states = [picked[k] for k in group if picked[k].feature == "admin1"]
        sure = {p.country_code for p in states}
        # no name that can only be a town ("Denver, New York and Washington" are cities) and
        # no country ("Egypt and Niger")
        if len(group) < 2 or not sure or any(
                picked[k].feature not in ("admin1", "city", "admin2") or (
                    picked[k].feature == "city" and not any(
                        p.feature == "admin1" and p.country_code in sure
                        for p in names[k].candidates))
                for k in group):
            continue
        for k in group:
            p = picked[k]
            # the evidence is the other names: a name is no evidence for itself
            others = {picked[j].country_code for j in group
                      if j != k and picked[j].feature == "admin1"}
            typed = [c for c in names[k].candidates
                     if c.feature == "admin1" and c.country_code in others]
            # a big city outside its namesake subdivision and among the listed ones stays:
            # "Washington, Maryland and Virginia" (but "Lagos, Kano and Kaduna" are states)
            if id(names[k]) in containers or (
                    p.feature == "city" and p.population >= 500_000
                    and not any(_contains(t, p) for t in typed)
                    and any(_near(p, q) for q in states)):
                continue
            if typed:
                containers[id(names[k])] = typed     # for the second pass too
                if p not in typed:
                    narrowed.append(k)
    return narrowed


def _near(a: Place, b: Place, km: float = 200.0) -> bool:
    """Within km of each other (an equirectangular estimate: enough at this range)."""
    dy = (a.latitude - b.latitude) * 111.2
    dx = (a.longitude - b.longitude) * 111.2 * math.cos(math.radians(a.latitude))
    return dx * dx + dy * dy <= km * km


def _typed(span: _Span, tokens: list[Token], gaz: Gazetteer) -> list[Place]:
    """The candidates of the kind a word beside the name asks for, if it has any."""
    last, first = span.last, span.first
    possessive = tokens[last][3] - tokens[last][2] > len(tokens[last][1])
    # after the name, not after a possessive ("Georgia's state broadcaster") nor where
    # "state" is an adjective ("Georgia state TV")
    after = tokens[last + 1][0] if last + 1 < len(tokens) and not possessive else ""
    if after in STATE_WORDS and last + 2 < len(tokens) and tokens[last + 2][0] in STATE_OWNED:
        after = ""
    # "the state of Táchira", yet not "the head of state of Georgia"
    before = tokens[first - 2][0] if first >= 2 and tokens[first - 1][0] == "of" and not (
        first >= 3 and tokens[first - 3][0] == "of") else ""
    if after in ADMIN1_WORDS or before in ADMIN1_OF:
        want = "admin1"
    elif after in ADMIN2_WORDS or before in ADMIN2_OF:
        # a district, else the first-level subdivision a country calls so ("Kisumu County")
        typed = [p for p in span.candidates if p.feature == "admin2"] + [
            p for i in gaz.typed_names.get(span.key, ())
            if (p := gaz.places[i]).feature == "admin2"]
        return typed or [p for p in span.candidates if p.feature == "admin1"] or span.candidates
    elif before in CITY_OF or after in CITY_AFTER:        # "Kherson city"
        want = "city"
    else:
        return span.candidates
    typed = [p for p in span.candidates if p.feature == want]
    if after in CITY_AFTER and before not in CITY_OF and not any(
            c.feature in ("admin1", "country") and _contains(c, p)
            for p in typed for c in span.candidates):
        # "Kherson city" is the city inside its namesake, not "a Texas city" (Texas,
        # Mexico) nor "the U.S. city of" (Us, France)
        typed = []
    if want == "admin1":
        typed += [p for i in gaz.typed_names.get(span.key, ())     # "Basra province"
                  if (p := gaz.places[i]).feature == "admin1"]
        if after in REGION_WORDS:
            # a city's region is its metropolitan area, unless the city lies inside its
            # namesake subdivision ("the Kharkiv region", not "the Washington region")
            typed = [c for c in typed if any(
                p.feature == "city" and _bears(p, span.key) and _contains(c, p)
                for p in span.candidates)]
    return typed or span.candidates


def _by_prior(p: Place) -> float:
    return -p.prior


def _within(container: Place, p: Place) -> bool:
    """p lies in the container named beside it: a country's or subdivision's codes, a
    district's or city's extent (places carry no district code)."""
    if container.feature == "city":
        return p.feature == "city" and p != container and _near(container, p, CITY_EXTENT_KM)
    if container.feature == "admin2":
        return (p.feature == "city" and p.country_code == container.country_code
                and p.admin1_code == container.admin1_code
                and _near(container, p, DISTRICT_EXTENT_KM))
    return container.feature in ("country", "admin1") and _contains(container, p)


def _contains(container: Place, p: Place) -> bool:
    """p lies in the container, as far as codes tell: a county's towns cannot be told from
    the rest of its state's, so a county holds them all."""
    if container.feature == "country":
        return p.country_code == container.country_code and p is not container
    return (p.country_code == container.country_code and p.admin1_code == container.admin1_code
            and p.feature in ("city", "admin2"))


def _bears(p: Place, key: str) -> bool:
    return p.key == key or p.key.startswith(key + " ")


def _best(candidates: list[Place], countries: dict, admin1s: dict, gaz: Gazetteer,
          key: str, holders: dict[tuple[str, str | None], list[tuple[str, Place]]] | None = None,
          waived: bool = False,
          neighbours: dict[tuple[int, int], list[tuple[str, Place]]] | None = None) -> Place:
    if len(candidates) == 1:
        return candidates[0]
    # A subdivision named like a big city is usually the city: "New York", "Washington" (the
    # subdivisions lose, the city gains nothing over its namesakes elsewhere: "Paris" with
    # Texas named is Paris, Texas). The city must bear the name ("New York City" does): Hong
    # Kong lists "Victoria" among its names, which is not what "Victoria" means. Not
    # where a country bears it.
    big_cities: list[Place] = []
    for p in candidates:
        if p.feature == "country":
            big_cities = []
            break
        if p.feature == "city" and p.population >= 500_000 and _bears(p, key):
            big_cities.append(p)

    # The highest score, the first of equals (plain loops: compiled, cheaper than max(key=)
    # with a closure, and this runs for every candidate of every name, three times).
    best, best_score = candidates[0], 0.0
    for n, p in enumerate(candidates):
        # The place that bears the name outranks one that only lists it among alternate or
        # former names ("Philadelphia" is the US city, not Amman), unless that one is far
        # bigger or a capital, or the article's context points to it.
        s = p.prior + (2.0 if p.key == key and not waived else 0.0)
        if big_cities and p.feature in ("admin1", "admin2") and _bears(p, key):
            s -= 3.0
        # the article's countries; less than one place's worth of evidence (a demonym, a
        # town picked in passing) only breaks near ties
        seen = countries.get(p.country_code, 0)
        if seen:
            s += 2.0 + 0.5 * min(seen - 1, 2) if seen >= 1 else 0.8 * seen
        # the article's subdivisions: a place picked in passing, or more (a subdivision
        # named, a container, two places picked in it: "Paris ... Lamar County ... Texas"
        # is Paris, Texas, though the French capital is far bigger)
        if p.feature == "city":
            held = admin1s.get((p.country_code, p.admin1_code), 0)
            if held > 0:
                s += 4.0 if held >= 1 else 2.0
        # a subdivision that holds other places of the article ("Atlanta ... Georgia": the
        # state, not the country); a city of its own name, or a place inside it ("New
        # York ... Brooklyn"), is no evidence
        if p.feature == "admin1" and holders and any(
                k != key and not any(_near(c, q, BIG_CITY_KM) for c in big_cities)
                for k, q in holders.get((p.country_code, p.admin1_code), ())):
            s += 4.0        # as much as the places it holds gain from it
        # a town beside another of the article's places (picked in the first pass, of
        # another name): the closest reading ("Cambridge ... Somerville" are neighbours in
        # Massachusetts, not a town in England and one in New England)
        # (only where the bonus could make it the best: the map is read for few)
        if neighbours and (n == 0 or s + 2.0 > best_score) and p.feature == "city" \
                and _beside(p, key, neighbours):
            s += 2.0
        if n == 0 or s > best_score:
            best, best_score = p, s
    return best


def _cell(p: Place) -> tuple[int, int]:
    """A place's square of the map (NEIGHBOUR_CELL degrees a side): neighbours lie in the
    same square or the next."""
    return int(p.latitude // NEIGHBOUR_CELL), int(p.longitude // NEIGHBOUR_CELL)


def _beside(p: Place, key: str,
            neighbours: dict[tuple[int, int], list[tuple[str, Place]]]) -> bool:
    """Another name's place lies within NEIGHBOURS_KM of p (neighbours: each town filed
    under its square and the eight around it, so one look-up finds them)."""
    for k, q in neighbours.get(_cell(p), ()):
        if k != key and q != p and _near(p, q, NEIGHBOURS_KM):
            return True
    return False


def _main_place(mentions: list[Mention]) -> Place | None:
    """The article's most named place (ties: the first named); countries from demonyms too."""
    counts: dict[tuple, list] = {}
    for order, m in enumerate(mentions):
        if m.place.feature not in LOCATABLE or m.kind == "metonym":
            continue
        key = (m.place.geonameid, m.place.name, m.place.country_code)
        entry = counts.setdefault(key, [0, order, m.place])
        entry[0] += 1 if m.kind == "toponym" else 0.5
    if not counts:
        return None
    return max(counts.values(), key=lambda e: (e[0], -e[1]))[2]
