"""Small text tables and helpers that search, the concordance, the aligner and the importers
share: folding words for comparison, what a word is, month names, language tags.

Free of Django, like the algorithms that use it (an import-linter contract in
``pyproject.toml`` keeps it so).
"""

import re
import unicodedata
from functools import lru_cache

# A word: letters and digits, no underscore (``\w`` without ``_``).
WORD = re.compile(r"[^\W_]+")

_LIGATURES = str.maketrans({"œ": "oe", "Œ": "Oe", "æ": "ae", "Æ": "Ae", "ß": "ss", "ø": "o"})


def strip_accents(text: str) -> str:
    """The text without its combining marks (*é* -> *e*), compatibility forms decomposed."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=65536)
def fold(word: str) -> str:
    """Lower case, without accents or ligatures: *Élysée* and *elysee*, *Œuvre* and *oeuvre*
    compare equal."""
    return strip_accents(word.translate(_LIGATURES)).lower()


# The months by number (index 0 is January), as the texts print them.
MONTHS_EN = (
    *("January", "February", "March", "April", "May", "June", "July", "August"),
    *("September", "October", "November", "December"),
)
MONTHS_FR = (
    *("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août"),
    *("septembre", "octobre", "novembre", "décembre"),
)
MONTHS_DE = (
    *("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August"),
    *("September", "Oktober", "November", "Dezember"),
)
MONTHS_DE_VARIANTS = {1: ("Jänner",)}  # Austrian
# The abbreviations the records print, by month number.
MONTH_ABBREVIATIONS_EN = {
    **{1: ("jan",), 2: ("feb",), 3: ("mar",), 4: ("apr",), 6: ("jun",), 7: ("jul",)},
    **{8: ("aug",), 9: ("sept", "sep"), 10: ("oct",), 11: ("nov",), 12: ("dec",)},
}
MONTH_ABBREVIATIONS_FR = {
    1: ("janv",),
    2: ("févr", "fevr"),
    4: ("avr",),
    7: ("juil",),
    12: ("déc",),
}


def months_by_number(*tables) -> dict[int, list[str]]:
    """The names of each month (1 to 12) in the given tables: tuples of twelve names, or
    dictionaries of more names by month number; in the order given, each name once."""
    months: dict[int, list[str]] = {}
    for number in range(1, 13):
        names: list[str] = []
        for table in tables:
            found = table.get(number, ()) if isinstance(table, dict) else (table[number - 1],)
            names.extend(found)
        months[number] = list(dict.fromkeys(names))
    return months


def primary_language(tag: str) -> str:
    """ "fr-FR" -> "fr": what language a BCP 47 tag names, whatever the region."""
    return tag.split("-")[0].lower()
