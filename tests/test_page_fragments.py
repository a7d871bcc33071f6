"""The pages' cached parts: rendered once, changed exactly when what they show changes, kept
apart by role and language, and never carrying one reader's CSRF token to another."""

import re
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from editions import fragments
from editions.annotating import notify_mentions
from editions.booksize import synthetic_book
from editions.models import Annotation, Document, Notification, Segment, Witness
from editions.revisions import save_text

TOKEN_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def url(document, name="document_detail"):
    return reverse(f"editions:{name}", args=[document.edition.slug, document.slug])


def signed_in(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


@pytest.fixture
def book(edition):
    return synthetic_book(edition, rows=120)  # headings at rows 1, 51 and 101


@pytest.fixture
def renders():
    """Counts the cached parts rendered (a cache hit renders none)."""
    with (
        mock.patch.object(fragments, "render_shared", wraps=fragments.render_shared) as counted,
        mock.patch("editions.views.documents.render_shared", counted),
        mock.patch("editions.views.comparison.render_shared", counted),
    ):
        yield counted


def test_the_document_pages_head_is_rendered_once_for_every_reader_of_a_role(renders, book):
    first = signed_in("editor").get(url(book))
    again = signed_in("editor").get(url(book))
    assert renders.call_count == 1
    assert first.status_code == again.status_code == 200
    assert "Edit metadata" in again.content.decode()


def test_the_head_follows_the_documents_and_witnesses_fields(renders, book):
    client = signed_in("reader")
    client.get(url(book))
    Document.objects.filter(pk=book.pk).update(title="A retitled book")
    witness = book.witnesses.order_by("pk").first()
    Witness.objects.filter(pk=witness.pk).update(translator="Someone New")
    html = client.get(url(book)).content.decode()
    assert "A retitled book" in html
    assert "Someone New" in html
    assert renders.call_count == 2


def test_the_head_follows_the_texts_headings_and_rows(book):
    client = signed_in("reader")
    client.get(url(book))
    # Row 101 is not on the first screen: its heading is in the navigator only.
    segment = Segment.objects.get(witness__document=book, witness__slug="fr", sid="h101")
    save_text(segment, segment.version, "A brand new chapter title", None)
    assert "A brand new chapter title" in client.get(url(book)).content.decode()


def test_each_role_gets_its_own_head(book):
    assert "Edit metadata" in signed_in("editor").get(url(book)).content.decode()
    reader_page = signed_in("reader").get(url(book)).content.decode()
    assert "Edit metadata" not in reader_page
    assert "Create a revision" not in reader_page
    assert "Edit metadata" in signed_in("editor").get(url(book)).content.decode()


def test_each_language_gets_its_own_head(book):
    client = signed_in("reader")
    english = client.get(url(book)).content.decode()
    french = client.get(url(book), headers={"accept-language": "fr"}).content.decode()
    assert "Navigator" in english and "Navigator" not in french
    assert "Navigator" in client.get(url(book)).content.decode()


def tokens_of(client: Client, html: str) -> set[str]:
    """The CSRF secrets the page's form tokens unmask to: the reader's own, or a failure."""
    tokens = TOKEN_FIELD.findall(html)
    assert tokens, "the page has forms"
    return {_unmask_cipher_token(token) for token in tokens}


def test_a_cached_head_carries_each_readers_own_csrf_token(edition, book):
    second_editor = get_user_model().objects.create_user(username="second-editor")
    edition.memberships.create(user=second_editor, role="editor")
    alice, bob = signed_in("editor"), signed_in("second-editor")
    alice_page = alice.get(url(book)).content.decode()
    bob_page = bob.get(url(book)).content.decode()
    alice_secret = alice.cookies["csrftoken"].value
    bob_secret = bob.cookies["csrftoken"].value
    assert alice_secret != bob_secret
    assert tokens_of(alice, alice_page) == {alice_secret}
    assert tokens_of(bob, bob_page) == {bob_secret}
    assert fragments.CSRF_PLACEHOLDER not in alice_page + bob_page
    # What the cache holds is the placeholder, no reader's token.
    (key,) = [k for k in cache._cache if ":fragment:dochead:" in k]  # noqa: SLF001 - locmem
    stored = cache.get(key.split(":", 2)[2])
    assert fragments.CSRF_PLACEHOLDER in stored
    assert alice_secret not in stored and bob_secret not in stored


def test_find_results_are_cached_and_follow_the_texts(renders, book):
    client = signed_in("reader")
    find = url(book, "document_find")
    assert "<mark>" not in client.get(find, {"q": "zanzibar"}).content.decode()
    client.get(find, {"q": "zanzibar"})
    assert renders.call_count == 1
    segment = Segment.objects.filter(witness__document=book, kind="paragraph").first()
    save_text(segment, segment.version, "A zanzibar of a paragraph.", None)
    html = client.get(find, {"q": "zanzibar"}).content.decode()
    assert "<mark>zanzibar</mark>" in html
    assert renders.call_count == 2


def test_the_comparison_is_cached_by_its_query_and_follows_the_texts(renders, book):
    a, b = book.witnesses.order_by("pk")[:2]
    client = signed_in("reader")
    compare = url(book, "compare")
    query = {"a": a.slug, "b": b.slug}
    client.get(compare, query)
    client.get(compare, query)
    assert renders.call_count == 1
    client.get(compare, {**query, "mode": "inline"})  # another view of it: its own entry
    assert renders.call_count == 2
    segment = Segment.objects.filter(witness=b, kind="paragraph").order_by("position").first()
    save_text(segment, segment.version, "Quite another sentence now.", None)
    assert "another sentence" in client.get(compare, query).content.decode()


def test_parameters_the_comparison_does_not_read_make_no_new_entry(renders, book):
    a, b = book.witnesses.filter(language="en").order_by("pk")
    client = signed_in("reader")
    compare = url(book, "compare")
    query = {"a": a.slug, "b": b.slug}
    htmx = {"HX-Request": "true"}  # the cached part alone (the page adds a CSRF token)
    first = client.get(compare, query, headers=htmx).content.decode()
    junk = {**query, "utm_source": "x", "junk": "1" * 500}
    junk = client.get(compare, junk, headers=htmx).content.decode()
    defaults = {**query, "mode": "side", "offset": "0"}
    defaults = client.get(compare, defaults, headers=htmx).content.decode()
    assert renders.call_count == 1  # the same view, read the same way: one entry
    assert junk == first == defaults
    assert "utm_source" not in junk  # its links carry the view's parameters, not the query's


def test_the_comparison_keeps_its_edit_links_for_editors(book):
    a, b = book.witnesses.filter(language="en").order_by("pk")  # a word diff, with edit links
    query = {"a": a.slug, "b": b.slug}
    assert "edit-segment" in signed_in("editor").get(url(book, "compare"), query).content.decode()
    reader = signed_in("reader").get(url(book, "compare"), query).content.decode()
    assert "edit-segment" not in reader


def unread_in(html: str) -> str | None:
    link = re.search(r'<a id="inbox-link".*?</a>', html, re.S).group(0)
    count = re.search(r'<span class="count">(\d+)</span>', link)
    return count and count.group(1)


def test_the_inbox_count_shows_a_new_mention_at_once(book, django_capture_on_commit_callbacks):
    client = signed_in("reader")
    edition_page = reverse("editions:edition_list")
    assert unread_in(client.get(edition_page).content.decode()) is None  # nothing: cached
    author = get_user_model().objects.get(username="annotator")
    annotation = Annotation.objects.create(
        edition=book.edition, document=book, author=author, body="@reader look"
    )
    with django_capture_on_commit_callbacks(execute=True):  # the flag goes once committed
        notify_mentions(annotation, author, ["reader"])
    assert unread_in(client.get(edition_page).content.decode()) == "1"
    Notification.objects.update(read_at=timezone.now())  # read elsewhere, in bulk
    notification = Notification.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        notification.save()  # a save (the inbox marks one read this way) drops the flag
    assert unread_in(client.get(edition_page).content.decode()) is None


def test_without_unread_notifications_the_header_costs_no_count(book):
    client = signed_in("reader")
    edition_page = reverse("editions:edition_list")
    client.get(edition_page)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(edition_page)
    assert 'id="inbox-link"' in response.content.decode()
    assert not [q for q in captured.captured_queries if "editions_notification" in q["sql"]]
