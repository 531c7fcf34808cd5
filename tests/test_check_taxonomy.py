"""The taxonomy checked before any work: every file against its schema (a wrong key, an empty
list, an unknown lexicon, a phrase the syntax cannot read, a rule without examples is one line
naming the file, the rule and the problem, and exit 2), and `newsevents check-taxonomy`,
which also runs every rule's examples."""
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from newsevents import taxonomy
from newsevents.taxonomy.schema import (ENGLISH_PLACE_WORDS, EventWords, Places, PlaceWords,
                                        TaxonomyError, check_folder, ensure_valid,
                                        phrase_problem)

ROOT = Path(__file__).resolve().parents[1]

# the shipped kill rule's blocks, read from the file: the tests break these, whatever
# words the rule holds today
_EN = (ROOT / "pipelines" / "newsevents" / "taxonomy" / "en" / "events.yaml").read_text(
    encoding="utf-8")
_KILL = re.search(r"\n    - id: kill\n(.*?)\n    - id: ", _EN, re.S).group(1) + "\n"
KILL_UNLESS = re.search(r"      unless:\n(?:        .*\n)+", _KILL).group(0)
KILL_NEEDS = re.search(r"      needs:\n(?:        .*\n)+", _KILL).group(0)
KILL_EXAMPLES = """      examples:   # the project's own: must fire / must not fire this rule
        match:
          - "Gunmen killed three people on Monday."
          - "Rebels tried to enter the base and killed three guards."
        no_match:
          - "The murder trial opened on Monday."
          - "The flu strain has killed 80 people this winter."
"""

# name -> (file, text in it, replacement, what the one line says)
BROKEN = {
    "empty-unless": ("en/events.yaml", KILL_UNLESS, "      unless:\n",
                     "en/events.yaml: rule violence.kill: unless: empty (nothing after `unless:`)"),
    "empty-list": ("en/events.yaml", KILL_UNLESS, "      unless: []\n",
                   "en/events.yaml: rule violence.kill: unless: an empty list"),
    "unknown-lexicon": ("en/events.yaml", KILL_NEEDS,
                        "      needs:\n        - {any: nosuchlexicon}\n",
                        "en/events.yaml: rule violence.kill: needs[1].any: unknown lexicon "
                        "'nosuchlexicon'"),
    "unknown-lexicon-ref": ("en/events.yaml", '"V:kill", "N:killing"', '"V:kill", "@nosuch"',
                            "en/events.yaml: rule violence.kill: pattern: '@nosuch': unknown "
                            "lexicon @nosuch"),
    "bad-pattern": ("en/events.yaml", '"V:kill", "N:killing"', '"V:kill", "[N:killing|slay"',
                    "en/events.yaml: rule violence.kill: pattern: '[N:killing|slay': "
                    "alternatives are one word each"),
    "missing-examples": ("en/events.yaml", KILL_EXAMPLES, "",
                         "en/events.yaml: rule violence.kill: no examples: each rule lists "
                         "sentences it must fire on (match) and must not (no_match)"),
    "wrong-key": ("en/events.yaml", "      weight: 0.9\n" + KILL_NEEDS,
                  "      weight: 0.9\n" + KILL_NEEDS.replace("needs:", "need:"),
                  "en/events.yaml: rule violence.kill: unknown key 'need' (did you mean "
                  "'needs'?)"),
    "spanish-rule": ("es/events.yaml", "    - id: murder\n", "    - id: murder\n      mode: x\n",
                     "es/events.yaml: rule violence.murder: unknown key 'mode'"),
    "bare-no": ("en/events.yaml", '"no", none', "no, none",
                "en/events.yaml: lexicon negation: include[3]: False must be a quoted string"),
    "label-colour": ("events.yaml", '"#c0392b"', "red",
                     "events.yaml: label violence: colour: 'red': a colour is #rrggbb"),
    "places-key": ("places.yaml", "country_aliases:", "country_alias:",
                   "places.yaml: unknown key 'country_alias' (did you mean 'country_aliases'?)"),
    "yaml-syntax": ("es/places.yaml", "articles: [el, la, los, las]", "articles: [el, la",
                    "es/places.yaml: line "),
    "actor-type": ("en/actors.yaml", "  rebels: [", "  rebel_groups: [",
                   "en/actors.yaml: actors.rebel_groups: input should be 'state_forces', "
                   "'rebels'"),
    "passive-key": ("es/actors.yaml", "  agent: [por]", "  agents: [por]",
                    "es/actors.yaml: unknown key 'agents' (did you mean 'agent'?)"),
}


