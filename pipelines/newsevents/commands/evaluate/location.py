"""`newsevents evaluate-location`: score each record's event location against a true point.

Gold records are `{"id", "text", "published_at"?, "country_code", "latitude", "longitude"}`
(`lat`, `lon` accepted too; the true place's name, where given, in `place` or
`where_coordinates`): one article, field report or headline with the place where its event
happened. The record's event location is the location of its first sentence with a label,
else of its first sentence, as the pipeline would write it. The classifier decides which
sentence that is, so these figures move with it too.

With `--labelled`, only the records whose event sentence the classifier labels are scored
(a gold set of events, such as UCDP's headlines: the location of an event the pipeline does
not report is never written). `--distance-filter FIELD=V1,V2` scores distances only on the
records whose true point is that precise (UCDP's `where_prec=1,2`); the country and "no
location" count every scored record. A line that is no JSON object or a record without an
`id` is skipped with one warning line naming its line number.
"""
from __future__ import annotations

import argparse
import statistics
from datetime import datetime, timezone
from typing import NamedTuple

from newsevents.commands.evaluate.common import (GoldError, add_gold_arguments, matches,
                                                 parse_filters, score_gold)
from newsevents.commands.evaluate.geo import haversine_km

NEAR_KM = 25.0
REGION_KM = 161.0
# a record without a date still needs one to be an Article; no figure depends on it
UNDATED = datetime(2000, 1, 1, tzinfo=timezone.utc)
# where a gold record names its true place
PLACE_FIELDS = ("place", "where_coordinates", "location_name")


def _truth(r: dict) -> tuple[str, float, float]:
    lat, lon = r.get("latitude", r.get("lat")), r.get("longitude", r.get("lon"))
    code = r.get("country_code")
    if not (isinstance(r.get("text"), str) and r["text"].strip() and isinstance(code, str)
            and isinstance(lat, (int, float)) and isinstance(lon, (int, float))):
        raise GoldError(f"record {r.get('id')!r}: needs text, country_code, latitude and "
                        "longitude")
    return code.upper(), float(lat), float(lon)


def _true_name(r: dict) -> str | None:
    return next((r[f] for f in PLACE_FIELDS if isinstance(r.get(f), str) and r[f]), None)


def event_row(article, classifier, geoparser) -> dict | None:
    """The row whose location stands for the article's event."""
    from newsevents.events import extract_events
    rows = extract_events(article, classifier, geoparser, keep_all=True).rows
    return next((row for row in rows if row["labels"]), rows[0] if rows else None)


class Miss(NamedTuple):
    id: str
    sentence: str
    true_code: str
    true_name: str | None
    got: str            # the chosen place, or "-" for none


def evaluate(records: list[dict], classifier, geoparser, labelled_only: bool = False,
             distance_filters=()) -> dict:
    from newsevents.schemas import Article
    right_country = no_location = unlabelled = scored = 0
    errors: list[float] = []
    wrong: list[Miss] = []
    for n, r in enumerate(records):
        code, lat, lon = _truth(r)
        published = r.get("published_at")
        article = Article(id=str(r.get("id", n)), text=r["text"],
                          published_at=datetime.fromisoformat(published.replace("Z", "+00:00"))
                          if isinstance(published, str) else UNDATED)
        row = event_row(article, classifier, geoparser)
        if labelled_only and not (row and row["labels"]):
            unlabelled += 1
            continue
        scored += 1
        sentence = row["text"] if row else ""
        precise = matches(r, distance_filters)
        if row is None or row["latitude"] is None:
            no_location += 1
            if precise:
                errors.append(float("inf"))
            wrong.append(Miss(article.id, sentence, code, _true_name(r), "-"))
            continue
        right_country += row["country_code"] == code
        km = haversine_km(row["latitude"], row["longitude"], lat, lon)
        if precise:
            errors.append(km)
        if row["country_code"] != code or (precise and km > NEAR_KM):
            wrong.append(Miss(article.id, sentence, code, _true_name(r),
                              f"{row['location_name']} ({row['country_code']}, "
                              f"{row['location_precision']}, {km:,.0f} km)"))
    if not scored:
        raise GoldError("no record's event sentence is labelled: nothing to score")
    median = statistics.median(errors) if errors else float("inf")
    return {
        "records": len(records),
        "scored": scored,
        "unlabelled": unlabelled,
        "country_accuracy": round(right_country / scored, 4),
        "no_location": round(no_location / scored, 4),
        # distances on the records whose true point is precise (all without a filter); no
        # location counts as infinitely far
        "distance_records": len(errors),
        "within_25km": round(sum(e <= NEAR_KM for e in errors) / len(errors), 4) if errors
        else None,
        "within_161km": round(sum(e <= REGION_KM for e in errors) / len(errors), 4) if errors
        else None,
        "median_km": round(median, 1) if median != float("inf") else None,
        "_detail": wrong,
    }


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_gold_arguments(parser, "{id, text, published_at?, country_code, latitude, longitude}",
                       10, "records with a wrong country or more than 25 km off to print, "
                           "with the sentence, the place chosen and the true place")
    parser.add_argument("--labelled", action="store_true",
                        help="score only the records whose event sentence the classifier "
                             "labels")
    parser.add_argument("--distance-filter", action="append", default=[],
                        metavar="FIELD=V1,V2",
                        help="score distances only on the records whose FIELD is one of the "
                             "values (e.g. where_prec=1,2)")


def run(args: argparse.Namespace) -> int:
    from newsevents.text.classify import Classifier
    from newsevents.text.geoparse import Geoparser
    filters = args.filter + (["labelled"] if args.labelled else []) + [
        f"distances:{d}" for d in args.distance_filter]
    try:
        distance_filters = parse_filters(args.distance_filter)
    except GoldError as e:
        import sys
        print(f"newsevents: error: {e}", file=sys.stderr)
        return 2
    scored = score_gold(args, lambda records: evaluate(
        records, Classifier(), Geoparser(), args.labelled, distance_filters),
        filters, skip_bad=True, needs=("id",))
    if isinstance(scored, int):
        return scored
    result, wrong = scored
    labelled = (f" ({result['scored']} labelled)" if args.labelled else "")
    print(f"records: {result['records']}{labelled}   country right "
          f"{result['country_accuracy']:.3f}   no location {result['no_location']:.3f}")
    if result["distance_records"]:
        print(f"distances on {result['distance_records']} records: within 25 km "
              f"{result['within_25km']:.3f}   within 161 km {result['within_161km']:.3f}   "
              f"median {result['median_km']} km")
    for miss in wrong[:args.show]:
        true = f"{miss.true_name} ({miss.true_code})" if miss.true_name else miss.true_code
        print(f"  {miss.id}: true {true}, got {miss.got}\n      {miss.sentence}")
    return 0
