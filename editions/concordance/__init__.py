"""The parallel concordance: keyword-in-context lines and their aligned renderings.

A word or phrase is looked up in one language's witnesses, three ways:

- *stemmed*: through the full-text index (``search.stemmed_candidates``), which marks the
  words it matched; a line is a run of marked words in the order of the phrase;
- *exact*: the words as typed, whole, case-insensitive (accents count);
- *regex*: a regular expression, matched by RE2 (``check_pattern``), whose time is linear in
  the text whatever the pattern (Python's ``re`` backtracks: ``(e|é)+(e|é)+$`` takes cubic
  time on a run of letters, holding the interpreter lock); at most ``MAX_PATTERN`` characters.

Exact and regex read the segments in Python, in document date order, skipping those that
lack the pattern's literal text (``required_literals``, checked by the database), within a
budget of segments and seconds per query (``settings.CONCORDANCE_*``): a pattern without a
literal stops at the budget, and the page says so.

Beside each line stands the aligned rendering in every other witness of the document: the
alignment row (directly, or through the pivot witness as the synopsis does), narrowed to the
sentence and the word by ``counterparts.locate``. The renderings are counted per translator.

The modules: ``patterns`` (the regular expressions: RE2, the refusals in words, the literals
that narrow the reading), ``lines`` (a line and its renderings, the phrase's hits among the
index's marks, sorting and counting), ``building`` (reading the lines within the budget and
finding their renderings) and ``csv_export``. What other modules use is re-exported here.
"""

from .building import MAX_LINES, MODES, SCAN_CHUNK, Concordance, Query, add_renderings, build
from .csv_export import CSV_HEADER, csv_cell, to_csv
from .lines import CONTEXT, SORTS, Line, Rendering, counts, marked_spans, phrase_hits, sort_lines
from .patterns import MAX_PATTERN, PatternError, check_pattern, exact_pattern, required_literals

__all__ = [
    "CONTEXT",
    "CSV_HEADER",
    "MAX_LINES",
    "MAX_PATTERN",
    "MODES",
    "SCAN_CHUNK",
    "SORTS",
    "Concordance",
    "Line",
    "PatternError",
    "Query",
    "Rendering",
    "add_renderings",
    "build",
    "check_pattern",
    "counts",
    "csv_cell",
    "exact_pattern",
    "marked_spans",
    "phrase_hits",
    "required_literals",
    "sort_lines",
    "to_csv",
]