def broken_taxonomy(folder: Path, name: str) -> Path:
    """A copy of the shipped taxonomy with one thing broken (BROKEN[name])."""
    file, old, new, _ = BROKEN[name]
    shutil.copytree(taxonomy.FOLDER, folder, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    path = folder / file
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= 1, (name, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return folder


def newsevents(*args: str, taxonomy_dir: Path | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "NEWSEVENTS_TAXONOMY"}
    if taxonomy_dir is not None:
        env["NEWSEVENTS_TAXONOMY"] = str(taxonomy_dir)
    return subprocess.run([sys.executable, "-m", "newsevents", *args], env=env,
                          capture_output=True, text=True, timeout=600)


# --- the schema ---------------------------------------------------------------------------

def test_the_shipped_taxonomy_is_valid():
    assert check_folder() == []
    ensure_valid()


@pytest.mark.parametrize("name", BROKEN)
def test_each_broken_file_is_one_line_naming_the_file_the_rule_and_the_problem(tmp_path, name):
    folder = broken_taxonomy(tmp_path / "taxonomy", name)
    problems = check_folder(folder)
    assert len(problems) == 1, [str(p) for p in problems]
    line = str(problems[0])
    assert "\n" not in line
    assert line.startswith(str(folder.resolve()) + "/"), line
    assert BROKEN[name][3] in line, line
    with pytest.raises(TaxonomyError, match=re.escape(BROKEN[name][3])):
        ensure_valid(folder)


def test_every_problem_is_listed(tmp_path):
    folder = broken_taxonomy(tmp_path / "taxonomy", "empty-unless")
    path = folder / "es" / "events.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("weight: 0.9", "weight: 9", 1),
                    encoding="utf-8")
    problems = [str(p) for p in check_folder(folder)]
    assert len(problems) == 2
    assert "es/events.yaml: rule violence.kill: weight: input should be less than or equal " \
           "to 1" in problems[1]
    with pytest.raises(TaxonomyError, match=r"\(and 1 more: newsevents check-taxonomy"):
        ensure_valid(folder)


@pytest.mark.parametrize("phrase, problem", [
    ("V:kill", None), ("V:come under [heavy|rocket] fire", None),
    ("[V:throw|V:lob] ... [grenade|acid]", None), ("N:riot police", None), (":", None),
    ("", "an empty phrase"), ("... fire", "cannot start with a gap"),
    ("open ...", "cannot end with a gap"), ("open ... ... fire", "two gaps"),
    ("[a b|c]", "alternatives are one word each"), ("[a||b]", "an empty alternative"),
    ("a|b", "alternatives are one word each"), ("Q:fire", "unknown prefix Q:"),
    ("V: fire", "V: with no word after it"), ("@weapon", "a phrase cannot name a lexicon"),
])
def test_the_phrase_syntax(phrase, problem):
    found = phrase_problem(phrase, frozenset({"weapon"}))
    assert (found is None) if problem is None else (problem in found), found


def test_the_schema_knows_every_word_list_the_readers_read():
    # each fact once: the readers' keys are the schema's fields (a new key needs both)
    classify = (ROOT / "pipelines/newsevents/text/classify.py").read_text(encoding="utf-8")
    read = set(re.findall(r'\bs\("(\w+)"\)', classify)) | {"state_agents_before"}
    assert read == set(EventWords.model_fields)
    geoparse = (ROOT / "pipelines/newsevents/text/geoparse.py").read_text(encoding="utf-8")
    english = set(re.findall(r'\bWORDS\["(\w+)"\]', geoparse))
    assert english == set(ENGLISH_PLACE_WORDS)
    others = set(re.findall(r'\bwords\.get\("(\w+)"', geoparse))
    # Geoparser.__init__ reads these from the merged places data, _Language the rest from
    # a language's `words`
    merged = {"facility_words", "abbreviated_titles", "locative_words", "articles", "people",
              "not_places", "country_abbreviations", "armed_groups"}
    assert merged <= set(Places.model_fields)
    assert set(PlaceWords.model_fields) == english | (others - merged)


# --- before any work: run and the evaluations exit 2 with the line -----------------------

@pytest.mark.parametrize("name", ["empty-unless", "unknown-lexicon", "bad-pattern",
                                  "missing-examples"])
def test_run_refuses_a_broken_taxonomy_in_one_line(tmp_path, name):
    folder = broken_taxonomy(tmp_path / "taxonomy", name)
    articles = tmp_path / "in.jsonl"
    articles.write_text('{"id": "a", "published_at": "2019-02-23T00:00:00Z", '
                        '"text": "Gunmen killed three people."}\n', encoding="utf-8")
    out = newsevents("run", "--input", str(articles), "--output", str(tmp_path / "out"),
                     taxonomy_dir=folder)
    assert out.returncode == 2, out.stderr
    assert "Traceback" not in out.stderr
    (line,) = out.stderr.splitlines()
    assert line.startswith("newsevents: error: taxonomy: " + str(folder.resolve())), line
    assert BROKEN[name][3] in line
    assert not (tmp_path / "out").exists()           # nothing ran


def test_the_evaluations_refuse_it_too(tmp_path):
    folder = broken_taxonomy(tmp_path / "taxonomy", "unknown-lexicon")
    out = newsevents("evaluate", "--gold", str(ROOT / "tests/data/events_dev.jsonl"),
                     taxonomy_dir=folder)
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert out.stderr.count("\n") == 1 and BROKEN["unknown-lexicon"][3] in out.stderr


# --- newsevents check-taxonomy --------------------------------------------------------------

def test_the_shipped_taxonomy_passes_check_taxonomy():
    # CI's check of the shipped taxonomy: the command a user runs, in a process of its own
    # (the tokenizer reads the taxonomy on import), its output the failing lines if any
    out = newsevents("check-taxonomy")
    assert out.returncode == 0, out.stdout + out.stderr
    rules, examples = re.search(r"\n(\d+)/\1 rules pass \((\d+)/\2 examples\)\n$",
                                out.stdout).groups()
    assert int(rules) >= 73 and int(examples) >= 2 * int(rules)
    assert "✓ en violence.kill " in out.stdout and "✓ es violence.kill " in out.stdout
    assert "✖" not in out.stdout


@pytest.mark.parametrize("name", ["empty-unless", "unknown-lexicon", "bad-pattern",
                                  "missing-examples"])
def test_check_taxonomy_reports_a_broken_file_and_exits_2(tmp_path, name):
    folder = broken_taxonomy(tmp_path / "taxonomy", name)
    out = newsevents("check-taxonomy", str(folder))
    assert out.returncode == 2 and out.stdout == "" and "Traceback" not in out.stderr
    (line,) = out.stderr.splitlines()
    assert line.startswith(f"newsevents: error: taxonomy: {folder.resolve()}/")
    assert BROKEN[name][3] in line


def test_check_taxonomy_lists_every_problem(tmp_path):
    folder = broken_taxonomy(tmp_path / "taxonomy", "empty-unless")
    path = folder / "en" / "events.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        KILL_NEEDS, "      needs:\n        - {any: nosuchlexicon}\n", 1),
                    encoding="utf-8")
    out = newsevents("check-taxonomy", str(folder))
    assert out.returncode == 2
    prefix = f"newsevents: error: taxonomy: {folder.resolve()}/"
    assert [line.removeprefix(prefix) for line in out.stderr.splitlines()] == [
        "en/events.yaml: rule violence.kill: unless: empty (nothing after `unless:`): remove "
        "the key or give it a value",
        "en/events.yaml: rule violence.kill: needs[1].any: unknown lexicon 'nosuchlexicon'"]


