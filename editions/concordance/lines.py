"""A concordance line and its renderings; the phrase's hits among the words the index
marked; sorting the lines and counting the renderings per translator."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from .. import search
from ..counterparts import Located
from ..models import Document, Witness, anchor_id
from ..text import WORD, fold

CONTEXT = 70  # characters of context on each side of a hit
SORTS = ("date", "left", "right", "translator")


@dataclass
class Rendering:
    """One other witness's aligned text for a line: the row, and what was located in it."""

    witness: Witness
    sids: list[str] = field(default_factory=list)
    text: str = ""
    located: Located | None = None

    @property
    def aligned(self) -> bool:
        return bool(self.sids)

    @property
    def words(self) -> str:
        if self.located is None or self.located.words is None:
            return ""
        start, end = self.located.words
        return " ".join(self.text[start:end].split())

    @property
    def sentence(self) -> str:
        if self.located is None or self.located.sentence is None:
            return self.text
        start, end = self.located.sentence
        return self.text[start:end]

    @property
    def marked_sentence(self) -> str:
        """The counterpart sentence with the rendering between ``search`` marks."""
        if self.located is None:
            return self.text
        start, end = self.located.sentence or (0, len(self.text))
        if self.located.words is None:
            return self.text[start:end]
        w0, w1 = self.located.words
        text = self.text
        return text[start:w0] + search.MARK_START + text[w0:w1] + search.MARK_END + text[w1:end]

    @property
    def anchor(self) -> str:
        return f"{self.witness.slug}-{self.sids[0]}" if self.sids else ""


@dataclass
class Line:
    document: Document
    witness: Witness
    sid: str
    text: str
    start: int
    end: int
    renderings: list[Rendering] = field(default_factory=list)

    @property
    def keyword(self) -> str:
        return self.text[self.start : self.end]

    @property
    def left(self) -> str:
        cut = max(0, self.start - CONTEXT)
        left = self.text[cut : self.start]
        if cut > 0:
            left = "…" + left.split(" ", 1)[-1] if " " in left else "…" + left
        return " ".join(left.split("\n"))

    @property
    def right(self) -> str:
        cut = min(len(self.text), self.end + CONTEXT)
        right = self.text[self.end : cut]
        if cut < len(self.text):
            right = right.rsplit(" ", 1)[0] + "…" if " " in right else right + "…"
        return " ".join(right.split("\n"))

    @property
    def anchor(self) -> str:
        return anchor_id(self.witness.slug, self.sid)

    @property
    def url(self) -> str:
        return self.document.passage_url(self.anchor)

    @property
    def translator(self) -> str:
        return self.witness.translator or self.witness.label


_MARKED = re.compile(f"{search.MARK_START}([^{search.MARK_END}]*){search.MARK_END}")


def marked_spans(marked: str) -> list[tuple[int, int]]:
    """Offsets, in the unmarked text, of the spans between marks."""
    spans, removed = [], 0
    for match in _MARKED.finditer(marked):
        start = match.start() - removed
        spans.append((start, start + len(match.group(1))))
        removed += 2
    return spans


def phrase_hits(
    text: str, marked: str, phrase: str, lexemes: Sequence[bool]
) -> list[tuple[int, int]]:
    """Runs of the text's words that realise the phrase: one word per word of the phrase.

    A word the index keeps must be marked and be like the phrase's word (the index marks
    every word matching *any* of the phrase's words); a stop word it drops may be any word.
    """
    typed = [fold(w) for w in WORD.findall(phrase)]
    if not typed or not any(lexemes):
        return []
    if len(typed) == 1:  # one word: the marks are the hits
        spans = marked_spans(marked)
        return [(a, b) for a, b in spans if _alike(fold(text[a:b]), typed[0])]
    words = [(m.start(), m.end(), fold(m.group())) for m in WORD.finditer(text)]
    is_marked = _marked_words(words, marked_spans(marked))
    hits, k = [], 0
    while k + len(typed) <= len(words):
        if all(
            not keep or (is_marked[k + n] and _alike(words[k + n][2], typed[n]))
            for n, keep in enumerate(lexemes)
        ):
            hits.append((words[k][0], words[k + len(typed) - 1][1]))
            k += len(typed)
        else:
            k += 1
    return hits


def _marked_words(words: list[tuple[int, int, str]], spans: list[tuple[int, int]]) -> list[bool]:
    """For each word, whether it lies inside a marked span (both lists in text order)."""
    flags, s = [], 0
    for start, end, _word in words:
        while s < len(spans) and spans[s][1] <= start:
            s += 1
        flags.append(s < len(spans) and spans[s][0] <= start and end <= spans[s][1])
    return flags


def _alike(word: str, typed: str) -> bool:
    """Whether the index may have matched ``word`` for ``typed``: the same word, or both
    beginning alike (a stem of a long word is never short)."""
    if len(typed) < search.MIN_PREFIX or len(word) < search.MIN_PREFIX:
        return word.rstrip("sx") == typed.rstrip("sx")
    return word[:4] == typed[:4]


def _words_key(text: str) -> tuple[str, ...]:
    return tuple(fold(w) for w in WORD.findall(text))


def sort_lines(lines: list[Line], how: str) -> list[Line]:
    # Sorting is stable: lines of one document keep their text order, as they were read.
    def by_date(line: Line) -> tuple:
        document = line.document
        return (document.date is None, document.date or "", document.title, document.pk or 0)

    keys = {
        "date": by_date,
        "left": lambda ln: (_words_key(ln.left)[::-1], by_date(ln)),
        "right": lambda ln: (_words_key(ln.right), by_date(ln)),
        "translator": lambda ln: (fold(ln.translator), by_date(ln)),
    }
    return sorted(lines, key=keys.get(how, by_date))


def counts(lines: Sequence[Line]) -> list[tuple[str, list[tuple[str, int, bool]], int]]:
    """Per translator of the renderings: (rendering, count, approximate), and how many lines
    had no rendering located. Renderings are compared in lower case."""
    found: dict[str, Counter] = defaultdict(Counter)
    approximate: dict[str, set[str]] = defaultdict(set)
    unlocated: Counter = Counter()
    for line in lines:
        for rendering in line.renderings:
            translator = rendering.witness.translator or rendering.witness.label
            words = rendering.words.lower()
            if not words:
                unlocated[translator] += rendering.aligned
                continue
            found[translator][words] += 1
            if rendering.located and rendering.located.approximate:
                approximate[translator].add(words)
    names = sorted(set(found) | {t for t, n in unlocated.items() if n}, key=fold)
    return [
        (
            name,
            [(words, n, words in approximate[name]) for words, n in found[name].most_common()],
            unlocated[name],
        )
        for name in names
    ]
