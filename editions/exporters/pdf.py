"""The annotated edition as PDF: the HTML edition laid out on pages by WeasyPrint.

The print stylesheet of that HTML does the page work: A4 (landscape when more than two
texts face each other), running heads with the edition and the document's title, page
numbers, the table's heading row repeated on each page.

An edition of up to ``WHOLE_ROWS`` aligned rows is laid out whole, and tagged for
accessibility as PDF/UA-1 (WeasyPrint's variant): a structure tree that screen readers follow
(headings, tables, lists, notes), the document's title shown as the window title, and its
language (the page's; each text's own language on its column).

A longer one (a book) is laid out in parts, because WeasyPrint keeps the whole layout in
memory (1.1 GiB for the 2,400 rows of the Verne book): the front matter with the first
``PART_ROWS`` rows, then ``PART_ROWS`` rows at a time, then the notes; each part is written
to PDF and freed before the next, and pypdf joins them. What the joined PDF keeps: every
page, the page numbers running through the book ("12 / 530") and the running heads (printed
over the joined pages from a second, empty layout of the same number of pages), the outline
(the parts' headings, nested as in the whole document), the links between note numbers in
the text and their notes, and back (named destinations of the whole book), the language, the
title and the metadata. What it loses: the tagging (structure tree), which pypdf cannot join;
a book-size PDF is not tagged (not PDF/UA), while the HTML export of the same book is
accessible.
"""

import io
import logging
import re
from dataclasses import dataclass, field
from typing import cast

from django.template.loader import render_to_string
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    Fit,
    FloatObject,
    IndirectObject,
    NameObject,
    TextStringObject,
)
from weasyprint import HTML

from .data import DocumentExport, Progress
from .html import context

# WeasyPrint warns about every CSS property it does not know; the screen rules are not its.
logging.getLogger("weasyprint").setLevel(logging.ERROR)

TEMPLATE = "editions/exports/edition.html"
PAGES_TEMPLATE = "editions/exports/pdf_pages.html"
# Rows laid out at once. WeasyPrint's memory grows with what it lays out at once, and its
# time faster than that (a table of 150 Verne rows took 9 s, of 300 rows 70 s, of 600 rows
# 116 s: docs/BENCHMARKS.md): parts of 150 rows keep both near a short document's.
PART_ROWS = 150
# Up to this many rows, the edition is laid out whole and tagged (PDF/UA-1): the tagging does
# not survive joining parts. 300 rows peaked at 262 MiB.
WHOLE_ROWS = 300
PART_NOTES = 250  # and annotations' notes

_LINK = re.compile(r'href="#([^"]+)"')
_ID = re.compile(r'id="([^"]+)"')


@dataclass
class Part:
    """What one part of a long edition's PDF holds; the template reads it."""

    rows: list
    first_row: int  # rows before this part's
    notes: list = field(default_factory=list)  # annotations' notes
    front: bool = False  # the title, metadata and list of texts
    back: bool = False  # the unaligned texts, the footnotes, the annotations' heading
    end: bool = False  # the colophon
    link_targets: list[str] = field(default_factory=list)  # ids only other parts hold


def export_pdf(export: DocumentExport, progress: Progress | None = None) -> bytes:
    data = context(export)
    if len(data["rows"]) <= WHOLE_ROWS:
        pdf = HTML(string=render_to_string(TEMPLATE, data)).write_pdf(pdf_variant="pdf/ua-1")
        if progress is not None:
            progress(1, 1)
        return pdf
    return _in_parts(data, progress)


def parts(rows: list, notes: list) -> list[Part]:
    """The front matter with the first rows, the rest of the rows by ``PART_ROWS``, then the
    back matter with the first notes, and the rest of the notes by ``PART_NOTES``."""
    out = [Part(rows[:PART_ROWS], 0, front=True)]
    out += [Part(rows[n : n + PART_ROWS], n) for n in range(PART_ROWS, len(rows), PART_ROWS)]
    out.append(Part([], len(rows), notes[:PART_NOTES], back=True))
    out += [
        Part([], len(rows), notes[n : n + PART_NOTES])
        for n in range(PART_NOTES, len(notes), PART_NOTES)
    ]
    out[-1].end = True
    return out


def _html(data: dict, part: Part) -> str:
    return render_to_string(
        TEMPLATE,
        {**data, "part": part, "rows": part.rows, "first_row": part.first_row, "notes": part.notes},
    )


def _in_parts(data: dict, progress: Progress | None) -> bytes:
    all_parts = parts(data["rows"], data["notes"])
    steps = len(all_parts) + 1  # laying out each part, then the margins and the joining
    writer = PdfWriter()
    bookmarks: list[tuple[int, str, int, float]] = []  # level, label, page, top
    anchors: dict[str, tuple[int, float, float]] = {}  # id -> page, left, top
    for n, part in enumerate(all_parts, start=1):
        html = _html(data, part)
        # A link to another part's note is dropped by WeasyPrint unless its target is in
        # the part: an empty element stands for it, and the joined PDF points the link at
        # the real one (the names are the book's).
        own = set(_ID.findall(html))
        part.link_targets = sorted(set(_LINK.findall(html)) - own)
        if part.link_targets:
            html = _html(data, part)
        _append(writer, HTML(string=html).render(), own, bookmarks, anchors)
        if progress is not None:
            progress(n, steps)
    _print_margins(writer, data)
    _add_outline(writer, bookmarks)
    _add_destinations(writer, anchors)
    _drop_dangling_links(writer, set(anchors))
    out = io.BytesIO()
    writer.write(out)
    if progress is not None:
        progress(steps, steps)
    return out.getvalue()


