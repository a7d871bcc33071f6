"""An editor exports the aligned, annotated demo document and then the whole edition."""

import io
import re
import zipfile

import docx
import pytest
from django.contrib.auth import get_user_model
from lxml import etree
from playwright.sync_api import expect

from editions.annotating import Span, create_annotation, ensure_categories
from editions.exporters import FORMATS, available_keys
from editions.exporters.bundle import edition_file_count
from editions.models import Document, Edition
from tests.export_fixtures import run_worker_once

from .test_alignment_editor import _add_original_and_align

pytestmark = pytest.mark.browser

NOTE = "Rusk is Dean Rusk, the Secretary of State."


def _annotate() -> Document:
    document = Document.objects.get(slug__startswith="letter-from")
    ensure_categories(document.edition)
    segment = document.witnesses.get(slug="cvce-en").segments.get(sid="p2")
    create_annotation(
        user=get_user_model().objects.get(username="demo"),
        document=document,
        spans=[Span(segment, 3, 7)],
        body=NOTE,
        category=document.edition.categories.get(slug="historical-context"),
    )
    return document


def _download(page, name: str):
    with page.expect_download() as info:
        page.get_by_role("link", name=name).click()
    download = info.value
    return download.suggested_filename, open(download.path(), "rb").read()


def test_an_editor_downloads_tei_and_docx_and_exports_the_edition_in_the_background(
    page, live_server, demo, artifacts
):
    _add_original_and_align(page, live_server)
    document = _annotate()
    page.goto(f"{live_server.url}{document.get_absolute_url()}")
    page.get_by_role("link", name="Export", exact=True).click()
    expect(page.locator("h1")).to_contain_text("Export “Letter from Hervé Alphand")

    name, tei = _download(page, "TEI P5")
    assert name == f"{document.slug}.tei.xml"
    root = etree.fromstring(tei)
    ns = {"t": "http://www.tei-c.org/ns/1.0"}
    assert root.find(".//t:linkGrp[@type='alignment']/t:link", ns) is not None
    assert root.findtext(".//t:annotation/t:note[@type='body']", namespaces=ns) == NOTE

    name, data = _download(page, "Word (DOCX)")
    assert name == f"{document.slug}.docx"
    comments = list(docx.Document(io.BytesIO(data)).comments)
    assert len(comments) == 1 and NOTE in comments[0].text

    page.get_by_role("link", name="Export the whole edition").click()
    page.get_by_role("button", name="Export the whole edition").click()
    job = page.locator(".export-job").first
    progress = job.locator("progress")
    expect(progress).to_be_visible()
    # A document with one text gives no translation memory (nothing is aligned in it).
    total = edition_file_count(Edition.objects.get(slug="cuban-crisis-1962"), list(FORMATS))
    expect(job).to_contain_text(f"0 of {total} files")
    expect(job).to_contain_text("Waiting for the background worker")
    page.screenshot(path=artifacts / "export-queued.png", full_page=True)

    run_worker_once()  # what `manage.py db_worker` does, once, in this process

    link = job.get_by_role("link", name=re.compile(r"Download cuban-crisis-1962\.zip"))
    expect(link).to_be_visible(timeout=10_000)  # the progress bar polls every second
    expect(progress).to_have_count(0)
    page.screenshot(path=artifacts / "export-ready.png", full_page=True)
    with page.expect_download() as info:
        link.click()
    names = zipfile.ZipFile(info.value.path()).namelist()
    assert len(names) == total
    for document in Edition.objects.get(slug="cuban-crisis-1962").documents.all():
        for key in available_keys(document, list(FORMATS)):
            assert f"cuban-crisis-1962/{document.slug}{FORMATS[key].suffix}" in names
