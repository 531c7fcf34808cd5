"""Wrong use of the command line: one clear line on stderr and a non-zero exit, no trace."""
import pytest

from newsevents.cli import main


@pytest.fixture
def seed_input(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    (d / "a.jsonl").write_text(
        '{"id": "a", "text": "Talks were held.", "published_at": "2019-02-23T00:00:00Z"}\n')
    return d


def error_of(capsys, argv):
    code = main(argv)
    err = capsys.readouterr().err.strip()
    assert code != 0
    assert len(err.splitlines()) == 1, err
    assert err.startswith("newsevents: error:") and "Traceback" not in err
    return err


def test_missing_input(capsys, tmp_path):
    assert "does not exist" in error_of(capsys, ["run", "--input", str(tmp_path / "nope.jsonl"),
                                                 "--output", str(tmp_path / "out")])


def test_no_input_flag(capsys, tmp_path):
    assert "--input is required" in error_of(capsys, ["run", "--output", str(tmp_path / "o")])


def test_empty_glob(capsys, tmp_path):
    assert "matches no file" in error_of(capsys, ["run", "--input", str(tmp_path / "*.jsonl"),
                                                  "--output", str(tmp_path / "out")])


def test_unwritable_output(capsys, seed_input, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert "not a directory" in error_of(capsys, ["run", "--input", str(seed_input),
                                                  "--output", str(blocker)])
    assert "not writable" in error_of(capsys, ["run", "--input", str(seed_input),
                                               "--output", str(blocker / "sub")])


def test_output_inside_input(capsys, seed_input):
    assert "contains input" in error_of(capsys, ["run", "--input", str(seed_input),
                                                 "--output", str(seed_input.parent)])


def test_unknown_option(capsys, seed_input, tmp_path):
    err = error_of(capsys, ["run", "--input", str(seed_input), "--output", str(tmp_path / "o"),
                            "--windoww", "1d"])
    assert "--windoww" in err


@pytest.mark.parametrize("window", ["0d", "1y", "day", ""])
def test_bad_window(capsys, seed_input, tmp_path, window):
    assert "bad --window" in error_of(capsys, ["run", "--input", str(seed_input), "--output",
                                               str(tmp_path / "o"), "--window", window])


def test_bad_date_options(capsys, seed_input, tmp_path):
    base = ["run", "--input", str(seed_input), "--output", str(tmp_path / "o")]
    assert "bad --date" in error_of(capsys, base + ["--date", "23/02/2019"])
    assert "go together" in error_of(capsys, base + ["--since", "2019-02-01"])
    assert "before" in error_of(capsys, base + ["--since", "2019-02-02", "--until", "2019-02-01"])


def test_help_explains_every_option(capsys):
    with pytest.raises(SystemExit) as e:
        main(["run", "--help"])
    assert e.value.code == 0
    out = capsys.readouterr().out
    for flag in ("--input", "--output", "--window", "--published-at", "--date", "--since",
                 "--until", "--keep-all-sentences", "--max-article-bytes", "--runner"):
        assert flag in out, flag


def test_large_inputs_use_every_core_unless_told_otherwise(tmp_path, monkeypatch):
    from newsevents import cli
    src = tmp_path / "in.jsonl"
    src.write_text("x" * 100, encoding="utf-8")
    assert cli._worker_defaults([], [str(src)]) == []                      # small: one process
    monkeypatch.setattr(cli, "MULTI_PROCESS_BYTES", 10)
    monkeypatch.setattr(cli.os, "cpu_count", lambda: 2)
    assert cli._worker_defaults([], [str(src)]) == [
        "--direct_running_mode=multi_processing", "--direct_num_workers=2"]
    assert cli._worker_defaults(["--direct_num_workers=1"], [str(src)]) == []
    assert cli._worker_defaults(["--runner=FlinkRunner"], [str(src)]) == []


def test_worker_processes_give_the_same_rows(tmp_path):
    """Two DirectRunner modes, one answer: rows do not depend on how the work was spread."""
    import pyarrow.dataset as ds
    from newsevents.commands.synth import write_synthetic
    src = tmp_path / "in.jsonl"
    write_synthetic(str(src), 300, seed=5)
    tables = []
    for mode in ("--direct_running_mode=in_memory",
                 "--direct_running_mode=multi_processing"):
        out = tmp_path / mode.split("=")[1]
        assert main(["run", "--input", str(src), "--output", str(out), mode,
                     "--direct_num_workers=2"]) == 0
        table = ds.dataset(out / "events", format="parquet", partitioning="hive").to_table()
        tables.append(sorted(table.drop_columns(["date"]).to_pylist(),
                             key=lambda r: r["event_id"]))
    assert tables[0] == tables[1] and len(tables[0]) > 100


def test_bench_takes_any_corpus_with_a_text(tmp_path):
    """Gold files have no published_at and may repeat ids: the bench still measures them."""
    import json
    from newsevents.commands.bench import as_articles
    from newsevents.records import iter_jsonl
    from newsevents.schemas import Article
    src = tmp_path / "corpus.jsonl"
    src.write_text('{"id": "a", "text": "One."}\n{"id": "a", "text": "Two."}\nnot json\n'
                   '{"title": "no text"}\n', encoding="utf-8")
    out = tmp_path / "articles.jsonl"
    assert as_articles(str(src), str(out)) == 2
    records = [r for _, r in iter_jsonl(out.open("rb"), str(out))]
    assert all(isinstance(r, Article) for r in records)
    assert len({r.id for r in records}) == 2
    assert json.loads(out.read_text().splitlines()[0])["text"] == "One."


def test_worker_start_up_logs_are_quieted_unless_the_user_sets_levels():
    import logging

    from newsevents.cli import _quiet_workers
    relay = logging.getLogger("apache_beam.runners.portability.local_job_service")
    level = relay.level
    try:
        multi = ["--input=x", "--direct_running_mode=multi_processing", "--direct_num_workers=2"]
        added = _quiet_workers(multi)
        assert "--default_sdk_harness_log_level=WARNING" in added
        assert any("newsevents.progress" in a for a in added)       # progress lines stay
        assert _quiet_workers(["--direct_running_mode", "multi_processing"]) == added
        assert _quiet_workers(multi + ["--default_sdk_harness_log_level=DEBUG"]) == []
        assert _quiet_workers(["--input=x", "--direct_running_mode=in_memory"]) == []
    finally:
        relay.setLevel(level)


def test_bench_plain_loop_writes_what_the_pipeline_writes(tmp_path):
    """Ratio 3/2 compares like with like: the plain loop's events are the pipeline's."""
    import gc

    import pyarrow.parquet as pq

    from newsevents.commands.bench import _stage_loop
    from newsevents.commands.synth import write_synthetic
    from newsevents.schemas import EVENT_SCHEMA
    src, loop_dir = tmp_path / "synth.jsonl", tmp_path / "loop"
    write_synthetic(str(src), 60)
    loop_dir.mkdir()
    thresholds = gc.get_threshold()
    try:
        assert _stage_loop(str(src), str(loop_dir))["articles"] == 60
    finally:
        gc.set_threshold(*thresholds)           # the loop tunes the collector as workers do
    assert main(["run", "--input", str(src), "--output", str(tmp_path / "out")]) == 0
    loop = pq.read_table(loop_dir / "events.parquet").sort_by("event_id")
    piped = pq.read_table(tmp_path / "out" / "events").select(EVENT_SCHEMA.names)
    assert loop.num_rows > 100
    assert loop.equals(piped.sort_by("event_id").cast(EVENT_SCHEMA))


def test_a_text_article_without_a_date_is_a_usage_error(capsys, tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "story.txt").write_text("Troops shelled the town.", encoding="utf-8")
    err = error_of(capsys, ["run", "--input", str(src), "--output", str(tmp_path / "o")])
    assert "story.txt" in err and "--published-at" in err
    assert not (tmp_path / "o" / "_manifest.json").exists()


def test_a_time_without_zone_says_the_zone_is_missing(capsys, seed_input, tmp_path):
    base = ["run", "--input", str(seed_input), "--output", str(tmp_path / "o")]
    assert "time zone is missing" in error_of(
        capsys, base + ["--published-at", "2019-02-23T00:00:00"])
    assert "time zone" not in error_of(capsys, base + ["--published-at", "yesterday"])


def test_a_run_of_nothing_but_dead_letters_fails_and_keeps_the_output(capsys, seed_input,
                                                                       tmp_path):
    out = tmp_path / "o"
    assert main(["run", "--input", str(seed_input), "--output", str(out)]) == 0
    manifest = (out / "_manifest.json").read_bytes()
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x"}\n{oops\n', encoding="utf-8")
    capsys.readouterr()
    err = error_of(capsys, ["run", "--input", str(bad), "--output", str(out)])
    assert "every article read (2) was a dead letter" in err
    assert "invalid_json" in err and "missing_field" in err
    assert (out / "_manifest.json").read_bytes() == manifest


def test_the_summary_names_dead_letter_reasons_and_only_the_tables_written(capsys, tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text('{"id": "a", "text": "Talks were held.", "published_at": '
                   '"2019-02-23T00:00:00Z"}\n{oops\n', encoding="utf-8")
    assert main(["run", "--input", str(src), "--output", str(tmp_path / "o"),
                 "--date", "2019-03-01"]) == 0          # nothing on that day: no events
    out = capsys.readouterr().out
    assert "invalid_json" in out and "not valid JSON" in out
    last = out.strip().splitlines()[-1]
    assert "dead_letters/" in last and "events/" not in last and "location_counts/" not in last


def test_a_day_with_no_articles_is_not_an_error(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text("", encoding="utf-8")
    assert main(["run", "--input", str(src), "--output", str(tmp_path / "o")]) == 0


def test_the_summary_warns_when_the_report_no_longer_matches(capsys, seed_input, tmp_path):
    out = tmp_path / "o"
    assert main(["run", "--input", str(seed_input), "--output", str(out)]) == 0
    assert main(["report", str(out)]) == 0
    capsys.readouterr()
    assert main(["run", "--input", str(seed_input), "--output", str(out)]) == 0
    assert "report.html describes run" in capsys.readouterr().out


def test_bench_profile_times_each_stage_on_the_pipelines_rows(tmp_path):
    """make bench's per-stage table: every stage of a worker timed, on the rows it writes."""
    import gc

    import pyarrow.parquet as pq

    from newsevents.commands.bench import PROFILE_PARTS, _stage_loop, _stage_profile
    from newsevents.commands.synth import write_synthetic
    src = tmp_path / "synth.jsonl"
    write_synthetic(str(src), 40)
    (tmp_path / "p").mkdir()
    (tmp_path / "l").mkdir()
    thresholds = gc.get_threshold()
    try:
        profile = _stage_profile(str(src), str(tmp_path / "p"))
        _stage_loop(str(src), str(tmp_path / "l"))
    finally:
        gc.set_threshold(*thresholds)
    assert profile["articles"] == 40 and profile["sentences"] > 40
    assert set(profile["parts"]) == set(PROFILE_PARTS)
    assert all(profile["parts"][p] > 0 for p in ("tokenize", "classify", "locate", "load"))
    assert profile["seconds"] == pytest.approx(sum(profile["parts"].values()))
    written = pq.read_table(tmp_path / "p" / "events.parquet")
    assert written.num_rows > 40
    assert written.equals(pq.read_table(tmp_path / "l" / "events.parquet"))
