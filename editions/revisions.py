"""Editing segment texts with a full history, and revision witnesses.

A save names the version it started from and moves the segment on with a conditional
``UPDATE ... WHERE version = n``: a save based on a stale page is refused (``StaleVersion``)
rather than silently overwriting someone else's words. Every save is a ``SegmentRevision``
holding the whole text before and after, so any version can be read back and reverted to
(a revert is one more revision). Footnote markers are not part of the text; their offsets are
carried through the edit's token diff so that each marker stays after the word it followed.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from diff_match_patch import diff_match_patch
from django.db import transaction

from .annotating import reanchor_segment
from .diffing import DIFF_TIMEOUT, DiffOp, OpName, tokenize
from .models import FootnoteRef, Segment, SegmentRevision, Witness, WitnessRole
from .versioning import update_if_current


class UnknownVersion(ValueError):
    """No revision of the segment records this version."""


def normalize_text(text: str) -> str:
    """What a textarea posts, as segments store it: Unix newlines, no surrounding blanks."""
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def save_text(
    segment: Segment,
    version: int,
    text: str,
    user,
    reason: str = "",
    reverted_to: int | None = None,
) -> SegmentRevision | None:
    """Save ``text`` if ``version`` is still the segment's; None if the text is unchanged.

    Raises ``StaleVersion`` (carrying the current segment) when someone saved meanwhile.
    """
    text = normalize_text(text)
    with transaction.atomic():
        # Lock the row so that the text read here is the text the update replaces.
        current = Segment.objects.select_for_update().get(pk=segment.pk)
        if text == current.text:
            return None
        update_if_current(current, version, text=text)
        revision = SegmentRevision.objects.create(
            segment=current,
            user=user if getattr(user, "is_authenticated", False) else None,
            reason=reason.strip()[: SegmentRevision._meta.get_field("reason").max_length],
            text_before=current.text,
            text_after=text,
            version_before=version,
            reverted_to=reverted_to,
        )
        _move_footnote_refs(current, current.text, text)
        current.text, current.version = text, version + 1
    # Annotations on the segment find their quotes again in the new text (or are kept as
    # orphans): after the commit, so that the row lock is not held while they are searched.
    reanchor_segment(current)
    segment.refresh_from_db(fields=["text", "version"])
    return revision


def revert(segment: Segment, version: int, to_version: int, user) -> SegmentRevision | None:
    """Bring back the text of ``to_version``, as a new revision based on ``version``.

    The revision records ``reverted_to``; pages say "reverted to version n" in the reader's
    language rather than storing the words.
    """
    return save_text(segment, version, text_at(segment, to_version), user, reverted_to=to_version)


# -- Footnote markers ----------------------------------------------------------------------


def remap_offset(ops: Sequence[DiffOp], offset: int) -> int:
    """Where a marker at ``offset`` in the old text stands in the new one.

    A marker belongs to the text before it: text inserted at its place goes after it, and
    when the words before it are replaced, it follows their replacement. A marker inside a
    deleted passage moves to where the passage was (after its replacement, if any).
    """
    old = new = 0
    follow_insert = False
    for op in ops:
        length_old, length_new = len(op.text_in_a), len(op.text_in_b)
        if op.op == "insert":
            if follow_insert:
                return new + length_new
            if offset <= old:
                return new
        elif follow_insert:
            return new
        elif op.op == "equal" and offset <= old + length_old:
            return new + max(offset - old, 0)
        elif op.op == "delete" and offset <= old + length_old:
            if offset <= old:
                return new
            follow_insert = True
        old += length_old
        new += length_new
    return new


def remap_offsets(old_text: str, new_text: str, offsets: Sequence[int]) -> list[int]:
    """Each offset of ``old_text`` carried into ``new_text`` through their token diff."""
    ops = token_diff(old_text, new_text)
    return [min(remap_offset(ops, offset), len(new_text)) for offset in offsets]


def token_diff(old_text: str, new_text: str) -> list[DiffOp]:
    """A diff at the finest word level: whole tokens, no merging into phrases.

    ``diffing.word_diff`` merges nearby changes into phrases so that a diff reads well; a
    marker inside such a phrase would lose its word ("First point" -> "The first point"
    would move a marker after "point" past the whole phrase), so markers are carried
    through this plainer diff of the same tokens.
    """
    codes: dict[str, str] = {}

    def encode(text: str) -> str:
        return "".join(
            codes.setdefault(token.text, _private_char(len(codes))) for token in tokenize(text)
        )

    encoded_old, encoded_new = encode(old_text), encode(new_text)
    tokens = {code: text for text, code in codes.items()}
    engine = diff_match_patch()
    engine.Diff_Timeout = DIFF_TIMEOUT
    names: dict[int, OpName] = {
        engine.DIFF_EQUAL: "equal",
        engine.DIFF_DELETE: "delete",
        engine.DIFF_INSERT: "insert",
    }
    return [
        DiffOp(names[op], "".join(tokens[code] for code in chars))
        for op, chars in engine.diff_main(encoded_old, encoded_new, False)
    ]


def _private_char(n: int) -> str:
    """The n-th private-use character: the BMP area, then plane 15 (a paragraph needs few)."""
    return chr(0xE000 + n) if n < 0x1900 else chr(0xF0000 + n - 0x1900)


def _move_footnote_refs(segment: Segment, old_text: str, new_text: str) -> None:
    refs = list(FootnoteRef.objects.filter(segment=segment).order_by("pk"))
    if not refs:
        return
    moved = remap_offsets(old_text, new_text, [ref.offset for ref in refs])
    for ref, offset in zip(refs, moved, strict=True):
        ref.offset = offset
    FootnoteRef.objects.bulk_update(refs, ["offset"])


# -- History -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Version:
    """The segment's text at one version, and the revision that made it (None: as imported)."""

    number: int
    text: str
    revision: SegmentRevision | None


