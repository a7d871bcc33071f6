"""What a parsed record holds, told so that a wrong parse shows at a glance: counts of each
kind, calls and their notes, the longest segment, an outline of the headings, and a warning
for a segment far longer than the rest (a note or a quotation that swallowed the text after
it). Pure: no database.
"""

from dataclasses import dataclass, field
from statistics import median

from django.utils.translation import gettext as _

from .base import ParsedRecord, ParsedSegment
from .footnotes import note_targets

# A segment this many times the median length, and at least this long, is suspect.
LONG_FACTOR = 10
LONG_MINIMUM = 5000
MAX_LONG_WARNINGS = 5
MAX_OUTLINE = 80  # headings listed in the preview; a count says how many more
OUTLINE_WIDTH = 80


@dataclass
class RecordSummary:
    headings: int = 0
    paragraphs: int = 0
    footnotes: int = 0
    calls: int = 0
    linked_calls: int = 0
    uncalled_notes: int = 0
    longest_kind: str = ""
    longest_length: int = 0
    longest_start: str = ""
    median_length: int = 0
    outline: list[str] = field(default_factory=list)
    more_headings: int = 0

    @property
    def unmatched_calls(self) -> int:
        return self.calls - self.linked_calls


def summarize(record: ParsedRecord) -> RecordSummary:
    segments = record.segments
    targets = note_targets(segments)
    called = {id(note) for note in targets.values() if note is not None}
    headings = [s for s in segments if s.kind == "heading"]
    summary = RecordSummary(
        headings=len(headings),
        paragraphs=sum(s.kind == "paragraph" for s in segments),
        footnotes=len(record.footnotes),
        calls=len(targets),
        linked_calls=sum(note is not None for note in targets.values()),
        uncalled_notes=sum(id(n) not in called for n in record.footnotes),
        outline=[_outline_line(h) for h in headings[:MAX_OUTLINE]],
        more_headings=max(0, len(headings) - MAX_OUTLINE),
    )
    if segments:
        longest = max(segments, key=lambda s: len(s.text))
        summary.longest_kind = longest.kind
        summary.longest_length = len(longest.text)
        summary.longest_start = longest.text[:OUTLINE_WIDTH]
        summary.median_length = int(median(len(s.text) for s in segments))
    return summary


def _outline_line(heading: ParsedSegment) -> str:
    """ "CHAPTER I. — THE PROFESSOR AND HIS FAMILY", cut to one short line."""
    line = " — ".join(part.strip() for part in heading.text.split("\n") if part.strip())
    return line if len(line) <= OUTLINE_WIDTH else line[: OUTLINE_WIDTH - 1] + "…"


def long_segment_warnings(segments: list[ParsedSegment]) -> list[str]:
    """A warning for each segment far longer than the rest (the five longest at most)."""
    if len(segments) < 2:
        return []
    typical = median(len(s.text) for s in segments)
    limit = max(LONG_FACTOR * typical, LONG_MINIMUM)
    suspects = sorted(
        ((n, s) for n, s in enumerate(segments, start=1) if len(s.text) > limit),
        key=lambda item: -len(item[1].text),
    )
    return [
        _(
            "Segment %(number)s (%(kind)s, “%(start)s…”) is %(length)s characters long, far "
            "more than the others (median %(median)s): check that it did not swallow the text "
            "after it."
        )
        % {
            "number": number,
            "kind": segment.kind,
            "start": segment.text[:40],
            "length": len(segment.text),
            "median": int(typical),
        }
        for number, segment in suspects[:MAX_LONG_WARNINGS]
    ]
