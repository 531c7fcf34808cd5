"""The whole pipeline on the DirectRunner, read back with pyarrow and DuckDB."""
import json
import shutil
from pathlib import Path

import duckdb
import pyarrow.dataset as ds
import pytest

from newsevents.cli import main

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "000_28aa3b8bf562bb45.jsonl"


def run(*args) -> int:
    return main(["run", *map(str, args)])


def table(out: Path, name: str):
    return ds.dataset(out / name, format="parquet", partitioning="hive").to_table()


def rows(out: Path, name: str, drop=("date",)) -> list[dict]:
    t = table(out, name)
    t = t.drop_columns([c for c in drop if c in t.column_names])
    return sorted(t.to_pylist(), key=lambda r: json.dumps(r, sort_keys=True, default=str))


@pytest.fixture(scope="module")
def seed_out(tmp_path_factory):
    out = tmp_path_factory.mktemp("seed") / "output"
    assert run("--input", SEED, "--output", out) == 0
    return out


def sentence(out, startswith):
    matches = [r for r in rows(out, "events") if r["text"].startswith(startswith)]
    assert len(matches) == 1, startswith
    return matches[0]


def test_seed_trucks_sentence_is_aid_and_violence_in_urena(seed_out):
    r = sentence(seed_out, "Three trucks carrying aid")
    assert set(r["labels"]) >= {"aid_movement", "violence"}
    assert (r["location_name"], r["country_code"], r["location_source"]) == ("Ureña", "VE", "sentence")
    assert r["location_precision"] == "city"
    for ev in r["evidence"]:  # evidence offsets point into the article text
        assert ev["trigger"] in r["text"]


def test_the_parquet_carries_the_district_of_the_event_location(seed_out):
    for name in ("events", "location_counts"):
        t = table(seed_out, name)
        admin1 = t.column_names.index("admin1_code")
        assert t.column_names[admin1 + 1:admin1 + 3] == ["admin2_code", "admin2_name"]
        assert str(t.schema.field("admin2_code").type) == "string"
    r = sentence(seed_out, "Three trucks carrying aid")
    assert (r["admin2_code"], r["admin2_name"]) == ("VE.20.2020", "Municipio Pedro María Ureña")
    by_place = {(c["location_name"], c["location_precision"]): (c["admin2_code"], c["admin2_name"])
                for c in rows(seed_out, "location_counts")}
    assert by_place[("Ureña", "city")] == ("VE.20.2020", "Municipio Pedro María Ureña")
    assert by_place[("Venezuela", "country")] == (None, None)
    # rolled up by district, as the README's analytics do
    districts = dict(duckdb.sql(f"""
        SELECT admin2_name, sum(sentence_count) FROM read_parquet(
            '{seed_out}/location_counts/**/*.parquet', hive_partitioning=true)
        WHERE admin2_code IS NOT NULL GROUP BY admin2_code, admin2_name""").fetchall())
    assert districts["Municipio Pedro María Ureña"] >= 2


