"""Importing exchange files (TEI, TMX): a whole document with several witnesses at once.

The record importers (``parse_record``/``save_record``) read one text into one witness.
A TEI file exported by the workbench carries a document with all its witnesses, their
alignments and annotations; a translation memory carries aligned texts. Both parse into an
``ExchangeDocument`` (no database access), which ``save_exchange`` creates in an edition,
all or nothing.
"""

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from ..alignment.rows import Row, RowError, check_complete
from ..alignment_store import snapshot, stored_row
from ..anchoring import build_selectors
from ..markup import mentioned, render_markdown
from ..models import (
    Alignment,
    AlignmentChange,
    AlignmentRow,
    Annotation,
    AnnotationTarget,
    Category,
    Document,
    Edition,
    FootnoteRef,
    Reply,
    Segment,
    SegmentKind,
    Status,
    Visibility,
    Witness,
    WitnessRole,
)
from .base import DOCUMENT_FIELDS, WITNESS_FIELDS, RecordError
from .safexml import parse_xml
from .store import _first_free, _unique_document_slug, _validate


@dataclass
class NoteCall:
    label: str
    offset: int
    note_sid: str


@dataclass
class ExchangeSegment:
    sid: str
    kind: str
    text: str
    label: str = ""
    calls: list[NoteCall] = field(default_factory=list)
    # Notes standing inline in the element (TEI): (offset in the text, length of the note's
    # text), to read string-range() offsets, which count them, as offsets in the text.
    inline_notes: list[tuple[int, int]] = field(default_factory=list)

    def text_offset(self, string_offset: int) -> int:
        """An offset in the element's string value as an offset in the segment's text."""
        hidden = 0
        for offset, length in self.inline_notes:
            note_start = offset + hidden
            if string_offset >= note_start + length:
                hidden += length
            elif string_offset > note_start:
                return offset  # inside the note: where it is called
            else:
                break
        return string_offset - hidden


_SERIAL = re.compile(r"(\d+)$")


@dataclass
class ExchangeWitness:
    slug: str
    values: dict[str, Any]  # Witness fields (WITNESS_FIELDS, plus "retrieved")
    segments: list[ExchangeSegment] = field(default_factory=list)
    revision_of: str = ""  # the slug of the witness this one revises

    # What the segments read so far hold: their sids and their highest serial. Parsers append
    # a segment per unit and ask for the next serial each time; rescanning every segment on
    # each call made a 20,000-unit TMX take minutes. Segments still without a sid (a TEI
    # parser assigns them last) are read again on the next call.
    _read: int = field(default=0, repr=False, compare=False)
    _sids: set[str] = field(default_factory=set, repr=False, compare=False)
    _top: int = field(default=0, repr=False, compare=False)

    def _catch_up(self) -> None:
        if self._read > len(self.segments):  # the list was replaced: read it again
            self._read, self._sids, self._top = 0, set(), 0
        for segment in self.segments[self._read :]:
            if not segment.sid:
                return
            self._sids.add(segment.sid)
            if match := _SERIAL.search(segment.sid):
                self._top = max(self._top, int(match[1]))
            self._read += 1

    def next_serial(self) -> int:
        self._catch_up()
        # Past a segment without a sid, the rest is read each time (a TEI parser calls once).
        rest = self.segments[self._read :]
        serials = [int(m[1]) for s in rest if (m := _SERIAL.search(s.sid))]
        return max([self._top, *serials]) + 1

    def has_segment(self, sid: str) -> bool:
        self._catch_up()
        return sid in self._sids or any(s.sid == sid for s in self.segments[self._read :])


@dataclass
class ExchangeAlignment:
    source: str  # witness slugs
    target: str
    rows: list[Row] = field(default_factory=list)


@dataclass
class ExchangeTarget:
    witness: str
    sid: str
    start: int | None  # None: an orphan, kept with its quote
    end: int | None
    quote: str = ""


@dataclass
class ExchangeReply:
    author: str
    body: str
    created: datetime | None


@dataclass
class ExchangeAnnotation:
    targets: list[ExchangeTarget]
    body: str = ""
    motivation: str = "commenting"
    category: str = ""  # slug
    tags: list[str] = field(default_factory=list)
    author: str = ""  # username
    status: str = Status.OPEN
    created: datetime | None = None
    modified: datetime | None = None
    replies: list[ExchangeReply] = field(default_factory=list)


@dataclass
class ExchangeDocument:
    format: str
    document: dict[str, Any] = field(default_factory=dict)
    edition_title: str = ""  # the edition it was exported from, if the file says
    witnesses: list[ExchangeWitness] = field(default_factory=list)
    alignments: list[ExchangeAlignment] = field(default_factory=list)
    categories: dict[str, tuple[str, str]] = field(default_factory=dict)  # slug -> name, colour
    annotations: list[ExchangeAnnotation] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def parse_exchange(data: bytes, filename: str = "") -> ExchangeDocument:
    # Imported here: both parsers build this module's dataclasses.
    from .tei import parse_tei
    from .tmx import parse_tmx

    root = parse_xml(data)
    name = etree_local_name(root.tag)
    if name == "TEI":
        return parse_tei(root)
    if name == "tmx":
        return parse_tmx(root, filename)
    if name == "teiCorpus":
        raise RecordError(
            _("This is a TEI corpus of several documents: import each document's TEI file.")
        )
    raise RecordError(
        _("The XML file is neither TEI nor TMX (its root element is <%(name)s>).") % {"name": name}
    )


