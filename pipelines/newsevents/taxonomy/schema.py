"""The taxonomy files' schema: what each file may hold, checked before any work.

A taxonomy folder holds `events.yaml` (the version and the labels), `places.yaml` (English's
place names, which the other languages' add to) and one folder per language with its own
`events.yaml` (words, lexicons, rules), `places.yaml` and, optionally, `actors.yaml`
(casualty words, actor nouns). `check_folder` reads them all and
returns one `Problem` per thing wrong, each a line naming the file, the rule (or key) and the
problem: a key no reader knows, a key with no value (`unless:` and nothing after it), an
empty list, a lexicon no file defines, a phrase the pattern syntax cannot read, a rule
without its `examples` (match / no_match). `ensure_valid` raises `TaxonomyError` with them.

The structure is pydantic's (one model per kind of block, unknown keys forbidden); what a
model cannot see (lexicon names, the labels of the main file, the phrase syntax) is a second
pass over the data. Nothing here runs per sentence: the classifier compiles the same data
afterwards, as before."""
from __future__ import annotations

import datetime as _dt
import difflib
import functools
import re
from dataclasses import dataclass
from pathlib import Path
from collections.abc import Callable, Mapping
from typing import Annotated, Any, Literal

import yaml
from pydantic import (AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field,
                      ValidationError, model_validator)

from newsevents.taxonomy import FOLDER, PLACES_LANGUAGE, parse_yaml

# --- the problems -------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a taxonomy file: `file: where: what` on one line."""
    file: str
    where: str
    what: str

    def __str__(self) -> str:
        return f"{self.file}: {self.where}: {self.what}" if self.where else \
            f"{self.file}: {self.what}"


class TaxonomyError(ValueError):
    """A taxonomy folder that does not pass check_folder; str() is the first problem's line
    and a count of the others."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        more = len(problems) - 1
        super().__init__(str(problems[0]) + (
            f" (and {more} more: newsevents check-taxonomy lists them)" if more else ""))


# --- the models ---------------------------------------------------------------------------

def _listed(value: Any) -> Any:
    """A single phrase where a list is expected: `pattern: "V:kill"`, `any: physical`."""
    return [value] if isinstance(value, str) else value


def _check(pattern: str, message: str):
    compiled = re.compile(pattern)

    def check(value: str) -> str:
        if not compiled.fullmatch(value):
            raise ValueError(f"{value!r}: {message}")
        return value
    return AfterValidator(check)


Text = Annotated[str, Field(min_length=1)]
Texts = Annotated[list[Text], Field(min_length=1)]       # a list that says something
Words = list[str]                                        # may be [] (Spanish has no durations)
Phrases = Annotated[Texts, BeforeValidator(_listed)]
Count = Annotated[int, Field(strict=True, ge=0)]
Positive = Annotated[int, Field(strict=True, ge=1)]
CountryCode = Annotated[str, _check(r"[A-Z]{2}", "an ISO 3166-1 alpha-2 code (two capitals)")]
Label = Annotated[str, _check(r"[a-z][a-z0-9_]*", "a label is lower-case letters, digits "
                              "and _ (it names a Parquet field)")]


class _Block(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    @model_validator(mode="before")
    @classmethod
    def _no_empty_keys(cls, data: Any) -> Any:
        """A key written with nothing after it (`unless:`) is YAML's null: an error, not an
        absent key (the optional fields below default to None only when absent)."""
        if isinstance(data, dict):
            empty = [k for k, v in data.items() if v is None and k in cls.model_fields]
            if empty:
                raise ValueError("; ".join(f"{k}: empty (nothing after `{k}:`): remove the "
                                           "key or give it a value" for k in empty))
        return data


class Condition(_Block):
    """{any: L} with at most one of before/after/around/near, {states: N} (or_any: L),
    {pair: N}, {headline: true}, {name_after: true} (a capitalised word right after the
    trigger: a person or a body named, "does not recognise Ortega")."""
    any: Phrases | None = None
    before: Count | None = None
    after: Count | None = None
    around: Count | None = None
    near: Count | None = None
    states: Positive | None = None
    or_any: Phrases | None = None
    pair: Positive | None = None
    headline: Literal[True] | None = None
    name_after: Literal[True] | None = None

    @model_validator(mode="before")
    @classmethod
    def _one_shape(cls, data: Any) -> Any:
        if isinstance(data, dict):
            keys = set(data) & set(cls.model_fields)
            if keys and keys not in ({"any"}, {"any", "before"}, {"any", "after"},
                                     {"any", "around"}, {"any", "near"}, {"states"},
                                     {"states", "or_any"}, {"pair"}, {"headline"},
                                     {"name_after"}):
                raise ValueError(f"a condition with {', '.join(sorted(keys))}: it is one of "
                                 "{any: L} (with before, after, around or near: N), {states: N} "
                                 "(with or_any: L), {pair: N}, {headline: true}, "
                                 "{name_after: true}")
            if not keys and not set(data) - set(cls.model_fields):
                raise ValueError("an empty condition")
        return data


Conditions = Annotated[list[Condition], Field(min_length=1)]


class Examples(_Block):
    """Sentences of the project's own that the rule must fire on, and must not."""
    match: Texts
    no_match: Texts