def test_older_partitions_without_the_district_read_with_newer_ones(seed_out, tmp_path):
    """Output written before the district, the flags' cue and the casualty figures were
    added: its rows read with null districts, cues and figures, with Table.read and with
    DuckDB."""
    import pyarrow as pa
    import pyarrow.parquet as pq
    from newsevents.schemas import EVENT_SCHEMA
    from newsevents.tables import EVENTS
    out = tmp_path / "output"
    shutil.copytree(seed_out, out)
    flag = EVENT_SCHEMA.field("flags").type.value_type
    old_flags = pa.list_(pa.struct([f for f in flag if f.name != "cue"]))
    old_schema = pa.schema([f.with_type(old_flags) if f.name == "flags" else f
                            for f in EVENT_SCHEMA if not f.name.startswith("admin2_")
                            and f.name not in ("killed", "injured", "casualties_exact", "actors",
                                               "actor1_type", "actor2_type")])
    old = [{**{k: v for k, v in r.items() if k in old_schema.names},
            "flags": [{k: v for k, v in f.items() if k != "cue"} for f in r["flags"]],
            "event_id": "old-" + r["event_id"],
            "published_at": r["published_at"].replace(day=1)} for r in rows(out, "events")]
    # pyarrow takes a dataset's schema from its first file: an older day after the newer
    # one, then one before it
    for day in ("2019-03-01", "2019-02-01"):
        (out / "events" / f"date={day}").mkdir()
        pq.write_table(pa.Table.from_pylist(old, schema=old_schema),
                       out / "events" / f"date={day}" / "old.parquet")
        t = EVENTS.read(out)
        assert t.schema.names[:len(EVENT_SCHEMA)] == EVENT_SCHEMA.names
        read = {(r["event_id"], str(r["date"])): r["admin2_code"] for r in t.to_pylist()}
        assert read[("old-" + sentence(seed_out, "Three trucks")["event_id"], day)] is None
        assert read[(sentence(seed_out, "Three trucks")["event_id"], "2019-02-23")] == "VE.20.2020"
        assert EVENTS.read(out, ["event_id", "admin2_name"]).column_names == [
            "event_id", "admin2_name"]
        figures = {r["event_id"]: (r["killed"], r["injured"], r["casualties_exact"])
                   for r in t.to_pylist()}
        assert all(v == (None, None, None) for k, v in figures.items() if k.startswith("old-"))
        assert all(r["actors"] is None and r["actor1_type"] is None for r in t.to_pylist()
                   if r["event_id"].startswith("old-"))
        assert any(v[2] is not None for k, v in figures.items() if not k.startswith("old-"))
        cues = {r["event_id"]: {f["cue"] for f in r["flags"]} for r in t.to_pylist()
                if r["flags"]}
        assert any(k.startswith("old-") and v == {None} for k, v in cues.items())
        assert any(not k.startswith("old-") and None not in v for k, v in cues.items())
    found = duckdb.sql(f"""
        SELECT CAST(date AS VARCHAR), count(*), count(admin2_code), count(location_name),
               count(casualties_exact) > 0
        FROM read_parquet('{out}/events/**/*.parquet', hive_partitioning=true,
                          union_by_name=true) GROUP BY 1 ORDER BY 1""").fetchall()
    n, located = len(old), sum(r["location_name"] is not None for r in old)
    with_district = sum(r["admin2_code"] is not None for r in rows(seed_out, "events"))
    assert found == [("2019-02-01", n, 0, located, False),
                     ("2019-02-23", n, with_district, located, True),
                     ("2019-03-01", n, 0, located, False)]


def test_seed_defection_and_diplomacy(seed_out):
    assert "defection" in sentence(seed_out, "Around 23 Venezuelan national guards")["labels"]
    assert "diplomacy" in sentence(seed_out, "Maduro announced the immediate suspension")["labels"]


def test_seed_places(seed_out):
    mentioned = {(loc["surface"], loc["name"], loc["country_code"])
                 for r in rows(seed_out, "events") for loc in r["locations"]}
    names = {s for s, _, _ in mentioned}
    assert ("Cúcuta", "Cúcuta", "CO") in mentioned
    assert any(s == "Venezuela" and cc == "VE" for s, _, cc in mentioned)  # incl. Venezuela´s
    assert not names & {"Maduro", "Bolton", "Red Cross", "Opec", "Duque", "Twitter"}


def test_seed_place_names_resolve_as_an_analyst_would():
    """Every place the seed names, from its non-event sentences too."""
    from newsevents.text.geoparse import Geoparser
    text = (ROOT / "seeds" / "000_28aa3b8bf562bb45.txt").read_text(encoding="utf-8")
    found = {(m.surface, m.place.name, m.place.country_code, m.place.feature)
             for m in Geoparser().find_places(text)}
    for expected in [("Ureña", "Ureña", "VE", "city"), ("Táchira", "Táchira", "VE", "admin1"),
                     ("Cúcuta", "Cúcuta", "CO", "city"), ("Caracas", "Caracas", "VE", "city"),
                     ("Curacao", "Curaçao", "CW", "country"), ("Brazil", "Brazil", "BR", "country")]:
        assert expected in found
    surfaces = {s for s, *_ in found}
    assert not surfaces & {"Maduro", "Bolton", "Red Cross", "Opec", "Duque", "Twitter", "Guaidó",
                           "Sebastián Piñera", "Mario Abdo", "Luis Almagro", "Pemon"}


def test_counts_reconcile_with_events(seed_out):
    events = rows(seed_out, "events")
    counts = rows(seed_out, "location_counts")
    per_label = {}
    for r in events:
        for label in r["labels"]:
            per_label[label] = per_label.get(label, 0) + 1
    summed = {}
    for c in counts:
        summed[c["event_type"]] = summed.get(c["event_type"], 0) + c["sentence_count"]
    assert summed == per_label
    manifest = json.loads((seed_out / "_manifest.json").read_text())
    assert manifest["counts"]["events_per_label"] == per_label
    assert manifest["counts"]["read"] == manifest["counts"]["valid"] == 1
    assert manifest["versions"]["taxonomy"] == events[0]["taxonomy_version"]


