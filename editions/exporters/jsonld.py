"""A document's annotations as one W3C Web Annotation ``AnnotationCollection``.

Each annotation is serialised by ``editions.w3c.annotation_json``, the code the protocol
endpoint answers with, so an annotation reads the same from both (same IRI, same targets
and selectors). The collection holds them all in one embedded page, each annotation followed by its
replies (annotations with ``motivation: replying`` targeting it); its IRI is where this
file is downloaded from.
"""

import json

from django.urls import reverse

from ..w3c import ANNO_CONTEXT, absolute, annotation_json, reply_json
from .data import DocumentExport


def collection_iri(export: DocumentExport) -> str:
    document = export.document
    path = reverse(
        "editions:document_export_file", args=[document.edition.slug, document.slug, "jsonld"]
    )
    return absolute(export.base_url, path)


def collection(export: DocumentExport) -> dict:
    iri = collection_iri(export)
    items = _items(export)
    total = len(items)
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
            "items": items,
        }
        data["last"] = page
    return data


def _items(export: DocumentExport) -> list[dict]:
    """Each annotation, then its replies (annotations replying to it)."""
    items = []
    for annotation in export.annotations:
        # An annotation's IRI is in the container of the witness it first targets.
        witness = annotation.targets.all()[0].segment.witness
        items.append(annotation_json(export.base_url, witness, annotation))
        items += [
            reply_json(export.base_url, witness, annotation, reply)
            for reply in annotation.replies.all()
        ]
    return items


def export_jsonld(export: DocumentExport) -> bytes:
    return json.dumps(collection(export), ensure_ascii=False, indent=1).encode("utf-8")