class Rule(_Block):
    id: Annotated[str, _check(r"[a-z0-9][a-z0-9_-]*", "a rule id is lower-case letters, "
                              "digits, - and _")]
    pattern: Phrases
    weight: Annotated[float, Field(gt=0, le=1)]
    modality: Literal["keep"] | None = None
    needs: Conditions = []
    unless: Conditions = []
    examples: Examples


class LabelConditions(_Block):
    unless: Conditions = []


class Lexicon(_Block):
    """A list of phrases, or {include: [...], exclude: [...]} (phrases that look like one
    of them and are not: "hearing aid")."""
    include: Texts
    exclude: Texts = []

    @model_validator(mode="before")
    @classmethod
    def _plain_list(cls, data: Any) -> Any:
        return {"include": data} if isinstance(data, list) else data


class EventWords(_Block):
    """The function words text/classify.py reads (Taxonomy._words)."""
    determiners: Words = []
    irrealis_after: Words = []
    past_endings: Words = []
    past_words: Words = []
    sequence_words: Words = []
    clause_words: Words = []
    durations: Words = []
    long_after_words: Words = []
    ago_words: Words = []
    year_prepositions: Words = []
    place_clause: Words = []
    place_relative: Words = []
    place_relative_after: Words = []
    present_words: Words = []
    not_possessive: Words = []
    state_agents: Words = []
    state_agents_before: Annotated[bool, Field(strict=True)] = False
    ethnic: Words = []
    headline_cause: Words = []
    referring: Words = []
    verb_endings: Words = []
    verb_words: Words = []


class LanguageEvents(_Block):
    """`<language>/events.yaml`."""
    language: Annotated[str, _check(r"[a-z]{2,3}", "an ISO 639-1 code such as en or es")]
    labels: dict[Label, LabelConditions] = {}
    words: EventWords
    irregular: dict[str, Words] = {}
    irregular_plurals: dict[str, Words] = {}
    contractions: dict[str, str | None] = {}
    lexicons: dict[str, Lexicon]
    rules: dict[Label, Annotated[list[Rule], Field(min_length=1)]]


class LabelSpec(_Block):
    colour: Annotated[str, _check(r"#[0-9a-fA-F]{6}", "a colour is #rrggbb")]
    definition: Text
    casualties: Annotated[bool, Field(strict=True)] = False   # rows carry casualty figures
    # how its rows' actors are read (text/actors.py): `force` the actor nouns around the
    # trigger (who used force, against whom), `parties` the states and bodies named
    actors: Literal["force", "parties"] | None = None


class MainEvents(_Block):
    """The main `events.yaml`: the version (written on every row) and the labels."""
    version: Text
    labels: Annotated[dict[Label, LabelSpec], Field(min_length=1)]


