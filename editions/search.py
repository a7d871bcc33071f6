"""The full-text index and every database-specific query of search and concordance.

One index holds entries from several *sources*: segments (a witness's text), documents (their
metadata), annotations (their notes, Markdown as written) and annotation targets (the passages
they quote). An entry is keyed by its source and the id of the row it indexes; database
triggers keep it current on every INSERT, UPDATE and DELETE of those rows, whichever code
makes them (``Segment.save()``, ``QuerySet.update()``, bulk creation, re-anchoring, raw SQL).

PostgreSQL: the table ``editions_search_entry`` with a ``tsvector`` built with the text search
configuration of the witness's language (``wb_french``, ``wb_english``, ``wb_simple``: the
built-in ones behind the ``unaccent`` dictionary), a GIN index, a tsquery built from the
parsed query (``phraseto_tsquery`` for each word or phrase, so that both databases read
``OR`` and ``-`` alike), ``ts_rank_cd`` and ``ts_headline``. Document metadata and annotation
notes are indexed in every configuration at once, since a title, a summary or a note may be in
either language; a quote takes its witness's. Each entry carries its document's and witness's
ids, so that a query starts from the index whatever it filters on; a trigram index on the text
serves the concordance's regular expressions.

SQLite: two FTS5 tables, ``editions_search_stem`` (``porter unicode61 remove_diacritics 2``)
and ``editions_search_word`` (``unicode61 remove_diacritics 2``), with ``bm25``, ``snippet``
and ``highlight``. Every entry goes into both (a trigger must not read another Django table,
see ``_sqlite_triggers``), and a query uses the one that suits the language: Porter stemming
for English, metadata and notes; for French, which FTS5 cannot stem, a light stemmer turns
each query word into a prefix query (*négociations* -> ``negociation*``); other languages
match words. The language, document and witness of a hit are joined at query time.

Who may see an annotation is never stored in the index: every query joins a hit to its
annotation and keeps it only if it is the edition's or the user's own private one
(``Filters.user_id``), on both databases, so a note made private disappears at once.

Adding a source means one more ``Source`` below: its table, the text it indexes, its
language, and how a hit finds its document and witness (and, for annotations, the annotation
``a``). ``install`` creates its triggers and indexes its existing rows as soon as its table
exists: an existing database gets a new source at its next ``migrate``, no migration needed.
The FTS5 rowid keeps the source in its low ``KEY_BITS`` bits: codes up to 7.

Highlighted text comes back with ``MARK_START``/``MARK_END`` around hits, never as HTML: the
caller escapes the text, then turns the marks into ``<mark>`` (see ``marked_html``).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from django.db import connection as default_connection
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Private-use characters: they do not occur in the texts, and survive HTML escaping.
MARK_START, MARK_END = "\ue000", "\ue001"
SEGMENT, DOCUMENT, ANNOTATION, ANNOTATION_QUOTE = 1, 2, 3, 4
# SQLite FTS5 rowid: the indexed row's id shifted left, the source code in the low bits.
KEY_BITS = 3
_MASK = (1 << KEY_BITS) - 1
ENTRY_TABLE = "editions_search_entry"
STEM_TABLE, WORD_TABLE = "editions_search_stem", "editions_search_word"

MONTHS = [
    "January janvier",
    "February février",
    "March mars",
    "April avril",
    "May mai",
    "June juin",
    "July juillet",
    "August août",
    "September septembre",
    "October octobre",
    "November novembre",
    "December décembre",
]
# Document metadata that search reads, in this order (then the date, in words).
DOCUMENT_FIELDS = [
    "title",
    "author",
    "recipient",
    "place",
    "reference_numbers",
    "classification",
    "received_note",
    "summary",
    "source_series",
    "source_volume",
    "source_pages",
    "source_publication",
]


def vendor(connection=None) -> str:
    return (connection or default_connection).vendor


# --- Sources: what is indexed, and how each database builds its entries --------------------


@dataclass(frozen=True)
class Source:
    """One kind of indexed row.

    PostgreSQL: ``pg_rows`` selects ``(object_id, document_id, witness_id, lang, body)`` from
    ``{rows}`` (the table itself, or a trigger's transition table). SQLite: ``sqlite_body`` is
    the indexed text as an expression over ``{row}`` (``new``, ``old`` or the table), of that
    row's columns only, and ``locate`` joins a hit (its row id is ``{key}``) to its document
    ``d`` and, for witness text, its witness ``w`` and segment ``s``; an annotation source
    also joins the annotation ``a``, which the privacy and category filters read.
    """

    code: int
    name: str
    table: str
    watched: Sequence[str]  # the columns whose change re-indexes a row
    pg_rows: str
    sqlite_body: str
    locate: str
    has_witness: bool
    is_annotation: bool = False


def _pg_document_body(row: str) -> str:
    fields = ", ".join(f"{row}.{name}" for name in DOCUMENT_FIELDS)
    months = ", ".join(f"'{m}'" for m in MONTHS)
    words = (
        f"to_char({row}.date, 'YYYY-MM-DD') || ' ' || extract(day FROM {row}.date)::int || ' ' "
        f"|| (ARRAY[{months}])[extract(month FROM {row}.date)::int] || ' ' "
        f"|| extract(year FROM {row}.date)::int"
    )
    return f"concat_ws(E'\\n', {fields}, {words})"


def _sqlite_document_body(row: str) -> str:
    fields = " || char(10) || ".join(f"{row}.{name}" for name in DOCUMENT_FIELDS)
    months = " ".join(f"WHEN {n} THEN '{m}'" for n, m in enumerate(MONTHS, start=1))
    words = (
        f"strftime('%Y-%m-%d', {row}.date) || ' ' || CAST(strftime('%d', {row}.date) AS INTEGER)"
        f" || ' ' || CASE CAST(strftime('%m', {row}.date) AS INTEGER) {months} END"
        f" || ' ' || strftime('%Y', {row}.date)"
    )
    return f"{fields} || char(10) || coalesce({words}, '')"


SOURCES = [
    Source(
        code=SEGMENT,
        name="segment",
        table="editions_segment",
        watched=["text", "witness_id"],
        pg_rows=(
            "SELECT n.id, w.document_id, w.id, wb_search_lang(w.language), n.text FROM {rows} n "
            "JOIN editions_witness w ON w.id = n.witness_id"
        ),
        sqlite_body="{row}.text",
        locate=(
            "JOIN editions_segment s ON s.id = {key} "
            "JOIN editions_witness w ON w.id = s.witness_id "
            "JOIN editions_document d ON d.id = w.document_id"
        ),
        has_witness=True,
    ),
    Source(
        code=DOCUMENT,
        name="document",
        table="editions_document",
        watched=DOCUMENT_FIELDS + ["date"],
        pg_rows="SELECT n.id, n.id, NULL::bigint, 'multi', "
        + _pg_document_body("n")
        + " FROM {rows} n",
        sqlite_body=_sqlite_document_body("{row}"),
        locate="JOIN editions_document d ON d.id = {key}",
        has_witness=False,
    ),
    # A note may be written in either language, whatever the text it is about: indexed in
    # every configuration, like metadata. It belongs to no one witness (it may have targets
    # in several); the witness filters reach it through its targets (see ``_filter_sql``).
    Source(
        code=ANNOTATION,
        name="annotation",
        table="editions_annotation",
        # An annotation never moves to another document; if one did, its quotes' entries
        # would keep the old document until re-indexed.
        watched=["body", "document_id"],
        pg_rows="SELECT n.id, n.document_id, NULL::bigint, 'multi', n.body FROM {rows} n",
        sqlite_body="{row}.body",
        locate=(
            "JOIN editions_annotation a ON a.id = {key} "
            "JOIN editions_document d ON d.id = a.document_id"
        ),
        has_witness=False,
        is_annotation=True,
    ),
    # The passage an annotation quotes is witness text: its witness's language.
    # Re-anchoring and re-attaching rewrite ``quote`` and ``witness_id``: the triggers follow.
    Source(
        code=ANNOTATION_QUOTE,
        name="annotation_quote",
        table="editions_annotationtarget",
        watched=["quote", "witness_id", "annotation_id"],
        pg_rows=(
            "SELECT n.id, a.document_id, n.witness_id, wb_search_lang(w.language), n.quote "
            "FROM {rows} n JOIN editions_annotation a ON a.id = n.annotation_id "
            "JOIN editions_witness w ON w.id = n.witness_id"
        ),
        sqlite_body="{row}.quote",
        locate=(
            "JOIN editions_annotationtarget t ON t.id = {key} "
            "JOIN editions_annotation a ON a.id = t.annotation_id "
            "JOIN editions_witness w ON w.id = t.witness_id "
            "JOIN editions_document d ON d.id = a.document_id"
        ),
        has_witness=True,
        is_annotation=True,
    ),
]


# --- Installing the triggers ---------------------------------------------------------------

PG_FUNCTIONS = """
CREATE OR REPLACE FUNCTION wb_search_lang(language text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE split_part(lower(language), '-', 1)
    WHEN 'fr' THEN 'fr' WHEN 'en' THEN 'en' ELSE 'simple' END
$$;
CREATE OR REPLACE FUNCTION wb_search_vector(lang text, body text) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE lang
    WHEN 'fr' THEN to_tsvector('wb_french', body)
    WHEN 'en' THEN to_tsvector('wb_english', body)
    WHEN 'multi' THEN to_tsvector('wb_simple', body) || to_tsvector('wb_english', body)
                      || to_tsvector('wb_french', body)
    ELSE to_tsvector('wb_simple', body)
  END
$$;
"""


def _pg_upsert(source: Source, rows: str, where: str = "") -> str:
    select = source.pg_rows.format(rows=rows)
    return (
        f"INSERT INTO {ENTRY_TABLE} (source, object_id, document_id, witness_id, lang, body, "
        f"vector) SELECT {source.code}, e.id, e.document_id, e.witness_id, e.lang, e.body, "
        f"wb_search_vector(e.lang, e.body) "
        f"FROM ({select} {where}) AS e(id, document_id, witness_id, lang, body) "
        "ON CONFLICT (source, object_id) DO UPDATE SET document_id = EXCLUDED.document_id, "
        "witness_id = EXCLUDED.witness_id, lang = EXCLUDED.lang, body = EXCLUDED.body, "
        "vector = EXCLUDED.vector"
    )


def _pg_triggers(source: Source) -> list[tuple[str, str]]:
    """(trigger name, SQL creating its function and the trigger), statement-level.

    Statement-level triggers with transition tables index a bulk insert of 100,000 segments
    in one INSERT ... SELECT instead of 100,000 little ones.
    """
    name, table, code = f"wb_search_{source.name}", source.table, source.code
    changed = " OR ".join(f"n.{c} IS DISTINCT FROM o.{c}" for c in source.watched)
    bodies = {
        "insert": (_pg_upsert(source, "new_rows"), "NEW TABLE AS new_rows"),
        "update": (
            _pg_upsert(source, "new_rows", f"JOIN old_rows o ON o.id = n.id WHERE {changed}"),
            "OLD TABLE AS old_rows NEW TABLE AS new_rows",
        ),
        "delete": (
            f"DELETE FROM {ENTRY_TABLE} e USING old_rows o "
            f"WHERE e.source = {code} AND e.object_id = o.id",
            "OLD TABLE AS old_rows",
        ),
    }
    triggers = []
    for event, (statement, referencing) in bodies.items():
        trigger = f"{name}_{event}"
        triggers.append(
            (
                trigger,
                f"CREATE OR REPLACE FUNCTION {trigger}() RETURNS trigger LANGUAGE plpgsql AS $$ "
                f"BEGIN {statement}; RETURN NULL; END $$; "
                f"DROP TRIGGER IF EXISTS {trigger} ON {table}; "
                f"CREATE TRIGGER {trigger} AFTER {event.upper()} ON {table} "
                f"REFERENCING {referencing} FOR EACH STATEMENT EXECUTE FUNCTION {trigger}();",
            )
        )
    # Django's flush (between transactional tests) truncates tables: no row trigger fires.
    trigger = f"{name}_truncate"
    triggers.append(
        (
            trigger,
            f"CREATE OR REPLACE FUNCTION {trigger}() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN DELETE FROM {ENTRY_TABLE} WHERE source = {code}; RETURN NULL; END $$; "
            f"DROP TRIGGER IF EXISTS {trigger} ON {table}; "
            f"CREATE TRIGGER {trigger} AFTER TRUNCATE ON {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {trigger}();",
        )
    )
    if source.has_witness:
        triggers.append(_pg_witness_language_trigger(source))
    return triggers


def _pg_witness_language_trigger(source: Source) -> tuple[str, str]:
    """A witness whose language (or document) changes has its entries indexed anew.

    One trigger per source (the segments' keeps its first name), so that ``install`` adds
    the one a new source needs to an existing database. A quote's document is its
    annotation's, which does not follow the witness.
    """
    if source.code == SEGMENT:
        trigger, document = "wb_search_witness_language", "document_id = NEW.document_id, "
    else:
        trigger, document = f"wb_search_{source.name}_witness_language", ""
    return (
        trigger,
        f"CREATE OR REPLACE FUNCTION {trigger}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"UPDATE {ENTRY_TABLE} e SET {document}"
        "lang = wb_search_lang(NEW.language), "
        "vector = wb_search_vector(wb_search_lang(NEW.language), e.body) "
        f"WHERE e.source = {source.code} AND e.witness_id = NEW.id; RETURN NULL; END $$; "
        f"DROP TRIGGER IF EXISTS {trigger} ON editions_witness; "
        f"CREATE TRIGGER {trigger} AFTER UPDATE OF language, document_id ON editions_witness "
        "FOR EACH ROW WHEN (OLD.language IS DISTINCT FROM NEW.language "
        "OR OLD.document_id IS DISTINCT FROM NEW.document_id) "
        f"EXECUTE FUNCTION {trigger}();",
    )


def _sqlite_key(source: Source, row: str) -> str:
    return f"(({row}.id << {KEY_BITS}) | {source.code})"


def _sqlite_triggers(source: Source) -> list[tuple[str, str]]:
    """Row-level triggers that touch the FTS tables and nothing else.

    A trigger that read another Django table (the witness, for its language) would break
    Django's SQLite migrations: altering a table there means creating a copy, dropping the
    original and renaming the copy, and SQLite refuses the rename while any trigger refers to
    a table that is, for that moment, missing.
    """
    name, table = f"wb_search_{source.name}", source.table
    key, old_key = _sqlite_key(source, "new"), _sqlite_key(source, "old")
    body = source.sqlite_body.format(row="new")
    changed = " OR ".join(f"old.{c} IS NOT new.{c}" for c in source.watched)
    tables = (STEM_TABLE, WORD_TABLE)
    actions = {
        "insert": ("", [f"INSERT INTO {t}(rowid, body) VALUES ({key}, {body})" for t in tables]),
        "update": (
            f"WHEN {changed}",
            [f"UPDATE {t} SET body = {body} WHERE rowid = {key}" for t in tables],
        ),
        "delete": ("", [f"DELETE FROM {t} WHERE rowid = {old_key}" for t in tables]),
    }
    return [
        (
            f"{name}_{event}",
            f"CREATE TRIGGER {name}_{event} AFTER {event.upper()} ON {table} {when} "
            f"BEGIN {'; '.join(statements)}; END",
        )
        for event, (when, statements) in actions.items()
    ]


def _reindex_sql(source: Source, vendor_name: str) -> list[str]:
    if vendor_name == "postgresql":
        return [
            f"DELETE FROM {ENTRY_TABLE} WHERE source = {source.code}",
            _pg_upsert(source, source.table),
        ]
    key, body = _sqlite_key(source, source.table), source.sqlite_body.format(row=source.table)
    statements = []
    for fts in (STEM_TABLE, WORD_TABLE):
        statements += [
            f"DELETE FROM {fts} WHERE (rowid & {_MASK}) = {source.code}",
            f"INSERT INTO {fts}(rowid, body) SELECT {key}, {body} FROM {source.table}",
        ]
    return statements


def _existing_triggers(cursor, vendor_name: str) -> set[str]:
    if vendor_name == "postgresql":
        cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
    else:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
    return {row[0] for row in cursor.fetchall()}


def install(connection=None) -> list[str]:
    """Create the missing triggers of every source whose table exists; index its rows anew.

    Idempotent and cheap when nothing is missing. Runs from the migration that creates the
    index and after every ``migrate``: on SQLite, Django rebuilds a table to alter it, which
    drops its triggers. Returns the names of the sources it (re)indexed.
    """
    connection = connection or default_connection
    vendor_name = vendor(connection)
    if vendor_name not in ("postgresql", "sqlite"):
        return []
    tables = set(connection.introspection.table_names())
    if not {ENTRY_TABLE, STEM_TABLE} & tables:
        return []  # the index itself is not created yet (before its migration)
    reindexed = []
    with connection.cursor() as cursor:
        existing = _existing_triggers(cursor, vendor_name)
        if vendor_name == "postgresql":
            cursor.execute(PG_FUNCTIONS)
        for source in SOURCES:
            if source.table not in tables:
                continue
            triggers = (_pg_triggers if vendor_name == "postgresql" else _sqlite_triggers)(source)
            if all(name in existing for name, _sql in triggers):
                continue
            for name, sql in triggers:
                if vendor_name == "sqlite":
                    cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
                cursor.execute(sql)
            for sql in _reindex_sql(source, vendor_name):
                cursor.execute(sql)
            reindexed.append(source.name)
    return reindexed


def uninstall(connection=None) -> None:
    """Drop every trigger and function ``install`` made (the migration's reverse)."""
    connection = connection or default_connection
    vendor_name = vendor(connection)
    with connection.cursor() as cursor:
        for source in SOURCES:
            make = _pg_triggers if vendor_name == "postgresql" else _sqlite_triggers
            for name, _sql in make(source):
                if vendor_name == "postgresql":
                    table = "editions_witness" if name.endswith("language") else source.table
                    cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
                    cursor.execute(f"DROP FUNCTION IF EXISTS {name}()")
                else:
                    cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        if vendor_name == "postgresql":
            cursor.execute("DROP FUNCTION IF EXISTS wb_search_vector(text, text)")
            cursor.execute("DROP FUNCTION IF EXISTS wb_search_lang(text)")


def on_post_migrate(sender, using: str = "default", **kwargs) -> None:
    from django.db import connections

    install(connections[using])


# --- Queries: parsing what the user typed --------------------------------------------------


@dataclass
class Clause:
    words: list[str]  # one word, or the words of a quoted phrase
    negated: bool = False
    or_next: bool = False  # joined to the next clause by OR rather than AND
    text: str = ""  # as typed (``BENCH-00421``), for PostgreSQL's parser; else the words

    @property
    def phrase(self) -> str:
        return self.text or " ".join(self.words)


_QUERY_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
_WORD = re.compile(r"[^\W_]+")


def parse_query(text: str) -> list[Clause]:
    """Words, "phrases", OR and -negation, as a web search reads them: clauses are AND-ed, and
    OR joins the clauses on either side of it (``a b OR c d``: a, b or c, d) on both
    databases."""
    clauses: list[Clause] = []
    for match in _QUERY_TOKEN.finditer(text):
        negated, phrase, bare = match.group(1), match.group(2), match.group(3)
        if bare is not None and bare.lower() == "or" and clauses:
            clauses[-1].or_next = True
            continue
        if bare is not None:
            negated, bare = ("-", bare[1:]) if bare.startswith("-") else ("", bare)
        typed = phrase if phrase is not None else bare
        words = _WORD.findall(typed)
        if words:
            clauses.append(Clause(words, negated=bool(negated), text=typed))
    if clauses:
        clauses[-1].or_next = False
    return clauses


def has_terms(text: str) -> bool:
    """Whether the query asks for something (not only for what to leave out)."""
    return any(not clause.negated for clause in parse_query(text))


def line_spellings(line: str) -> tuple[str, ...]:
    """The distinct spellings of one line of equivalents, separated by commas."""
    return tuple(dict.fromkeys(s.strip() for s in line.split(",") if s.strip()))


def equivalence_groups(text: str) -> list[tuple[str, ...]]:
    """An edition's search equivalents: one group a line, spellings separated by commas."""
    groups = [line_spellings(line) for line in text.splitlines()]
    return [group for group in groups if len(group) > 1]


def _key(words: Sequence[str]) -> str:
    return " ".join(fold(word) for word in words)


def expand(clauses: list[Clause], groups: Sequence[Sequence[str]]) -> list[Clause]:
    """Each word or phrase that is one spelling of a group becomes all of them: ``Khrushchev``
    -> ``Khrushchev OR Khrouchtchev``; ``-Khrushchev`` leaves every spelling out."""
    spellings: dict[str, list[str]] = {}
    for group in groups:
        for spelling in group:
            others = spellings.setdefault(_key(_WORD.findall(spelling)), [])
            others.extend(s for s in group if s not in others)
    expanded: list[Clause] = []
    for clause in clauses:
        group = spellings.get(_key(clause.words))
        if not group:
            expanded.append(clause)
            continue
        for n, spelling in enumerate(group):
            last = n == len(group) - 1
            or_next = clause.or_next if last or clause.negated else True
            words = _WORD.findall(spelling)
            expanded.append(Clause(words, clause.negated, or_next, spelling))
    return expanded


def added_spellings(text: str, groups: Sequence[Sequence[str]]) -> list[str]:
    """The spellings that ``expand`` adds to what was typed: the page names them."""
    typed = parse_query(text)
    asked = {_key(clause.words) for clause in typed}
    added = [c.phrase for c in expand(typed, groups) if _key(c.words) not in asked]
    return list(dict.fromkeys(added))


@lru_cache(maxsize=65536)
def fold(word: str) -> str:
    """Lower case, without accents or ligatures: how the indexes compare words."""
    decomposed = unicodedata.normalize("NFKD", word.replace("œ", "oe").replace("æ", "ae"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def french_prefix(word: str) -> str:
    """A light French stem, for a prefix query: plural and feminine endings go.

    FTS5 has no French stemmer; *négociations* -> ``negociation`` finds *négociation* and
    *négociations*, *soulignée* -> ``soulign`` finds *souligné*, *soulignées*, *soulignent*.
    """
    stem = fold(word)
    if len(stem) > 4 and stem.endswith("aux"):
        stem = stem[:-2]
    elif len(stem) > 3 and stem[-1] in "sx":
        stem = stem[:-1]
    for _feminine_or_participle in range(2):  # -e, -ée
        if len(stem) > 4 and stem.endswith("e"):
            stem = stem[:-1]
    return stem


# Below this length a prefix finds too many other words (*mer*: *merci*, *mère*).
MIN_PREFIX = 5


def _fts_phrase(words: Sequence[str], prefix: bool) -> str:
    tokens = [t for word in words for t in _WORD.findall(fold(word))]
    if prefix:
        stems = [french_prefix(t) for t in tokens]
        return " + ".join(
            f'"{stem}"*' if len(stem) >= MIN_PREFIX else f'"{token}"'
            for stem, token in zip(stems, tokens, strict=True)
        )
    return '"' + " ".join(tokens) + '"'


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


def phrase_query(text: str) -> list[Clause]:
    """A concordance query: the whole input is one phrase (quotes and operators are words)."""
    words = _WORD.findall(text)
    return [Clause(words)] if words else []


# --- Queries: search ----------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    """Which entries a query may return. ``edition_ids`` is what the user may read.

    How they combine: edition and dates are the document's, for every source. Language, role
    and translator are a witness's: a segment's and a quote's own witness, any target's
    witness for an annotation's note (a note about the Martin translation is found with the
    Martin translation), and metadata never. ``category_ids`` (None: any) keeps annotations
    of those categories only. ``user_id`` is whose private annotations may be found (None:
    nobody's): any other private annotation never is, on either database.
    """

    edition_ids: Sequence[int]
    language: str = ""
    role: str = ""
    translator: str = ""
    date_from: date | None = None
    date_to: date | None = None
    document_ids: Sequence[int] = ()
    user_id: int | None = None
    category_ids: Sequence[int] | None = None
    # Spellings searched as one (``equivalence_groups`` of the editions searched).
    equivalents: Sequence[Sequence[str]] = ()

    @property
    def witness_only(self) -> bool:
        return bool(self.language or self.role or self.translator)


@dataclass(frozen=True)
class Match:
    source: int
    object_id: int
    score: float
    snippet: str = ""


def _in(column: str, values: Sequence) -> tuple[str, list]:
    values = list(values) or [0]
    return f"{column} IN ({', '.join(['%s'] * len(values))})", values


def _document_conditions(filters: Filters) -> tuple[str, list]:
    """Conditions on the document ``d``: readable edition, chosen documents, dates."""
    sql, params = _in("d.edition_id", filters.edition_ids)
    conditions = [sql]
    if filters.document_ids:
        sql, ids = _in("d.id", filters.document_ids)
        conditions.append(sql)
        params += ids
    dates = (("d.date >= %s", filters.date_from), ("d.date <= %s", filters.date_to))
    for condition, value in dates:
        if value:
            conditions.append(condition)
            params.append(value)
    return " AND ".join(conditions), params


def _witness_conditions(filters: Filters) -> tuple[str, list]:
    """Conditions on the witness ``w``: language, role, translator."""
    conditions, params = ["1 = 1"], []
    for column in ("language", "role", "translator"):
        value = getattr(filters, column)
        if value:
            conditions.append(f"w.{column} = %s")
            params.append(value)
    return " AND ".join(conditions), params


def _annotation_conditions(filters: Filters) -> tuple[str, list]:
    """Conditions on the annotation ``a``: visible to the user, of the chosen categories."""
    sql, params = "a.visibility = 'edition'", []
    if filters.user_id is not None:
        sql, params = "(a.visibility = 'edition' OR a.author_id = %s)", [filters.user_id]
    if filters.category_ids is not None:
        categories, ids = _in("a.category_id", filters.category_ids)
        sql, params = f"{sql} AND {categories}", params + ids
    return sql, params


def _targets_on_witnesses(filters: Filters) -> tuple[str, list]:
    """The ids of annotations with a target on a witness the witness filters keep."""
    witnesses, params = _witness_conditions(filters)
    return (
        "SELECT t.annotation_id FROM editions_annotationtarget t "
        f"JOIN editions_witness w ON w.id = t.witness_id WHERE {witnesses}",
        params,
    )


def _filter_sql(filters: Filters, source: Source) -> tuple[str, list]:
    """Conditions on a hit joined to its document ``d`` (and witness ``w``), for SQLite."""
    sql, params = _document_conditions(filters)
    if source.is_annotation:
        annotations, annotation_params = _annotation_conditions(filters)
        sql, params = f"{sql} AND {annotations}", params + annotation_params
    elif filters.category_ids is not None:
        return sql + " AND 1 = 0", params  # a category is an annotation's
    if source.has_witness:
        witnesses, witness_params = _witness_conditions(filters)
        sql, params = f"{sql} AND {witnesses}", params + witness_params
    elif filters.witness_only and source.is_annotation:
        targets, target_params = _targets_on_witnesses(filters)
        sql, params = f"{sql} AND a.id IN ({targets})", params + target_params
    elif filters.witness_only:
        return sql + " AND 1 = 0", params  # language, role and translator are a witness's
    return sql, params


# Witness languages as the index tells them apart (see ``wb_search_lang``).
_SQLITE_LANG = {
    "en": "(lower(w.language) = 'en' OR lower(w.language) LIKE 'en-%%')",
    "fr": "(lower(w.language) = 'fr' OR lower(w.language) LIKE 'fr-%%')",
}
_SQLITE_LANG["simple"] = f"NOT {_SQLITE_LANG['en']} AND NOT {_SQLITE_LANG['fr']}"
_PG_CONFIG = {"fr": "wb_french", "en": "wb_english", "simple": "wb_simple", "multi": "wb_english"}


def lang_of(language: str) -> str:
    base = language.split("-")[0].lower()
    return base if base in ("fr", "en") else "simple"


def _pg_tsquery(lang: str) -> str:
    """The phrase tsquery of a ``%s`` parameter (the concordance's)."""
    return f"phraseto_tsquery('{_PG_CONFIG[lang]}', %s)"


def _pg_clauses_sql(clauses: Sequence[Clause], config: str) -> tuple[str, list]:
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


def _pg_queries(clauses: Sequence[Clause]) -> dict[str, str]:
    """The query as a tsquery (in its text form) in each configuration, and in all at once
    ("multi", for metadata and notes): computed once, then passed to the search as values."""
    columns, params = [], []
    for lang in ("fr", "en", "simple"):
        sql, lang_params = _pg_clauses_sql(clauses, _PG_CONFIG[lang])
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


def _pg_per_lang(queries: dict[str, str]) -> tuple[str, list]:
    """Each entry's own language's query (metadata and notes: every language's)."""
    sql = (
        "CASE x.lang WHEN 'fr' THEN %s::tsquery WHEN 'en' THEN %s::tsquery "
        "WHEN 'simple' THEN %s::tsquery ELSE %s::tsquery END"
    )
    return sql, [queries["fr"], queries["en"], queries["simple"], queries["multi"]]


def _pg_filter_sql(filters: Filters, segments_only: bool = False) -> tuple[str, list]:
    """Conditions on an entry ``x``'s document and witness, as subqueries.

    The entries carry their document's and witness's ids: the index does the searching, and
    these small tables only say which ids may appear. Whether an annotation may be seen is
    read from the annotation itself, never from the index, so a note made private is hidden
    at once (see ``_pg_annotation_sql``). ``segments_only``: the caller reads segment
    entries only (the concordance), which need none of the annotations' conditions.
    """
    documents, params = _document_conditions(filters)
    sql = f"x.document_id IN (SELECT d.id FROM editions_document d WHERE {documents})"
    witnesses, witness_params = _witness_conditions(filters)
    if segments_only:
        if filters.witness_only:
            sql += f" AND x.witness_id IN (SELECT w.id FROM editions_witness w WHERE {witnesses})"
            params += witness_params
        return sql, params
    if filters.witness_only:
        targets, target_params = _targets_on_witnesses(filters)
        sql += (
            f" AND (x.witness_id IN (SELECT w.id FROM editions_witness w WHERE {witnesses}) "
            f"OR x.source = {ANNOTATION} AND x.object_id IN ({targets}))"
        )
        params += witness_params + target_params
    annotations, annotation_params = _pg_annotation_sql(filters)
    return f"{sql} AND {annotations}", params + annotation_params


def _pg_annotation_sql(filters: Filters) -> tuple[str, list]:
    """An annotation entry's annotation must pass ``_annotation_conditions``; with a category
    chosen, only annotation entries are kept. One index lookup per annotation hit."""
    conditions, params = _annotation_conditions(filters)
    others = "FALSE" if filters.category_ids is not None else "TRUE"
    sql = (
        f"CASE x.source WHEN {ANNOTATION} THEN EXISTS (SELECT 1 FROM editions_annotation a "
        f"WHERE a.id = x.object_id AND {conditions}) "
        f"WHEN {ANNOTATION_QUOTE} THEN EXISTS (SELECT 1 FROM editions_annotationtarget t "
        f"JOIN editions_annotation a ON a.id = t.annotation_id "
        f"WHERE t.id = x.object_id AND {conditions}) ELSE {others} END"
    )
    return sql, params + params


def _pg_ranked(queries: dict[str, str], filters: Filters) -> tuple[str, list]:
    """Every entry matching the query in its own language, ranked: one pass of the GIN index.

    The index is searched once with the query in every language OR-ed together, then each
    entry is checked against its own language's query (metadata: every language's).
    ``queries`` are ``_pg_queries``'s.
    """
    per_lang, per_lang_params = _pg_per_lang(queries)
    where, params = _pg_filter_sql(filters)
    sql = (
        f"SELECT x.source, x.object_id, ts_rank_cd(x.vector, {per_lang}) AS score "
        f"FROM {ENTRY_TABLE} x WHERE x.vector @@ %s::tsquery AND x.vector @@ {per_lang} "
        f"AND {where}"
    )
    return sql, [*per_lang_params, queries["multi"], *per_lang_params, *params]


def _sqlite_plans(source: Source, clauses: Sequence[Clause]) -> list[tuple[str, str, str]]:
    """(FTS table, MATCH expression, language condition) for each language of a source."""
    if not source.has_witness:
        return [(STEM_TABLE, fts5_query(clauses), "1 = 1")]
    return [
        (STEM_TABLE, fts5_query(clauses), _SQLITE_LANG["en"]),
        (WORD_TABLE, fts5_query(clauses, prefix=True), _SQLITE_LANG["fr"]),
        (WORD_TABLE, fts5_query(clauses), _SQLITE_LANG["simple"]),
    ]


def _sqlite_ranked(clauses: Sequence[Clause], filters: Filters) -> tuple[str, list]:
    branches, params = [], []
    for source in SOURCES:
        where, where_params = _filter_sql(filters, source)
        for table, match, lang in _sqlite_plans(source, clauses):
            if not match:
                continue
            locate = source.locate.format(key=f"({table}.rowid >> {KEY_BITS})")
            branches.append(
                f"SELECT {source.code} AS source, {table}.rowid >> {KEY_BITS} AS object_id, "
                f"-bm25({table}) AS score FROM {table} {locate} WHERE {table} MATCH %s "
                f"AND ({table}.rowid & {_MASK}) = {source.code} AND {lang} AND {where}"
            )
            params += [match, *where_params]
    return " UNION ALL ".join(branches), params


def search(
    text: str, filters: Filters, *, offset: int = 0, limit: int = 20
) -> tuple[list[Match], int]:
    """The best-ranked entries matching ``text``, with highlighted snippets, and their count."""
    if not has_terms(text):
        return [], 0
    clauses = expand(parse_query(text), filters.equivalents)
    # The query as each database takes it, made once for the matches and the snippets.
    if vendor() == "postgresql":
        query: dict[str, str] | Sequence[Clause] = _pg_queries(clauses)
        union, params = _pg_ranked(query, filters)
    else:
        query = clauses
        union, params = _sqlite_ranked(clauses, filters)
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


_HEADLINE = f"StartSel={MARK_START}, StopSel={MARK_END}, MaxWords=40, MinWords=20, ShortWord=0"
_HIGHLIGHT_ALL = f"HighlightAll=true, StartSel={MARK_START}, StopSel={MARK_END}"


def _snippets(query, keys) -> dict[tuple[int, int], str]:
    """Only for the page shown: making a snippet costs far more than finding a match."""
    if vendor() == "postgresql":
        return _pg_snippets(query, keys)
    return _sqlite_snippets(query, keys)


def _pg_snippets(queries: dict[str, str], keys) -> dict[tuple[int, int], str]:
    query, query_params = _pg_per_lang(queries)
    config = "CASE x.lang " + " ".join(f"WHEN '{k}' THEN '{v}'" for k, v in _PG_CONFIG.items())
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


def _sqlite_snippets(clauses: Sequence[Clause], keys) -> dict[tuple[int, int], str]:
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
                key = (rowid & _MASK, rowid >> KEY_BITS)
                if MARK_START in snippet or key not in found:
                    found[key] = snippet
    return found


def marked_html(text: str) -> SafeString:
    """Escape the text, then turn the hit marks into ``<mark>`` elements."""
    html = escape(text).replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")
    return mark_safe(html)  # noqa: S308 - escaped above; only our own tags are added


def unmarked(text: str) -> str:
    return text.replace(MARK_START, "").replace(MARK_END, "")


# --- Queries: concordance ----------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    """A segment that may hold hits; ``marked`` has the index's hits marked, when it knows.

    ``order`` is its place in document date order, for reading on after it.
    """

    segment_id: int
    witness_id: int
    document_id: int
    sid: str
    text: str
    marked: str = ""
    order: tuple = ()


_CANDIDATE_COLUMNS = "s.id, s.witness_id, w.document_id, s.sid, s.text"
_CANDIDATE_ORDER = "d.date IS NULL, d.date, d.id, w.id, s.position"


def stemmed_candidates(text: str, filters: Filters, *, limit: int) -> tuple[list[Candidate], int]:
    """Segments holding the phrase (stemmed, accent-insensitive), in document date order.

    ``filters.language`` must be set: a concordance reads one language. The hits come back
    marked by the index itself, so they are exactly the words it matched.
    """
    if not phrase_query(text):
        return [], 0
    if vendor() == "postgresql":
        return _pg_stemmed(text, filters, limit)
    return _sqlite_stemmed(text, filters, limit)


def _pg_stemmed(text: str, filters: Filters, limit: int) -> tuple[list[Candidate], int]:
    lang = lang_of(filters.language)
    query = _pg_tsquery(lang)
    where, params = _pg_filter_sql(filters, segments_only=True)
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
        f"SELECT x.object_id, x.body, ts_headline('{_PG_CONFIG[lang]}', x.body, {query}, %s) "
        f"FROM {ENTRY_TABLE} x WHERE x.source = {SEGMENT} AND x.object_id = ANY(%s)"
    )
    with default_connection.cursor() as cursor:
        cursor.execute(ids_sql, [lang, text, *params, limit])
        kept = cursor.fetchall()
        cursor.execute(marked_sql, [text, _HIGHLIGHT_ALL, [row[0] for row in kept]])
        texts = {object_id: (body, marked) for object_id, body, marked in cursor.fetchall()}
    total = kept[0][-1] if kept else 0
    return [Candidate(i, w, d, sid, *texts[i]) for i, w, d, sid, _total in kept], total


def _sqlite_stemmed(text: str, filters: Filters, limit: int) -> tuple[list[Candidate], int]:
    source = SOURCES[0]
    where, params = _filter_sql(filters, source)
    lang = lang_of(filters.language)
    table = STEM_TABLE if lang == "en" else WORD_TABLE
    match = fts5_query(phrase_query(text), prefix=lang == "fr")
    locate = source.locate.format(key=f"({table}.rowid >> {KEY_BITS})")
    matching = (
        f"FROM {table} {locate} WHERE {table} MATCH %s "
        f"AND ({table}.rowid & {_MASK}) = {SEGMENT} AND {where}"
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


def lexeme_flags(text: str, language: str) -> list[bool]:
    """For each word of a phrase: whether the index keeps it (False: a stop word it drops)."""
    words = _WORD.findall(text)
    if vendor() != "postgresql" or not words:
        return [True] * len(words)
    config = _PG_CONFIG[lang_of(language)]
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
    scan = _pg_scan if vendor() == "postgresql" else _sqlite_scan
    sql, params = scan(filters, literals, phrase, after)
    with default_connection.cursor() as cursor:
        cursor.execute(sql, [*params, limit])
        return [Candidate(*row[:6], order=tuple(row[6:])) for row in cursor.fetchall()]


def _pg_scan(filters: Filters, literals: list[str], phrase: str, after: tuple):
    where, params = _pg_filter_sql(filters, segments_only=True)
    # ILIKE on the entries' text uses their trigram index.
    for literal in literals:
        where += " AND x.body ILIKE %s ESCAPE '!'"
        params.append(literal)
    if phrase:
        where += f" AND x.vector @@ {_pg_tsquery(lang_of(filters.language))}"
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


def _sqlite_scan(filters: Filters, literals: list[str], phrase: str, after: tuple):
    where, params = _filter_sql(filters, SOURCES[0])
    for literal in literals:
        where += " AND s.text LIKE %s ESCAPE '!'"
        params.append(literal)
    if phrase:
        lang = lang_of(filters.language)
        table = STEM_TABLE if lang == "en" else WORD_TABLE
        where += (
            f" AND s.id IN (SELECT rowid >> {KEY_BITS} FROM {table} WHERE {table} MATCH %s "
            f"AND (rowid & {_MASK}) = {SEGMENT})"
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


# --- Alignment rows and segments, looked up by stable id ----------------------------------


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
