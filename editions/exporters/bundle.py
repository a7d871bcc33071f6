"""Several export files as one ZIP: a document in several formats, or a whole edition.

An edition's archive holds a folder named after the edition with every document in every
chosen format; ``progress`` hears after each file how many are written out of how many, and
within a long file how many of its steps (rows, parts) are done out of how many, which is
what the background task reports to the progress bar.
"""

import io
import zipfile
from collections.abc import Callable, Iterable
from functools import partial

from ..models import Document, Edition
from . import ExportFile, available_keys, file_for
from .data import load

ZIP_TYPE = "application/zip"
# (files written, files, steps of the file being written done, its steps): 0, 0 when the
# file being written says nothing of its steps.
Progress = Callable[[int, int, int, int], None]


def zip_files(files: Iterable[ExportFile], folder: str = "") -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in files:
            archive.writestr(f"{folder}/{item.name}" if folder else item.name, item.data)
    return out.getvalue()


def document_bundle(document: Document, keys: list[str], base_url: str) -> ExportFile:
    """One file for one format, else a ZIP of them (formats the document cannot give, such
    as a memory of a text aligned with nothing, left out)."""
    export = load(document, base_url)
    files = [file_for(export, key) for key in available_keys(document, keys) or keys[:1]]
    if len(files) == 1:
        return files[0]
    return ExportFile(f"{document.slug}.zip", ZIP_TYPE, zip_files(files))


def _documents_and_keys(edition: Edition, keys: list[str]) -> list[tuple[Document, list[str]]]:
    """Each document with the chosen formats it can give (no memory of an unaligned text)."""
    return [(d, available_keys(d, keys)) for d in edition.documents.all()]


def edition_file_count(edition: Edition, keys: list[str]) -> int:
    return sum(len(document_keys) for _d, document_keys in _documents_and_keys(edition, keys))


def edition_files(
    edition: Edition, keys: list[str], base_url: str, progress: Progress | None = None
) -> Iterable[ExportFile]:
    documents = _documents_and_keys(edition, keys)
    total, done = sum(len(k) for _d, k in documents), 0
    for document, document_keys in documents:
        if not document_keys:
            continue
        export = load(document, base_url)
        for key in document_keys:
            within = None
            if progress is not None:
                within = partial(progress, done, total)
            yield file_for(export, key, within)
            done += 1
            if progress is not None:
                progress(done, total, 0, 0)


def edition_bundle(
    edition: Edition, keys: list[str], base_url: str, progress: Progress | None = None
) -> ExportFile:
    files = edition_files(edition, keys, base_url, progress)
    return ExportFile(f"{edition.slug}.zip", ZIP_TYPE, zip_files(files, folder=edition.slug))
