"""`newsevents evaluate`: score the event classifier against a gold file of sentences.

Gold records are `{"id", "text", "labels"}`; `[]` or `["none"]` mean no event. Each record
is classified as one unit, exactly as the pipeline classifies a sentence, in the language
detected as the pipeline detects an article's; where the gold gives its `lang`, the report
says how often detection agreed. The figures are given per detected language as well
(`--language` keeps one), and `--vetoes` lists the triggers that did not count on the records
whose gold label was missed: per rule, kind and deciding word, with examples.

Optional gold fields `killed`, `injured` (the sentence's own figures) and `deaths` (an event's
toll from elsewhere, UCDP's best estimate, which the sentence need not state) are compared with
the figures the pipeline reads (text/casualties.py, on the records it labels violence): for
`killed` and `injured` the share equal of the records that give the field, and of those
where a figure was read (for `deaths`, the share to read: those where the sentence states a
number of dead), and how often a figure is read where the gold's field is null. Optional
`actor1_type` and `actor2_type` (actors of force) and `actor1_country` and `actor2_country`
(a state's ISO code: the parties of diplomacy and aid, the country of a force) are compared
in the same way with the actors text/actors.py reads; with UCDP's `side_a` and `side_b`
(GED), the actor types of violence rows are checked against the types the sides can have.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
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
    # detected language -> its records' micro figures and per-label recall
    by_language: dict[str, dict] = field(default_factory=dict)
    language: str | None = None         # the records kept: those detected as this language
    # gold figure field -> {given, read, equal}: agreement of the casualty figures
    figures: dict[str, dict] = field(default_factory=dict)


FIGURES = (("killed", "killed"), ("injured", "injured"), ("deaths", "killed"))
# gold field -> (role, the actor's field): types for actors of force, countries for parties
ACTOR_FIELDS = {"actor1_type": ("actor1", "type"), "actor2_type": ("actor2", "type"),
                "actor1_country": ("actor1", "country_code"),
                "actor2_country": ("actor2", "country_code")}


class Details:
    """The casualty figures and actors the pipeline would write for each record's row,
    read once per record however many gold fields ask for them."""

    def __init__(self, scored: list[Scored], taxonomies: dict | None = None):
        self.scored, self.taxonomies = scored, taxonomies or {}
        self._read: dict[int, tuple] = {}

    def __getitem__(self, i: int) -> tuple:
        if i not in self._read:
            from newsevents.events import casualties_and_actors
            from newsevents.text.classify import tokenize
            r = self.scored[i]
            self._read[i] = casualties_and_actors(r.text, tokenize(r.text), r.result,
                                                  r.language,
                                                  taxonomy=self.taxonomies.get(r.language))
        return self._read[i]


def actor_agreement(gold: list[dict], details: Details) -> dict[str, dict]:
    """For each actor field the records give (ACTOR_FIELDS): how many name a value (given),
    how many of those the pipeline gave one (read), how many equal, and how often it gave
    one where the gold's is null (spurious)."""
    out: dict[str, dict] = {}
    for name, (role, attribute) in ACTOR_FIELDS.items():
        given = read_n = equal = spurious = 0
        for i, record in enumerate(gold):
            if name not in record:
                continue
            actor = next((a for a in details[i][1] if a.role == role), None)
            ours = getattr(actor, attribute) if actor is not None else None
            if record[name] is None:
                spurious += ours is not None
                continue
            given += 1
            if ours is not None:
                read_n += 1
                equal += ours == record[name]
        if given:
            out[name] = {"given": given, "read": read_n, "equal": equal, "spurious": spurious,
                         "equal_of_given": round(equal / given, 3),
                         "equal_of_read": round(equal / read_n, 3) if read_n else None}
    return out


# UCDP's sides (GED's side_a and side_b) -> the ACLED types an actor of its event can have:
# a government's forces (its own or abroad) or a non-state armed group used force; civilians
# are among the dead of every kind of UCDP violence, so they may be actor2 but never actor1
NON_STATE = frozenset({"rebels", "political_militia", "identity_militia"})


def ucdp_types(record: dict, role: str) -> frozenset[str]:
    types: set[str] = set() if role == "actor1" else {"civilians"}
    for side in (record.get("side_a"), record.get("side_b")):
        if not isinstance(side, str) or not side or side == "Civilians":
            continue
        types |= {"state_forces", "external"} if side.startswith("Government of") else NON_STATE
    return frozenset(types)


