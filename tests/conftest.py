import io
import os
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation

from editions.importers import parse_record, save_record
from editions.models import (
    Document,
    Edition,
    FootnoteRef,
    Membership,
    Role,
    Segment,
    Witness,
    WitnessRole,
)

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED = REPO_ROOT.parent / "shared"
FIXTURES = REPO_ROOT / "fixtures"
PASSWORD = "a-long-test-password-1962"


def need_or_skip(ok: bool, reason: str) -> None:
    """Skip on a user's machine; fail in CI, where nothing may be skipped silently."""
    if ok:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI must not skip this)")
    pytest.skip(reason)


@pytest.fixture
def shared_dir() -> Path:
    need_or_skip(SHARED.is_dir(), f"../shared is absent ({SHARED}): the shared data is not here")
    return SHARED


def doc_url(document, name: str, *args) -> str:
    """The URL of the document's view ``name`` (``editions:name``), with any further arguments."""
    return reverse(f"editions:{name}", args=[document.edition.slug, document.slug, *args])


def edition_url(edition, name: str, *args) -> str:
    """The URL of the edition's view ``name`` (``editions:name``), with any further arguments."""
    return reverse(f"editions:{name}", args=[edition.slug, *args])


def add_text(document: Document, markdown: str, language: str, role: str) -> Witness:
    """``markdown`` read as a record and saved as a witness of ``document``."""
    return save_record(
        parse_record(markdown),
        edition=document.edition,
        document=document,
        language=language,
        role=role,
    )


def make_user(username: str):
    return get_user_model().objects.create_user(username=username, password=PASSWORD)


@pytest.fixture
def edition(db) -> Edition:
    """A private edition with one member per role, and an outsider who belongs to nothing."""
    edition = Edition.objects.create(title="Test edition", slug="test-edition")
    for role in Role:
        Membership.objects.create(edition=edition, user=make_user(role.value), role=role)
    make_user("outsider")
    return edition


@pytest.fixture
def document(edition) -> Document:
    """A document with a translation of two paragraphs, one calling a footnote."""
    document = Document.objects.create(
        edition=edition,
        slug="alphand-1962-10-26",
        title="Letter from Hervé Alphand to Maurice Couve de Murville",
        author="Hervé Alphand",
        reference_numbers="T. Nos 5983 to 5985",
    )
    witness = Witness.objects.create(
        document=document,
        slug="cvce-en",
        label="CVCE translation",
        language="en",
        role=WitnessRole.TRANSLATION,
        translator="CVCE.EU by UNI.LU",
        next_serial=4,
    )
    Segment.objects.create(witness=witness, sid="p1", position=0, text="Mr Rusk stressed it.")
    p2 = Segment.objects.create(
        witness=witness, sid="p2", position=1, text="In my telegram Nos 5978–5982, I set out."
    )
    n3 = Segment.objects.create(
        witness=witness,
        sid="n3",
        position=2,
        kind="footnote",
        label="1",
        text="This telegram of the same date.",
    )
    FootnoteRef.objects.create(segment=p2, note=n3, label="1", offset=29)
    return document


@pytest.fixture(scope="module")
def demo_loaded(django_db_setup, django_db_blocker):
    """The demo's editions (`load_demo`), loaded once for the module that asks for them.

    Loading takes about a second; the tests that only read the demo share one load. Each test
    still rolls back what it changes (``db``); the module's end empties the tables, as a
    transactional test's end does. Not for modules with ``transactional_db`` tests.
    """
    from django.core.management import call_command

    with django_db_blocker.unblock():
        call_command("load_demo", stdout=io.StringIO())
    yield
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def client_as(client):
    """Sign the test client in as the named user."""

    def sign_in(username: str | None):
        if username is not None:
            client.force_login(get_user_model().objects.get(username=username))
        return client

    return sign_in


@pytest.fixture(autouse=True)
def english_interface():
    """Each test starts in English, whatever language an earlier test activated."""
    translation.activate("en")
    yield
    translation.activate("en")


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with empty caches: database ids are reused between tests."""
    from django.core.cache import cache

    from editions import docpage

    cache.clear()
    docpage._RECENT.clear()
