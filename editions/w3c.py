"""Annotations as W3C Web Annotation JSON-LD, and back.

A target's ``source`` is the segment's plain-text IRI, which answers exactly the segment's
text, so a generic client resolves the selectors' positions (code points of that text, as
ours count) against it; its ``scope`` is the segment on the document page, for people.

IRIs are absolute: ``base`` is the request being answered (the protocol endpoint) or the
site's base URL as a string (the exporters, which also run from the command line).
"""

from typing import Any
from urllib.parse import urljoin, urlsplit

from django.http import HttpRequest
from django.urls import Resolver404, resolve, reverse
from django.utils.text import slugify

from .models import Annotation, Category, Segment, Witness

ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
LDP_CONTEXT = "http://www.w3.org/ns/ldp.jsonld"
MEDIA_TYPE = 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'
PAGE_SIZE = 50

Base = HttpRequest | str


def absolute(base: Base, path: str) -> str:
    if isinstance(base, str):
        return urljoin(base, path)
    return base.build_absolute_uri(path)


def container_iri(base: Base, witness: Witness) -> str:
    document = witness.document
    path = reverse(
        "editions:w3c_container", args=[document.edition.slug, document.slug, witness.slug]
    )
    return absolute(base, path)


def annotation_iri(base: Base, witness: Witness, annotation: Annotation) -> str:
    """The annotation in a witness's container: by the name its client asked for, or by pk."""
    return f"{container_iri(base, witness)}{annotation.slug or annotation.pk}"


def segment_iri(base: Base, segment: Segment) -> str:
    """The segment's text as a resource of its own (text/plain): what selectors select in."""
    witness = segment.witness
    document = witness.document
    path = reverse(
        "editions:segment_text",
        args=[document.edition.slug, document.slug, witness.slug, segment.sid],
    )
    return absolute(base, path)


def segment_page_iri(base: Base, segment: Segment) -> str:
    """The segment where people read it: on its document's page."""
    url = absolute(base, segment.witness.document.get_absolute_url())
    return f"{url}#{segment.anchor_id}"


def _iso(value) -> str:
    return value.isoformat(timespec="seconds").replace("+00:00", "Z")


def annotation_json(base: Base, witness: Witness, annotation: Annotation) -> dict:
    bodies: list[dict[str, Any]] = []
    if annotation.body:
        bodies.append(
            {
                "type": "TextualBody",
                "value": annotation.body,
                "format": "text/markdown",
                "purpose": "commenting",
            }
        )
    if annotation.category:
        bodies.append(
            {"type": "TextualBody", "value": annotation.category.name, "purpose": "classifying"}
        )
    bodies += [{"type": "TextualBody", "value": t, "purpose": "tagging"} for t in annotation.tags]
    data: dict[str, Any] = {
        "@context": ANNO_CONTEXT,
        "id": annotation_iri(base, witness, annotation),
        "type": "Annotation",
        "motivation": annotation.motivation,
        "created": _iso(annotation.created_at),
        "modified": _iso(annotation.updated_at),
        "target": [_target_json(base, t) for t in annotation.targets.all()],
    }
    if annotation.author:
        data["creator"] = {"type": "Person", "nickname": annotation.author.get_username()}
    if annotation.canonical:
        data["canonical"] = annotation.canonical
    if annotation.via:
        data["via"] = annotation.via if len(annotation.via) > 1 else annotation.via[0]
    if bodies:
        data["body"] = bodies if len(bodies) > 1 else bodies[0]
    return data


def _target_json(base: Base, target) -> dict:
    # The stored selectors describe the text as it was: the current position replaces
    # theirs, and an orphan (no position any more) keeps only its quote.
    selectors = [dict(s) for s in target.selectors if s.get("type") != "TextPositionSelector"]
    if target.start is not None:
        selectors.append({"type": "TextPositionSelector", "start": target.start, "end": target.end})
    elif not any(s.get("type") == "TextQuoteSelector" for s in selectors):
        selectors.append({"type": "TextQuoteSelector", "exact": target.quote})
    return {
        "source": segment_iri(base, target.segment),
        "scope": segment_page_iri(base, target.segment),
        "selector": selectors,
    }


def reply_json(base: Base, witness: Witness, annotation: Annotation, reply) -> dict:
    """A reply as the annotation it is: motivated by replying, targeting the annotation."""
    data: dict[str, Any] = {
        "@context": ANNO_CONTEXT,
        "id": f"{absolute(base, annotation.get_absolute_url())}#answer-{reply.pk}",
        "type": "Annotation",
        "motivation": "replying",
        "created": _iso(reply.created_at),
        "body": {
            "type": "TextualBody",
            "value": reply.body,
            "format": "text/markdown",
            "purpose": "replying",
        },
        "target": annotation_iri(base, witness, annotation),
    }
    if reply.author:
        data["creator"] = {"type": "Person", "nickname": reply.author.get_username()}
    return data