def side_agreement(gold: list[dict], details: Details) -> dict[str, dict]:
    """Where the records give UCDP's sides (`side_a`, `side_b`): of the violence rows the
    pipeline writes, how many type an actor, and per role how many of the types are ones
    the event's sides can have (ucdp_types). A loose check: a headline's actor need not be
    a side, and UCDP's sides are the conflict's, not always the words of the headline."""
    rows = with_type = 0
    typed = {"actor1": 0, "actor2": 0}
    consistent = {"actor1": 0, "actor2": 0}
    for i, (record, r) in enumerate(zip(gold, details.scored)):
        if "side_a" not in record or "violence" not in r.predicted:
            continue
        rows += 1
        actors = [a for a in details[i][1] if a.type is not None]
        with_type += bool(actors)
        for a in actors:
            typed[a.role] += 1
            consistent[a.role] += a.type in ucdp_types(record, a.role)
    if not rows:
        return {}
    return {"actor_types_vs_sides": {"rows": rows, "with_type": with_type, **{
        f"{role}_{k}": v for role in typed for k, v in (
            ("typed", typed[role]), ("consistent", consistent[role]),
            ("consistent_of_typed", round(consistent[role] / typed[role], 3)
             if typed[role] else None))}}}


def figure_agreement(gold: list[dict], details: Details) -> dict[str, dict]:
    """For each gold figure field the records give (an integer): how many give it, how many
    the pipeline read a figure for, and how many of those are equal."""
    out: dict[str, dict] = {}
    for name, ours in FIGURES:
        given = read_n = equal = spurious = 0
        for i, record in enumerate(gold):
            if name not in record:
                continue
            value = record[name]
            found = getattr(details[i][0], ours)
            if value is None:       # the gold says the sentence states no such figure
                spurious += found is not None
                continue
            if not isinstance(value, int) or isinstance(value, bool):
                continue
            given += 1
            if found is not None:
                read_n += 1
                equal += found == value
        if given:
            out[name] = {"given": given, "read": read_n, "equal": equal,
                         # a figure read where the gold says the sentence states none
                         "spurious": spurious,
                         "equal_of_given": round(equal / given, 3),
                         "equal_of_read": round(equal / read_n, 3) if read_n else None}
    return out


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


def by_language(records: list[Scored]) -> dict[str, dict]:
    """Each detected language's records scored alone, the most frequent language first."""
    counts = Counter(r.language for r in records)
    out = {}
    for language, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        subset = [r for r in records if r.language == language]
        per_label, micro, _, _, _ = score(subset)
        out[language] = {"records": n, **micro,
                         "label_recall": {label: v["recall"] for label, v in per_label.items()
                                    if v["support"]}}
    return out


def evaluate(gold: list[dict], classifier, language: str | None = None) -> Report:
    """Score the gold records (those detected as `language`, when given)."""
    scored = []
    for record in gold:
        text = record.get("text")
        if not isinstance(text, str):
            raise GoldError(f"record {record.get('id')!r}: text must be a string")
        labels = gold_labels(record)
        detected = detect_language(text)
        result = classifier.classify(text, detected)
        scored.append(Scored(str(record.get("id")), text, labels, frozenset(result.labels),
                             result, detected))
    if language is not None:
        kept = [(record, r) for record, r in zip(gold, scored) if r.language == language]
        if not kept:
            raise GoldError(f"no record is detected as {language!r} (detected: " + ", ".join(
                f"{k} {n}" for k, n in Counter(r.language for r in scored).most_common(5))
                + ")")
        gold, scored = [k[0] for k in kept], [k[1] for k in kept]
    # Speed from a second pass: the first pays the interpreter's and allocator's warm-up,
    # which a small gold file would otherwise make look like the classifier's own cost.
    start = time.perf_counter()
    for r in scored:
        classifier.classify(r.text, r.language)
    seconds = time.perf_counter() - start
    report = Report(scored, classifier.version, seconds, language=language)
    given = [(record.get("lang"), r.language) for record, r in zip(gold, scored)
             if isinstance(record.get("lang"), str)]
    report.language_given = len(given)
    report.language_agreed = sum(lang == detected for lang, detected in given)
    (report.per_label, report.micro, report.macro_f1, report.exact_match,
     report.confusion) = score(scored)
    report.by_language = by_language(scored)
    details = Details(scored, getattr(classifier, "taxonomies", {}))
    report.figures = figure_agreement(gold, details)
    report.figures.update(actor_agreement(gold, details))
    report.figures.update(side_agreement(gold, details))
    return report


