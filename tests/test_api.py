"""The Python API (newsevents.__all__, docs/api.md): the doc's example pipeline run as
written and tested as Beam's own examples are (TestPipeline, assert_that), the one-article
function, dead letters, Parquet with EVENT_SCHEMA, options and injection."""
import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import apache_beam as beam
import pyarrow.parquet as pq
import pytest
from apache_beam.options.pipeline_options import PipelineOptions
from apache_beam.testing.test_pipeline import TestPipeline
from apache_beam.testing.util import assert_that, equal_to

import newsevents
from newsevents import (EVENT_SCHEMA, Article, Classifier, Event, ExtractEvents, ExtractOptions,
                        TaxonomyError, extract_article)

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "api.md"


def doc_blocks() -> list[tuple[str, str]]:
    """(the comment before it, the code) for each fenced block of docs/api.md that has one."""
    text = DOC.read_text(encoding="utf-8")
    return re.findall(r"<!-- (.*?) -->\n```[a-z]*\n(.*?)```", text, re.S)


def doc_block(n: int) -> tuple[str, list[str]]:
    """The n-th block the doc marks as run by this file, and the output block after it."""
    blocks = doc_blocks()
    runs = [i for i, (note, _) in enumerate(blocks) if note.startswith("tests/test_api.py runs")]
    i = runs[n]
    note, output = blocks[i + 1]
    assert note.startswith("the output of"), note
    return blocks[i][1], output.splitlines()


@pytest.fixture(scope="module")
def pipeline_example():
    code, output = doc_block(0)
    namespace = {"__name__": "docs_api_example"}       # not __main__: run() is ours to call
    exec(compile(code, str(DOC), "exec"), namespace)   # noqa: S102 - the doc's own code
    return namespace, output


# --- the doc's example pipeline ------------------------------------------------------------

def test_the_docs_example_pipeline_with_test_pipeline_and_assert_that(pipeline_example):
    namespace, output = pipeline_example
    expected = [ast.literal_eval(line) for line in output]
    assert len(expected) == 2
    with TestPipeline() as p:
        summaries = (p
                     | "Articles" >> beam.Create(namespace["ARTICLES"])
                     | "EventSummaries" >> namespace["EventSummaries"]())
        assert_that(summaries, equal_to(expected))


def test_the_docs_example_prints_what_the_doc_shows(pipeline_example, capsys):
    namespace, output = pipeline_example
    namespace["run"]()
    printed = [line for line in capsys.readouterr().out.splitlines() if line.startswith("(")]
    assert sorted(printed) == sorted(output)


def test_the_docs_one_article_example_prints_what_the_doc_shows(capsys):
    code, output = doc_block(1)
    exec(compile(code, str(DOC), "exec"), {"__name__": "docs_api_article"})   # noqa: S102
    assert capsys.readouterr().out.splitlines() == output


# --- the public names ----------------------------------------------------------------------

def test_every_public_name_imports_and_import_newsevents_stays_light():
    assert sorted(newsevents.__all__) == sorted(set(newsevents.__all__))
    for name in newsevents.__all__:
        assert getattr(newsevents, name) is not None, name
    assert set(newsevents.__all__) <= set(dir(newsevents))
    with pytest.raises(AttributeError):
        newsevents.extract_events        # noqa: B018 - internal, not public
    out = subprocess.run(
        [sys.executable, "-c", "import sys, newsevents; print('apache_beam' in sys.modules); "
                               "from newsevents import ExtractEvents; print(ExtractEvents.__name__)"],
        capture_output=True, text=True, check=True).stdout.split()
    assert out == ["False", "ExtractEvents"]


def test_an_event_record_is_an_event_and_writes_with_event_schema(tmp_path):
    article = Article.model_validate_json(
        '{"id": "p1", "published_at": "2019-02-23T12:00:00Z", "text": '
        '"Rebels shelled the town of Ureña overnight. Aid trucks crossed into Cúcuta."}')
    records = extract_article(article)
    assert [r["labels"] for r in records] == [["violence"], ["aid_movement"]]
    for record in records:
        Event.model_validate(record)
        assert set(record["scores"]) == set(newsevents.LABELS)
    with TestPipeline() as p:
        _ = (p | beam.Create([article]) | ExtractEvents()
             | beam.io.WriteToParquet(str(tmp_path / "events"), EVENT_SCHEMA,
                                      file_name_suffix=".parquet"))
    (path,) = tmp_path.glob("events*.parquet")
    table = pq.read_table(path)
    assert table.schema.equals(EVENT_SCHEMA, check_metadata=False)
    assert sorted(table.column("text").to_pylist()) == sorted(r["text"] for r in records)


