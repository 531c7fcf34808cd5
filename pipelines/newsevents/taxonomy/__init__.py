"""The taxonomy files, read by the classifier and the geoparser, and the labels they define,
which the schemas, the report and the evaluations take from here. Their paths live here, in a
module that is never compiled: a module mypyc compiles has no `__file__` to find them by.

The main events.yaml holds the version and the labels; each language's words, lexicons and
rules are in `<language>/events.yaml` (English's in en/, Spanish's in es/), its places words
and names in `<language>/places.yaml`. The main places.yaml holds English's names, which
the other languages' places files add to (with_languages).

NEWSEVENTS_TAXONOMY names another taxonomy folder (events.yaml, places.yaml and the language
folders, as this one holds them): read at start-up by every process, workers included."""
import copy
import functools
import os
from pathlib import Path

import yaml

FOLDER = Path(os.environ.get("NEWSEVENTS_TAXONOMY") or Path(__file__).parent).resolve()
EVENTS_YAML = FOLDER / "events.yaml"
PLACES_YAML = FOLDER / "places.yaml"
# the language whose names the main places.yaml and the gazetteer hold: its places file holds
# only the words the geoparser reads beside them, the others' add names (with_languages)
PLACES_LANGUAGE = "en"

# libyaml's loader where PyYAML has it (its wheels do): the same data, much faster. Every
# worker process reads these files at start-up.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@functools.lru_cache(maxsize=64)
def parse_yaml(text: str):
    """The data a taxonomy file's text holds, parsed once per process: start-up asks for each
    file several times (labels, contractions, each language's rules and actors, the
    gazetteer, the geoparser). Keyed by the text, so a file changed on disk is parsed again.
    Every caller gets the same objects: copy before changing them (copy.deepcopy)."""
    return _parsed_or_cached(text)


def cache_dir() -> Path:
    """Where start-up keeps what it derives from the packages and the taxonomy (the
    gazetteer, the parsed files): NEWSEVENTS_CACHE, else XDG_CACHE_HOME's or ~/.cache's
    newsevents folder."""
    base = os.environ.get("NEWSEVENTS_CACHE") or os.environ.get("XDG_CACHE_HOME")
    return Path(base) / "newsevents" if base else Path.home() / ".cache" / "newsevents"


CACHED_PARSES = 64


def _parsed_or_cached(text: str):
    """yaml.load's data, kept in marshal's form keyed by the text: every worker process
    parses the same taxonomy files at its start (0.12 s of CPU with libyaml, most in
    PyYAML's Python resolver); marshal reads the same plain data (dicts in order, lists,
    strings, numbers, booleans, None) back in a few milliseconds. Data marshal cannot
    hold (a YAML timestamp) is parsed each time, as are files when the cache is not
    writable."""
    import hashlib
    import marshal
    import sys
    key = hashlib.sha1(f"{yaml.__version__} {_LOADER.__name__} {sys.version} "
                       f"{marshal.version}\n{text}".encode()).hexdigest()[:20]
    path = cache_dir() / "yaml" / f"{key}.marshal"
    try:
        return marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        pass
    data = yaml.load(text, Loader=_LOADER)
    try:
        blob = marshal.dumps(data)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(blob)
        os.replace(tmp, path)      # atomic: concurrent workers never read half a file
        cached = sorted(path.parent.glob("*.marshal"), key=lambda f: f.stat().st_mtime)
        for old in cached[:-CACHED_PARSES]:
            old.unlink(missing_ok=True)
    except (OSError, ValueError):  # unmarshallable data, a read-only home: parsed each time
        pass
    return data


def read_yaml(path: Path | str):
    """A taxonomy file's data (parse_yaml: shared, not to be changed)."""
    return parse_yaml(Path(path).read_text(encoding="utf-8"))


def main_of(data: dict) -> dict:
    """Where a language file's version and labels come from: the file itself when it has a
    `version` (a whole taxonomy in one file), else the main file."""
    return data if "version" in data else read_yaml(EVENTS_YAML)


