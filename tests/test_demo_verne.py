"""The demo's second edition: Verne's opening in French and two English translations, imported
from fixtures/ (no ../shared needed), aligned at load, with notes stating documented facts."""

import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from editions.demo_verne import CONFIDENT, DOCUMENT_SLUG, EDITION_SLUG, FIXTURES, NOTES
from editions.models import Alignment, Annotation, Document, Witness

README = Path(settings.BASE_DIR) / "fixtures" / "verne-voyage" / "README.md"


@pytest.fixture
def verne(demo_loaded, db):
    return Document.objects.get(edition__slug=EDITION_SLUG, slug=DOCUMENT_SLUG)


def test_the_demo_loads_the_french_original_and_both_translations(verne):
    witnesses = {w.label: w for w in verne.witnesses.all()}
    assert set(witnesses) == {"Hetzel 1864", "Griffith & Farran 1871", "Malleson 1877"}
    assert witnesses["Hetzel 1864"].role == "original"
    assert witnesses["Hetzel 1864"].language == "fr"
    assert witnesses["Malleson 1877"].translator == "Frederick Amadeus Malleson"
    assert all(w.source_format == "text" for w in witnesses.values())  # the normal importer
    french = " ".join(s.text for s in witnesses["Hetzel 1864"].segments.all())
    assert "Monsieur Axel, vous lui ferez entendre raison." in french


def test_each_translation_is_aligned_with_the_original_and_sure_pairs_confirmed(verne):
    alignments = Alignment.objects.filter(document=verne)
    assert alignments.count() == 2
    for alignment in alignments:
        assert alignment.source.role == "original"
        confirmed = alignment.rows.filter(status="confirmed")
        assert confirmed.exists()
        assert all(r.confidence >= CONFIDENT and r.source_sids and r.target_sids for r in confirmed)
        assert alignment.rows.exclude(status="confirmed").exists()  # some left to review


def test_the_editors_notes_tie_harry_to_axel_and_state_only_the_readmes_facts(verne):
    readme = " ".join(README.read_text(encoding="utf-8").split())
    harry = Annotation.objects.get(document=verne, body__contains="**Harry**")
    quotes = {(t.witness.label, t.quote) for t in harry.targets.all()}
    assert quotes == {("Hetzel 1864", "Axel"), ("Griffith & Farran 1871", "Harry")}
    assert Annotation.objects.filter(document=verne).count() == len(NOTES)
    for fact in [
        "Axel becomes Harry",
        "Professor Hardwigg",
        "English mother",
        "opens with sentences that the French does not have",
        "44 against the original's 45",
        "he added chapter titles",
    ]:
        assert fact in readme


def test_loading_the_demo_twice_changes_nothing(verne):
    counts = lambda: (  # noqa: E731
        Witness.objects.count(),
        Alignment.objects.count(),
        Annotation.objects.count(),
    )
    before = counts()
    call_command("load_demo", stdout=io.StringIO())
    assert counts() == before


def test_the_excerpt_is_the_corpus_text_cut_at_a_chapter_end(shared_dir):
    corpus = shared_dir / "corpora" / "verne-voyage"
    for excerpt, source in [
        ("fr-1864-hetzel-ch1-2.txt", "fr-1864-hetzel.txt"),
        ("en-1871-griffith-farran-ch1.txt", "en-1871-griffith-farran.txt"),
        ("en-1877-malleson-ch1-2.txt", "en-1877-malleson.txt"),
    ]:
        mine = (FIXTURES / excerpt).read_text(encoding="utf-8")
        whole = (corpus / source).read_text(encoding="utf-8")
        assert whole.startswith(mine)
        following = whole[len(mine) :].lstrip("\n")
        assert re.match(r"(CHAPTER [0-9IVX]+|[IVX]+\n)", following), excerpt


def test_the_demo_document_page_shows_the_three_texts_and_the_notes(client_as, verne):
    from editions.models import Membership, Role
    from tests.conftest import make_user

    Membership.objects.create(edition=verne.edition, user=make_user("visitor"), role=Role.READER)
    page = client_as("visitor").get(
        reverse("editions:document_detail", args=[EDITION_SLUG, DOCUMENT_SLUG])
    )
    assert page.status_code == 200
    for label in ["Hetzel 1864", "Griffith &amp; Farran 1871", "Malleson 1877"]:
        assert label in page.text
    assert 'class="anno' in page.text
