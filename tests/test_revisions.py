"""Editing segment texts: revisions, stale saves, reverts, footnote markers, revision witnesses."""

import pytest
from django.contrib.auth import get_user_model

from editions.models import FootnoteRef, Segment, SegmentRevision, Witness, WitnessRole
from editions.revisions import (
    UnknownVersion,
    create_revision_witness,
    remap_offsets,
    revert,
    save_text,
    text_at,
    versions_of,
)
from editions.versioning import StaleVersion

MARTIN = (
    "We ignore whether the Soviet military reinforcement to Cuba was in response to a "
    "Cuban demand or a Soviet initiative."
)


def user(name: str):
    return get_user_model().objects.get(username=name)


def marker_after(text: str, word: str) -> int:
    return text.index(word) + len(word)


# -- Footnote markers follow the edit ------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "after", "new", "expected_after"),
    [
        # An edit before the marker shifts it with its word.
        (MARTIN, "whether", MARTIN.replace("ignore", "do not know"), "whether"),
        # The word the marker follows is replaced: the marker follows the replacement.
        (MARTIN, "initiative", MARTIN.replace("initiative", "move"), "move"),
        # Text inserted right where the marker stands goes after it.
        ("Cuban demand.", "demand.", "Cuban demand. It was not.", "demand."),
        # An edit after the marker leaves it alone.
        (MARTIN, "Cuba", MARTIN.replace("Cuban demand", "request from Havana"), "Cuba"),
        # Punctuation changed right before the marker.
        ("a Soviet initiative; then", "initiative;", "a Soviet initiative, then", "initiative,"),
        # Non-Latin text, where offsets count code points.
        ("Москва ответила 𝔘 быстро.", "ответила", "Москва не ответила 𝔘 быстро.", "ответила"),
    ],
)
def test_a_marker_stays_after_the_word_it_followed(old, after, new, expected_after):
    [moved] = remap_offsets(old, new, [marker_after(old, after)])
    assert moved == marker_after(new, expected_after)


def test_a_marker_inside_a_deleted_passage_moves_to_where_it_was():
    old = "one two three four"
    [moved] = remap_offsets(old, "one four", [marker_after(old, "two")])
    assert "one four"[:moved].rstrip() == "one"


def test_markers_at_both_ends_stay_at_the_ends():
    old = "Mr Rusk stressed it."
    new = "Mr Dean Rusk stressed it again."
    assert remap_offsets(old, new, [0, len(old)]) == [0, len(new)]
    assert remap_offsets(old, "", [0, 7, len(old)]) == [0, 0, 0]


def test_several_markers_keep_their_order():
    old = "First point, second point, third point."
    new = "The first point, a second one, the third point."
    offsets = [marker_after(old, "First point"), marker_after(old, "third point.")]
    assert remap_offsets(old, new, offsets) == [
        marker_after(new, "first point"),
        marker_after(new, "third point."),
    ]


# -- Saving, with a revision per save ------------------------------------------------------


@pytest.fixture
def paragraph(document) -> Segment:
    return Segment.objects.get(witness__document=document, sid="p2")


def test_a_save_is_a_revision_with_the_whole_text_before_and_after(paragraph):
    before = paragraph.text
    revision = save_text(
        paragraph, 1, "In my telegrams Nos 5978 to 5982, I set out.", user("editor"), "typo"
    )
    paragraph.refresh_from_db()
    assert paragraph.version == 2
    assert paragraph.text == "In my telegrams Nos 5978 to 5982, I set out."
    assert (revision.text_before, revision.text_after) == (before, paragraph.text)
    assert (revision.version_before, revision.version_after) == (1, 2)
    assert (revision.user.username, revision.reason) == ("editor", "typo")


def test_the_footnote_marker_follows_its_word_through_a_save(paragraph):
    assert paragraph.text[:29] == "In my telegram Nos 5978–5982,"
    save_text(paragraph, 1, "In my telegrams Nos 5978 to 5982, I set out.", user("editor"))
    ref = FootnoteRef.objects.get(segment=paragraph)
    assert paragraph.text[: ref.offset] == "In my telegrams Nos 5978 to 5982,"


