"""A book-size document built straight from paragraphs (the importer's work aside).

The Verne texts of ../shared (a French original and two English translations of about 2,300
paragraphs each) or any lists of paragraphs become witnesses with segments, and each
translation is aligned with the original one paragraph to one, the longer text's remainder in
rows of its own: the size and shape of a book, in a second, without the aligner.
"""

import re
from pathlib import Path

from editions.models import (
    Alignment,
    AlignmentRow,
    Annotation,
    AnnotationTarget,
    Document,
    Reply,
    Segment,
    Visibility,
    Witness,
    WitnessRole,
)

HEADING = re.compile(r"^(CHAPTER|CHAPITRE)\b|^[IVXLC]+\.?$", re.IGNORECASE)
VERNE = {
    "hetzel-fr": ("fr-1864-hetzel.txt", "fr", WitnessRole.ORIGINAL, "Hetzel 1864"),
    "griffith-en": ("en-1871-griffith-farran.txt", "en", WitnessRole.TRANSLATION, "1871"),
    "malleson-en": ("en-1877-malleson.txt", "en", WitnessRole.TRANSLATION, "Malleson 1877"),
}


def paragraphs(path: Path, limit: int) -> list[str]:
    text = path.read_text(encoding="utf-8-sig")
    found = (re.sub(r"\s+", " ", p).strip() for p in re.split(r"\n\s*\n", text))
    return [p for p in found if p][:limit]


def verne_book(edition, shared: Path, limit: int = 2300, slug: str = "voyage") -> Document:
    folder = shared / "corpora" / "verne-voyage"
    texts = {
        slug: (paragraphs(folder / name, limit), language, role, label)
        for slug, (name, language, role, label) in VERNE.items()
    }
    return book(edition, texts, slug=slug)


def synthetic_book(edition, rows: int, slug: str = "book") -> Document:
    """Three witnesses of ``rows`` paragraphs written here, a heading every 50."""

    def text(language: str, n: int) -> str:
        if n % 50 == 0:
            return f"{'Chapitre' if language == 'fr' else 'Chapter'} {n // 50 + 1}"
        return f"{language} paragraph {n}: " + " ".join(f"word{(n * k) % 97}" for k in range(12))

    texts = {
        "fr": ([text("fr", n) for n in range(rows)], "fr", WitnessRole.ORIGINAL, "French"),
        "en-a": ([text("en", n) for n in range(rows)], "en", WitnessRole.TRANSLATION, "A"),
        "en-b": (
            [text("en", n) + " more" for n in range(rows)],
            "en",
            WitnessRole.TRANSLATION,
            "B",
        ),
    }
    return book(edition, texts, slug=slug)


def book(edition, texts: dict, slug: str) -> Document:
    """``texts``: witness slug -> (paragraphs, language, role, label); the original first."""
    document = Document.objects.create(edition=edition, slug=slug, title=f"Book {slug}")
    witnesses = []
    for witness_slug, (items, language, role, label) in texts.items():
        witness = Witness.objects.create(
            document=document, slug=witness_slug, label=label, language=language, role=role,
            next_serial=len(items) + 1,
        )  # fmt: skip
        Segment.objects.bulk_create(
            Segment(
                witness=witness,
                sid=f"{'h' if HEADING.match(p) else 'p'}{n + 1}",
                kind="heading" if HEADING.match(p) else "paragraph",
                position=n,
                text=p,
            )
            for n, p in enumerate(items)
        )
        witnesses.append(
            (witness, [f"{'h' if HEADING.match(p) else 'p'}{n + 1}" for n, p in enumerate(items)])
        )
    (original, original_sids), *translations = witnesses
    for witness, sids in translations:
        alignment = Alignment.objects.create(document=document, source=original, target=witness)
        count = max(len(original_sids), len(sids))
        AlignmentRow.objects.bulk_create(
            AlignmentRow(
                alignment=alignment,
                position=n,
                source_sids=original_sids[n : n + 1],
                target_sids=sids[n : n + 1],
                confidence=0.9,
            )
            for n in range(count)
        )
    return document


def bulk_annotations(
    document: Document,
    segments: list[Segment],
    authors: list,
    count: int,
    *,
    body: str = "Note {n}.",
    quote: int = 12,
    visibility: str = Visibility.EDITION,
    tags: int = 0,
) -> list[Annotation]:
    """``count`` annotations of ``document`` written in bulk, the n-th by ``authors`` in turn,
    quoting the first ``quote`` characters of ``segments`` in turn; ``tags``: one of that many
    tags each. In bulk because tests and benchmarks need hundreds: one INSERT each costs
    seconds, and what pages show does not depend on how the rows were written."""
    made = Annotation.objects.bulk_create(
        Annotation(
            edition=document.edition,
            document=document,
            author=authors[n % len(authors)],
            body=body.format(n=n),
            tags=[f"t{n % tags}"] if tags else [],
            visibility=visibility,
        )
        for n in range(count)
    )
    AnnotationTarget.objects.bulk_create(
        AnnotationTarget(
            annotation=annotation,
            witness_id=segment.witness_id,
            segment=segment,
            quote=segment.text[:quote],
            start=0,
            end=min(quote, len(segment.text)),
        )
        for annotation, segment in zip(made, _in_turn(segments, count), strict=True)
    )
    return made


def bulk_replies(annotations: list[Annotation], author, body: str = "Agreed.") -> None:
    Reply.objects.bulk_create(Reply(annotation=a, author=author, body=body) for a in annotations)


def _in_turn(items: list, count: int) -> list:
    return [items[n % len(items)] for n in range(count)]
