"""The demo's second edition: the opening of Verne's *Voyage au centre de la Terre* in French
and in its two English translations (fixtures/verne-voyage/, whose README gives provenance and
licence), imported through the normal importer, aligned at load, with editor's notes.

The notes state only what that README documents about the two translations; each is tied to
the passages where the fact shows. Nothing here is translated or written for the demo.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_noop

from .alignment.rows import Row
from .alignment_store import alignable_segments, change, create_alignment
from .annotating import Span, create_annotation, ensure_categories
from .importers import parse_record, save_record
from .models import Alignment, Annotation, Document, Edition, Membership, Role, Witness

FIXTURES = Path(settings.BASE_DIR) / "fixtures" / "verne-voyage"
EDITION_SLUG = "verne-voyage-1864"
EDITION_TITLE = "Verne, Voyage au centre de la Terre, and two English translations"
EDITION_DESCRIPTION = (
    "The opening of Jules Verne's Voyage au centre de la Terre (Paris: Hetzel, 1864) with the two "
    "English translations published in its author's lifetime: A Journey to the Centre of the "
    "Earth (London: Griffith & Farran, 1871, translator not named) and A Journey into the "
    "Interior of the Earth (London: Ward, Lock & Co., 1877, translated by Frederick Amadeus "
    "Malleson). All three are in the public domain; the texts come from Project Gutenberg."
)
DOCUMENT_SLUG = "voyage-au-centre-de-la-terre-opening"
DOCUMENT_TITLE = "Voyage au centre de la Terre, chapters I and II"
# A row of a pair of passages that the aligner gives at least this posterior probability is
# confirmed at load, as an editor would after a glance; the rest stay to review.
CONFIDENT = 0.9


@dataclass(frozen=True)
class Text:
    filename: str
    label: str
    language: str
    role: str
    fields: dict


TEXTS = [
    Text(
        "fr-1864-hetzel-ch1-2.txt",
        "Hetzel 1864",
        "fr",
        "original",
        {
            "title_as_published": "Voyage au centre de la Terre",
            "publisher": "Hetzel, Paris, 1864",
            "citation": "Project Gutenberg eBook #4791, from the Bibliothèque nationale de "
            "France's images (Gallica); chapters I and II",
            "rights": "Public domain.",
        },
    ),
    Text(
        "en-1871-griffith-farran-ch1.txt",
        "Griffith & Farran 1871",
        "en",
        "translation",
        {
            "title_as_published": "A Journey to the Centre of the Earth",
            "translator": "translator not named",
            "publisher": "Griffith & Farran, London, 1871",
            "citation": "Project Gutenberg eBook #18857; chapter 1",
            "rights": "Public domain.",
        },
    ),
    Text(
        "en-1877-malleson-ch1-2.txt",
        "Malleson 1877",
        "en",
        "translation",
        {
            "title_as_published": "A Journey into the Interior of the Earth",
            "translator": "Frederick Amadeus Malleson",
            "publisher": "Ward, Lock & Co., London, 1877",
            "citation": "Project Gutenberg eBook #3748; chapters I and II",
            "rights": "Public domain.",
        },
    ),
]


@dataclass(frozen=True)
class Note:
    """An editor's note: the passages it is tied to (witness label, words), category, text."""

    passages: list[tuple[str, str]]
    category: str
    body: str


NOTES = [
    Note(
        [("Hetzel 1864", "Axel"), ("Griffith & Farran 1871", "Harry")],
        "editorial-note",
        "The 1871 translation renames the characters: **Axel** becomes **Harry**.",
    ),
    Note(
        [
            ("Hetzel 1864", "professeur Lidenbrock"),
            ("Griffith & Farran 1871", "Professor Von Hardwigg"),
        ],
        "editorial-note",
        "The 1871 translation renames the characters: Professor **Lidenbrock** becomes "
        "Professor **Hardwigg**.",
    ),
    Note(
        [("Griffith & Farran 1871", "Looking back to all that has occurred to me")],
        "addition",
        "The 1871 translation opens with sentences that the French does not have.",
    ),
    Note(
        [("Griffith & Farran 1871", "having married my mother's sister, an\nEnglishwoman")],
        "addition",
        "The 1871 translation gives the narrator an English mother; the French does not.",
    ),
    Note(
        [("Griffith & Farran 1871", "CHAPTER 1")],
        "omission",
        "The 1871 translation is free: it cuts and merges passages, and numbers its chapters "
        "differently (44 against the original's 45). Its chapter 1 holds what the French tells "
        "in chapters I and II.",
    ),
    Note(
        [("Malleson 1877", "THE PROFESSOR AND HIS FAMILY"), ("Hetzel 1864", "I")],
        "addition",
        "Malleson's 1877 translation is close to the French; he added chapter titles (the "
        "French chapters carry numbers only).",
    ),
]


