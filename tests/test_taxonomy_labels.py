"""The labels are the taxonomy's data: a taxonomy with one more label (NEWSEVENTS_TAXONOMY)
gives that label in the Parquet, and older partitions without it read beside newer ones."""
import copy
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import yaml

import newsevents.taxonomy as taxonomy
from newsevents.schemas import EVENT_SCHEMA

NEW = "evacuation"
ARTICLE = {"id": "evac-1", "published_at": "2019-02-23T10:00:00Z",
           "text": "Troops evacuated hundreds of civilians from Aleppo on Monday. "
                   "Rebels shelled the town, killing two people."}


def taxonomy_with_a_new_label(folder: Path) -> Path:
    """A copy of the installed taxonomy folder with one more label: a definition, a colour
    and a new version in the main file, a rule in English's. Nothing else changes."""
    shutil.copytree(taxonomy.FOLDER, folder,
                    ignore=shutil.ignore_patterns("*.py", "__pycache__"))

    def edit(path: Path, change) -> None:
        data = copy.deepcopy(taxonomy.read_yaml(path))   # read_yaml's data is shared
        change(data)
        # safe_dump quotes strings YAML would read as booleans, as the loader requires
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                        encoding="utf-8")

    def label(data):
        data["version"] += "+evacuation"
        data["labels"][NEW] = {"colour": "#d4ac0d",
                               "definition": "People moved out of danger by armed forces."}

    def rule(data):
        data["rules"][NEW] = [{"id": "evacuate", "pattern": ["V:evacuate"], "weight": 0.7,
                               "examples": {"match": ["Troops evacuated the villagers."],
                                            "no_match": ["The evacuation plan was shelved."]}}]
    edit(folder / "events.yaml", label)
    edit(folder / "en" / "events.yaml", rule)
    return folder


@pytest.fixture(scope="module")
def output(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("new-label")
    env = {**os.environ, "NEWSEVENTS_TAXONOMY": str(taxonomy_with_a_new_label(tmp / "taxonomy"))}
    articles = tmp / "articles.jsonl"
    articles.write_text(json.dumps(ARTICLE) + "\n", encoding="utf-8")
    out = tmp / "out"
    subprocess.run([sys.executable, "-m", "newsevents", "run", "--input", str(articles),
                    "--output", str(out)], env=env, check=True, capture_output=True)
    colours = subprocess.run([sys.executable, "-c", "from newsevents.commands.report import COLOURS; "
                              "print(COLOURS)"], env=env, check=True, capture_output=True,
                             text=True).stdout
    return out, colours


def test_a_new_label_in_the_taxonomy_comes_out_in_the_parquet(output):
    out, colours = output
    (part,) = (out / "events").glob("date=2019-02-23/*.parquet")
    table = pq.read_table(part)
    scores = table.schema.field("scores").type
    assert [scores.field(i).name for i in range(scores.num_fields)] == [
        *EVENT_SCHEMA.field("scores").type.names, NEW]
    rows = {r["text"].split()[0]: r for r in table.to_pylist()}
    assert rows["Troops"]["labels"] == [NEW] and rows["Troops"]["scores"][NEW] == 0.7
    assert "violence" in rows["Rebels"]["labels"] and rows["Rebels"]["scores"][NEW] == 0.0
    assert rows["Troops"]["taxonomy_version"].endswith("+evacuation")
    manifest = json.loads((out / "_manifest.json").read_text(encoding="utf-8"))
    assert NEW in json.dumps(manifest)
    assert f"'{NEW}': '#d4ac0d'" in colours


def test_older_partitions_without_the_label_read_with_newer_ones(output):
    out, _ = output
    new = pq.read_table(next((out / "events").glob("date=2019-02-23/*.parquet")))
    # an older day as this install's taxonomy (without the label) wrote it
    old = new.to_pylist()
    for row in old:
        row["published_at"] = row["published_at"].replace(day=1)
        row["labels"] = [x for x in row["labels"] if x != NEW]
        del row["scores"][NEW]
    (out / "events" / "date=2019-02-01").mkdir()
    pq.write_table(pa.Table.from_pylist(old, schema=EVENT_SCHEMA),
                   out / "events" / "date=2019-02-01" / "old.parquet")
    rows = duckdb.sql(f"""
        SELECT CAST(date AS VARCHAR) AS day, text, scores.{NEW} AS new, scores.violence AS v
        FROM read_parquet('{out}/events/**/*.parquet', hive_partitioning = true,
                          union_by_name = true)""").fetchall()
    by_day = {(day, text.split()[0]): (new, v) for day, text, new, v in rows}
    assert by_day[("2019-02-01", "Troops")] == (None, 0.0)      # null: not scored then
    assert by_day[("2019-02-23", "Troops")] == (0.7, 0.0)
    assert by_day[("2019-02-01", "Rebels")][0] is None
    assert by_day[("2019-02-01", "Rebels")][1] == by_day[("2019-02-23", "Rebels")][1] > 0
