"""Personal API tokens on the account page: created and shown once, stored hashed, revoked."""

import hashlib
import json

from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from editions.annotating import ensure_categories
from editions.models import MAX_TOKENS_PER_USER, ApiToken

MEDIA = 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'


def _create(client, name="Zotero"):
    return client.post(reverse("editions:account"), {"name": name})


def test_a_new_token_is_shown_once_and_only_its_digest_is_stored(client_as, edition):
    client = client_as("annotator")
    page = _create(client).content.decode()
    token = ApiToken.objects.get()
    secret = next(word for word in page.split('"') if word.startswith("wbt_"))
    assert token.digest == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in {token.name, token.digest, token.hint}
    assert secret.startswith(token.hint)
    again = client.get(reverse("editions:account")).content.decode()
    assert secret not in again and "Zotero" in again and token.hint in again


def test_members_see_and_revoke_only_their_own_tokens(client_as, edition):
    mine = ApiToken.issue(get_user_model().objects.get(username="annotator"), "mine")[0]
    theirs = ApiToken.issue(get_user_model().objects.get(username="editor"), "theirs")[0]
    client = client_as("annotator")
    page = client.get(reverse("editions:account")).content.decode()
    assert "mine" in page and "theirs" not in page
    refused = client.post(reverse("editions:token_revoke", args=[theirs.pk]))
    assert refused.status_code == 404 and ApiToken.objects.filter(pk=theirs.pk).exists()
    client.post(reverse("editions:token_revoke", args=[mine.pk]))
    assert not ApiToken.objects.filter(pk=mine.pk).exists()


def test_revoking_needs_a_post_and_the_page_a_signed_in_member(client, edition):
    assert client.get(reverse("editions:account")).status_code == 302  # to the login page
    user = get_user_model().objects.get(username="reader")
    token = ApiToken.issue(user, "x")[0]
    client.force_login(user)
    assert client.get(reverse("editions:token_revoke", args=[token.pk])).status_code == 405


def test_a_member_holds_a_bounded_number_of_tokens(client_as, edition):
    client = client_as("reader")
    for n in range(MAX_TOKENS_PER_USER):
        _create(client, f"t{n}")
    refused = _create(client, "one too many")
    assert refused.status_code == 400 and ApiToken.objects.count() == MAX_TOKENS_PER_USER


def test_an_empty_name_is_refused_and_creates_nothing(client_as, edition):
    assert _create(client_as("reader"), "").status_code == 400
    assert not ApiToken.objects.exists()


def test_a_session_write_to_the_protocol_still_needs_its_csrf_token(document):
    ensure_categories(document.edition)
    client = Client(enforce_csrf_checks=True)
    client.force_login(get_user_model().objects.get(username="annotator"))
    url = reverse("editions:w3c_container", args=[document.edition.slug, document.slug, "cvce-en"])
    body = {
        "type": "Annotation",
        "target": {
            "source": "http://testserver/x#cvce-en-p1",
            "selector": {"type": "TextQuoteSelector", "exact": "Rusk"},
        },
    }
    refused = client.post(url, json.dumps(body), content_type=MEDIA)
    assert refused.status_code == 403 and "CSRF" in refused.json()["error"]
    secret = ApiToken.issue(get_user_model().objects.get(username="annotator"), "tool")[1]
    tokened = Client(enforce_csrf_checks=True).post(
        url, json.dumps(body), content_type=MEDIA, headers={"Authorization": f"Bearer {secret}"}
    )
    assert tokened.status_code == 201


def test_every_page_links_the_member_to_their_account(client_as, edition):
    page = client_as("reader").get(reverse("editions:edition_list")).content.decode()
    assert f'href="{reverse("editions:account")}"' in page
