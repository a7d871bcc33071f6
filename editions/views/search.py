"""Search across the editions a user may read, and the parallel concordance (page and CSV)."""

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from .. import concordance, search
from ..forms import ConcordanceForm, PageForm, SearchForm
from ..http import AuthenticatedHttpRequest
from ..permissions import readable_editions
from ..search.results import hits
from .common import render_partial_if_htmx

HITS_PER_PAGE = 20
LINES_PER_PAGE = 50


def _query_string(request: AuthenticatedHttpRequest) -> str:
    """The query without its page number, for the page links."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def _page_number(request: AuthenticatedHttpRequest) -> int:
    return PageForm(request.GET).values()["page"]


@require_GET
def search_page(request: AuthenticatedHttpRequest) -> HttpResponse:
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
        context.update(query=text, hits=hits(matches), total=total, page=page)
        context["also_searched"] = search.added_spellings(text, filters.equivalents)
    return render_partial_if_htmx(request, "editions/search.html", "results", context)


def _concordance(
    request: AuthenticatedHttpRequest,
) -> tuple[ConcordanceForm, concordance.Concordance | None]:
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
def concordance_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    form, result = _concordance(request)
    context: dict = {"form": form, "result": result, "query_string": _query_string(request)}
    if result is not None:
        page = Paginator(result.lines, LINES_PER_PAGE).get_page(_page_number(request))
        context.update(page=page, lines=page.object_list)
        context["sort_links"] = _sort_links(request)
    status = 400 if form.is_bound and form.errors else 200
    return render_partial_if_htmx(request, "editions/concordance.html", "results", context, status)


def _sort_links(request: AuthenticatedHttpRequest) -> dict[str, str]:
    links = {}
    for sort in concordance.SORTS:
        params = request.GET.copy()
        params.pop("page", None)
        params["sort"] = sort
        links[sort] = params.urlencode()
    return links


@require_GET
def concordance_csv(request: AuthenticatedHttpRequest) -> HttpResponse:
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
