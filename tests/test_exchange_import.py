"""TEI and TMX back in: the lossless TEI round trip, translation memories, hostile XML."""

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from editions.alignment_store import rows_of
from editions.exporters import export_document
from editions.importers import parse_record
from editions.importers.base import RecordError
from editions.importers.exchange import import_exchange, parse_exchange
from editions.models import Annotation, Document, Edition, Membership

from .export_fixtures import annotated_fixture  # noqa: F401

BASE = "http://example.org/"
EXPORT_DATE = re.compile(rb'<date type="export" when="[^"]+">[^<]+</date>')


def _without_export_date(tei: bytes) -> bytes:
    assert len(EXPORT_DATE.findall(tei)) == 1
    return EXPORT_DATE.sub(b"", tei)


def _new_edition(like: Edition, slug: str = "reimported") -> Edition:
    """A new edition with the same title and people as the one exported."""
    edition = Edition.objects.create(title=like.title, slug=slug)
    for membership in like.memberships.all():
        Membership.objects.create(edition=edition, user=membership.user, role=membership.role)
    return edition


def _owner():
    return get_user_model().objects.get(username="owner")


def test_export_import_export_gives_the_same_tei(annotated):
    first = export_document(annotated.document, "tei", BASE).data
    edition = _new_edition(annotated.document.edition)
    copy, warnings = import_exchange(first, edition=edition, user=_owner(), filename="a.tei.xml")
    again = export_document(copy, "tei", BASE).data
    assert _without_export_date(again) == _without_export_date(first)
    assert warnings == []


def test_the_import_restores_texts_ids_alignment_and_annotations(annotated):
    first = export_document(annotated.document, "tei", BASE).data
    edition = _new_edition(annotated.document.edition)
    copy, _warnings = import_exchange(first, edition=edition, user=_owner())
    source = annotated.document
    for old, new in zip(source.ordered_witnesses(), copy.ordered_witnesses(), strict=True):
        assert (new.slug, new.language, new.role, new.label) == (
            old.slug,
            old.language,
            old.role,
            old.label,
        )
        assert list(new.segments.values_list("sid", "kind", "label", "text")) == list(
            old.segments.values_list("sid", "kind", "label", "text")
        )
        assert list(
            new.segments.filter(footnote_refs__isnull=False).values_list(
                "sid", "footnote_refs__note__sid", "footnote_refs__offset"
            )
        ) == list(
            old.segments.filter(footnote_refs__isnull=False).values_list(
                "sid", "footnote_refs__note__sid", "footnote_refs__offset"
            )
        )
    assert rows_of(copy.alignments.get()) == rows_of(annotated.alignment)
    assert copy.alignments.get().changes.get().operation == "align"  # history starts here
    old_notes = Annotation.objects.filter(document=source, visibility="edition").order_by("pk")
    new_notes = Annotation.objects.filter(document=copy).order_by("pk")
    # Imported in reading order (the TEI's), so compared whatever the order.
    assert sorted(map(_summary, new_notes)) == sorted(map(_summary, old_notes))
    orphan = new_notes.get(body="The telegram numbers.").targets.get()
    assert orphan.start is None and orphan.quote == "telegram"


def _second(moment):
    return moment.replace(microsecond=0)  # TEI dates are to the second


def _summary(annotation: Annotation) -> tuple:
    targets = [
        (t.segment.witness.slug, t.segment.sid, t.start, t.end, t.quote)
        for t in annotation.targets.all()
    ]
    replies = [(r.author.username, r.body, _second(r.created_at)) for r in annotation.replies.all()]
    return (
        annotation.body,
        annotation.category.slug if annotation.category else None,
        annotation.tags,
        annotation.author.username,
        annotation.status,
        _second(annotation.created_at),
        _second(annotation.updated_at),
        sorted(targets, key=str),
        replies,
        annotation.mentions,
    )


