"""Alignments: run the automatic aligner, and the editor that corrects it row by row.

Each editing operation is one POST carrying the alignment version the page showed; the
answer is the editor fragment (htmx) or a redirect back to the row (plain form post).
"""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_GET, require_POST

from ..align_jobs import refresh, runs_in_background, start_alignment, start_realignment
from ..alignment import rows as ops
from ..alignment.rows import Row, RowError
from ..alignment_store import (
    LOW_CONFIDENCE,
    StaleAlignment,
    Summary,
    change,
    create_alignment,
    doubtful,
    realign_from,
    redo,
    undo,
    undo_redo_stacks,
)
from ..comparison import ROW_FIELDS, SEGMENT_FIELDS
from ..export_models import JobStatus
from ..job_models import AlignmentJob
from ..models import Alignment, Role, Segment
from ..permissions import Abilities, edition_for
from .common import document_or_404, redirect_after_post

Edit = Callable[[list[Row]], list[Row]]


@require_POST
@login_required
def alignment_create(request: HttpRequest, slug: str, doc_slug: str) -> HttpResponse:
    edition, _role = edition_for(request, slug, needs=Role.EDITOR)
    document = document_or_404(edition, doc_slug)
    witnesses = {str(w.pk): w for w in document.witnesses.all()}
    source = witnesses.get(request.POST.get("source", ""))
    target = witnesses.get(request.POST.get("target", ""))
    if source is None or target is None:
        messages.error(request, _("Choose two witnesses of this document."))
        return redirect_after_post(request, document.get_absolute_url())
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
@login_required
def alignment_job(request: HttpRequest, slug: str, doc_slug: str, job_id: int) -> HttpResponse:
    """A background alignment's progress: the page, or (htmx) the part that it polls."""
    edition, _role = edition_for(request, slug, needs=Role.EDITOR)
    document = document_or_404(edition, doc_slug)
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


def _alignment(request: HttpRequest, slug: str, doc_slug: str, pk: int, needs: Role):
    edition, role = edition_for(request, slug, needs=needs)
    document = document_or_404(edition, doc_slug)
    alignment = get_object_or_404(
        Alignment.objects.select_related("source", "target"), pk=pk, document=document
    )
    return edition, role, document, alignment


@require_GET
@login_required
def alignment_editor(
    request: HttpRequest, slug: str, doc_slug: str, alignment_id: int
) -> HttpResponse:
    edition, role, document, alignment = _alignment(
        request, slug, doc_slug, alignment_id, Role.READER
    )
    focus = _int(request.GET.get("row"), 0)
    if request.htmx and request.GET.get("fragment") == "rows":  # the next page, scrolled to
        context = _editor_context(request, edition, role, document, alignment, focus)
        return render(request, "editions/alignment_editor.html#arows", context)
    context = _editor_context(request, edition, role, document, alignment, focus)
    if request.GET.get("next") and context["review_after"] is not None:
        focus = context["review_after"]  # "Next to review" past the rows the page holds
        context = _editor_context(request, edition, role, document, alignment, focus)
    return render(request, "editions/alignment_editor.html", context)


# Rows the editor sends at once (each carries its forms), around the row in focus; the rest
# come as the editor scrolls.
EDITOR_PAGE_ROWS = 40


def _editor_context(request, edition, role, document, alignment, focus: int) -> dict:
    # Every row's state (to count and find the rows to review); the texts of the rows sent only.
    rows = []
    for n, row in enumerate(alignment.rows.only(*ROW_FIELDS)):
        widest = max(len(row.source_sids), len(row.target_sids))
        low = doubtful(row.status == "confirmed", row.confidence, widest)
        rows.append({"n": n, "row": row, "low": low})
    focus = min(max(focus, 0), max(len(rows) - 1, 0))
    start = focus // EDITOR_PAGE_ROWS * EDITOR_PAGE_ROWS
    window = rows[start : start + EDITOR_PAGE_ROWS]
    _add_texts(alignment, window)
    undo_stack, redo_stack = undo_redo_stacks(alignment)
    return {
        "edition": edition,
        "document": document,
        "alignment": alignment,
        "rows": window,
        "row_total": len(rows),
        "window_start": start,
        "next_start": start + EDITOR_PAGE_ROWS if start + EDITOR_PAGE_ROWS < len(rows) else None,
        "focus": focus,
        "review": _next_to_review(rows, -1),
        "review_after": _next_to_review(rows, focus),
        "confirmed_count": sum(1 for r in rows if r["row"].status == "confirmed"),
        "low_count": sum(1 for r in rows if r["low"]),
        "can_undo": bool(undo_stack),
        "can_redo": bool(redo_stack),
        "history": alignment.changes.select_related("user").defer("before", "after")[:100],
        "can": Abilities(role),
        "low_threshold": LOW_CONFIDENCE,
    }