def _append(writer: PdfWriter, document, own: set[str], bookmarks: list, anchors: dict) -> None:
    """One laid-out part's pages at the end of the joined PDF, with its bookmarks and the
    places of the ids it really holds (not the stand-ins)."""
    offset = len(writer.pages)
    for number, page in enumerate(document.pages, start=offset):
        for level, label, (_x, y), _state in page.bookmarks:
            bookmarks.append((level, label, number, y))
        for name, (x, y, *_rest) in page.anchors.items():
            if name in own and name not in anchors:
                anchors[name] = (number, x, y)
    reader = PdfReader(io.BytesIO(document.write_pdf()))
    if not offset:  # the book's title, language and metadata are the first part's
        if reader.metadata is not None:  # WeasyPrint always writes it
            writer.add_metadata(reader.metadata)
        writer._root_object[NameObject("/Lang")] = reader.root_object["/Lang"].clone(writer)
        # A reader's window shows the title, not the file's name (as in the tagged PDF).
        preferences = writer.create_viewer_preferences()
        # pypdf makes its preferences properties at run time: mypy sees the property itself.
        preferences.display_doctitle = True  # type: ignore[assignment]
    # The pages alone: WeasyPrint's named destinations and outline are the part's, the
    # book's are added at the end.
    for page in reader.pages:
        writer.add_page(page)


def _print_margins(writer: PdfWriter, data: dict) -> None:
    """The running heads and page numbers ("12 / 530") over each page: an empty edition of as
    many pages, laid out with the same page rules, stamped on the joined one."""
    html = render_to_string(PAGES_TEMPLATE, {**data, "pages": range(len(writer.pages) - 1)})
    margins = PdfReader(io.BytesIO(HTML(string=html).write_pdf()))
    for page, margin in zip(writer.pages, margins.pages, strict=True):
        page.merge_page(margin)
        page.compress_content_streams()  # merging wrote the page's content out plain


def _points(writer: PdfWriter, number: int, x: float, y: float) -> tuple[float, float]:
    """CSS pixels from the page's top left (WeasyPrint's) as PDF points from its bottom left."""
    height = float(writer.pages[number].mediabox.height)
    return x * 0.75, height - y * 0.75


def _add_outline(writer: PdfWriter, bookmarks: list[tuple[int, str, int, float]]) -> None:
    """The parts' headings as one outline, nested by heading level across parts."""
    parents: list[tuple[int, IndirectObject]] = []  # (level, outline item) from the root down
    for level, label, number, y in bookmarks:
        while parents and parents[-1][0] >= level:
            parents.pop()
        _x, top = _points(writer, number, 0, y)
        parent = parents[-1][1] if parents else None
        item = writer.add_outline_item(
            title=label, page_number=number, parent=parent, fit=Fit.xyz(0, top, 0)
        )
        parents.append((level, item))


def _add_destinations(writer: PdfWriter, anchors: dict[str, tuple[int, float, float]]) -> None:
    """Every id of the book as a named destination: the links in the text (``#note-12``,
    ``#fn-…``) and in the notes (``#ref-12``) name them, whichever part they are in."""
    names = ArrayObject()
    for name in sorted(anchors):  # a name tree's names are sorted
        number, x, y = anchors[name]
        left, top = _points(writer, number, x, y)
        names += [
            TextStringObject(name),
            ArrayObject(
                [
                    writer.pages[number].indirect_reference,
                    NameObject("/XYZ"),
                    FloatObject(left),
                    FloatObject(top),
                    FloatObject(0),
                ]
            ),
        ]
    tree = DictionaryObject({NameObject("/Names"): names})
    root = writer._root_object
    if "/Names" not in root:
        root[NameObject("/Names")] = DictionaryObject()
    # The catalogue's name dictionary (PDF 1.7, 7.7.4), made just above when WeasyPrint had none.
    catalogue_names = cast(DictionaryObject, root["/Names"])
    catalogue_names[NameObject("/Dests")] = writer._add_object(tree)


def _drop_dangling_links(writer: PdfWriter, names: set[str]) -> None:
    """A link to an id that no part holds (a note's own "#…" link) was only kept for its
    stand-in: WeasyPrint drops those in a whole layout, and so does the joined PDF."""
    for page in writer.pages:
        if "/Annots" not in page:
            continue
        annotations = cast(ArrayObject, page["/Annots"])  # an array, as the PDF spec has it
        links = [annotation.get_object() for annotation in annotations]
        kept = [
            annotation
            for annotation, link in zip(annotations, links, strict=True)
            if "/Dest" not in link or str(link["/Dest"]) in names
        ]
        page[NameObject("/Annots")] = ArrayObject(kept)