def test_the_round_trip_through_the_command_line(annotated, tmp_path):
    document = annotated.document
    exported = tmp_path / "first.tei.xml"
    call_command(
        "export_edition",
        document.edition.slug,
        "--format",
        "tei",
        "--document",
        document.slug,
        "--output",
        str(exported),
        stdout=io.StringIO(),
    )
    out = io.StringIO()
    call_command(
        "import_exchange",
        str(exported),
        "--edition",
        "from-the-command-line",
        "--create-edition",
        "--user",
        "owner",
        stdout=out,
    )
    assert "2 texts, 1 alignments, 5 annotations" in out.getvalue()
    edition = Edition.objects.get(slug="from-the-command-line")
    assert edition.title == document.edition.title  # a TEI file names its edition
    # The edition's editors are part of the TEI: give the new edition the same people.
    for membership in document.edition.memberships.exclude(user__username="owner"):
        Membership.objects.create(edition=edition, user=membership.user, role=membership.role)
    again = tmp_path / "again.tei.xml"
    call_command(
        "export_edition",
        edition.slug,
        "--format",
        "tei",
        "--document",
        edition.documents.get().slug,
        "--output",
        str(again),
        stdout=io.StringIO(),
    )
    assert _without_export_date(again.read_bytes()) == _without_export_date(exported.read_bytes())


def test_authors_unknown_here_are_imported_without_an_author_and_said(annotated):
    data = export_document(annotated.document, "tei", BASE).data.replace(
        b"<name>annotator</name>", b"<name>someone-elsewhere</name>"
    )
    copy, warnings = import_exchange(data, edition=annotated.document.edition, user=_owner())
    assert Annotation.objects.filter(document=copy, author__isnull=True).count() == 4
    assert warnings == [
        "No account here is called someone-elsewhere: their annotations and replies were "
        "imported without an author."
    ]


def test_a_tmx_export_imports_as_two_aligned_witnesses(annotated):
    data = export_document(annotated.document, "tmx", BASE).data
    edition = _new_edition(annotated.document.edition)
    copy, _warnings = import_exchange(data, edition=edition, user=_owner(), filename="x.tmx")
    assert copy.title == annotated.document.title
    witnesses = copy.ordered_witnesses()
    assert [(w.slug, w.language, w.role, w.label) for w in witnesses] == [
        ("fr", "fr", "original", "French original"),
        ("cvce-en", "en", "translation", "CVCE translation"),
    ]
    pairs = [(r.source, r.target) for r in rows_of(annotated.alignment)]
    assert [(r.source, r.target) for r in rows_of(copy.alignments.get())] == pairs
    assert witnesses[1].source_format == "tmx"


FOREIGN_TMX = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE tmx SYSTEM "tmx14.dtd">
<tmx version="1.4">
  <header creationtool="OmegaT" creationtoolversion="6" segtype="sentence" o-tmf="OmegaT"
          adminlang="EN-US" srclang="fr" datatype="plaintext"/>
  <body>
    <tu><tuv xml:lang="fr"><seg>Nous ignorons <bpt i="1">&lt;b&gt;</bpt>pourquoi<ept i="1">&lt;/b&gt;</ept>.</seg></tuv>
        <tuv xml:lang="en-GB"><seg>We do not know why.</seg></tuv></tu>
    <tu><tuv xml:lang="fr"><seg>La crise est finie.</seg></tuv></tu>
    <tu><tuv xml:lang="fr"><seg>Le blocus continue.</seg></tuv>
        <tuv xml:lang="en-GB"><seg>The blockade goes on.</seg></tuv></tu>
  </body>
</tmx>
"""


def test_any_translation_memory_becomes_an_aligned_pair(edition):
    copy, _warnings = import_exchange(
        FOREIGN_TMX.encode(), edition=edition, user=_owner(), filename="memory.tmx"
    )
    assert copy.title == "memory"
    french, english = copy.ordered_witnesses()
    assert (french.language, french.role, english.language) == ("fr", "original", "en-GB")
    assert list(french.segments.values_list("text", flat=True)) == [
        "Nous ignorons pourquoi.",  # inline codes (the original's markup) left out
        "La crise est finie.",
        "Le blocus continue.",
    ]
    assert [(r.source, r.target) for r in rows_of(copy.alignments.get())] == [
        (("p1",), ("p1",)),
        (("p2",), ()),
        (("p3",), ("p2",)),
    ]


FOREIGN_TEI = """<?xml version="1.0"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0">
  <teiHeader><fileDesc><titleStmt><title>A letter</title></titleStmt>
    <publicationStmt><p>Unpublished</p></publicationStmt><sourceDesc><p>Archive</p></sourceDesc>
  </fileDesc></teiHeader>
  <text><body>
    <div xml:lang="fr">
      <head>Lettre</head>
      <p>Le ministre
         est parti<note n="a">Le 3 mai.</note> hier.</p>
    </div>
  </body></text>
