"""`newsevents evaluate-rate`: how often the classifier labels sentences in text that should
mostly stay quiet (ordinary news, outbreak reports), per 1,000 sentences.

Most news is not about conflict: a labelled sentence there is almost always a false alarm,
and false alarms from a general news stream would swamp real events in the counts. Records
are `{"id", "text", ...}` (any length: each is split into sentences as the pipeline splits
articles); `--synth N` instead takes N of `newsevents synth`'s non-event sentences.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter

from newsevents.commands.evaluate.common import GoldError, add_gold_arguments, load_gold
from newsevents.taxonomy import LABELS


def rates(texts: list[str], classifier) -> dict:
    """Sentences, labelled sentences per label (and in all), per 1,000, and the triggers."""
    from newsevents.text.language import detect_language
    from newsevents.text.sentences import split_sentences
    sentences = 0
    labelled: Counter = Counter()
    triggers: dict[str, Counter] = {label: Counter() for label in LABELS}
    examples: dict[str, list[str]] = {label: [] for label in LABELS}
    for text in texts:
        language = detect_language(text)        # per text, as the pipeline per article
        for start, end in split_sentences(text, language):
            sentences += 1
            result = classifier.classify(text[start:end], language)
            if result.labels:
                labelled["any"] += 1
            for label in result.labels:
                labelled[label] += 1
                examples[label].append(text[start:end])
            for e in result.evidence:
                triggers[e.label][e.trigger.lower()] += 1
    per_1000 = {k: round(1000 * labelled[k] / sentences, 1) if sentences else 0.0
                for k in (*LABELS, "any")}
    return {"sentences": sentences, "labelled": {k: labelled[k] for k in (*LABELS, "any")},
            "per_1000": per_1000, "triggers": triggers, "examples": examples}


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
    add_gold_arguments(parser, "{id, text}", 0, "labelled sentences to print per label",
                       required=False)
    parser.add_argument("--synth", type=int, metavar="N",
                        help="score N of `newsevents synth`'s non-event sentences instead")
    from newsevents.commands.synth import LANGUAGES
    parser.add_argument("--language", default="en", choices=sorted(LANGUAGES),
                        help="with --synth: the sentences' language (default en)")


def run(args: argparse.Namespace) -> int:
    from newsevents.commands.synth import calm_sentences
    from newsevents.text.classify import Classifier
    try:
        if (args.gold is None) == (args.synth is None):
            raise GoldError("give one of --gold FILE and --synth N")
        if args.synth is not None:
            texts = calm_sentences(args.synth, random.Random(1), args.language)
            source = f"synth, {args.synth} non-event sentences ({args.language})"
        else:
            texts = [r.get("text") for r in load_gold(args)]
            if not all(isinstance(t, str) for t in texts):
                raise GoldError("every record needs a text string")
            source = args.gold + (f"  filter: {' '.join(args.filter)}" if args.filter else "")
        r = rates(texts, Classifier())
    except GoldError as e:
        print(f"newsevents: error: {e}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps({k: r[k] for k in ("sentences", "labelled", "per_1000")} | {"text": source},
                         indent=2))
    else:
        print(format_rates(r, source, args.show))
    return 0
