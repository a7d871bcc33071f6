"""The export pages, the background export of a whole edition, the command line, the demo."""

import io
import zipfile

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from editions.exporters import FORMATS
from editions.exporters.data import load
from editions.exporters.html import context
from editions.models import Annotation, Document, ExportJob

from .conftest import doc_url, edition_url
from .export_fixtures import (  # noqa: F401
    PRIVATE_NOTE,
    annotated_fixture,
    run_worker_once,
)
from .test_exchange_import import BILLION_LAUGHS, _without_export_date


def test_the_document_and_edition_pages_link_to_their_export_pages(client_as, document):
    client = client_as("reader")
    page = client.get(document.get_absolute_url()).content.decode()
    assert doc_url(document, "document_export") in page
    page = client.get(document.edition.get_absolute_url()).content.decode()
    assert edition_url(document.edition, "edition_export") in page


def test_the_document_export_page_offers_every_format_of_an_aligned_document(client_as, annotated):
    document = annotated.document
    page = client_as("reader").get(doc_url(document, "document_export")).content.decode()
    for key in FORMATS:
        assert doc_url(document, "document_export_file", key) in page


def test_a_one_text_document_is_offered_no_memory_and_told_why(client_as, document):
    client = client_as("reader")
    page = client.get(doc_url(document, "document_export")).content.decode()
    for key in ("tmx", "tmx-sentences"):
        assert doc_url(document, "document_export_file", key) not in page
        refused = client.get(doc_url(document, "document_export_file", key))
        assert refused.status_code == 409 and "no alignment" in refused.content.decode()
    assert "A translation memory pairs aligned texts" in page
    assert doc_url(document, "document_export_file", "tei") in page
    only_tmx = client.get(doc_url(document, "document_export_download"), {"format": ["tmx"]})
    assert only_tmx.status_code == 400 and "no alignment" in only_tmx.content.decode()


@pytest.mark.parametrize("key", list(FORMATS))
def test_every_format_downloads_with_its_type_and_name(client_as, annotated, key):
    response = client_as("reader").get(doc_url(annotated.document, "document_export_file", key))
    assert response.status_code == 200
    assert response["Content-Type"] == FORMATS[key].media_type
    disposition = response["Content-Disposition"]
    assert disposition == f'attachment; filename="{annotated.document.slug}{FORMATS[key].suffix}"'
    assert len(response.content) > 500
    assert PRIVATE_NOTE.encode() not in response.content


def test_a_private_note_stays_out_of_even_its_authors_exports(client_as, annotated):
    assert Annotation.objects.get(body=PRIVATE_NOTE).author.username == "annotator"
    client = client_as("annotator")
    for key in ("jsonld", "csv", "tei"):
        response = client.get(doc_url(annotated.document, "document_export_file", key))
        assert PRIVATE_NOTE not in response.content.decode("utf-8-sig"), key