def label_specs(path: Path | str = EVENTS_YAML) -> dict[str, dict]:
    """The main file's `labels`, in its order: name -> {definition, colour}. The main file
    holds the version and the labels only: a language's words and rules are its own file's.
    A file that does not pass the schema (taxonomy/schema.py) raises TaxonomyError."""
    from newsevents.taxonomy.schema import TaxonomyError, check_main_events
    problems = check_main_events(path)
    if problems:
        raise TaxonomyError(problems)
    return read_yaml(path)["labels"]


# declared for the type checker (mypyc compiles the modules that import them): the values
# come from __getattr__ below, on first use
LABEL_SPECS: dict[str, dict]
LABELS: tuple[str, ...]


def __getattr__(name: str) -> object:
    """LABEL_SPECS and LABELS (the output's event types, in order), read on first use rather
    than on import: a broken main file is then reported where the taxonomy is checked
    (newsevents.taxonomy.schema, before any work), in one line, not as an import's trace."""
    if name in ("LABEL_SPECS", "LABELS"):
        specs = label_specs()
        globals().update(LABEL_SPECS=specs, LABELS=tuple(specs))
        return globals()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _fold(s: str) -> str:
    import unicodedata
    return "".join(c for c in unicodedata.normalize("NFD", s.lower())
                   if unicodedata.category(c) != "Mn")


@functools.cache
def english_country_names() -> dict[str, tuple[str, ...]]:
    """ISO code -> the country's English names in pycountry (name, common and official
    name), in pycountry's order: read here once for the gazetteer and the languages."""
    import pycountry
    return {c.alpha_2: tuple(getattr(c, a) for a in ("name", "common_name", "official_name")
                             if getattr(c, a, None)) for c in pycountry.countries}


@functools.cache
def _country_names() -> frozenset[str]:
    """Every country's English names and the languages' names for it, folded."""
    names = {_fold(n) for ns in english_country_names().values() for n in ns}
    for language in _added_languages():
        names |= {_fold(n) for n in localized_countries(language)}
    return frozenset(names)


def localized_countries(language: str, skip: frozenset[str] = frozenset()) -> dict[str, str]:
    """Country names in a language -> ISO code, from pycountry's ISO 3166-1 translations
    ("Estados Unidos", "Países Bajos"), without their parenthesised official qualifiers.
    Only names that English does not already use for a country and that name one country
    ("Congo" names two), less `skip` (names the language also gives to towns: "Granada")."""
    import gettext

    import pycountry
    fold = _fold
    tr = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language])
    english = {fold(n) for ns in english_country_names().values() for n in ns}
    found: dict[str, set[str]] = {}
    for c in pycountry.countries:
        for name in {c.name, getattr(c, "common_name", c.name)}:
            local = tr.gettext(name).split(" (")[0].split(",")[0].strip()
            if local and fold(local) not in english and local not in skip:
                found.setdefault(local, set()).add(c.alpha_2)
    return {name: codes.pop() for name, codes in found.items() if len(codes) == 1}


_STRESSED = str.maketrans("áéíóú", "aeiou")


def demonym_forms(word: str) -> set[str]:
    """A Spanish demonym's genders and numbers: "venezolano" -> venezolana, venezolanos,
    venezolanas; "estadounidense" -> +s; "español" -> española, españoles, españolas;
    "alemán" -> alemana, alemanes, alemanas."""
    if word.endswith("o"):
        return {word, word + "s", word[:-1] + "a", word[:-1] + "as"}
    if word.endswith(("e", "í", "ú")):
        return {word, word + "s"}
    plain = word[:-2] + word[-2].translate(_STRESSED) + word[-1]
    return {word, plain + "a", plain + "es", plain + "as"}


def language_demonyms(extra: dict) -> dict[str, str]:
    """A language file's demonyms in all their forms -> ISO code; "china" (Chinese, feminine)
    is also "China": a form that names a country stays one."""
    return {form: code for word, code in extra.get("demonyms", {}).items()
            for form in demonym_forms(word) if _fold(form) not in _country_names()}


