"""Editing a segment's text in place, its history and reverts, and revision witnesses.

Saves carry the version the editor started from: a stale save is answered 409 with the
conflict (your text, the current text, their diff) and a form to try again; nothing is lost.

On the document page, Edit swaps the segment for the editor (an htmx fragment); Save and
Cancel lead back to the document page, from which htmx takes just that segment, so segments
keep one markup, the page's own. Without JavaScript the same URLs serve whole pages.
"""

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ..comparison import CompareOptions, diff_texts, revision_diffs
from ..forms import RevertForm, RevisionLabelForm, SegmentTextForm, VersionPairForm
from ..http import AuthenticatedHttpRequest
from ..models import Document, Edition, Role, Segment, SegmentRevision, Witness, WitnessRole
from ..permissions import Abilities, witness_for
from ..revisions import (
    UnknownVersion,
    create_revision_witness,
    normalize_text,
    revert,
    save_text,
    text_at,
    versions_of,
)
from ..versioning import StaleVersion
from .common import redirect_after_post
from .comparison import similarity_figure

# A history shows every change, whitespace included.
HISTORY_OPTIONS = CompareOptions(show_punctuation=True, show_whitespace=True)
WITNESS_HISTORY_LENGTH = 200


def _segment(witness: Witness, sid: str) -> Segment:
    return get_object_or_404(Segment.objects.select_related("witness"), witness=witness, sid=sid)


def _segment_for(
    request: AuthenticatedHttpRequest,
    slug: str,
    doc_slug: str,
    witness_slug: str,
    sid: str,
    needs: Role,
) -> tuple[Edition, Role, Document, Witness, Segment]:
    """The segment, if the user may do what ``needs`` allows in its edition."""
    edition, role, document, witness = witness_for(request, slug, doc_slug, witness_slug, needs)
    return edition, role, document, witness, _segment(witness, sid)


def _context(edition, role, document, witness, segment, **extra) -> dict:
    return {
        "edition": edition,
        "document": document,
        "witness": witness,
        "segment": segment,
        "can": Abilities(role),
        **extra,
    }


@require_http_methods(["GET", "POST"])
def segment_edit(
    request: AuthenticatedHttpRequest, slug: str, doc_slug: str, witness_slug: str, sid: str
) -> HttpResponse:
    edition, role, document, witness, segment = _segment_for(
        request, slug, doc_slug, witness_slug, sid, Role.EDITOR
    )
    if request.method == "GET":
        form = SegmentTextForm(initial={"text": segment.text, "version": segment.version})
        return _editor(request, _context(edition, role, document, witness, segment, form=form))
    form = SegmentTextForm(request.POST)
    if not form.is_valid():
        context = _context(edition, role, document, witness, segment, form=form)
        return _editor(request, context, status=400)
    data = form.cleaned_data
    try:
        revision = save_text(segment, data["version"], data["text"], request.user, data["reason"])
    except StaleVersion as stale:
        yours = normalize_text(data["text"])
        context = _conflict_context(
            edition, role, document, witness, stale.current, yours, data["reason"]
        )
        return _editor(request, context, status=409)
    return _saved(request, segment, revision)


def _editor(request: AuthenticatedHttpRequest, context: dict, status: int = 200) -> HttpResponse:
    template = "editions/segment_edit.html"
    if request.htmx:
        template += "#segment-editor"
    return render(request, template, context, status=status)


def _conflict_context(
    edition, role, document, witness, current: Segment, yours: str, reason: str
) -> dict:
    """Your text against the current one, and a form to save again from the current version."""
    diff = diff_texts(current.text, yours, HISTORY_OPTIONS)
    retry = SegmentTextForm(initial={"text": yours, "reason": reason, "version": current.version})
    segment = _segment(witness, current.sid)
    last = segment.revisions.select_related("user").order_by("-pk").first()
    return _context(
        edition,
        role,
        document,
        witness,
        segment,
        form=retry,
        conflict={"yours": yours, "diff": diff, "last": last},
    )


def _saved(request: AuthenticatedHttpRequest, segment: Segment, revision) -> HttpResponse:
    """Back to the segment on the document page.

    htmx follows the redirect and swaps in just the segment (``hx-select``), so what it shows
    is the document page's own markup; ``saved`` makes that segment say so.
    """
    document, anchor = segment.witness.document, segment.anchor_id
    if request.htmx:  # ``at``: the page of rows that holds the segment, however far down
        return redirect(document.passage_url(anchor, saved=anchor))
    said = _("Saved %(sid)s: version %(version)s.")
    _tell(request, revision, _("Nothing changed: the text is as it was."), said, sid=segment.sid)
    return redirect(document.passage_url(anchor))


