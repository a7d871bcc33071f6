"""Alignments end to end through the views: create, edit by rows, undo, redo, conflicts."""

import pytest
from django.urls import reverse

from editions.alignment_store import rows_of
from editions.models import Alignment, AlignmentChange, Segment, Witness, WitnessRole

FRENCH = [
    "Après la réunion du 22 octobre, le secrétaire d'État a prié les trois ambassadeurs de rester dans son bureau.",
    "M. Rusk a souligné que la surveillance aérienne avait montré que les bases cubaines continuaient à être construites à un rythme accéléré. Partout ailleurs, la situation était calme.",
    "Il est difficile de dire dès à présent quelle sera l'issue des conversations qui se déroulent au siège des Nations unies. Dans mes télégrammes nos 5978 à 5982, j'ai exposé les objectifs américains.",
]
ENGLISH = [
    "After the 22 October meeting, the Secretary of State asked the three Ambassadors to remain in his office.",
    "Mr Rusk stressed that aerial surveillance had shown that Cuban bases continued to be built at a faster rate. Everywhere else, the situation was calm.",
    "An added paragraph of the translator's own, about something else entirely and at some length.",
    "It is difficult, as yet, to say what will be the outcome of the talks now taking place at UN Headquarters. In my telegram Nos 5978–5982, I set out the US goals in these talks.",
]


def _witness(document, slug, language, role, texts) -> Witness:
    witness = Witness.objects.create(
        document=document, slug=slug, label=slug, language=language, role=role
    )
    for n, text in enumerate(texts):
        Segment.objects.create(witness=witness, sid=f"p{n + 1}", position=n, text=text)
    return witness


@pytest.fixture
def pair(edition):
    from editions.models import Document

    document = Document.objects.create(edition=edition, slug="alphand", title="Alphand")
    french = _witness(document, "fr", "fr", WitnessRole.ORIGINAL, FRENCH)
    english = _witness(document, "en", "en", WitnessRole.TRANSLATION, ENGLISH)
    return document, french, english


def _create(client, document, french, english):
    url = reverse("editions:alignment_create", args=[document.edition.slug, document.slug])
    return client.post(url, {"source": french.pk, "target": english.pk})


def _aligned(client, pair) -> Alignment:
    """The pair aligned automatically through the view, by ``client``'s user."""
    document, french, english = pair
    _create(client, document, french, english)
    return Alignment.objects.get()


def _operate(client, alignment, op, row=0, version=None, **extra):
    document = alignment.document
    url = reverse(
        "editions:alignment_operate", args=[document.edition.slug, document.slug, alignment.pk]
    )
    alignment.refresh_from_db()
    data = {"op": op, "row": row, "version": version or alignment.version, **extra}
    return client.post(url, data, headers={"HX-Request": "true"})


def test_an_editor_aligns_two_witnesses_automatically(client_as, pair):
    document, french, english = pair
    response = _create(client_as("editor"), document, french, english)
    alignment = Alignment.objects.get()
    assert response.status_code == 302 and response.url == alignment.get_absolute_url()
    pairs = [(r.source, r.target) for r in rows_of(alignment)]
    assert pairs[0] == (("p1",), ("p1",))
    assert pairs[-1] == (("p3",), ("p4",))
    assert [u for source, _t in pairs for u in source] == ["p1", "p2", "p3"]
    assert AlignmentChange.objects.get().operation == "align"


def test_the_document_page_becomes_a_synopsis_with_a_visible_gap(client_as, pair):
    document = pair[0]
    client = client_as("editor")
    alignment = _aligned(client, pair)
    _operate(client, alignment, "link", source_sid="p2", target_sid="p2")  # p3 stands alone
    page = client.get(document.get_absolute_url()).text
    assert 'class="synopsis cols-2"' in page
    assert "no counterpart" in page
    assert page.index("Après la réunion") < page.index("After the 22 October meeting")


@pytest.mark.parametrize("user", ["annotator", "reader"])
def test_only_editors_and_owners_change_alignments(client_as, pair, user):
    document, french, english = pair
    _create(client_as("editor"), document, french, english)
    alignment = Alignment.objects.get()
    assert _create(client_as(user), document, french, english).status_code == 403
    assert _operate(client_as(user), alignment, "confirm").status_code == 403
    assert client_as(user).get(alignment.get_absolute_url()).status_code == 200


def test_merge_confirm_realign_undo_and_redo(client_as, pair):
    client = client_as("editor")
    alignment = _aligned(client, pair)
    automatic = rows_of(alignment)

    assert _operate(client, alignment, "merge", row=0).status_code == 200
    merged = rows_of(alignment)
    assert merged[0].source == ("p1", "p2")

    _operate(client, alignment, "confirm", row=0)
    _operate(client, alignment, "realign", row=0)
    kept = rows_of(alignment)[0]
    assert (kept.source, kept.target, kept.confirmed) == (merged[0].source, merged[0].target, True)

    _operate(client, alignment, "undo")  # undoes the re-alignment
    _operate(client, alignment, "undo")  # the confirmation
    _operate(client, alignment, "undo")  # the merge
    assert rows_of(alignment) == automatic
    _operate(client, alignment, "redo")
    assert rows_of(alignment)[0].source == ("p1", "p2")
    history = client.get(alignment.get_absolute_url()).text
    assert "Merged rows 1 and 2" in history and "Undid: Merged rows 1 and 2" in history


def test_a_new_change_clears_what_could_be_redone(client_as, pair):
    client = client_as("editor")
    alignment = _aligned(client, pair)
    _operate(client, alignment, "merge", row=0)
    _operate(client, alignment, "undo")
    _operate(client, alignment, "confirm", row=1)
    response = _operate(client, alignment, "redo")
    assert response.status_code == 400
    assert "nothing to redo" in response.text


