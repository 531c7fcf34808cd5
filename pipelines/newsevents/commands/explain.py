"""`newsevents explain TEXT`: why each sentence of a text got its labels, flags and place.

For every sentence, as the pipeline splits the article: the triggers that counted (label,
rule, weight), the label scores, every trigger that did not count (its flag's kind and the
words that decided; for a rule whose `needs` were missing, which of them), the places found
and the event location with the stage that chose it. What a user runs to audit a row and a
developer runs before writing a rule.

The rows come from `events.extract_events` (every sentence kept), the pipeline's own
function, so the explanation cannot disagree with the output; what this module adds (the
rules' weights and conditions, each place's verdict under the location rules) is read beside
them and never changes them. Not on the pipeline's path: nothing in the pipeline imports it.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from bisect import bisect_left
from datetime import datetime, timezone
from pathlib import Path

from newsevents.taxonomy import LABELS

# the Article needs a date; nothing the explanation shows depends on it
UNDATED = datetime(2000, 1, 1, tzinfo=timezone.utc)
SOURCES = {
    "sentence": "the best of this sentence's own places that the location rules kept",
    "context": "no place of its own: the last place chosen earlier in its paragraph",
    "article": "no place of its own nor earlier in its paragraph: the article's main place",
    "none": "no place in the sentence, its paragraph or the article",
}
INLINE_SHOWN = 6        # phrases shown of a condition's inline word list


class ExplainError(ValueError):
    """Bad options or input; the message is one line for the user."""


# --- the rules' conditions, as the classifier reads them -------------------------------------
# A flag says that a rule's needs were missing or that an `unless` held, not which. To learn
# which, the classifier itself is asked again with the rule cut down to one condition at a
# time: the answer is its own (its matcher, its lexicons, its clause reading), not a second
# reading of the rules that could drift from it.

class RuleView:
    """One language's rules, read for explanations: weights, and conditions in the words of
    the language's file (taxonomy/<language>/events.yaml). It holds its own copy of the
    taxonomy, whose trigger index it narrows to one rule while asking (the classifier's is
    never touched)."""

    def __init__(self, language: str, path: Path | str | None = None) -> None:
        from newsevents.taxonomy import language_files
        from newsevents.text.classify import Taxonomy
        self.path = Path(path or language_files(language)["events"])
        self.tax = Taxonomy(self.path)
        self.rules = {rule.id: rule for rule in self.tax.rules}
        self._written: dict | None = None
        self._entries = self.tax.entries
        self._narrowed: dict[str, dict] = {}

    def weight(self, rule_id: str) -> float | None:
        rule = self.rules.get(rule_id)
        return rule.weight if rule else None

    def written(self) -> dict:
        """id(Condition) -> its `any` list as the file writes it (inline lists compile to
        anonymous lexicons, whose words the compiled rule no longer shows). Read in the
        order the Taxonomy reads them: a rule's needs, its unless, then its label's unless."""
        if self._written is None:
            from newsevents.taxonomy import read_yaml
            self._written = {}
            data = read_yaml(self.path)         # the file self.tax was just built from
            shared = {label: spec.get("unless", ())
                      for label, spec in data.get("labels", {}).items()}
            for label, specs in data["rules"].items():
                for spec in specs:
                    rule = self.rules[f"{label}.{spec['id']}"]
                    raw = [*spec.get("needs", ()), *spec.get("unless", ()),
                           *shared.get(label, ())]
                    for cond, r in zip(rule.needs + rule.unless, raw):
                        items = r.get("any", r.get("or_any", ()))
                        self._written[id(cond)] = [items] if isinstance(items, str) else list(items)
        return self._written

    def words(self, c) -> str:
        """A condition's words: lexicon names as such, inline words in brackets."""
        written = self.written().get(id(c))
        if written is None:
            return " or ".join(c.lexicons)
        names = [w for w in written if w in self.tax.lexicon_names]
        inline = [w[2:] if w[:2] in ("V:", "N:") else w for w in written
                  if w not in self.tax.lexicon_names]
        if inline:
            more = len(inline) - INLINE_SHOWN
            names.append("[" + "|".join(inline[:INLINE_SHOWN])
                         + (f"|... {more} more" if more > 0 else "") + "]")
        return " or ".join(names)

    def describe(self, c) -> str:
        """A condition in words: "physical in the sentence", "[trial|case] within 1 after"."""
        if c.side == "states":
            named = "a state named" if c.states == 1 else f"{c.states} states named"
            if not c.lexicons:
                return named
            fewer = "" if c.states == 1 else f"{c.states - 1} and "
            return f"{named}, or {fewer}{self.words(c)} in the sentence"
        if c.side == "pair":
            return f"two states, one within {c.window} words before and one after"
        if c.side == "name_after":
            return "a name right after the trigger"
        if c.side == "sentence":
            return f"{self.words(c)} in the sentence"
        if c.side == "near":
            return f"{self.words(c)} within {c.window} words, in the trigger's clause"
        return f"{self.words(c)} within {c.window} words {c.side}"

    def _ask(self, rule, variant, sentence: str, tokens: list, base: int,
             start: int, end: int) -> tuple | None:
        """The classifier's verdict on the trigger at start:end when `rule` reads as
        `variant`: its Evidence or Flag there, or None."""
        from newsevents.text.classify import classify
        entries = self._narrowed.get(rule.id)
        if entries is None:             # the rule's own triggers, nothing else
            entries = {tok: tuple(e for e in items if e[0][1].id == rule.id)
                       for tok, items in self._entries.items()}
            entries = self._narrowed[rule.id] = {k: v for k, v in entries.items() if v}
        self.tax.entries = {tok: tuple(((target[0], variant, *target[2:]), *rest)
                                       for target, *rest in items)
                            for tok, items in entries.items()}
        try:
            result = classify(sentence, self.tax, tokens, base)
        finally:
            self.tax.entries = self._entries
        return next((x for x in (*result.evidence, *result.flags)
                     if x.start == start - base and x.end == end - base), None)

    def check(self, rule_id: str, sentence: str, tokens: list, base: int, start: int,
              end: int) -> dict:
        """For a trigger at start:end (offsets of the text the sentence starts at `base` in;
        `tokens` the sentence's), which of its rule's `needs` do not hold and which `unless`
        holds (the first, where the classifier stops): {"missing": [...], "veto": ...}."""
        from dataclasses import replace
        rule = self.rules.get(rule_id)
        out: dict = {"missing": [], "veto": None}
        if rule is None:
            return out
        for c in rule.needs:
            said = self._ask(rule, replace(rule, needs=(c,), unless=()), sentence, tokens,
                             base, start, end)
            if said is not None and getattr(said, "kind", "") == "context":
                out["missing"].append(self.describe(c))
        for c in rule.unless:
            said = self._ask(rule, replace(rule, needs=(), unless=(c,)), sentence, tokens,
                             base, start, end)
            if said is not None and getattr(said, "kind", "") == "sense":
                out["veto"] = self.describe(c)
                break
        return out