def test_duckdb_reads_the_output_as_is(seed_out):
    con = duckdb.connect()
    top = con.sql(f"""
        SELECT location_name, sum(sentence_count) AS n
        FROM read_parquet('{seed_out}/location_counts/**/*.parquet', hive_partitioning=true)
        WHERE location_name IS NOT NULL GROUP BY 1 ORDER BY n DESC, 1 LIMIT 3""").fetchall()
    assert top and all(n > 0 for _, n in top)
    dates = con.sql(f"""SELECT DISTINCT date FROM read_parquet(
        '{seed_out}/events/**/*.parquet', hive_partitioning=true)""").fetchall()
    assert [str(d) for d, in dates] == ["2019-02-23"]
    assert con.sql(f"SELECT count(*) FROM '{seed_out}/dead_letters/*.parquet'").fetchall() == [(0,)]


def test_rerun_gives_the_same_rows(seed_out, tmp_path):
    out = tmp_path / "again"
    assert run("--input", SEED, "--output", out) == 0
    for name in ("events", "location_counts"):
        assert rows(out, name) == rows(seed_out, name)


def test_bad_records_land_in_dead_letters_and_reconcile(tmp_path):
    src = tmp_path / "in.jsonl"
    good = json.loads(SEED.read_text())
    src.write_text(json.dumps(good) + "\n{broken\n" + json.dumps({**good, "id": ""}) + "\n"
                   + json.dumps(good) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    assert run("--input", src, "--output", out) == 0
    dead = rows(out, "dead_letters", drop=())
    assert sorted((d["line"], d["error_type"]) for d in dead) == [
        (2, "invalid_json"), (3, "empty_field"), (4, "duplicate_id")]
    manifest = json.loads((out / "_manifest.json").read_text())
    assert manifest["inputs"][0]["read"] == 4 and manifest["inputs"][0]["valid"] == 1
    assert manifest["counts"]["dead_letters"] == 3 and manifest["reconciled"]


def test_date_rerun_replaces_only_that_day(tmp_path):
    good = json.loads(SEED.read_text())
    src = tmp_path / "in" / "days.jsonl"
    src.parent.mkdir()
    src.write_text("\n".join(json.dumps({**good, "id": f"d{d}",
                                         "published_at": f"2019-02-{d}T12:00:00Z"})
                             for d in (22, 23)) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    assert run("--input", src, "--output", out) == 0
    before_22 = rows(out, "events")
    assert {str(r["published_at"].date()) for r in before_22} == {"2019-02-22", "2019-02-23"}
    marker = next((out / "events" / "date=2019-02-22").iterdir())
    # Day 23 changes in the input; a rerun of day 23 alone must leave day 22's files untouched.
    src.write_text(json.dumps({**good, "id": "d22", "published_at": "2019-02-22T12:00:00Z"})
                   + "\n", encoding="utf-8")
    assert run("--input", src, "--output", out, "--date", "2019-02-23") == 0
    assert marker.exists()
    assert not (out / "events" / "date=2019-02-23").exists()
    manifest = json.loads((out / "_manifest.json").read_text())
    assert manifest["counts"]["skipped_out_of_range"] == 1


def test_text_input_with_published_at(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(ROOT / "seeds" / "000_28aa3b8bf562bb45.txt", src)
    out = tmp_path / "out"
    assert run("--input", src, "--output", out, "--published-at", "2019-02-23T00:00:00Z") == 0
    assert {r["article_id"] for r in rows(out, "events")} == {"000_28aa3b8bf562bb45"}


@pytest.mark.parametrize("runner", [[], ["--runner=DirectRunner"]])
def test_the_direct_runner_never_tries_to_download_prism(tmp_path, monkeypatch, runner):
    """Beam's DirectRunner would first fetch its Prism runner from GitHub: nothing downloads
    at run time, so newsevents runs the FnApiRunner it would fall back to."""
    from apache_beam.runners.portability import prism_runner
    tried = []

    def refuse(*args, **kwargs):     # Beam catches what this raises, so it is also recorded
        tried.append(args)
        raise RuntimeError("no Prism here")
    monkeypatch.setattr(prism_runner.PrismRunner, "run_pipeline", refuse)
    out = tmp_path / "out"
    assert run("--input", SEED, "--output", out, *runner) == 0
    assert not tried
    assert json.loads((out / "_manifest.json").read_text())["counts"]["event_rows"] > 0