</TEI>
"""


def test_other_tei_reads_divs_as_witnesses_and_inline_notes_as_footnotes(edition):
    copy, _warnings = import_exchange(FOREIGN_TEI.encode(), edition=edition, user=_owner())
    witness = copy.witnesses.get()
    assert copy.title == "A letter" and witness.language == "fr"
    assert list(witness.segments.values_list("sid", "kind", "text")) == [
        ("h1", "heading", "Lettre"),
        ("p2", "paragraph", "Le ministre est parti hier."),
        ("n3", "footnote", "Le 3 mai."),
    ]
    call = witness.segments.get(sid="p2").footnote_refs.get()
    assert (call.label, call.offset, call.note.sid) == ("a", 21, "n3")


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE TEI [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>&lol3;</p></body></text></TEI>
"""
EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE tmx [ <!ENTITY secret SYSTEM "file:///etc/passwd"> ]>
<tmx version="1.4"><header srclang="en"/><body><tu><tuv xml:lang="en"><seg>&secret;</seg></tuv></tu></body></tmx>
"""


@pytest.mark.parametrize(
    "data, message",
    [
        (BILLION_LAUGHS, "declares entities in its DOCTYPE (lol, lol1, lol2, lol3)"),
        (EXTERNAL_ENTITY, "declares an external entity (secret → file:///etc/passwd)"),
        (
            EXTERNAL_ENTITY.decode().replace('1.0"?>', '1.0" encoding="UTF-16"?>').encode("utf-16"),
            "declares an external entity (secret → file:///etc/passwd)",
        ),
        (b"<?xml version='1.0'?><tmx><body><tu>", "ends too early"),
        (b"<?xml version='1.0'?><html><body/></html>", "neither TEI nor TMX"),
        (b"", "empty"),
    ],
)
def test_hostile_or_broken_xml_is_refused_with_a_clear_message(edition, data, message):
    with pytest.raises(RecordError, match=re.escape(message)):
        import_exchange(data, edition=edition, user=_owner())
    assert not Document.objects.exists()


def test_a_truncated_export_is_refused(annotated):
    data = export_document(annotated.document, "tei", BASE).data
    with pytest.raises(RecordError, match="ends too early"):
        parse_exchange(data[: len(data) // 2])
    with pytest.raises(RecordError, match="ends too early"):
        parse_exchange(data[:-3])


def test_the_record_importer_sends_tei_and_tmx_to_the_exchange_import(annotated):
    data = export_document(annotated.document, "tei", BASE).data
    with pytest.raises(RecordError, match="This is a TEI file. Import it from the edition's"):
        parse_record(data, "edition.tei.xml")
    with pytest.raises(RecordError, match="This is a TMX file"):
        parse_record(FOREIGN_TMX)


def test_the_import_command_reports_what_it_refuses(tmp_path, edition):
    from django.core.management.base import CommandError

    path = tmp_path / "bomb.xml"
    path.write_bytes(BILLION_LAUGHS)
    with pytest.raises(CommandError, match="billion laughs"):
        call_command("import_exchange", str(path), "--edition", edition.slug)
    assert not edition.documents.exists()


def test_two_unnamed_texts_in_one_language_stay_two_witnesses(edition):
    second = FOREIGN_TEI.replace(
        "</body>", '<div xml:lang="fr"><p>Une autre version.</p></div></body>'
    )
    copy, _warnings = import_exchange(second.encode(), edition=edition, user=_owner())
    assert list(copy.witnesses.values_list("slug", flat=True)) == ["fr", "fr-2"]
    assert copy.witnesses.get(slug="fr-2").segments.get().text == "Une autre version."