class PlaceWords(_Block):
    """The words the geoparser reads beside the names (`words` in a language's
    places.yaml): English's are all needed (text/geoparse.py reads them on import), another
    language's add to them where it has its own."""
    connectors: Words = []
    name_joiners: Words = []
    function_words: Words = []
    locative_words: Words = []
    actor_verbs: Words = []
    speech_verbs: Words = []
    place_types: Words = []
    admin1_after: Words = []
    admin1_of: Words = []
    admin2_after: Words = []
    admin2_of: Words = []
    state_owned: Words = []
    state_words: Words = []
    city_of: Words = []
    city_after: Words = []
    region_words: Words = []
    qualifiers: Words = []
    pair_type_words: Words = []
    paired: Words = []
    firm: Words = []
    list_and: Words = []
    origin_words: Words = []
    capital_words: Words = []
    street_words: Words = []
    saint_words: Words = []
    street_verbs: Words = []
    currencies: Words = []
    diseases: Words = []
    abbreviated: Words = []
    actor_nouns: Words = []
    border_with: Words = []
    border_after: Words = []
    attack_nouns: Words = []
    patron_prefixes: Words = []
    home_agents: Words = []
    operation_words: Words = []
    county_words: Words = []
    local_agencies: Words = []
    city_part_words: Words = []
    side_words: Words = []
    street_plurals: Words = []
    crossing_words: Words = []
    mile_words: Words = []
    person_nouns: Words = []
    venue_nouns: Words = []
    service_words: Words = []
    kilometre_words: Words = []
    # other languages' only
    not_articles: Words = []
    written_lower_case: list[Literal["demonyms"]] = []
    demonym_agents: Words = []
    capital_before: Words = []
    city_parts_before: Words = []
    agencies_before: Words = []
    place_types_before: Words = []
    organisation_words_before: Words = []
    word_frequencies: Words = []


# the keys text/geoparse.py reads from English's words on import (WORDS["..."])
ENGLISH_PLACE_WORDS = ("connectors", "name_joiners", "function_words", "locative_words",
                       "actor_verbs", "speech_verbs", "place_types", "admin1_after",
                       "admin1_of", "admin2_after", "admin2_of", "state_owned", "state_words",
                       "city_of", "city_after", "region_words", "qualifiers",
                       "pair_type_words", "paired", "firm", "list_and", "origin_words",
                       "capital_words", "street_words", "saint_words", "street_verbs",
                       "currencies", "diseases", "abbreviated", "actor_nouns", "border_with",
                       "operation_words", "border_after", "attack_nouns", "patron_prefixes",
                       "home_agents", "county_words", "local_agencies", "city_part_words",
                       "side_words", "street_plurals", "crossing_words", "mile_words",
                       "person_nouns", "venue_nouns", "kilometre_words",
                       "service_words")


class Region(_Block):
    """A region that is not a country: its centre (`at`), and what it holds for scoring a
    name resolved to it (member countries, or a box south, west, north, east); `short_for`
    the one country wire copy also means by it ("Central Africa")."""
    at: tuple[float, float]
    countries: list[CountryCode] | None = None
    box: tuple[float, float, float, float] | None = None
    short_for: CountryCode | None = None


class NotPlaces(_Block):
    """Names that are or contain a place's name but name something else."""
    organisations: Words = []
    broadcasters: Words = []
    first_names: Words = []


class Places(_Block):
    """A places.yaml: the main one (English's names) or a language's (its names and the
    words beside them)."""
    version: Text | None = None
    demonyms: dict[str, CountryCode] = {}
    country_aliases: dict[str, CountryCode] = {}
    not_country_names: Words = []
    regions: dict[str, tuple[float, float] | Region] = {}
    named_regions: dict[str, tuple[Text, CountryCode]] = {}
    transliterated_countries: list[CountryCode] = []
    country_abbreviations: dict[str, CountryCode] = {}
    province_abbreviations: dict[CountryCode, dict[str, Text]] = {}
    not_places: NotPlaces | None = None
    us_state_abbreviations: dict[str, Text] = {}
    international_bodies: Words = []
    seats_of_government: dict[str, CountryCode] = {}
    armed_groups: dict[CountryCode, Words] = {}
    non_places: Words = []
    organisation_words: Words = []
    person_titles: Words = []
    abbreviated_titles: Words = []
    facility_words: Words = []
    locative_words: Words = []
    articles: Words = []
    people: Words = []
    words: PlaceWords | None = None


class CasualtyWords(_Block):
    """The words of casualty figures (`casualties` in a language's actors.yaml, read by
    text/casualties.py)."""
    numbers: dict[str, int]
    multipliers: dict[str, int]
    vague: dict[str, int]
    joiners: Words = []
    weak: Words = []
    qualifiers: Words = []
    not_after: Words = []
    not_before: Words = []
    killed_after: Words = []
    injured_after: Words = []
    killed_before: Words = []
    injured_before: Words = []
    part_of: Words = []


