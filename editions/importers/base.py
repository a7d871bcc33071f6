"""What every importer returns, and the error it raises on input it cannot use.

Parsers are pure: bytes or text in, a ``ParsedRecord`` out, no database access. Saving a
record is ``editions.importers.store.save_record``; the browser shows the ``ParsedRecord`` as
a preview before anything is saved.
"""

from dataclasses import dataclass, field
from typing import Any

# Document fields a parser may fill (names of editions.models.Document fields).
DOCUMENT_FIELDS = (
    "title",
    "date",  # datetime.date
    "time",  # datetime.time
    "author",
    "recipient",
    "place",
    "classification",  # "Priority, Secret, Limited circulation"
    "reference_numbers",  # "T. Nos 5983 to 5985"
    "received_note",  # "Received: 27 October. 2.20 a.m."
    "source_series",
    "source_volume",
    "source_pages",
    "source_publication",
    "summary",
)

# Witness fields a parser may fill (names of editions.models.Witness fields).
WITNESS_FIELDS = (
    "label",
    "language",  # BCP 47: "en", "fr"
    "role",  # "original" | "translation" | "revision"
    "translator",
    "publisher",
    "title_as_published",
    "caption",
    "citation",
    "source_url",
    "copyright_line",
    "rights",
    "credits",
    "original_language",
    "last_updated",  # datetime.date
)


class RecordError(ValueError):
    """Input that cannot be imported. The message is shown to the user as it is."""


@dataclass
class ParsedNoteRef:
    """A footnote marker removed from a segment's text: its label and where it stood."""

    label: str
    offset: int  # in code points of the segment's (marker-free) text
    # The footnote this marker calls, once ``body.link_notes`` has looked (``linked``): None
    # then means no definition matches it. Unlooked refs are linked by label when saved.
    note: "ParsedSegment | None" = field(default=None, compare=False, repr=False)
    linked: bool = field(default=False, compare=False, repr=False)
    kind: str = field(default="", compare=False, repr=False)  # "square", "superscript"...


@dataclass
class ParsedSegment:
    kind: str  # "heading" | "paragraph" | "footnote"
    text: str
    label: str = ""  # a footnote's own number as printed ("1")
    refs: list[ParsedNoteRef] = field(default_factory=list)


@dataclass
class ParsedRecord:
    format: str  # "cvce" | "wilson" | "text"
    document: dict[str, Any] = field(default_factory=dict)
    witness: dict[str, Any] = field(default_factory=dict)
    segments: list[ParsedSegment] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # What the parser left out on purpose and says so (not a problem: a Gutenberg licence).
    notices: list[str] = field(default_factory=list)

    @property
    def footnotes(self) -> list[ParsedSegment]:
        return [s for s in self.segments if s.kind == "footnote"]

    @property
    def body(self) -> list[ParsedSegment]:
        return [s for s in self.segments if s.kind != "footnote"]
