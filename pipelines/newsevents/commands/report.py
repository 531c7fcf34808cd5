"""`newsevents report OUTPUT_DIR`: a map, the counts over time, the incidents and the output's
health.

Writes OUTPUT_DIR/report.html (self-contained: inline SVG and CSS, no script, nothing
fetched) and OUTPUT_DIR/report.png (the same figure), each atomically, and prints the top
places per event type and the largest incidents. Both name the run and a fingerprint of the output they describe;
`stale_warning(output)` says when an existing report no longer matches the output.
Borders come from countryinfo's GeoJSON (installed with the package, nothing downloaded).
"""
from __future__ import annotations

import hashlib
import html
import json
import math
import os
import re
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import pyarrow.compute as pc
import pyarrow.dataset as ds

from newsevents.tables import DEAD_LETTERS, EVENTS, INCIDENTS, LOCATION_COUNTS, TABLES
from newsevents.taxonomy import LABEL_SPECS, LABELS

COLOURS = {label: spec["colour"] for label, spec in LABEL_SPECS.items()}
PAGE, PICTURE = "report.html", "report.png"
MAP_LABELS = 8            # places named on the map; the rest are markers only
TOP_LINES = 5             # locations with a line of their own over time
LARGEST = 10              # incidents listed, the most reported first
MAX_BARS = 70             # more buckets than this and bars turn into a smear: coarsen
_STATE_META = re.compile(r'<meta name="newsevents-output-state" content="([0-9a-f]+)"')
_RUN_META = re.compile(r'<meta name="newsevents-run-id" content="([^"]*)"')


# ---- reading the output ----------------------------------------------------------------

def load_counts(output: Path) -> list[dict]:
    table = LOCATION_COUNTS.read(output)
    if table is None:
        if (output / "_manifest.json").is_file():
            return []                     # a run that found no events writes no counts
        raise FileNotFoundError(f"{output} has no location_counts/: is it a newsevents output?")
    return table.to_pylist()


def load_incidents(output: Path) -> list[dict]:
    """The incidents table's rows ([] for an output written before incidents)."""
    table = INCIDENTS.read(output, ["incident_id", "event_type", "event_date", "location_name",
                                    "country_code", "sentence_count", "article_count",
                                    "killed", "injured"])
    return [] if table is None else table.to_pylist()


def incidents_per_day(output: Path, incidents: list[dict]) -> list[tuple[str, int, int]]:
    """(event day, event sentences, incidents) per day the events happened on: how many
    sentences told of each day's events beside how many events there were."""
    events = EVENTS.read(output, ["event_date", "labels"])
    sentences: Counter = Counter()
    if events is not None and "event_date" in events.column_names:
        for day, labels in zip(events.column("event_date").to_pylist(),
                               events.column("labels").to_pylist()):
            if day is not None and labels:
                sentences[f"{day:%Y-%m-%d}"] += 1
    per_day = Counter(f"{i['event_date']:%Y-%m-%d}" for i in incidents)
    return [(day, sentences[day], per_day[day]) for day in sorted(set(sentences) | set(per_day))]


def largest_incidents(incidents: list[dict], n: int = LARGEST) -> list[dict]:
    """The most reported incidents: the most articles, then sentences."""
    return sorted(incidents, key=lambda i: (-i["article_count"], -i["sentence_count"],
                                            i["incident_id"]))[:n]