class PassiveWords(_Block):
    """The words that make an actor before the trigger the one acted upon (text/actors.py):
    an auxiliary before it ("were killed"), an agent word after it ("by"), a participle
    that reads as passive where a preposition, a mark or nothing follows it (a headline's
    "Two soldiers killed in ambush"), and verbs whose subject is the victim ("died")."""
    auxiliaries: Words = []
    agent: Words = []
    participles: Words = []
    reduced_after: Words = []
    bound_words: Words = []
    particles: Words = []
    victim_verbs: Words = []
    victim_follows: Annotated[bool, Field(strict=True)] = False
    agent_nouns: Words = []
    noun_agent: Words = []


# ACLED's eight actor types, and the perpetrators a sentence does not identify
ActorType = Literal["state_forces", "rebels", "political_militia", "identity_militia",
                    "rioters", "protesters", "civilians", "external", "unknown"]


class ActorWords(_Block):
    """A language's actors.yaml (optional): casualty words, actor nouns by type, passive."""
    casualties: CasualtyWords | None = None
    actors: dict[ActorType, Texts] = {}
    refer_back: Words = []
    passive: PassiveWords | None = None


class DateExample(_Block):
    """A sentence, its publication day, and the date it states."""
    text: Text
    published: _dt.date
    date: _dt.date


class DateExamples(_Block):
    """Sentences of the project's own: dates they state, and sentences that state none."""
    match: Annotated[list[DateExample], Field(min_length=1)]
    no_match: Texts


class DateWords(_Block):
    """The words text/dates.py reads (`dates` in a language's dates.yaml)."""
    weekdays: Annotated[dict[str, Annotated[int, Field(strict=True, ge=0, le=6)]],
                        Field(min_length=7)]
    months: Annotated[dict[str, Annotated[int, Field(strict=True, ge=1, le=12)]],
                      Field(min_length=12)]
    relative: dict[str, Annotated[int, Field(strict=True, ge=-7, le=0)]] = {}
    last_before: Words = []
    last_after: Words = []
    future_before: Words = []
    weekend: Words = []
    day_month_joiners: Words = []
    ordinal_endings: Words = []
    year_joiners: Words = []
    reporting: Words = []
    word_months: Words = []
    month_prepositions: Words = []
    reporting_span: Count = 0
    examples: DateExamples


class DatesFile(_Block):
    """`<language>/dates.yaml` (optional: a language without one states no dates)."""
    dates: DateWords


# what each file must hold beyond its model's required keys (the readers index these)
MAIN_PLACES_NEEDS = ("version", "demonyms", "country_aliases", "us_state_abbreviations",
                     "international_bodies", "seats_of_government", "organisation_words",
                     "person_titles")
ADDED_PLACES_NEEDS = ("version", "demonyms")

KNOWN_KEYS = sorted({name for model in (Condition, Examples, Rule, LabelConditions, Lexicon,
                                        EventWords, LanguageEvents, LabelSpec, MainEvents,
                                        PlaceWords, Places, Region, NotPlaces,
                                        CasualtyWords, PassiveWords, ActorWords,
                                        DateExample, DateExamples, DateWords, DatesFile)
                     for name in model.model_fields})


# --- reading pydantic's errors as one line each --------------------------------------------

def _where(loc: tuple, data: Any) -> tuple[str, list]:
    """The rule, lexicon or label a location is in ("rule violence.kill"), and the rest."""
    if len(loc) >= 3 and loc[0] == "rules" and isinstance(loc[2], int):
        try:
            rule_id = data["rules"][loc[1]][loc[2]]["id"]
        except (KeyError, IndexError, TypeError):
            rule_id = f"#{loc[2] + 1}"
        return f"rule {loc[1]}.{rule_id}", list(loc[3:])
    if len(loc) >= 2 and loc[0] == "lexicons":
        rest = list(loc[2:])
        raw = data.get("lexicons", {}).get(loc[1]) if isinstance(data, dict) else None
        if rest and rest[0] == "include" and isinstance(raw, list):
            rest = rest[1:]                   # a plain list: no `include` the user wrote
        return f"lexicon {loc[1]}", rest
    if len(loc) >= 2 and loc[0] == "labels":
        return f"label {loc[1]}", list(loc[2:])
    return "", list(loc)


def _path(parts: list) -> str:
    out = ""
    for part in parts:
        if isinstance(part, int):             # YAML's lists are not numbered: count from 1
            out += f"[{part + 1}]" if out else f"item {part + 1}"
        elif part != "[key]":
            out += ("." if out else "") + str(part)
    return out


