"""Each role on each view: who may read, who may change texts, who may manage members."""

import pytest
from django.urls import reverse

from editions.models import Membership, Role

ALL = ["owner", "editor", "annotator", "reader", "outsider", None]

READ = {"owner": 200, "editor": 200, "annotator": 200, "reader": 200, "outsider": 404, None: 302}
EDIT = {"owner": 200, "editor": 200, "annotator": 403, "reader": 403, "outsider": 404, None: 302}
MANAGE = {"owner": 200, "editor": 403, "annotator": 403, "reader": 403, "outsider": 404, None: 302}

GET_PAGES = [
    ("editions:edition_detail", lambda d: [d.edition.slug], READ),
    ("editions:document_detail", lambda d: [d.edition.slug, d.slug], READ),
    ("editions:document_edit", lambda d: [d.edition.slug, d.slug], EDIT),
    ("editions:import_record", lambda d: [d.edition.slug], EDIT),
    ("editions:witness_add", lambda d: [d.edition.slug, d.slug], EDIT),
    ("editions:members", lambda d: [d.edition.slug], MANAGE),
    ("editions:edition_edit", lambda d: [d.edition.slug], MANAGE),
]


@pytest.mark.parametrize("user", ALL)
@pytest.mark.parametrize(("name", "args", "statuses"), GET_PAGES, ids=[p[0] for p in GET_PAGES])
def test_each_role_gets_what_it_may_see(client_as, document, user, name, args, statuses):
    response = client_as(user).get(reverse(name, args=args(document)))
    assert response.status_code == statuses[user]
    if statuses[user] == 302:
        assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("user", ["outsider", "reader", "owner"])
def test_a_public_edition_is_readable_by_everyone_signed_in_but_only_members_change_it(
    client_as, document, user
):
    document.edition.is_public = True
    document.edition.save()
    client = client_as(user)
    assert client.get(document.get_absolute_url()).status_code == 200
    edit = client.get(
        reverse("editions:document_edit", args=[document.edition.slug, document.slug])
    )
    assert edit.status_code == (200 if user == "owner" else 403)


def test_the_edition_list_shows_only_editions_the_user_may_read(client_as, document):
    assert "Test edition" in client_as("reader").get(reverse("editions:edition_list")).text
    assert "Test edition" not in client_as("outsider").get(reverse("editions:edition_list")).text


POSTS = [
    ("editions:document_edit", lambda d: [d.edition.slug, d.slug], "editor"),
    ("editions:import_record", lambda d: [d.edition.slug], "editor"),
    ("editions:witness_add", lambda d: [d.edition.slug, d.slug], "editor"),
    ("editions:members", lambda d: [d.edition.slug], "owner"),
    ("editions:edition_edit", lambda d: [d.edition.slug], "owner"),
]


@pytest.mark.parametrize(("name", "args", "needs"), POSTS, ids=[p[0] for p in POSTS])
@pytest.mark.parametrize("user", ["annotator", "reader", "outsider"])
def test_writes_are_refused_below_the_needed_role(client_as, document, name, args, needs, user):
    response = client_as(user).post(reverse(name, args=args(document)), {"title": "X"})
    assert response.status_code == (404 if user == "outsider" else 403)
    document.refresh_from_db()
    assert document.title.startswith("Letter from")


@pytest.mark.parametrize("user", ["editor", "annotator", "reader", "outsider"])
def test_only_owners_change_or_remove_members(client_as, document, user):
    target = Membership.objects.get(edition=document.edition, user__username="reader")
    client = client_as(user)
    slug = document.edition.slug
    client.post(reverse("editions:member_update", args=[slug, target.pk]), {"role": "owner"})
    client.post(reverse("editions:member_remove", args=[slug, target.pk]))
    target.refresh_from_db()
    assert target.role == Role.READER


def test_views_refuse_get_where_they_only_accept_post(client_as, document):
    target = Membership.objects.get(edition=document.edition, user__username="reader")
    url = reverse("editions:member_remove", args=[document.edition.slug, target.pk])
    assert client_as("owner").get(url).status_code == 405


def test_forms_need_a_csrf_token(document):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(Membership.objects.get(role="owner").user)
    url = reverse("editions:document_edit", args=[document.edition.slug, document.slug])
    assert client.post(url, {"title": "Changed", "version": 1}).status_code == 403
