"""`newsevents report`: what a reader needs from the page and the picture, on the seed and on
a synthetic month, and the page in a real browser (network closed, hostile input)."""
import itertools
import json
import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pyarrow.dataset as ds
import pytest
from PIL import Image

from headless import Chromium, blank
from newsevents.commands import report
from newsevents.cli import main
from newsevents.commands.synth import write_synthetic

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "000_28aa3b8bf562bb45.jsonl"
PAYLOADS = ("</script><script>alert(1)</script>", '"><img src=x onerror=alert(1)>')


def _run(inputs, out: Path) -> Path:
    assert main(["run", "--input", *map(str, inputs), "--output", str(out)]) == 0
    return out


@pytest.fixture(scope="module")
def seed(tmp_path_factory):
    out = _run([SEED], tmp_path_factory.mktemp("seed") / "output")
    assert main(["report", str(out)]) == 0
    return out


@pytest.fixture(scope="module")
def month(tmp_path_factory):
    d = tmp_path_factory.mktemp("month")
    src = d / "in.jsonl"
    write_synthetic(str(src), 300, seed=5, days=30)
    with open(src, "a", encoding="utf-8") as fh:
        fh.write("{not json\n")                             # a dead letter of one kind
    out = _run([src], d / "output")
    assert main(["report", str(out)]) == 0
    return out


@pytest.fixture(scope="module")
def drawn(seed, month):
    return {"seed": report.build_report(seed), "month": report.build_report(month)}


@pytest.mark.parametrize("name", ["seed", "month"])
def test_picture_is_written_at_its_size_with_a_drawn_map(name, drawn, seed, month):
    out = {"seed": seed, "month": month}[name]
    picture = Image.open(out / "report.png")
    assert picture.format == "PNG" and picture.size == (1200, 1300)
    figures = drawn[name][2]
    box = figures.map_axes.get_window_extent()
    area = picture.convert("RGB").crop((int(box.x0), int(picture.height - box.y1),
                                        int(box.x1), int(picture.height - box.y0)))
    assert area.width > 400 and not blank(area)


@pytest.mark.parametrize("name", ["seed", "month"])
def test_top_labels_are_shown_and_do_not_overlap(name, drawn):
    figures = drawn[name][2]
    renderer = figures.figure.canvas.get_renderer()
    boxes = [t.get_bbox_patch().get_window_extent(renderer) for t in figures.labels]
    assert len(boxes) >= 4
    assert not [(a, b) for a, b in itertools.combinations(boxes, 2) if a.overlaps(b)]
    axes = figures.map_axes.get_window_extent()
    assert all(axes.x0 <= b.x0 and b.x1 <= axes.x1 and axes.y0 <= b.y0 and b.y1 <= axes.y1
               for b in boxes)


def test_the_seed_labels_every_place_it_names(drawn):
    names = {t.get_text().rsplit(" ", 1)[0] for t in drawn["seed"][2].labels}
    assert {"Ureña", "Cúcuta", "Venezuela", "Colombia"} <= names


def test_the_map_is_fitted_to_the_data(drawn, seed, month):
    seed_map = drawn["seed"][2].map_axes
    (west, east), (south, north) = seed_map.get_xlim(), seed_map.get_ylim()
    # the Venezuelan-Colombian border, not the world
    assert -80 < west < -72.5 and -66 < east < -55 and -5 < south < 4 and 8 < north < 20
    month_map = drawn["month"][2].map_axes
    (west, east), (south, north) = month_map.get_xlim(), month_map.get_ylim()
    for p in report.places(report.load_counts(month)):
        assert west < p.lon < east and south < p.lat < north, p


@pytest.mark.parametrize("name", ["seed", "month"])
def test_time_ticks_are_distinct_increasing_and_whole(name, drawn):
    figures = drawn[name][2]
    fig = figures.figure
    for gid in ("chart", "lines"):
        ax = next(a for a in fig.axes if a.get_gid() == gid)
        ticks = [t for t in ax.get_xticks() if ax.get_xlim()[0] <= t <= ax.get_xlim()[1]]
        labels = figures.tick_labels[gid]
        assert len(labels) >= 3 and len(set(labels)) == len(labels)
        assert ticks == sorted(set(ticks))
        ys = [t for t in ax.get_yticks() if ax.get_ylim()[0] <= t <= ax.get_ylim()[1]]
        assert all(float(y).is_integer() for y in ys)       # a bar of 2 sits on the line "2"


