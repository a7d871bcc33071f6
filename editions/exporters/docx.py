"""The annotated edition as a Word document (python-docx).

The document's metadata, the texts in a table by aligned row (one column per witness), each
annotation as a Word comment anchored to its span (one comment per span), footnotes as
Word footnotes called where their markers stand, with their printed numbers. Annotations
whose span is no longer in the text are listed at the end.

python-docx writes comments but not footnotes: the footnotes part is built here, as Word
itself writes it (two separators, then the notes).

Two constructions keep LibreOffice (7.4) reading what Word reads:
- comments and footnotes take their ids from one sequence, as LibreOffice writes them: its
  importer lost (or swapped) the text of a footnote whose id was also a comment's id when
  the comment stood in the same paragraph;
- the footnotes are numbered by the word processor (``w:footnoteRef`` in the note), not by
  a custom mark: LibreOffice prints its own number beside a custom mark's text ("1¹").
"""

import io
from html import unescape

from django.utils.formats import date_format
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from docx import Document as WordDocument
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_COLOR_INDEX
from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
from docx.opc.packuri import PackURI
from docx.opc.part import XmlPart
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Mm, Pt
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from ..models import Annotation, AnnotationTarget, Segment, SegmentKind
from .data import DocumentExport, Progress, pieces, received_text

FOOTNOTES_XML = (
    f"<w:footnotes {nsdecls('w')}>"
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r>'
    "<w:continuationSeparator/></w:r></w:p></w:footnote>"
    "</w:footnotes>"
)
# What follows w:footnotePr in w:settings (its schema is a sequence).
SETTINGS_AFTER_FOOTNOTE_PR = (
    "w:endnotePr",
    "w:compat",
    "w:docVars",
    "w:rsids",
    "m:mathPr",
    "w:attachedSchema",
    "w:themeFontLang",
    "w:clrSchemeMapping",
    "w:doNotIncludeSubdocsInStats",
    "w:doNotAutoCompressPictures",
    "w:forceUpgrade",
    "w:captions",
    "w:readModeInkLockDown",
    "w:smartTagType",
    "sl:schemaLibrary",
    "w:shapeDefaults",
    "w:doNotEmbedSmartTags",
    "w:decimalSymbol",
    "w:listSeparator",
)


class _Footnotes:
    """The document's footnotes part, created on the first footnote."""

    def __init__(self, word):
        self.word = word
        self.element = None
        self.count = 0

    def add(self, paragraph: Paragraph, segment: Segment) -> None:
        """Call a new footnote here, numbered by the word processor, holding ``segment``."""
        element = self.element if self.element is not None else self._create_part()
        self.count += 1
        note_id = self.count
        call = paragraph.add_run()
        call.font.superscript = True
        call._r.append(parse_xml(f'<w:footnoteReference {nsdecls("w")} w:id="{note_id}"/>'))
        note = parse_xml(f'<w:footnote {nsdecls("w")} w:id="{note_id}"><w:p/></w:footnote>')
        element.append(note)
        body = Paragraph(note[0], paragraph._parent)
        number = body.add_run()
        number.font.superscript = True
        number._r.append(parse_xml(f"<w:footnoteRef {nsdecls('w')}/>"))
        body.add_run(" " + segment.text.replace("\n", " "))

    def _create_part(self):
        """The footnotes part, made at the first note (the element notes are added to)."""
        document_part = self.word.part
        element = self.element = parse_xml(FOOTNOTES_XML)
        part = XmlPart(
            PackURI("/word/footnotes.xml"),
            CONTENT_TYPE.WML_FOOTNOTES,
            element,
            document_part.package,
        )
        document_part.relate_to(part, RELATIONSHIP_TYPE.FOOTNOTES)
        # Word names the separators in the settings too.
        settings = self.word.settings.element
        settings.insert_element_before(
            parse_xml(
                f'<w:footnotePr {nsdecls("w")}><w:footnote w:id="-1"/><w:footnote w:id="0"/>'
                "</w:footnotePr>"
            ),
            *SETTINGS_AFTER_FOOTNOTE_PR,
        )
        return element


