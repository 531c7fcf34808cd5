"""`newsevents report OUTPUT_DIR`: the answers people ask first, as tables and a picture.

The picture is one self-contained HTML page (inline SVG, no script, no network): daily
counts per event type, and a map of counts per location (equirectangular, with a
graticule; place names label the bubbles).
"""
from __future__ import annotations

import html
import math
import sys
from collections import defaultdict
from pathlib import Path

import pyarrow.dataset as ds

COLOURS = {"violence": "#c0392b", "diplomacy": "#2471a3", "defection": "#7d3c98",
           "aid_movement": "#229954"}


def load_counts(output: Path) -> list[dict]:
    path = output / "location_counts"
    if not path.is_dir():
        raise FileNotFoundError(f"{output} has no location_counts/: is it a newsevents output?")
    return ds.dataset(path, format="parquet", partitioning="hive").to_table().to_pylist()


def top_locations_by_type(counts: list[dict], n: int = 5) -> dict[str, list[tuple]]:
    totals: dict[str, dict[tuple, int]] = defaultdict(lambda: defaultdict(int))
    for c in counts:
        if c["location_name"] is not None:
            totals[c["event_type"]][(c["location_name"], c["country_code"])] += c["sentence_count"]
    return {t: sorted(((name, cc, k) for (name, cc), k in places.items()),
                      key=lambda x: (-x[2], x[0]))[:n] for t, places in sorted(totals.items())}


def daily_series(counts: list[dict], country: str | None = None) -> dict[str, dict[str, int]]:
    """{day: {event_type: sentences}}, for one country or all."""
    series: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for c in counts:
        if country is None or c["country_code"] == country:
            series[f"{c['window_start']:%Y-%m-%d}"][c["event_type"]] += c["sentence_count"]
    return {day: dict(v) for day, v in sorted(series.items())}


def places(counts: list[dict]) -> list[tuple[str, str, float, float, int]]:
    agg: dict[tuple, int] = defaultdict(int)
    for c in counts:
        if c["latitude"] is not None:
            agg[(c["location_name"], c["country_code"], c["latitude"], c["longitude"])] += \
                c["sentence_count"]
    return sorted(((*k, v) for k, v in agg.items()), key=lambda x: -x[4])


def _chart_svg(series: dict[str, dict[str, int]], w=760, h=260) -> str:
    days = list(series)
    types = sorted({t for v in series.values() for t in v})
    top = max([max(v.values()) for v in series.values()] + [1])
    left, bottom, plot_w, plot_h = 50, h - 40, w - 70, h - 70
    step = plot_w / max(len(days), 1)
    bar = step / (len(types) + 1)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" '
             f'font-family="sans-serif" font-size="11">',
             f'<line x1="{left}" y1="{bottom}" x2="{left + plot_w}" y2="{bottom}" stroke="#444"/>']
    for i in range(5):
        v = top * i / 4
        y = bottom - plot_h * i / 4
        parts.append(f'<text x="{left - 6}" y="{y + 4:.0f}" text-anchor="end">{v:.0f}</text>'
                     f'<line x1="{left}" y1="{y:.0f}" x2="{left + plot_w}" y2="{y:.0f}" '
                     f'stroke="#ddd"/>')
    for d, day in enumerate(days):
        x0 = left + d * step
        for t, typ in enumerate(types):
            v = series[day].get(typ, 0)
            bh = plot_h * v / top
            parts.append(f'<rect x="{x0 + (t + 0.5) * bar:.1f}" y="{bottom - bh:.1f}" '
                         f'width="{bar * 0.9:.1f}" height="{bh:.1f}" fill="{COLOURS.get(typ, "#888")}">'
                         f'<title>{day} {typ}: {v}</title></rect>')
        parts.append(f'<text x="{x0 + step / 2:.0f}" y="{bottom + 16}" text-anchor="middle">{day}</text>')
    for t, typ in enumerate(types):
        parts.append(f'<rect x="{left + t * 130}" y="4" width="10" height="10" '
                     f'fill="{COLOURS.get(typ, "#888")}"/><text x="{left + t * 130 + 14}" y="13">'
                     f'{typ}</text>')
    return "\n".join(parts + ["</svg>"])


def _map_svg(points, w=760, h=380) -> str:
    def xy(lat, lon):
        return (lon + 180) / 360 * w, (90 - lat) / 180 * h
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" '
             f'font-family="sans-serif" font-size="11"><rect width="{w}" height="{h}" fill="#eef4f8"/>']
    for lon in range(-180, 181, 30):
        x, _ = xy(0, lon)
        parts.append(f'<line x1="{x:.0f}" y1="0" x2="{x:.0f}" y2="{h}" stroke="#cfdbe3"/>')
    for lat in range(-90, 91, 30):
        _, y = xy(lat, 0)
        parts.append(f'<line x1="0" y1="{y:.0f}" x2="{w}" y2="{y:.0f}" stroke="#cfdbe3"/>')
        parts.append(f'<text x="2" y="{y - 2:.0f}" fill="#789">{lat}°</text>')
    top = max([p[4] for p in points] + [1])
    for i, (name, cc, lat, lon, n) in enumerate(points):
        x, y = xy(lat, lon)
        r = 3 + 14 * math.sqrt(n / top)
        label = html.escape(f"{name} ({cc}): {n}")
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="#c0392b" '
                     f'fill-opacity="0.45" stroke="#922"><title>{label}</title></circle>')
        if i < 12:
            parts.append(f'<text x="{x + r + 2:.1f}" y="{y + 4:.1f}">{label}</text>')
    return "\n".join(parts + ["</svg>"])


def render_html(counts: list[dict]) -> str:
    series = daily_series(counts)
    rows = "".join(f"<tr><td>{html.escape(t)}</td><td>{html.escape(n)} ({cc})</td><td>{k}</td></tr>"
                   for t, ps in top_locations_by_type(counts).items() for n, cc, k in ps)
    return f"""<!doctype html><html><head><meta charset="utf-8"><title>newsevents report</title>
<style>body{{font-family:sans-serif;margin:24px;color:#222}}td,th{{padding:2px 10px;text-align:left}}</style>
</head><body><h1>newsevents report</h1>
<h2>Event sentences per day and type</h2>{_chart_svg(series)}
<h2>Event sentences per location</h2>{_map_svg(places(counts))}
<h2>Top locations per event type</h2><table><tr><th>type</th><th>location</th><th>sentences</th></tr>{rows}</table>
</body></html>"""


def format_tables(counts: list[dict]) -> str:
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
    return "\n".join(lines)


def add_arguments(parser) -> None:
    parser.add_argument("output", metavar="OUTPUT_DIR", help="a newsevents output directory")


def run(args) -> int:
    output = Path(args.output)
    try:
        counts = load_counts(output)
    except (FileNotFoundError, OSError) as e:
        print(f"newsevents: error: {e}", file=sys.stderr)
        return 2
    print(format_tables(counts))
    page = output / "report.html"
    page.write_text(render_html(counts), encoding="utf-8")
    print(f"\npicture: {page}")
    return 0
