"""The pipeline's own options; every other flag is Beam's and passes through."""
from __future__ import annotations

import re
from datetime import date

from apache_beam.options.pipeline_options import PipelineOptions

from newsevents.records import DEFAULT_MAX_ARTICLE_BYTES

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}


class UsageError(ValueError):
    """Wrong use of the command line; its message is the one line the user sees."""


def parse_window(spec: str) -> int:
    """'1d', '6h', '30m', '1w' -> seconds."""
    m = re.fullmatch(r"\s*(\d+)\s*([smhdw])\s*", spec or "")
    if not m or int(m.group(1)) == 0:
        raise UsageError(f"bad --window {spec!r}: expected a positive number and a unit "
                         "s, m, h, d or w (for example 1d or 6h)")
    return int(m.group(1)) * _UNITS[m.group(2)]


def parse_day(spec: str, flag: str) -> date:
    try:
        return date.fromisoformat(spec)
    except (TypeError, ValueError):
        raise UsageError(f"bad {flag} {spec!r}: expected a date as YYYY-MM-DD") from None


class NewsEventsOptions(PipelineOptions):
    @classmethod
    def _add_argparse_args(cls, parser):
        parser.add_argument(
            "--input", nargs="+", action="extend", metavar="PATH",
            help="JSONL (.jsonl, .jsonl.gz) or .txt files, directories or globs")
        parser.add_argument("--output", metavar="DIR", help="output directory")
        parser.add_argument(
            "--window", default="1d",
            help="count window, fixed, aligned to Monday 1970-01-05 00:00 UTC (days start at "
                 "midnight, weeks on Monday): 1d (default), 6h, 1w, ...")
        parser.add_argument(
            "--count-by", dest="count_by", default="published_at",
            help="the time location_counts windows count rows at: published_at (default: "
                 "the article's publication time) or event_date (the day the sentence says "
                 "its event happened, else its publication day)")
        parser.add_argument(
            "--published-at", dest="published_at", metavar="RFC3339",
            help="event time for .txt articles, which carry none (e.g. 2019-02-23T00:00:00Z)")
        parser.add_argument(
            "--language", metavar="CODE",
            help="language of .txt articles (ISO 639-1: en, es, ...), which carry no field "
                 "for it; default: detected, as for JSON Lines records without `language`")
        parser.add_argument(
            "--date", metavar="YYYY-MM-DD",
            help="process only articles published on this UTC day; replace only its partitions")
        parser.add_argument("--since", metavar="YYYY-MM-DD",
                            help="first UTC day to process (with --until: a range)")
        parser.add_argument("--until", metavar="YYYY-MM-DD",
                            help="last UTC day to process, inclusive")
        parser.add_argument(
            "--keep-all-sentences", dest="keep_all_sentences", action="store_true",
            help="write every sentence to events/, not only those with a label")
        parser.add_argument(
            "--max-article-bytes", dest="max_article_bytes", type=int,
            default=DEFAULT_MAX_ARTICLE_BYTES,
            help=f"larger articles become dead letters (default {DEFAULT_MAX_ARTICLE_BYTES})")


INPUT_SUFFIXES = (".jsonl", ".jsonl.gz", ".json", ".ndjson", ".txt")


def resolve_inputs(patterns: list[str] | None) -> list[str]:
    """Files, directories (searched recursively for input suffixes) and globs -> file paths."""
    import glob
    import os

    if not patterns:
        raise UsageError("--input is required: one or more files, directories or globs")
    files = []
    for pattern in patterns:
        if os.path.isdir(pattern):
            found = [os.path.join(root, f) for root, _, names in os.walk(pattern)
                     for f in names if f.lower().endswith(INPUT_SUFFIXES)]
            if not found:
                raise UsageError(f"input directory {pattern} holds no "
                                 f"{', '.join(INPUT_SUFFIXES)} files")
        elif glob.has_magic(pattern):
            found = [f for f in glob.glob(pattern, recursive=True) if os.path.isfile(f)]
            if not found:
                raise UsageError(f"input glob {pattern!r} matches no file")
        elif os.path.isfile(pattern):
            found = [pattern]
        else:
            raise UsageError(f"input {pattern} does not exist")
        files.extend(os.path.abspath(f) for f in found)
    return sorted(set(files))


def check_output(output: str | None, files: list[str]) -> str:
    """The output directory must be creatable, writable and apart from the input."""
    import os

    if not output:
        raise UsageError("--output is required: the directory to write")
    out = os.path.abspath(output)
    if os.path.exists(out) and not os.path.isdir(out):
        raise UsageError(f"output {output} exists and is not a directory")
    for f in files:
        if os.path.commonpath([out, f]) == out:
            raise UsageError(f"output {output} contains input file {f}: a rerun would read "
                             "its own output")
    try:
        os.makedirs(out, exist_ok=True)
        probe = os.path.join(out, ".write-probe")
        with open(probe, "w"):
            pass
        os.remove(probe)
    except OSError as e:
        raise UsageError(f"output {output} is not writable: {e.strerror}") from None
    return out
