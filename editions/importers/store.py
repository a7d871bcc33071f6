"""Save a parsed record as a witness of a document, all or nothing.

The document is the one given, the edition's document with the given slug, or a new one made
from the record. An existing document only gets its blank fields filled: what an editor wrote
is never overwritten. Segment ids come from one counter shared by every kind (p1, p2, h3, p4,
n5...), so a sid names one segment for good; ``Witness.next_serial`` keeps the counter.
"""

import re
from pathlib import PurePath
from typing import Any

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import transaction
from django.db.models import Count, F, Field, Model
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from ..models import (
    SID_PREFIX,
    Document,
    Edition,
    FootnoteRef,
    Segment,
    SegmentKind,
    Witness,
    WitnessRole,
)
from ..text import primary_language
from .base import DOCUMENT_FIELDS, WITNESS_FIELDS, ParsedRecord, RecordError
from .footnotes import note_link_warnings, note_targets
from .metadata import bcp47, language_code, language_name

# The corpus is French-origin (see Document): a text's original language when no witness
# of the document says otherwise.
DEFAULT_ORIGINAL_LANGUAGE = "fr"
SLUG_LENGTH = 100
TITLE_WORDS = 10


def save_record(
    record: ParsedRecord,
    *,
    edition: Edition,
    document: Document | None = None,
    document_slug: str | None = None,
    language: str | None = None,
    role: str | None = None,
    label: str | None = None,
    filename: str = "",
) -> Witness:
    """Create the witness (and the document if needed) with its segments and footnote links.

    ``language``, ``role`` and ``label`` override what the record says. Raises
    ``RecordError`` and leaves the database unchanged when the record cannot be saved.
    """
    if document is not None and document.edition_id != edition.pk:
        raise ValueError("The document belongs to another edition.")
    with transaction.atomic():
        if document is None:
            document = _find_or_create_document(record, edition, document_slug)
        else:
            _fill_blank_fields(document, record.document)
        # One import at a time per document: two could each find no original yet.
        Document.objects.select_for_update().filter(pk=document.pk).first()
        overrides = {"language": language, "role": role, "label": label}
        witness = _create_witness(record, document, overrides, filename)
        _create_segments(record, witness)
    known = set(record.warnings)
    record.warnings += [w for w in note_link_warnings(record.segments) if w not in known]
    return witness


MAX_SAME_LENGTH_CANDIDATES = 20  # witnesses of the same size compared text by text


def find_identical_witness(record: ParsedRecord, edition: Edition) -> Witness | None:
    """A witness of the edition whose segments are the record's, kind and text alike, in a
    document whose particulars the record does not contradict: the same file imported
    before. Only witnesses with as many segments are read, a few at most."""
    wanted = [(s.kind, s.text) for s in record.segments]
    candidates = (
        Witness.objects.filter(document__edition=edition)
        .annotate(size=Count("segments"))
        .filter(size=len(wanted))
        .select_related("document")
        .order_by("pk")[:MAX_SAME_LENGTH_CANDIDATES]
    )
    for witness in candidates:
        first = witness.segments.order_by("position").values_list("kind", "text")[:1]
        if list(first) != wanted[:1]:
            continue  # most differ from their first segment: no need to read them whole
        same_text = list(witness.segments.order_by("position").values_list("kind", "text"))
        if same_text == wanted and not _conflicts(witness.document, record.document):
            return witness
    return None


def _conflicts(document: Document, values: dict[str, Any]) -> bool:
    """Whether the record describes another document (another number, date, author...)
    than ``document``: the same text under other particulars is not the same record."""
    return any(
        value not in (None, "") and getattr(document, name) not in (None, "", value)
        for name, value in values.items()
        if name in DOCUMENT_FIELDS
    )


def _find_or_create_document(record: ParsedRecord, edition: Edition, slug: str | None) -> Document:
    if slug:
        existing = Document.objects.filter(edition=edition, slug=slug).first()
        if existing is not None:
            _fill_blank_fields(existing, record.document)
            return existing
    fields = {k: v for k, v in record.document.items() if k in DOCUMENT_FIELDS}
    fields["title"] = fields.get("title") or _title_from_text(record)
    fields["title"] = fields["title"][: Document._meta.get_field("title").max_length]
    slug = slug or _unique_document_slug(edition, fields["title"])
    document = Document(edition=edition, slug=slug, **fields)
    _validate(document)
    document.save()
    return document


