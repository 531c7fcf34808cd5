"""`newsevents evaluate-rate`: how often the classifier labels sentences in text that should
mostly stay quiet (ordinary news, outbreak reports), per 1,000 sentences.

Most news is not about conflict: a labelled sentence there is almost always a false alarm,
and false alarms from a general news stream would swamp real events in the counts. Records
are `{"id", "text", "language"?, ...}` (any length: each is split into sentences as the
pipeline splits articles, in the record's `language` or the one detected); `--synth N`
instead takes N of `newsevents synth`'s non-event sentences. `--by FIELD` gives the rates per
value of a field (news categories), `--outside` for the records outside some of them.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter

from newsevents.commands.evaluate.common import (GoldError, _as_text, add_gold_arguments,
                                                 load_gold)
from newsevents.taxonomy import LABELS


def classify_text(text: str, classifier, language: str | None = None) -> list[tuple[str, object]]:
    """(sentence, classification) for each sentence of a text, split and classified in its
    language as the pipeline reads an article (the record's own `language` when it gives one,
    as an article's overrides detection)."""
    from newsevents.text.language import detect_language
    from newsevents.text.sentences import split_sentences
    language = language or detect_language(text)
    return [(text[start:end], classifier.classify(text[start:end], language))
            for start, end in split_sentences(text, language)]


def tally(results: list[list[tuple[str, object]]]) -> dict:
    """Sentences, labelled sentences per label (and in all), per 1,000, the triggers and the
    labelled sentences of a group of texts (each a list of classify_text's pairs)."""
    sentences = 0
    labelled: Counter = Counter()
    triggers: dict[str, Counter] = {label: Counter() for label in LABELS}
    examples: dict[str, list[str]] = {label: [] for label in LABELS}
    shown: list[tuple[str, object]] = []        # labelled sentences, in order
    for pairs in results:
        for sentence, result in pairs:
            sentences += 1
            if result.labels:
                labelled["any"] += 1
                shown.append((sentence, result))
            for label in result.labels:
                labelled[label] += 1
                examples[label].append(sentence)
            for e in result.evidence:
                triggers[e.label][e.trigger.lower()] += 1
    per_1000 = {k: round(1000 * labelled[k] / sentences, 1) if sentences else 0.0
                for k in (*LABELS, "any")}
    return {"texts": len(results), "sentences": sentences,
            "labelled": {k: labelled[k] for k in (*LABELS, "any")}, "per_1000": per_1000,
            "triggers": triggers, "examples": examples, "labelled_sentences": shown}


def rates(texts: list[str], classifier, languages: list[str | None] | None = None) -> dict:
    """Sentences, labelled sentences per label (and in all), per 1,000, and the triggers."""
    languages = languages or [None] * len(texts)
    return tally([classify_text(t, classifier, lang) for t, lang in zip(texts, languages)])


NONE_VALUE = "(none)"


def values_of(record: dict, field: str) -> list[str]:
    """A record's values of `field`: each item of a list (a record with several categories
    counts in each), the value itself otherwise; NONE_VALUE when missing or empty."""
    value = record.get(field)
    items = value if isinstance(value, list) else [] if value is None else [value]
    out = sorted({_as_text(v) for v in items if v is not None and v != ""})
    return out or [NONE_VALUE]


def rates_by(records: list[dict], classifier, field: str, outside: set[str] = frozenset(),
             min_records: int = 1) -> dict:
    """Rates per value of `field`, in all, and outside the `outside` values (the records
    having none of them); values with fewer than `min_records` records pooled as others."""
    results = [classify_text(r["text"], classifier, _language(r)) for r in records]
    keys = [values_of(r, field) for r in records]
    counts = Counter(v for vs in keys for v in vs)
    shown = {v for v, n in counts.items() if n >= min_records}
    groups: dict[str, list] = {}
    for vs, res in zip(keys, results):
        for v in vs:
            if v in shown:
                groups.setdefault(v, []).append(res)
    out = {"field": field,
           "values": {v: tally(groups[v]) for v in sorted(groups, key=lambda v: (-counts[v], v))},
           "all": tally(results)}
    others = [res for vs, res in zip(keys, results) if not set(vs) & shown]
    if others:
        out["others"] = tally(others)
        out["others_values"] = len(counts) - len(shown)
        out["min_records"] = min_records
    if outside:
        out["outside"] = tally([res for vs, res in zip(keys, results) if not set(vs) & outside])
        out["outside_values"] = sorted(outside)
    return out


def _language(record: dict) -> str | None:
    value = record.get("language")
    return value.lower() if isinstance(value, str) and value else None


def _rate_line(name: str, t: dict, width: int) -> str:
    return (f"{name[:width]:<{width}}{t['texts']:>8}{t['sentences']:>10}" + "".join(
        f"{t['per_1000'][k]:>9.1f} ({t['labelled'][k]:>3})" for k in (*LABELS, "any")))


def _examples(t: dict, show: int) -> list[str]:
    lines = []
    for sentence, result in t["labelled_sentences"][:show]:
        why = "; ".join(f"{e.label} {e.trigger!r} ({e.rule})" for e in result.evidence)
        lines += [f"    [{why}]", f"      {sentence[:200]}"]
    return lines


def format_rates_by(r: dict, source: str, show: int) -> str:
    width = max([24, *(len(v) + 2 for v in r["values"])])
    width = min(width, 40)
    lines = [f"text: {source}   by: {r['field']}   (labelled sentences per 1,000, and how many; "
             "a record with several values counts in each)",
             f"{r['field'][:width]:<{width}}{'records':>8}{'sentences':>10}" + "".join(
                 f"{k[:14]:>15}" for k in (*LABELS, "any"))]
    for value, t in r["values"].items():
        lines.append(_rate_line(value, t, width))
    if "others" in r:
        lines.append(_rate_line(f"rarer values ({r['others_values']})", r["others"], width))
    lines.append(_rate_line("all", r["all"], width))
    if "outside" in r:
        lines.append(_rate_line("outside", r["outside"], width))
    if "others" in r:
        lines.append(f"  rarer values: the records whose every value has fewer than "
                     f"{r['min_records']} records")
    if "outside" in r:
        lines.append(f"  outside: the records with none of {', '.join(r['outside_values'])}")
    if show:
        groups = [*r["values"].items()]
        if "outside" in r:
            groups.append(("outside", r["outside"]))
        for value, t in groups:
            if t["labelled"]["any"]:
                lines.append(f"\n{value}: {t['labelled']['any']} labelled sentences; "
                             f"showing {min(show, t['labelled']['any'])}")
                lines += _examples(t, show)
    return "\n".join(lines)


def format_rates(r: dict, source: str, show: int) -> str:
    lines = [f"text: {source}   sentences: {r['sentences']}",
             "labelled sentences per 1,000: " + "   ".join(
                 f"{k} {r['per_1000'][k]:.1f} ({r['labelled'][k]})" for k in (*LABELS, "any"))]
    for label in LABELS:
        if r["labelled"][label] and show:
            top = ", ".join(f"{t!r} {n}" for t, n in r["triggers"][label].most_common(8))
            lines.append(f"  {label} triggers: {top}")
            lines += [f"    {s[:150]}" for s in r["examples"][label][:show]]
    return "\n".join(lines)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_gold_arguments(parser, "{id, text}", 0, "labelled sentences to print per label "
                       "(with --by: per value)", required=False)
    parser.add_argument("--synth", type=int, metavar="N",
                        help="score N of `newsevents synth`'s non-event sentences instead")
    from newsevents.commands.synth import LANGUAGES
    parser.add_argument("--language", default="en", choices=sorted(LANGUAGES),
                        help="with --synth: the sentences' language (default en)")
    parser.add_argument("--by", metavar="FIELD",
                        help="rates per value of the records' FIELD (a list counts in each "
                             "of its values), and in all")
    parser.add_argument("--outside", action="append", default=[], metavar="VALUE[,VALUE...]",
                        help="with --by: a line for the records having none of these values "
                             "(repeatable)")
    parser.add_argument("--min-records", type=int, default=1, metavar="N",
                        help="with --by: values of fewer records are pooled in one line "
                             "(default 1: every value)")


def _json(t: dict) -> dict:
    return {k: t[k] for k in ("texts", "sentences", "labelled", "per_1000")}


def run(args: argparse.Namespace) -> int:
    from newsevents.commands.synth import calm_sentences
    from newsevents.text.classify import Classifier
    try:
        if (args.gold is None) == (args.synth is None):
            raise GoldError("give one of --gold FILE and --synth N")
        if args.by is None and (args.outside or args.min_records != 1):
            raise GoldError("--outside and --min-records go with --by FIELD")
        if args.synth is not None and args.by is not None:
            raise GoldError("--by reads the records' fields: give it with --gold")
        if args.min_records < 1:
            raise GoldError("--min-records must be at least 1")
        if args.synth is not None:
            texts = calm_sentences(args.synth, random.Random(1), args.language)
            source = f"synth, {args.synth} non-event sentences ({args.language})"
            r = rates(texts, Classifier())
        else:
            records = load_gold(args)
            if not all(isinstance(rec.get("text"), str) for rec in records):
                raise GoldError("every record needs a text string")
            source = args.gold + (f"  filter: {' '.join(args.filter)}" if args.filter else "")
            if args.by is not None:
                outside = {v for spec in args.outside for v in spec.split(",") if v}
                if args.by not in {k for rec in records for k in rec}:
                    raise GoldError(f"no record in {args.gold} has a field {args.by!r}")
                by = rates_by(records, Classifier(), args.by, outside, args.min_records)
                known = {v for rec in records for v in values_of(rec, args.by)}
                unknown = sorted(outside - known)
                if unknown:
                    raise GoldError(f"--outside: no record has {args.by} {unknown[0]!r}")
                if args.json:
                    out = {"text": source, "by": args.by,
                           "values": {v: _json(t) for v, t in by["values"].items()},
                           "all": _json(by["all"])}
                    for key in ("others", "outside"):
                        if key in by:
                            out[key] = _json(by[key])
                    if "outside" in by:
                        out["outside_values"] = by["outside_values"]
                    print(json.dumps(out, indent=2))
                else:
                    print(format_rates_by(by, source, args.show))
                return 0
            r = rates([rec["text"] for rec in records], Classifier(),
                      [_language(rec) for rec in records])
    except GoldError as e:
        print(f"newsevents: error: {e}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps({k: r[k] for k in ("sentences", "labelled", "per_1000")} | {"text": source},
                         indent=2))
    else:
        print(format_rates(r, source, args.show))
    return 0