def _tell(
    request: AuthenticatedHttpRequest, revision, unchanged: str, changed: str, **values
) -> None:
    """Say whether the text changed, and if so its new version (``changed`` names it)."""
    if revision is None:
        messages.info(request, unchanged)
    else:
        messages.success(request, changed % {**values, "version": revision.version_after})


@require_GET
def segment_history(
    request: AuthenticatedHttpRequest, slug: str, doc_slug: str, witness_slug: str, sid: str
) -> HttpResponse:
    edition, role, document, witness, segment = _segment_for(
        request, slug, doc_slug, witness_slug, sid, Role.READER
    )
    versions = versions_of(segment)
    texts = {v.number: v.text for v in versions}
    wanted = VersionPairForm(request.GET, versions=list(texts)).values()
    a, b = wanted["a"], wanted["b"]
    diff = diff_texts(texts[a], texts[b], HISTORY_OPTIONS)
    context = _context(
        edition,
        role,
        document,
        witness,
        segment,
        versions=list(reversed(versions)),
        a=a,
        b=b,
        diff=diff,
        similarity=similarity_figure(diff.similarity),
    )
    template = "editions/segment_history.html"
    if request.htmx:
        template += "#version-diff"
    return render(request, template, context)


@require_POST
def segment_revert(
    request: AuthenticatedHttpRequest, slug: str, doc_slug: str, witness_slug: str, sid: str
) -> HttpResponse:
    edition, role, document, witness, segment = _segment_for(
        request, slug, doc_slug, witness_slug, sid, Role.EDITOR
    )
    history_url = reverse(
        "editions:segment_history", args=[edition.slug, document.slug, witness.slug, sid]
    )
    form = RevertForm(request.POST)
    try:
        if not form.is_valid():
            raise UnknownVersion
        to_version = form.cleaned_data["to"]
        revision = revert(segment, form.cleaned_data["version"], to_version, request.user)
    except (ValueError, UnknownVersion):
        messages.error(request, _("There is no such version of this text to revert to."))
        return redirect_after_post(request, history_url)
    except StaleVersion as stale:
        # "Yours" is the text you asked to bring back.
        yours = text_at(stale.current, to_version)
        context = _conflict_context(edition, role, document, witness, stale.current, yours, "")
        return render(request, "editions/segment_edit.html", context, status=409)
    unchanged = _("Nothing changed: the text is already that of this version.")
    said = _("Reverted to version %(to)s: the text is now version %(version)s.")
    _tell(request, revision, unchanged, said, to=to_version)
    return redirect_after_post(request, history_url)


@require_GET
def witness_history(
    request: AuthenticatedHttpRequest, slug: str, doc_slug: str, witness_slug: str
) -> HttpResponse:
    edition, role, document, witness = witness_for(request, slug, doc_slug, witness_slug)
    revisions = list(
        SegmentRevision.objects.filter(segment__witness=witness)
        .select_related("segment", "user")
        .order_by("-pk")[: WITNESS_HISTORY_LENGTH + 1]
    )
    shown = revisions[:WITNESS_HISTORY_LENGTH]
    entries = list(zip(shown, revision_diffs(shown, HISTORY_OPTIONS), strict=True))
    context = {
        "edition": edition,
        "document": document,
        "witness": witness,
        "entries": entries,
        "truncated": len(revisions) > WITNESS_HISTORY_LENGTH,
        "history_length": WITNESS_HISTORY_LENGTH,
        "can": Abilities(role),
    }
    return render(request, "editions/witness_history.html", context)


@require_POST
def revision_create(
    request: AuthenticatedHttpRequest, slug: str, doc_slug: str, witness_slug: str
) -> HttpResponse:
    edition, _role, document, witness = witness_for(
        request, slug, doc_slug, witness_slug, Role.EDITOR
    )
    if witness.role == WitnessRole.ORIGINAL:
        messages.error(request, _("Only a translation or a revision can be revised."))
        return redirect_after_post(request, document.get_absolute_url())
    form = RevisionLabelForm(request.POST)
    if not form.is_valid():  # too long, or a NUL the database cannot store
        messages.error(request, _("Give the revision a shorter label, in plain text."))
        return redirect_after_post(request, document.get_absolute_url())
    try:
        with transaction.atomic():
            revision = create_revision_witness(witness, label=form.cleaned_data["label"])
    except IntegrityError:  # another revision took the same slug at the same moment
        messages.info(request, _("A revision of this text was just created: here it is."))
        return redirect_after_post(request, document.get_absolute_url())
    messages.success(
        request,
        _("Created %(label)s: correct its text, then compare it with %(parent)s.")
        % {"label": revision.label, "parent": witness.label},
    )
    return redirect_after_post(request, f"{document.get_absolute_url()}#witness-{revision.slug}")