def load_verne(user, say: Callable[[str], None]) -> Edition:
    """Create (or complete) the Verne edition; every step is skipped when already done."""
    with transaction.atomic():
        edition, _created = Edition.objects.get_or_create(
            slug=EDITION_SLUG,
            defaults={"title": EDITION_TITLE, "description": EDITION_DESCRIPTION},
        )
        Membership.objects.get_or_create(edition=edition, user=user, defaults={"role": Role.OWNER})
        ensure_categories(edition)
        witnesses = _import_texts(edition, say)
        document = witnesses[0].document
        original, *translations = witnesses
        for translation in translations:
            _align(document, original, translation, user, say)
        _annotate(document, witnesses, user, say)
    return edition


def _import_texts(edition: Edition, say) -> list[Witness]:
    document = Document.objects.filter(edition=edition, slug=DOCUMENT_SLUG).first()
    witnesses = []
    for text in TEXTS:
        found = document and document.witnesses.filter(source_filename=text.filename).first()
        if found:
            witnesses.append(found)
            continue
        record = parse_record((FIXTURES / text.filename).read_bytes(), text.filename)
        if document is None:  # the French first: it makes the document
            record.document = {"title": DOCUMENT_TITLE, "author": "Jules Verne"}
        witness = save_record(
            record,
            edition=edition,
            document=document,
            document_slug=DOCUMENT_SLUG,
            language=text.language,
            role=text.role,
            label=text.label,
            filename=text.filename,
        )
        Witness.objects.filter(pk=witness.pk).update(**text.fields)
        document = witness.document
        witnesses.append(witness)
        say(f"{text.filename}: {witness.label} ({witness.segments.count()} segments)")
    return witnesses


def _align(document: Document, source: Witness, target: Witness, user, say) -> None:
    if Alignment.objects.filter(source=source, target=target).exists():
        return
    alignment = create_alignment(document, source, target, user)

    def confirm_confident(rows: list[Row]) -> list[Row]:
        return [Row(r.source, r.target, r.confidence, True) if _confident(r) else r for r in rows]

    change(
        alignment,
        alignment.version,
        user,
        "confirm-confident",
        (
            gettext_noop("Confirmed the rows aligned with a confidence of %(least)s or more"),
            {"least": CONFIDENT},
        ),
        confirm_confident,
    )
    confirmed = alignment.rows.filter(status="confirmed").count()
    say(f"{source.label} ↔ {target.label}: {alignment.rows.count()} rows, {confirmed} confirmed")


def _confident(row: Row) -> bool:
    """Sure, and a pair: a passage facing nothing (a cut, or a text read wrongly) is left for
    the editor to look at, however sure the aligner is."""
    return bool(row.source and row.target) and (row.confidence or 0) >= CONFIDENT


def _annotate(document: Document, witnesses: list[Witness], user, say) -> None:
    if Annotation.objects.filter(document=document).exists():
        return
    by_label = {w.label: w for w in witnesses}
    categories = {c.slug: c for c in document.edition.categories.all()}
    for note in NOTES:
        spans = [_span(by_label[label], words) for label, words in note.passages]
        create_annotation(
            user=user,
            document=document,
            spans=spans,
            body=note.body,
            category=categories.get(note.category),
        )
    say(f"{len(NOTES)} editor's notes")


def _span(witness: Witness, words: str) -> Span:
    """The first place in the witness's text where ``words`` stand (hard wraps read as spaces)."""
    wanted = re.compile(r"(?<!\w)" + r"\s+".join(map(re.escape, words.split())) + r"(?!\w)")
    for segment in alignable_segments(witness):
        found = wanted.search(segment.text)
        if found:
            return Span(segment, found.start(), found.end())
    raise LookupError(f"{words!r} is not in {witness.label}")