def _what(err: Mapping[str, Any]) -> str:
    kind, value, key = err["type"], err.get("input"), err["loc"][-1] if err["loc"] else ""
    if kind == "extra_forbidden":
        near = difflib.get_close_matches(str(key), KNOWN_KEYS, n=1)
        return f"unknown key {key!r}" + (f" (did you mean {near[0]!r}?)" if near else "")
    if kind == "missing":
        if key == "examples":
            return ("no examples: each rule lists sentences it must fire on (match) and "
                    "must not (no_match)")
        return f"missing key {key!r}"
    if value is None:
        return (f"empty (nothing after `{key}:`): remove the key or give it a value"
                if isinstance(key, str) else "an empty item")
    if kind == "too_short":
        return "an empty list: remove the key or list at least one item"
    if kind == "string_type":
        if isinstance(value, bool):
            return (f"{value!r} must be a quoted string (YAML reads bare yes/no/on/off as "
                    "true/false)")
        return f"{value!r} must be a quoted string"
    if kind == "value_error":
        return str(err["ctx"]["error"])
    msg = err["msg"]
    return f"{msg[0].lower()}{msg[1:]} (found {value!r})"


def _model_problems(model: type[BaseModel], data: Any, file: str) -> list[Problem]:
    try:
        model.model_validate(data)
    except ValidationError as e:
        out = []
        for err in e.errors(include_url=False):
            where, rest = _where(err["loc"], data)
            field = _path(rest)
            what = _what(err)
            if field and not what.startswith(("unknown key", "missing key", "no examples")):
                what = f"{field}: {what}"
            out.append(Problem(file, where, what))
        # a misspelt key first: its missing twin ("wieght", then "weight") follows from it
        return sorted(out, key=lambda p: not p.what.startswith("unknown key"))
    return []


# --- what a model cannot see: the phrase syntax and the names ------------------------------

_PREFIX = re.compile(r"([A-Za-z]+):(.*)")


def phrase_problem(spec: str, lexicons: frozenset[str] = frozenset()) -> str | None:
    """Why the classifier cannot read a phrase (the syntax in the main events.yaml), or None.
    Words, V:lemma, N:lemma, [a|b|c] (each may be V:/N:), `...` a gap between words."""
    if not spec.strip():
        return "an empty phrase"
    ref = re.search(r"@([\w-]*)", spec)
    if ref:
        name = ref.group(1)
        if name not in lexicons:
            return f"{spec!r}: unknown lexicon @{name}"
        return (f"{spec!r}: a phrase cannot name a lexicon (@{name}); a condition can: "
                f"{{any: {name}}}")
    chunks = spec.split()
    gaps = []
    for n, chunk in enumerate(chunks):
        gaps.append(chunk == "...")
        if chunk == "...":
            continue
        words = [chunk]
        if any(c in chunk for c in "[]|"):
            if not (chunk.startswith("[") and chunk.endswith("]")) or \
                    chunk.count("[") != 1 or chunk.count("]") != 1:
                return (f"{spec!r}: " + (f"{chunk!r}: " if chunk != spec else "")
                        + "alternatives are one word each, in brackets, without spaces: "
                        "[a|b|c]")
            words = chunk[1:-1].split("|")
            if not all(words):
                return f"{spec!r}: {chunk!r}: an empty alternative"
        for word in words:
            m = _PREFIX.fullmatch(word)
            if m and m.group(1) not in ("V", "N"):
                return f"{spec!r}: unknown prefix {m.group(1)}: (V: inflects a verb, N: a noun)"
            if m and (not m.group(2) or m.group(2) == "..."):
                return f"{spec!r}: {m.group(1)}: with no word after it"
    if gaps[0]:
        return f"{spec!r}: a phrase cannot start with a gap (...)"
    if gaps[-1]:
        return f"{spec!r}: a phrase cannot end with a gap (...)"
    if any(a and b for a, b in zip(gaps, gaps[1:])):
        return f"{spec!r}: two gaps (... ...) in a row"
    return None


def _strings(items: Any) -> list[str]:
    """The strings of a value that should be a phrase or a list of them (the model reports
    anything else)."""
    items = _listed(items)
    return [item for item in items if isinstance(item, str)] if isinstance(items, list) else []


