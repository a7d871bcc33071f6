"""Exporting: a document in one format or several, a whole edition in the background, and
importing an exported TEI file (or a translation memory) back.

Anyone who may read an edition may export it: the files hold what they can read (private
annotations are never exported). Importing needs an editor.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from ..exporters import FORMATS, ExportFile, available_keys, export_document, unavailable
from ..exporters.bundle import ZIP_TYPE, document_bundle
from ..exporters.jobs import recover_stale_jobs, refresh, start_export
from ..forms import ExchangeImportForm, FormatsForm
from ..http import AuthenticatedHttpRequest
from ..importers.base import RecordError
from ..importers.exchange import import_exchange
from ..models import Edition, ExportJob, JobStatus, Role
from ..permissions import Abilities, document_for, edition_for
from .common import redirect_after_post

RECENT_JOBS = 5


def _base_url(request: AuthenticatedHttpRequest) -> str:
    return request.build_absolute_uri("/")


def _download(item: ExportFile) -> HttpResponse:
    response = HttpResponse(item.data, content_type=item.media_type)
    # None only for an inline file without a name; a download always has one.
    if disposition := content_disposition_header(True, item.name):
        response["Content-Disposition"] = disposition
    return response


# -- One document -------------------------------------------------------------------------


@require_GET
def document_export(request: AuthenticatedHttpRequest, slug: str, doc_slug: str) -> HttpResponse:
    edition, role, document = document_for(request, slug, doc_slug)
    form = FormatsForm(initial={"format": available_keys(document, list(FORMATS))})
    return render(request, "editions/document_export.html", _document_page(document, role, form))


def _document_page(document, role, form: FormatsForm) -> dict:
    return {
        "edition": document.edition,
        "document": document,
        # Each format with why it cannot be had here ("" when it can).
        "formats": [(fmt, unavailable(document, fmt.key)) for fmt in FORMATS.values()],
        "form": form,
        "can": Abilities(role),
    }


@require_GET
def document_export_file(
    request: AuthenticatedHttpRequest, slug: str, doc_slug: str, fmt: str
) -> HttpResponse:
    edition, _role, document = document_for(request, slug, doc_slug)
    if fmt not in FORMATS:
        raise Http404("No such format.")
    if reason := unavailable(document, fmt):
        return HttpResponse(reason, status=409, content_type="text/plain; charset=utf-8")
    return _download(export_document(document, fmt, _base_url(request)))


@require_GET
def document_export_download(
    request: AuthenticatedHttpRequest, slug: str, doc_slug: str
) -> HttpResponse:
    """The chosen formats: one file, or a ZIP of several."""
    edition, role, document = document_for(request, slug, doc_slug)
    form = FormatsForm(request.GET)
    if form.is_valid() and not available_keys(document, form.cleaned_data["format"]):
        form.add_error("format", unavailable(document, form.cleaned_data["format"][0]))
    if not form.is_valid():
        context = _document_page(document, role, form)
        return render(request, "editions/document_export.html", context, status=400)
    keys = form.cleaned_data["format"]
    return _download(document_bundle(document, keys, _base_url(request)))


# -- A whole edition, in the background ---------------------------------------------------


def _edition_page(request, edition: Edition, role, **extra) -> dict:
    jobs = ExportJob.objects.filter(edition=edition, requested_by=request.user).defer("archive")
    # A job its worker lost is queued again or failed before it is shown as running.
    recover_stale_jobs(list(jobs.filter(status=JobStatus.RUNNING).values_list("pk", flat=True)))
    return {
        "edition": edition,
        "documents": edition.documents.all(),
        "formats": FORMATS.values(),
        "form": FormatsForm(initial={"format": list(FORMATS)}),
        "import_form": ExchangeImportForm(),
        "jobs": jobs[:RECENT_JOBS],
        "can": Abilities(role),
        **extra,
    }


@require_GET
def edition_export(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    edition, role = edition_for(request, slug)
    return render(request, "editions/edition_export.html", _edition_page(request, edition, role))


@require_POST
def edition_export_start(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    edition, role = edition_for(request, slug)
    form = FormatsForm(request.POST)
    if not form.is_valid():
        context = _edition_page(request, edition, role, form=form)
        return render(request, "editions/edition_export.html", context, status=400)
    with transaction.atomic():
        # The user's row, locked: two clicks at once cannot both slip under the limit.
        get_user_model().objects.select_for_update().filter(pk=request.user.pk).first()
        if _open_jobs(request.user) >= settings.EXPORT_JOBS_PER_USER:
            messages.error(request, _too_many_jobs_message())
            context = _edition_page(request, edition, role, form=form)
            return render(request, "editions/edition_export.html", context, status=429)
        start_export(edition, request.user, form.cleaned_data["format"], _base_url(request))
    return redirect_after_post(request, reverse("editions:edition_export", args=[edition.slug]))


def _open_jobs(user) -> int:
    """The user's exports waiting for the worker or running, in any edition."""
    open_statuses = [JobStatus.QUEUED, JobStatus.RUNNING]
    return ExportJob.objects.filter(requested_by=user, status__in=open_statuses).count()


def _too_many_jobs_message() -> str:
    limit = settings.EXPORT_JOBS_PER_USER
    return ngettext(
        "You already have %(limit)s export waiting or running: wait until it is ready, "
        "then start another.",
        "You already have %(limit)s exports waiting or running: wait until one is ready, "
        "then start another.",
        limit,
    ) % {"limit": limit}


def _job(request: AuthenticatedHttpRequest, slug: str, job_id: int) -> tuple[Edition, ExportJob]:
    edition, _role = edition_for(request, slug)
    jobs = ExportJob.objects.filter(edition=edition, requested_by=request.user)
    return edition, get_object_or_404(jobs.defer("archive"), pk=job_id)


@require_GET
def export_job(request: AuthenticatedHttpRequest, slug: str, job_id: int) -> HttpResponse:
    """The job's progress: what the progress bar polls."""
    edition, job = _job(request, slug, job_id)
    if not request.htmx:
        return redirect("editions:edition_export", edition.slug)
    context = {"edition": edition, "job": refresh(job)}
    return render(request, "editions/edition_export.html#job", context)


@require_GET
def export_job_download(request: AuthenticatedHttpRequest, slug: str, job_id: int) -> HttpResponse:
    _edition, job = _job(request, slug, job_id)
    if job.status != JobStatus.DONE:
        raise Http404("This export is not ready.")
    archive = ExportJob.objects.values_list("archive", flat=True).get(pk=job.pk)
    if archive is None:  # a finished job always has one; without it, there is nothing to serve
        raise Http404("This export is not ready.")
    return _download(ExportFile(job.archive_name, ZIP_TYPE, bytes(archive)))


# -- Importing an exchange file back ------------------------------------------------------


@require_POST
def exchange_import(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    edition, role = edition_for(request, slug, needs=Role.EDITOR)
    form = ExchangeImportForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            document, warnings = import_exchange(
                upload.read(), edition=edition, user=request.user, filename=upload.name
            )
        except IntegrityError:  # the same file saved at the same moment took the slug first
            form.add_error("file", _("This file was just imported: see the edition's page."))
        except RecordError as exc:
            form.add_error("file", str(exc))
        else:
            messages.success(
                request,
                _("Imported “%(title)s” with %(count)s texts.")
                % {"title": document.title, "count": document.witnesses.count()},
            )
            for warning in warnings:
                messages.warning(request, warning)
            return redirect(document)
    context = _edition_page(request, edition, role, import_form=form)
    return render(request, "editions/edition_export.html", context, status=400)
