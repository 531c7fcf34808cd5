"""`newsevents`: the command line. Parsing and printing only; the work is elsewhere."""
from __future__ import annotations

import argparse
import logging
import os
import sys
import warnings

from newsevents import __version__

DESCRIPTION = "Sentence-level event data from news text, written as Parquet."


def _beam_unknown(argv: list[str]) -> list[str]:
    """Flags that neither we nor any Beam PipelineOptions class know."""
    from apache_beam.options.pipeline_options import PipelineOptions
    opts = PipelineOptions(argv)
    logging.getLogger("apache_beam.options.pipeline_options").setLevel(logging.ERROR)
    known = opts.get_all_options(retain_unknown_options=False)
    every = opts.get_all_options(retain_unknown_options=True)
    return sorted(set(every) - set(known))


def _run_parser(sub) -> argparse.ArgumentParser:
    from newsevents.options import NewsEventsOptions
    p = sub.add_parser(
        "run", help="run the pipeline over articles and write Parquet",
        description="Run the pipeline. Standard Apache Beam flags (--runner, "
                    "--direct_num_workers, --direct_running_mode, --flink_master, ...) pass "
                    "through to Beam.", allow_abbrev=False)
    NewsEventsOptions._add_argparse_args(p)
    p.add_argument("--verbose", action="store_true",
                   help="show Beam's own start-up and worker messages")
    return p


