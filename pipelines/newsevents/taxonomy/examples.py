"""Every rule's examples run through the classifier, as `semgrep --test` runs a rule's
annotated lines: each `match` sentence must fire the rule (counted, not flagged), each
`no_match` sentence must not. `run_examples` gives one result per example; `format_report`
a matrix of the rules and a line per failing example."""
from __future__ import annotations

from dataclasses import dataclass

from newsevents.taxonomy import language_files, read_yaml


@dataclass(frozen=True)
class Result:
    language: str
    rule: str                 # "violence.kill"
    sentence: str
    must_fire: bool           # a `match` example (else `no_match`)
    fired: bool
    detail: str               # what fired instead, or what was flagged, or the trigger

    @property
    def passed(self) -> bool:
        return self.fired == self.must_fire


def _detail(rule: str, classification) -> tuple[bool, str]:
    """Whether `rule` fired, and what the classifier did with the sentence, in words."""
    own = [e for e in classification.evidence if e.rule == rule]
    if own:
        return True, "fired on " + ", ".join(f'"{e.trigger}"' for e in own)
    parts = [f'flagged {f.kind} at "{f.trigger}"' for f in classification.flags if f.rule == rule]
    others = sorted({e.rule for e in classification.evidence})
    if others:
        parts.append("fired instead: " + ", ".join(others))
    return False, "; ".join(parts) or "nothing fired (no trigger, or its conditions refused it)"


def run_examples(classifier=None) -> list[Result]:
    """Each example of each rule of each language of the taxonomy (the folder
    NEWSEVENTS_TAXONOMY names, or the shipped one), in the files' order."""
    from newsevents.text.classify import Classifier
    classifier = classifier or Classifier()
    results = []
    for language, files in language_files().items():
        for label, rules in read_yaml(files["events"])["rules"].items():
            for spec in rules:
                rule = f"{label}.{spec['id']}"
                examples = spec.get("examples") or {}
                for must_fire, key in ((True, "match"), (False, "no_match")):
                    for sentence in examples.get(key) or ():
                        fired, detail = _detail(rule, classifier.classify(sentence, language))
                        results.append(Result(language, rule, sentence, must_fire, fired,
                                              detail))
    return results


def format_report(results: list[Result], title: str) -> str:
    """A line per rule (✓ or ✖, its match and no_match examples that pass), then a line per
    failing example, then the count."""
    rules: dict[tuple[str, str], list[Result]] = {}
    for r in results:
        rules.setdefault((r.language, r.rule), []).append(r)
    width = max((len(rule) for _, rule in rules), default=10)
    lw = max((len(language) for language, _ in rules), default=2)
    lines = [title, "", f"{'':{lw + 3}}{'rule':<{width}}   match  no_match"]
    for (language, rule), rs in rules.items():
        fire = [r for r in rs if r.must_fire]
        quiet = [r for r in rs if not r.must_fire]
        mark = "✓" if all(r.passed for r in rs) else "✖"
        lines.append(f"{mark} {language:<{lw}} {rule:<{width}}  "
                     f"{sum(r.passed for r in fire):>3}/{len(fire):<3}"
                     f"{sum(r.passed for r in quiet):>4}/{len(quiet)}")
    failed = [r for r in results if not r.passed]
    if failed:
        lines += ["", f"{len(failed)} example{'s' * (len(failed) != 1)} failed:"]
        for r in failed:
            what = "missed (match)" if r.must_fire else "fired (no_match)"
            lines.append(f"✖ {r.language} {r.rule}: {what}: \"{r.sentence}\": {r.detail}")
    bad_rules = len({(r.language, r.rule) for r in failed})
    lines += ["", f"{len(rules) - bad_rules}/{len(rules)} rules pass "
                  f"({len(results) - len(failed)}/{len(results)} examples)"]
    return "\n".join(lines)
