"""`newsevents bench`: throughput and memory of each layer, side by side, on one input.

Every measurement runs in a fresh child process, so its peak memory (that process and its
Beam workers together) is its own:
  1. io     the floor: read the JSONL and write its text to Parquet with pyarrow, nothing else
  2. loop   the core functions (parse, split, classify, geolocate, build rows) in a plain loop
  3. beam   the whole pipeline on the DirectRunner, default options and multi-worker options
plus classification alone and geoparsing alone, and a scaling series of the pipeline.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

MULTI = ["--direct_running_mode=multi_processing", "--direct_num_workers=2"]
ONE_WORKER = ["--direct_running_mode=multi_processing", "--direct_num_workers=1"]


# ---- stages, each run inside a child process -------------------------------------------------

def _stage_io(path: str, out: str) -> dict:
    import pyarrow as pa
    import pyarrow.parquet as pq
    texts, n = [], 0
    with open(path, "rb") as fh:
        for raw in fh:
            texts.append(json.loads(raw)["text"])
            n += 1
    pq.write_table(pa.table({"text": texts}), os.path.join(out, "text.parquet"), compression="zstd")
    return {"articles": n, "sentences": None}


def _stage_loop(path: str, out: str) -> dict:
    """What a worker does, without Beam: the same functions, garbage-collector settings and
    Parquet writer (batches of 1,024 rows, row groups of 8,192) as the pipeline's, and the
    incidents over all the rows at the end (the pipeline's blocks see every article)."""
    from newsevents.events import extract_events
    from newsevents.incidents import find_incidents
    from newsevents.pipeline.extract import fewer_collections
    from newsevents.records import parse_json_line
    from newsevents.text.classify import Classifier
    from newsevents.text.geoparse import Geoparser
    from newsevents.pipeline.write import ParquetSink
    from newsevents.schemas import EVENT_SCHEMA, Article
    classifier, geoparser = Classifier(), Geoparser()
    fewer_collections()
    n = sentences = 0
    articles = []
    with open(path, "rb") as fh:
        for line, raw in enumerate(fh, 1):
            article = parse_json_line(raw.rstrip(b"\n"), path, line)
            n += 1
            if isinstance(article, Article):
                extraction = extract_events(article, classifier, geoparser)
                if extraction.rows:
                    articles.append(extraction.rows)
                sentences += extraction.sentences
    _, ids = find_incidents(row for rows in articles for row in rows)
    sink = ParquetSink(EVENT_SCHEMA, batched=True)
    with open(os.path.join(out, "events.parquet"), "wb") as parquet:
        sink.open(parquet)
        for rows in articles:
            sink.write([{**row, "incident_id": ids.get(row["event_id"])} for row in rows])
        sink.flush()
    return {"articles": n, "sentences": sentences}


def _stage_profile(path: str, out: str) -> dict:
    """Where a worker's time goes, stage by stage, in one process: a first pass times the
    functions extract_events calls, one by one in its order; a second times extract_events
    itself on the same articles (what it spends beyond the stages is building the rows:
    casualty figures, actors, row dicts), then the incidents and the Parquet writer, as the
    plain loop does them."""
    from bisect import bisect_left
    from time import perf_counter as now

    from newsevents.events import extract_events
    from newsevents.incidents import find_incidents
    from newsevents.pipeline.extract import fewer_collections
    from newsevents.pipeline.write import ParquetSink
    from newsevents.records import parse_json_line
    from newsevents.schemas import EVENT_SCHEMA, Article
    from newsevents.text.classify import NOTHING, Classifier, tokenize
    from newsevents.text.geoparse import Geoparser
    from newsevents.text.language import detect_language
    from newsevents.text.sentences import split_sentences
    t = now()
    classifier, geoparser = Classifier(), Geoparser()
    geoparser.gazetteer  # noqa: B018 - loaded here, as a worker's setup does
    parts = dict.fromkeys(PROFILE_PARTS, 0.0)
    parts["load"] = now() - t
    fewer_collections()
    n = sentences = 0
    with open(path, "rb") as fh:
        for line, raw in enumerate(fh, 1):
            t0 = now()
            article = parse_json_line(raw.rstrip(b"\n"), path, line)
            t1 = now()
            parts["read"] += t1 - t0
            n += 1
            if not isinstance(article, Article):
                continue
            text = article.text
            language = article.language or detect_language(text)
            t2 = now()
            spans = split_sentences(text, language)
            t3 = now()
            tokens = tokenize(text)
            t4 = now()
            starts = [tok[2] for tok in tokens]
            rules = classifier.has_rules(language)
            results = [classifier.classify_tokens(
                text, tokens[bisect_left(starts, s):bisect_left(starts, e)], s, e, language)
                if rules else NOTHING for s, e in spans]
            t5 = now()
            if any(r.labels for r in results):
                geoparser.locate(text, spans, [[(x.start + s, x.end + s) for x in r.evidence]
                                               for (s, _), r in zip(spans, results)],
                                 tokens, [bool(r.labels) for r in results], language)
            t6 = now()
            sentences += len(spans)
            for part, seconds in (("language", t2 - t1), ("split", t3 - t2),
                                  ("tokenize", t4 - t3), ("classify", t5 - t4),
                                  ("locate", t6 - t5)):
                parts[part] += seconds
    whole = 0.0
    articles = []
    with open(path, "rb") as fh:
        for line, raw in enumerate(fh, 1):
            article = parse_json_line(raw.rstrip(b"\n"), path, line)
            if not isinstance(article, Article):
                continue
            t0 = now()
            extraction = extract_events(article, classifier, geoparser)
            whole += now() - t0
            if extraction.rows:
                articles.append(extraction.rows)
    t = now()
    _, ids = find_incidents(row for rows in articles for row in rows)
    parts["incidents"] = now() - t
    sink = ParquetSink(EVENT_SCHEMA, batched=True)
    t = now()
    with open(os.path.join(out, "events.parquet"), "wb") as parquet:
        sink.open(parquet)
        for rows in articles:
            sink.write([{**row, "incident_id": ids.get(row["event_id"])} for row in rows])
        sink.flush()
    parts["parquet"] = now() - t
    parts["rows"] = max(0.0, whole - sum(
        parts[p] for p in ("language", "split", "tokenize", "classify", "locate")))
    return {"articles": n, "sentences": sentences, "parts": parts,
            "seconds": sum(parts.values())}


# the profile's parts, in a worker's order, with what each is
PROFILE_PARTS = {
    "load": "load the taxonomy and the gazetteer (once per worker)",
    "read": "read and validate the JSON line (pydantic)",
    "language": "detect the language",
    "split": "split sentences",
    "tokenize": "tokenize",
    "classify": "classify every sentence",
    "locate": "geoparse (articles with an event only)",
    "rows": "build rows: casualty figures, actors, row dicts (extract_events beyond the above)",
    "incidents": "find the incidents (the pipeline's blocks, here in one pass)",
    "parquet": "write Parquet",
}


def _sentences(path: str, limit: int = 5000) -> list[tuple[str, str]]:
    """(sentence, its article's language), as the pipeline splits and classifies them."""
    from newsevents.text.language import detect_language
    from newsevents.text.sentences import split_sentences
    out = []
    with open(path, "rb") as fh:
        for raw in fh:
            text = json.loads(raw)["text"]
            language = detect_language(text)
            out.extend((text[s:e], language) for s, e in split_sentences(text, language))
            if len(out) >= limit * 4:
                break
    return out


def _stage_classify(path: str, out: str) -> dict:
    from newsevents.text.classify import Classifier
    sentences = _sentences(path)
    classifier = Classifier()
    t = time.perf_counter()
    for s, language in sentences:
        classifier.classify(s, language)
    return {"articles": None, "sentences": len(sentences),
            "bytes": sum(len(s) for s, _ in sentences),
            "seconds": time.perf_counter() - t}


def _stage_geoparse(path: str, out: str) -> dict:
    from newsevents.text.gazetteer import load_gazetteer
    from newsevents.text.geoparse import Geoparser
    from newsevents.text.sentences import split_sentences
    t = time.perf_counter()
    gazetteer = load_gazetteer()
    load = time.perf_counter() - t
    import resource
    load_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    geoparser = Geoparser(gazetteer)
    texts = []
    with open(path, "rb") as fh:
        for raw in fh:
            texts.append(json.loads(raw)["text"])
            if len(texts) >= 3000:
                break
    spans = [split_sentences(t) for t in texts]
    t = time.perf_counter()
    for text, sp in zip(texts, spans):
        geoparser.locate(text, sp)
    return {"articles": len(texts), "sentences": sum(map(len, spans)),
            "bytes": sum(len(t.encode()) for t in texts), "seconds": time.perf_counter() - t,
            "gazetteer_load_s": round(load, 2), "gazetteer_rss_mb": round(load_rss)}


def _stage_beam(path: str, out: str, extra: list[str]) -> dict:
    from apache_beam.options.pipeline_options import PipelineOptions

    from newsevents.pipeline import configure, run_pipeline
    cfg = configure(PipelineOptions(["--input", path, "--output", out, *extra]))
    manifest = run_pipeline(cfg)
    c = manifest["counts"]
    return {"articles": c["read"], "sentences": c["sentences"]}


STAGES = {"io": _stage_io, "loop": _stage_loop, "profile": _stage_profile, "classify": _stage_classify,
          "geoparse": _stage_geoparse}


def child_main(argv: list[str]) -> int:
    stage, path, *extra = argv
    with tempfile.TemporaryDirectory(prefix="newsevents-bench-") as out:
        t = time.perf_counter()
        result = (_stage_beam(path, os.path.join(out, "o"), extra) if stage == "beam"
                  else STAGES[stage](path, out))
        result.setdefault("seconds", time.perf_counter() - t)
    print("BENCH " + json.dumps(result))
    return 0


# ---- the parent: runs the children and prints the table ---------------------------------------

def _tree(root: int) -> list[int]:
    """root and every process below it (Beam's worker processes)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as fh:
                    ppid = int(fh.read().rsplit(b")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(children.get(pid, ()))
    return out


def _pss_mb(pids: list[int]) -> float:
    """Memory of these processes together: proportional set size, so pages they share
    (libraries) count once, split among them."""
    kb = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as fh:
                kb += next(int(l.split()[1]) for l in fh if l.startswith("Pss:"))
        except (OSError, StopIteration):
            continue
    return kb / 1024


def measure(stage: str, path: str, extra: list[str] = ()) -> dict:
    proc = subprocess.Popen([sys.executable, "-m", "newsevents.commands.bench", stage, path, *extra],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    # The peak of all the run's processes together, sampled every 0.5 s (each worker
    # process loads its own gazetteer: the largest single process is not the machine's cost).
    peak = 0.0
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        peak = max(peak, _pss_mb(_tree(proc.pid)))
        time.sleep(0.5)
    # a stage shorter than the sampling: its largest process (ru_maxrss covers descendants)
    peak = max(peak, usage.ru_maxrss / 1024)
    out, err = proc.stdout.read(), proc.stderr.read()
    line = next((l for l in out.splitlines() if l.startswith("BENCH ")), None)
    if os.waitstatus_to_exitcode(status) != 0 or line is None:
        raise RuntimeError(f"bench stage {stage} failed:\n{err[-2000:]}")
    result = json.loads(line[6:])
    result["memory_mb"] = peak
    result.setdefault("bytes", os.path.getsize(path))
    return result


def _fmt(name: str, r: dict) -> str:
    s = r["seconds"]
    art = f"{r['articles'] / s:>10,.0f}" if r.get("articles") else f"{'':>10}"
    sen = f"{r['sentences'] / s:>12,.0f}" if r.get("sentences") else f"{'':>12}"
    return (f"| {name:<34} | {s:>8.2f} | {art} | {r['bytes'] / 1e6 / s:>7.2f} | {sen} "
            f"| {r['memory_mb']:>8,.0f} |")


HEADER = ("| stage                              |   time s | articles/s |    MB/s |  sentences/s "
          "| peak memory MB |\n|---|---:|---:|---:|---:|---:|")


def print_profile(r: dict, loop: float) -> None:
    """The time of a worker's stages, each timed alone in one process (table)."""
    parts = r["parts"]
    total = sum(parts.values())
    print(f"\nwhere a worker's time goes (one process, {r['articles']:,} articles, each stage "
          f"timed alone: {total:.2f} s in all; the plain loop took {loop:.2f} s)\n"
          "| stage | what | s | ms per article | share |\n|---|---|---:|---:|---:|")
    for part in PROFILE_PARTS:
        seconds = parts[part]
        print(f"| {part} | {PROFILE_PARTS[part]} | {seconds:.2f} "
              f"| {1000 * seconds / max(r['articles'], 1):.3f} | {seconds / total:.0%} |")


def add_arguments(parser) -> None:
    parser.add_argument("--articles", type=int, default=10_000,
                        help="synthetic articles for the main table (default 10000)")
    parser.add_argument("--corpus", help="bench on this JSONL instead of synthetic articles")
    parser.add_argument("--scaling", default="10000,40000,160000",
                        help="article counts of the scaling series; 'none' to skip")


def as_articles(corpus: str, out: str) -> int:
    """Any JSONL with a `text` -> articles the pipeline accepts: gold files and other
    corpora often have no `published_at` (one is supplied) or no unique `id`."""
    n = 0
    with open(corpus, encoding="utf-8") as src, open(out, "w", encoding="utf-8") as dst:
        for line in src:
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                continue
            if not isinstance(record, dict) or not isinstance(record.get("text"), str):
                continue
            n += 1
            dst.write(json.dumps({"id": f"{record.get('id', '')}#{n}", "text": record["text"],
                                  "published_at": record.get("published_at")
                                  or "2019-02-23T00:00:00Z"}, ensure_ascii=False) + "\n")
    if not n:
        raise SystemExit(f"newsevents: error: no JSON records with a text in {corpus}")
    return n


def run(args) -> int:
    from newsevents.commands.synth import write_synthetic
    work = Path(tempfile.mkdtemp(prefix="newsevents-bench-in-"))
    if args.corpus:
        main_input = str(work / "corpus.jsonl")
        n = as_articles(args.corpus, main_input)
        label = f"corpus {args.corpus} ({n:,} texts)"
    else:
        main_input = str(work / f"synth-{args.articles}.jsonl")
        write_synthetic(main_input, args.articles)
        label = f"{args.articles:,} synthetic articles"
    size = os.path.getsize(main_input)
    from newsevents.native import status
    print(f"newsevents bench: {label}, {size / 1e6:.1f} MB, {os.cpu_count()} cores, "
          f"Python {sys.version.split()[0]}, text modules {status()}\n")
    print(HEADER)
    results = {}
    for name, stage, extra in [
            ("1. I/O floor (pyarrow)", "io", []),
            ("2. core functions, plain loop", "loop", []),
            ("3a. Beam DirectRunner, one process", "beam", []),
            ("3b. Beam DirectRunner, 2 processes", "beam", MULTI),
            ("3c. Beam DirectRunner, 1 worker process", "beam", ONE_WORKER),
            ("classification alone", "classify", []),
            ("geoparsing alone", "geoparse", [])]:
        results[name] = r = measure(stage, main_input, extra)
        print(_fmt(name, r), flush=True)
    loop = results["2. core functions, plain loop"]["seconds"]
    io = results["1. I/O floor (pyarrow)"]["seconds"]
    best = min(results["3a. Beam DirectRunner, one process"]["seconds"],
               results["3b. Beam DirectRunner, 2 processes"]["seconds"])
    geo = results["geoparsing alone"]
    print_profile(measure("profile", main_input), loop)
    if not args.corpus:             # Spanish news beside English: the same layers, in Spanish
        spanish = str(work / f"synth-es-{args.articles}.jsonl")
        write_synthetic(spanish, args.articles, language="es")
        for name, stage, extra in [
                ("Spanish 2. core functions, loop", "loop", []),
                ("Spanish 3b. Beam, 2 processes", "beam", MULTI),
                ("Spanish classification alone", "classify", [])]:
            print(_fmt(name, measure(stage, spanish, extra)), flush=True)
        os.remove(spanish)
    one = results["3c. Beam DirectRunner, 1 worker process"]["seconds"]
    two = results["3b. Beam DirectRunner, 2 processes"]["seconds"]
    print(f"\nratio 3c/3b (two worker processes over one, throughput): {one / two:.2f}"
          f"\nratio 3/2 (Beam over plain loop, throughput): {loop / best:.2f}"
          f"\nratio 3/1 (Beam over I/O floor, throughput):  {io / best:.2f}"
          f"\ngazetteer load {geo['gazetteer_load_s']} s, {geo['gazetteer_rss_mb']} MB RSS")
    if args.scaling != "none" and not args.corpus:
        sizes = [int(x) for x in args.scaling.split(",")]
        print("\nscaling (Beam DirectRunner, best options above)\n"
              "| articles | time s | ms per article | peak memory MB |\n|---:|---:|---:|---:|")
        extra = MULTI if best == results["3b. Beam DirectRunner, 2 processes"]["seconds"] else []
        timed = []
        for n in sizes:
            path = str(work / f"synth-{n}.jsonl")
            write_synthetic(path, n)
            r = measure("beam", path, extra)
            timed.append((n, r["seconds"]))
            print(f"| {n:>8,} | {r['seconds']:>6.1f} | {1000 * r['seconds'] / n:>14.3f} "
                  f"| {r['memory_mb']:>14,.0f} |", flush=True)
            os.remove(path)
        # a run costs a fixed start (worker processes, gazetteer, Beam's stages) plus a time
        # per article: the two largest runs give both
        (n1, t1), (n2, t2) = sorted(timed)[-2:] if len(timed) > 1 else [(0, 0.0)] * 2
        if n2 > n1 and t2 > t1:
            rate = (n2 - n1) / (t2 - t1)
            print(f"\nper article, from the two largest runs: {rate:,.0f} articles/s; fixed cost "
                  f"of a run: {t1 - n1 / rate:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(child_main(sys.argv[1:]))
