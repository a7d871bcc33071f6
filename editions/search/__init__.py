"""Search and the concordance's queries: the full-text index and every database-specific query.

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
see ``index._sqlite_triggers``), and a query uses the one that suits the language: Porter stemming
for English, metadata and notes; for French, which FTS5 cannot stem, a light stemmer turns
each query word into a prefix query (*négociations* -> ``negociation*``); other languages
match words. The language, document and witness of a hit are joined at query time.

Who may see an annotation is never stored in the index: every query joins a hit to its
annotation and keeps it only if it is the edition's or the user's own private one
(``Filters.user_id``), on both databases, so a note made private disappears at once.

Adding a source means one more ``Source`` in ``index``: its table, the text it indexes, its
language, and how a hit finds its document and witness (and, for annotations, the annotation
``a``). ``install`` creates its triggers and indexes its existing rows as soon as its table
exists: an existing database gets a new source at its next ``migrate``, no migration needed.
The FTS5 rowid keeps the source in its low ``KEY_BITS`` bits: codes up to 7.

Highlighted text comes back with ``MARK_START``/``MARK_END`` around hits, never as HTML: the
caller escapes the text, then turns the marks into ``<mark>`` (see ``marked_html``).

The modules: ``index`` (the sources, the triggers, ``install``), ``parsing`` (what the user
typed: clauses, equivalents, the French stem; free of Django), ``common`` (the filters and the
SQL conditions both databases share), ``postgresql`` and ``sqlite`` (the back-ends),
``queries`` (search and the concordance's candidates, on the database in use), ``rows``
(alignment rows by stable segment id), ``marks`` (hits marked in text) and ``results`` (hits
as the search page shows them). What other modules use is re-exported here.
"""

from .common import Candidate, Filters, Match
from .index import (
    ANNOTATION,
    ANNOTATION_QUOTE,
    DOCUMENT,
    ENTRY_TABLE,
    SEGMENT,
    STEM_TABLE,
    WORD_TABLE,
    install,
    on_post_migrate,
    uninstall,
)
from .marks import MARK_END, MARK_START, marked_html, unmarked
from .parsing import (
    MIN_PREFIX,
    Clause,
    added_spellings,
    equivalence_groups,
    expand,
    french_prefix,
    has_terms,
    line_spellings,
    parse_query,
    phrase_query,
)
from .queries import lexeme_flags, scan_candidates, search, stemmed_candidates
from .rows import RowHit, rows_containing, segment_texts
from .sqlite import fts5_query

__all__ = [
    "ANNOTATION",
    "ANNOTATION_QUOTE",
    "DOCUMENT",
    "ENTRY_TABLE",
    "MARK_END",
    "MARK_START",
    "MIN_PREFIX",
    "SEGMENT",
    "STEM_TABLE",
    "WORD_TABLE",
    "Candidate",
    "Clause",
    "Filters",
    "Match",
    "RowHit",
    "added_spellings",
    "equivalence_groups",
    "expand",
    "french_prefix",
    "fts5_query",
    "has_terms",
    "install",
    "lexeme_flags",
    "line_spellings",
    "marked_html",
    "on_post_migrate",
    "parse_query",
    "phrase_query",
    "rows_containing",
    "scan_candidates",
    "search",
    "segment_texts",
    "stemmed_candidates",
    "uninstall",
    "unmarked",
]
