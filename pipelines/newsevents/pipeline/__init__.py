"""The pipeline: the one place where reads, stages and writes are wired together.

Its stages, in the order they run, each a module of this package: `read` (files -> articles,
dead letters, counts), `days` (the days a run owns), `extract` (articles -> event rows),
`incidents` (rows -> incidents; after the pipeline, each staged row's incident_id), `count`
(rows -> counts per window and place), `write` (rows -> staged Parquet), `publish` (staged
files -> the output, through a journal).
"""
from __future__ import annotations

import json
import logging
import os
import platform
import re
import shutil
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import apache_beam as beam
from apache_beam.options.pipeline_options import PipelineOptions, StandardOptions
from apache_beam.runners.runner import PipelineState

from newsevents import __version__
from newsevents.options import (NewsEventsOptions, UsageError, check_output, parse_day,
                                parse_window, resolve_inputs)
from newsevents.pipeline.count import COUNT_BY, ORIGIN, CountEventsByLocation, count_partitions
from newsevents.pipeline.days import KeepDays, ReadPublishedEvents, Scope, scope_of
from newsevents.pipeline.extract import ExtractEventLists
from newsevents.pipeline.incidents import (CHANGED, COUNTED, UNSORTED_INCIDENTS, FindIncidents,
                                           attach_incident_ids)
from newsevents.pipeline.publish import (OutputBusy, OutputLock, assemble, dead_letters,
                                         journal_of, partition_day, plan_moves, publish,
                                         read_stats, reconcile, recover, trash_of)
from newsevents.pipeline.read import DEAD_LETTERS, STATS, ReadArticles
from newsevents.pipeline.write import WriteTable
from newsevents.records import is_text_file, parse_published_at
from newsevents.tables import DEAD_LETTERS as DEAD_LETTER_TABLE
from newsevents.tables import EVENTS, LOCATION_COUNTS, STATS_PREFIX

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RunConfig:
    """The checked, resolved form of NewsEventsOptions."""
    files: list[str]
    output: Path
    window_seconds: int
    published_at: datetime | None
    days: frozenset[date] | None
    keep_all: bool
    max_bytes: int
    options: PipelineOptions = field(repr=False)
    language: str | None = None         # of .txt articles
    count_by: str = "published_at"      # the time count windows count rows at


def configure(options: PipelineOptions) -> RunConfig:
    """Check every option once, before anything runs; UsageError says what is wrong."""
    o = options.view_as(NewsEventsOptions)
    files = resolve_inputs(o.input)
    window = parse_window(o.window)
    published_at = None
    if o.published_at:
        try:
            published_at = parse_published_at(o.published_at)
        except ValueError:
            raise UsageError(f"bad --published-at {o.published_at!r}: expected RFC 3339, "
                             f"e.g. 2019-02-23T00:00:00Z{_missing_zone(o.published_at)}") from None
    else:
        text = next((f for f in files if is_text_file(f)), None)
        if text:
            raise UsageError(f"input {text} is a .txt article, which carries no date: give "
                             "--published-at (RFC 3339, e.g. 2019-02-23T00:00:00Z)")
    days = None
    if o.date and (o.since or o.until):
        raise UsageError("--date cannot be combined with --since/--until")
    if o.date:
        days = frozenset([parse_day(o.date, "--date")])
    elif o.since or o.until:
        if not (o.since and o.until):
            raise UsageError("--since and --until go together")
        first, last = parse_day(o.since, "--since"), parse_day(o.until, "--until")
        if last < first:
            raise UsageError(f"--until {last} is before --since {first}")
        days = frozenset(first + timedelta(d) for d in range((last - first).days + 1))
    if o.max_article_bytes <= 0:
        raise UsageError("--max-article-bytes must be positive")
    language = None
    if o.language:
        if not re.fullmatch(r"[A-Za-z]{2,3}", o.language):
            raise UsageError(f"bad --language {o.language!r}: expected an ISO 639-1 code "
                             "such as en or es")
        language = o.language.lower()
    if o.count_by not in COUNT_BY:
        raise UsageError(f"bad --count-by {o.count_by!r}: expected published_at or event_date")
    if o.count_by != "published_at" and days is not None:
        # an event's day can be any earlier day: its windows are not the rerun's days
        raise UsageError("--count-by event_date cannot be combined with --date/--since/--until:"
                         " a rerun by date counts by published_at")
    output = Path(check_output(o.output, files))
    return RunConfig(files, output, window, published_at, days, o.keep_all_sentences,
                     o.max_article_bytes, options, language, o.count_by)


