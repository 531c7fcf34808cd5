"""Gold-file reading shared by the evaluation commands: JSON Lines and `--filter field=value`."""
from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path


class GoldError(ValueError):
    """A gold file or a filter that cannot be used; the message is one line for the user."""


def parse_filters(specs: Sequence[str] | None) -> list[tuple[str, set[str]]]:
    """`field=v1,v2` -> (field, {v1, v2}). Values compare as JSON-ish strings (true, en, 3)."""
    filters = []
    for spec in specs or ():
        field, sep, values = spec.partition("=")
        if not sep or not field or not values:
            raise GoldError(f"bad filter {spec!r}: expected field=value[,value...]")
        filters.append((field, set(values.split(","))))
    return filters


def _as_text(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "null" if value is None else str(value)


def matches(record: dict, filters: list[tuple[str, set[str]]]) -> bool:
    return all(_as_text(record.get(field)) in values for field, values in filters)


def read_gold(path: str | Path, filters: list[tuple[str, set[str]]] = (),
              skip_bad: bool = False, needs: Sequence[str] = ()) -> Iterator[dict]:
    """Yield the gold records (JSON objects, one a line) that pass every filter. A line that
    is no JSON object, or a record without one of the `needs` fields, stops the reading
    (GoldError), or with skip_bad is one warning line naming its line number and is skipped."""
    p = Path(path)
    if not p.is_file():
        raise GoldError(f"gold file not found: {path}")
    with p.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                problem = None if isinstance(record, dict) else "not a JSON object"
            except json.JSONDecodeError as e:
                record, problem = None, f"not JSON ({e.msg})"
            if problem is None:
                missing = [f for f in needs if record.get(f) in (None, "")]
                if missing:
                    problem = f"no {', '.join(missing)}"
            if problem is not None:
                if not skip_bad:
                    raise GoldError(f"{path}:{n}: {problem}")
                print(f"newsevents: warning: {path}:{n}: {problem}; skipped", file=sys.stderr)
                continue
            if matches(record, filters):
                yield record


def add_gold_arguments(parser: argparse.ArgumentParser, shape: str, show: int,
                       show_help: str, required: bool = True) -> None:
    """The options the evaluation commands share."""
    parser.add_argument("--gold", required=required, help=f"gold JSONL: {shape}")
    parser.add_argument("--filter", action="append", default=[], metavar="FIELD=VALUE",
                        help="keep records whose FIELD is one of the comma-separated values "
                             "(repeatable)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--show", type=int, default=show, metavar="N",
                        help=f"{show_help} (default {show})")


def load_gold(args: argparse.Namespace, skip_bad: bool = False,
              needs: Sequence[str] = ()) -> list[dict]:
    """The filtered records (read_gold), or GoldError when none pass."""
    records = list(read_gold(args.gold, parse_filters(args.filter), skip_bad, needs))
    if not records:
        raise GoldError(f"no records in {args.gold} pass the filter")
    return records


def score_gold(args: argparse.Namespace, score: Callable[[list[dict]], dict],
               filters: list[str], skip_bad: bool = False,
               needs: Sequence[str] = ()) -> tuple[dict, object] | int:
    """Score the gold file: the figures and their `_detail` to print, or an exit code once
    done (JSON printed with --json; 2 with a one-line error for a bad file; with skip_bad,
    bad lines are skipped with a warning each: read_gold)."""
    try:
        result = score(load_gold(args, skip_bad, needs))
    except GoldError as e:
        print(f"newsevents: error: {e}", file=sys.stderr)
        return 2
    detail = result.pop("_detail")
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    print(f"gold: {args.gold}" + (f"  filter: {' '.join(filters)}" if filters else ""))
    return result, detail
