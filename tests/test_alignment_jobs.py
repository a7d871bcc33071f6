"""Long texts are aligned in the background by the worker, with progress the page polls."""

import pytest
from django.urls import reverse

from editions import align_jobs
from editions.alignment import align
from editions.alignment_store import automatic_rows, rows_of
from editions.models import Alignment, AlignmentJob, JobStatus
from tests.export_fixtures import run_worker_once
from tests.test_aligning import ENGLISH, FRENCH, _aligned, _create, _operate, pair  # noqa: F401


@pytest.fixture
def long_texts(monkeypatch):
    """Every text counts as long: the 3 + 4 paragraphs of `pair` go to the worker."""
    monkeypatch.setattr(align_jobs, "BACKGROUND_UNITS", 2)


def _job_url(job):
    return reverse(
        "editions:alignment_job", args=[job.document.edition.slug, job.document.slug, job.pk]
    )


def test_the_aligner_says_how_far_it_has_got_after_each_pass():
    told = []
    align(FRENCH, ENGLISH, progress=lambda done, total: told.append((done, total)))
    assert told == [(1, 2), (2, 2)]


def test_short_texts_are_still_aligned_within_the_request(client_as, pair):  # noqa: F811
    document, french, english = pair
    response = _create(client_as("editor"), document, french, english)
    assert response.url == Alignment.objects.get().get_absolute_url()
    assert not AlignmentJob.objects.exists()


def test_long_texts_are_queued_and_the_page_shows_the_wait(client_as, pair, long_texts):  # noqa: F811
    document, french, english = pair
    client = client_as("editor")
    response = _create(client, document, french, english)
    job = AlignmentJob.objects.get()
    assert response.status_code == 302 and response.url == _job_url(job)
    assert not Alignment.objects.exists()
    page = client.get(response.url).content.decode()
    assert "Aligning fr with en" in page
    assert "Waiting for the background worker" in page
    assert f'hx-get="{_job_url(job)}"' in page and 'hx-trigger="every 1s"' in page


# The worker closes the database connection when it is done: a transactional test.
@pytest.mark.django_db(transaction=True)
def test_the_worker_aligns_and_the_poll_leads_on_to_the_editor(client_as, pair, long_texts):  # noqa: F811
    document, french, english = pair
    client = client_as("editor")
    _create(client, document, french, english)
    run_worker_once()
    job = AlignmentJob.objects.get()
    alignment = Alignment.objects.get()
    assert job.status == JobStatus.DONE and job.alignment == alignment
    assert job.done == job.total == 3  # two passes of the aligner, then the rows saved
    # The same rows as the aligner makes within a request.
    assert rows_of(alignment) == automatic_rows(french, english)
    poll = client.get(_job_url(job), headers={"HX-Request": "true"})
    assert poll["HX-Redirect"] == alignment.get_absolute_url()
    assert "hx-trigger" not in poll.content.decode()
    assert "Open the alignment editor" in poll.content.decode()


def test_a_pair_already_queued_is_not_queued_twice(client_as, pair, long_texts):  # noqa: F811
    document, french, english = pair
    client = client_as("editor")
    _create(client, document, french, english)
    response = _create(client, document, french, english)
    assert AlignmentJob.objects.count() == 1
    assert response.url == document.get_absolute_url()
    assert "already being aligned" in client.get(response.url).content.decode()


# The worker closes the database connection when it is done: a transactional test.
@pytest.mark.django_db(transaction=True)
def test_a_job_that_cannot_align_says_why_and_saves_nothing(client_as, pair, long_texts):  # noqa: F811
    document, french, english = pair
    client = client_as("editor")
    _create(client, document, french, english)
    # Someone aligned the pair by hand meanwhile (say, a short text made long afterwards).
    from editions.alignment_store import create_alignment

    create_alignment(document, french, english, None)
    run_worker_once()
    job = AlignmentJob.objects.get()
    assert job.status == JobStatus.FAILED
    assert job.message == "These two witnesses are already aligned."
    assert Alignment.objects.count() == 1
    page = client.get(_job_url(job)).content.decode()
    assert "The alignment failed: These two witnesses are already aligned." in page


@pytest.mark.parametrize("role", ["annotator", "reader", "outsider"])
def test_only_editors_start_or_follow_a_background_alignment(client_as, pair, long_texts, role):  # noqa: F811
    document, french, english = pair
    _create(client_as("editor"), document, french, english)
    job = AlignmentJob.objects.get()
    assert client_as(role).get(_job_url(job)).status_code in (403, 404)
    assert _create(client_as(role), document, french, english).status_code in (403, 404)
    assert AlignmentJob.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_re_aligning_long_texts_goes_to_the_worker_too(client_as, pair):  # noqa: F811
    client = client_as("editor")
    alignment = _aligned(client, pair)
    align_jobs.BACKGROUND_UNITS, saved = 2, align_jobs.BACKGROUND_UNITS
    try:
        fragment = _operate(client, alignment, "realign", row=1).content.decode()
    finally:
        align_jobs.BACKGROUND_UNITS = saved
    job = AlignmentJob.objects.get()
    assert "Re-aligning from row 2 in the background." in fragment
    assert f'href="{_job_url(job)}"' in fragment
    assert (job.alignment, job.from_row, job.version) == (alignment, 1, alignment.version)
    assert "Re-aligning from row 2 on" in client.get(_job_url(job)).content.decode()
    poll = client.get(_job_url(job), headers={"HX-Request": "true"})
    assert "HX-Redirect" not in poll  # not done yet: no leaving for the editor
    run_worker_once()
    job.refresh_from_db()
    alignment.refresh_from_db()
    assert job.status == JobStatus.DONE and alignment.version == 2
    assert alignment.changes.latest("pk").operation == "realign"


@pytest.mark.django_db(transaction=True)
def test_a_re_alignment_of_a_page_someone_changed_since_is_refused(client_as, pair):  # noqa: F811
    client = client_as("editor")
    alignment = _aligned(client, pair)
    job = align_jobs.start_realignment(alignment, alignment.version, None, 1)
    Alignment.objects.filter(pk=alignment.pk).update(version=5)  # another edit meanwhile
    run_worker_once()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.message.startswith("Someone else changed this alignment meanwhile")
    assert alignment.changes.count() == 1  # only the first alignment


def test_a_re_alignment_posted_from_an_old_page_is_refused_at_once(client_as, pair, long_texts):  # noqa: F811
    document, french, english = pair
    from editions.alignment_store import create_alignment

    alignment = create_alignment(document, french, english, None)
    Alignment.objects.filter(pk=alignment.pk).update(version=3)  # someone edited it since
    stale = alignment.version  # the page's, older than the stored one
    fragment = _operate(client_as("editor"), alignment, "realign", row=1, version=stale)
    assert "Someone else changed this alignment meanwhile" in fragment.content.decode()
    assert not AlignmentJob.objects.exists()
