"""Real queries with DuckDB, Polars and pandas on a real output, and `newsevents report`'s
tables (its page and picture: test_report.py)."""
from pathlib import Path

import duckdb
import pandas as pd
import polars as pl
import pyarrow.dataset as ds
import pytest

from newsevents.cli import main
from newsevents.commands.synth import write_synthetic

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    d = tmp_path_factory.mktemp("analytics")
    src = d / "in.jsonl"
    write_synthetic(str(src), 150, seed=11, days=3)
    out = d / "output"
    assert main(["run", "--input", str(src), str(ROOT / "seeds" / "000_28aa3b8bf562bb45.jsonl"),
                 "--output", str(out)]) == 0
    return out


def test_duckdb_top_locations_per_event_type(out):
    rows = duckdb.sql(f"""
        SELECT event_type, location_name, sum(sentence_count) AS n,
               row_number() OVER (PARTITION BY event_type ORDER BY sum(sentence_count) DESC,
                                  location_name) AS rank
        FROM read_parquet('{out}/location_counts/**/*.parquet', hive_partitioning=true)
        WHERE location_name IS NOT NULL GROUP BY event_type, location_name
        QUALIFY rank <= 3 ORDER BY ALL""").fetchall()
    types = {r[0] for r in rows}
    assert {"violence", "diplomacy", "aid_movement", "defection"} <= types
    assert all(n > 0 for _, _, n, _ in rows)


def test_duckdb_counts_rolled_up_by_district(out):
    # the README's query: the counts of a district's places add up under its code
    rows = duckdb.sql(f"""
        SELECT country_code, admin2_code, admin2_name, event_type, sum(sentence_count) AS n
        FROM read_parquet('{out}/location_counts/**/*.parquet', hive_partitioning=true,
                          union_by_name=true)
        WHERE admin2_code IS NOT NULL GROUP BY ALL ORDER BY n DESC""").fetchall()
    assert rows and all(code.startswith(cc + ".") for cc, code, *_ in rows)
    events = duckdb.sql(f"""
        SELECT admin2_code, event_type, count(*)
        FROM (SELECT admin2_code, unnest(labels) AS event_type
              FROM read_parquet('{out}/events/**/*.parquet', hive_partitioning=true))
        WHERE admin2_code IS NOT NULL GROUP BY ALL""").fetchall()
    assert {(code, t): n for _, code, _, t, n in rows} == {(c, t): n for c, t, n in events}


def test_polars_daily_series_for_one_country(out):
    counts = pl.scan_parquet(f"{out}/location_counts/**/*.parquet", hive_partitioning=True)
    series = (counts.filter(pl.col("country_code") == "VE")
              .group_by(pl.col("window_start").dt.date().alias("day"), "event_type")
              .agg(pl.col("sentence_count").sum()).sort("day", "event_type").collect())
    assert series.height > 0
    days = series["day"].unique().to_list()
    assert len(days) >= 2 and all(str(d).startswith("2019-02") for d in days)


def test_pandas_events_join_back_to_their_counts(out):
    events = ds.dataset(out / "events", format="parquet", partitioning="hive").to_table().to_pandas()
    counts = ds.dataset(out / "location_counts", format="parquet",
                        partitioning="hive").to_table().to_pandas()
    e = events.explode("labels").rename(columns={"labels": "event_type"})
    e["window_start"] = e["published_at"].dt.floor("D")
    joined = e.merge(counts, on=["window_start", "event_type", "geonameid"], how="left",
                     suffixes=("", "_count"))
    located = joined[joined["geonameid"].notna()]
    assert len(located) > 0 and located["sentence_count"].notna().all()
    # Each count equals the number of event sentences that joined to it.
    per_key = located.groupby(["window_start", "event_type", "geonameid"]).agg(
        n=("event_id", "size"), count=("sentence_count", "first"))
    assert (per_key["n"] == per_key["count"]).all()
    assert pd.api.types.is_datetime64_any_dtype(events["published_at"])


def test_report_prints_tables(out, capsys):
    assert main(["report", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "Top locations per event type" in printed and "Daily event sentences in" in printed
    assert f"report: {out / 'report.html'}" in printed and f"picture: {out / 'report.png'}" in printed