def sentence_tokens(tokens: list, starts: list[int], start: int, end: int) -> list:
    """The article's tokens inside a sentence, as extract_events hands them to the classifier."""
    return tokens[bisect_left(starts, start):bisect_left(starts, end)]


def flag_detail(flag: dict, view: RuleView | None, sentence: str, tokens: list,
                base: int = 0) -> dict:
    """What decided a flag beside its cue: for `context` the needs missing, for `sense` the
    `unless` condition its cue satisfied."""
    if view is None or flag["kind"] not in ("context", "sense"):
        return {}
    found = view.check(flag["rule"], sentence, tokens, base, flag["start"], flag["end"])
    if flag["kind"] == "context":
        return {"missing": found["missing"]}
    return {"unless": found["veto"]}


# --- the places: each mention under the location rules -------------------------------------

def place_verdicts(text: str, tokens: list, spans: list[tuple[int, int]], language: str,
                   geoparser) -> dict[tuple[int, int], dict]:
    """(start, end) of each place mention -> the first location rule with a verdict on it
    (`rule`, `verdict`: "place" takes it, anything else passes it over) or `kept`. The
    geoparser's own rules on its own candidates, built as Geoparser._choose builds them."""
    from newsevents.text import geoparse as g
    mentions = geoparser._mentions(text, tokens, language)
    lang = geoparser._language(language)
    per_sentence = g.mentions_by_sentence(mentions, spans)
    out = {}
    for ms in per_sentence:
        if not ms:
            continue
        frame = geoparser._frame(text, ms, lang) if len(ms) > 1 else set()
        origins = geoparser._origins(text, ms, lang)
        for m in ms:
            cand = g._Candidate(geoparser, text, m, ms, frame, lang, origins)
            verdict = {"rule": None, "verdict": "kept"}
            for rule in g.LOCATION_RULES:
                said = rule(cand)
                if said is not None:
                    verdict = {"rule": rule.__name__, "verdict": said}
                    if said == g.PLACE and cand.place is not m.place:
                        verdict["as"] = f"{cand.place.name}, {cand.place.country_code}"
                    break
            out[(m.start, m.end)] = verdict
    return out


