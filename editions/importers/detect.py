"""Which format a record is, decided by its structure.

A CVCE record has a title line followed by "Caption:", "Source:", "Copyright:", "URL:" and
"Last updated:" fields and ``www.cvce.eu`` page furniture. A Wilson Center Digital Archive
record has Markdown field blocks ("**Citation:**", "**Summary:**", "**Credits:**",
"**Original Language:**", "**Contents:**"). Anything else with paragraphs is plain text or
Markdown. Each clue counts once; two are needed, so one stray "Source:" line in a plain text
does not make it a CVCE record.
"""

import re

from django.utils.translation import gettext as _

from .base import RecordError

# Labels start their line and are followed by their value on the same line.
CVCE_LABELS = ("caption", "source", "copyright", "url", "last updated")
_CVCE_LABEL = re.compile(r"^(caption|source|copyright|url|last updated)\s*:", re.I | re.M)
_CVCE_FURNITURE = re.compile(r"^\s*(?:https?://)?(?:www\.)?cvce\.eu/?\s*$", re.I | re.M)
# Labels stand alone on their line (bold in the Markdown export); the value follows.
WILSON_LABELS = ("citation", "summary", "credits", "original language", "contents")
_WILSON_LABEL = re.compile(
    r"^\s*(?:\*\*|__)?\s*(citation|summary|credits|original language|contents)\s*:"
    r"\s*(?:\*\*|__)?\s*$",
    re.I | re.M,
)
_WILSON_FURNITURE = re.compile(
    r"digitalarchive\.(?:wilsoncenter\.org|umd\.edu)|Wilson Center", re.I
)
# Only the head of a record holds its fields; a long text quoting "Source:" further on stays text.
HEAD_LINES = 60
MIN_CLUES = 2


def detect_format(text: str) -> str:
    """ "cvce", "wilson" or "text"; RecordError when there is nothing like a paragraph."""
    _require_paragraphs(text)
    head = "\n".join(text.split("\n")[:HEAD_LINES])
    cvce = len({m.lower() for m in _CVCE_LABEL.findall(head)}) + bool(_CVCE_FURNITURE.search(text))
    wilson = len({m.lower() for m in _WILSON_LABEL.findall(head)}) + bool(
        _WILSON_FURNITURE.search(head)
    )
    if max(cvce, wilson) < MIN_CLUES:
        return "text"
    return "cvce" if cvce > wilson else "wilson"


def _require_paragraphs(text: str) -> None:
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    words = re.findall(r"[^\W\d_]+", text)
    if not words:
        raise RecordError(
            _("No paragraphs found: the text has no letters at all (is it really a record?).")
        )
    if len(lines) == 1 and len(words) < 3:
        raise RecordError(
            _("No paragraphs found: the text is a single short line (“%(line)s”).")
            % {"line": lines[0][:60]}
        )