def _title_from_text(record: ParsedRecord) -> str:
    """A stand-in title for a record that states none, said in a warning."""
    title = stand_in_title(record)
    record.warnings.append(
        _("The record has no title; the document was called “%(title)s”. Rename it.")
        % {"title": title}
    )
    return title


def stand_in_title(record: ParsedRecord) -> str:
    """The first words of the text (of its first paragraph: a book's first heading is only
    "I" or "CHAPTER 1")."""
    paragraphs = [s for s in record.body if s.kind == "paragraph"] or record.body
    words = paragraphs[0].text.split() if paragraphs else []
    return " ".join(words[:TITLE_WORDS]) + ("…" if len(words) > TITLE_WORDS else "")


def _unique_document_slug(edition: Edition, title: str) -> str:
    base = slugify(title)[:SLUG_LENGTH].rstrip("-") or "document"
    taken = set(
        Document.objects.filter(edition=edition, slug__startswith=base).values_list(
            "slug", flat=True
        )
    )
    return _first_free(base, taken)


def _first_free(base: str, taken: set[str]) -> str:
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _fill_blank_fields(document: Document, values: dict[str, Any]) -> None:
    """Fill the document's blank fields from the record; bump its version if any changed."""
    locked = Document.objects.select_for_update().get(pk=document.pk)
    changes = {
        name: value
        for name, value in values.items()
        if name in DOCUMENT_FIELDS
        and value not in (None, "")
        and getattr(locked, name) in (None, "")
    }
    if not changes:
        return
    for name, value in changes.items():
        setattr(locked, name, value)
    _validate(locked)
    # A metadata form opened before this import must not save over the filled fields.
    Document.objects.filter(pk=locked.pk).update(
        **changes, version=F("version") + 1, updated_at=timezone.now()
    )
    document.refresh_from_db()


def _create_witness(
    record: ParsedRecord, document: Document, overrides: dict[str, str | None], filename: str
) -> Witness:
    values = {k: v for k, v in record.witness.items() if k in WITNESS_FIELDS}
    values.update({k: v for k, v in overrides.items() if v})
    values["language"] = _language(values.get("language", ""))
    values.setdefault("role", default_role(document, values["language"]))
    if values["role"] not in WitnessRole.values:
        raise RecordError(_("“%(role)s” is not a witness role.") % {"role": values["role"]})
    if values["role"] == WitnessRole.ORIGINAL:
        _refuse_second_original(document)
    values["label"] = values.get("label") or suggest_witness_label(values)
    taken = set(document.witnesses.values_list("slug", flat=True))
    witness = Witness(
        document=document,
        slug=suggest_witness_slug(values, taken),
        source_format=record.format,
        source_filename=PurePath(filename).name[:255],
        **values,
    )
    _validate(witness)
    witness.save()
    return witness


_LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")


def _language(value: str) -> str:
    """A BCP 47 tag in its usual case ("FR-ca" → "fr-CA"); a language name ("French",
    "français") becomes its code."""
    value = value.strip()
    if not value:
        raise RecordError(_("The language of the text is not known: choose it, then save again."))
    value = language_code(value) or value
    if not _LANGUAGE_TAG.fullmatch(value) or len(value) > 16:
        raise RecordError(
            _("“%(language)s” is not a language code (use a code such as fr or en).")
            % {"language": value}
        )
    return bcp47(value)


def default_role(document: Document, language: str) -> str:
    """A text in the document's original language is its original, unless it has one."""
    named = document.witnesses.exclude(original_language="").values_list(
        "original_language", flat=True
    )
    original = next(
        (code for name in named if (code := language_code(name))), DEFAULT_ORIGINAL_LANGUAGE
    )
    has_original = document.witnesses.filter(role=WitnessRole.ORIGINAL).exists()
    if primary_language(language) == original and not has_original:
        return WitnessRole.ORIGINAL
    return WitnessRole.TRANSLATION


def _refuse_second_original(document: Document) -> None:
    original = document.witnesses.filter(role=WitnessRole.ORIGINAL).first()
    if original is not None:
        raise RecordError(
            _(
                "This document already has an original text (%(label)s). Import this text as "
                "a translation or a revision, or delete the other original first."
            )
            % {"label": original.label}
        )


def _short_source(publisher: str) -> str:
    lowered = publisher.lower()
    if "cvce" in lowered:
        return "CVCE"
    if "wilson center" in lowered:
        return "Wilson Center"
    return publisher


