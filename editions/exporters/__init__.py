"""Exporters: a document (or a whole edition) in the formats its readers' tools expect.

``FORMATS`` names each format with its file extension, media type and writer; a writer takes
a ``DocumentExport`` (``data.load``) and returns the file's bytes; the writers of the long
formats (TEI, PDF, DOCX) also take a ``progress`` function, told how many of the file's
steps are done out of how many as they go (the background export shows it). The browser, the
command line (``manage.py export_edition``) and the background task all go through
``export_document`` and ``editions.exporters.bundle``, so they write the same files.
"""

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from inspect import signature

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ..models import Document
from ..w3c import MEDIA_TYPE as JSONLD_MEDIA_TYPE
from .data import DocumentExport, Progress, load


@dataclass(frozen=True)
class Format:
    key: str
    label: str | Promise
    help: str | Promise
    suffix: str  # appended to the document's slug
    media_type: str
    writer: str  # "module.function" in this package, imported when used
    pairs_texts: bool = False  # a translation memory: nothing to write without an alignment

    def write(self, export: DocumentExport, progress: Progress | None = None) -> bytes:
        module, function = self.writer.rsplit(".", 1)
        # Imported when used: WeasyPrint and python-docx are slow to import.
        writer: Callable[..., bytes] = getattr(import_module(f"{__name__}.{module}"), function)
        if progress is not None and "progress" in signature(writer).parameters:
            return writer(export, progress=progress)
        return writer(export)


FORMATS: dict[str, Format] = {
    f.key: f
    for f in [
        Format(
            "tei",
            _("TEI P5"),
            _("The scholarly edition: texts, alignment and annotations; imports back."),
            ".tei.xml",
            "application/tei+xml",
            "tei.export_tei",
        ),
        Format(
            "tmx",
            _("TMX 1.4b"),
            _("A translation memory: one unit per aligned row."),
            ".tmx",
            "application/x-tmx+xml",
            "tmx.export_tmx",
            pairs_texts=True,
        ),
        Format(
            "tmx-sentences",
            _("TMX 1.4b by sentence"),
            _("A translation memory of aligned sentences, found within each aligned row."),
            ".sentences.tmx",
            "application/x-tmx+xml",
            "tmx.export_tmx_sentences",
            pairs_texts=True,
        ),
        Format(
            "jsonld",
            _("Web Annotation JSON-LD"),
            _("The annotations as a W3C annotation collection."),
            ".annotations.jsonld",
            JSONLD_MEDIA_TYPE,
            "jsonld.export_jsonld",
        ),
        Format(
            "html",
            _("HTML edition"),
            _("One self-contained page: facing texts, footnotes, numbered notes."),
            ".html",
            "text/html; charset=utf-8",
            "html.export_html",
        ),
        Format(
            "pdf",
            _("PDF"),
            _("The HTML edition laid out on pages, with running heads."),
            ".pdf",
            "application/pdf",
            "pdf.export_pdf",
        ),
        Format(
            "docx",
            _("Word (DOCX)"),
            _("The aligned texts in a table, annotations as comments, footnotes as notes."),
            ".docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "docx.export_docx",
        ),
        Format(
            "csv",
            _("CSV"),
            _("One row per annotation, for spreadsheets."),
            ".annotations.csv",
            "text/csv; charset=utf-8",
            "csv.export_csv",
        ),
    ]
}


@dataclass(frozen=True)
class ExportFile:
    name: str
    media_type: str
    data: bytes


def unavailable(document: Document, key: str) -> str:
    """Why a format cannot be exported for this document, or "" when it can."""
    if FORMATS[key].pairs_texts and not document.alignments.exists():
        return str(
            _(
                "A translation memory pairs aligned texts: this document has no alignment "
                "yet (it needs a second text, aligned with the first)."
            )
        )
    return ""


def available_keys(document: Document, keys: list[str]) -> list[str]:
    return [key for key in keys if not unavailable(document, key)]


def file_for(export: DocumentExport, key: str, progress: Progress | None = None) -> ExportFile:
    fmt = FORMATS[key]
    data = fmt.write(export, progress)
    return ExportFile(f"{export.document.slug}{fmt.suffix}", fmt.media_type, data)


def export_document(document: Document, key: str, base_url: str) -> ExportFile:
    return file_for(load(document, base_url), key)
