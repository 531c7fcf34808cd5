"""`newsevents evaluate-incidents`: score the incidents against gold incident identity.

Gold records are `{"id", "incident", "text", "published_at"?, "date"?}`: one article (or
headline) a line, `incident` naming the real-world event it reports (articles with the same
`incident` report one event). `--incident-from-id` takes the incident from ids written
`<incident>-<k>` instead (UCDP's headlines: `<event>-<k>`). The article's time is its `published_at` (RFC 3339), else its
`date` (YYYY-MM-DD, e.g. UCDP's event date), else none (an error). Each article is extracted
as `newsevents run` would, the incidents are found over all of them (newsevents.incidents,
the pipeline's own decision), and an article's incident is the one most of its event rows
fall in (an article without event rows is an incident of its own).

Figures: B-cubed precision, recall and F1 over the articles' incidents (Bagga & Baldwin 1998:
per article, the share of its predicted incident that is its gold incident, and the share of
its gold incident that is its predicted one, averaged), and incident rows per gold incident
(distinct incidents among all the event rows of its articles: 1.0 is one row per event).
For comparison, the B-cubed F1 of counting every article as its own event.
"""
from __future__ import annotations

import argparse
import statistics
from collections import Counter
from datetime import datetime, timezone

from newsevents.commands.evaluate.common import GoldError, add_gold_arguments, score_gold


def _published(r: dict) -> datetime:
    value = r.get("published_at") or r.get("date")
    if not isinstance(value, str):
        raise GoldError(f"record {r.get('id')!r}: needs published_at (RFC 3339) or date "
                        "(YYYY-MM-DD)")
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise GoldError(f"record {r.get('id')!r}: bad published_at/date {value!r}") from None
    return when if when.tzinfo else when.replace(tzinfo=timezone.utc)


def b_cubed(predicted: dict[str, str], gold: dict[str, str]) -> tuple[float, float, float]:
    """Precision, recall, F1 over the items of `gold` (item -> cluster in each)."""
    pred_members: dict[str, set] = {}
    gold_members: dict[str, set] = {}
    for item in gold:
        pred_members.setdefault(predicted[item], set()).add(item)
        gold_members.setdefault(gold[item], set()).add(item)
    p = r = 0.0
    for item in gold:
        pm, gm = pred_members[predicted[item]], gold_members[gold[item]]
        both = len(pm & gm)
        p += both / len(pm)
        r += both / len(gm)
    p, r = p / len(gold), r / len(gold)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def incident_from_id(record: dict) -> dict:
    """The record with `incident` from its id `<incident>-<k>`."""
    incident, sep, _ = str(record["id"]).rpartition("-")
    if not sep or not incident:
        raise GoldError(f"record {record['id']!r}: --incident-from-id needs ids written "
                        "<incident>-<k>")
    return {**record, "incident": incident}


def evaluate(records: list[dict], classifier, geoparser, from_id: bool = False) -> dict:
    from newsevents.events import extract_events
    from newsevents.incidents import find_incidents
    from newsevents.schemas import Article
    gold: dict[str, str] = {}
    rows_of: dict[str, list[dict]] = {}
    texts: dict[str, str] = {}
    for r in records:
        if from_id:
            r = incident_from_id(r)
        elif r.get("incident") in (None, ""):
            raise GoldError(f"record {r['id']!r}: no incident (or give --incident-from-id)")
        if not isinstance(r.get("text"), str) or not r["text"].strip():
            raise GoldError(f"record {r['id']!r}: no text")
        aid = str(r["id"])
        if aid in gold:
            raise GoldError(f"record {aid!r} twice: ids name articles")
        gold[aid] = str(r["incident"])
        texts[aid] = r["text"]
        article = Article(id=aid, text=r["text"], published_at=_published(r),
                          language=r.get("language") or None)
        rows_of[aid] = extract_events(article, classifier, geoparser).rows
    _, ids = find_incidents(row for rows in rows_of.values() for row in rows)
    predicted: dict[str, str] = {}
    incidents_of: dict[str, set[str]] = {}
    for aid, rows in rows_of.items():
        found = [ids[row["event_id"]] for row in rows if ids.get(row["event_id"])]
        if found:
            counts = Counter(found)
            # the most rows; on a tie the first such row's
            predicted[aid] = max(found, key=lambda i: (counts[i], -found.index(i)))
        else:
            predicted[aid] = f"article:{aid}"
        incidents_of.setdefault(gold[aid], set()).update(found)
    p, r, f1 = b_cubed(predicted, gold)
    _, _, f1_articles = b_cubed({a: a for a in gold}, gold)
    per_gold = [len(found) for found in incidents_of.values() if found]
    split = sorted(((len(found), g) for g, found in incidents_of.items() if len(found) > 1),
                   key=lambda x: (-x[0], x[1]))
    golds_of: dict[str, set[str]] = {}
    for aid, inc in predicted.items():
        golds_of.setdefault(inc, set()).add(gold[aid])
    merged = sorted(((len(g), inc) for inc, g in golds_of.items() if len(g) > 1),
                    key=lambda x: (-x[0], x[1]))
    return {
        "articles": len(gold),
        "gold_incidents": len(incidents_of),
        "articles_without_events": sum(1 for rows in rows_of.values() if not rows),
        "incidents": len(set(ids.values()) - {None}),
        "b3_precision": round(p, 4),
        "b3_recall": round(r, 4),
        "b3_f1": round(f1, 4),
        "b3_f1_one_incident_per_article": round(f1_articles, 4),
        "incident_rows_per_gold_incident": round(statistics.mean(per_gold), 3) if per_gold
        else None,
        "_detail": (split, merged, incidents_of, golds_of, predicted, gold, texts),
    }


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_gold_arguments(parser, "{id, incident, text, published_at? or date?}", 5,
                       "gold incidents split into the most incidents, and incidents joining "
                       "the most gold incidents, to print")
    parser.add_argument("--incident-from-id", dest="incident_from_id", action="store_true",
                        help="take each record's incident from its id, written <incident>-<k>")


def run(args: argparse.Namespace) -> int:
    from newsevents.text.classify import Classifier
    from newsevents.text.geoparse import Geoparser
    scored = score_gold(args, lambda records: evaluate(
        records, Classifier(), Geoparser(), args.incident_from_id),
        args.filter + (["incident from id"] if args.incident_from_id else []), needs=("id",))
    if isinstance(scored, int):
        return scored
    result, (split, merged, incidents_of, golds_of, predicted, gold, texts) = scored
    print(f"articles: {result['articles']}   gold incidents: {result['gold_incidents']}   "
          f"incidents found: {result['incidents']}   articles without event rows: "
          f"{result['articles_without_events']}")
    print(f"B-cubed over articles: precision {result['b3_precision']:.3f}   recall "
          f"{result['b3_recall']:.3f}   F1 {result['b3_f1']:.3f}   (one incident per "
          f"article: F1 {result['b3_f1_one_incident_per_article']:.3f})")
    print(f"incident rows per gold incident: {result['incident_rows_per_gold_incident']}")
    for n, g in split[:args.show]:
        print(f"  gold {g}: {n} incidents")
        for aid in sorted(a for a in gold if gold[a] == g)[:4]:
            print(f"      {aid}: {texts[aid][:100]}")
    for n, inc in merged[:args.show]:
        print(f"  incident {inc}: {n} gold incidents")
        for aid in sorted(a for a in predicted if predicted[a] == inc)[:4]:
            print(f"      {aid} ({gold[aid]}): {texts[aid][:100]}")
    return 0