def build_parser() -> tuple[argparse.ArgumentParser, dict]:
    parser = argparse.ArgumentParser(prog="newsevents", description=DESCRIPTION,
                                     allow_abbrev=False)
    parser.add_argument("--version", action="version", version=f"newsevents {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    subs = {"run": _run_parser(sub)}
    from newsevents.commands import explain
    x = sub.add_parser("explain", help="each sentence's triggers, flags, places and location, "
                       "and what decided them", description=explain.__doc__.splitlines()[0],
                       allow_abbrev=False)
    explain.add_arguments(x)
    x.set_defaults(func=explain.run)
    from newsevents.commands.evaluate import classification, geo, incidents, location, rate
    e = sub.add_parser("evaluate", help="score the event classifier against a gold file",
                       allow_abbrev=False)
    classification.add_arguments(e)
    e.set_defaults(func=classification.run)
    g = sub.add_parser("evaluate-geo", help="score the geoparser against a gold file",
                       allow_abbrev=False)
    geo.add_arguments(g)
    g.set_defaults(func=geo.run)
    r = sub.add_parser("evaluate-rate", help="labelled sentences per 1,000 in text that should "
                       "stay quiet (ordinary news)", allow_abbrev=False)
    rate.add_arguments(r)
    r.set_defaults(func=rate.run)
    loc = sub.add_parser("evaluate-location", allow_abbrev=False,
                         help="score each article's event location against a true point")
    location.add_arguments(loc)
    loc.set_defaults(func=location.run)
    inc = sub.add_parser("evaluate-incidents", allow_abbrev=False,
                         help="score the incidents (B-cubed) against gold incident identity")
    incidents.add_arguments(inc)
    inc.set_defaults(func=incidents.run)
    subs.update({"evaluate": e, "evaluate-geo": g, "evaluate-rate": r, "evaluate-location": loc,
                 "evaluate-incidents": inc})
    from newsevents.commands import bench, check_taxonomy, report, synth
    for name, module, text in [
            ("check-taxonomy", check_taxonomy, "check a taxonomy folder's files and run every "
             "rule's match / no_match examples"),
            ("report", report, "write report.html and report.png: map, time, output health"),
            ("synth", synth, "write realistic synthetic articles (JSONL) for benchmarks"),
            ("bench", bench, "measure throughput and memory of each layer (make bench)")]:
        s = sub.add_parser(name, help=text, description=module.__doc__.splitlines()[0],
                           allow_abbrev=False)
        module.add_arguments(s)
        s.set_defaults(func=module.run)
    return parser, subs


def _fail(message: str, code: int = 2) -> int:
    print(f"newsevents: error: {message}", file=sys.stderr)
    return code


# Below this, starting worker processes costs more than it gives (the break-even measured
# on 2 cores; `make bench` compares one process with two).
MULTI_PROCESS_BYTES = 8 << 20


def _worker_defaults(beam_args: list[str], inputs: list[str] | None) -> list[str]:
    """On the DirectRunner with no worker flags, use every core for a large input (measured:
    `make bench`, 3a against 3b); a small one runs faster in this process."""
    if any(a.startswith(("--runner", "--direct_running_mode", "--direct_num_workers"))
           for a in beam_args):
        return []
    from newsevents.options import UsageError, resolve_inputs
    try:
        size = sum(os.path.getsize(f) for f in resolve_inputs(inputs or []))
    except (UsageError, OSError):
        return []                    # configure() reports the problem
    cores = min(os.cpu_count() or 1, 8)
    if size < MULTI_PROCESS_BYTES or cores < 2:
        return []
    logging.getLogger("newsevents.progress").info(
        "%.0f MB of input: %d worker processes (--direct_running_mode=in_memory to use one)",
        size / 1e6, cores)
    return ["--direct_running_mode=multi_processing", f"--direct_num_workers={cores}"]


def _quiet_workers(args: list[str]) -> list[str]:
    """Beam's worker processes log their start-up at INFO (a dozen lines each, every run):
    keep their warnings and our progress lines, unless the user set the levels."""
    multi = any(a == "--direct_running_mode=multi_processing"
                or (a == "--direct_running_mode" and b == "multi_processing")
                for a, b in zip(args, args[1:] + [""]))
    if not multi or any(a.startswith(("--default_sdk_harness_log_level",
                                      "--sdk_harness_log_level_overrides")) for a in args):
        return []
    # the runner repeats each worker warning it receives (already printed by the worker)
    logging.getLogger("apache_beam.runners.portability.local_job_service").setLevel(logging.ERROR)
    return ["--default_sdk_harness_log_level=WARNING",
            '--sdk_harness_log_level_overrides={"newsevents.progress": "INFO"}']


def cmd_run(args: argparse.Namespace, beam_args: list[str], argv: list[str]) -> int:
    from apache_beam.options.pipeline_options import PipelineOptions

    from newsevents.native import status
    from newsevents.options import UsageError
    from newsevents.pipeline import RunFailed, configure, run_pipeline
    from newsevents.progress import RunConsole
    from newsevents.summary import format_summary

    unknown = _beam_unknown(beam_args)
    if unknown:
        return _fail(f"unknown option(s): {', '.join('--' + u for u in unknown)} "
                     "(see newsevents run --help)")
    native = status()
    if native.startswith("stale"):
        logging.getLogger("newsevents").warning(
            "compiled modules older than their source (%s): this run uses the old code; "
            "`make` or `pip install -e .` rebuilds them", native[7:])
    try:
        argv = [a for a in argv if a != "--verbose"] + _worker_defaults(beam_args, args.input)
        quiet = [] if args.verbose else _quiet_workers(argv)
        cfg = configure(PipelineOptions(argv + quiet))
        with RunConsole(cfg.files, verbose=args.verbose):
            manifest = run_pipeline(cfg)
    except UsageError as e:
        return _fail(str(e))
    except RunFailed as e:
        return _fail(str(e), 1)
    print(format_summary(cfg.output, manifest))
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    # Beam warns at import about optional Google Cloud clients this project does not use.
    logging.getLogger().addFilter(lambda r: not r.getMessage().startswith("apitools not found"))
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    logging.getLogger("newsevents.progress").setLevel(logging.INFO)
    if not (argv and argv[0] == "check-taxonomy"):      # which reports every problem itself
        # every command reads the taxonomy (NEWSEVENTS_TAXONOMY's or the shipped one): a
        # broken file is one line and exit 2 here, before any work, not a trace in a worker
        from newsevents.taxonomy.schema import TaxonomyError, ensure_valid
        try:
            ensure_valid()
        except TaxonomyError as e:
            return _fail(f"taxonomy: {e}")
    parser, subs = build_parser()
    if argv and argv[0] == "run":
        args, rest = subs["run"].parse_known_args(argv[1:])
        return cmd_run(args, rest, argv[1:])
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except BrokenPipeError:     # `newsevents evaluate ... | head`: the reader has what it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())   # no second error at exit
        return 0


if __name__ == "__main__":
    sys.exit(main())
