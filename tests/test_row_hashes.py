"""The rows of the seeds and of 1,500 synthetic articles (English and Spanish), hashed and
compared with the hash recorded in tests/data/row_hashes.json: a change meant to leave the
rows alone (start-up and speed, #27) shows that it does. A change meant to change them (a
rule, a place) records the new hash, and says so in its commit:

    NEWSEVENTS_RECORD_ROWS=1 .venv/bin/python -m pytest -q tests/test_row_hashes.py

(That the compiled and the pure-Python modules give the same rows is test_native's.)"""
import hashlib
import json
import os
from pathlib import Path

from newsevents.commands.synth import write_synthetic
from newsevents.events import extract_events
from newsevents.records import parse_json_line
from newsevents.schemas import Article, DeadLetter
from newsevents.text.classify import Classifier
from newsevents.text.geoparse import Geoparser

RECORDED = Path(__file__).parent / "data" / "row_hashes.json"
SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def _inputs(tmp_path) -> list[Path]:
    english, spanish = tmp_path / "synthetic_en.jsonl", tmp_path / "synthetic_es.jsonl"
    write_synthetic(str(english), 1000)
    write_synthetic(str(spanish), 500, language="es")
    return [*sorted(SEEDS.glob("*.jsonl")), english, spanish]


def _rows_hash(paths: list[Path]) -> dict:
    parts = Classifier(), Geoparser()
    digest = hashlib.sha256()
    articles = rows = dead = 0
    for path in paths:
        with path.open("rb") as fh:
            for n, line in enumerate(fh, 1):
                parsed = parse_json_line(line, path.name, n)
                if isinstance(parsed, DeadLetter):
                    dead += 1
                    record = parsed.model_dump(mode="json")
                else:
                    assert isinstance(parsed, Article)
                    articles += 1
                    extraction = extract_events(parsed, *parts)
                    rows += len(extraction.rows)
                    record = [extraction.rows, extraction.sentences, extraction.language]
                digest.update(json.dumps(record, default=str, sort_keys=True).encode() + b"\n")
    return {"articles": articles, "dead_letters": dead, "rows": rows,
            "sha256": digest.hexdigest(), "gazetteer": parts[1].version}


def test_the_rows_are_the_recorded_ones(tmp_path):
    found = _rows_hash(_inputs(tmp_path))
    assert found["articles"] >= 1500 and found["rows"] > 1000
    if os.environ.get("NEWSEVENTS_RECORD_ROWS") == "1":
        RECORDED.write_text(json.dumps(found, indent=1) + "\n", encoding="utf-8")
    recorded = json.loads(RECORDED.read_text(encoding="utf-8"))
    assert found == recorded, (
        "the rows differ from those recorded: if the change is meant to change them, record "
        "them (NEWSEVENTS_RECORD_ROWS=1, see this file's docstring)")