def _missing_zone(spec: str) -> str:
    try:
        naive = datetime.fromisoformat(spec).tzinfo is None
    except ValueError:
        return ""
    return " (the time zone is missing: add Z for UTC, or an offset such as +02:00)" if naive else ""


def build(p: beam.Pipeline, cfg: RunConfig, staging: str, scope: Scope = Scope()) -> None:
    read = p | "ReadArticles" >> ReadArticles(cfg.files, cfg.published_at, cfg.max_bytes,
                                              language=cfg.language)
    kept = read["articles"] | "KeepDays" >> KeepDays(cfg.days)
    extracted = kept["articles"] | "ExtractEvents" >> ExtractEventLists(cfg.keep_all)
    events = extracted["events"]
    # written as extracted: their incident_id is set in the staged files once the incidents
    # are known (attach_incident_ids, after the pipeline)
    _ = events | "WriteEvents" >> WriteTable(staging, EVENTS, batched=True)
    if scope.replaced is not None:
        # a rerun by date: the incidents are found again over every event, and the windows
        # counted over all theirs; the other days' events are read back (what the counts and
        # the incidents need of them)
        published = p | "ReadPublishedEvents" >> ReadPublishedEvents(scope.others)
        events = (events, published) | "WithPublishedEvents" >> beam.Flatten()
    found = events | "FindIncidents" >> FindIncidents(cfg.window_seconds, cfg.count_by)
    _ = found["incidents"] | "WriteIncidents" >> WriteTable(staging, UNSORTED_INCIDENTS)
    counts = events | "CountEventsByLocation" >> CountEventsByLocation(
        cfg.window_seconds, cfg.count_by, found[COUNTED])
    if scope.replaced is not None:
        # the windows of a day whose incidents changed are counted again too: their
        # incident_count may move with them
        recount = (found[CHANGED]
                   | "CountPartitions" >> beam.CombineGlobally(
                       CountPartitionsFn(scope.count_days, cfg.window_seconds)))
        counts = counts | "OwnedWindows" >> beam.Filter(
            lambda row, owned: row["window_start"].date() in owned,
            owned=beam.pvalue.AsSingleton(recount))

    _ = counts | "WriteLocationCounts" >> WriteTable(staging, LOCATION_COUNTS)
    _ = ((read[DEAD_LETTERS], extracted[DEAD_LETTERS])
         | "AllDeadLetters" >> beam.Flatten()
         | "WriteDeadLetters" >> WriteTable(staging, DEAD_LETTER_TABLE))
    _ = ((read[STATS], kept[STATS], extracted[STATS])
         | "AllStats" >> beam.Flatten()
         | "SumStats" >> beam.CombinePerKey(sum)
         | "StatsAsJson" >> beam.MapTuple(lambda key, n: json.dumps([key[0], key[1], n]))
         | "WriteStats" >> beam.io.WriteToText(os.path.join(staging, STATS_PREFIX),
                                               file_name_suffix=".jsonl"))


class CountPartitionsFn(beam.CombineFn):
    """Days (ISO strings) whose events a rerun writes again -> the location_counts
    partitions it writes: its own, and those of the windows holding those days."""

    def __init__(self, owned: frozenset[date], window_seconds: int):
        self.owned, self.window_seconds = frozenset(owned), window_seconds

    def create_accumulator(self):
        return set()

    def add_input(self, days, day):
        days.add(day)
        return days

    def merge_accumulators(self, accumulators):
        return set().union(*accumulators)

    def extract_output(self, days):
        return self.owned | frozenset(count_partitions({date.fromisoformat(d) for d in days},
                                                       self.window_seconds))


def local_runner(options: PipelineOptions):
    """The runner for the DirectRunner (named or by default): Beam's FnApiRunner, set up as
    the DirectRunner sets it up, or None to let Beam choose (Flink, Prism, ...).

    Beam's DirectRunner first tries its Prism runner, a binary it downloads from GitHub at run
    time, and falls back to the FnApiRunner only when that fails. newsevents downloads nothing
    at run time, and its figures (make bench) and worker options are the FnApiRunner's."""
    if options.view_as(StandardOptions).runner not in (None, "DirectRunner"):
        return None
    from apache_beam.portability.api import beam_provision_api_pb2
    from apache_beam.runners.portability.fn_api_runner import fn_runner
    from apache_beam.runners.portability.portable_runner import JobServiceHandle
    encoded = JobServiceHandle.encode_pipeline_options(options.get_all_options())
    return fn_runner.FnApiRunner(provision_info=fn_runner.ExtendedProvisionInfo(
        beam_provision_api_pb2.ProvisionInfo(pipeline_options=encoded)))


