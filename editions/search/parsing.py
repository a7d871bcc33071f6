"""Reading what the user typed: the query parser, spelling equivalents and the French stem.

Free of Django and of any database: the back-ends turn its clauses into their own syntax.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from ..text import WORD, fold, primary_language, strip_accents


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
        if typed is None:  # never: the pattern's two alternatives are a phrase and a word
            continue
        words = WORD.findall(typed)
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
            others = spellings.setdefault(_key(WORD.findall(spelling)), [])
            others.extend(s for s in group if s not in others)
    expanded: list[Clause] = []
    for clause in clauses:
        spelled = spellings.get(_key(clause.words))
        if not spelled:
            expanded.append(clause)
            continue
        for n, spelling in enumerate(spelled):
            last = n == len(spelled) - 1
            or_next = clause.or_next if last or clause.negated else True
            words = WORD.findall(spelling)
            expanded.append(Clause(words, clause.negated, or_next, spelling))
    return expanded


def added_spellings(text: str, groups: Sequence[Sequence[str]]) -> list[str]:
    """The spellings that ``expand`` adds to what was typed: the page names them."""
    typed = parse_query(text)
    asked = {_key(clause.words) for clause in typed}
    added = [c.phrase for c in expand(typed, groups) if _key(c.words) not in asked]
    return list(dict.fromkeys(added))


@lru_cache(maxsize=65536)
def fts5_fold(word: str) -> str:
    """A query word for SQLite's FTS5 tables: lower case, without accents, *œ* and *æ* opened.

    Not ``text.fold``: FTS5's ``unicode61 remove_diacritics 2`` keeps *ß*, *ø* and the
    ligatures in the words it indexes, so a query word must not open *ß* or *ø*. (It keeps
    *œ* and *æ* too, which this opens: the SQLite back-end asks for both spellings, see
    ``sqlite._fts_phrase``; PostgreSQL's ``unaccent`` opens them in the index.)
    """
    return strip_accents(word.replace("œ", "oe").replace("æ", "ae")).lower()


def french_prefix(word: str) -> str:
    """A light French stem, for a prefix query: plural and feminine endings go.

    FTS5 has no French stemmer; *négociations* -> ``negociation`` finds *négociation* and
    *négociations*, *soulignée* -> ``soulign`` finds *souligné*, *soulignées*, *soulignent*.
    """
    stem = fts5_fold(word)
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


def phrase_query(text: str) -> list[Clause]:
    """A concordance query: the whole input is one phrase (quotes and operators are words)."""
    words = WORD.findall(text)
    return [Clause(words)] if words else []


def lang_of(language: str) -> str:
    """The index's language of a witness language tag (see ``wb_search_lang``)."""
    base = primary_language(language)
    return base if base in ("fr", "en") else "simple"