def vetoes(report: Report, classifier, examples: int = 3) -> dict:
    """The triggers that did not count on the records whose gold label was missed: each flag
    of the missed label, per rule and kind, with what decided (its cue; for a rule whose
    needs were missing, which), and up to `examples` records for each."""
    from newsevents.commands.explain import RuleView, flag_detail
    from newsevents.text.classify import tokenize
    views: dict[str, RuleView] = {}
    misses = without = 0
    kinds: Counter = Counter()
    groups: dict[tuple[str, str], dict] = {}
    for r in report.records:
        missed = r.gold - r.predicted
        if not missed:
            continue
        tokens = None
        has_rules = r.language in getattr(classifier, "taxonomies", {})
        if has_rules and r.language not in views:
            views[r.language] = RuleView(r.language)
        for label in sorted(missed):
            misses += 1
            # one per rule, kind and stretch of words (two patterns of a rule may match it)
            flags = {(f.rule, f.kind, f.start, f.end): f for f in r.result.flags
                     if f.label == label}
            if not flags:
                without += 1
                continue
            for f in flags.values():
                detail = {}
                if has_rules and f.kind in ("context", "sense"):
                    tokens = tokens if tokens is not None else tokenize(r.text)
                    detail = flag_detail(f._asdict(), views[r.language], r.text, tokens)
                decided = ("needs missing: " + "; ".join(detail.get("missing") or ["?"])
                           if f.kind == "context" else repr(f.cue.lower()) if f.cue else "?")
                kinds[f.kind] += 1
                g = groups.setdefault((f.rule, f.kind), {
                    "rule": f.rule, "kind": f.kind, "flags": 0, "decided": Counter(),
                    "examples": []})
                g["flags"] += 1
                g["decided"][decided] += 1
                if len(g["examples"]) < examples:
                    g["examples"].append({"id": r.id, "trigger": f.trigger, "cue": f.cue,
                                          **detail, "text": r.text})
    rules = sorted(groups.values(), key=lambda g: (-g["flags"], g["rule"], g["kind"]))
    for g in rules:
        g["decided"] = dict(g["decided"].most_common())
    return {"misses": misses, "with_flag": misses - without, "without_flag": without,
            "by_kind": dict(kinds.most_common()), "by_rule": rules}


def format_vetoes(v: dict) -> list[str]:
    lines = ["", f"vetoed triggers on the missed labels: {v['misses']} misses, "
                 f"{v['with_flag']} with a flag of the missed label, {v['without_flag']} "
                 "with none (no trigger found)"]
    if not v["by_rule"]:
        return lines
    lines += ["  flags by kind: " + ", ".join(f"{k} {n}" for k, n in v["by_kind"].items()),
              f"  {'flags':>6}  {'rule':<32}{'kind':<13}decided by (count)"]
    for g in v["by_rule"]:
        top = list(g["decided"].items())
        shown = ", ".join(f"{d} {n}" for d, n in top[:6])
        more = f", ... {len(top) - 6} more" if len(top) > 6 else ""
        lines.append(f"  {g['flags']:>6}  {g['rule']:<32}{g['kind']:<13}{shown}{more}")
    lines.append("  examples:")
    for g in v["by_rule"]:
        for x in g["examples"]:
            why = ("needs missing: " + "; ".join(x.get("missing") or ["?"])
                   if g["kind"] == "context" else f"decided by {x['cue']!r}"
                   + (f" (unless {x['unless']})" if x.get("unless") else ""))
            lines.append(f"    {g['rule']} {g['kind']}  [{x['id']}] {x['trigger']!r} {why}")
            lines.append(f"      {x['text'][:160]}")
    return lines