def test_check_taxonomy_names_each_failing_example_and_exits_1(tmp_path):
    folder = tmp_path / "taxonomy"
    shutil.copytree(taxonomy.FOLDER, folder, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    path = folder / "en" / "events.yaml"
    text = path.read_text(encoding="utf-8")
    # a trap the rule falls into, and a sentence it must fire on that only threatens
    text = text.replace('- "The murder trial opened on Monday."', '- "Gunmen killed two farmers."')
    text = text.replace('- "Gunmen abducted 25 pupils from a school."',
                        '- "Rebels threatened to kidnap the mayor."')
    path.write_text(text, encoding="utf-8")
    out = newsevents("check-taxonomy", str(folder))
    assert out.returncode == 1, out.stderr
    lines = out.stdout.splitlines()
    version = taxonomy.read_yaml(taxonomy.EVENTS_YAML)["version"]
    assert lines[0] == f"taxonomy {folder.resolve()} (version {version})"
    assert re.search(r"^✖ en violence\.kill +2/2 +1/2$", out.stdout, re.M)
    assert re.search(r"^✖ en violence\.kill-manner +1/2 +2/2$", out.stdout, re.M)
    assert re.search(r"^✓ en violence\.injure +1/1 +1/1$", out.stdout, re.M)
    assert "\n2 examples failed:\n" in out.stdout
    assert ('✖ en violence.kill: fired (no_match): "Gunmen killed two farmers.": fired on '
            '"killed"') in lines
    assert ('✖ en violence.kill-manner: missed (match): "Rebels threatened to kidnap the '
            'mayor.": flagged hypothetical at "kidnap"') in lines
    passing, rules = map(int, re.search(r"\n(\d+)/(\d+) rules pass", out.stdout).groups())
    assert passing == rules - 2


def test_a_match_that_fires_another_rule_says_which():
    from newsevents.taxonomy.examples import Result, format_report, run_examples
    from newsevents.text.classify import Classifier

    class OneRule:          # the classifier as run_examples sees it, with one rule moved
        def __init__(self):
            self.inner = Classifier()

        def classify(self, sentence, language):
            c = self.inner.classify(sentence, language)
            return c._replace(evidence=tuple(e._replace(rule="violence.other")
                                             if e.rule == "violence.kill" else e
                                             for e in c.evidence))
    results = run_examples(OneRule())
    missed = [r for r in results if r.rule == "violence.kill" and r.language == "en"
              and r.must_fire]
    assert missed and not any(r.passed for r in missed)
    assert missed[0].detail == "fired instead: violence.other"
    report = format_report([Result("en", "violence.kill", "Gunmen killed two.", True, False,
                                   "fired instead: violence.other")], "t")
    assert report.splitlines()[-1] == "0/1 rules pass (0/1 examples)"
