"""Each composite transform on its own, with TestPipeline and assert_that."""
import json
from datetime import datetime, timezone

import apache_beam as beam
from apache_beam.testing.test_pipeline import TestPipeline
from apache_beam.testing.util import assert_that, equal_to

from newsevents.pipeline.count import CountEventsByLocation
from newsevents.pipeline.read import DEAD_LETTERS, STATS, ReadArticles

DAY = datetime(2019, 2, 23, tzinfo=timezone.utc)


def write_jsonl(path, records):
    path.write_text("".join(
        (r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records), encoding="utf-8")
    return str(path)


def article(id_, text="Text.", when="2019-02-23T00:00:00Z"):
    return {"id": id_, "text": text, "published_at": when}


class TestReadArticles:
    def test_articles_dead_letters_duplicates_and_counts(self, tmp_path):
        a = write_jsonl(tmp_path / "a.jsonl", [article("1"), "not json", article("2")])
        b = write_jsonl(tmp_path / "b.jsonl", [article("2", "Second copy."), article("3")])
        with TestPipeline() as p:
            out = p | ReadArticles([b, a], published_at=None, max_bytes=10_000)
            assert_that(out["articles"] | beam.MapTuple(lambda src, art: (src, art.id)),
                        equal_to([(a, "1"), (a, "2"), (b, "3")]), label="articles")
            assert_that(out[DEAD_LETTERS] | beam.Map(lambda d: (d["source"], d["line"], d["error_type"])),
                        equal_to([(a, 2, "invalid_json"), (b, 1, "duplicate_id")]), label="dead")
            assert_that(out[STATS], equal_to([(("read", a), 3), (("read", b), 2)]), label="stats")

    def test_chunked_reading_gives_the_same_result(self, tmp_path):
        """A large file is read in chunks by several workers: same articles, lines, repeats."""
        records = [article(str(i % 40), f"Article number {i}.") for i in range(60)]
        records[17] = "not json"
        path = write_jsonl(tmp_path / "big.jsonl", records)
        with open(path, "ab") as fh:
            fh.write(b'{"id": "cut", "te')           # a truncated last line
        expected_dead = ([(17 + 1, "invalid_json"), (61, "truncated_record")]
                         + [(i + 1, "duplicate_id") for i in range(40, 60) if i != 17 + 40])
        with TestPipeline() as p:
            out = p | ReadArticles([path], None, 10_000, chunk_bytes=200)
            assert_that(out["articles"] | beam.MapTuple(lambda _, art: (art.id, art.text)),
                        equal_to([(str(i), f"Article number {i}.") for i in range(40) if i != 17]
                                 + [("17", "Article number 57.")]), label="articles")
            assert_that(out[DEAD_LETTERS] | beam.Map(lambda d: (d["line"], d["error_type"])),
                        equal_to(expected_dead), label="dead")
            assert_that(out[STATS] | beam.CombinePerKey(sum), equal_to([(("read", path), 61)]),
                        label="stats")

    def test_text_files_take_the_published_at_option(self, tmp_path):
        (tmp_path / "story.txt").write_text("Aid trucks crossed the border.", encoding="utf-8")
        with TestPipeline() as p:
            out = p | ReadArticles([str(tmp_path / "story.txt")], DAY, 10_000)
            assert_that(out["articles"] | beam.MapTuple(lambda _, art: (art.id, art.published_at)),
                        equal_to([("story", DAY)]))


def event_row(article_id, labels, place=None, when=DAY):
    from newsevents.events import LOCATION_KEY_FIELDS
    name, gid, cc = place or (None, None, None)
    return {"article_id": article_id, "labels": labels, "published_at": when,
            **dict.fromkeys(LOCATION_KEY_FIELDS),     # every location field, null unless set
            "location_name": name, "geonameid": gid, "country_code": cc,
            "location_precision": "city" if name else None}


class TestCountEventsByLocation:
    def test_counts_sentences_and_distinct_articles_per_window_type_and_place(self):
        urena = ("Ureña", 3625929, "VE")
        articles = [   # as ExtractEvents gives them: one list of rows per article
            [event_row("a", ["violence", "aid_movement"], urena),
             event_row("a", ["violence"], urena)],
            [event_row("b", ["violence"], urena),
             event_row("b", ["diplomacy"])],  # no location: counted under a null place
            [event_row("c", ["violence"], urena, when=DAY.replace(day=24, hour=5))],
        ]
        with TestPipeline() as p:
            counts = (p | beam.Create(articles) | CountEventsByLocation(86400)
                      | beam.Map(lambda r: (r["window_start"].day, r["event_type"],
                                            r["location_name"], r["sentence_count"],
                                            r["article_count"])))
            assert_that(counts, equal_to([
                (23, "violence", "Ureña", 3, 2), (23, "aid_movement", "Ureña", 1, 1),
                (23, "diplomacy", None, 1, 1), (24, "violence", "Ureña", 1, 1)]))

    def test_counts_sent_early_from_a_full_bundle_still_add_up(self, monkeypatch):
        from newsevents.pipeline.count import SumPerBundleFn
        monkeypatch.setattr(SumPerBundleFn, "MAX_KEYS", 1)     # send after every article
        places = [("Ureña", 3625929, "VE"), ("Cúcuta", 3685533, "CO")]
        articles = [[event_row(f"a{i}", ["violence"], places[i % 2])] for i in range(7)]
        with TestPipeline() as p:
            counts = (p | beam.Create(articles) | CountEventsByLocation(86400)
                      | beam.Map(lambda r: (r["location_name"], r["sentence_count"],
                                            r["article_count"])))
            assert_that(counts, equal_to([("Ureña", 4, 4), ("Cúcuta", 3, 3)]))

    def test_counts_keep_the_beam_windows_they_come_in(self):
        # counts are summed per bundle: elements of two Beam windows must not be mixed
        from apache_beam.transforms.window import FixedWindows, TimestampedValue
        urena = ("Ureña", 3625929, "VE")
        with TestPipeline() as p:
            counts = (p | beam.Create([(0, "a"), (7200, "b")])
                      | beam.Map(lambda e: TimestampedValue([event_row(e[1], ["violence"], urena)],
                                                            e[0]))
                      | beam.WindowInto(FixedWindows(3600))
                      | CountEventsByLocation(86400)
                      | beam.Map(lambda r: (r["sentence_count"], r["article_count"])))
            assert_that(counts, equal_to([(1, 1), (1, 1)]))

    def test_window_bounds_follow_the_window_size(self):
        with TestPipeline() as p:
            counts = (p | beam.Create([[event_row("a", ["violence"], when=DAY.replace(hour=7))]])
                      | CountEventsByLocation(6 * 3600)
                      | beam.Map(lambda r: (r["window_start"], r["window_end"])))
            assert_that(counts, equal_to([(DAY.replace(hour=6), DAY.replace(hour=12))]))


class TestParquetSink:
    def test_lists_of_rows_write_the_same_file_as_single_rows(self):
        import io

        from newsevents.pipeline.write import ParquetSink
        from newsevents.schemas import DEAD_LETTER_SCHEMA
        rows = [{"source": "s", "line": i, "raw": f"r{i}", "error_type": "e", "error": "x"}
                for i in range(20_000)]            # more than two row groups

        def written(batched, records):
            fh = io.BytesIO()
            fh.close = lambda: None                  # ParquetWriter.close would close it
            sink = ParquetSink(DEAD_LETTER_SCHEMA, batched)
            sink.open(fh)
            for record in records:
                sink.write(record)
            sink.flush()
            return fh.getvalue()

        sizes = [1, 7, 1500, 3, 9000, 211]
        lists, start = [], 0
        while start < len(rows):
            n = sizes[len(lists) % len(sizes)]
            lists.append(rows[start:start + n])
            start += n
        assert written(True, lists) == written(False, rows)


def test_window_start_is_fixed_windows_arithmetic_from_a_monday():
    from datetime import timedelta

    from apache_beam.transforms.window import FixedWindows, WindowFn
    from apache_beam.utils.timestamp import Timestamp

    from newsevents.pipeline.count import window_start
    monday = 4 * 86400                      # 1970-01-05, four days after the epoch
    for size in (1800, 6 * 3600, 7 * 3600, 86400, 7 * 86400, 10 * 86400):
        for when in (DAY, DAY.replace(hour=23, minute=59, second=59, microsecond=999_999),
                     DAY + timedelta(hours=6, microseconds=1), DAY.replace(year=2001),
                     DAY.replace(year=1950)):
            ts = Timestamp.from_utc_datetime(when)
            windows = FixedWindows(size, offset=monday % size)
            expected = windows.assign(WindowFn.AssignContext(ts))[0].start.micros
            assert window_start(when, size) == expected, (size, when)


def test_a_rerun_recounts_the_windows_touching_its_days_and_reads_their_other_days():
    from datetime import date, timedelta

    from newsevents.pipeline.count import count_partitions, window_days
    sat = date(2019, 2, 23)
    assert count_partitions({sat}, 86400) == {sat}
    assert count_partitions({sat}, 6 * 3600) == {sat}
    assert count_partitions({sat}, 7 * 86400) == {date(2019, 2, 18)}        # its Monday
    assert count_partitions({sat + timedelta(1)}, 36 * 3600) == {sat, sat + timedelta(1)}
    assert window_days({sat}, 86400) == {sat}
    week = window_days({date(2019, 2, 18)}, 7 * 86400)
    assert week == {date(2019, 2, 18) + timedelta(d) for d in range(7)}
    assert window_days({date(2019, 2, 19)}, 7 * 86400) == set()     # no week starts then
