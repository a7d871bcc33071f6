"""Headings in a record's blocks: Markdown headings and rules, and chapter headings as books
print them (a numeral alone on a line, ``CHAPTER 1``, ``Chapter IV.``, ``CHAPITRE PREMIER``,
spelled-out numbers, a title line under any of these)."""

import re

from .blocks import ATX, Block, block_text, clean_inline, join_lines, strip_quote

_SETEXT_UNDERLINE = re.compile(r"^\s{0,3}(?:=+|-{2,})\s*$")
_RULE = re.compile(r"^\s{0,3}([-*_])(?:\s*\1){2,}\s*$")


def is_rule(block: Block) -> bool:
    return len(block) == 1 and bool(_RULE.match(block[0]))


def heading_text(block: Block) -> str | None:
    """The text of a Markdown heading block ("### I. Origins", or a setext heading)."""
    if len(block) == 1 and (match := ATX.match(block[0])):
        return clean_inline(match[2])
    if len(block) >= 2 and _SETEXT_UNDERLINE.match(block[-1]):
        return clean_inline(join_lines(block[:-1], hard_break="\n"))
    return None


# Chapter and section headings as books print them: "CHAPTER I.", "Chapitre premier",
# "BOOK TWO", "XXIV", "12", "II. The Unfolding of the Crisis".
_DIVISION_WORDS = (
    r"chapter|chapitre|chap\.|book|livre|part|partie|section|canto|chant|tome|volume|"
    r"kapitel|capítulo|capitulo|capitolo|hoofdstuk"
)
# A well-formed roman numeral (not empty): "XXIV", never "CIVIL".
_ROMAN = r"(?=[IVXLCDM])M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})\b"
_NUMBER_WORDS = frozenset(
    re.findall(
        r"\S+",
        "one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
        "fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy "
        "eighty ninety hundred first second third fourth fifth sixth seventh eighth ninth "
        "tenth eleventh twelfth last un une deux trois quatre cinq six sept huit neuf dix onze "
        "douze treize quatorze quinze seize vingt trente quarante cinquante soixante cent "
        "premier première premiere second seconde dernier dernière",
    )
)
_DIVISION = re.compile(
    rf"^(?P<word>{_DIVISION_WORDS})\s+(?P<number>{_ROMAN}|\d{{1,4}}|[^\W\d_]+(?:-[^\W\d_]+)*)"
    r"\s*[.:]?(?:\s*[.:—–-]\s*(?P<title>\S.{0,99}))?$",
    re.I,
)
_BARE_NUMBER = re.compile(rf"^(?:{_ROMAN}|\d{{1,3}})\s*\.?$")
_ROMAN_TITLE = re.compile(rf"^{_ROMAN}\.\s+(?P<title>[^\W\d_].{{0,99}})$")
_SINGLE_DIVISIONS = re.compile(
    r"^(?:PROLOGUE|ÉPILOGUE|EPILOGUE|PRÉFACE|PREFACE|INTRODUCTION|CONCLUSION|AVANT-PROPOS)\.?$"
)
MAX_TITLE_LINE = 120


def _is_number_word(word: str) -> bool:
    parts = word.lower().split("-")
    return all(p in _NUMBER_WORDS or p.endswith(("ième", "ieme", "th")) for p in parts)


def chapter_heading(block: Block) -> str | None:
    """The text of a book's chapter or section heading: one short line standing alone (or
    with its title on the next line of the same block), or None."""
    if len(block) > 2 or any(len(line.strip()) > MAX_TITLE_LINE for line in block):
        return None
    first = clean_inline(strip_quote(block[0]))
    if not (_is_division_line(first) or (len(block) == 1 and _is_titled_roman(first))):
        return None
    if len(block) == 2:
        if not _bare_chapter_number(block[:1]) or not is_title_line(block[1:]):
            return None
        return f"{first}\n{block_text(block[1:])}"
    return first


def _is_division_line(line: str) -> bool:
    if _BARE_NUMBER.match(line) or _SINGLE_DIVISIONS.match(line):
        return True
    match = _DIVISION.match(line)
    if match is None:
        return False
    number = match["number"]
    return bool(re.fullmatch(rf"{_ROMAN}|\d+", number, re.I)) or _is_number_word(number)


def _is_titled_roman(line: str) -> bool:
    """ "II. The Unfolding of the Crisis": a numbered section heading, not a sentence."""
    match = _ROMAN_TITLE.match(line)
    return match is not None and not re.search(r"[.;,:]$", line) and match["title"][0].isupper()


def _bare_chapter_number(block: Block) -> bool:
    """A heading that is only a number ("XXIV", "CHAPTER 1"): a title line may follow it."""
    if len(block) != 1:
        return False
    line = clean_inline(strip_quote(block[0]))
    match = _DIVISION.match(line)
    return bool(_BARE_NUMBER.match(line) or (match and not match["title"]))


def is_title_line(block: Block) -> bool:
    """A chapter's title under its number: short, not dialogue, and either in capitals or
    without a sentence's final stop ("First Lessons in Climbing", "LOST!")."""
    text = block_text(block)
    if len(block) > 2 or not 0 < len(text) <= MAX_TITLE_LINE or len(text.split()) > 16:
        return False
    if not text[0].isalnum() or _is_division_line(text):
        return False
    letters = [c for c in text if c.isalpha()]
    capitals = bool(letters) and all(c.isupper() for c in letters)
    return capitals or (text[0].isupper() and not re.search(r"[.,;:!?»”\"…]$", text))


def division_number(heading: str) -> str:
    """ "I" for "CHAPTER I. The Professor", "CHAPTER I.\nTHE PROFESSOR" or "I."."""
    line = heading.split("\n", 1)[0].strip()
    if match := _DIVISION.match(line):
        return match["number"].upper()
    return re.split(r"[.\s]", line, maxsplit=1)[0].upper()


def heading_at(body: list[Block], i: int) -> tuple[str | None, int]:
    """The heading that ``body[i]`` is (a chapter's title line taken with it), and the index
    of the block after it."""
    block = body[i]
    heading = heading_text(block)
    if heading is None and (heading := chapter_heading(block)) is not None:
        titled = i + 1 < len(body) and _bare_chapter_number(block) and is_title_line(body[i + 1])
        if titled:
            return f"{heading}\n{block_text(body[i + 1])}", i + 2  # "CHAPTER I." + its title
    return heading, i + 1
