"""Sentence splitting for French, English and German prose.

A sentence ends at '.', '!', '?', '…' or '...', possibly followed by closing quotes or brackets,
then white space, then something that can open a sentence: a capital or a digit, possibly
behind opening quotes, brackets or a dialogue dash. A period does not end a sentence after an
abbreviation that the language uses before names or numbers (M., MM., Mr., Dr., St., p. 12,
No. 5, Nos 5978), after an initial (U. Thant, J. F. Kennedy, J.-C.), inside an acronym (U.S.),
or, in German, after a day number ("am 9. September").
"""

import re

from ..text import MONTHS_DE, MONTHS_DE_VARIANTS

__all__ = ["sentence_spans", "split_sentences"]

_TITLES = {
    "fr": "M MM Mme Mmes Mlle Mlles Mgr Me Dr Pr Pr St Ste Sts Gal Gén Col Cdt Lt Cne Cap "
    "Vve Vve Ste cf Cf env éd Éd ibid Ibid op cit av apr ch chap fig vol",
    "en": "Mr Mrs Ms Messrs Mme Mlle Dr Prof St Sts Mt Gen Col Capt Cdr Lt Sgt Maj Adm Gov Sen "
    "Rep Hon Rev Fr Jr Sr Esq Amb Pres Sec Dept Corp Inc Ltd Co Bros cf Cf viz vs approx "
    "ed eds Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec fig vol ch chap",
    "de": "Dr Prof Hr Hrn Fr Frl St Hl bzw ca usw vgl evtl ggf inkl sog Jh Abb Bd Hg Tel Str "
    "geb gest Nr Co",
}
# Abbreviations that stand before a number: "p. 12", "No. 5", "Nos. 5978", "n. 3", "S. 4".
_BEFORE_NUMBERS = {
    *("p", "pp", "P", "PP", "n", "no", "No", "NO", "nos", "Nos", "NOS", "N", "n°", "N°"),
    *("t", "T", "vol", "Vol", "art", "Art", "ch", "Ch", "chap", "Chap", "fig", "Fig"),
    *("Nr", "nr", "S", "Bd"),
}
_ABBREVIATIONS = {lang: set(words.split()) for lang, words in _TITLES.items()}
_GERMAN_MONTHS = {*MONTHS_DE, *(name for names in MONTHS_DE_VARIANTS.values() for name in names)}

# A candidate boundary: final punctuation, closing quotes or brackets, white space.
_CANDIDATE = re.compile(r"[.!?…]+(?:\s?[»”’)\]]|[\"'])*\s+")
# What may open a sentence: opening quotes, brackets or dashes, then a capital or a digit.
_OPENER = re.compile(r"(?:[«\"“‘'(\[¿¡—–-]\s*)*([^\W_]|\d)")
# Initials (U., J.-C.) and single lower-case letters of abbreviations (z. B., d. h., e. g.).
_INITIALS = re.compile(r"(?:[A-ZÀ-Ý]\.-?)*[A-ZÀ-Ý]|[a-zà-ÿ]")
_ACRONYM = re.compile(r"(?:\w\.)+\w")
_LAST_WORD = re.compile(r"([^\s«\"“‘(\[]+)$")


def _protected(word: str, next_text: str, lang: str) -> bool:
    """Whether a period right after `word` is part of an abbreviation, not a sentence end."""
    abbreviations = _ABBREVIATIONS.get(lang, set()) | _ABBREVIATIONS["en"]
    next_word = next_text.split(maxsplit=1)[0] if next_text.strip() else ""
    if word in abbreviations or _INITIALS.fullmatch(word) or _ACRONYM.fullmatch(word):
        return True
    if word in _BEFORE_NUMBERS and next_word[:1].isdigit():
        return True
    # German writes ordinals with a period: "am 9. September", "im 19. Jahrhundert".
    return lang == "de" and word.isdigit() and (len(word) <= 2 or next_word in _GERMAN_MONTHS)


def _is_boundary(text: str, match: re.Match[str], lang: str) -> bool:
    opener = _OPENER.match(text, match.end())
    if opener is None or not (opener.group(1).isupper() or opener.group(1).isdigit()):
        return False
    punctuation = match.group(0).rstrip().rstrip("»\"”’')] ")
    if punctuation != ".":
        return True
    last_word = _LAST_WORD.search(text, 0, match.start())
    return last_word is None or not _protected(last_word.group(1), text[match.end() :], lang)


def sentence_spans(text: str, lang: str = "fr") -> list[tuple[int, int]]:
    """(start, end) character offsets of the sentences of `text`, without outer white space."""
    spans = []
    start = 0
    for match in _CANDIDATE.finditer(text):
        if _is_boundary(text, match, lang):
            end = match.end() - (len(match.group(0)) - len(match.group(0).rstrip()))
            spans.append((start, end))
            start = match.end()
    spans.append((start, len(text.rstrip())))
    return [
        (s + len(text[s:e]) - len(text[s:e].lstrip()), e) for s, e in spans if text[s:e].strip()
    ]


def split_sentences(text: str, lang: str = "fr") -> list[str]:
    """The sentences of a paragraph, in order. `lang` is "fr", "en" or "de"."""
    return [text[start:end] for start, end in sentence_spans(text, lang)]