def suggest_witness_label(values: dict[str, Any]) -> str:
    """ "French original", "CVCE translation", "Wilson Center translation (Garret J. Martin)".

    Labels are data shown beside the texts, kept in English like the records' own fields.
    """
    code = values.get("language", "")
    language = language_name(primary_language(code)) or code
    role = values.get("role", WitnessRole.TRANSLATION)
    if role == WitnessRole.ORIGINAL:
        return f"{language} original".strip().capitalize()
    source = _short_source(values.get("publisher", ""))
    label = f"{source or language} {role}"
    translator = values.get("translator", "")
    if translator and translator != values.get("publisher") and translator not in label:
        label = f"{label} ({translator})"
    return label[: Witness._meta.get_field("label").max_length]


def suggest_witness_slug(values: dict[str, Any], taken: set[str]) -> str:
    """ "cvce-en", "wilson-en", "fr"; with "-2", "-3" when the document already has it."""
    source = _short_source(values.get("publisher", ""))
    prefix = {"CVCE": "cvce", "Wilson Center": "wilson"}.get(source, slugify(source)[:40])
    language = slugify(values.get("language", "")) or "text"
    base = f"{prefix}-{language}" if prefix else language
    if values.get("role") == WitnessRole.REVISION:
        base = f"{base}-revision"
    return _first_free(base, taken)


def _create_segments(record: ParsedRecord, witness: Witness) -> None:
    segments = []
    serial = witness.next_serial
    for position, parsed in enumerate(record.segments):
        if parsed.kind not in SegmentKind.values:
            raise RecordError(_("“%(kind)s” is not a segment kind.") % {"kind": parsed.kind})
        for ref in parsed.refs:
            if not 0 <= ref.offset <= len(parsed.text):
                raise RecordError(
                    _("The footnote marker %(label)s stands outside its paragraph.")
                    % {"label": ref.label}
                )
        segments.append(
            Segment(
                witness=witness,
                sid=f"{SID_PREFIX[SegmentKind(parsed.kind)]}{serial}",
                kind=parsed.kind,
                position=position,
                label=parsed.label,
                text=parsed.text,
            )
        )
        serial += 1
    for segment in segments:
        # Fields only: the sids are fresh from the witness's counter, so the uniqueness
        # queries full_clean would make (one per segment, 2,000 for a novel) are not needed.
        _validate(segment, exclude=["witness"], fields_only=True)
    Segment.objects.bulk_create(segments)  # sets their primary keys (SQLite, PostgreSQL)
    witness.next_serial = serial
    witness.save(update_fields=["next_serial"])
    _link_footnotes(record, segments)


def _link_footnotes(record: ParsedRecord, saved: list[Segment]) -> None:
    """One FootnoteRef per marker that calls a footnote (``body.note_targets``); ``saved``
    are the record's segments as created, in the same order."""
    pairs = list(zip(saved, record.segments, strict=True))
    by_parsed = {id(parsed): segment for segment, parsed in pairs}
    targets = note_targets(record.segments)
    links = [
        FootnoteRef(segment=segment, note=by_parsed[id(note)], label=ref.label, offset=ref.offset)
        for segment, parsed in pairs
        for ref in parsed.refs
        if (note := targets.get(id(ref))) is not None
    ]
    FootnoteRef.objects.bulk_create(links)


def field_label(model: type[Model], name: str) -> str:
    """The human name of one of ``model``'s own fields (a record's keys, a validation error's)."""
    field = model._meta.get_field(name)
    if not isinstance(field, Field):  # the reverse side of a relation: it has no human name
        raise FieldDoesNotExist(f"{model.__name__} has no field named {name!r}")
    return str(field.verbose_name)


def _validate(
    instance: Model, exclude: list[str] | None = None, *, fields_only: bool = False
) -> None:
    """Model validation as a RecordError naming the fields (a value too long, a bad URL)."""
    try:
        if fields_only:
            instance.clean_fields(exclude=exclude)
        else:
            instance.full_clean(exclude=exclude)
    except ValidationError as exc:
        problems = "; ".join(
            f"{field_label(type(instance), name)}: {' '.join(messages)}"
            if name != "__all__"
            else " ".join(messages)
            for name, messages in exc.message_dict.items()
        )
        raise RecordError(
            _("The record cannot be saved: %(problems)s") % {"problems": problems}
        ) from exc
