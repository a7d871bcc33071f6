"""Alignments: run the automatic aligner, and the editor that corrects it row by row.

Each editing operation is one POST carrying the alignment version the page showed; the
answer is the editor fragment (htmx) or a redirect back to the row (plain form post).
"""

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ..align_jobs import refresh, runs_in_background, start_alignment, start_realignment
from ..alignment.rows import RowError
from ..alignment_store import (
    LOW_CONFIDENCE,
    change,
    create_alignment,
    realign_from,
    redo,
    row_edit,
    undo,
)
from ..editor_rows import ROW_MARK, review_state, window_rows
from ..forms import AlignmentEditorForm, AlignmentPairForm, RowOperationForm
from ..http import AuthenticatedHttpRequest
from ..models import Alignment, AlignmentJob, Document, Edition, JobStatus, Role
from ..permissions import Abilities, document_for
from ..versioning import StaleVersion
from .common import redirect_after_post


@require_POST
def alignment_create(request: AuthenticatedHttpRequest, slug: str, doc_slug: str) -> HttpResponse:
    edition, _role, document = document_for(request, slug, doc_slug, needs=Role.EDITOR)
    pair = AlignmentPairForm(request.POST, witnesses=list(document.witnesses.all()))
    if not pair.is_valid():
        messages.error(request, _("Choose two witnesses of this document."))
        return redirect_after_post(request, document.get_absolute_url())
    source, target = pair.cleaned_data["source"], pair.cleaned_data["target"]
    try:
        if runs_in_background(source, target):
            job = start_alignment(document, source, target, request.user)
            return redirect_after_post(request, job.get_absolute_url())
        with transaction.atomic():
            alignment = create_alignment(document, source, target, request.user)
    except IntegrityError:  # the same pair aligned at the same moment: show that alignment
        alignment = get_object_or_404(Alignment, source=source, target=target)
        messages.info(request, _("These two witnesses were just aligned."))
        return redirect_after_post(request, alignment.get_absolute_url())
    except (RowError, ValueError) as exc:
        messages.error(request, str(exc))
        return redirect_after_post(request, document.get_absolute_url())
    messages.success(request, _("Aligned automatically. Review the marked rows."))
    return redirect_after_post(request, alignment.get_absolute_url())


@require_GET
def alignment_job(
    request: AuthenticatedHttpRequest, slug: str, doc_slug: str, job_id: int
) -> HttpResponse:
    """A background alignment's progress: the page, or (htmx) the part that it polls."""
    edition, _role, document = document_for(request, slug, doc_slug, needs=Role.EDITOR)
    job = refresh(
        get_object_or_404(
            AlignmentJob.objects.select_related("source", "target"), pk=job_id, document=document
        )
    )
    context = {"edition": edition, "document": document, "job": job}
    if not request.htmx:
        return render(request, "editions/alignment_job.html", context)
    response = render(request, "editions/alignment_job.html#job", context)
    if job.status == JobStatus.DONE and job.alignment_id:
        # Done: the poll takes the reader on to the editor (the part shows the link too).
        response["HX-Redirect"] = reverse(
            "editions:alignment_editor", args=[edition.slug, document.slug, job.alignment_id]
        )
    return response


def _alignment(
    request: AuthenticatedHttpRequest, slug: str, doc_slug: str, pk: int, needs: Role = Role.READER
) -> tuple[Edition, Role, Document, Alignment]:
    edition, role, document = document_for(request, slug, doc_slug, needs=needs)
    alignment = get_object_or_404(
        Alignment.objects.select_related("source", "target"), pk=pk, document=document
    )
    alignment.document = document
    return edition, role, document, alignment


@require_GET
def alignment_editor(
    request: AuthenticatedHttpRequest, slug: str, doc_slug: str, alignment_id: int
) -> HttpResponse:
    edition, role, document, alignment = _alignment(request, slug, doc_slug, alignment_id)
    wanted = AlignmentEditorForm(request.GET).values()
    focus = wanted["row"]
    if request.htmx and wanted["fragment"] == "rows":  # the next page, scrolled to
        context = _editor_context(request, edition, role, document, alignment, focus)
        return render(request, "editions/alignment_editor.html#arows", context)
    if wanted["next"]:  # "Next to review" past the rows the page holds
        state = review_state(alignment)
        found = state.next_to_review(min(max(focus, 0), max(state.total - 1, 0)))
        focus = focus if found is None else found
    context = _editor_context(request, edition, role, document, alignment, focus)
    return render(request, "editions/alignment_editor.html", context)


