"""Incidents: which event sentences report one real-world event (newsevents.incidents), the
Beam stage that runs it (pipeline/incidents.py), the counts that use it, and
evaluate-incidents."""
import json
import random
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import apache_beam as beam
import pyarrow.dataset as ds
import pytest
from apache_beam.testing.test_pipeline import TestPipeline
from apache_beam.testing.util import assert_that, equal_to

from newsevents import incidents as inc
from newsevents.cli import main
from newsevents.events import LOCATION_KEY_FIELDS

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT / "tests" / "data" / "incidents_dev.jsonl"
MON = datetime(2024, 3, 11, 9, tzinfo=timezone.utc)      # a Monday

# (name, geonameid, country, admin1, precision)
JOS = ("Jos", 2335953, "NG", "49", "city")
BUKURU = ("Bukuru", 2346229, "NG", "49", "city")
PLATEAU = ("Plateau", 2324828, "NG", "49", "admin1")
NIGERIA = ("Nigeria", 2328926, "NG", None, "country")

_n = 0


def row(article, text, place=JOS, day=None, published=MON, killed=None, injured=None,
        labels=("violence",), actor1=None):
    """An events row as extraction gives it, with the fields incidents read."""
    global _n
    _n += 1
    name, gid, cc, admin1, precision = place
    out = dict.fromkeys(LOCATION_KEY_FIELDS)
    out.update({
        "event_id": f"{article}-{_n:04d}", "article_id": article, "text": text,
        "labels": list(labels), "language": "en", "published_at": published,
        "event_date": day or published.date(),
        "event_date_source": "stated" if day else "published",
        "location_name": name, "geonameid": gid, "country_code": cc, "admin1_code": admin1,
        "location_precision": precision,
        "locations": [{"surface": name}], "evidence": [],
        "killed": killed, "injured": injured, "casualties_exact": None if killed is None else True,
        "actor1_type": actor1, "actor2_type": None,
    })
    return out


def groups(rows):
    """The rows' incidents as sets of article ids."""
    _, ids = inc.find_incidents(rows)
    by = {}
    for r in rows:
        by.setdefault(ids[r["event_id"]], set()).add(r["article_id"])
    return sorted(map(sorted, by.values()))


SAT = date(2024, 3, 9)


def test_one_attack_told_by_five_outlets_is_one_incident():
    rows = [
        row("a", "Gunmen raided the livestock market in Jos on Saturday, killing at least "
                 "three herders.", day=SAT, killed=3, published=MON - timedelta(days=2)),
        row("b", "Four herders died when raiders stormed the Jos livestock market.",
            killed=4, published=MON - timedelta(days=1)),
        row("c", "Herders buried four men shot at the livestock market last weekend.",
            day=SAT, killed=4),
        row("d", "The livestock market attack in Plateau state left four herders dead.",
            place=PLATEAU, day=SAT, killed=4),
        row("e", "Nigeria's police arrested two men over Saturday's livestock market raid.",
            place=NIGERIA, day=SAT, published=MON + timedelta(days=1)),
    ]
    assert groups(rows) == [["a", "b", "c", "d", "e"]]


def test_two_shootings_in_one_town_on_one_day_stay_two():
    rows = [
        row("a", "A man was shot dead outside a pharmacy in Jos on Sunday.", day=SAT + timedelta(1),
            killed=1),
        row("b", "Police in Jos hunt a gunman after the pharmacy shooting on Sunday.",
            day=SAT + timedelta(1)),
        row("c", "Two students were wounded by gunfire at a football pitch in Jos on Sunday.",
            day=SAT + timedelta(1), injured=2),
        row("d", "The students hurt at the football pitch are recovering in hospital.",
            day=SAT + timedelta(1)),
    ]
    assert groups(rows) == [["a", "b"], ["c", "d"]]


def test_hard_checks_split_what_the_words_would_join():
    words = "Militants torched the granary and the clinic at the cattle market"
    assert groups([row("a", words + ".", day=SAT), row("b", words + " too.", place=BUKURU,
                                                         day=SAT)]) == [["a"], ["b"]]
    assert groups([row("a", words + ".", day=SAT),                     # dates too far apart
                   row("b", words + " too.", day=SAT + timedelta(3))]) == [["a"], ["b"]]
    assert groups([row("a", words + ".", day=SAT, killed=2),           # figures that differ
                   row("b", words + " too.", day=SAT, killed=9)]) == [["a"], ["b"]]
    assert groups([row("a", words + ".", day=SAT, labels=["violence"]),  # another type
                   row("b", words + " too.", day=SAT, labels=["aid_movement"])]) == [["a"], ["b"]]