def page_json(
    base: Base,
    witness,
    annotations: list[Annotation],
    page: int,
    total: int,
    iris_only: bool = False,
) -> dict:
    """A page of the container: the annotations whole, or only their IRIs (on request)."""
    container = container_iri(base, witness)
    if iris_only:
        items: list = [annotation_iri(base, witness, a) for a in annotations]
    else:
        items = [annotation_json(base, witness, a) for a in annotations]
    data = {
        "@context": ANNO_CONTEXT,
        "id": f"{container}?page={page}",
        "type": "AnnotationPage",
        "partOf": {"id": container, "total": total},
        "startIndex": page * PAGE_SIZE,
        "items": items,
    }
    if (page + 1) * PAGE_SIZE < total:
        data["next"] = f"{container}?page={page + 1}"
    if page > 0:
        data["prev"] = f"{container}?page={page - 1}"
    return data


def collection_json(base: Base, witness, first_page: dict | None, total: int) -> dict:
    container = container_iri(base, witness)
    last = max((total - 1) // PAGE_SIZE, 0)
    data: dict[str, Any] = {
        "@context": [ANNO_CONTEXT, LDP_CONTEXT],
        "id": container,
        "type": ["BasicContainer", "AnnotationCollection"],
        "label": f"{witness.document.title} — {witness.label}",
        "total": total,
    }
    if total:
        data["first"] = first_page or f"{container}?page=0"
        data["last"] = f"{container}?page={last}"
    return data


class ProtocolError(ValueError):
    """A request body that is not an annotation this container can take."""


def parse_annotation(data: Any, witness: Witness) -> dict:
    """From posted JSON-LD: the spans (segment, selectors), body, category name, tags."""
    if not isinstance(data, dict) or "target" not in data:
        raise ProtocolError("An annotation needs a target.")
    if _holds_nul(data):  # "\u0000" in JSON: no database field can take it (PostgreSQL)
        raise ProtocolError("The annotation contains a NUL character (U+0000).")
    targets = data["target"] if isinstance(data["target"], list) else [data["target"]]
    bodies = data.get("body", [])
    bodies = bodies if isinstance(bodies, list) else [bodies]
    parsed: dict[str, Any] = {
        "targets": [_parse_target(t, witness) for t in targets],
        "body": "",
        "tags": [],
        "motivation": _motivation(data.get("motivation")),
        "canonical": _iri(data.get("canonical"), "canonical"),
        # The id a client gave is not ours to keep as the IRI: it is where the annotation
        # came from (the model's ``via``).
        "via": _iri(data.get("id"), "id"),
    }
    for body in bodies:
        if not isinstance(body, dict) or not isinstance(body.get("value"), str):
            raise ProtocolError("Only TextualBody bodies with a value are accepted.")
        purpose = body.get("purpose", "commenting")
        if purpose == "tagging":
            parsed["tags"].append(body["value"])
        elif purpose == "classifying":
            parsed["category"] = body["value"]
        else:
            parsed["body"] = body["value"]
    return parsed


# The motivations of the Web Annotation vocabulary.
MOTIVATIONS = frozenset(
    {
        "assessing",
        "bookmarking",
        "classifying",
        "commenting",
        "describing",
        "editing",
        "highlighting",
        "identifying",
        "linking",
        "moderating",
        "questioning",
        "replying",
        "tagging",
    }
)


def _motivation(value: Any) -> str:
    values = value if isinstance(value, list) else [value]
    if value is None:
        return "commenting"
    for item in values:
        if isinstance(item, str) and item.removeprefix("oa:") in MOTIVATIONS:
            return item.removeprefix("oa:")
    raise ProtocolError("Unknown motivation: use one of the Web Annotation motivations.")


def _iri(value: Any, name: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str) or len(value) > 2000 or not value.strip():
        raise ProtocolError(f"{name} must be an IRI.")
    return value.strip()


def _holds_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_holds_nul(k) or _holds_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_holds_nul(item) for item in value)
    return False


def _source_sid(source: str, witness: Witness) -> str | None:
    """The segment a target's source names: its text IRI, or its anchor on the page."""
    try:
        match = resolve(urlsplit(source).path)
    except Resolver404:
        match = None
    if match is not None and match.url_name == "segment_text":
        return match.kwargs["sid"] if match.kwargs["witness_slug"] == witness.slug else None
    anchor_id = source.rpartition("#")[2]
    prefix = f"{witness.slug}-"
    return anchor_id[len(prefix) :] if anchor_id.startswith(prefix) else None


def _parse_target(target: Any, witness: Witness) -> tuple[Segment, list[dict]]:
    if not isinstance(target, dict) or not isinstance(target.get("source"), str):
        raise ProtocolError("Each target needs a source IRI and selectors.")
    sid = _source_sid(target["source"], witness)
    if sid is None:
        raise ProtocolError("The target's source is not a segment of this witness.")
    segment = witness.segments.filter(sid=sid).first()
    if segment is None:
        raise ProtocolError("The target's source is not a segment of this witness.")
    selectors = target.get("selector", [])
    selectors = selectors if isinstance(selectors, list) else [selectors]
    if not all(isinstance(s, dict) for s in selectors):
        raise ProtocolError("Selectors must be objects.")
    return segment, selectors


def find_category(witness: Witness, name: str | None) -> Category | None:
    if not name:
        return None
    # By name as shown, or by slug: the slug is the same whichever language named the category.
    categories = witness.document.edition.categories
    by_name = categories.filter(name__iexact=name).first()
    return by_name or categories.filter(slug=slugify(name)).first()
