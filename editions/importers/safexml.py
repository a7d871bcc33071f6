"""XML from users, parsed safely: the one place the importers turn bytes into an XML tree.

The parser expands no entity, loads no DTD and reaches no network, and keeps libxml2's
limits on huge documents. A document type with entity declarations is refused outright:
that is how a billion-laughs bomb or an external-entity (XXE) read is built, and no file the
workbench reads needs one. A DOCTYPE that only names its DTD (TMX files do) is fine.
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _
from lxml import etree

from .base import RecordError
from .decoding import check_size

# Where a DOCTYPE's internal subset may stand: before the root element, near the start.
PROLOG_BYTES = 64 * 1024
_INTERNAL_SUBSET = re.compile(rb"<!DOCTYPE[^\[>]*\[(?P<subset>.*?)\]\s*>", re.S)
_ENTITY = re.compile(
    rb"<!ENTITY\s+(?:%\s+)?(?P<name>\S+)\s+"
    rb"(?:(?:SYSTEM|PUBLIC)\s+(?:[\"'][^\"']*[\"']\s+)?[\"'](?P<url>[^\"']*)[\"'])?"
)


# The root element, after the XML declaration, comments, processing instructions, DOCTYPE.
_ROOT = re.compile(
    r"^\ufeff?\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*|<\?[^>]*>\s*|<!DOCTYPE[^>\[]*"
    r"(?:\[.*?\])?\s*>\s*)*<(?P<root>[A-Za-z_][\w.-]*)[\s/>]",
    re.S,
)
EXCHANGE_ROOTS = {"TEI": "TEI", "teiCorpus": "TEI", "tmx": "TMX"}


def exchange_format(text: str) -> str | None:
    """ "TEI" or "TMX" when the text is such an XML file, by its root element; else None."""
    match = _ROOT.match(text[:4096])
    return EXCHANGE_ROOTS.get(match["root"]) if match else None


def refuse_exchange_file(text: str) -> None:
    """A record importer cannot read TEI or TMX: say where such a file is imported."""
    if name := exchange_format(text):
        raise RecordError(
            _(
                "This is a %(format)s file. Import it from the edition's Export page (Import "
                "back), or with manage.py import_exchange: it becomes a new document with all "
                "its texts."
            )
            % {"format": name}
        )


@dataclass
class Entity:
    name: str
    system_url: str | None


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        dtd_validation=False,
        remove_comments=True,
    )


def parse_xml(data: bytes, *, max_bytes: int | None = None) -> etree._Element:
    """The root element; ``RecordError`` with a message for the user on anything unsafe."""
    if not data.strip():
        raise RecordError(_("The file is empty (0 bytes)."))
    check_size(len(data), max_bytes)
    # Refused before libxml2 reads them; the check after parsing covers encodings (UTF-16)
    # that this look at the bytes cannot read.
    _refuse(_declared_entities(data))
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        raise RecordError(_syntax_message(exc, data)) from exc
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None:
        _refuse([Entity(e.name, e.system_url) for e in dtd.iterentities()])
    return root


def _declared_entities(data: bytes) -> list[Entity]:
    match = _INTERNAL_SUBSET.search(data[:PROLOG_BYTES])
    if match is None:
        return []
    return [
        Entity(m["name"].decode("utf-8", "replace"), _text(m["url"]))
        for m in _ENTITY.finditer(match["subset"])
    ]


def _text(value: bytes | None) -> str | None:
    return value.decode("utf-8", "replace") if value else None


def _refuse(entities: list[Entity]) -> None:
    if not entities:
        return
    external = [e for e in entities if e.system_url]
    if external:
        raise RecordError(
            _(
                "The XML file declares an external entity (%(name)s → %(url)s). Files that "
                "refer to other files or addresses through entities are refused for safety."
            )
            % {"name": external[0].name, "url": external[0].system_url}
        )
    raise RecordError(_entity_bomb(", ".join(e.name for e in entities[:5])))


def _entity_bomb(names: str) -> str:
    return _(
        "The XML file declares entities in its DOCTYPE (%(names)s). Entity declarations are "
        "refused for safety: they can expand into gigabytes (the “billion laughs” attack)."
    ) % {"names": names}


def _syntax_message(exc: etree.XMLSyntaxError, data: bytes) -> str:
    detail = {"line": exc.lineno or "?", "reason": (exc.msg or "").strip()}
    reason = detail["reason"].lower()
    # An error on the last line of a file that does not close its root: cut off.
    cut_off = exc.lineno == data.rstrip().count(b"\n") + 1 and not data.rstrip().endswith(b">")
    if "amplification" in reason:
        return _entity_bomb("?")
    if "entity" in reason:
        return (
            _(
                "The XML file uses an entity the workbench does not expand (line %(line)s: "
                "%(reason)s). Entities are refused for safety."
            )
            % detail
        )
    if cut_off or any(clue in reason for clue in ("premature end", "not properly terminated")):
        return (
            _(
                "The XML file ends too early (line %(line)s: %(reason)s). Was it cut off while "
                "copying or downloading? Export it again and import the complete file."
            )
            % detail
        )
    return _("The file is not well-formed XML (line %(line)s: %(reason)s).") % detail