# Rows the editor sends at once (each carries its forms), around the row in focus; the rest
# come as the editor scrolls.
EDITOR_PAGE_ROWS = 40


def _editor_context(request, edition, role, document, alignment, focus: int) -> dict:
    # Every row's state (to count and find the rows to review) comes from the cache, once per
    # version; the window's rows are read, and rendered unless cached.
    state = review_state(alignment)
    can = Abilities(role)
    focus = min(max(focus, 0), max(state.total - 1, 0))
    start = focus // EDITOR_PAGE_ROWS * EDITOR_PAGE_ROWS
    end = start + EDITOR_PAGE_ROWS
    ops_form = _row_form(request, edition, document, alignment) if can.edit else ""
    rows = window_rows(alignment, start, EDITOR_PAGE_ROWS, can.edit, focus, ops_form)
    return {
        "edition": edition,
        "document": document,
        "alignment": alignment,
        "rows": rows,
        "row_total": state.total,
        "window_start": start,
        "next_start": end if end < state.total else None,
        "focus": focus,
        "review": state.next_to_review(-1),
        "review_after": state.next_to_review(focus),
        "confirmed_count": state.confirmed_count,
        "low_count": state.low_count,
        "can_undo": state.can_undo,
        "can_redo": state.can_redo,
        "history": alignment.changes.select_related("user").defer("before", "after")[:100],
        "can": can,
        "low_threshold": LOW_CONFIDENCE,
    }


def _row_form(request, edition, document, alignment) -> str:
    """The form of a row's operations, for every row (rendered once, its row number marked)."""
    context = {
        "alignment": alignment,
        "operate_url": reverse(
            "editions:alignment_operate", args=[edition.slug, document.slug, alignment.pk]
        ),
        "csrf_token": get_token(request),
        "row": mark_safe(ROW_MARK),  # noqa: S308 - each row's number goes there
    }
    return render_to_string("editions/alignment_editor.html#rowops", context)


@require_POST
def alignment_operate(
    request: AuthenticatedHttpRequest, slug: str, doc_slug: str, alignment_id: int
) -> HttpResponse:
    edition, role, document, alignment = _alignment(
        request, slug, doc_slug, alignment_id, Role.EDITOR
    )
    operation = RowOperationForm(request.POST).values()
    status, focus = 200, operation["row"]
    try:
        focus = _apply(request, alignment, operation)
    except StaleVersion:
        status = 409
        messages.warning(
            request,
            _(
                "Someone else changed this alignment meanwhile: nothing was applied. "
                "Here is the current state."
            ),
        )
    except RowError as exc:
        status = 400
        messages.error(request, str(exc))
    alignment.refresh_from_db(fields=["version"])  # its witnesses stay loaded
    if not request.htmx:
        return redirect(f"{alignment.get_absolute_url()}?row={focus}#row-{focus}")
    context = _editor_context(request, edition, role, document, alignment, focus)
    return render(request, "editions/alignment_editor.html#editor", context, status=status)


def _apply(request: AuthenticatedHttpRequest, alignment: Alignment, operation: dict) -> int:
    user, op, row, version = request.user, operation["op"], operation["row"], operation["version"]
    if op == "undo":
        undo(alignment, version, user)
        return row
    if op == "redo":
        redo(alignment, version, user)
        return row
    if op == "realign":
        if runs_in_background(alignment.source, alignment.target):
            job = start_realignment(alignment, version, user, row)
            messages.info(
                request,
                format_html(
                    '{} <a href="{}">{}</a>',
                    _("Re-aligning from row %(row)s in the background.") % {"row": row + 1},
                    job.get_absolute_url(),
                    _("Follow its progress"),
                ),
            )
            return row
        realign_from(alignment, version, user, row)
        return row
    edit, summary, focus = row_edit(op, row, operation["source_sid"], operation["target_sid"])
    change(alignment, version, user, op, summary, edit)
    return focus
