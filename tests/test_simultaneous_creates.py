"""Fifteen identical creates at once (a double click, a retrying client) answer with the
existing object or a message, never a server error: where a unique constraint decides, its
IntegrityError is caught. Threads posting at one barrier, on PostgreSQL (SQLite serialises
its writers, so the race cannot happen there)."""

import threading

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.urls import reverse

from editions.models import Alignment, Category, Document, Edition, Membership, Witness, WitnessRole

from .conftest import FIXTURES

AT_ONCE = 15

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one writer at a time: simultaneous creates cannot collide")


def at_once(username: str, url: str, data: dict) -> list[int]:
    """Post ``data`` to ``url`` from ``AT_ONCE`` clients released together; their statuses."""
    user = get_user_model().objects.get(username=username)
    clients = []
    for _n in range(AT_ONCE):
        client = Client(raise_request_exception=False)
        client.force_login(user)
        clients.append(client)
    barrier = threading.Barrier(AT_ONCE)
    statuses: list[int] = []

    def post(client):
        try:
            barrier.wait()
            statuses.append(client.post(url, data).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def no_server_error(statuses: list[int]) -> None:
    assert len(statuses) == AT_ONCE
    assert all(status < 500 for status in statuses), statuses


def test_one_edition_for_one_slug(edition):
    url = reverse("editions:edition_create")
    statuses = at_once("owner", url, {"title": "Same", "slug": "same"})
    no_server_error(statuses)
    assert Edition.objects.filter(slug="same").count() == 1
    assert Membership.objects.filter(edition__slug="same").count() == 1


def test_one_category_for_one_name(edition):
    url = reverse("editions:categories", args=[edition.slug])
    statuses = at_once("owner", url, {"name": "Same", "color": "#123456", "position": 0})
    no_server_error(statuses)
    assert Category.objects.filter(edition=edition, name="Same").exists()


def test_revisions_of_one_witness(document):
    witness = document.witnesses.get()
    url = reverse(
        "editions:revision_create", args=[document.edition.slug, document.slug, witness.slug]
    )
    no_server_error(at_once("editor", url, {"label": ""}))
    assert Witness.objects.filter(revision_of=witness).exists()


def test_one_title_imported_at_once(edition):
    url = reverse("editions:import_record", args=[edition.slug])
    seed = (FIXTURES / "wilson-circular-96-1962-11-10.md").read_text()
    no_server_error(at_once("editor", url, {"text": seed, "filename": "w.md", "save": "1"}))
    assert Document.objects.filter(edition=edition).exists()


def test_one_alignment_for_one_pair(document):
    english = document.witnesses.get()
    french = Witness.objects.create(
        document=document, slug="fr", label="FR", language="fr", role=WitnessRole.ORIGINAL
    )
    french.segments.create(sid="p1", position=0, text="M. Rusk l'a souligné.")
    url = reverse("editions:alignment_create", args=[document.edition.slug, document.slug])
    no_server_error(at_once("editor", url, {"source": french.pk, "target": english.pk}))
    assert Alignment.objects.filter(source=french, target=english).count() == 1


def test_one_membership_for_one_user(edition):
    url = reverse("editions:members", args=[edition.slug])
    no_server_error(at_once("owner", url, {"username": "outsider", "role": "reader"}))
    assert Membership.objects.filter(edition=edition, user__username="outsider").count() == 1
