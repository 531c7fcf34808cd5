"""Real queries with DuckDB, Polars and pandas on a real output, and `newsevents report`."""
import shutil
import subprocess
from pathlib import Path

import duckdb
import pandas as pd
import polars as pl
import pyarrow.dataset as ds
import pytest

from newsevents.cli import main
from newsevents.synth import write_synthetic

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


def test_report_prints_tables_and_writes_a_self_contained_page(out, capsys):
    assert main(["report", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "Top locations per event type" in printed and "Daily event sentences in" in printed
    page = (out / "report.html").read_text()
    assert page.count("<svg") == 2 and "<circle" in page and "<rect" in page
    assert "http://" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "<script" not in page


def test_report_on_a_wrong_directory_is_one_line(tmp_path, capsys):
    assert main(["report", str(tmp_path)]) == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1


@pytest.mark.skipif(not shutil.which("chromium"), reason="headless Chromium is not installed")
def test_report_page_renders_in_a_browser(out, tmp_path):
    """The page draws without a network: a headless browser screenshot has real content."""
    assert main(["report", str(out)]) == 0
    png = tmp_path / "report.png"
    subprocess.run(["chromium", "--headless=new", "--no-sandbox", "--disable-gpu",
                    "--window-size=1200,1500", f"--screenshot={png}",
                    (out / "report.html").as_uri()], check=True, capture_output=True, timeout=120)
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 30_000   # a blank page is ~5 KB
