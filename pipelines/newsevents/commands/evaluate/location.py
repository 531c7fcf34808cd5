"""`newsevents evaluate-location`: score each record's event location against a true point.

Gold records are `{"id", "text", "published_at"?, "country_code", "latitude", "longitude"}`
(`lat`, `lon` accepted too): one article or field report with the place where its event
happened. The record's event location is the location of its first sentence with a label,
else of its first sentence, as the pipeline would write it. The classifier decides which
sentence that is, so these figures move with it too.
"""
from __future__ import annotations

import argparse
import statistics
from datetime import datetime, timezone

from newsevents.commands.evaluate.common import GoldError, add_gold_arguments, score_gold
from newsevents.commands.evaluate.geo import haversine_km

NEAR_KM = 25.0
REGION_KM = 161.0
# a record without a date still needs one to be an Article; no figure depends on it
UNDATED = datetime(2000, 1, 1, tzinfo=timezone.utc)


def _truth(r: dict) -> tuple[str, float, float]:
    lat, lon = r.get("latitude", r.get("lat")), r.get("longitude", r.get("lon"))
    code = r.get("country_code")
    if not (isinstance(r.get("text"), str) and r["text"].strip() and isinstance(code, str)
            and isinstance(lat, (int, float)) and isinstance(lon, (int, float))):
        raise GoldError(f"record {r.get('id')!r}: needs text, country_code, latitude and "
                        "longitude")
    return code.upper(), float(lat), float(lon)


def event_row(article, classifier, geoparser) -> dict | None:
    """The row whose location stands for the article's event."""
    from newsevents.events import extract_events
    rows = extract_events(article, classifier, geoparser, keep_all=True).rows
    return next((row for row in rows if row["labels"]), rows[0] if rows else None)


def evaluate(records: list[dict], classifier, geoparser) -> dict:
    from newsevents.schemas import Article
    right_country = no_location = 0
    errors: list[float] = []
    wrong: list[tuple[str, str, str]] = []
    for n, r in enumerate(records):
        code, lat, lon = _truth(r)
        published = r.get("published_at")
        article = Article(id=str(r.get("id", n)), text=r["text"],
                          published_at=datetime.fromisoformat(published.replace("Z", "+00:00"))
                          if isinstance(published, str) else UNDATED)
        row = event_row(article, classifier, geoparser)
        if row is None or row["latitude"] is None:
            no_location += 1
            errors.append(float("inf"))
            wrong.append((article.id, code, "-"))
            continue
        right_country += row["country_code"] == code
        errors.append(haversine_km(row["latitude"], row["longitude"], lat, lon))
        if row["country_code"] != code or errors[-1] > NEAR_KM:
            wrong.append((article.id, code, f"{row['location_name']} ({row['country_code']}, "
                                            f"{row['location_precision']}, "
                                            f"{errors[-1]:,.0f} km)"))
    total = len(records)
    median = statistics.median(errors)
    return {
        "records": total,
        "country_accuracy": round(right_country / total, 4),
        "within_25km": round(sum(e <= NEAR_KM for e in errors) / total, 4),
        "within_161km": round(sum(e <= REGION_KM for e in errors) / total, 4),
        # no location counts as infinitely far
        "median_km": round(median, 1) if median != float("inf") else None,
        "no_location": round(no_location / total, 4),
        "_detail": wrong,
    }


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_gold_arguments(parser, "{id, text, published_at?, country_code, latitude, longitude}",
                       10, "records with a wrong country or more than 25 km off to print")


def run(args: argparse.Namespace) -> int:
    from newsevents.text.classify import Classifier
    from newsevents.text.geoparse import Geoparser
    scored = score_gold(args, lambda records: evaluate(records, Classifier(), Geoparser()),
                        args.filter)
    if isinstance(scored, int):
        return scored
    result, wrong = scored
    print(f"records: {result['records']}   country right {result['country_accuracy']:.3f}   "
          f"within 25 km {result['within_25km']:.3f}   within 161 km "
          f"{result['within_161km']:.3f}   median {result['median_km']} km   "
          f"no location {result['no_location']:.3f}")
    for rid, code, got in wrong[:args.show]:
        print(f"  {rid}: true {code}, got {got}")
    return 0