def as_json(report: Report, path: str, filters: list[str]) -> dict:
    return {"gold": path, "filters": filters, "language": report.language,
            "records": len(report.records),
            "classifier": report.version, "per_label": report.per_label,
            "micro": report.micro, "macro_f1": report.macro_f1,
            "exact_match": report.exact_match, "confusion": report.confusion,
            "language_detection": {"agreed": report.language_agreed,
                                   "given": report.language_given},
            "by_language": report.by_language,
            "figures": report.figures,
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
                flags = [f"{f.trigger!r} {f.kind} ({f.rule})"
                         + (f" by {f.cue!r}" if getattr(f, "cue", "") else "")
                         for f in r.result.flags if f.label == label]
                lines.append(f"    flags: {'; '.join(flags) or 'no trigger found'}")
    return lines


LANGUAGES_SHOWN = 6     # the most frequent detected languages listed; the rest pooled


def format_by_language(report: Report) -> list[str]:
    """Micro figures and each gold label's recall, overall and per detected language."""
    if len(report.by_language) == 1:        # the table would repeat the figures above
        return [f"detected language: {next(iter(report.by_language))} (every record)"]
    labels = [label for label, v in report.per_label.items() if v["support"]]
    rows = [("all", len(report.records), report.micro,
             {label: report.per_label[label]["recall"] for label in labels})]
    langs = list(report.by_language.items())
    for language, v in langs[:LANGUAGES_SHOWN]:
        rows.append((language, v["records"], v, v["label_recall"]))
    rest = [r for r in report.records
            if r.language not in dict(langs[:LANGUAGES_SHOWN])]
    if rest:
        per_label, micro, _, _, _ = score(rest)
        rows.append((f"other ({len(langs) - LANGUAGES_SHOWN})", len(rest), micro,
                     {label: per_label[label]["recall"] for label in labels
                      if per_label[label]["support"]}))
    lines = ["", "by detected language (micro P/R/F1; recall of each gold label):",
             f"{'language':<14}{'records':>8}{'P':>7}{'R':>7}{'F1':>7}"
             + "".join(f"{'R ' + label[:10]:>14}" for label in labels)]
    for name, n, m, recall in rows:
        lines.append(f"{name:<14}{n:>8}{m['precision']:>7.3f}{m['recall']:>7.3f}"
                     f"{m['f1']:>7.3f}" + "".join(
                         f"{recall[label]:>14.3f}" if label in recall else f"{'-':>14}"
                         for label in labels))
    return lines


def format_report(report: Report, path: str, filters: list[str], show: int) -> str:
    n = len(report.records)
    rate = n / report.seconds if report.seconds else 0
    kept = f"   detected as: {report.language}" if report.language else ""
    lines = [f"gold: {path}" + (f"  filter: {' '.join(filters)}" if filters else "") + kept,
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
    lines += format_by_language(report)
    if report.figures:
        lines += ["", "casualty figures and actors (gold field: records giving it, read "
                  "one, equal; deaths compared where the sentence states a number):"]
        for name, v in report.figures.items():
            if name == "actor_types_vs_sides":
                lines.append(f"  actor types against UCDP's sides: {v['with_type']} of "
                             f"{v['rows']} violence rows type an actor; " + "; ".join(
                                 f"{role} {v[role + '_consistent']} of {v[role + '_typed']} "
                                 "can be a side's" for role in ("actor1", "actor2")))
                continue
            of_read = f"{v['equal_of_read']:.3f}" if v["read"] else "-"
            lines.append(f"  {name:<15}given {v['given']:>6}  read {v['read']:>6}  "
                         f"equal {v['equal']:>6}  ({v['equal_of_given']:.3f} of given, "
                         f"{of_read} of read)  read where the gold has none {v['spurious']}")
    lines += ["",
              "confusion (rows gold, columns predicted; a multi-label record counts per pair):",
              f"{'':<14}" + "".join(f"{c[:10]:>11}" for c in (*LABELS, NONE))]
    for g, row in report.confusion.items():
        lines.append(f"{g:<14}" + "".join(f"{row[c]:>11}" for c in (*LABELS, NONE)))
    lines += _errors(report, show)
    return "\n".join(lines)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_gold_arguments(parser, "{id, text, labels}", 5, "false positives and negatives to print "
                       "(with --vetoes: examples per rule and kind too)")
    parser.add_argument("--language", metavar="CODE",
                        help="score only the records detected as this language (en, es, ...)")
    parser.add_argument("--vetoes", action="store_true",
                        help="list the triggers that did not count on the records whose gold "
                             "label was missed: per rule, kind and deciding word, with examples")


def run(args: argparse.Namespace) -> int:
    from newsevents.text.classify import Classifier
    try:
        if args.language is not None and not re.fullmatch(r"[a-z]{2,3}", args.language):
            raise GoldError(f"bad --language {args.language!r}: expected an ISO 639-1 code "
                            "such as en or es")
        classifier = Classifier()
        report = evaluate(load_gold(args), classifier, args.language)
    except GoldError as e:
        print(f"newsevents: error: {e}", file=sys.stderr)
        return 2
    found = vetoes(report, classifier, args.show) if args.vetoes else None
    if args.json:
        out = as_json(report, args.gold, args.filter)
        if found is not None:
            out["vetoes"] = found
        print(json.dumps(out, indent=2))
    else:
        print(format_report(report, args.gold, args.filter, args.show))
        if found is not None:
            print("\n".join(format_vetoes(found)))
    return 0