def test_buckets_follow_the_span_never_finer_than_the_window():
    day, hours = timedelta(days=1), timedelta(hours=6)
    assert report.bucket_of(3 * day, day) == "day"
    assert report.bucket_of(30 * day, day) == "day"
    assert report.bucket_of(200 * day, day) == "week"
    assert report.bucket_of(3 * 365 * day, day) == "month"
    assert report.bucket_of(40 * 365 * day, day) == "year"
    assert report.bucket_of(2 * day, hours) == "window"
    assert report.bucket_of(30 * day, hours) == "day"
    assert report.bucket_of(30 * day, 7 * day) == "week"
    t = datetime(2019, 2, 20, 13, tzinfo=timezone.utc)        # a Wednesday
    assert report.bucket_start(t, "week", day) == datetime(2019, 2, 18, tzinfo=timezone.utc)
    assert report.bucket_end(datetime(2019, 12, 1, tzinfo=timezone.utc), "month", day) == \
        datetime(2020, 1, 1, tzinfo=timezone.utc)


def test_time_series_add_up_to_the_counts(month):
    counts = report.load_counts(month)
    series = report.time_series(counts)
    assert series.bucket == "day" and len(series.starts) == 30
    assert sum(map(sum, series.types.values())) == sum(c["sentence_count"] for c in counts)
    assert len(series.top) == 5


def test_health_is_read_from_the_tables(month):
    import pyarrow.dataset as ds
    rows = dict(report.health(month, report.read_manifest(month)))
    events = ds.dataset(month / "events", partitioning="hive").to_table().to_pylist()
    assert rows["event sentences"] == f"{len(events):,}"
    assert rows["articles with events"] == f"{len({e['article_id'] for e in events}):,}"
    assert rows["dead letters by kind"] == "invalid_json 1"
    assert rows["run id"] == report.read_manifest(month)["run_id"]
    unplaced = sum(e["location_name"] is None for e in events) / len(events)
    assert rows["event sentences with no location"] == f"{unplaced:.0%}"
    assert "city" in rows["precision of the rest"] and "MIXED" not in rows["taxonomy"]
    violence = [e for e in events if "violence" in e["labels"]]
    typed = sum(bool(e["actor1_type"] or e["actor2_type"]) for e in violence) / len(violence)
    counted = sum(e["killed"] is not None or e["injured"] is not None
                  for e in violence) / len(violence)
    assert rows["violence sentences with an actor type / a casualty figure"] == \
        f"{typed:.0%} / {counted:.0%}"


def test_the_same_output_gives_the_same_report(drawn, seed):
    page, png, _ = report.build_report(seed)
    assert page == drawn["seed"][0] and png == drawn["seed"][1]


def test_report_names_the_run_and_a_rerun_makes_it_stale(tmp_path, capsys):
    out = _run([SEED], tmp_path / "output")
    assert report.stale_warning(out) is None                 # no report yet: nothing to say
    assert main(["report", str(out)]) == 0
    first = report.read_manifest(out)["run_id"]
    assert first in (out / "report.html").read_text()
    assert report.stale_warning(out) is None
    assert main(["report", "--check", str(out)]) == 0
    _run([SEED], out)
    warning = report.stale_warning(out)
    assert warning and first in warning and "newsevents report" in warning
    assert main(["report", "--check", str(out)]) == 1
    capsys.readouterr()
    assert main(["report", str(out)]) == 0
    assert "stale" in capsys.readouterr().err
    assert report.stale_warning(out) is None


