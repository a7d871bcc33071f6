"""The full-text index: what it holds (the *sources*) and the database triggers that keep it
current; ``install`` runs after every ``migrate`` (see the package docstring).

Adding a source means one more ``Source`` below: its table, the text it indexes, its
language, and how a hit finds its document and witness (and, for annotations, the annotation
``a``). ``install`` creates its triggers and indexes its existing rows as soon as its table
exists: an existing database gets a new source at its next ``migrate``, no migration needed.
The FTS5 rowid keeps the source in its low ``KEY_BITS`` bits: codes up to 7.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import connection as default_connection

from ..text import MONTHS_EN, MONTHS_FR

SEGMENT, DOCUMENT, ANNOTATION, ANNOTATION_QUOTE = 1, 2, 3, 4
# SQLite FTS5 rowid: the indexed row's id shifted left, the source code in the low bits.
KEY_BITS = 3
KEY_MASK = (1 << KEY_BITS) - 1
ENTRY_TABLE = "editions_search_entry"
STEM_TABLE, WORD_TABLE = "editions_search_stem", "editions_search_word"


# A date is indexed in words too, with its month in English and French ("26 October octobre").
MONTHS = [f"{english} {french}" for english, french in zip(MONTHS_EN, MONTHS_FR, strict=True)]
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
    # in several); the witness filters reach it through its targets (see ``sqlite.filter_sql``).
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
            f"DELETE FROM {fts} WHERE (rowid & {KEY_MASK}) = {source.code}",
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