def test_a_stale_save_is_refused_and_changes_nothing(paragraph):
    save_text(paragraph, 1, "Their version.", user("editor"))
    offset = FootnoteRef.objects.get(segment=paragraph).offset
    with pytest.raises(StaleVersion) as refused:
        save_text(paragraph, 1, "My version.", user("owner"))
    paragraph.refresh_from_db()
    assert refused.value.current.text == "Their version."
    assert (paragraph.text, paragraph.version) == ("Their version.", 2)
    assert SegmentRevision.objects.filter(segment=paragraph).count() == 1
    assert FootnoteRef.objects.get(segment=paragraph).offset == offset


def test_saving_the_same_text_records_nothing(paragraph):
    assert save_text(paragraph, 1, f"  {paragraph.text}\r\n", user("editor")) is None
    paragraph.refresh_from_db()
    assert paragraph.version == 1
    assert not SegmentRevision.objects.exists()


def test_textarea_line_endings_are_stored_as_newlines(paragraph):
    save_text(paragraph, 1, "One line.\r\nAnother.", user("editor"))
    paragraph.refresh_from_db()
    assert paragraph.text == "One line.\nAnother."


def test_every_version_can_be_read_back_and_reverting_is_a_new_revision(paragraph):
    original = paragraph.text
    save_text(paragraph, 1, "Second.", user("editor"))
    save_text(paragraph, 2, "Third.", user("owner"))
    revision = revert(paragraph, 3, 1, user("editor"))
    paragraph.refresh_from_db()
    assert paragraph.text == original
    assert (paragraph.version, revision.reverted_to, revision.version_before) == (4, 1, 3)
    assert [(v.number, v.text) for v in versions_of(paragraph)] == [
        (1, original),
        (2, "Second."),
        (3, "Third."),
        (4, original),
    ]
    assert versions_of(paragraph)[0].revision is None
    assert SegmentRevision.objects.filter(segment=paragraph).count() == 3


def test_reverting_to_an_unknown_version_is_refused(paragraph):
    with pytest.raises(UnknownVersion):
        revert(paragraph, 1, 7, user("editor"))
    with pytest.raises(UnknownVersion):
        text_at(paragraph, 0)


def test_a_stale_revert_is_refused(paragraph):
    save_text(paragraph, 1, "Second.", user("editor"))
    with pytest.raises(StaleVersion):
        revert(paragraph, 1, 1, user("owner"))
    paragraph.refresh_from_db()
    assert paragraph.text == "Second."


def test_annotations_on_the_segment_are_re_anchored_by_the_save(paragraph):
    from editions.annotating import Span, create_annotation, ensure_categories

    ensure_categories(paragraph.witness.document.edition)
    start = paragraph.text.index("I set out")
    annotation = create_annotation(
        user=user("annotator"),
        document=paragraph.witness.document,
        spans=[Span(paragraph, start, start + len("I set out"))],
        body="Which goals?",
    )
    save_text(paragraph, 1, "Already in my telegram Nos 5978–5982, I set out.", user("editor"))
    target = annotation.targets.get()
    assert paragraph.text[target.start : target.end] == "I set out"


# -- Revision witnesses --------------------------------------------------------------------


def test_a_revision_witness_copies_the_text_with_the_same_ids_and_footnotes(document):
    parent = document.witnesses.get()
    copy = create_revision_witness(parent)
    assert (copy.role, copy.revision_of, copy.language) == (WitnessRole.REVISION, parent, "en")
    assert copy.label == "Revision of CVCE translation"
    assert copy.slug == "cvce-en-revision"
    assert copy.next_serial == parent.next_serial
    rows = lambda w: list(w.segments.values_list("sid", "kind", "position", "label", "text"))  # noqa: E731
    assert rows(copy) == rows(parent)
    ref = FootnoteRef.objects.get(segment__witness=copy)
    assert (ref.segment.sid, ref.note.sid, ref.note.witness, ref.offset) == ("p2", "n3", copy, 29)
    # The parent keeps its own marker, and a second revision gets a slug of its own.
    assert FootnoteRef.objects.get(segment__witness=parent).note.witness == parent
    assert create_revision_witness(parent, label="Second pass").slug == "cvce-en-revision-2"
    assert Witness.objects.filter(revision_of=parent).count() == 2


def test_editing_a_revision_leaves_its_parent_alone(document):
    parent = document.witnesses.get()
    copy = create_revision_witness(parent)
    save_text(copy.segments.get(sid="p1"), 1, "Mr Rusk insisted on it.", user("editor"))
    assert parent.segments.get(sid="p1").text == "Mr Rusk stressed it."
