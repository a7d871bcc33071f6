"""A document ready to export: an original aligned with a translation, annotated.

Imported by the export tests (``from .export_fixtures import annotated_fixture``, which
provides the fixture ``annotated``): the annotations
cover what every format must carry — a category, tags, a reply, a resolved status, two spans
in two texts, overlapping spans, a span in a footnote, an orphan, and a private note that
no export may contain.
"""

import shutil
import signal
import subprocess
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from editions.alignment.rows import Row
from editions.alignment_store import alignable_segments, change, create_alignment
from editions.annotating import Span, add_reply, create_annotation, ensure_categories, set_status
from editions.models import Alignment, Annotation, AnnotationTarget, Document, Witness
from tests.conftest import add_text, need_or_skip

FRENCH = (
    "M. Rusk l'a souligné.\n\n"
    "Dans mon télégramme nos 5978-5982, j'ai exposé les objectifs américains.\n"
)
PRIVATE_NOTE = "Only for me: check the archive copy."


@dataclass
class Annotated:
    document: Document
    original: Witness
    english: Witness
    alignment: Alignment
    annotations: list[Annotation]  # the edition-wide ones, in creation order


def _user(name: str):
    return get_user_model().objects.get(username=name)


@pytest.fixture(name="annotated")
def annotated_fixture(document) -> Annotated:
    edition = document.edition
    ensure_categories(edition)
    categories = {c.slug: c for c in edition.categories.all()}
    original = add_text(document, FRENCH, "fr", "original")
    english = document.witnesses.get(slug="cvce-en")
    alignment = create_alignment(document, original, english, _user("editor"))
    p1, p2, n3 = (english.segments.get(sid=sid) for sid in ("p1", "p2", "n3"))
    fr_p1 = original.segments.get(sid="p1")
    annotate = partial(create_annotation, document=document)
    people = annotate(
        user=_user("annotator"),
        spans=[Span(p1, 3, 7)],
        body="Dean *Rusk*, Secretary of State. @editor",
        category=categories["historical-context"],
        tags=["=SUM(A1)", "people"],
    )
    add_reply(people, _user("editor"), "Agreed, and see the **index**.")
    both = annotate(
        user=_user("editor"),
        spans=[Span(fr_p1, 3, 7), Span(p1, 3, 7)],
        body="Both texts name him the same way.",
        category=categories["terminology"],
    )
    set_status(both, "resolved")
    overlapping = annotate(
        user=_user("annotator"),
        spans=[Span(p1, 0, 7)],
        body="“Mr” for “M.”: the English usage.",
        category=categories["register"],
    )
    on_a_note = annotate(user=_user("annotator"), spans=[Span(n3, 5, 13)], body="Which telegram?")
    orphan = annotate(
        user=_user("annotator"),
        spans=[Span(p2, 6, 14)],
        body="The telegram numbers.",
        category=categories["mistranslation"],
    )
    AnnotationTarget.objects.filter(annotation=orphan).update(start=None, end=None)
    annotate(
        user=_user("annotator"), spans=[Span(p2, 0, 5)], body=PRIVATE_NOTE, visibility="private"
    )
    return Annotated(
        document, original, english, alignment, [people, both, overlapping, on_a_note, orphan]
    )


def align_by_hand_with_a_lone_heading(document, markdown: str, language: str) -> Witness:
    """Import ``markdown`` as the document's original and align it with its English by hand.

    The original's first segment is a heading the English lacks: it stands alone in its row;
    the next two pair with the English p1 and p2. Returns the original.
    """
    user = _user("editor")
    original = add_text(document, markdown, language, "original")
    english = document.witnesses.get(slug="cvce-en")
    alignment = create_alignment(document, original, english, user)
    heading, first, second = (s.sid for s in alignable_segments(original))
    rows = [Row((heading,), ()), Row((first,), ("p1",)), Row((second,), ("p2",))]
    change(alignment, alignment.version, user, "edit", "by hand", lambda _rows: rows)
    return original


def jing(shared_dir: Path, path: Path) -> subprocess.CompletedProcess:
    need_or_skip(shutil.which("jing") is not None, "jing is not installed (apt-get install jing)")
    schema = shared_dir / "schemas" / "tei_all.rng"
    return subprocess.run(["jing", str(schema), str(path)], capture_output=True, text=True)


def run_worker_once() -> None:
    """Run every queued task with the real database worker, then return.

    The worker installs its own SIGINT/SIGTERM handlers (for a graceful stop); the test
    process gets its own back afterwards.
    """
    saved = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    try:
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    finally:
        for number, handler in saved.items():
            signal.signal(number, handler)
