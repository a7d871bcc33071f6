"""Lexical anchors: the parts of a sentence that survive translation.

Numbers, dates, roman numerals, footnote markers, quotation marks and question or exclamation
marks look the same (or map one to one) in French, English and German; proper names and
cognates (*négociation*/*negotiation*) are spelled alike. Everything here works on folded text:
lower case, accents stripped, ligatures opened, so that *Élysée* and *Elysee*, or
*télégramme* and *telegram*, can be compared at all.
"""

import re
from bisect import bisect_right

from ..text import (
    MONTH_ABBREVIATIONS_EN,
    MONTHS_DE,
    MONTHS_DE_VARIANTS,
    MONTHS_EN,
    MONTHS_FR,
    fold,
    months_by_number,
)
from .sentences import sentence_spans

__all__ = [
    "Token",
    "anchors",
    "is_cognate",
    "lcs_ratio",
    "tokens",
]

# A token is a string; anchors carry a one-character prefix that words never start with, so
# "#1962" (a number) never collides with a word and the kind of a token is its first character.
Token = str
NUMBER, MONTH, WEEKDAY, FOOTNOTE, MARK = "#", "@", "%", "^", "!"

# The month names the texts print, folded: French, English (with its abbreviations), German.
_MONTHS = {
    number: " ".join(dict.fromkeys(fold(name) for name in names))
    for number, names in months_by_number(
        MONTHS_FR, MONTHS_EN, MONTH_ABBREVIATIONS_EN, MONTHS_DE, MONTHS_DE_VARIANTS
    ).items()
}
_WEEKDAYS = {
    1: "lundi monday montag",
    2: "mardi tuesday dienstag",
    3: "mercredi wednesday mittwoch",
    4: "jeudi thursday donnerstag",
    5: "vendredi friday freitag",
    6: "samedi saturday samstag sonnabend",
    7: "dimanche sunday sonntag",
}
# "may", "mar" and "sept" (French for seven) are also ordinary words: these and the short forms
# count as months only when capitalised.
_AMBIGUOUS_MONTHS = {"may", "mar", "jan", "sept", "sep", "dec", "oct", "nov", "aug", "apr"}
_MONTH_OF = {name: n for n, names in _MONTHS.items() for name in names.split()}
_WEEKDAY_OF = {name: n for n, names in _WEEKDAYS.items() for name in names.split()}

_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
_ROMAN = re.compile(r"(?=[IVX]{2,}\b)X{0,3}(?:IX|IV|V?I{0,3})\b")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10}

# One regex pass finds every kind of token, in reading order. Order of the alternatives matters:
# footnote calls before numbers, numbers (with thousands separators and ordinals) before words.
_TOKEN = re.compile(
    r"""
    (?P<note>[⁽\[]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+[⁾\]]?|\[\d{1,3}\]|(?<=[^\W\d_])\(\d{1,2}\)|(?<=\S)\*+)
    | (?P<num>\d{1,3}(?:[,.\u00a0\u202f\u2009\ ]\d{3})+(?!\d)(?:[.,]\d+)?|\d+(?:[.,]\d+)?)
      (?:ème|eme|ère|er|re|e|st|nd|rd|th|°)?(?![^\W\d_])
    | (?P<word>[^\W\d_]+)
    | (?P<quote>[«»“”„"])
    | (?P<mark>[?!])
    """,
    re.VERBOSE,
)
_THOUSANDS = re.compile(r"[,.\u00a0\u202f\u2009 ](?=\d{3}(?!\d))")


def _number(text: str) -> Token:
    """'1 000', '1,000' and '1.000' all become '#1000'; '3,5' and '3.5' become '#3.5'."""
    text = _THOUSANDS.sub("", text).replace(",", ".")
    return NUMBER + (text.lstrip("0") or "0")


def _roman(word: str) -> int:
    total = 0
    for this, following in zip(word, word[1:] + " ", strict=True):
        value = _ROMAN_VALUES[this]
        total += -value if _ROMAN_VALUES.get(following, 0) > value else value
    return total


def _word_token(word: str) -> Token:
    if _ROMAN.fullmatch(word):
        return NUMBER + str(_roman(word))
    folded = fold(word)
    month = _MONTH_OF.get(folded)
    if month and (folded not in _AMBIGUOUS_MONTHS or word[0].isupper()):
        return MONTH + str(month)
    weekday = _WEEKDAY_OF.get(folded)
    if weekday:
        return WEEKDAY + str(weekday)
    return folded


def _token(kind: str, value: str) -> Token:
    if kind == "word":
        return _word_token(value)
    if kind == "num":
        return _number(value)
    if kind == "note":
        return FOOTNOTE + (re.sub(r"\D", "", value.translate(_SUPERSCRIPTS)) or "*")
    return MARK + ('"' if kind == "quote" else value)


def tokens(text: str) -> list[Token]:
    """Every word and anchor of a text, in order, folded (see the module docstring)."""
    # Every alternative of _TOKEN is a named group: lastgroup is never None.
    return [_token(m.lastgroup, m.group(m.lastgroup)) for m in _TOKEN.finditer(text)]  # type: ignore[arg-type]


def anchors(text: str, lang: str = "fr") -> list[Token]:
    """The tokens of a text that can be matched across languages without a dictionary.

    Numbers (years, dates, telegram numbers), months and weekdays, roman numerals, footnote
    calls, quotation marks, question and exclamation marks, and the capitalised words of two
    letters or more that do not open a sentence (names: *Rusk*, *Khrushchev*, *U Thant*), folded.
    """
    found = []
    starts = [start for start, _ in sentence_spans(text, lang)]
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or ""  # never None: every alternative of _TOKEN is named
        value = match.group(kind)
        token = _token(kind, value)
        is_word = kind == "word" and token[0].isalpha()
        if is_word and (
            len(value) < 2 or not value[0].isupper() or _opens(text, starts, match.start())
        ):
            continue
        found.append(token)
    return found


def _opens(text: str, sentence_starts: list[int], position: int) -> bool:
    """Whether only punctuation stands between the sentence start and `position`."""
    start = sentence_starts[bisect_right(sentence_starts, position) - 1]
    return not any(char.isalnum() for char in text[start:position])


def lcs_ratio(a: str, b: str) -> float:
    """Longest common subsequence length over the longer length (Melamed's LCSR)."""
    if not a or not b:
        return 0.0
    previous = [0] * (len(b) + 1)
    for char in a:
        current = [0]
        for j, other in enumerate(b):
            current.append(previous[j] + 1 if char == other else max(previous[j + 1], current[j]))
        previous = current
    return previous[-1] / max(len(a), len(b))


COGNATE_PREFIX = 4
COGNATE_MIN_LCSR = 0.6


def is_cognate(a: str, b: str) -> bool:
    """Whether two folded words look like translations of each other by their spelling.

    They must share their first four letters (Simard's criterion) and most of their letters in
    order (LCSR >= 0.6): *negociation/negotiation* pass, *blocus/blockade* share "bloc" but
    only half their letters and fail.
    """
    if a == b:
        return len(a) >= 3 or not a.isalpha()
    if len(a) < COGNATE_PREFIX or len(b) < COGNATE_PREFIX:
        return False
    return a[:COGNATE_PREFIX] == b[:COGNATE_PREFIX] and lcs_ratio(a, b) >= COGNATE_MIN_LCSR