# --- the explanation ----------------------------------------------------------------------

def explain(article, classifier, geoparser) -> dict:
    """The explanation of an article, JSON-ready: the pipeline's rows for every sentence,
    with what decided each part. Offsets are the article's, as in the output."""
    from newsevents.events import extract_events
    from newsevents.text.classify import tokenize
    from newsevents.text.sentences import split_sentences
    extraction = extract_events(article, classifier, geoparser, keep_all=True)
    language = extraction.language
    text = article.text
    tokens = tokenize(text)
    starts = [t[2] for t in tokens]
    view = RuleView(language) if extraction.has_rules else None
    spans = split_sentences(text, language)
    verdicts = place_verdicts(text, tokens, spans, language, geoparser)
    sentences = []
    for row in extraction.rows:
        toks = sentence_tokens(tokens, starts, row["char_start"], row["char_end"])
        evidence = [{"label": e.label, "trigger": e.trigger, "start": e.start, "end": e.end,
                     "rule": e.rule, "weight": view.weight(e.rule) if view else None}
                    for e in row["evidence"]]
        flags = []
        for f in row["flags"]:
            flag = {"label": f.label, "kind": f.kind, "trigger": f.trigger, "start": f.start,
                    "end": f.end, "rule": f.rule, "cue": f.cue}
            flag.update(flag_detail(flag, view, row["text"], toks, row["char_start"]))
            flags.append(flag)
        places = [{"surface": m.surface, "start": m.start, "end": m.end, "kind": m.kind,
                   "name": m.name, "country_code": m.country_code,
                   "admin1_code": m.admin1_code, "feature": m.feature,
                   "geonameid": m.geonameid,
                   **verdicts.get((m.start, m.end), {"rule": None, "verdict": "unknown"})}
                  for m in row["locations"]]
        location = None
        if row["location_name"] is not None:
            location = {k: row[k] for k in (
                "location_name", "geonameid", "country_code", "admin1_code", "admin2_code",
                "admin2_name", "latitude", "longitude", "location_precision")}
        sentences.append({
            "index": row["sentence_index"], "start": row["char_start"],
            "end": row["char_end"], "text": row["text"],
            # the pipeline writes a row for a sentence with a label (or with
            # --keep-all-sentences)
            "row": bool(row["labels"]), "labels": row["labels"],
            "scores": dict(zip(LABELS, row["scores"])),
            "evidence": evidence, "flags": flags, "places": places,
            "location": location, "location_source": row["location_source"]})
    return {"language": language, "language_given": article.language is not None,
            "has_rules": extraction.has_rules, "classifier": classifier.version,
            "gazetteer": geoparser.version,
            "published_at": article.published_at.isoformat().replace("+00:00", "Z"),
            "sentences": sentences}


def _place(p: dict) -> str:
    verdict = p["verdict"] if p["rule"] is None else (
        f"taken by {p['rule']}" + (f" as {p['as']}" if "as" in p else "")
        if p["verdict"] == "place" else f"passed over by {p['rule']} ({p['verdict']})")
    return (f"{p['surface']!r} -> {p['name']}, {p['country_code']} ({p['feature']}, "
            f"{p['kind']}): {verdict}")


def _flag(f: dict) -> str:
    head = f"{f['label']:<13}{f['kind']:<13}{f['trigger']!r} {f['rule']}"
    if f["kind"] == "context":
        missing = "; ".join(f.get("missing") or ()) or "?"
        return f"{head}: needs missing: {missing}"
    why = f": decided by {f['cue']!r}" if f["cue"] else ""
    if f.get("unless"):
        why += f" (unless {f['unless']})"
    return head + why