# --- dead letters --------------------------------------------------------------------------

BAD = [{"id": "no-date", "text": "Rebels shelled the town."},
       {"id": "naive", "text": "Rebels shelled the town.", "published_at": "2019-02-23T10:00:00"},
       "not a record"]
GOOD = {"id": "ok", "text": "Rebels shelled the town.", "published_at": "2019-02-23T10:00:00Z"}


def test_with_dead_letters_gives_events_and_dead_letters():
    with TestPipeline() as p:
        events, dead = p | beam.Create([GOOD, *BAD]) | ExtractEvents().with_dead_letters()
        assert_that(events | beam.Map(lambda e: (e["article_id"], e["labels"])),
                    equal_to([("ok", ["violence"])]), label="events")
        assert_that(dead | beam.Map(lambda d: (d["source"], d["line"], d["error_type"])),
                    equal_to([("ExtractEvents", None, "missing_field"),
                              ("ExtractEvents", None, "invalid_published_at"),
                              ("ExtractEvents", None, "not_an_object")]), label="dead")


def test_without_them_a_dead_letter_stops_the_pipeline_with_its_reason():
    with pytest.raises(Exception, match="missing_field: required field 'published_at' is missing"):
        with TestPipeline() as p:
            _ = p | beam.Create([GOOD, BAD[0]]) | ExtractEvents()


def test_the_one_article_function_raises_the_dead_letters_reason():
    with pytest.raises(ValueError, match="^invalid_published_at: field 'published_at'"):
        extract_article(BAD[1])


# --- options and injection -----------------------------------------------------------------

def test_options_are_checked_when_built():
    with pytest.raises(TypeError, match="keep_all_sentences must be True or False"):
        ExtractOptions(keep_all_sentences="yes")
    with pytest.raises(TypeError, match="classifier must be a function"):
        ExtractOptions(classifier=Classifier)    # a class is callable: fine
        ExtractOptions(classifier="my/en/events.yaml")
    with pytest.raises(ValueError, match="max_article_bytes"):
        ExtractOptions(max_article_bytes=0)
    with pytest.raises(TypeError, match="ExtractOptions or Beam PipelineOptions"):
        ExtractEvents({"keep_all_sentences": True})


def test_pipeline_options_flags_and_an_injected_classifier(tmp_path):
    # one language's rules of the user's own: a verb the shipped rules do not know
    from newsevents.taxonomy import language_files
    text = language_files("en")["events"].read_text(encoding="utf-8")
    path = tmp_path / "events.yaml"
    path.write_text(text.replace('"V:arrive", "V:reach",', '"V:arrive", "V:reach", "V:trundle",',
                                 1), encoding="utf-8")
    article = {"id": "t", "published_at": "2019-02-23T10:00:00Z",
               "text": "Food aid trundled into the town. The weather was mild."}
    assert extract_article(article) == []
    options = ExtractOptions(classifier=lambda: Classifier(path))
    assert [r["labels"] for r in extract_article(article, options)] == [["aid_movement"]]
    with TestPipeline() as p:
        records = p | beam.Create([article]) | ExtractEvents(
            PipelineOptions(["--keep-all-sentences"]))
        assert_that(records | beam.Map(lambda r: (r["sentence_index"], r["labels"])),
                    equal_to([(0, []), (1, [])]), label="all")
        injected = p | "Again" >> beam.Create([article]) | "Injected" >> ExtractEvents(options)
        assert_that(injected | beam.Map(lambda r: r["labels"]), equal_to([["aid_movement"]]),
                    label="injected")


def test_a_broken_taxonomy_is_refused_when_the_transform_is_built(tmp_path):
    from test_check_taxonomy import broken_taxonomy
    folder = broken_taxonomy(tmp_path / "taxonomy", "empty-unless")
    env = {**os.environ, "NEWSEVENTS_TAXONOMY": str(folder)}
    out = subprocess.run([sys.executable, "-c", "from newsevents import ExtractEvents\n"
                          "try:\n    ExtractEvents()\n"
                          "except ValueError as e:\n    print(type(e).__name__, e)"],
                         env=env, capture_output=True, text=True, check=True)
    assert out.stdout.startswith("TaxonomyError " + str(folder.resolve()))
    assert "rule violence.kill: unless: empty" in out.stdout
    assert issubclass(TaxonomyError, ValueError)