def test_it_rejects_a_stale_version(client_as, pair):
    client = client_as("editor")
    alignment = _aligned(client, pair)
    stale = alignment.version
    _operate(client_as("owner"), alignment, "confirm", row=0)
    before = rows_of(alignment)
    response = _operate(client, alignment, "merge", row=1, version=stale)
    assert response.status_code == 409
    assert "Someone else changed this alignment" in response.text
    assert rows_of(alignment) == before


def test_linking_two_units_by_clicking_them(client_as, pair):
    client = client_as("editor")
    alignment = _aligned(client, pair)
    _operate(client, alignment, "link", source_sid="p3", target_sid="p3")
    pairs = [(r.source, r.target) for r in rows_of(alignment)]
    assert (("p3",), ("p3",)) in pairs
    assert ((), ("p4",)) in pairs


def test_an_impossible_operation_is_explained_and_changes_nothing(client_as, pair):
    client = client_as("editor")
    alignment = _aligned(client, pair)
    before = (rows_of(alignment), alignment.version)
    response = _operate(client, alignment, "move-source-up", row=0)
    alignment.refresh_from_db()
    assert response.status_code == 400
    assert "no row above" in response.text
    assert (rows_of(alignment), alignment.version) == before


def test_a_plain_form_post_redirects_back_to_the_row(client_as, pair):
    document = pair[0]
    client = client_as("editor")
    alignment = _aligned(client, pair)
    url = reverse(
        "editions:alignment_operate", args=[document.edition.slug, document.slug, alignment.pk]
    )
    response = client.post(url, {"op": "confirm", "row": 1, "version": alignment.version})
    assert response.status_code == 302
    assert response.url.endswith("?row=1#row-1")


def test_every_alignment_change_is_published_to_live_readers(client_as, pair):
    from editions.models import Event

    document, french, english = pair
    client = client_as("editor")
    _create(client, document, french, english)
    _operate(client, Alignment.objects.get(), "confirm", row=0)
    kinds = list(Event.objects.filter(document=document).values_list("kind", flat=True))
    assert kinds == ["alignment-changed", "alignment-changed"]


def test_a_row_is_doubtful_when_unsure_or_wide_and_never_once_confirmed():
    from editions.alignment_store import doubtful

    assert doubtful(False, 0.3, 1)
    assert not doubtful(False, 0.9, 2)
    assert doubtful(False, 0.99, 3)  # three units on a side: worth a look however sure
    assert not doubtful(False, None, 1)  # made by hand
    assert not doubtful(True, 0.1, 4)


def test_a_wide_row_is_marked_for_review_in_the_editor_and_the_synopsis(client_as, pair):
    document = pair[0]
    client = client_as("editor")
    alignment = _aligned(client, pair)
    _operate(client, alignment, "merge", row=0)
    _operate(client, alignment, "merge", row=0)  # one row: 3 French and 4 English paragraphs
    _operate(client, alignment, "undo")  # back to one merge: p1-p2 with p1-p3
    alignment.refresh_from_db()
    editor = client.get(alignment.get_absolute_url()).text
    assert 'id="row-0" data-row="0" data-review="1" data-confirmed="0"' in editor
    rows = rows_of(alignment)
    assert (rows[0].source, rows[0].target, rows[0].confidence) == (
        ("p1", "p2"),
        ("p1", "p2", "p3"),
        None,  # made by hand, yet three units on a side
    )
    assert rows[1].confidence < 0.5  # the aligner was unsure of the last row: two to review
    assert "2 to review" in editor
    synopsis = client.get(document.get_absolute_url()).text
    assert 'class="srow kind-aligned low' in synopsis
    _operate(client, alignment, "confirm", row=0)
    editor = client.get(alignment.get_absolute_url()).text
    assert 'data-review="0" data-confirmed="1"' in editor


def test_the_history_reads_in_the_readers_language_whoever_wrote_it(client_as, pair):
    client = client_as("editor")
    alignment = _aligned(client, pair)
    _operate(client, alignment, "confirm", row=0)
    _operate(client, alignment, "undo")
    entry = AlignmentChange.objects.filter(operation="undo").get()
    assert entry.summary_text == "Undid: Confirmed row 1"
    client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    page = client.get(alignment.get_absolute_url())
    assert "Annulé : Ligne 1 confirmée" in page.text
    assert "Alignement automatique" in page.text


@pytest.mark.parametrize("row", [1_000_000, -1])
def test_realign_from_a_row_that_does_not_exist_is_refused_and_changes_nothing(
    client_as, pair, row
):
    client = client_as("editor")
    alignment = _aligned(client, pair)
    rows, version = rows_of(alignment), alignment.version
    response = _operate(client, alignment, "realign", row=row)
    assert response.status_code == 400
    assert f"There is no row {row + 1}: this alignment has rows 1 to {len(rows)}." in response.text
    alignment.refresh_from_db()
    assert alignment.version == version
    assert rows_of(alignment) == rows
    assert AlignmentChange.objects.filter(operation="realign").count() == 0


def test_realign_of_long_texts_from_a_row_that_does_not_exist_is_refused_before_queueing(
    client_as, pair, monkeypatch
):
    from editions import align_jobs
    from editions.models import AlignmentJob

    client = client_as("editor")
    alignment = _aligned(client, pair)
    version = alignment.version
    monkeypatch.setattr(align_jobs, "BACKGROUND_UNITS", 2)  # now the texts count as long
    response = _operate(client, alignment, "realign", row=1_000_000)
    assert response.status_code == 400
    assert "There is no row 1000001" in response.text
    assert not AlignmentJob.objects.filter(alignment=alignment).exists()
    alignment.refresh_from_db()
    assert alignment.version == version
