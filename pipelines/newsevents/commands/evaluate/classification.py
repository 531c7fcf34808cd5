"""`newsevents evaluate`: score the event classifier against a gold file of sentences.

Gold records are `{"id", "text", "labels"}`; `[]` or `["none"]` mean no event. Each record
is classified as one unit, exactly as the pipeline classifies a sentence, in the language
detected as the pipeline detects an article's; where the gold gives its `lang`, the report
says how often detection agreed.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import dataclass, field

from newsevents.commands.evaluate.common import GoldError, add_gold_arguments, load_gold
from newsevents.taxonomy import LABELS
from newsevents.text.language import detect_language

NONE = "none"


@dataclass
class Scored:
    id: str
    text: str
    gold: frozenset[str]
    predicted: frozenset[str]
    result: object
    language: str = "en"


@dataclass
class Report:
    records: list[Scored]
    version: str
    seconds: float
    per_label: dict[str, dict[str, float]] = field(default_factory=dict)
    micro: dict[str, float] = field(default_factory=dict)
    macro_f1: float = 0.0
    exact_match: float = 0.0
    confusion: dict[str, dict[str, int]] = field(default_factory=dict)
    # records whose gold `lang` detection agreed with, of those that give one
    language_agreed: int = 0
    language_given: int = 0


def gold_labels(record: dict) -> frozenset[str]:
    labels = record.get("labels")
    if not isinstance(labels, list) or not all(isinstance(x, str) for x in labels):
        raise GoldError(f"record {record.get('id')!r}: labels must be a list of strings")
    out = frozenset(x for x in labels if x != NONE)
    unknown = out - set(LABELS)
    if unknown:
        raise GoldError(f"record {record.get('id')!r}: unknown label(s) {sorted(unknown)}; "
                        f"expected {', '.join(LABELS)} or none")
    return out


def _prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4),
            "tp": tp, "fp": fp, "fn": fn, "support": tp + fn}


def score(records: list[Scored]) -> tuple[dict, dict, float, float, dict]:
    """Per-label and micro P/R/F1, macro F1, exact-match share, and a confusion table."""
    per_label = {}
    totals = [0, 0, 0]
    for label in LABELS:
        tp = sum(1 for r in records if label in r.gold and label in r.predicted)
        fp = sum(1 for r in records if label not in r.gold and label in r.predicted)
        fn = sum(1 for r in records if label in r.gold and label not in r.predicted)
        per_label[label] = _prf(tp, fp, fn)
        totals = [totals[0] + tp, totals[1] + fp, totals[2] + fn]
    micro = _prf(*totals)
    seen = [v for v in per_label.values() if v["support"] or v["fp"]]   # labels in play
    macro = round(sum(v["f1"] for v in seen) / len(seen), 4) if seen else 0.0
    exact = round(sum(r.gold == r.predicted for r in records) / len(records), 4) if records else 0.0
    confusion = {g: {p: 0 for p in (*LABELS, NONE)} for g in (*LABELS, NONE)}
    for r in records:
        for g in r.gold or {NONE}:
            for p in r.predicted or {NONE}:
                confusion[g][p] += 1
    return per_label, micro, macro, exact, confusion


def evaluate(gold: list[dict], classifier) -> Report:
    scored = []
    for record in gold:
        text = record.get("text")
        if not isinstance(text, str):
            raise GoldError(f"record {record.get('id')!r}: text must be a string")
        labels = gold_labels(record)
        language = detect_language(text)
        result = classifier.classify(text, language)
        scored.append(Scored(str(record.get("id")), text, labels, frozenset(result.labels),
                             result, language))
    # Speed from a second pass: the first pays the interpreter's and allocator's warm-up,
    # which a small gold file would otherwise make look like the classifier's own cost.
    start = time.perf_counter()
    for r in scored:
        classifier.classify(r.text, r.language)
    seconds = time.perf_counter() - start
    report = Report(scored, classifier.version, seconds)
    given = [(record.get("lang"), r.language) for record, r in zip(gold, scored)
             if isinstance(record.get("lang"), str)]
    report.language_given = len(given)
    report.language_agreed = sum(lang == detected for lang, detected in given)
    (report.per_label, report.micro, report.macro_f1, report.exact_match,
     report.confusion) = score(scored)
    return report


def as_json(report: Report, path: str, filters: list[str]) -> dict:
    return {"gold": path, "filters": filters, "records": len(report.records),
            "classifier": report.version, "per_label": report.per_label,
            "micro": report.micro, "macro_f1": report.macro_f1,
            "exact_match": report.exact_match, "confusion": report.confusion,
            "language_detection": {"agreed": report.language_agreed,
                                   "given": report.language_given},
            "sentences_per_second": round(len(report.records) / report.seconds)
            if report.seconds else None}


def _errors(report: Report, n: int) -> list[str]:
    lines = []
    fps = [(r, lab) for r in report.records for lab in sorted(r.predicted - r.gold)]
    fns = [(r, lab) for r in report.records for lab in sorted(r.gold - r.predicted)]
    for title, items, false_positive in (("false positives", fps, True),
                                          ("false negatives", fns, False)):
        lines.append(f"\n{title} ({len(items)}; showing {min(n, len(items))}):")
        for r, label in items[:n]:
            gold = ",".join(sorted(r.gold)) or NONE
            lines.append(f"  [{label}] {r.id}  gold={gold}")
            lines.append(f"    {r.text[:160]}")
            if false_positive:
                why = [f"{e.trigger!r} ({e.rule})" for e in r.result.evidence if e.label == label]
                lines.append(f"    evidence: {'; '.join(why)}")
            else:
                flags = [f"{f.trigger!r} {f.kind} ({f.rule})" for f in r.result.flags
                         if f.label == label]
                lines.append(f"    flags: {'; '.join(flags) or 'no trigger found'}")
    return lines


def format_report(report: Report, path: str, filters: list[str], show: int) -> str:
    n = len(report.records)
    rate = n / report.seconds if report.seconds else 0
    lines = [f"gold: {path}" + (f"  filter: {' '.join(filters)}" if filters else ""),
             f"records: {n}   classifier: {report.version}   {rate:,.0f} sentences/s", "",
             f"{'label':<14}{'P':>7}{'R':>7}{'F1':>7}{'support':>9}{'TP':>6}{'FP':>6}{'FN':>6}"]
    for label, v in report.per_label.items():
        lines.append(f"{label:<14}{v['precision']:>7.3f}{v['recall']:>7.3f}{v['f1']:>7.3f}"
                     f"{v['support']:>9}{v['tp']:>6}{v['fp']:>6}{v['fn']:>6}")
    m = report.micro
    lines += [f"{'micro':<14}{m['precision']:>7.3f}{m['recall']:>7.3f}{m['f1']:>7.3f}"
              f"{m['support']:>9}{m['tp']:>6}{m['fp']:>6}{m['fn']:>6}",
              f"macro F1 {report.macro_f1:.3f} (labels present in gold or output)   exact match {report.exact_match:.3f}"]
    if report.language_given:
        lines.append(f"language detected as the gold's lang: {report.language_agreed} of "
                     f"{report.language_given} "
                     f"({report.language_agreed / report.language_given:.3f})")
    lines += ["",
              "confusion (rows gold, columns predicted; a multi-label record counts per pair):",
              f"{'':<14}" + "".join(f"{c[:10]:>11}" for c in (*LABELS, NONE))]
    for g, row in report.confusion.items():
        lines.append(f"{g:<14}" + "".join(f"{row[c]:>11}" for c in (*LABELS, NONE)))
    lines += _errors(report, show)
    return "\n".join(lines)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_gold_arguments(parser, "{id, text, labels}", 5, "false positives and negatives to print")


def run(args: argparse.Namespace) -> int:
    from newsevents.text.classify import Classifier
    try:
        report = evaluate(load_gold(args), Classifier())
    except GoldError as e:
        print(f"newsevents: error: {e}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(as_json(report, args.gold, args.filter), indent=2))
    else:
        print(format_report(report, args.gold, args.filter, args.show))
    return 0
