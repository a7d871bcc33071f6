"""Importing a record: upload or paste, preview, then save on confirmation."""

from dataclasses import dataclass

from django.contrib import messages
from django.db import IntegrityError
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ..forms import ImportForm
from ..http import AuthenticatedHttpRequest
from ..importers import save_record
from ..importers.base import RecordError
from ..importers.store import field_label, find_identical_witness, stand_in_title
from ..importers.summary import summarize
from ..models import Document, Role, Witness
from ..permissions import Abilities, document_for, edition_for
from .common import redirect_after_post, render_partial_if_htmx

PREVIEW_SEGMENTS = 60  # shown in full; a book's other 2,000 are counted, not rendered
PREVIEW_NOTES = 20


@require_http_methods(["GET", "POST"])
def import_record(
    request: AuthenticatedHttpRequest, slug: str, doc_slug: str | None = None
) -> HttpResponse:
    """Upload or paste a record; preview what was parsed; save it on confirmation.

    Without ``doc_slug`` the record becomes a new document of the edition; with it, a new
    witness of that document.
    """
    if doc_slug:
        edition, role, document = document_for(request, slug, doc_slug, needs=Role.EDITOR)
    else:
        edition, role = edition_for(request, slug, needs=Role.EDITOR)
        document = None
    # A link may suggest what is coming ("add the French original": ?language=fr&role=original).
    suggested = {k: request.GET[k][:20] for k in ("language", "role") if k in request.GET}
    form = ImportForm(request.POST or None, request.FILES or None, initial=suggested)
    context: dict[str, object] = {
        "edition": edition,
        "document": document,
        "form": form,
        "can": Abilities(role),
    }
    if request.method == "POST" and form.is_valid():
        if "save" in request.POST:
            return _save_import(request, edition, document, form, context)
        record = form.record
        context["record"] = record
        context["summary"] = summarize(record)
        context["shown_segments"] = record.segments[:PREVIEW_SEGMENTS]
        context["hidden_segments"] = max(0, len(record.segments) - PREVIEW_SEGMENTS)
        # A book's notes come after its 2,000 paragraphs: show them apart, the first few.
        context["hidden_notes"] = [
            s for s in record.segments[PREVIEW_SEGMENTS:] if s.kind == "footnote"
        ][:PREVIEW_NOTES]
        context["preview_document"] = _document_fields(record.document, document)
        context["preview_witness"] = _labelled(Witness, record.witness)
        context["already_imported"] = find_identical_witness(record, edition)
        if document is None and not record.document.get("title"):
            context["stand_in_title"] = stand_in_title(record)
        context["preview_form"] = ImportForm(
            initial={
                "text": form.cleaned_data["decoded_text"],
                "filename": form.cleaned_data.get("filename", ""),
                "language": form.cleaned_data["language"],
                "role": form.cleaned_data["role"],
                "label": form.cleaned_data["label"],
            }
        )
    status = 400 if form.errors else 200
    return render_partial_if_htmx(request, "editions/import.html", "preview", context, status)


@dataclass
class PreviewField:
    """A document field in the preview and where its value will come from."""

    label: str
    value: object
    source: str  # "record": from the record being imported; "document": already set
    record_value: object = None  # what the record says, when the document keeps its own


def _document_fields(values: dict, document: Document | None) -> list[PreviewField]:
    """The document's fields as they will be after saving, each with where it came from.

    A new document takes every field from the record. An existing one keeps what it has
    (an earlier record's value, or an editor's) and takes only its blanks from this record:
    the preview says which, so a French original's metadata is never silently an English
    record's.
    """
    fields = []
    for name, value in values.items():
        if value in (None, ""):
            continue
        label = field_label(Document, name)
        current = getattr(document, name, None) if document is not None else None
        if current in (None, ""):
            fields.append(PreviewField(label, value, "record"))
        else:
            differs = value if value != current else None
            fields.append(PreviewField(label, current, "document", differs))
    return fields


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
        return render_partial_if_htmx(request, "editions/import.html", "preview", context, 409)
    except RecordError as exc:
        form.add_error(None, str(exc))
        return render_partial_if_htmx(request, "editions/import.html", "preview", context)
    messages.success(
        request,
        _("Imported %(label)s: %(count)s segments.")
        % {"label": witness.label, "count": witness.segments.count()},
    )
    return redirect_after_post(request, witness.document.get_absolute_url())