def test_several_formats_download_as_one_zip(client_as, annotated):
    url = doc_url(annotated.document, "document_export_download")
    response = client_as("reader").get(url, {"format": ["tei", "csv"]})
    assert response["Content-Type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    slug = annotated.document.slug
    assert names == [f"{slug}.tei.xml", f"{slug}.annotations.csv"]
    refused = client_as("reader").get(url, {"format": ["nonsense"]})
    assert refused.status_code == 400 and b"Select a valid choice" in refused.content


def test_exports_follow_the_edition_permissions(client_as, document):
    url = doc_url(document, "document_export_file", "tei")
    assert client_as("outsider").get(url).status_code == 404
    assert client_as("reader").get(
        doc_url(document, "document_export_file", "odt")
    ).status_code == (404)
    client_as(None).logout()
    assert client_as(None).get(url).status_code == 302  # to the sign-in page


def export_by_command(document, key: str, output, *more: str) -> None:
    """``manage.py export_edition``: the document in the format ``key``, to ``output``."""
    options = ["--format", key, "--document", document.slug, "--output", str(output), *more]
    call_command("export_edition", document.edition.slug, *options, stdout=io.StringIO())


def test_the_command_line_writes_what_the_browser_downloads(client_as, annotated, tmp_path):
    document = annotated.document
    for key in ("tei", "jsonld", "csv", "tmx", "tmx-sentences"):
        downloaded = client_as("reader").get(doc_url(document, "document_export_file", key))
        path = tmp_path / f"out-{key}"
        export_by_command(document, key, path, "--base-url", "http://testserver/")
        written, served = path.read_bytes(), downloaded.content
        if key == "tei":
            written, served = _without_export_date(written), _without_export_date(served)
        if key.startswith("tmx"):  # its header carries the moment it was made
            written, served = written.split(b"<body>")[1], served.split(b"<body>")[1]
        assert written == served, key


def test_the_command_line_exports_a_whole_edition_as_a_zip(annotated, tmp_path):
    call_command(
        "export_edition",
        annotated.document.edition.slug,
        "--format",
        "csv",
        "--format",
        "html",
        "--output",
        str(tmp_path),
        stdout=io.StringIO(),
    )
    names = zipfile.ZipFile(tmp_path / "test-edition.zip").namelist()
    slug = annotated.document.slug
    assert names == [f"test-edition/{slug}.annotations.csv", f"test-edition/{slug}.html"]


# -- The whole edition in the background ----------------------------------------------------


def _start(client, edition, formats=("tei", "csv")):
    return client.post(edition_url(edition, "edition_export_start"), {"format": list(formats)})


@pytest.mark.django_db(transaction=True)
def test_a_whole_edition_export_is_queued_polled_run_by_the_worker_and_downloaded(
    client_as, annotated
):
    edition = annotated.document.edition
    client = client_as("reader")
    assert _start(client, edition).status_code == 302
    job = ExportJob.objects.get()
    assert (job.status, job.total, job.formats) == ("queued", 2, ["tei", "csv"])
    assert DBTaskResult.objects.get(id=job.task_id).status == "READY"
    poll = client.get(edition_url(edition, "export_job", job.pk), headers={"HX-Request": "true"})
    fragment = poll.content.decode()
    assert 'hx-trigger="every 1s"' in fragment and "<progress" in fragment
    assert "0 of 2 files" in fragment and "db_worker" in fragment

    run_worker_once()

    job.refresh_from_db()
    assert (job.status, job.done, job.total) == ("done", 2, 2)
    assert DBTaskResult.objects.get(id=job.task_id).status == "SUCCESSFUL"
    poll = client.get(edition_url(edition, "export_job", job.pk), headers={"HX-Request": "true"})
    fragment = poll.content.decode()
    assert "hx-trigger" not in fragment  # finished: the polling stops
    download = edition_url(edition, "export_job_download", job.pk)
    assert download in fragment
    archive = zipfile.ZipFile(io.BytesIO(client.get(download).content))
    slug = annotated.document.slug
    assert archive.namelist() == [
        f"test-edition/{slug}.tei.xml",
        f"test-edition/{slug}.annotations.csv",
    ]


@pytest.mark.slow  # the PDF in parts and a DOCX, through the worker
@pytest.mark.django_db(transaction=True)
def test_a_long_file_reports_its_steps_to_the_job_page_as_it_goes(
    client_as, annotated, monkeypatch
):
    from editions.exporters import jobs, pdf

    # The PDF in parts of one row (a book's are a few hundred), every step written.
    monkeypatch.setattr(pdf, "WHOLE_ROWS", 1)
    monkeypatch.setattr(pdf, "PART_ROWS", 1)
    monkeypatch.setattr(jobs, "PROGRESS_SECONDS", 0)
    edition = annotated.document.edition
    client = client_as("reader")
    _start(client, edition, formats=("pdf", "docx"))
    job = ExportJob.objects.get()
    seen: list[tuple[int, int, int, int]] = []  # the job as stored: done, step, steps, %
    pages: list[str] = []  # the job's page while the PDF is half laid out
    bundle = jobs.edition_bundle

    def watched(edition, keys, base_url, progress):
        def progress_and_look(done, total, step, steps):
            progress(done, total, step, steps)
            stored = ExportJob.objects.get(pk=job.pk)
            seen.append((stored.done, stored.step, stored.steps, stored.percent))
            if done == 0 and step == 2:
                url = edition_url(edition, "export_job", job.pk)
                pages.append(client.get(url, headers={"HX-Request": "true"}).content.decode())

        return bundle(edition, keys, base_url, progress_and_look)

    monkeypatch.setattr(jobs, "edition_bundle", watched)
    run_worker_once()

    job.refresh_from_db()
    assert (job.status, job.done, job.step, job.steps) == ("done", 2, 0, 0)
    pdf_steps = [s for s in seen if s[0] == 0]
    parts = pdf_steps[0][2]
    # Each part laid out (the rows one by one, then the notes), then the joining.
    laid_out = context(load(annotated.document, ""))
    assert parts == len(pdf.parts(laid_out["rows"], laid_out["notes"])) + 1 > 3
    assert [s[1] for s in pdf_steps] == list(range(1, parts + 1))
    percents = [s[3] for s in seen]
    assert percents == sorted(percents) and 0 < percents[0] < 50 and max(percents) < 100
    docx_steps = [s for s in seen if s[0] == 1 and s[2]]
    assert len(docx_steps) > 2  # the rows of the DOCX's table, one by one
    assert "0 of 2 files" in pages[0] and f"the next one {round(200 / parts)}% written" in pages[0]


@pytest.mark.django_db(transaction=True)
def test_a_failing_export_says_so_and_stops_polling(client_as, annotated, monkeypatch):
    from editions.exporters import jobs

    def broken(*args, **kwargs):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(jobs, "edition_bundle", broken)
    edition = annotated.document.edition
    client = client_as("reader")
    _start(client, edition)
    run_worker_once()
    job = ExportJob.objects.get()
    assert (job.status, job.message) == ("failed", "the disk is full")
    assert DBTaskResult.objects.get(id=job.task_id).status == "FAILED"
    fragment = client.get(
        edition_url(edition, "export_job", job.pk), headers={"HX-Request": "true"}
    ).content.decode()
    assert "The export failed: the disk is full" in fragment and "hx-trigger" not in fragment
    assert client.get(edition_url(edition, "export_job_download", job.pk)).status_code == 404


def test_an_export_page_lists_only_ones_own_jobs(client_as, annotated):
    edition = annotated.document.edition
    _start(client_as("editor"), edition)
    job = ExportJob.objects.get()
    client = client_as("reader")
    page = client.get(edition_url(edition, "edition_export")).content.decode()
    assert f'id="job-{job.pk}"' not in page
    poll = client.get(edition_url(edition, "export_job", job.pk), headers={"HX-Request": "true"})
    assert poll.status_code == 404


def test_starting_an_export_needs_a_format(client_as, document):
    response = _start(client_as("reader"), document.edition, formats=())
    assert response.status_code == 400 and b"Choose at least one format." in response.content
    assert not ExportJob.objects.exists()


# -- Importing back from the browser --------------------------------------------------------


def test_an_editor_imports_an_exported_tei_file_as_a_new_document(client_as, annotated):
    tei = client_as("reader").get(doc_url(annotated.document, "document_export_file", "tei"))
    upload = io.BytesIO(tei.content)
    upload.name = "letter.tei.xml"
    url = edition_url(annotated.document.edition, "exchange_import")
    assert client_as("reader").post(url, {"file": upload}).status_code == 403
    upload.seek(0)
    response = client_as("editor").post(url, {"file": upload}, follow=True)
    copy = Document.objects.exclude(pk=annotated.document.pk).get()
    assert response.redirect_chain[-1][0] == copy.get_absolute_url()
    assert copy.annotations.count() == 5 and copy.alignments.count() == 1


def test_a_hostile_upload_is_refused_with_its_reason_and_nothing_saved(client_as, edition):
    upload = io.BytesIO(BILLION_LAUGHS)
    upload.name = "bomb.tei.xml"
    response = client_as("editor").post(edition_url(edition, "exchange_import"), {"file": upload})
    assert response.status_code == 400
    assert "billion laughs" in response.content.decode() and "Nothing was saved." in (
        response.content.decode()
    )
    assert not Document.objects.exists()


# -- The demo runs the worker beside the web server -----------------------------------------


@pytest.mark.django_db
@pytest.mark.slow
def test_the_demo_starts_the_worker_and_stops_it_when_the_server_stops(monkeypatch):
    from editions.management.commands import demo

    started = []

    class FakeWorker:
        pid = 4242

        def __init__(self, args):
            self.args, self.running = args, True
            started.append(self)

        def poll(self):
            return None if self.running else 0

        def terminate(self):
            self.running = False

        def wait(self, timeout=None):
            return 0

    running_while_served = []
    monkeypatch.setattr(demo.subprocess, "Popen", FakeWorker)
    monkeypatch.setattr(
        demo.uvicorn,
        "run",
        lambda *args, **kwargs: running_while_served.append(started[0].running),
    )
    out = io.StringIO()
    call_command("demo", stdout=out)
    worker = started[0]
    assert worker.args[1].endswith("manage.py")
    assert worker.args[2:] == ["db_worker", "--no-reload"]
    assert running_while_served == [True] and not worker.running
    assert "Background worker started (process 4242)." in out.getvalue()
    assert "Background worker stopped." in out.getvalue()


@pytest.mark.parametrize("key", list(FORMATS))
def test_the_command_line_writes_every_format_under_its_own_name(annotated, tmp_path, key):
    document = annotated.document
    export_by_command(document, key, tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == [f"{document.slug}{FORMATS[key].suffix}"]


def test_a_job_whose_task_died_unreported_is_shown_as_failed(client_as, document):
    """The worker records a task that could not even start; the page must not wait forever."""
    from editions.exporters.jobs import run_export

    job = ExportJob.objects.create(
        edition=document.edition,
        requested_by=document.edition.memberships.get(role="reader").user,
        formats=["tei"],
        base_url="http://testserver/",
        total=1,
    )
    result = run_export.enqueue(job.pk)
    ExportJob.objects.filter(pk=job.pk).update(task_id=result.id)
    DBTaskResult.objects.filter(id=result.id).update(status="FAILED")
    fragment = client_as("reader").get(
        edition_url(document.edition, "export_job", job.pk), headers={"HX-Request": "true"}
    )
    assert "The export failed: The worker could not run the export." in fragment.content.decode()
    job.refresh_from_db()
    assert job.status == "failed" and job.finished_at is not None


def test_a_finished_job_without_its_archive_is_not_served(client_as, edition):
    reader = get_user_model().objects.get(username="reader")
    job = ExportJob.objects.create(
        edition=edition, requested_by=reader, status="done", archive_name="e.zip", archive=None
    )
    download = client_as("reader").get(edition_url(edition, "export_job_download", job.pk))
    assert download.status_code == 404
