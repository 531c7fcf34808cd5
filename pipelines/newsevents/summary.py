"""The short, readable account of a run that `newsevents run` prints."""
from __future__ import annotations

from pathlib import Path

from newsevents.tables import LOCATION_COUNTS, PARTITIONED
from newsevents.commands.report import stale_warning


def top_locations(output: Path, n: int = 5) -> list[tuple[str, str, int]]:
    """(location, country, sentences) with the most event sentences, over all types."""
    table = LOCATION_COUNTS.read(output, ["location_name", "country_code", "sentence_count"])
    if table is None:
        return []
    totals: dict[tuple[str, str], int] = {}
    for name, cc, k in zip(*(table.column(c).to_pylist() for c in table.column_names)):
        if name is not None:
            totals[(name, cc)] = totals.get((name, cc), 0) + k
    ranked = sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))[:n]
    return [(name, cc, k) for (name, cc), k in ranked]


def format_summary(output: Path, manifest: dict) -> str:
    c = manifest["counts"]
    lines = [f"newsevents: {said}" for said in manifest.get("recovered", [])]
    lines += [
        f"newsevents run {manifest['run_id']} on {manifest['runner']} "
        f"in {manifest['seconds']:.1f} s",
        f"  articles read        {c['read']:>8}",
        f"  valid                {c['valid']:>8}",
        f"  skipped (dates)      {c['skipped_out_of_range']:>8}",
        f"  dead letters         {c['dead_letters']:>8}",
    ]
    for kind, d in manifest.get("dead_letter_kinds", {}).items():
        lines.append(f"    {kind:<18} {d['count']:>8}  e.g. {d['example'][:80]}")
    languages = c.get("articles_per_language", {})
    if languages:
        no_rules = c.get("articles_without_rules", {})
        lines.append("  languages            " + ", ".join(
            f"{lang} {n}" + (f" ({no_rules[lang]} without rules)" if lang in no_rules else "")
            for lang, n in sorted(languages.items(), key=lambda kv: (-kv[1], kv[0]))))
    lines += [
        f"  sentences            {c['sentences']:>8}",
        f"  event sentences      {c['event_rows']:>8}",
    ]
    for label, k in c["events_per_label"].items():
        lines.append(f"    {label:<18} {k:>8}")
    if "incidents" in c:          # manifests before the incidents lack it
        lines.append(f"  incidents            {c['incidents']:>8}")
    top = top_locations(output)
    if top:
        lines.append("  top locations (event sentences)")
        lines += [f"    {name} ({cc}){'':<{max(0, 16 - len(name))}} {k:>6}" for name, cc, k in top]
    lines.append(f"  read = valid + skipped + dead letters: "
                 f"{'yes' if manifest['reconciled'] else 'NO'}")
    written = [f"{t}/" for t, parts in manifest["published_partitions"].items()
               if parts or t not in PARTITIONED]      # only the tables this run wrote
    lines.append(f"  output: {output}/ ({', '.join(written + ['_manifest.json'])})")
    stale = stale_warning(output)
    if stale:
        lines.append(f"  note: {stale}")
    return "\n".join(lines)
