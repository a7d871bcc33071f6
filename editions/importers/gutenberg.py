"""Project Gutenberg's wrapping: the header before the book, the footer and licence after it.

A Gutenberg file opens with the eBook's particulars ("Title:", "Author:", "Translator:",
"Language:") and a "*** START OF THE PROJECT GUTENBERG EBOOK ... ***" line, and closes with
"*** END OF ..." (older files: "End of the Project Gutenberg EBook of ...") and the licence.
None of it is the book's text: it is left out, its particulars kept as metadata, and the
preview says what was left out.
"""

import re

from django.utils.translation import gettext as _

_START = re.compile(
    r"^\s*(?:\*{3}\s*START OF (?:THE|THIS) PROJECT GUTENBERG E-?BOOK\b"
    r"|\*END\*\s*THE SMALL PRINT!).*$",  # the oldest files end their licence header so
    re.I | re.M,
)
_END = re.compile(
    r"^\s*(?:\*{3}\s*END OF (?:THE|THIS) PROJECT GUTENBERG E-?BOOK\b"
    r"|End of (?:the )?Project Gutenberg(?:'s)?\b).*$",
    re.I | re.M,
)
_FIELD = re.compile(r"^(title|author|translator|language)\s*:\s*(\S.*)$", re.I | re.M)
# Transcribers' credits that open the text after the START line.
_CREDITS = re.compile(
    r"^\s*(?:Produced by|This (?:e-?book|etext) was (?:produced|prepared)|E-?text prepared by|"
    r"Transcribed from)\b",
    re.I,
)


def strip_gutenberg(text: str, notices: list[str]) -> tuple[str, dict[str, str]]:
    """The book's text without Gutenberg's header and footer, and the header's fields.

    ``notices`` gets a sentence saying what was left out. A text without the START line is
    returned as it is: its header (if any) cannot be told from the book with certainty.
    """
    start = _START.search(text)
    if start is None:
        return text, {}
    header = text[: start.start()]
    fields = {m[1].lower(): m[2].strip() for m in _FIELD.finditer(header)}
    rest = text[start.end() :]
    end = _END.search(rest)
    footer = rest[end.start() :] if end else ""
    book = _without_credits(rest[: end.start()] if end else rest)
    notices.append(
        _(
            "Project Gutenberg file: its header (%(header)s lines) and its footer and licence "
            "(%(footer)s lines) were left out; only the book is imported."
        )
        % {"header": header.count("\n") + 1, "footer": footer.count("\n") + (1 if footer else 0)}
    )
    return book, fields


def _without_credits(book: str) -> str:
    """The book without the "Produced by ..." paragraph that Gutenberg puts before it."""
    stripped = book.lstrip("\n")
    first, blank, after = stripped.partition("\n\n")
    if _CREDITS.match(first):
        return after
    return book