def versions_of(segment: Segment) -> list[Version]:
    """Every version of the segment's text that its revisions record, oldest first."""
    revisions = list(segment.revisions.select_related("user").order_by("version_before"))
    made_by: dict[int, SegmentRevision] = {}
    texts: dict[int, str] = {}
    for revision in revisions:
        texts.setdefault(revision.version_before, revision.text_before)
        texts[revision.version_after] = revision.text_after
        made_by[revision.version_after] = revision
    texts[segment.version] = segment.text
    return [Version(n, texts[n], made_by.get(n)) for n in sorted(texts)]


def text_at(segment: Segment, version: int) -> str:
    for known in versions_of(segment):
        if known.number == version:
            return known.text
    raise UnknownVersion(version)


# -- Revision witnesses --------------------------------------------------------------------


def revision_label(parent: Witness) -> str:
    """The copy's label: data, kept in English like imported records' labels, not translated."""
    return f"Revision of {parent.label}"[: Witness._meta.get_field("label").max_length]


@transaction.atomic
def create_revision_witness(parent: Witness, label: str = "") -> Witness:
    """Copy ``parent`` into a new witness (role revision) that editors then correct.

    The copy keeps every segment's sid, so its rows and diffs pair with the parent's, and
    every footnote marker, linked to the copy's own notes.
    """
    witness = Witness.objects.create(
        document=parent.document,
        slug=_free_slug(parent),
        label=label.strip() or revision_label(parent),
        language=parent.language,
        role=WitnessRole.REVISION,
        revision_of=parent,
        translator=parent.translator,
        original_language=parent.original_language,
        copyright_line=parent.copyright_line,
        rights=parent.rights,
        next_serial=parent.next_serial,
    )
    originals = list(parent.segments.order_by("position"))
    Segment.objects.bulk_create(
        Segment(
            witness=witness,
            sid=s.sid,
            kind=s.kind,
            position=s.position,
            label=s.label,
            text=s.text,
        )
        for s in originals
    )
    copies = {s.sid: s for s in witness.segments.all()}
    refs = FootnoteRef.objects.filter(segment__witness=parent).select_related("segment", "note")
    FootnoteRef.objects.bulk_create(
        FootnoteRef(
            segment=copies[ref.segment.sid],
            note=copies[ref.note.sid],
            label=ref.label,
            offset=ref.offset,
        )
        for ref in refs
        if ref.note.witness_id == parent.pk
    )
    return witness


def _free_slug(parent: Witness) -> str:
    """ "wilson-en-revision", then "wilson-en-revision-2"... within the document."""
    taken = set(parent.document.witnesses.values_list("slug", flat=True))
    max_length = Witness._meta.get_field("slug").max_length  # None: no limit
    room = None if max_length is None else max_length - len("-revision-99")
    base = f"{parent.slug.removesuffix('-revision')[:room]}-revision"
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug
