"""The PostgreSQL back-end: ``tsquery`` built from the parsed query, ``ts_rank_cd`` and
``ts_headline`` over the entries table (see ``index``)."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection as default_connection

from . import common
from .common import Candidate, Filters
from .index import ANNOTATION, ANNOTATION_QUOTE, ENTRY_TABLE, SEGMENT
from .marks import MARK_END, MARK_START
from .parsing import Clause, lang_of

CONFIG = {"fr": "wb_french", "en": "wb_english", "simple": "wb_simple", "multi": "wb_english"}

_HEADLINE = f"StartSel={MARK_START}, StopSel={MARK_END}, MaxWords=40, MinWords=20, ShortWord=0"
_HIGHLIGHT_ALL = f"HighlightAll=true, StartSel={MARK_START}, StopSel={MARK_END}"


def tsquery(lang: str) -> str:
    """The phrase tsquery of a ``%s`` parameter (the concordance's)."""
    return f"phraseto_tsquery('{CONFIG[lang]}', %s)"


def clauses_sql(clauses: Sequence[Clause], config: str) -> tuple[str, list]:
    """The clauses as one tsquery expression, the way ``fts5_query`` reads them: each clause
    a phrase in PostgreSQL's own parser, OR-groups AND-ed, negations last. Every piece of user
    text is a parameter, never tsquery syntax."""
    phrase = f"phraseto_tsquery('{config}', %s)"
    groups: list[list[str]] = [[]]
    negations = []
    for clause in clauses:
        if clause.negated:
            negations.append(clause.phrase)
            continue
        groups[-1].append(clause.phrase)
        if not clause.or_next:
            groups.append([])
    groups = [group for group in groups if group]
    parts = ["(" + " || ".join([phrase] * len(group)) + ")" for group in groups]
    parts += [f"!!{phrase}"] * len(negations)
    params = [text for group in groups for text in group] + negations
    return " && ".join(parts) or "''::tsquery", params


def tsqueries(clauses: Sequence[Clause]) -> dict[str, str]:
    """The query as a tsquery (in its text form) in each configuration, and in all at once
    ("multi", for metadata and notes): computed once, then passed to the search as values."""
    columns, params = [], []
    for lang in ("fr", "en", "simple"):
        sql, lang_params = clauses_sql(clauses, CONFIG[lang])
        columns.append(f"{sql} AS {lang}")
        params += lang_params
    with default_connection.cursor() as cursor:
        cursor.execute(
            "SELECT fr::text, en::text, simple::text, (simple || en || fr)::text "
            f"FROM (SELECT {', '.join(columns)}) q",
            params,
        )
        fr, en, simple, multi = cursor.fetchone()
    return {"fr": fr, "en": en, "simple": simple, "multi": multi}


def per_lang(queries: dict[str, str]) -> tuple[str, list]:
    """Each entry's own language's query (metadata and notes: every language's)."""
    sql = (
        "CASE x.lang WHEN 'fr' THEN %s::tsquery WHEN 'en' THEN %s::tsquery "
        "WHEN 'simple' THEN %s::tsquery ELSE %s::tsquery END"
    )
    return sql, [queries["fr"], queries["en"], queries["simple"], queries["multi"]]


def filter_sql(filters: Filters, segments_only: bool = False) -> tuple[str, list]:
    """Conditions on an entry ``x``'s document and witness, as subqueries.

    The entries carry their document's and witness's ids: the index does the searching, and
    these small tables only say which ids may appear. Whether an annotation may be seen is
    read from the annotation itself, never from the index, so a note made private is hidden
    at once (see ``annotation_sql``). ``segments_only``: the caller reads segment
    entries only (the concordance), which need none of the annotations' conditions.
    """
    documents, params = common.document_conditions(filters)
    sql = f"x.document_id IN (SELECT d.id FROM editions_document d WHERE {documents})"
    witnesses, witness_params = common.witness_conditions(filters)
    if segments_only:
        if filters.witness_only:
            sql += f" AND x.witness_id IN (SELECT w.id FROM editions_witness w WHERE {witnesses})"
            params += witness_params
        return sql, params
    if filters.witness_only:
        targets, target_params = common.targets_on_witnesses(filters)
        sql += (
            f" AND (x.witness_id IN (SELECT w.id FROM editions_witness w WHERE {witnesses}) "
            f"OR x.source = {ANNOTATION} AND x.object_id IN ({targets}))"
        )
        params += witness_params + target_params
    annotations, annotation_params = annotation_sql(filters)
    return f"{sql} AND {annotations}", params + annotation_params


def annotation_sql(filters: Filters) -> tuple[str, list]:
    """An annotation entry's annotation must pass ``annotation_conditions``; with a category
    chosen, only annotation entries are kept. One index lookup per annotation hit."""
    conditions, params = common.annotation_conditions(filters)
    others = "FALSE" if filters.category_ids is not None else "TRUE"
    sql = (
        f"CASE x.source WHEN {ANNOTATION} THEN EXISTS (SELECT 1 FROM editions_annotation a "
        f"WHERE a.id = x.object_id AND {conditions}) "
        f"WHEN {ANNOTATION_QUOTE} THEN EXISTS (SELECT 1 FROM editions_annotationtarget t "
        f"JOIN editions_annotation a ON a.id = t.annotation_id "
        f"WHERE t.id = x.object_id AND {conditions}) ELSE {others} END"
    )
    return sql, params + params


def ranked(queries: dict[str, str], filters: Filters) -> tuple[str, list]:
    """Every entry matching the query in its own language, ranked: one pass of the GIN index.

    The index is searched once with the query in every language OR-ed together, then each
    entry is checked against its own language's query (metadata: every language's).
    ``queries`` are ``tsqueries``'s.
    """
    each_lang, each_lang_params = per_lang(queries)
    where, params = filter_sql(filters)
    sql = (
        f"SELECT x.source, x.object_id, ts_rank_cd(x.vector, {each_lang}) AS score "
        f"FROM {ENTRY_TABLE} x WHERE x.vector @@ %s::tsquery AND x.vector @@ {each_lang} "
        f"AND {where}"
    )
    return sql, [*each_lang_params, queries["multi"], *each_lang_params, *params]


def snippets(queries: dict[str, str], keys) -> dict[tuple[int, int], str]:
    query, query_params = per_lang(queries)
    config = "CASE x.lang " + " ".join(f"WHEN '{k}' THEN '{v}'" for k, v in CONFIG.items())
    values = ", ".join(["(%s::smallint, %s::bigint)"] * len(keys))
    sql = (
        f"SELECT x.source, x.object_id, ts_headline(({config} END)::regconfig, x.body, {query}, "
        f"%s) FROM {ENTRY_TABLE} x JOIN (VALUES {values}) AS k(source, object_id) "
        "ON k.source = x.source AND k.object_id = x.object_id"
    )
    params = [*query_params, _HEADLINE] + [v for key in keys for v in key]
    with default_connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {(source, object_id): snippet for source, object_id, snippet in cursor.fetchall()}


def stemmed(text: str, filters: Filters, limit: int) -> tuple[list[Candidate], int]:
    lang = lang_of(filters.language)
    query = tsquery(lang)
    where, params = filter_sql(filters, segments_only=True)
    # First the kept segments' ids alone, in order: sorting thousands of matches with their
    # text would cost more than the search.
    order = "d.date IS NULL, d.date, d.id, x.witness_id, s.position"
    ids_sql = (
        "SELECT x.object_id, x.witness_id, x.document_id, s.sid, count(*) OVER () "
        f"FROM {ENTRY_TABLE} x JOIN editions_document d ON d.id = x.document_id "
        "JOIN editions_segment s ON s.id = x.object_id "
        f"WHERE x.source = {SEGMENT} AND x.lang = %s AND x.vector @@ {query} AND {where} "
        f"ORDER BY {order} LIMIT %s"
    )
    # Then their text with the hits marked (ts_headline), for those only.
    marked_sql = (
        f"SELECT x.object_id, x.body, ts_headline('{CONFIG[lang]}', x.body, {query}, %s) "
        f"FROM {ENTRY_TABLE} x WHERE x.source = {SEGMENT} AND x.object_id = ANY(%s)"
    )
    with default_connection.cursor() as cursor:
        cursor.execute(ids_sql, [lang, text, *params, limit])
        kept = cursor.fetchall()
        cursor.execute(marked_sql, [text, _HIGHLIGHT_ALL, [row[0] for row in kept]])
        texts = {object_id: (body, marked) for object_id, body, marked in cursor.fetchall()}
    total = kept[0][-1] if kept else 0
    return [Candidate(i, w, d, sid, *texts[i]) for i, w, d, sid, _total in kept], total


def scan(filters: Filters, literals: list[str], phrase: str, after: tuple):
    where, params = filter_sql(filters, segments_only=True)
    # ILIKE on the entries' text uses their trigram index.
    for literal in literals:
        where += " AND x.body ILIKE %s ESCAPE '!'"
        params.append(literal)
    if phrase:
        where += f" AND x.vector @@ {tsquery(lang_of(filters.language))}"
        params.append(phrase)
    order = "coalesce(d.date, '9999-12-31'), d.id, x.witness_id, s.position"
    if after:
        where += f" AND ({order}) > (%s, %s, %s, %s)"
        params.extend(after)
    return (
        f"SELECT s.id, x.witness_id, x.document_id, s.sid, x.body, '', {order} "
        f"FROM {ENTRY_TABLE} x JOIN editions_document d ON d.id = x.document_id "
        f"JOIN editions_segment s ON s.id = x.object_id WHERE x.source = {SEGMENT} "
        f"AND {where} ORDER BY {order} LIMIT %s",
        params,
    )
