"""The full-text index of search and concordance (see editions/search.py).

PostgreSQL: the unaccent and pg_trgm extensions, accent-insensitive French, English and simple
text search configurations, the entry table, its full-text and trigram GIN indexes. SQLite: two
FTS5 tables. Then the triggers that keep the index current, which ``search.install`` creates
(and re-creates after any later migration that drops them), indexing the rows that exist.
"""

from django.db import migrations

POSTGRESQL = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    *(
        statement
        for name, stemmer in (
            ("wb_french", "french_stem"),
            ("wb_english", "english_stem"),
            ("wb_simple", "simple"),
        )
        for statement in (
            f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {name}",
            f"CREATE TEXT SEARCH CONFIGURATION {name} "
            f"(COPY = pg_catalog.{name.removeprefix('wb_')})",
            f"ALTER TEXT SEARCH CONFIGURATION {name} "
            f"ALTER MAPPING FOR hword, hword_part, word WITH unaccent, {stemmer}",
        )
    ),
    """CREATE TABLE editions_search_entry (
        source smallint NOT NULL,
        object_id bigint NOT NULL,
        document_id bigint NOT NULL,
        witness_id bigint,
        lang text NOT NULL,
        body text NOT NULL,
        vector tsvector NOT NULL,
        PRIMARY KEY (source, object_id)
    )""",
    "CREATE INDEX editions_search_entry_vector ON editions_search_entry USING gin (vector)",
    # Regular expressions in the concordance first narrow by a literal, with ILIKE.
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX editions_search_entry_trigram ON editions_search_entry "
    "USING gin (body gin_trgm_ops)",
]
POSTGRESQL_REVERSE = [
    "DROP TABLE IF EXISTS editions_search_entry",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS wb_french",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS wb_english",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS wb_simple",
]
SQLITE = [
    "CREATE VIRTUAL TABLE editions_search_stem USING fts5("
    "body, tokenize = 'porter unicode61 remove_diacritics 2')",
    "CREATE VIRTUAL TABLE editions_search_word USING fts5("
    "body, tokenize = 'unicode61 remove_diacritics 2')",
]
SQLITE_REVERSE = [
    "DROP TABLE IF EXISTS editions_search_stem",
    "DROP TABLE IF EXISTS editions_search_word",
]


def _run(schema_editor, statements: dict[str, list[str]]) -> None:
    for statement in statements.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement, params=None)


def create_index(apps, schema_editor) -> None:
    from editions import search

    _run(schema_editor, {"postgresql": POSTGRESQL, "sqlite": SQLITE})
    search.install(schema_editor.connection)


def drop_index(apps, schema_editor) -> None:
    from editions import search

    search.uninstall(schema_editor.connection)
    _run(schema_editor, {"postgresql": POSTGRESQL_REVERSE, "sqlite": SQLITE_REVERSE})


class Migration(migrations.Migration):
    dependencies = [
        ("editions", "0003_revisions"),
    ]

    operations = [
        migrations.RunPython(create_index, drop_index),
    ]