def etree_local_name(tag: str) -> str:
    return tag.rpartition("}")[2]


def import_exchange(
    data: bytes, *, edition: Edition, user, filename: str = ""
) -> tuple[Document, list[str]]:
    """Save a TEI or TMX file as a new document of ``edition``: the document, and warnings."""
    parsed = parse_exchange(data, filename)
    document = save_exchange(parsed, edition=edition, user=user, filename=filename)
    return document, parsed.warnings


@transaction.atomic
def save_exchange(
    parsed: ExchangeDocument, *, edition: Edition, user, filename: str = ""
) -> Document:
    if not parsed.witnesses:
        raise RecordError(_("The file holds no text to import."))
    document = _document(parsed, edition)
    witnesses = {w.slug: _witness(w, document, parsed.format, filename) for w in parsed.witnesses}
    for parsed_witness in parsed.witnesses:
        if parsed_witness.revision_of in witnesses:
            witness = witnesses[parsed_witness.slug]
            witness.revision_of = witnesses[parsed_witness.revision_of]
            witness.save(update_fields=["revision_of"])
    # Witness slug (as in the file) -> sid -> Segment.
    segments = {w.slug: _segments(w, witnesses[w.slug]) for w in parsed.witnesses}
    for alignment in parsed.alignments:
        _alignment(alignment, document, witnesses, user)
    categories = _categories(parsed, edition)
    for annotation in parsed.annotations:
        _annotation(annotation, document, segments, categories)
    _warn_unknown_authors(parsed)
    return document


def _warn_unknown_authors(parsed: ExchangeDocument) -> None:
    named = {a.author for a in parsed.annotations} | {
        r.author for a in parsed.annotations for r in a.replies
    }
    known = set(
        get_user_model().objects.filter(username__in=named).values_list("username", flat=True)
    )
    unknown = sorted(named - known - {""})
    if unknown:
        parsed.warnings.append(
            _(
                "No account here is called %(names)s: their annotations and replies were "
                "imported without an author."
            )
            % {"names": ", ".join(unknown)}
        )


def _document(parsed: ExchangeDocument, edition: Edition) -> Document:
    fields = {k: v for k, v in parsed.document.items() if k in DOCUMENT_FIELDS and v}
    fields["title"] = (fields.get("title") or _("Imported document"))[
        : Document._meta.get_field("title").max_length
    ]
    document = Document(
        edition=edition, slug=_unique_document_slug(edition, fields["title"]), **fields
    )
    _validate(document)
    document.save()
    return document


def _witness(parsed: ExchangeWitness, document: Document, fmt: str, filename: str) -> Witness:
    allowed = set(WITNESS_FIELDS) | {"retrieved"}
    values = {k: v for k, v in parsed.values.items() if k in allowed and v not in (None, "")}
    values.setdefault("label", parsed.slug)
    values.setdefault("role", WitnessRole.TRANSLATION)
    if not values.get("language"):
        raise RecordError(
            _("The text “%(label)s” does not say its language (xml:lang).")
            % {"label": values["label"]}
        )
    taken = set(document.witnesses.values_list("slug", flat=True))
    witness = Witness(
        document=document,
        slug=_first_free(parsed.slug, taken),
        source_format=fmt,
        source_filename=filename[:255],
        next_serial=parsed.next_serial(),
        **values,
    )
    _validate(witness)
    witness.save()
    return witness


def _segments(parsed: ExchangeWitness, witness: Witness) -> dict[str, Segment]:
    seen: set[str] = set()
    segments = []
    for position, item in enumerate(parsed.segments):
        if item.sid in seen:
            raise RecordError(
                _("The text “%(label)s” has two segments with the id %(sid)s.")
                % {"label": witness.label, "sid": item.sid}
            )
        seen.add(item.sid)
        if len(item.text) > settings.SEGMENT_MAX_CHARS:
            raise RecordError(
                _(
                    "Segment %(sid)s of “%(label)s” is %(length)s characters long; the limit "
                    "is %(max)s (SEGMENT_MAX_CHARS)."
                )
                % {
                    "sid": item.sid,
                    "label": witness.label,
                    "length": len(item.text),
                    "max": settings.SEGMENT_MAX_CHARS,
                }
            )
        segment = Segment(
            witness=witness,
            sid=item.sid,
            kind=item.kind,
            position=position,
            label=item.label,
            text=item.text,
        )
        _validate(segment, exclude=["witness"])
        segments.append(segment)
    Segment.objects.bulk_create(segments)
    by_sid = {s.sid: s for s in witness.segments.all()}
    calls = [
        FootnoteRef(
            segment=by_sid[item.sid],
            note=by_sid[call.note_sid],
            label=call.label,
            offset=min(call.offset, len(item.text)),
        )
        for item in parsed.segments
        for call in item.calls
        if call.note_sid in by_sid
    ]
    FootnoteRef.objects.bulk_create(calls)
    return by_sid