COMMENT_ID_TAGS = {
    qn(f"w:{t}") for t in ("commentRangeStart", "commentRangeEnd", "commentReference")
}


def _number_comments_after_footnotes(word, footnotes: int) -> None:
    """Give the comments ids after the footnotes' (one sequence, as LibreOffice writes)."""
    offset = footnotes + 1
    key = qn("w:id")
    for element in word.element.body.iter(*COMMENT_ID_TAGS):
        element.set(key, str(int(element.get(key)) + offset))
    for comment in word.comments._comments_elm.iter(qn("w:comment")):
        comment.set(key, str(int(comment.get(key)) + offset))


class _Writer:
    def __init__(self, export: DocumentExport, progress: Progress | None = None):
        self.export = export
        # Told after each row of the texts' table, and when the file is written.
        self.progress = progress or (lambda _done, _steps: None)
        self.word = WordDocument()
        self.footnotes = _Footnotes(self.word)
        self.anchored: set[int] = set()  # annotations with at least one comment

    def write(self) -> bytes:
        self._page_setup()
        self._front_matter()
        self._texts()
        self._other_annotations()
        if self.footnotes.count and self.anchored:
            _number_comments_after_footnotes(self.word, self.footnotes.count)
        out = io.BytesIO()
        self.word.save(out)
        steps = len(self.export.layout_rows()) + 1
        self.progress(steps, steps)
        return out.getvalue()

    def _page_setup(self) -> None:
        style = self.word.styles["Normal"]
        style.font.name, style.font.size = "Cambria", Pt(10.5)
        section = self.word.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)  # A4, as the PDF
        if len(self.export.columns()) > 2:
            section.orientation = WD_ORIENT.LANDSCAPE
            section.page_width, section.page_height = section.page_height, section.page_width
        for side in ("left_margin", "right_margin"):
            setattr(section, side, Cm(2))
        section.header.paragraphs[
            0
        ].text = f"{self.export.edition.title} — {self.export.document.title}"
        properties = self.word.core_properties
        properties.title = self.export.document.title
        properties.subject = self.export.edition.title

    def _front_matter(self) -> None:
        document = self.export.document
        self.word.add_paragraph(self.export.edition.title, style="Subtitle")
        self.word.add_heading(document.title, level=0)
        fields = [
            (_("Date"), date_format(document.date, "j F Y") if document.date else ""),
            (_("Author"), document.author),
            (_("Recipient"), document.recipient),
            (_("Place"), document.place),
            (_("Reference numbers"), document.reference_numbers),
            (_("Classification"), document.classification),
            (_("Received"), received_text(document)),
            (_("Printed source"), document.printed_source),
            (_("Summary"), document.summary),
        ]
        for label, value in fields:
            if value:
                paragraph = self.word.add_paragraph()
                paragraph.add_run(f"{label}: ").bold = True
                paragraph.add_run(value)
        self.word.add_heading(_("Texts"), level=1)
        for witness in self.export.witnesses:
            paragraph = self.word.add_paragraph(style="List Bullet")
            paragraph.add_run(f"{witness.label} ").bold = True
            details = [witness.language, witness.get_role_display(), witness.translator]
            details += [witness.publisher, witness.source_url, witness.copyright_line]
            paragraph.add_run(" · ".join(d for d in details if d))

    def _texts(self) -> None:
        heading = _("The texts, aligned") if self.export.synopsis else _("The texts")
        self.word.add_heading(heading, level=1)
        columns = self.export.columns()
        if not columns:
            self.word.add_paragraph(_("This document has no text yet."))
            return
        rows = self.export.layout_rows()
        table = self.word.add_table(rows=1, cols=len(columns))
        table.style = "Table Grid"
        for cell, witness in zip(table.rows[0].cells, columns, strict=True):
            cell.paragraphs[0].add_run(f"{witness.label} ({witness.language})").bold = True
        for n, cells in enumerate(rows, start=1):
            row = table.add_row()
            for cell, segments in zip(row.cells, cells, strict=True):
                self._cell(cell, segments)
            self.progress(n, len(rows) + 1)
        if self.export.synopsis:
            for witness in self.export.synopsis.unaligned:
                self.word.add_heading(f"{witness.label} ({_('not aligned')})", level=2)
                for segment in self.export.body_segments(witness):
                    self._segment(self.word.add_paragraph(), segment)

    def _cell(self, cell, segments: list[Segment]) -> None:
        if not segments:
            cell.paragraphs[0].add_run(_("(nothing renders this)")).italic = True
            return
        for n, segment in enumerate(segments):
            paragraph = cell.paragraphs[0] if n == 0 else cell.add_paragraph()
            self._segment(paragraph, segment)

    def _segment(self, paragraph: Paragraph, segment: Segment) -> None:
        """The segment's text as runs cut at every span edge; a comment on each span."""
        spans: dict[int, list[Run]] = {}
        targets = self.export.targets_on(segment)
        for piece in pieces(segment, targets):
            if piece.ref is not None:
                self.footnotes.add(paragraph, piece.ref.note)
            elif piece.text:
                run = paragraph.add_run(piece.text)
                if segment.kind == SegmentKind.HEADING:
                    run.bold = True
                if piece.covering:
                    run.font.highlight_color = WD_COLOR_INDEX.YELLOW
                for target in piece.covering:
                    spans.setdefault(target.pk, []).append(run)
        for target in targets:
            if target.pk in spans:
                self._comment(spans[target.pk], target)

    def _comment(self, runs: list[Run], target: AnnotationTarget) -> None:
        annotation = target.annotation
        comment = self.word.add_comment(
            runs, text=comment_text(self.export, annotation), **_author(annotation.author)
        )
        comment._comment_elm.date = annotation.created_at
        self.anchored.add(annotation.pk)

    def _other_annotations(self) -> None:
        """Annotations with no comment: their spans are in footnotes or lost from the text."""
        others = [a for a in self.export.annotations if a.pk not in self.anchored]
        if not others:
            return
        self.word.add_heading(_("Other annotations"), level=1)
        self.word.add_paragraph(
            _("On footnotes, or on passages no longer found in the text (their quotes are kept).")
        )
        for annotation in others:
            paragraph = self.word.add_paragraph()
            quotes = "; ".join(
                f"“{t.quote}” ({t.segment.witness.label})" for t in annotation.targets.all()
            )
            paragraph.add_run(f"{self.export.number[annotation.pk]}. {quotes}: ").bold = True
            paragraph.add_run(comment_text(self.export, annotation))


def _author(user) -> dict[str, str]:
    if user is None:
        return {"author": _("unknown"), "initials": ""}
    name = user.get_full_name() or user.get_username()
    initials = "".join(part[0] for part in name.split()[:3]).upper()
    return {"author": name, "initials": initials}


def comment_text(export: DocumentExport, annotation: Annotation) -> str:
    """Number and category, the note as plain text, its tags, status and replies."""
    category = annotation.category.name if annotation.category else _("uncategorised")
    lines = [f"[{export.number[annotation.pk]}] {category}"]
    if annotation.body_html:
        lines.append(unescape(strip_tags(annotation.body_html)).strip())
    if annotation.tags:
        lines.append(_("Tags: %(tags)s") % {"tags": ", ".join(annotation.tags)})
    lines.append(_("Status: %(status)s") % {"status": annotation.get_status_display()})
    for reply in annotation.replies.all():
        who = _author(reply.author)["author"]
        lines.append(f"— {who}: {unescape(strip_tags(reply.body_html)).strip()}")
    return "\n".join(lines)


def export_docx(export: DocumentExport, progress: Progress | None = None) -> bytes:
    return _Writer(export, progress).write()