def test_a_country_level_report_does_not_chain_two_towns():
    words = "Militants torched the granary and the clinic at the cattle market"
    rows = [row("a", words + ".", day=SAT), row("b", words + " again.", place=BUKURU, day=SAT),
            row("c", words + " in the north.", place=NIGERIA, day=SAT)]
    found = groups(rows)
    assert len(found) == 2 and ["a"] in found or ["b"] in found


def test_an_incident_across_a_bucket_boundary_is_not_split():
    words = "Militants torched the granary and the clinic at the cattle market"
    for first in range(inc.BUCKET_DAYS * 4):
        day = date.fromordinal(inc.BUCKET_DAYS * 90_000 + first)
        rows = [row("a", words + ".", day=day, published=datetime.combine(
                    day, datetime.min.time(), timezone.utc)),
                row("b", words + " again.", day=day + timedelta(1), published=datetime.combine(
                    day + timedelta(1), datetime.min.time(), timezone.utc))]
        assert groups(rows) == [["a", "b"]], day


def test_ids_are_stable_and_independent_of_order():
    rows = [row(f"a{i % 7}", f"Gunmen attacked convoy {i % 5} near the dam at Jos.",
                day=SAT + timedelta(i % 3)) for i in range(40)]
    first, ids = inc.find_incidents(rows)
    shuffled = rows[:]
    random.Random(7).shuffle(shuffled)
    again, ids_again = inc.find_incidents(shuffled)
    assert first == again and ids == ids_again
    assert {r["incident_id"] for r in first} == set(ids.values())
    for r in first:
        assert r["incident_id"] == inc.incident_id(r["event_type"], r["event_ids"])


def test_incident_row_takes_the_largest_figure_and_the_most_specific_place():
    rows = [row("a", "Raiders killed three at the Kuru granite quarry near Jos on Saturday.",
                day=SAT, killed=3, published=MON - timedelta(days=2)),
            row("b", "The Kuru granite quarry raid in Plateau killed four.", place=PLATEAU,
                killed=4, published=MON),
            row("c", "Nigeria: Kuru granite quarry raid toll rises.", place=NIGERIA,
                published=MON)]
    (incident,), _ = inc.find_incidents(rows)
    assert incident["killed"] == 4                        # the largest, not the sum
    assert incident["location_name"] == "Jos" and incident["location_precision"] == "city"
    assert incident["event_date"] == SAT and incident["event_date_source"] == "stated"
    assert (incident["sentence_count"], incident["article_count"]) == (3, 3)
    assert incident["first_published"] == MON - timedelta(days=2)
    assert incident["last_published"] == MON