def with_languages(places: dict) -> tuple[dict, str]:
    """The main places data with the other languages' added (`<language>/places.yaml`: country
    names from pycountry's locale and the file's aliases, demonyms in all their forms, names
    of international bodies, titles before a person's name, facilities named after a place,
    locative prepositions and the articles between them and a name, people whom places are
    named after, regions that GeoNames lacks, armed groups of one country), and the added files' text (for the gazetteer's
    cache key). The version names each language's: "2026.11.3+es-2026.12.1"."""
    merged: dict = copy.deepcopy(places)
    texts = []
    for language, files in _added_languages().items():
        text = files["places"].read_text(encoding="utf-8")
        texts.append(text)
        extra = parse_yaml(text)
        merged["country_aliases"].update(localized_countries(
            language, frozenset(extra.get("not_country_names", ()))))
        merged["country_aliases"].update(extra.get("country_aliases", {}))
        merged["demonyms"].update(language_demonyms(extra))
        for key in ("international_bodies", "person_titles", "facility_words",
                    "abbreviated_titles", "locative_words", "articles", "people"):
            merged[key] = [*merged.get(key, []), *extra.get(key, [])]
        merged["named_regions"] = {**merged.get("named_regions", {}),
                                   **extra.get("named_regions", {})}
        groups = merged.setdefault("armed_groups", {})
        for code, names in extra.get("armed_groups", {}).items():
            groups[code] = [*groups.get(code, []), *names]
        merged["version"] = f"{merged['version']}+{language}-{extra['version']}"
    return merged, "".join(texts)


def place_words(language: str = "en") -> dict[str, frozenset[str]]:
    """The words the geoparser reads beside the names (`<language>/places.yaml`, `words`:
    prepositions, verbs, place types, street and currency words), each list a set."""
    words = read_yaml(language_files(language)["places"])["words"]
    for key, items in words.items():
        bad = [w for w in items if not isinstance(w, str)]
        if bad:      # YAML reads bare on/no/yes as booleans
            raise ValueError(f"{language}/places.yaml: words.{key}: {bad!r} must be quoted")
    return {key: frozenset(items) for key, items in words.items()}


def contractions(path: Path | str | None = None) -> dict[str, str | None]:
    """The tokenizer's contractions: the letters after an apostrophe -> the word they stand
    for, or None to keep the word before alone. A language file's `contractions` (`path`'s),
    or every language's together (English's: "didn't", "Venezuela's"): the one tokenizer
    reads every language's text."""
    if path is None:
        table: dict[str, str | None] = {}
        for files in language_files().values():
            for suffix, word in contractions(files["events"]).items():
                if table.setdefault(suffix, word) != word:
                    raise ValueError(f"{files['events']}: contractions: {suffix!r} is "
                                     f"{table[suffix]!r} in another language's file")
        return table
    table = read_yaml(path).get("contractions", {})
    bad = {k: v for k, v in table.items()
           if not isinstance(k, str) or not (v is None or isinstance(v, str))}
    if bad:      # YAML reads bare on/no/yes as booleans
        raise ValueError(f"{path}: contractions: {bad!r} must be quoted strings or null")
    return dict(table)


def language_files(language: str | None = None) -> dict:
    """The per-language data beside the main files: `<language>/events.yaml` (lexicons,
    rules, function words) and `<language>/places.yaml` (words beside the names; names and
    demonyms but for English's, which are the main places.yaml's). With a language, its two
    paths; without, {language: paths} for every language there is, English's included."""
    if language is not None:
        folder = FOLDER / language
        return {"events": folder / "events.yaml", "places": folder / "places.yaml"}
    return {d.name: language_files(d.name) for d in sorted(FOLDER.iterdir())
            if (d / "events.yaml").is_file()}


def _added_languages() -> dict:
    """language_files() but for PLACES_LANGUAGE's: the languages whose places files add
    names to the main places.yaml."""
    return {language: files for language, files in language_files().items()
            if language != PLACES_LANGUAGE}