def _versions() -> dict:
    from newsevents.native import status
    from newsevents.taxonomy import language_files, main_of, read_yaml
    from newsevents.text.gazetteer import gazetteer_version
    # read from the taxonomy's files as the Classifier reads them (its first language's
    # version), without building one: with worker processes this process has none, and
    # building it cost 0.15-0.3 s after every run; nor load_gazetteer().version
    rules = [read_yaml(files["events"]) for _, files in sorted(language_files().items())]
    return {"newsevents": __version__, "taxonomy": f"taxonomy-{main_of(rules[0])['version']}",
            "taxonomy_languages": sorted({str(d.get("language", "en")) for d in rules}),
            "gazetteer": gazetteer_version(), "apache_beam": beam.__version__,
            "python": platform.python_version(), "text_modules": status()}


def run_pipeline(cfg: RunConfig) -> dict:
    """Run, reconcile, publish. Returns the manifest; raises RunFailed if nothing may land."""
    try:
        with OutputLock(cfg.output):
            recovered = recover(cfg.output)
            return _run_locked(cfg, recovered)
    except OutputBusy as e:
        raise RunFailed(str(e)) from None


def _run_locked(cfg: RunConfig, recovered: list[str]) -> dict:
    started = datetime.now(timezone.utc)
    scope = scope_of(cfg.output, cfg.days, cfg.window_seconds)
    run_id = f"{started:%Y%m%dT%H%M%S}Z-{os.getpid()}"
    staging = cfg.output / f".staging-{run_id}"
    staging.mkdir()
    t0 = time.perf_counter()
    try:
        with beam.Pipeline(runner=local_runner(cfg.options), options=cfg.options) as p:
            build(p, cfg, str(staging), scope)
        state = p.result.state
        if state != PipelineState.DONE:
            raise RunFailed(f"the pipeline ended in state {state}; nothing was published")
        stats = read_stats(staging)
        dead, kinds = dead_letters(staging)
        inputs, problems = reconcile(cfg.files, stats, dead)
        if problems:
            raise RunFailed("counts do not reconcile, nothing was published: "
                            + "; ".join(problems))
        read, n_dead = sum(i["read"] for i in inputs), sum(dead.values())
        if read and n_dead == read:
            raise RunFailed(f"every article read ({read}) was a dead letter, nothing was "
                            "published: " + "; ".join(f"{k} x{v['count']} ({v['example']})"
                                                      for k, v in kinds.items()))
        incidents = attach_incident_ids(staging, scope.others)
        ready = assemble(staging)
        replaced = scope.replaced
        if replaced is not None:        # and the days whose events were written again
            replaced = {**replaced, **{t.name: frozenset(replaced[t.name]) | {
                partition_day(part) for table, part in ready if table == t.name and part}
                for t in (EVENTS, LOCATION_COUNTS)}}
        moves, published = plan_moves(ready, cfg.output, trash_of(staging), replaced)
        manifest = {
            "run_id": run_id,
            "started_at": started.isoformat(),
            "ended_at": datetime.now(timezone.utc).isoformat(),
            "seconds": round(time.perf_counter() - t0, 3),
            "runner": cfg.options.view_as(StandardOptions).runner or "DirectRunner",
            "inputs": inputs,
            "counts": {
                "read": read,
                "valid": sum(i["valid"] for i in inputs),
                "skipped_out_of_range": sum(i["skipped_out_of_range"] for i in inputs),
                "dead_letters": n_dead,
                "sentences": stats["sentences"],
                "events_per_label": dict(sorted(stats["events"].items())),
                "event_rows": stats["event_rows"],
                "incidents": incidents,
                # articles per language, and of those the ones no rules could label
                "articles_per_language": dict(sorted(stats["languages"].items())),
                "articles_without_rules": {k: n for k, n in sorted(
                    stats["languages_without_rules"].items()) if n},
            },
            "dead_letter_kinds": kinds,
            "reconciled": not problems,
            "recovered": recovered,
            "days": sorted(str(d) for d in cfg.days) if cfg.days else None,
            "window_seconds": cfg.window_seconds,
            "window_origin": ORIGIN.isoformat(),
            "count_by": cfg.count_by,
            "published_partitions": published,
            "versions": _versions(),
        }
        publish(staging, moves, manifest)
    except BaseException:
        if not journal_of(staging).exists():    # committed runs are finished, never undone
            shutil.rmtree(staging, ignore_errors=True)
        raise
    return manifest


class RunFailed(RuntimeError):
    """The run finished but its output must not be published."""