def read_manifest(output: Path) -> dict:
    try:
        return json.loads((output / "_manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def output_state(output: Path) -> str:
    """A fingerprint of the output as it is: every table file (name, size, mtime) and the
    manifest. Any run that publishes changes it; reading the output does not."""
    h = hashlib.sha256()
    for table in TABLES:
        for f in sorted((output / table.name).rglob("*.parquet")):
            st = f.stat()
            h.update(f"{f.relative_to(output)}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    try:
        h.update((output / "_manifest.json").read_bytes())
    except OSError:
        pass
    return h.hexdigest()[:16]


def stale_warning(output: Path) -> str | None:
    """A one-line warning when OUTPUT/report.html exists and describes another state of the
    output (a run has published since), else None. Cheap: no plotting library is loaded."""
    try:
        head = (Path(output) / PAGE).read_text(encoding="utf-8", errors="replace")[:4096]
    except OSError:
        return None
    state = _STATE_META.search(head)
    if state and state.group(1) == output_state(Path(output)):
        return None
    run = _RUN_META.search(head)
    described = f"run {html.unescape(run.group(1))}" if run else "an earlier output"
    return (f"{Path(output) / PAGE} describes {described}, not the output as it is now: "
            f"`newsevents report {output}` updates it")


# ---- what the figures show ---------------------------------------------------------------

def top_locations_by_type(counts: list[dict], n: int = 5) -> dict[str, list[tuple]]:
    totals: dict[str, dict[tuple, int]] = defaultdict(lambda: defaultdict(int))
    for c in counts:
        if c["location_name"] is not None:
            totals[c["event_type"]][(c["location_name"], c["country_code"])] += c["sentence_count"]
    return {t: sorted(((name, cc, k) for (name, cc), k in places.items()),
                      key=lambda x: (-x[2], x[0]))[:n] for t, places in sorted(totals.items())}


@dataclass(frozen=True)
class Place:
    name: str
    country: str
    lat: float
    lon: float
    sentences: int
    dominant: str            # the event type with the most sentences here (ties: LABELS order)


def places(counts: list[dict]) -> list[Place]:
    """One entry per event location, the most event sentences first."""
    per_type: dict[tuple, Counter] = defaultdict(Counter)
    for c in counts:
        if c["latitude"] is not None:
            key = (c["location_name"], c["country_code"], c["latitude"], c["longitude"])
            per_type[key][c["event_type"]] += c["sentence_count"]
    order = {t: i for i, t in enumerate(LABELS)}
    out = [Place(*key, sum(k.values()), min(k, key=lambda t: (-k[t], order.get(t, 99), t)))
           for key, k in per_type.items()]
    return sorted(out, key=lambda p: (-p.sentences, p.name, p.country))


def bucket_of(span: timedelta, window: timedelta) -> str:
    """The time bucket: the output's window while that gives few enough bars, else the
    first of day, week, month, year that does (never finer than the window)."""
    if window in (timedelta(days=1), timedelta(days=7)) and span / window <= MAX_BARS:
        return "day" if window.days == 1 else "week"
    for name, length in (("window", window), ("day", timedelta(days=1)),
                         ("week", timedelta(days=7)), ("month", timedelta(days=30.44))):
        if length >= window and span / length <= MAX_BARS:
            return name
    return "year"


def bucket_start(t: datetime, bucket: str, window: timedelta) -> datetime:
    if bucket == "window":
        return t
    t = t.replace(hour=0, minute=0, second=0, microsecond=0)
    if bucket == "week":
        return t - timedelta(days=t.weekday())       # ISO weeks: Monday
    if bucket == "month":
        return t.replace(day=1)
    if bucket == "year":
        return t.replace(month=1, day=1)
    return t


def bucket_end(start: datetime, bucket: str, window: timedelta) -> datetime:
    if bucket == "month":
        return (start + timedelta(days=32)).replace(day=1)
    if bucket == "year":
        return start.replace(year=start.year + 1)
    return start + {"window": window, "day": timedelta(days=1), "week": timedelta(days=7)}[bucket]


@dataclass(frozen=True)
class Series:
    bucket: str                          # window, day, week, month or year
    starts: list                         # every bucket from the first to the last, empty too
    ends: list
    types: dict                          # event type -> sentences per bucket
    top: dict                            # (place, country) -> sentences per bucket, TOP_LINES


def time_series(counts: list[dict]) -> Series:
    if not counts:
        return Series("day", [], [], {}, {})
    window = min(c["window_end"] - c["window_start"] for c in counts)
    first = min(c["window_start"] for c in counts)
    last = max(c["window_end"] for c in counts)
    bucket = bucket_of(last - first, window)
    by_type: dict[str, Counter] = defaultdict(Counter)
    by_place: dict[tuple, Counter] = defaultdict(Counter)
    for c in counts:
        b = bucket_start(c["window_start"], bucket, window)
        by_type[c["event_type"]][b] += c["sentence_count"]
        if c["location_name"] is not None:
            by_place[(c["location_name"], c["country_code"])][b] += c["sentence_count"]
    starts, ends, b = [], [], bucket_start(first, bucket, window)
    while b < last:
        starts.append(b)
        b = bucket_end(b, bucket, window)
        ends.append(b)
    top = sorted(by_place, key=lambda k: (-sum(by_place[k].values()), k))[:TOP_LINES]
    return Series(bucket, starts, ends,
                  {t: [by_type[t][s] for s in starts] for t in LABELS if t in by_type},
                  {k: [by_place[k][s] for s in starts] for k in top})


def _tally(column) -> Counter:
    return Counter({v["values"]: v["counts"] for v in pc.value_counts(column).to_pylist()
                    if v["values"] is not None})


def _with_label(table, label: str):
    """The rows whose labels hold `label`."""
    labels = table["labels"]
    parents = pc.list_parent_indices(labels)
    return table.take(pc.unique(pc.filter(parents, pc.equal(pc.list_flatten(labels), label))))


def health(output: Path, manifest: dict) -> list[tuple[str, str]]:
    """What a reader checks before trusting the figures, read from the tables themselves
    (they hold every run's partitions) and, for what only a run knows, its manifest."""
    rows: list[tuple[str, str]] = []
    c = manifest.get("counts", {})
    if c:
        rows.append(("last run: articles read", f"{c['read']:,}"))
        rows.append(("  valid / skipped / dead letters",
                     f"{c['valid']:,} / {c['skipped_out_of_range']:,} / {c['dead_letters']:,}"))
    events = EVENTS.read(output, ["article_id", "labels", "published_at", "location_name",
                                       "location_precision", "taxonomy_version",
                                       "gazetteer_version", "language", "actor1_type",
                                       "actor2_type", "killed", "injured"])
    if events is None:
        rows.append(("event sentences", "0"))
    else:
        ev = events.filter(pc.greater(pc.list_value_length(events["labels"]), 0))
        rows.append(("articles with events", f"{pc.count_distinct(ev['article_id']).as_py():,}"))
        rows.append(("event sentences", f"{ev.num_rows:,}"))
        if ev.num_rows:
            span = pc.min_max(ev["published_at"]).as_py()
            rows.append(("published", f"{span['min']:%Y-%m-%d} to {span['max']:%Y-%m-%d}"))
            unplaced = pc.sum(pc.is_null(ev["location_name"])).as_py()
            rows.append(("event sentences with no location", f"{unplaced / ev.num_rows:.0%}"))
            mix = _tally(ev.filter(pc.is_valid(ev["location_name"]))["location_precision"])
            located = sum(mix.values()) or 1
            rows.append(("precision of the rest", ", ".join(
                f"{p} {mix[p] / located:.0%}" for p in ("city", "admin2", "admin1", "country")
                if mix[p])))
            violence = _with_label(ev, "violence")
            if violence.num_rows:
                typed = pc.or_(pc.is_valid(violence["actor1_type"]),
                               pc.is_valid(violence["actor2_type"]))
                counted = pc.or_(pc.is_valid(violence["killed"]), pc.is_valid(violence["injured"]))
                rows.append(("violence sentences with an actor type / a casualty figure",
                             f"{pc.sum(typed).as_py() / violence.num_rows:.0%} / "
                             f"{pc.sum(counted).as_py() / violence.num_rows:.0%}"))
        langs = _tally(ev["language"]) if "language" in ev.column_names else Counter()
        rows.append(("languages", ", ".join(f"{k} {n:,}" for k, n in langs.most_common())
                     or "not recorded"))
        for col, label in (("taxonomy_version", "taxonomy"), ("gazetteer_version", "gazetteer")):
            versions = sorted(pc.unique(ev[col]).to_pylist())
            rows.append((label, "; ".join(versions) + (" (MIXED)" if len(versions) > 1 else "")))
    dead = DEAD_LETTERS.read(output, ["error_type"])
    kinds = _tally(dead["error_type"]) if dead is not None else Counter()
    rows.append(("dead letters by kind", ", ".join(f"{k} {n:,}" for k, n in sorted(
        kinds.items(), key=lambda kv: (-kv[1], kv[0]))) or "none"))
    rows.append(("run id", str(manifest.get("run_id", "unknown (no _manifest.json)"))))
    return rows


def example_sentences(output: Path, per_type: int = 2) -> list[dict]:
    """The latest event sentences of each type, so a reader sees what the counts stand for.
    Only ids and labels are read for all rows; texts only for those shown."""
    events = EVENTS.read(output, ["event_id", "published_at", "labels"])
    if events is None:
        return []
    order = events.sort_by([("published_at", "descending"), ("event_id", "descending")])
    picked: dict[str, list[str]] = {label: [] for label in LABELS}
    for event_id, labels in zip(order["event_id"].to_pylist(), order["labels"].to_pylist()):
        for label in labels:
            if len(picked.get(label, per_type)) < per_type:
                picked[label].append(event_id)
        if all(len(ids) == per_type for ids in picked.values()):
            break
    ids = [i for ids in picked.values() for i in ids]
    found = ds.dataset(output / EVENTS.name, format="parquet", partitioning="hive").to_table(
        columns=["event_id", "article_id", "text", "published_at", "location_name"],
        filter=ds.field("event_id").isin(ids))
    by_id = {r["event_id"]: r for r in found.to_pylist()}
    return [dict(by_id[i], label=label) for label, ids in picked.items() for i in ids]


# ---- drawing ------------------------------------------------------------------------------

def countries() -> tuple[list, list[tuple[str, float, float]]]:
    """countryinfo's outlines, as (N, 2) lon/lat arrays (holes and all), and the name and
    (lon, lat) of each country that has one."""
    import numpy as np
    from countryinfo import CountryInfo
    rings, names = [], []
    for info in CountryInfo.all().values():
        features = info.get("geoJSON", {}).get("features", [])
        for feature in features:
            geom = feature["geometry"]
            polygons = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
            rings += [np.asarray(ring, dtype=float) for poly in polygons for ring in poly]
        if features and info.get("latlng"):
            names.append((info["name"], info["latlng"][1], info["latlng"][0]))
    return rings, sorted(names)


def map_extent(ps: list[Place]) -> tuple[float, float, float, float]:
    """(west, east, south, north): the data's extent with a margin, at least 10 degrees of
    latitude across so a single place still shows its neighbours."""
    if not ps:
        return -180.0, 180.0, -60.0, 80.0
    lons, lats = [p.lon for p in ps], [p.lat for p in ps]
    half_lat = max((max(lats) - min(lats)) * 0.6, 5.0)
    half_lon = max((max(lons) - min(lons)) * 0.6, 5.0)
    mid_lat, mid_lon = (max(lats) + min(lats)) / 2, (max(lons) + min(lons)) / 2
    return (max(mid_lon - half_lon, -180), min(mid_lon + half_lon, 180),
            max(mid_lat - half_lat, -85), min(mid_lat + half_lat, 85))


def _draw_map(ax, ps: list[Place]) -> list:
    from adjustText import adjust_text
    from matplotlib.collections import PolyCollection
    from matplotlib.lines import Line2D
    from matplotlib.ticker import FormatStrFormatter, MaxNLocator

    west, east, south, north = map_extent(ps)
    rings, names = countries()
    ax.set_facecolor("#dce9f2")                                     # sea
    ax.add_collection(PolyCollection(rings, facecolor="#f4f1ea", edgecolor="#8a8a8a",
                                     linewidth=0.6, zorder=1), autolim=False)
    ax.update_datalim([(west, south), (east, north)])
    ax.margins(0)
    # equirectangular, stretched so that a degree of longitude has its true length mid-view
    ax.set_aspect(1 / math.cos(math.radians((south + north) / 2)), adjustable="datalim")
    ax.apply_aspect()
    low, high = ax.get_ylim()
    if low < -90 or high > 90:            # a wide view: shrink the box, not past the poles
        ax.set_adjustable("box")
        ax.set_ylim(max(low, -90), min(high, 90))
    ax.xaxis.set_major_formatter(FormatStrFormatter("%g°"))
    ax.yaxis.set_major_formatter(FormatStrFormatter("%g°"))
    ax.grid(color="white", linewidth=0.6, zorder=0)
    ax.set_axisbelow(True)
    ax.set_title("Event sentences per location", loc="left", fontweight="bold")
    top = max((p.sentences for p in ps), default=1)
    ordered = sorted(ps, key=lambda p: -p.sentences)                # small markers on top
    markers = ax.scatter([p.lon for p in ordered], [p.lat for p in ordered],
                         s=[30 + 900 * p.sentences / top for p in ordered],
                         c=[COLOURS.get(p.dominant, "#888") for p in ordered], alpha=0.75,
                         edgecolors="white", linewidths=0.8, zorder=3)
    types = [t for t in LABELS if any(p.dominant == t for p in ps)]
    if ps:
        colour = ax.legend(handles=[Line2D([], [], marker="o", linestyle="", markersize=9,
                                           color=COLOURS[t], label=t.replace("_", " "))
                                    for t in types],
                           title="colour: main event type", loc="lower left", fontsize=8,
                           title_fontsize=8, framealpha=0.9)
        colour.set_zorder(5)
        handles, values = markers.legend_elements(
            prop="sizes", num=MaxNLocator(3, integer=True, min_n_ticks=1),
            func=lambda s: (s - 30) * top / 900, color="#999", alpha=0.6)
        ax.add_artist(colour)
        ax.legend(handles, values, title="area: event sentences", loc="lower right",
                  fontsize=8, title_fontsize=8, framealpha=0.9, labelspacing=1.6,
                  borderpad=1.0).set_zorder(5)
    texts = [ax.text(p.lon, p.lat, f"{p.name} {p.sentences}", fontsize=9, zorder=4,
                     bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none", alpha=0.8))
             for p in ps[:MAP_LABELS]]
    # country names give a regional view its bearings; in a world view they would bury it
    labelled = {p.name for p in ps[:MAP_LABELS]}
    context = [ax.text(lon, lat, name, fontsize=8, color="#777", style="italic", ha="center",
                       va="center", zorder=2, clip_on=True)
               for name, lon, lat in names
               if east - west < 60 and name not in labelled
               and west < lon < east and south < lat < north]
    if texts:
        # a fixed number of iterations, not adjustText's default time limit: the same
        # output gives the same picture on any machine
        _, arrows = adjust_text(texts, x=[p.lon for p in ordered], y=[p.lat for p in ordered],
                                objects=context or None, ax=ax, iter_lim=1000, time_lim=None,
                                expand=(1.3, 1.6),
                                arrowprops=dict(arrowstyle="-", color="#555", lw=0.6))
        _drop_overlapping(ax, texts + context, arrows)
    return [t for t in texts if t.get_visible()]


def _drop_overlapping(ax, texts: list, arrows: list) -> None:
    """adjustText minimises overlap but does not promise none: hide any label that still
    touches a higher-ranked one (and its leader line), so what is shown can be read."""
    ax.figure.canvas.draw()                # label boxes follow their texts only when drawn
    renderer = ax.figure.canvas.get_renderer()
    kept = []
    for t in texts:
        patch = t.get_bbox_patch()
        box = (patch or t).get_window_extent(renderer)
        if any(box.overlaps(k) for k in kept):
            t.set_visible(False)
            for arrow in arrows:
                if arrow.patchA is t:
                    arrow.set_visible(False)
        else:
            kept.append(box)


def _draw_time(ax_bars, ax_lines, series: Series) -> None:
    import matplotlib
    import matplotlib.dates as mdates
    from matplotlib.ticker import MaxNLocator

    per = f"per {series.bucket}"
    ax_bars.set_title(f"Event sentences {per}, by type", loc="left", fontweight="bold")
    ax_lines.set_title(f"Event sentences {per} at the top {len(series.top)} locations",
                       loc="left", fontweight="bold")
    starts = series.starts
    if not starts:
        for ax in (ax_bars, ax_lines):
            ax.text(0.5, 0.5, "no event sentences in this output", transform=ax.transAxes,
                    ha="center", color="#777")
            ax.set_xticks([])
            ax.set_yticks([])
        return
    days = [(b - a).total_seconds() / 86400 for a, b in zip(starts, series.ends)]
    bottom = [0] * len(starts)
    for t, values in series.types.items():
        ax_bars.bar(starts, values, width=[d * 0.85 for d in days], bottom=bottom,
                    align="edge", color=COLOURS.get(t, "#888"), label=t.replace("_", " "))
        bottom = [b + v for b, v in zip(bottom, values)]
    mids = [s + (e - s) / 2 for s, e in zip(starts, series.ends)]
    # a palette apart from the event types' colours: a line is a place, not a type
    palette = matplotlib.colormaps["Dark2"].colors
    for ((name, cc), values), colour in zip(series.top.items(), palette):
        ax_lines.plot(mids, values, marker="o", markersize=3, linewidth=1.5,
                      color=colour, label=f"{name} ({cc})")
    # room for a few buckets either side, so one day reads as a day, not as hours
    pad = timedelta(days=max(days)) * max(1, (7 - len(starts)) // 2)
    ax_bars.set_xlim(starts[0] - pad, series.ends[-1] + pad)
    for ax in (ax_bars, ax_lines):
        locator = mdates.AutoDateLocator(minticks=3, maxticks=10)
        ax.xaxis.set_major_locator(locator)
        # concise, but every label names its month (or day): "17" twice in a month-long
        # view would be two different days with one name
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(
            locator, formats=["%Y", "%b %Y", "%d %b", "%d %b %H:%M", "%d %b %H:%M", "%S.%f"]))
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_ylim(bottom=0)
        ax.grid(axis="y", color="#ddd")
        ax.set_axisbelow(True)
        ax.spines[["top", "right"]].set_visible(False)
        if ax.get_legend_handles_labels()[0]:
            ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8, frameon=False)


def _draw_health(ax, rows: list[tuple[str, str]]) -> None:
    import textwrap
    ax.axis("off")
    ax.set_title("Output health", loc="left", fontweight="bold")
    cells = [[k, textwrap.fill(v, 34)] for k, v in rows]
    table = ax.table(cellText=cells, colWidths=[0.52, 0.48], cellLoc="left", loc="upper left",
                     edges="horizontal")
    table.auto_set_font_size(False)
    table.set_fontsize(7.5)
    for (r, _), cell in table.get_celld().items():
        cell.set_edgecolor("#ddd")
        cell.set_height(cell.get_height() * (1 + cells[r][1].count("\n")))


@dataclass
class Figures:
    figure: object
    map_axes: object
    labels: list
    tick_labels: dict          # axes name -> tick label texts, as drawn


def draw(counts: list[dict], rows: list[tuple[str, str]], title: str) -> Figures:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(12, 13), dpi=100, layout="constrained")
    FigureCanvasAgg(fig)                   # text extents for label placement, and PNG output
    grid = fig.add_gridspec(3, 3, height_ratios=[2.4, 1, 1])
    ax_map = fig.add_subplot(grid[0, :2], gid="map")
    ax_health = fig.add_subplot(grid[0, 2], gid="health")
    ax_bars = fig.add_subplot(grid[1, :], gid="chart")
    ax_lines = fig.add_subplot(grid[2, :], sharex=ax_bars, gid="lines")
    fig.suptitle(title, x=0.01, ha="left", fontsize=11)
    for ax in (ax_map, ax_bars, ax_lines):    # the plotting areas, found by id in the page
        ax.patch.set_gid(f"{ax.get_gid()}-area")
    _draw_time(ax_bars, ax_lines, time_series(counts))
    _draw_health(ax_health, rows)
    fig.canvas.draw()                      # fix the layout before labels are placed
    fig.set_layout_engine("none")
    labels = _draw_map(ax_map, places(counts))
    fig.canvas.draw()
    ticks = {name: [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
             for name, ax in (("chart", ax_bars), ("lines", ax_lines))}
    return Figures(fig, ax_map, labels, ticks)


# ---- the page -----------------------------------------------------------------------------

def _svg(fig) -> str:
    import io
    buf = io.StringIO()
    # glyphs as paths: the page looks as the PNG does, with no font to find or fetch
    with _rc():
        fig.savefig(buf, format="svg", metadata={"Date": None})
    svg = buf.getvalue()
    return svg[svg.index("<svg"):]


def _rc():
    import matplotlib
    return matplotlib.rc_context({"svg.fonttype": "path", "svg.hashsalt": "newsevents"})


def _incident_place(i: dict) -> str:
    return f"{i['location_name'] or '-'} ({i['country_code'] or ''})"


def render_html(counts: list[dict], rows: list[tuple[str, str]], examples: list[dict],
                svg: str, run_id: str, state: str,
                per_day: list[tuple[str, int, int]] = (), largest: list[dict] = ()) -> str:
    e = html.escape
    day_rows = "".join(f"<tr><td>{e(d)}</td><td>{s}</td><td>{n}</td></tr>"
                       for d, s, n in per_day)
    largest_rows = "".join(
        f"<tr><td>{i['event_date']:%Y-%m-%d}</td><td>{e(i['event_type'])}</td>"
        f"<td>{e(_incident_place(i))}</td><td>{i['article_count']}</td>"
        f"<td>{i['sentence_count']}</td><td>{'' if i['killed'] is None else i['killed']}</td>"
        f"<td>{'' if i['injured'] is None else i['injured']}</td></tr>" for i in largest)
    incidents_html = "" if not (per_day or largest) else f"""
<h2>Incidents per day</h2>
<p class="note">By the day the events happened (<code>event_date</code>): the sentences that
told of them beside the incidents, one per real-world event.</p>
<table id="incidents-per-day"><tr><th>day</th><th>event sentences</th><th>incidents</th></tr>
{day_rows}</table>
<h2>Largest incidents</h2>
<table id="largest-incidents"><tr><th>date</th><th>type</th><th>location</th>
<th>articles</th><th>sentences</th><th>killed</th><th>injured</th></tr>{largest_rows}</table>"""
    health_rows = "".join(f"<tr><th>{e(k)}</th><td>{e(v)}</td></tr>" for k, v in rows)
    top_rows = "".join(f"<tr><td>{e(t)}</td><td>{e(n)} ({e(cc or '')})</td><td>{k}</td></tr>"
                       for t, ps in top_locations_by_type(counts).items() for n, cc, k in ps)
    example_rows = "".join(
        f"<tr><td>{e(r['label'])}</td><td>{r['published_at']:%Y-%m-%d}</td>"
        f"<td>{e(r['location_name'] or '-')}</td><td>{e(r['article_id'])}</td>"
        f"<td>{e(r['text'][:300])}</td></tr>" for r in examples)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="newsevents-run-id" content="{e(run_id)}">
<meta name="newsevents-output-state" content="{state}">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>newsevents report: run {e(run_id)}</title>
<style>body{{font-family:sans-serif;margin:24px;color:#222;max-width:1240px}}
svg{{max-width:100%;height:auto}}table{{border-collapse:collapse;font-size:14px}}
td,th{{padding:3px 10px;text-align:left;vertical-align:top;border-bottom:1px solid #eee}}
.note{{color:#666;font-size:13px}}#examples td:nth-child(2){{white-space:nowrap}}</style>
</head><body>
<h1>newsevents report</h1>
<p class="note">Run {e(run_id)}, output state {state}. A later run makes this page stale:
<code>newsevents report</code> and the run's summary say so.</p>
<section id="figures">{svg}</section>
<h2>Output health</h2><table id="health">{health_rows}</table>
<h2>Top locations per event type</h2>
<table><tr><th>type</th><th>location</th><th>sentences</th></tr>{top_rows}</table>{incidents_html}
<h2>Latest event sentences</h2>
<table id="examples"><tr><th>type</th><th>published</th><th>location</th><th>article</th>
<th>sentence</th></tr>{example_rows}</table>
<p class="note">Borders: countryinfo's GeoJSON; places: GeoNames (CC BY 4.0).</p>
</body></html>
"""


def build_report(output: Path) -> tuple[str, bytes, Figures]:
    """(page, PNG bytes, the figures) for an output directory."""
    import io
    counts = load_counts(output)
    manifest = read_manifest(output)
    rows = health(output, manifest)
    run_id = str(manifest.get("run_id", "unknown"))
    state = output_state(output)
    figures = draw(counts, rows, f"newsevents report · run {run_id} · output state {state}")
    incidents = load_incidents(output)
    page = render_html(counts, rows, example_sentences(output), _svg(figures.figure),
                       run_id, state, incidents_per_day(output, incidents),
                       largest_incidents(incidents))
    png = io.BytesIO()                    # last, so the figure is left as the PNG shows it
    with _rc():
        figures.figure.savefig(png, format="png", metadata={"Software": None})
    return page, png.getvalue(), figures


def write_atomically(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)              # readers see the old file or the new one
    finally:
        tmp.unlink(missing_ok=True)


def daily_series(counts: list[dict], country: str | None = None) -> dict[str, dict[str, int]]:
    """{day: {event_type: sentences}}, for one country or all."""
    series: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for c in counts:
        if country is None or c["country_code"] == country:
            series[f"{c['window_start']:%Y-%m-%d}"][c["event_type"]] += c["sentence_count"]
    return {day: dict(v) for day, v in sorted(series.items())}


def format_tables(counts: list[dict], incidents: list[dict] = ()) -> str:
    lines = ["Top locations per event type (event sentences)"]
    for typ, ps in top_locations_by_type(counts).items():
        lines.append(f"  {typ}")
        lines += [f"    {name} ({cc}){'':<{max(0, 24 - len(name))}} {k:>6}" for name, cc, k in ps]
    by_country: dict[str, int] = defaultdict(int)
    for c in counts:
        if c["country_code"]:
            by_country[c["country_code"]] += c["sentence_count"]
    if by_country:
        country = max(by_country, key=lambda k: (by_country[k], k))
        lines.append(f"\nDaily event sentences in {country} (the country with the most)")
        for day, per_type in daily_series(counts, country).items():
            lines.append(f"  {day}  " + "  ".join(f"{t} {n}" for t, n in sorted(per_type.items())))
    if incidents:
        lines.append(f"\nLargest incidents (of {len(incidents)}; articles, sentences)")
        lines += [f"  {i['event_date']:%Y-%m-%d}  {i['event_type']:<12} "
                  f"{_incident_place(i):<30} {i['article_count']:>4} {i['sentence_count']:>5}"
                  for i in largest_incidents(incidents)]
    return "\n".join(lines)


def add_arguments(parser) -> None:
    parser.add_argument("output", metavar="OUTPUT_DIR", help="a newsevents output directory")
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 if report.html is missing or stale")


def run(args) -> int:
    output = Path(args.output)
    if args.check:
        if not (output / PAGE).is_file():
            print(f"{output / PAGE} does not exist", file=sys.stderr)
            return 1
        warning = stale_warning(output)
        print(warning or f"{output / PAGE} matches the output", file=sys.stderr if warning else sys.stdout)
        return 1 if warning else 0
    before = stale_warning(output)
    try:
        page, png, _ = build_report(output)
    except (FileNotFoundError, OSError) as e:
        print(f"newsevents: error: {e}", file=sys.stderr)
        return 2
    # written before anything is printed: `newsevents report out | head -3` still writes them
    write_atomically(output / PAGE, page.encode("utf-8"))
    write_atomically(output / PICTURE, png)
    if before:
        print(f"newsevents: replaced a stale report ({before.split(' describes ')[1].split(',')[0]})",
              file=sys.stderr)
    print(format_tables(load_counts(output), load_incidents(output)))
    print(f"\nreport: {output / PAGE}\npicture: {output / PICTURE}")
    return 0
