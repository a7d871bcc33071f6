"""HTML for a segment's text: footnote markers put back where they stood, annotations marked."""

from collections.abc import Iterable, Sequence

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from .models import Segment


def segment_html(segment: Segment, targets: Sequence = ()) -> SafeString:
    """The escaped text, cut at every annotation boundary and footnote offset.

    ``targets`` are the annotation targets on this segment that the reader may see, with
    ``start``/``end`` resolved (orphans are listed elsewhere). Overlapping annotations share
    one ``<mark>`` per stretch, listing all their ids. Expects ``segment.footnote_refs``
    prefetched with their notes.
    """
    text = segment.text
    refs = sorted(segment.footnote_refs.all(), key=lambda r: r.offset)
    spans = [(t.start, t.end, t) for t in targets if t.start is not None]
    cuts = sorted({0, len(text), *(min(r.offset, len(text)) for r in refs)} | _ends(spans))
    parts: list[str] = []
    for left, right in zip(cuts, cuts[1:], strict=False):
        parts.extend(_refs_at(segment, refs, left))
        parts.append(_stretch(text[left:right], [t for s, e, t in spans if s <= left < e]))
    parts.extend(_refs_at(segment, refs, len(text)) if len(cuts) > 1 else [])
    if len(cuts) == 1:  # an empty text
        parts.extend(_refs_at(segment, refs, 0))
    return mark_safe("".join(parts))  # noqa: S308 - every piece is escaped or format_html


def _ends(spans) -> set[int]:
    return {point for start, end, _t in spans for point in (start, end)}


def _refs_at(segment: Segment, refs, offset: int) -> Iterable[str]:
    for ref in refs:
        if min(ref.offset, len(segment.text)) == offset:
            yield format_html(
                '<sup class="fn-ref" id="{}"><a href="#{}" title="{}">{}</a></sup>',
                f"ref-{segment.anchor_id}-{ref.pk}",
                ref.note.anchor_id,
                ref.note.text[:200],
                ref.label,
            )


def _stretch(text: str, covering: list) -> str:
    if not text:
        return ""
    if not covering:
        return escape(text)
    ids = " ".join(str(t.annotation_id) for t in covering)
    first = covering[0].annotation
    color = first.category.color if first.category else "#7f8c8d"
    classes = "anno multi" if len(covering) > 1 else "anno"
    return format_html(
        '<mark class="{}" data-annotations="{}" data-anno="{}">{}</mark>',
        classes,
        ids,
        color,
        text,
    )
