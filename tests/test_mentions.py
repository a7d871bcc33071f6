"""@mentions: the member named is told (their inbox, the header's count), and the mention is a
link to the member's page."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from editions.annotating import Span, add_reply, create_annotation, update_annotation
from editions.markup import render_markdown
from editions.models import Notification, Visibility


@pytest.fixture
def paragraph(document):
    return document.witnesses.get().segments.get(sid="p1")


def user(name):
    return get_user_model().objects.get(username=name)


def _annotate(paragraph, body, author="annotator", **kwargs):
    return create_annotation(
        user=user(author),
        document=paragraph.witness.document,
        spans=[Span(paragraph, 0, 7)],
        body=body,
        **kwargs,
    )


def test_a_mention_in_a_note_notifies_the_member_named_and_no_one_else(paragraph):
    _annotate(paragraph, "Ask @editor about *Rusk*; @nobody is not a member.")
    assert list(Notification.objects.values_list("recipient__username", flat=True)) == ["editor"]


def test_a_mention_renders_as_a_link_to_the_member_but_not_inside_code_or_links(paragraph):
    annotation = _annotate(paragraph, "@editor, see `@editor` and [@editor](https://x.org).")
    page = reverse("editions:member_page", args=["editor"])
    assert annotation.body_html.count(f'<a class="mention" href="{page}"') == 1
    assert "<code>@editor</code>" in annotation.body_html


def test_a_mention_link_survives_sanitising_and_nothing_else_gets_in():
    html = render_markdown("@editor <b onclick=x>hi</b>", ["editor"])
    assert 'class="mention"' in html and "<b " not in html


def test_writing_ones_own_name_tells_no_one(paragraph):
    _annotate(paragraph, "Note to self, @annotator.")
    assert not Notification.objects.exists()


def test_a_private_note_tells_no_one_whom_it_names(paragraph):
    _annotate(paragraph, "@editor", visibility=Visibility.PRIVATE)
    assert not Notification.objects.exists()


def test_a_reply_notifies_and_an_edit_notifies_only_the_newly_named(paragraph):
    annotation = _annotate(paragraph, "@editor")
    add_reply(annotation, user("editor"), "Thanks @annotator and @owner")
    annotation = update_annotation(
        annotation,
        annotation.version,
        body="@editor @reader",
        category=None,
        tags=[],
        visibility=Visibility.EDITION,
    )
    names = sorted(Notification.objects.values_list("recipient__username", flat=True))
    assert names == ["annotator", "editor", "owner", "reader"]
    assert Notification.objects.get(recipient__username="owner").reply is not None


def test_the_inbox_lists_mentions_and_the_header_counts_the_unread(client_as, paragraph):
    _annotate(paragraph, "What do you think, @editor?")
    page = client_as("editor").get(reverse("editions:inbox"))
    assert "annotator mentioned you in an annotation" in page.content.decode()
    assert '<span class="count">1</span>' in page.content.decode()


def test_opening_a_mention_marks_it_read_and_leads_to_the_thread(client_as, paragraph):
    annotation = _annotate(paragraph, "@editor")
    notification = Notification.objects.get()
    client = client_as("editor")
    answer = client.post(reverse("editions:notification_open", args=[notification.pk]))
    anchor = annotation.targets.get().segment.anchor_id  # the passage's rows, however far down
    assert answer.url.endswith(f"?at={anchor}&annotation={annotation.pk}#{anchor}")
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert '<span class="count">' not in client.get(reverse("editions:inbox")).content.decode()


def test_marking_all_read_empties_the_count(client_as, paragraph):
    _annotate(paragraph, "@editor")
    _annotate(paragraph, "@editor again")
    client = client_as("editor")
    client.post(reverse("editions:inbox_read_all"))
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_someone_elses_notification_cannot_be_opened(client_as, paragraph):
    _annotate(paragraph, "@editor")
    notification = Notification.objects.get()
    answer = client_as("reader").post(reverse("editions:notification_open", args=[notification.pk]))
    assert answer.status_code == 404


def test_a_member_who_leaves_the_edition_no_longer_sees_its_mentions(client_as, paragraph):
    _annotate(paragraph, "@editor")
    user("editor").memberships.all().delete()
    page = client_as("editor").get(reverse("editions:inbox"))
    assert "mentioned you" not in page.content.decode()


def test_the_member_page_shows_shared_editions_and_is_hidden_from_strangers(client_as, paragraph):
    _annotate(paragraph, "A note by the annotator")
    page = client_as("editor").get(reverse("editions:member_page", args=["annotator"]))
    assert page.status_code == 200 and "Test edition" in page.content.decode()
    assert "A note by the annotator" in page.content.decode()
    stranger = client_as("outsider").get(reverse("editions:member_page", args=["annotator"]))
    assert stranger.status_code == 404


def test_the_inbox_needs_a_signed_in_user(client):
    assert client.get(reverse("editions:inbox")).status_code == 302
