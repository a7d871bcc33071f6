"""Importing a record: upload or paste, preview, then save on confirmation."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ..forms import ImportForm
from ..importers import save_record
from ..importers.base import RecordError
from ..models import Document, Role, Witness
from ..permissions import Abilities, edition_for
from .common import document_or_404, redirect_after_post


@require_http_methods(["GET", "POST"])
@login_required
def import_record(request: HttpRequest, slug: str, doc_slug: str | None = None) -> HttpResponse:
    """Upload or paste a record; preview what was parsed; save it on confirmation.

    Without ``doc_slug`` the record becomes a new document of the edition; with it, a new
    witness of that document.
    """
    edition, role = edition_for(request, slug, needs=Role.EDITOR)
    document = document_or_404(edition, doc_slug) if doc_slug else None
    form = ImportForm(request.POST or None, request.FILES or None)
    context = {"edition": edition, "document": document, "form": form, "can": Abilities(role)}
    if request.method == "POST" and form.is_valid():
        if "save" in request.POST:
            return _save_import(request, edition, document, form, context)
        context["record"] = form.record
        context["preview_document"] = _labelled(Document, form.record.document)
        context["preview_witness"] = _labelled(Witness, form.record.witness)
        context["preview_form"] = ImportForm(
            initial={
                "text": form.cleaned_data["decoded_text"],
                "filename": form.cleaned_data.get("filename", ""),
                "language": form.cleaned_data["language"],
                "role": form.cleaned_data["role"],
                "label": form.cleaned_data["label"],
            }
        )
    template = "editions/import.html#preview" if request.htmx else "editions/import.html"
    return render(request, template, context, status=400 if form.errors else 200)


def _labelled(model, values: dict) -> list[tuple[str, object]]:
    """Parsed fields with the model's human names, for the preview."""
    return [
        (model._meta.get_field(name).verbose_name, value)
        for name, value in values.items()
        if value not in (None, "")
    ]


def _save_import(request, edition, document, form, context) -> HttpResponse:
    data = form.cleaned_data
    try:
        witness = save_record(
            form.record,
            edition=edition,
            document=document,
            language=data["language"] or None,
            role=data["role"] or None,
            label=data["label"] or None,
            filename=data.get("filename") or "",
        )
    except IntegrityError:
        # The same record saved at the same moment (a double click) took the slug first.
        form.add_error(None, _("This record was just imported: see the document's page."))
        template = "editions/import.html#preview" if request.htmx else "editions/import.html"
        return render(request, template, context, status=409)
    except RecordError as exc:
        form.add_error(None, str(exc))
        template = "editions/import.html#preview" if request.htmx else "editions/import.html"
        return render(request, template, context)
    messages.success(
        request,
        _("Imported %(label)s: %(count)s segments.")
        % {"label": witness.label, "count": witness.segments.count()},
    )
    return redirect_after_post(request, witness.document.get_absolute_url())
