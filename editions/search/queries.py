"""Search and the concordance's candidates: each query builds its SQL for the database in use
(``postgresql`` or ``sqlite``) and returns the same results on both."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from django.db import connection as default_connection

from ..text import WORD
from . import postgresql, sqlite
from .common import Candidate, Filters, Match
from .index import vendor
from .parsing import Clause, expand, has_terms, lang_of, parse_query, phrase_query


def search(
    text: str, filters: Filters, *, offset: int = 0, limit: int = 20
) -> tuple[list[Match], int]:
    """The best-ranked entries matching ``text``, with highlighted snippets, and their count."""
    if not has_terms(text):
        return [], 0
    clauses = expand(parse_query(text), filters.equivalents)
    # The query as each database takes it, made once for the matches and the snippets.
    query: dict[str, str] | Sequence[Clause]
    if vendor() == "postgresql":
        query = postgresql.tsqueries(clauses)
        union, params = postgresql.ranked(query, filters)
    else:
        query = clauses
        union, params = sqlite.ranked(clauses, filters)
    if not union:
        return [], 0
    with default_connection.cursor() as cursor:
        # The count rides along with the page: one pass over the matches, not two.
        cursor.execute(
            f"SELECT source, object_id, score, count(*) OVER () FROM ({union}) hits "
            "ORDER BY score DESC, source, object_id LIMIT %s OFFSET %s",
            [*params, limit, offset],
        )
        rows = cursor.fetchall()
        if rows:
            total = rows[0][3]
        else:
            cursor.execute(f"SELECT count(*) FROM ({union}) hits", params)
            total = cursor.fetchone()[0]
    keys = [(source, object_id) for source, object_id, _score, _total in rows]
    snippets = _snippets(query, keys) if keys else {}
    return [Match(s, o, float(score), snippets.get((s, o), "")) for s, o, score, _t in rows], total


def _snippets(query, keys) -> dict[tuple[int, int], str]:
    """Only for the page shown: making a snippet costs far more than finding a match."""
    if vendor() == "postgresql":
        return postgresql.snippets(query, keys)
    return sqlite.snippets(query, keys)


def stemmed_candidates(text: str, filters: Filters, *, limit: int) -> tuple[list[Candidate], int]:
    """Segments holding the phrase (stemmed, accent-insensitive), in document date order.

    ``filters.language`` must be set: a concordance reads one language. The hits come back
    marked by the index itself, so they are exactly the words it matched.
    """
    if not phrase_query(text):
        return [], 0
    if vendor() == "postgresql":
        return postgresql.stemmed(text, filters, limit)
    return sqlite.stemmed(text, filters, limit)


def lexeme_flags(text: str, language: str) -> list[bool]:
    """For each word of a phrase: whether the index keeps it (False: a stop word it drops)."""
    words = WORD.findall(text)
    if vendor() != "postgresql" or not words:
        return [True] * len(words)
    config = postgresql.CONFIG[lang_of(language)]
    with default_connection.cursor() as cursor:
        cursor.execute(
            f"SELECT length(to_tsvector('{config}', w)) > 0 "
            "FROM unnest(%s::text[]) WITH ORDINALITY AS t(w, n) ORDER BY n",
            [words],
        )
        return [kept for (kept,) in cursor.fetchall()]


def scan_candidates(
    filters: Filters,
    *,
    literals: Iterable[str] = (),
    phrase: str = "",
    after: tuple = (),
    limit: int = 500,
) -> list[Candidate]:
    """Segments of ``filters.language`` in document date order, for a pattern read in Python.

    Only segments that contain each of ``literals`` (case-insensitively) and that the index
    matches for ``phrase`` (stemmed) are read: the pattern cannot match the others. ``after``
    is the ``order`` of the last candidate of the previous call, to read on from there.
    """
    literals = ["%" + re.sub(r"([!%_])", r"!\1", literal) + "%" for literal in literals]
    scan = postgresql.scan if vendor() == "postgresql" else sqlite.scan
    sql, params = scan(filters, literals, phrase, after)
    with default_connection.cursor() as cursor:
        cursor.execute(sql, [*params, limit])
        return [
            Candidate(segment_id, witness_id, document_id, sid, text, marked, tuple(order))
            for segment_id, witness_id, document_id, sid, text, marked, *order in cursor.fetchall()
        ]
