"""A user may have only EXPORT_JOBS_PER_USER whole-edition exports waiting or running."""

import pytest
from django.urls import reverse

from editions.models import ExportJob, JobStatus

LIMIT = 3


@pytest.fixture(autouse=True)
def limit(settings):
    settings.EXPORT_JOBS_PER_USER = LIMIT


def _start(client, edition):
    url = reverse("editions:edition_export_start", args=[edition.slug])
    return client.post(url, {"format": ["tei", "csv"]})


def test_a_reader_starts_three_exports_and_the_fourth_is_refused_with_a_message(
    client_as, document
):
    client = client_as("reader")
    for _ in range(LIMIT):
        assert _start(client, document.edition).status_code == 302
    refused = _start(client, document.edition)
    assert refused.status_code == 429
    assert (
        "You already have 3 exports waiting or running: wait until one is ready"
        in refused.content.decode()
    )
    assert ExportJob.objects.count() == LIMIT


def test_a_finished_or_failed_export_frees_its_place(client_as, document):
    client = client_as("reader")
    for _ in range(LIMIT):
        _start(client, document.edition)
    first, second = ExportJob.objects.order_by("pk")[:2]
    ExportJob.objects.filter(pk=first.pk).update(status=JobStatus.DONE)
    ExportJob.objects.filter(pk=second.pk).update(status=JobStatus.FAILED)
    assert _start(client, document.edition).status_code == 302
    assert _start(client, document.edition).status_code == 302
    assert _start(client, document.edition).status_code == 429


def test_the_limit_is_per_user(client_as, document):
    for _ in range(LIMIT):
        _start(client_as("reader"), document.edition)
    assert _start(client_as("editor"), document.edition).status_code == 302
    assert ExportJob.objects.filter(status=JobStatus.QUEUED).count() == LIMIT + 1