def _add_texts(alignment: Alignment, window: list[dict]) -> None:
    """Each row of the window gets its source and target segments (two queries)."""
    for side, witness_id in (("source", alignment.source_id), ("target", alignment.target_id)):
        sids = {sid for item in window for sid in getattr(item["row"], f"{side}_sids")}
        found = {
            s.sid: s
            for s in Segment.objects.filter(witness_id=witness_id, sid__in=sids).only(
                *SEGMENT_FIELDS
            )
        }
        for item in window:
            item[side] = [
                found[sid] for sid in getattr(item["row"], f"{side}_sids") if sid in found
            ]


def _next_to_review(rows: list[dict], after: int) -> int | None:
    """The next row after ``after`` (wrapping round): a doubtful one, else one unconfirmed."""
    order = rows[after + 1 :] + rows[: after + 1]
    found = next((r["n"] for r in order if r["low"]), None)
    if found is None:
        found = next((r["n"] for r in order if r["row"].status != "confirmed"), None)
    return found


def _int(value, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _row_edit(op: str, post, row: int) -> tuple[Edit, Summary, int]:
    """The edit an operation makes, its summary for the history, and the row to focus after."""
    n = row + 1
    table: dict[str, tuple[Edit, Summary, int]] = {
        "merge": (
            lambda rows: ops.merge_with_next(rows, row),
            (gettext_noop("Merged rows %(a)s and %(b)s"), {"a": n, "b": n + 1}),
            row,
        ),
        "split": (
            lambda rows: ops.split(rows, row),
            (gettext_noop("Split row %(n)s"), {"n": n}),
            row,
        ),
        "gap": (
            lambda rows: ops.insert_gap(rows, row),
            (gettext_noop("Gave row %(n)s an empty counterpart"), {"n": n}),
            row,
        ),
        "confirm": (
            lambda rows: ops.confirm(rows, row),
            (gettext_noop("Confirmed row %(n)s"), {"n": n}),
            row,
        ),
        "confirm-up-to": (
            lambda rows: ops.confirm_up_to(rows, row),
            (gettext_noop("Confirmed rows 1 to %(n)s"), {"n": n}),
            row,
        ),
    }
    moves = {
        ("source", "up"): gettext_noop("Moved a source unit of row %(n)s up"),
        ("source", "down"): gettext_noop("Moved a source unit of row %(n)s down"),
        ("target", "up"): gettext_noop("Moved a target unit of row %(n)s up"),
        ("target", "down"): gettext_noop("Moved a target unit of row %(n)s down"),
    }
    for (side, direction), message in moves.items():
        step = -1 if direction == "up" else 1
        table[f"move-{side}-{direction}"] = (
            _move(row, side, direction),
            (message, {"n": n}),
            max(row + step, 0),
        )
    if op == "link":
        source_sid, target_sid = post.get("source_sid", ""), post.get("target_sid", "")
        return (
            lambda rows: ops.link(rows, source_sid, target_sid),
            (gettext_noop("Linked %(a)s with %(b)s"), {"a": source_sid, "b": target_sid}),
            row,
        )
    if op not in table:
        raise RowError(_("Unknown operation."))
    return table[op]


def _move(row: int, side, direction) -> Edit:
    return lambda rows: ops.move_unit(rows, row, side, direction)


@require_POST
@login_required
def alignment_operate(
    request: HttpRequest, slug: str, doc_slug: str, alignment_id: int
) -> HttpResponse:
    edition, role, document, alignment = _alignment(
        request, slug, doc_slug, alignment_id, Role.EDITOR
    )
    op, row = request.POST.get("op", ""), _int(request.POST.get("row"), 0)
    version = _int(request.POST.get("version"), 0)
    status, focus = 200, row
    try:
        focus = _apply(request, alignment, op, row, version)
    except StaleAlignment:
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
    alignment.refresh_from_db()
    if not request.htmx:
        return redirect(f"{alignment.get_absolute_url()}?row={focus}#row-{focus}")
    context = _editor_context(request, edition, role, document, alignment, focus)
    return render(request, "editions/alignment_editor.html#editor", context, status=status)


def _apply(request: HttpRequest, alignment: Alignment, op: str, row: int, version: int) -> int:
    user = request.user
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
    edit, summary, focus = _row_edit(op, request.POST, row)
    change(alignment, version, user, op, summary, edit)
    return focus
