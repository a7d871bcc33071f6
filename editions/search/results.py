"""Search results as the search page shows them: each match turned into a ``Hit`` on its
segment, document or annotation, read from the database in a few queries for the page."""

from dataclasses import dataclass, replace

from django.utils.safestring import SafeString
from django.utils.text import Truncator

from ..markup import plain_text
from ..models import Annotation, AnnotationTarget, Document, Segment, Witness
from .common import Match
from .index import ANNOTATION, ANNOTATION_QUOTE, DOCUMENT, SEGMENT
from .marks import marked_html

NOTE_CHARS = 300  # of an annotation's note, shown under a hit on its quote


@dataclass
class Hit:
    """One search result as the page shows it."""

    document: Document
    url: str
    snippet: SafeString | str  # the matched text marked; an annotation's note as it stands
    witness: Witness | None = None
    segment: Segment | None = None
    annotation: Annotation | None = None
    quote: SafeString | str = ""  # the passage an annotation is about, marked if it matched


def _ids(matches: list[Match], source: int) -> list[int]:
    return [m.object_id for m in matches if m.source == source]


def hits(matches: list[Match]) -> list[Hit]:
    """The page's matches as hits, in their order; a match whose row is gone is left out, and
    an annotation matched on its note and its quote is one hit."""
    segments = Segment.objects.select_related("witness__document__edition").in_bulk(
        _ids(matches, SEGMENT)
    )
    documents = Document.objects.select_related("edition").in_bulk(_ids(matches, DOCUMENT))
    annotations = Annotation.objects.select_related(
        "document__edition", "category", "author"
    ).in_bulk(_ids(matches, ANNOTATION))
    targets = AnnotationTarget.objects.select_related(
        "annotation__document__edition",
        "annotation__category",
        "annotation__author",
        "witness",
        "segment__witness",
    ).in_bulk(_ids(matches, ANNOTATION_QUOTE))
    first_targets = _first_targets(annotations.values())
    found: list[Hit] = []
    by_annotation: dict[int, int] = {}  # annotation pk -> its hit's place in ``found``
    for match in matches:
        if match.source in (ANNOTATION, ANNOTATION_QUOTE):
            hit = _annotation_match(match, annotations, targets, first_targets)
            if hit is None or hit.annotation is None:  # (an annotation's hit always names it)
                continue
            place = by_annotation.get(hit.annotation.pk)
            if place is None:
                by_annotation[hit.annotation.pk] = len(found)
                found.append(hit)
            else:  # its note and its quote both matched: one hit, both marked
                found[place] = _merged(found[place], hit, match.source)
            continue
        snippet = marked_html(match.snippet)
        if match.source == SEGMENT and match.object_id in segments:
            segment = segments[match.object_id]
            document = segment.witness.document
            url = document.passage_url(segment.anchor_id)
            found.append(Hit(document, url, snippet, segment.witness, segment))
        elif match.source == DOCUMENT and match.object_id in documents:
            document = documents[match.object_id]
            found.append(Hit(document, f"{document.get_absolute_url()}#metadata", snippet))
    return found


def _annotation_match(match, annotations, targets, first_targets) -> Hit | None:
    """The hit for a match on an annotation's note or on one of its quotes. The note is shown
    as plain words (its Markdown is for the thread, not for a list of results)."""
    if match.source == ANNOTATION and match.object_id in annotations:
        annotation = annotations[match.object_id]
        target = first_targets.get(annotation.pk)
        note: SafeString | str = marked_html(plain_text(match.snippet))
        return _annotation_hit(annotation, target, note=note, quote=target.quote if target else "")
    if match.source == ANNOTATION_QUOTE and match.object_id in targets:
        target = targets[match.object_id]
        # The quote is what matched: the note is shown as it stands, shortened.
        note = Truncator(plain_text(target.annotation.body)).chars(NOTE_CHARS)
        quote = marked_html(match.snippet)
        return _annotation_hit(target.annotation, target, note=note, quote=quote)
    return None


def _merged(first: Hit, second: Hit, source: int) -> Hit:
    """One annotation matched twice on a page: the marked note of one hit and the marked
    quote (and the passage it leads to) of the other."""
    if source == ANNOTATION:
        return replace(first, snippet=second.snippet)
    return replace(
        first,
        quote=second.quote,
        url=second.url,
        witness=second.witness,
        segment=second.segment,
    )


def _first_targets(annotations) -> dict[int, AnnotationTarget]:
    """Each annotation's first target (the passage a hit on its note leads to)."""
    first: dict[int, AnnotationTarget] = {}
    targets = AnnotationTarget.objects.filter(annotation__in=list(annotations))
    for target in targets.select_related("witness", "segment__witness").order_by(
        "annotation", "pk"
    ):
        first.setdefault(target.annotation_id, target)
    return first


def _annotation_hit(annotation, target, *, note, quote) -> Hit:
    """A hit on an annotation's note or quote leads to the annotated paragraph, where the
    document page opens the thread that ``?annotation=`` names (annotator.js)."""
    document = annotation.document
    if target is None:  # no target left: the document's annotation list
        url = f"{document.get_absolute_url()}?annotation={annotation.pk}#annotations-title"
        return Hit(document, url, note, annotation=annotation)
    url = document.passage_url(target.segment.anchor_id, annotation=str(annotation.pk))
    return Hit(document, url, note, target.witness, target.segment, annotation, quote)
