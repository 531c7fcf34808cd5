"""FindIncidents: event rows -> incidents (one row per real-world event) and each event row's
incident_id; thin DoFns over the pure functions of newsevents.incidents.

    lists of rows (one per article)
      -> ToMembers: (block key, (member, home)) for the member's home block and its guest block
      -> GroupByBlock -> ClusterBlocks: (label, member) for each block's home members
      -> GroupByIncident -> BuildIncidents: incident rows; (article_id, (event_id, incident_id))
    AttachIncidentIds: the articles' row lists, joined with their ids by article

State is per block (a type, a country, eight days of event dates) and per incident, never per
run: memory stays flat as the input grows.
"""
from __future__ import annotations

import apache_beam as beam
from apache_beam import pvalue
from apache_beam.metrics import Metrics

from newsevents.incidents import (block_keys, cluster_block, incident_row, members_of,
                                  row_incident)

ASSIGNMENTS = "assignments"
MEMBERS = "members"


def _members(rows: list[dict]):
    for row in rows:
        for m in members_of(row):
            for key, home in block_keys(m):
                yield key, (m, home)


class ClusterBlockFn(beam.DoFn):
    def __init__(self):
        self.blocks = Metrics.counter(self.__class__, "blocks")
        self.largest = Metrics.distribution(self.__class__, "block_size")

    def process(self, element):
        key, entries = element
        entries = list(entries)
        self.blocks.inc()
        self.largest.update(len(entries))
        yield from cluster_block(key, entries)


class BuildIncidentFn(beam.DoFn):
    def __init__(self):
        self.incidents = Metrics.counter(self.__class__, "incidents")

    def process(self, element):
        _, members = element
        row = incident_row(list(members))
        self.incidents.inc()
        incident = row["incident_id"]
        by_article: dict[str, list[tuple[str, str, str]]] = {}
        for m in members:
            by_article.setdefault(m.article_id, []).append((m.event_type, m.event_id, incident))
            yield pvalue.TaggedOutput(MEMBERS, (incident, m))
        for article_id, triples in by_article.items():
            yield pvalue.TaggedOutput(ASSIGNMENTS, (article_id, triples))
        yield row


class FindIncidents(beam.PTransform):
    """Lists of event rows, one per article -> {'incidents': incident rows, ASSIGNMENTS:
    (article_id, [(event_type, event_id, incident_id), ...]), MEMBERS: (incident_id,
    Member)}."""

    def expand(self, events):
        out = (events
               | "ToMembers" >> beam.FlatMap(_members)
               | "GroupByBlock" >> beam.GroupByKey()
               | "ClusterBlocks" >> beam.ParDo(ClusterBlockFn())
               | "GroupByIncident" >> beam.GroupByKey()
               | "BuildIncidents" >> beam.ParDo(BuildIncidentFn()).with_outputs(
                   ASSIGNMENTS, MEMBERS, main="incidents"))
        return {"incidents": out.incidents, ASSIGNMENTS: out[ASSIGNMENTS],
                MEMBERS: out[MEMBERS]}


def with_incident_ids(element) -> list[dict]:
    """(article_id, {'rows': [its row list], 'ids': [[(type, event_id, incident_id)], ...]})
    -> its rows, each with its incident_id (its first label's; None without a label)."""
    _, joined = element
    ids = {(t, e): i for triples in joined["ids"] for t, e, i in triples}
    # new dicts: a DoFn must not change its input
    return [{**row, "incident_id": row_incident(row, ids)}
            for rows in joined["rows"] for row in rows]


class AttachIncidentIds(beam.PTransform):
    """Lists of event rows and FindIncidents' assignments -> the lists, each row with its
    incident_id."""

    def __init__(self, assignments):
        super().__init__()
        self.assignments = assignments

    def expand(self, events):
        keyed = events | "KeyByArticle" >> beam.Map(lambda rows: (rows[0]["article_id"], rows))
        return ({"rows": keyed, "ids": self.assignments}
                | "JoinByArticle" >> beam.CoGroupByKey()
                | "SetIncidentIds" >> beam.Map(with_incident_ids)
                | "NonEmpty" >> beam.Filter(bool))