def _dicts(items: Any) -> list[tuple[int, dict]]:
    return [(k, item) for k, item in enumerate(items) if isinstance(item, dict)] \
        if isinstance(items, list) else []


def _mapping(data: Any, key: str) -> dict:
    value = data.get(key) if isinstance(data, dict) else None
    return value if isinstance(value, dict) else {}


def _condition_names(condition: dict, lexicons: frozenset[str]) -> list[str]:
    """Problems with the lexicons a condition names: `any: physical` (a single name) must be
    a lexicon; in a list, a name with _ (no word has one) must be; the rest are phrases."""
    out = []
    for key in ("any", "or_any"):
        items = condition.get(key)
        if isinstance(items, str):
            if items not in lexicons:
                out.append(f"{key}: unknown lexicon {items!r}" + _near(items, lexicons))
            continue
        for item in _strings(items):
            if item in lexicons:
                continue
            if "_" in item and " " not in item:
                out.append(f"{key}: unknown lexicon {item!r}" + _near(item, lexicons))
            else:
                problem = phrase_problem(item, lexicons)
                if problem:
                    out.append(f"{key}: {problem}")
    return out


def _near(name: str, names: frozenset[str]) -> str:
    near = difflib.get_close_matches(name, sorted(names), n=1)
    return f" (did you mean {near[0]!r}?)" if near else ""


def _language_problems(data: dict, file: str, folder_name: str,
                       labels: frozenset[str] | None) -> list[Problem]:
    """What a language's events.yaml model cannot see: the lexicons its conditions name,
    its phrases' syntax, its labels, its ids. Read defensively: it runs beside the model's
    own problems, so that one check lists them all."""
    out: list[Problem] = []
    lexicons = frozenset(_mapping(data, "lexicons"))
    language = data.get("language")
    if isinstance(language, str) and language != folder_name:
        out.append(Problem(file, "language", f"{language!r} in the folder {folder_name!r}: a "
                           "language's files are in the folder named by its code"))
    for name, entries in _mapping(data, "lexicons").items():
        phrases = _strings(entries) if not isinstance(entries, dict) else \
            [*_strings(entries.get("include")), *_strings(entries.get("exclude"))]
        for phrase in phrases:
            problem = phrase_problem(phrase, lexicons)
            if problem:
                out.append(Problem(file, f"lexicon {name}", problem))
    defined = f"the main events.yaml defines {', '.join(sorted(labels or ()))}"
    for label, spec in _mapping(data, "labels").items():
        if labels is not None and label not in labels:
            out.append(Problem(file, f"label {label}", f"unknown label ({defined})"))
        for k, condition in _dicts(spec.get("unless") if isinstance(spec, dict) else None):
            for problem in _condition_names(condition, lexicons):
                out.append(Problem(file, f"label {label}", f"unless[{k + 1}].{problem}"))
    seen: set[str] = set()
    for label, rules in _mapping(data, "rules").items():
        if labels is not None and label not in labels:
            out.append(Problem(file, f"rules.{label}", f"unknown label ({defined})"))
        for n, rule in _dicts(rules):
            rule_id = rule.get("id", f"#{n + 1}")
            where = f"rule {label}.{rule_id}"
            if rule_id in seen:
                out.append(Problem(file, where, "a second rule with this id in the file"))
            seen.add(rule_id)
            for phrase in _strings(rule.get("pattern")):
                problem = phrase_problem(phrase, lexicons)
                if problem:
                    out.append(Problem(file, where, f"pattern: {problem}"))
            for key in ("needs", "unless"):
                for k, condition in _dicts(rule.get(key)):
                    for problem in _condition_names(condition, lexicons):
                        out.append(Problem(file, where, f"{key}[{k + 1}].{problem}"))
    return out


# --- the folder ---------------------------------------------------------------------------

