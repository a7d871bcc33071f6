"""What every exporter reads: a document with its texts, alignments and annotations.

One loader, so that every format shows the same annotations in the same order: the
edition-wide ones (private notes are their author's, never published), numbered in reading
order. ``pieces`` cuts a segment's text where annotations start and end and where footnote
markers stand; the HTML and DOCX writers render those pieces.
"""

import re
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Prefetch

from ..importers.metadata import RECEIVED_WORD
from ..models import (
    Alignment,
    Annotation,
    AnnotationTarget,
    Category,
    Document,
    Edition,
    FootnoteRef,
    Reply,
    Role,
    Segment,
    SegmentKind,
    Visibility,
    Witness,
)
from ..synopsis import Synopsis, build_synopsis

TOOL = "Translation workbench"

# Told (done, total) as a writer goes through a long file's steps: rows, parts, texts.
Progress = Callable[[int, int], None]


def _tool_version() -> str:
    try:
        return version("translation-workbench")
    except PackageNotFoundError:  # run from a checkout that was not installed
        pyproject = Path(settings.BASE_DIR) / "pyproject.toml"
        return tomllib.loads(pyproject.read_text())["project"]["version"]


TOOL_VERSION = _tool_version()


@dataclass
class DocumentExport:
    document: Document
    witnesses: list[Witness]  # original first; segments and footnote links prefetched
    alignments: list[Alignment]
    synopsis: Synopsis | None
    annotations: list[Annotation]  # in note-number order
    base_url: str
    number: dict[int, int] = field(default_factory=dict)  # annotation pk -> note number
    _targets: dict[int, list[AnnotationTarget]] = field(default_factory=dict)

    @property
    def edition(self) -> Edition:
        return self.document.edition

    def targets_on(self, segment: Segment) -> list[AnnotationTarget]:
        """The anchored targets on a segment (orphans have no place in the text)."""
        return self._targets.get(segment.pk, [])

    def categories(self) -> list[Category]:
        """The categories the annotations use, in the edition's order."""
        used = {a.category_id for a in self.annotations if a.category_id}
        return [c for c in self.edition.categories.all() if c.pk in used]

    def editors(self) -> list[str]:
        """Who edits the edition (owners and editors), by name."""
        users = (
            get_user_model()
            .objects.filter(
                memberships__edition=self.edition,
                memberships__role__in=[Role.OWNER, Role.EDITOR],
            )
            .order_by("username")
        )
        return [person_name(u) for u in users]

    def body_segments(self, witness: Witness) -> list[Segment]:
        return [s for s in witness.segments.all() if s.kind != SegmentKind.FOOTNOTE]

    def footnotes(self, witness: Witness) -> list[Segment]:
        return [s for s in witness.segments.all() if s.kind == SegmentKind.FOOTNOTE]

    def layout_rows(self) -> list[list[list[Segment]]]:
        """Rows of cells, one cell per witness column: the synopsis, or each text whole."""
        if self.synopsis is None:
            return [[self.body_segments(w) for w in self.witnesses]] if self.witnesses else []
        return [row.cells for row in self.synopsis.rows]

    def columns(self) -> list[Witness]:
        return self.synopsis.columns if self.synopsis else self.witnesses


# "Received: 27 October": the note names itself; its label is not printed again beside it.
_RECEIVED_LABEL = re.compile(rf"^\(?\s*{RECEIVED_WORD}\s*:?\s*", re.I)


def received_text(document: Document) -> str:
    return _RECEIVED_LABEL.sub("", document.received_note)


def person_name(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def load(document: Document, base_url: str) -> DocumentExport:
    witnesses = _witnesses(document)
    alignments = list(
        document.alignments.select_related("source", "target")
        .prefetch_related("rows")
        .order_by("pk")
    )
    synopsis = build_synopsis(witnesses, alignments)
    annotations = list(
        Annotation.objects.filter(document=document, visibility=Visibility.EDITION)
        .select_related("category", "author", "edition", "document")
        .prefetch_related(
            Prefetch(
                "targets",
                AnnotationTarget.objects.select_related("segment__witness__document__edition"),
            ),
            Prefetch("replies", Reply.objects.select_related("author")),
        )
        .order_by("pk")
    )
    export = DocumentExport(document, witnesses, alignments, synopsis, annotations, base_url)
    _number(export)
    return export


def _witnesses(document: Document) -> list[Witness]:
    refs = FootnoteRef.objects.select_related("note", "note__witness").order_by("offset", "pk")
    segments = Segment.objects.select_related("witness").prefetch_related(
        Prefetch("footnote_refs", queryset=refs)
    )
    witnesses = document.witnesses.select_related("revision_of").prefetch_related(
        Prefetch("segments", queryset=segments.order_by("position"))
    )
    return sorted(witnesses, key=lambda w: (w.role != "original", w.pk))


def _number(export: DocumentExport) -> None:
    """Number the annotations in reading order: row by row, column by column."""
    place: dict[int, tuple] = {}
    rows = export.layout_rows()
    for r, cells in enumerate(rows):
        for c, cell in enumerate(cells):
            for segment in cell:
                place[segment.pk] = (r, c, segment.position)
    # Witnesses outside the synopsis, then footnotes, come after the facing text.
    for c, witness in enumerate(export.witnesses):
        for segment in witness.segments.all():
            place.setdefault(segment.pk, (len(rows) + c, 0, segment.position))

    def first_place(annotation: Annotation) -> tuple:
        anchored = [
            (*place[t.segment_id], t.start) for t in annotation.targets.all() if t.start is not None
        ]
        return (0, min(anchored), annotation.pk) if anchored else (1, (), annotation.pk)

    export.annotations.sort(key=first_place)
    for n, annotation in enumerate(export.annotations, start=1):
        export.number[annotation.pk] = n
        for target in annotation.targets.all():
            if target.start is not None:
                export._targets.setdefault(target.segment_id, []).append(target)


@dataclass
class Piece:
    """A stretch of a segment's text, or a point in it (a footnote marker, a note number)."""

    text: str = ""
    covering: tuple[AnnotationTarget, ...] = ()  # the annotated spans over this stretch
    ref: FootnoteRef | None = None
    ends: tuple[AnnotationTarget, ...] = ()  # spans ending here (their note numbers go here)


def pieces(segment: Segment, targets: Iterable[AnnotationTarget]) -> list[Piece]:
    text = segment.text
    # The placed spans, with their bounds (an orphan has none).
    spans = [(t, t.start, t.end) for t in targets if t.start is not None and t.end is not None]
    refs = sorted(segment.footnote_refs.all(), key=lambda r: (r.offset, r.pk))
    cuts = {0, len(text)} | {min(r.offset, len(text)) for r in refs}
    cuts |= {min(p, len(text)) for _t, start, end in spans for p in (start, end)}
    points = sorted(cuts)
    out: list[Piece] = []
    for n, here in enumerate(points):
        ending = tuple(t for t, start, end in spans if min(end, len(text)) == here and start < here)
        if ending:
            out.append(Piece(ends=ending))
        out.extend(Piece(ref=r) for r in refs if min(r.offset, len(text)) == here)
        if n + 1 < len(points):
            nxt = points[n + 1]
            covering = tuple(t for t, start, end in spans if start <= here < end)
            out.append(Piece(text=text[here:nxt], covering=covering))
    return out
