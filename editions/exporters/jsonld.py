"""A document's annotations as one W3C Web Annotation ``AnnotationCollection``.

Each annotation is serialised by ``editions.w3c.annotation_json``, the code the protocol
endpoint answers with, so an annotation reads the same from both (same IRI, same targets
and selectors). The collection holds them all in one embedded page; its IRI is where this
file is downloaded from.
"""

import json

from django.urls import reverse

from ..w3c import ANNO_CONTEXT, absolute, annotation_json
from .data import DocumentExport


def collection_iri(export: DocumentExport) -> str:
    document = export.document
    path = reverse(
        "editions:document_export_file", args=[document.edition.slug, document.slug, "jsonld"]
    )
    return absolute(export.base_url, path)


def collection(export: DocumentExport) -> dict:
    iri = collection_iri(export)
    total = len(export.annotations)
    data = {
        "@context": ANNO_CONTEXT,
        "id": iri,
        "type": "AnnotationCollection",
        "label": export.document.title,
        "total": total,
    }
    if total:
        page = f"{iri}?page=0"
        data["first"] = {
            "id": page,
            "type": "AnnotationPage",
            "partOf": iri,
            "startIndex": 0,
            "items": [
                # An annotation's IRI is in the container of the witness it first targets.
                annotation_json(export.base_url, a.targets.all()[0].segment.witness, a)
                for a in export.annotations
            ],
        }
        data["last"] = page
    return data


def export_jsonld(export: DocumentExport) -> bytes:
    return json.dumps(collection(export), ensure_ascii=False, indent=1).encode("utf-8")