def _read(path: Path, shown: str) -> tuple[Any, list[Problem]]:
    if not path.is_file():
        return None, [Problem(shown, "", "missing: a taxonomy folder holds events.yaml, "
                              "places.yaml and a folder per language with both")]
    try:
        data = parse_yaml(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        line = f"line {mark.line + 1}: " if mark is not None else ""
        what = getattr(e, "problem", None) or str(e).splitlines()[0]
        return None, [Problem(shown, "", f"{line}not valid YAML ({what})")]
    except (OSError, UnicodeDecodeError) as e:
        return None, [Problem(shown, "", f"cannot be read ({e})")]
    if not isinstance(data, dict):
        return None, [Problem(shown, "", "must be a mapping of keys (key: value)")]
    return data, []


def _needs(data: dict, keys: tuple[str, ...], file: str) -> list[Problem]:
    return [Problem(file, "", f"missing key {key!r}") for key in keys if key not in data]


def check_main_events(path: Path | str, shown: str | None = None) -> list[Problem]:
    """The main events.yaml's problems (its version and labels)."""
    shown = shown or str(path)
    data, problems = _read(Path(path), shown)
    if data is None:
        return problems
    misplaced = sorted(set(data) & {"language", "words", "irregular", "irregular_plurals",
                                    "contractions", "lexicons", "rules"})
    if misplaced:
        return [Problem(shown, key, "belongs in a language's file (<language>/events.yaml, "
                        "English's en/events.yaml)") for key in misplaced]
    return _model_problems(MainEvents, data, shown)


def check_folder(folder: Path | str | None = None) -> list[Problem]:
    """Every problem in a taxonomy folder's files (the one NEWSEVENTS_TAXONOMY names, or the
    shipped one), each one line; [] when it is valid."""
    root = Path(folder).resolve() if folder is not None else FOLDER
    if not root.is_dir():
        return [Problem(str(root), "", "not a folder")]

    def shown(path: Path) -> str:
        return str(path)

    problems = check_main_events(root / "events.yaml", shown(root / "events.yaml"))
    main, _ = _read(root / "events.yaml", "")
    labels = None
    if main is not None and not problems:
        labels = frozenset(main["labels"])

    places_path = root / "places.yaml"
    places, read_problems = _read(places_path, shown(places_path))
    problems += read_problems
    if places is not None:
        found = _model_problems(Places, places, shown(places_path))
        problems += found or _needs(places, MAIN_PLACES_NEEDS, shown(places_path))

    languages = sorted(d for d in root.iterdir() if d.is_dir() and (d / "events.yaml").is_file())
    if not any(d.name == PLACES_LANGUAGE for d in languages):
        problems.append(Problem(shown(root / PLACES_LANGUAGE / "events.yaml"), "",
                                "missing: English's words and rules (the place names of the "
                                "main places.yaml are English's)"))
    for d in languages:
        events_path = d / "events.yaml"
        data, read_problems = _read(events_path, shown(events_path))
        problems += read_problems
        if data is not None:
            problems += _model_problems(LanguageEvents, data, shown(events_path))
            problems += _language_problems(data, shown(events_path), d.name, labels)
        problems += _optional(d / "actors.yaml", ActorWords, shown)
        places_path = d / "places.yaml"
        data, read_problems = _read(places_path, shown(places_path))
        problems += read_problems
        if data is not None:
            found = _model_problems(Places, data, shown(places_path))
            if not found and d.name == PLACES_LANGUAGE:
                words = data.get("words") or {}
                found = [Problem(shown(places_path), "words", f"missing key {key!r}")
                         for key in ENGLISH_PLACE_WORDS if key not in words]
            elif not found:
                found = _needs(data, ADDED_PLACES_NEEDS, shown(places_path))
            problems += found
        problems += _optional(d / "dates.yaml", DatesFile, shown)
    return problems


def _optional(path: Path, model: type[BaseModel],
              shown: Callable[[Path], str]) -> list[Problem]:
    """A language's file that may be missing (actors.yaml, dates.yaml), checked when there."""
    if not path.is_file():
        return []
    data, problems = _read(path, shown(path))
    return problems + (_model_problems(model, data, shown(path)) if data is not None else [])


def _texts(root: Path) -> tuple:
    return tuple((str(p), p.read_bytes()) for p in sorted(root.glob("**/*.yaml")))


@functools.lru_cache(maxsize=8)
def _checked(root: Path, texts: tuple) -> tuple[Problem, ...]:
    return tuple(check_folder(root))


def ensure_valid(folder: Path | str | None = None) -> None:
    """Raise TaxonomyError (a ValueError: its first problem's line) unless the folder is
    valid; checked once per process for the same files."""
    root = Path(folder).resolve() if folder is not None else FOLDER
    problems = _checked(root, _texts(root)) if root.is_dir() else tuple(check_folder(root))
    if problems:
        raise TaxonomyError(list(problems))
