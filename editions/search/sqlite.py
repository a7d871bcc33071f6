"""The SQLite back-end: FTS5 ``MATCH`` expressions built from the parsed query, ``bm25``,
``snippet`` and ``highlight`` over the two FTS5 tables (see ``index``)."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection as default_connection

from ..text import WORD
from . import common
from .common import Candidate, Filters
from .index import KEY_BITS, KEY_MASK, SEGMENT, SOURCES, STEM_TABLE, WORD_TABLE, Source
from .marks import MARK_END, MARK_START
from .parsing import MIN_PREFIX, Clause, french_prefix, fts5_fold, lang_of, phrase_query

# Witness languages as the index tells them apart (see ``wb_search_lang``).
LANG = {
    "en": "(lower(w.language) = 'en' OR lower(w.language) LIKE 'en-%%')",
    "fr": "(lower(w.language) = 'fr' OR lower(w.language) LIKE 'fr-%%')",
}
LANG["simple"] = f"NOT {LANG['en']} AND NOT {LANG['fr']}"


def _with_ligatures(token: str) -> str:
    """*coeur* as French prints it, *cœur*: FTS5 indexes the ligature as a letter of its own."""
    return token.replace("oe", "œ").replace("ae", "æ")


def _fts_spelling(tokens: Sequence[str], prefix: bool, ligatures: bool = False) -> str:
    spell = _with_ligatures if ligatures else str
    if prefix:
        stems = [french_prefix(t) for t in tokens]
        return " + ".join(
            f'"{spell(stem)}"*' if len(stem) >= MIN_PREFIX else f'"{spell(token)}"'
            for stem, token in zip(stems, tokens, strict=True)
        )
    return '"' + " ".join(spell(t) for t in tokens) + '"'


def _fts_phrase(words: Sequence[str], prefix: bool) -> str:
    """The phrase as FTS5 reads it, opened (*coeur*) or with the ligatures (*cœur*), since the
    index keeps whichever the text printed: two spellings at most, not one per word."""
    tokens = [t for word in words for t in WORD.findall(fts5_fold(word))]
    opened = _fts_spelling(tokens, prefix)
    ligatured = _fts_spelling(tokens, prefix, ligatures=True)
    return opened if ligatured == opened else f"({opened} OR {ligatured})"


def fts5_query(clauses: Sequence[Clause], prefix: bool = False) -> str:
    """An FTS5 MATCH expression; every word quoted, so no user text is FTS5 syntax."""
    groups: list[list[str]] = [[]]
    negations = []
    for clause in clauses:
        phrase = _fts_phrase(clause.words, prefix)
        if clause.negated:
            negations.append(phrase)
            continue
        groups[-1].append(phrase)
        if not clause.or_next:
            groups.append([])
    positives = [" OR ".join(g) if len(g) == 1 else "(" + " OR ".join(g) + ")" for g in groups if g]
    if not positives:
        return ""
    expression = " AND ".join(positives)
    for negation in negations:
        expression = f"({expression}) NOT {negation}"
    return expression


def filter_sql(filters: Filters, source: Source) -> tuple[str, list]:
    """Conditions on a hit joined to its document ``d`` (and witness ``w``), for SQLite."""
    sql, params = common.document_conditions(filters)
    if source.is_annotation:
        annotations, annotation_params = common.annotation_conditions(filters)
        sql, params = f"{sql} AND {annotations}", params + annotation_params
    elif filters.category_ids is not None:
        return sql + " AND 1 = 0", params  # a category is an annotation's
    if source.has_witness:
        witnesses, witness_params = common.witness_conditions(filters)
        sql, params = f"{sql} AND {witnesses}", params + witness_params
    elif filters.witness_only and source.is_annotation:
        targets, target_params = common.targets_on_witnesses(filters)
        sql, params = f"{sql} AND a.id IN ({targets})", params + target_params
    elif filters.witness_only:
        return sql + " AND 1 = 0", params  # language, role and translator are a witness's
    return sql, params


def plans(source: Source, clauses: Sequence[Clause]) -> list[tuple[str, str, str]]:
    """(FTS table, MATCH expression, language condition) for each language of a source."""
    if not source.has_witness:
        return [(STEM_TABLE, fts5_query(clauses), "1 = 1")]
    return [
        (STEM_TABLE, fts5_query(clauses), LANG["en"]),
        (WORD_TABLE, fts5_query(clauses, prefix=True), LANG["fr"]),
        (WORD_TABLE, fts5_query(clauses), LANG["simple"]),
    ]


def ranked(clauses: Sequence[Clause], filters: Filters) -> tuple[str, list]:
    branches, params = [], []
    for source in SOURCES:
        where, where_params = filter_sql(filters, source)
        for table, match, lang in plans(source, clauses):
            if not match:
                continue
            locate = source.locate.format(key=f"({table}.rowid >> {KEY_BITS})")
            branches.append(
                f"SELECT {source.code} AS source, {table}.rowid >> {KEY_BITS} AS object_id, "
                f"-bm25({table}) AS score FROM {table} {locate} WHERE {table} MATCH %s "
                f"AND ({table}.rowid & {KEY_MASK}) = {source.code} AND {lang} AND {where}"
            )
            params += [match, *where_params]
    return " UNION ALL ".join(branches), params


def snippets(clauses: Sequence[Clause], keys) -> dict[tuple[int, int], str]:
    found: dict[tuple[int, int], str] = {}
    rowids = [(object_id << KEY_BITS) | source for source, object_id in keys]
    marks = ", ".join(["%s"] * len(rowids))
    # French text matched in the word table, the rest in the stem table: ask both, keep the
    # snippet that has a highlight.
    plans = [(STEM_TABLE, fts5_query(clauses)), (WORD_TABLE, fts5_query(clauses, prefix=True))]
    for table, match in plans:
        if not match:
            continue
        with default_connection.cursor() as cursor:
            cursor.execute(
                f"SELECT rowid, snippet({table}, 0, %s, %s, ' … ', 32) FROM {table} "
                f"WHERE {table} MATCH %s AND rowid IN ({marks})",
                [MARK_START, MARK_END, match, *rowids],
            )
            for rowid, snippet in cursor.fetchall():
                key = (rowid & KEY_MASK, rowid >> KEY_BITS)
                if MARK_START in snippet or key not in found:
                    found[key] = snippet
    return found


_CANDIDATE_COLUMNS = "s.id, s.witness_id, w.document_id, s.sid, s.text"
_CANDIDATE_ORDER = "d.date IS NULL, d.date, d.id, w.id, s.position"


def stemmed(text: str, filters: Filters, limit: int) -> tuple[list[Candidate], int]:
    source = SOURCES[0]
    where, params = filter_sql(filters, source)
    lang = lang_of(filters.language)
    table = STEM_TABLE if lang == "en" else WORD_TABLE
    match = fts5_query(phrase_query(text), prefix=lang == "fr")
    locate = source.locate.format(key=f"({table}.rowid >> {KEY_BITS})")
    matching = (
        f"FROM {table} {locate} WHERE {table} MATCH %s "
        f"AND ({table}.rowid & {KEY_MASK}) = {SEGMENT} AND {where}"
    )
    with default_connection.cursor() as cursor:
        # highlight() may not share a query with a window function: count apart.
        cursor.execute(f"SELECT count(*) {matching}", [match, *params])
        total = cursor.fetchone()[0]
        cursor.execute(
            f"SELECT {_CANDIDATE_COLUMNS}, highlight({table}, 0, %s, %s) "
            f"{matching} ORDER BY {_CANDIDATE_ORDER} LIMIT %s",
            [MARK_START, MARK_END, match, *params, limit],
        )
        return [Candidate(*row) for row in cursor.fetchall()], total


def scan(filters: Filters, literals: list[str], phrase: str, after: tuple):
    where, params = filter_sql(filters, SOURCES[0])
    for literal in literals:
        where += " AND s.text LIKE %s ESCAPE '!'"
        params.append(literal)
    if phrase:
        lang = lang_of(filters.language)
        table = STEM_TABLE if lang == "en" else WORD_TABLE
        where += (
            f" AND s.id IN (SELECT rowid >> {KEY_BITS} FROM {table} WHERE {table} MATCH %s "
            f"AND (rowid & {KEY_MASK}) = {SEGMENT})"
        )
        params.append(fts5_query(phrase_query(phrase), prefix=lang == "fr"))
    order = "coalesce(d.date, '9999-12-31'), d.id, w.id, s.position"
    if after:
        where += f" AND ({order}) > (%s, %s, %s, %s)"
        params.extend(after)
    return (
        f"SELECT {_CANDIDATE_COLUMNS}, '', {order} FROM editions_segment s "
        "JOIN editions_witness w ON w.id = s.witness_id "
        "JOIN editions_document d ON d.id = w.document_id "
        f"WHERE {where} ORDER BY {order} LIMIT %s",
        params,
    )