def _alignment(parsed: ExchangeAlignment, document: Document, witnesses, user) -> None:
    source, target = witnesses.get(parsed.source), witnesses.get(parsed.target)
    if source is None or target is None or source == target:
        raise RecordError(_("An alignment names a text the file does not hold."))
    try:
        check_complete(parsed.rows, _alignable(source), _alignable(target))
    except RowError as exc:
        raise RecordError(
            _(
                "The alignment of %(source)s with %(target)s does not hold every paragraph of "
                "both texts exactly once, in order."
            )
            % {"source": source.label, "target": target.label}
        ) from exc
    alignment = Alignment.objects.create(
        document=document, source=source, target=target, created_by=user
    )
    AlignmentRow.objects.bulk_create(
        stored_row(alignment, n, row, getattr(user, "pk", None))
        for n, row in enumerate(parsed.rows)
    )
    # The imported rows are the history's starting point, as an automatic alignment is.
    AlignmentChange.objects.create(
        alignment=alignment,
        user=user,
        operation="align",
        summary=gettext_noop("Imported: %(count)s rows"),
        summary_args={"count": len(parsed.rows)},
        after=snapshot(parsed.rows),
    )


def _alignable(witness: Witness) -> list[str]:
    segments = witness.segments.exclude(kind=SegmentKind.FOOTNOTE).order_by("position")
    return list(segments.values_list("sid", flat=True))


def _categories(parsed: ExchangeDocument, edition: Edition) -> dict[str, Category]:
    """The categories the annotations use: the edition's own by slug, else created."""
    named = {a.category for a in parsed.annotations if a.category}
    # In the file's taxonomy order, which is the order they had in their edition.
    used = [s for s in parsed.categories if s in named] + sorted(named - set(parsed.categories))
    existing = {c.slug: c for c in edition.categories.filter(slug__in=used)}
    position = edition.categories.count()
    for slug in (s for s in used if s not in existing):
        name, color = parsed.categories.get(slug, (slug, "#7f8c8d"))
        category = Category(edition=edition, slug=slug, name=name, color=color, position=position)
        _validate(category, exclude=["edition"])
        category.save()
        existing[slug] = category
        position += 1
    return existing


def _annotation(parsed: ExchangeAnnotation, document: Document, segments, categories) -> None:
    users = get_user_model().objects
    members = set(
        users.filter(memberships__edition=document.edition).values_list("username", flat=True)
    )
    author = users.filter(username=parsed.author).first() if parsed.author else None
    annotation = Annotation.objects.create(
        edition_id=document.edition_id,
        document=document,
        author=author,
        category=categories.get(parsed.category),
        motivation=parsed.motivation,
        body=parsed.body,
        body_html=render_markdown(parsed.body, mentioned(parsed.body, members)),
        tags=parsed.tags,
        mentions=mentioned(parsed.body, members),
        visibility=Visibility.EDITION,
        status=parsed.status if parsed.status in Status.values else Status.OPEN,
    )
    AnnotationTarget.objects.bulk_create(_target(annotation, t, segments) for t in parsed.targets)
    # Keep when it was written and last changed (auto_now fields, so set after saving).
    Annotation.objects.filter(pk=annotation.pk).update(
        created_at=parsed.created or annotation.created_at,
        updated_at=parsed.modified or parsed.created or annotation.updated_at,
    )
    for item in parsed.replies:
        reply = Reply.objects.create(
            annotation=annotation,
            author=users.filter(username=item.author).first() if item.author else None,
            body=item.body,
            body_html=render_markdown(item.body, mentioned(item.body, members)),
            mentions=mentioned(item.body, members),
        )
        Reply.objects.filter(pk=reply.pk).update(created_at=item.created or timezone.now())


def _target(annotation: Annotation, parsed: ExchangeTarget, segments) -> AnnotationTarget:
    segment = segments.get(parsed.witness, {}).get(parsed.sid)
    if segment is None:
        raise RecordError(
            _("An annotation points at %(witness)s.%(sid)s, which the file does not hold.")
            % {"witness": parsed.witness, "sid": parsed.sid}
        )
    if parsed.start is None or parsed.end is None:
        return AnnotationTarget(
            annotation=annotation,
            witness_id=segment.witness_id,
            segment=segment,
            selectors=[{"type": "TextQuoteSelector", "exact": parsed.quote}],
            quote=parsed.quote,
        )
    if not 0 <= parsed.start < parsed.end <= len(segment.text):
        raise RecordError(
            _("An annotation's span (%(start)s–%(end)s) lies outside the text of %(sid)s.")
            % {"start": parsed.start, "end": parsed.end, "sid": parsed.sid}
        )
    return AnnotationTarget(
        annotation=annotation,
        witness_id=segment.witness_id,
        segment=segment,
        selectors=build_selectors(segment.text, parsed.start, parsed.end),
        quote=segment.text[parsed.start : parsed.end],
        start=parsed.start,
        end=parsed.end,
    )
