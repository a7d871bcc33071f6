"""Alignment rows and segments, looked up by (witness id, stable segment id): the
concordance's other side."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import connection as default_connection

from .index import vendor


@dataclass(frozen=True)
class RowHit:
    """An alignment row holding ``sid`` of ``witness_id`` on one side."""

    witness_id: int
    sid: str
    other_id: int  # the witness on the row's other side
    this_side: list[str]
    other_side: list[str]


def _pairs_table(pairs: Sequence[tuple[int, str]]) -> tuple[str, list]:
    """A (witness_id, sid) table from two array parameters, however many pairs there are.

    Thousands of VALUES placeholders cost more to send than the query costs to run.
    """
    if vendor() == "postgresql":
        return (
            "SELECT * FROM unnest(%s::bigint[], %s::text[]) AS p(witness_id, sid)",
            [[w for w, _s in pairs], [sid for _w, sid in pairs]],
        )
    return (
        "SELECT json_extract(value, '$[0]') AS witness_id, json_extract(value, '$[1]') AS sid "
        "FROM json_each(%s)",
        [json.dumps(pairs)],
    )


def rows_containing(pairs: Iterable[tuple[int, str]]) -> list[RowHit]:
    """Every alignment row with one of the (witness id, segment sid) pairs on either side."""
    pairs = sorted(set(pairs))
    if not pairs:
        return []
    table, params = _pairs_table(pairs)
    if vendor() == "postgresql":
        has = "r.{side} @> to_jsonb(h.sid)"
    else:
        has = "EXISTS (SELECT 1 FROM json_each(r.{side}) j WHERE j.value = h.sid)"
    selects = []
    for this, other in (("source", "target"), ("target", "source")):
        selects.append(
            f"SELECT h.witness_id, h.sid, a.{other}_id, r.{this}_sids, r.{other}_sids "
            f"FROM h JOIN editions_alignment a ON a.{this}_id = h.witness_id "
            f"JOIN editions_alignmentrow r ON r.alignment_id = a.id "
            f"AND {has.format(side=this + '_sids')}"
        )
    sql = f"WITH h AS ({table}) " + " UNION ALL ".join(selects)
    with default_connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()

    def sids(value) -> list[str]:
        return json.loads(value) if isinstance(value, str) else list(value)

    return [RowHit(w, sid, other, sids(a), sids(b)) for w, sid, other, a, b in rows]


def segment_texts(pairs: Iterable[tuple[int, str]]) -> dict[tuple[int, str], tuple[int, str]]:
    """The (position, text) of each (witness id, sid) segment that exists."""
    pairs = sorted(set(pairs))
    if not pairs:
        return {}
    table, params = _pairs_table(pairs)
    sql = (
        f"WITH h AS ({table}) SELECT s.witness_id, s.sid, s.position, s.text "
        "FROM h JOIN editions_segment s ON s.witness_id = h.witness_id AND s.sid = h.sid"
    )
    with default_connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {(w, sid): (position, text) for w, sid, position, text in cursor.fetchall()}