def format_explanation(x: dict) -> str:
    given = "given" if x["language_given"] else "detected"
    lines = [f"language: {x['language']} ({given})   {x['classifier']}   "
             f"gazetteer: {x['gazetteer']}   published_at: {x['published_at']}"]
    if not x["has_rules"]:
        lines.append(f"no rules for language {x['language']!r}: no sentence is classified "
                     "(the pipeline counts it under languages_without_rules)")
    for s in x["sentences"]:
        row = ("row: " + ", ".join(s["labels"])) if s["row"] else "no row (no label)"
        lines += ["", f"[{s['index']}] chars {s['start']}-{s['end']}   {row}", f"  {s['text']}"]
        scores = "   ".join(f"{k} {v:.3f}" for k, v in s["scores"].items() if v)
        if scores:
            lines.append(f"  scores: {scores}")
        for e in s["evidence"]:
            weight = f"weight {e['weight']:.2f}" if e["weight"] is not None else ""
            lines.append(f"  counted  {e['label']:<13}{e['trigger']!r} {e['rule']} {weight}")
        for f in s["flags"]:
            lines.append(f"  flag     {_flag(f)}")
        for p in s["places"]:
            lines.append(f"  place    {_place(p)}")
        loc = s["location"]
        if loc is not None:
            lines.append(f"  location {loc['location_name']}, {loc['country_code']} "
                         f"({loc['location_precision']}) by {s['location_source']}: "
                         f"{SOURCES.get(s['location_source'], '')}")
        elif s["places"] or s["row"]:
            lines.append(f"  location none: {SOURCES['none']}")
    return "\n".join(lines)


# --- the command --------------------------------------------------------------------------

def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("text", nargs="?", metavar="TEXT",
                        help="the text to explain (an article or a sentence); - reads stdin")
    parser.add_argument("--file", metavar="PATH", help="read the text from a file instead")
    parser.add_argument("--language", metavar="CODE",
                        help="the text's language (ISO 639-1: en, es, ...); default: "
                             "detected, as the pipeline detects an article's")
    parser.add_argument("--published-at", dest="published_at", metavar="RFC3339",
                        help="the article's date (shown only; nothing here depends on it)")
    parser.add_argument("--json", action="store_true", help="print the explanation as JSON")


def read_article(args: argparse.Namespace):
    """The Article the pipeline would make of the text (a .txt article's reading: BOM and CRLF
    handled, control characters replaced), or ExplainError."""
    from newsevents.records import parse_published_at, parse_text_file
    from newsevents.schemas import Article
    if (args.text is None) == (args.file is None):
        raise ExplainError("give the text (TEXT, or - for stdin) or --file PATH, not both")
    published = UNDATED
    if args.published_at:
        try:
            published = parse_published_at(args.published_at)
        except ValueError:
            raise ExplainError(f"bad --published-at {args.published_at!r}: expected RFC 3339, "
                               "e.g. 2019-02-23T00:00:00Z") from None
    language = None
    if args.language is not None:
        if not re.fullmatch(r"[A-Za-z]{2,3}", args.language):
            raise ExplainError(f"bad --language {args.language!r}: expected an ISO 639-1 "
                               "code such as en or es")
        language = args.language.lower()
    if args.file is not None:
        try:
            data = Path(args.file).read_bytes()
        except OSError as e:
            raise ExplainError(f"cannot read {args.file}: {e.strerror}") from None
        source = args.file
    elif args.text == "-":
        data, source = sys.stdin.buffer.read(), "stdin.txt"
    else:
        data, source = args.text.encode("utf-8", errors="surrogateescape"), "text.txt"
    if not data.strip():
        raise ExplainError("the text is empty")
    record = parse_text_file(data, source, published, language=language)
    if not isinstance(record, Article):
        raise ExplainError(record.error)
    return record


def run(args: argparse.Namespace) -> int:
    from newsevents.text.classify import Classifier
    from newsevents.text.geoparse import Geoparser
    try:
        article = read_article(args)
    except ExplainError as e:
        print(f"newsevents: error: {e}", file=sys.stderr)
        return 2
    x = explain(article, Classifier(), Geoparser())
    print(json.dumps(x, indent=2, ensure_ascii=False) if args.json else format_explanation(x))
    return 0
