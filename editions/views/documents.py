"""A document's page (its witnesses side by side, or the synopsis) and its metadata form."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import F, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from ..annotating import ensure_categories, visible_annotations
from ..annotation_models import AnnotationTarget
from ..comparison import variation_map
from ..forms import DOCUMENT_METADATA_FIELDS, DocumentForm
from ..models import Document, FootnoteRef, Role, Segment, Witness
from ..permissions import Abilities, edition_for
from ..synopsis import build_synopsis
from .common import document_or_404, redirect_after_post


def _witnesses_with_text(document: Document) -> list[Witness]:
    """Witnesses, original first, each with its segments and footnote links prefetched."""
    refs = FootnoteRef.objects.select_related("note", "note__witness")
    segments = Segment.objects.select_related("witness").prefetch_related(
        Prefetch("footnote_refs", queryset=refs),
        Prefetch("called_from", queryset=FootnoteRef.objects.select_related("segment")),
    )
    witnesses = document.witnesses.prefetch_related(
        Prefetch("segments", queryset=segments.order_by("position"))
    ).select_related("revision_of")
    return sorted(witnesses, key=lambda w: (w.role != "original", w.pk))


@require_GET
@login_required
def document_detail(request: HttpRequest, slug: str, doc_slug: str) -> HttpResponse:
    edition, role = edition_for(request, slug)
    document = document_or_404(edition, doc_slug)
    witnesses = _witnesses_with_text(document)
    alignments = list(
        document.alignments.select_related("source", "target").prefetch_related("rows")
    )
    synopsis = build_synopsis(witnesses, alignments)
    in_synopsis = {w.pk for w in synopsis.columns} if synopsis else set()
    columns = [
        {
            "witness": w,
            "body": [s for s in w.segments.all() if s.kind != "footnote"],
            "notes": [s for s in w.segments.all() if s.kind == "footnote"],
            "in_synopsis": w.pk in in_synopsis,
        }
        for w in witnesses
    ]
    can = Abilities(role)
    if can.annotate:
        ensure_categories(edition)
    marks, counts = _annotation_marks(request, document)
    context = {
        "edition": edition,
        "document": document,
        "columns": columns,
        "synopsis": synopsis,
        "variation": variation_map(synopsis),
        "alignments": alignments,
        "witnesses": witnesses,
        "marks": marks,
        "counts": counts,
        "categories": edition.categories.all(),
        "can": can,
    }
    # Live readers re-read just the text and its highlights when something changes.
    partial = request.htmx and request.GET.get("fragment") == "body"
    template = "editions/document_detail.html" + ("#document-body" if partial else "")
    return render(request, template, context)


def _annotation_marks(request: HttpRequest, document: Document):
    """Segment pk -> the anchored targets the reader may see, and (count, first id)."""
    targets = (
        AnnotationTarget.objects.filter(
            annotation__in=visible_annotations(request.user, document), start__isnull=False
        )
        .select_related("annotation__category")
        .order_by("annotation_id")
    )
    marks: dict[int, list] = {}
    for target in targets:
        marks.setdefault(target.segment_id, []).append(target)
    counts = {
        pk: (len({t.annotation_id for t in found}), found[0].annotation_id)
        for pk, found in marks.items()
    }
    return marks, counts


@require_http_methods(["GET", "POST"])
@login_required
def document_edit(request: HttpRequest, slug: str, doc_slug: str) -> HttpResponse:
    edition, role = edition_for(request, slug, needs=Role.EDITOR)
    document = document_or_404(edition, doc_slug)
    if request.method == "GET":
        form = DocumentForm(instance=document, initial={"version": document.version})
        return _document_form(request, edition, document, form, role)
    form = DocumentForm(request.POST, instance=Document.objects.get(pk=document.pk))
    if not form.is_valid():
        return _document_form(request, edition, document, form, role, status=400)
    if not _save_if_current(document, form):
        document.refresh_from_db()
        return _document_form(request, edition, document, form, role, status=409, conflict=document)
    messages.success(request, _("Document saved."))
    return redirect_after_post(request, document.get_absolute_url())


def _save_if_current(document: Document, form: DocumentForm) -> bool:
    """Save only if nobody saved since the editor loaded the form (no lost update)."""
    values = {name: form.cleaned_data[name] for name in DOCUMENT_METADATA_FIELDS}
    updated = Document.objects.filter(pk=document.pk, version=form.cleaned_data["version"]).update(
        **values, version=F("version") + 1
    )
    return updated == 1


def _document_form(request, edition, document, form, role, *, status=200, conflict=None):
    context = {
        "edition": edition,
        "document": document,
        "form": form,
        "conflict": conflict,
        "can": Abilities(role),
    }
    if conflict is not None:
        # Let the editor start again from the current version, keeping their typed values.
        form.data = form.data.copy()
        form.data["version"] = conflict.version
        context["current_values"] = [
            (document._meta.get_field(n).verbose_name, getattr(conflict, n), form.data.get(n))
            for n in DOCUMENT_METADATA_FIELDS
        ]
    return render(request, "editions/document_edit.html", context, status=status)
