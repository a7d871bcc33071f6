"""Search across the editions a user may read, and the parallel concordance (page and CSV)."""

from dataclasses import dataclass, replace

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import SafeString
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from .. import concordance, limits, search
from ..annotation_models import Annotation, AnnotationTarget
from ..markup import plain_text
from ..models import Document, Segment, Witness
from ..permissions import readable_editions
from ..search_forms import ConcordanceForm, SearchForm

HITS_PER_PAGE = 20
NOTE_CHARS = 300  # of an annotation's note, shown under a hit on its quote
LINES_PER_PAGE = 50


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


def _query_string(request: HttpRequest) -> str:
    """The query without its page number, for the page links."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def _ids(matches: list[search.Match], source: int) -> list[int]:
    return [m.object_id for m in matches if m.source == source]


def _hits(matches: list[search.Match]) -> list[Hit]:
    segments = Segment.objects.select_related("witness__document__edition").in_bulk(
        _ids(matches, search.SEGMENT)
    )
    documents = Document.objects.select_related("edition").in_bulk(_ids(matches, search.DOCUMENT))
    annotations = Annotation.objects.select_related(
        "document__edition", "category", "author"
    ).in_bulk(_ids(matches, search.ANNOTATION))
    targets = AnnotationTarget.objects.select_related(
        "annotation__document__edition",
        "annotation__category",
        "annotation__author",
        "witness",
        "segment__witness",
    ).in_bulk(_ids(matches, search.ANNOTATION_QUOTE))
    first_targets = _first_targets(annotations.values())
    hits: list[Hit] = []
    by_annotation: dict[int, int] = {}  # annotation pk -> its hit's place in ``hits``
    for match in matches:
        if match.source in (search.ANNOTATION, search.ANNOTATION_QUOTE):
            hit = _annotation_match(match, annotations, targets, first_targets)
            if hit is None:
                continue
            place = by_annotation.get(hit.annotation.pk)
            if place is None:
                by_annotation[hit.annotation.pk] = len(hits)
                hits.append(hit)
            else:  # its note and its quote both matched: one hit, both marked
                hits[place] = _merged(hits[place], hit, match.source)
            continue
        snippet = search.marked_html(match.snippet)
        if match.source == search.SEGMENT and match.object_id in segments:
            segment = segments[match.object_id]
            document = segment.witness.document
            url = f"{document.get_absolute_url()}#{segment.anchor_id}"
            hits.append(Hit(document, url, snippet, segment.witness, segment))
        elif match.source == search.DOCUMENT and match.object_id in documents:
            document = documents[match.object_id]
            hits.append(Hit(document, f"{document.get_absolute_url()}#metadata", snippet))
    return hits


def _annotation_match(match, annotations, targets, first_targets) -> Hit | None:
    """The hit for a match on an annotation's note or on one of its quotes. The note is shown
    as plain words (its Markdown is for the thread, not for a list of results)."""
    if match.source == search.ANNOTATION and match.object_id in annotations:
        annotation = annotations[match.object_id]
        target = first_targets.get(annotation.pk)
        note = search.marked_html(plain_text(match.snippet))
        return _annotation_hit(annotation, target, note=note, quote=target.quote if target else "")
    if match.source == search.ANNOTATION_QUOTE and match.object_id in targets:
        target = targets[match.object_id]
        # The quote is what matched: the note is shown as it stands, shortened.
        note = Truncator(plain_text(target.annotation.body)).chars(NOTE_CHARS)
        quote = search.marked_html(match.snippet)
        return _annotation_hit(target.annotation, target, note=note, quote=quote)
    return None


def _merged(first: Hit, second: Hit, source: int) -> Hit:
    """One annotation matched twice on a page: the marked note of one hit and the marked
    quote (and the passage it leads to) of the other."""
    if source == search.ANNOTATION:
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
    url = f"{document.get_absolute_url()}?annotation={annotation.pk}"
    if target is None:  # no target left: the document's annotation list
        return Hit(document, f"{url}#annotations-title", note, annotation=annotation)
    url += f"#{target.segment.anchor_id}"
    return Hit(document, url, note, target.witness, target.segment, annotation, quote)


def _page_number(request: HttpRequest) -> int:
    # Not a small integer (page=10**25 overflowed the database's OFFSET): the first page.
    return limits.small_int(request.GET.get("page", "1")) or 1


@require_GET
@login_required
def search_page(request: HttpRequest) -> HttpResponse:
    form = SearchForm(
        request.GET or None, editions=list(readable_editions(request.user)), user=request.user
    )
    context: dict = {"form": form, "query_string": _query_string(request)}
    if form.is_bound and form.is_valid() and search.has_terms(form.cleaned_data["q"]):
        text, filters = form.cleaned_data["q"], form.filters()
        number = _page_number(request)
        matches, total = search.search(
            text, filters, offset=(number - 1) * HITS_PER_PAGE, limit=HITS_PER_PAGE
        )
        page = Paginator(range(total), HITS_PER_PAGE).get_page(number)
        if page.number != number:  # past the end: the last page instead
            offset = (page.number - 1) * HITS_PER_PAGE
            matches, total = search.search(text, filters, offset=offset, limit=HITS_PER_PAGE)
        context.update(query=text, hits=_hits(matches), total=total, page=page)
        context["also_searched"] = search.added_spellings(text, filters.equivalents)
    template = "editions/search.html#results" if request.htmx else "editions/search.html"
    return render(request, template, context)


def _concordance(request: HttpRequest) -> tuple[ConcordanceForm, concordance.Concordance | None]:
    form = ConcordanceForm(request.GET or None, editions=list(readable_editions(request.user)))
    if not (form.is_bound and form.is_valid()):
        return form, None
    data = form.cleaned_data
    query = concordance.Query(
        text=data["q"],
        language=data["language"],
        mode=data.get("mode") or "stemmed",
        sort=data.get("sort") or "date",
    )
    try:
        return form, concordance.build(query, form.filters())
    except concordance.PatternError as exc:
        form.add_error("q", str(exc))
        return form, None


@require_GET
@login_required
def concordance_page(request: HttpRequest) -> HttpResponse:
    form, result = _concordance(request)
    context: dict = {"form": form, "result": result, "query_string": _query_string(request)}
    if result is not None:
        page = Paginator(result.lines, LINES_PER_PAGE).get_page(_page_number(request))
        context.update(page=page, lines=page.object_list)
        context["sort_links"] = _sort_links(request)
    template = "editions/concordance.html#results" if request.htmx else "editions/concordance.html"
    status = 400 if form.is_bound and form.errors else 200
    return render(request, template, context, status=status)


def _sort_links(request: HttpRequest) -> dict[str, str]:
    links = {}
    for sort in concordance.SORTS:
        params = request.GET.copy()
        params.pop("page", None)
        params["sort"] = sort
        links[sort] = params.urlencode()
    return links


@require_GET
@login_required
def concordance_csv(request: HttpRequest) -> HttpResponse:
    form, result = _concordance(request)
    if result is None:
        errors = "; ".join(str(e) for errors in form.errors.values() for e in errors)
        return HttpResponse(
            errors or _("Nothing to export."), status=400, content_type="text/plain"
        )
    response = HttpResponse(
        concordance.to_csv(result, request.build_absolute_uri("/")[:-1]),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="concordance.csv"'
    return response