def test_report_is_written_when_the_reader_stops_early(seed):
    for name in ("report.html", "report.png"):
        (seed / name).unlink()
    done = subprocess.run(["bash", "-o", "pipefail", "-c",
                           f"'{sys.executable}' -m newsevents report '{seed}' | head -3"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert len(done.stdout.splitlines()) == 3
    assert (seed / "report.html").stat().st_size > 0 and (seed / "report.png").stat().st_size > 0


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    path = tmp_path / "report.html"
    path.write_text("old")

    def fail(*_):
        raise OSError("disk full")
    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError):
        report.write_atomically(path, b"new")
    assert path.read_text() == "old" and [p.name for p in tmp_path.iterdir()] == ["report.html"]


def test_report_on_a_wrong_directory_is_one_line(tmp_path, capsys):
    assert main(["report", str(tmp_path)]) == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1
    assert not (tmp_path / "report.html").exists()


# ---- in a real browser ------------------------------------------------------------------

def test_the_page_draws_offline_in_a_browser(seed):
    with Chromium() as open_page:
        page = open_page((seed / "report.html").as_uri())
        requests = {r["request"]["url"] for r in page.of("Network.requestWillBeSent")}
        assert requests == {(seed / "report.html").as_uri()}     # nothing else was asked for
        assert page.console_errors() == []
        for area in ("#map-area", "#chart-area", "#lines-area"):
            image = page.screenshot(area)
            assert image.width > 300 and image.height > 150 and not blank(image), area
        assert page.evaluate("document.querySelectorAll('#health tr').length") >= 8


def test_untrusted_text_stays_text(tmp_path):
    text = (f"Gunmen attacked a police post in Cúcuta on Monday, killing three officers "
            f"{PAYLOADS[0]} and {PAYLOADS[1]}, officials said. Aid trucks crossed into Ureña "
            f"{PAYLOADS[1]} from Colombia.")
    src = tmp_path / "hostile.jsonl"
    src.write_text(json.dumps({"id": f"evil{PAYLOADS[0]}{PAYLOADS[1]}", "title": "".join(PAYLOADS),
                               "text": text, "published_at": "2019-02-23T12:00:00Z"}) + "\n",
                   encoding="utf-8")
    out = _run([src], tmp_path / "output")
    assert main(["report", str(out)]) == 0
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "<script" not in html and "<img" not in html       # escaped, every one
    with Chromium() as open_page:
        page = open_page((out / "report.html").as_uri())
        assert page.of("Page.javascriptDialogOpening") == []
        assert page.evaluate("document.querySelectorAll('script, img, [onerror]').length") == 0
        shown = page.evaluate("document.querySelector('#examples').innerText")
        assert PAYLOADS[0] in shown and PAYLOADS[1] in shown     # shown as the text it is
        assert page.console_errors() == []


def _counts(days: int, window: timedelta, step: timedelta) -> list[dict]:
    """Count rows as the pipeline writes them: one place, two types, every `step`."""
    start, rows, t = datetime(2019, 2, 18, tzinfo=timezone.utc), [], timedelta(0)
    while t < timedelta(days=days):
        for i, label in enumerate(("violence", "diplomacy")):
            rows.append({"window_start": start + t, "window_end": start + t + window,
                         "event_type": label, "location_name": "Ureña", "country_code": "VE",
                         "latitude": 7.92, "longitude": -72.45, "sentence_count": 1 + i,
                         "article_count": 1})
        t += step
    return rows


@pytest.mark.parametrize("days, window, step, bucket", [
    (3, timedelta(hours=6), timedelta(hours=6), "window"),
    (400, timedelta(days=1), timedelta(days=3), "week"),
    (5 * 365, timedelta(days=1), timedelta(days=10), "month"),
])
def test_time_reads_at_any_span(days, window, step, bucket):
    counts = _counts(days, window, step)
    series = report.time_series(counts)
    assert series.bucket == bucket and len(series.starts) <= report.MAX_BARS
    assert sum(map(sum, series.types.values())) == sum(c["sentence_count"] for c in counts)
    figures = report.draw(counts, [("run id", "test")], "test")
    for labels in figures.tick_labels.values():
        assert len(labels) >= 3 and len(set(labels)) == len(labels), labels


def test_an_output_without_events_still_gets_a_report(tmp_path):
    src = tmp_path / "calm.jsonl"
    src.write_text(json.dumps({"id": "calm", "text": "The museum reopened after a renovation.",
                               "published_at": "2019-02-23T00:00:00Z"}) + "\n")
    out = _run([src], tmp_path / "output")
    assert main(["report", str(out)]) == 0
    assert Image.open(out / "report.png").size == (1200, 1300)
    assert dict(report.health(out, report.read_manifest(out)))["event sentences"] == "0"
    assert "no event sentences" in (out / "report.html").read_text()  # said, not left blank


def test_the_report_shows_incidents_per_day_beside_sentences_and_the_largest(seed):
    incidents = report.load_incidents(seed)
    per_day = report.incidents_per_day(seed, incidents)
    assert incidents and sum(n for _, _, n in per_day) == len(incidents)
    events = ds.dataset(seed / "events", format="parquet", partitioning="hive").to_table()
    assert sum(s for _, s, _ in per_day) == events.num_rows
    largest = report.largest_incidents(incidents, 3)
    assert [i["article_count"] for i in largest] == sorted(
        (i["article_count"] for i in incidents), reverse=True)[:3]
    page = (seed / report.PAGE).read_text(encoding="utf-8")
    assert 'id="incidents-per-day"' in page and 'id="largest-incidents"' in page
    assert report.format_tables([], incidents).startswith("Top locations")
    assert "Largest incidents (of" in report.format_tables([], incidents)