def test_a_big_block_is_not_compared_pair_by_pair():
    """A busy capital: LSH gives the candidate pairs, far fewer than all pairs, and the
    reports of one incident still meet."""
    def word(k: int, i: int) -> str:       # made-up names, one set per incident
        return "".join("bdfgklmnprstvz"[(k // 14 ** j + i) % 14] + "aeiou"[(j + i) % 5]
                       for j in range(3)) + "xyq"[i]

    rows = []
    for k in range(120):
        for outlet in range(3):
            rows.append(row(f"k{k}-o{outlet}", f"A blast hit the {word(k, 0)} depot and the "
                            f"{word(k, 1)} warehouse on {word(k, 2)} street in Jos", day=SAT))
    members = sorted((m for r in rows for m in inc.members_of(r)), key=lambda m: m.event_id)
    n, up_to = len(members), 100                # the block: 360 members, over 100
    pairs = inc._candidate_pairs(members, inc.common_words(members), up_to)
    assert len(pairs) < n * (n - 1) // 2 // 10
    roots = inc.cluster(members, up_to)
    found = {}
    for m, r in zip(members, roots):
        found.setdefault(r, set()).add(m.article_id)
    assert sorted(sorted(g) for g in found.values()) == sorted(
        sorted(f"k{k}-o{o}" for o in range(3)) for k in range(120))


def test_rows_without_a_label_belong_to_no_incident():
    r = row("a", "The weather was fine.", labels=())
    incidents, ids = inc.find_incidents([r])
    assert incidents == [] and ids == {}


def test_a_sentence_of_two_types_is_in_an_incident_of_each():
    r = row("a", "Troops shelled the aid convoy near Jos.", labels=("violence", "aid_movement"),
            day=SAT)
    incidents, ids = inc.find_incidents([r])
    assert sorted(i["event_type"] for i in incidents) == ["aid_movement", "violence"]
    assert ids[r["event_id"]] == next(i["incident_id"] for i in incidents
                                      if i["event_type"] == "violence")


def test_find_incidents_transform_gives_the_pure_functions_result():
    from newsevents.pipeline.incidents import COUNTED, FindIncidents
    rows = [row(f"a{i % 9}", f"Gunmen attacked convoy {i % 4} near the dam at Jos.",
                day=SAT + timedelta(i % 5)) for i in range(30)]
    expected, _ = inc.find_incidents(rows)
    by_article = {}
    for r in rows:
        by_article.setdefault(r["article_id"], []).append(r)
    # one incident counts once at each day-window and place its members fall in
    day = 86_400
    keys = [k for i in expected for k in {(r["published_at"].timestamp() // day * day,
                                           i["event_type"])
                                          for r in rows if r["event_id"] in i["event_ids"]}]
    with TestPipeline() as p:
        events = p | beam.Create(list(by_article.values()))
        found = events | FindIncidents(day)
        assert_that(found["incidents"] | beam.Map(json.dumps, sort_keys=True, default=str),
                    equal_to([json.dumps(r, sort_keys=True, default=str) for r in expected]),
                    label="incidents")
        counted = found[COUNTED] | beam.MapTuple(
            lambda key, n: (key[0] / 1_000_000, key[1], n))
        assert_that(counted, equal_to([(*k, (0, 0, 1)) for k in keys]), label="counted")


# --- the pipeline, counts and evaluate-incidents -------------------------------------------

@pytest.fixture(scope="module")
def dev_out(tmp_path_factory):
    out = tmp_path_factory.mktemp("incidents") / "output"
    assert main(["run", "--input", str(DEV), "--output", str(out)]) == 0
    return out


def _table(out, name):
    return ds.dataset(out / name, format="parquet", partitioning="hive").to_table().to_pylist()


def test_the_run_writes_incidents_and_each_event_names_its_own(dev_out):
    incidents = _table(dev_out, "incidents")
    events = _table(dev_out, "events")
    members = {e: i["incident_id"] for i in incidents for e in i["event_ids"]}
    for e in events:
        assert e["incident_id"] is not None
        assert e["event_id"] in members                # in an incident of its first label
    gold = {json.loads(line)["id"]: json.loads(line)["incident"]
            for line in DEV.read_text().splitlines()}
    articles_of = {}
    for e in events:
        articles_of.setdefault(e["incident_id"], set()).add(gold[e["article_id"]])
    assert all(len(g) == 1 for g in articles_of.values())   # no incident joins two gold ones
    manifest = json.loads((dev_out / "_manifest.json").read_text())
    assert manifest["counts"]["incidents"] == len(incidents) == len(set(members.values()))
    # partitioned by the event's date
    assert sorted(p.name for p in (dev_out / "incidents").iterdir()) == sorted(
        {f"date={i['event_date']}" for i in incidents})


def test_location_counts_count_distinct_incidents(dev_out):
    counts = _table(dev_out, "location_counts")
    events = _table(dev_out, "events")
    for c in counts:
        at = {e["incident_id"] for e in events
              if c["event_type"] == e["labels"][0] and e["location_name"] == c["location_name"]
              and e["published_at"].date() == c["window_start"].date()}
        if c["event_type"] == "violence":
            assert c["incident_count"] == len(at), c
        assert 1 <= c["incident_count"] <= c["article_count"]


def test_count_by_event_date(tmp_path, dev_out):
    out = tmp_path / "by_event"
    assert main(["run", "--input", str(DEV), "--output", str(out),
                 "--count-by", "event_date"]) == 0
    by_published = {(c["window_start"].date(), c["location_name"]): c["sentence_count"]
                    for c in _table(dev_out, "location_counts") if c["event_type"] == "violence"}
    by_event = {(c["window_start"].date(), c["location_name"]): c["sentence_count"]
                for c in _table(out, "location_counts") if c["event_type"] == "violence"}
    # the market attack is counted on its day (Saturday 9 March), not its reports' days
    assert by_event[(date(2024, 3, 9), "Maiduguri")] >= 5
    assert (date(2024, 3, 12), "Maiduguri") in by_published
    assert (date(2024, 3, 12), "Maiduguri") not in by_event
    assert sum(by_event.values()) == sum(by_published.values())
    assert json.loads((out / "_manifest.json").read_text())["count_by"] == "event_date"


def test_count_by_is_checked(tmp_path, capsys):
    assert main(["run", "--input", str(DEV), "--output", str(tmp_path / "o"),
                 "--count-by", "yesterday"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "--count-by" in err[0]
    assert main(["run", "--input", str(DEV), "--output", str(tmp_path / "o"),
                 "--count-by", "event_date", "--date", "2024-03-10"]) == 2


def test_evaluate_incidents_on_the_multi_outlet_file(capsys):
    assert main(["evaluate-incidents", "--gold", str(DEV), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["gold_incidents"] == 3
    assert result["b3_precision"] == 1.0 and result["b3_recall"] == 1.0
    assert result["incident_rows_per_gold_incident"] == 1.0
    assert result["b3_f1_one_incident_per_article"] < 0.6


def test_b_cubed():
    from newsevents.commands.evaluate.incidents import b_cubed
    gold = {"a": 1, "b": 1, "c": 2}
    assert b_cubed({"a": "x", "b": "x", "c": "y"}, gold) == (1.0, 1.0, 1.0)
    p, r, _ = b_cubed({"a": "x", "b": "x", "c": "x"}, gold)
    assert (round(p, 4), r) == (round(5 / 9, 4), 1.0)
    p, r, _ = b_cubed({"a": "x", "b": "y", "c": "z"}, gold)
    assert (p, round(r, 4)) == (1.0, round(2 / 3, 4))


@pytest.mark.parametrize("lines,flags", [
    (['{"id": "a", "text": "Troops shelled Jos.", "date": "2024-03-09"}'], []),   # no incident
    (['{"id": "a1", "text": "Troops shelled Jos."}'], ["--incident-from-id"]),       # no dash
    (['not json'], []),
    (['{"id": "a-1", "incident": "x", "text": "Troops shelled Jos."}'], []),         # no date
])
def test_a_bad_gold_file_is_one_line_and_exit_2(tmp_path, capsys, lines, flags):
    gold = tmp_path / "gold.jsonl"
    gold.write_text("\n".join(lines) + "\n")
    assert main(["evaluate-incidents", "--gold", str(gold), *flags]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("newsevents: error:")


def test_a_rerun_by_date_gives_the_incidents_of_a_full_run(tmp_path, dev_out):
    """The market attack's reports arrive over four days; the output first lacks Monday's
    (they came late), then a rerun of Monday adds them: its incidents, every event's
    incident_id and the counts are the full run's (the other days' rows read back, the days
    whose ids changed written again)."""
    records = [json.loads(line) for line in DEV.read_text().splitlines()]
    late = tmp_path / "late.jsonl"
    late.write_text("".join(json.dumps(r) + "\n" for r in records
                            if not r["published_at"].startswith("2024-03-11")))
    out = tmp_path / "out"
    assert main(["run", "--input", str(late), "--output", str(out)]) == 0

    def state(o):
        incidents = sorted((i["incident_id"], i["event_date"], tuple(i["event_ids"]))
                           for i in _table(o, "incidents"))
        events = sorted((e["event_id"], e["incident_id"]) for e in _table(o, "events"))
        counts = sorted(tuple(str(v) for v in c.values()) for c in _table(o, "location_counts"))
        return incidents, events, counts
    assert state(out) != state(dev_out)
    assert main(["run", "--input", str(DEV), "--output", str(out), "--date", "2024-03-11"]) == 0
    assert state(out) == state(dev_out)
