"""Documents and their texts: witnesses, segments, footnote links and segment revisions.

A *witness* is one text of a document (the French original, a published translation, a
revision). Its text is an ordered list of *segments* (headings, paragraphs, footnotes); each
segment carries a stable id (``sid``) that never changes once given, so alignments and
annotations can point at it across edits and reorderings.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .editions import Edition


class Document(models.Model):
    """One French-origin document: a telegram, a letter."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="documents")
    slug = models.SlugField(_("slug"), max_length=120)
    title = models.CharField(_("title"), max_length=500)
    date = models.DateField(_("date"), null=True, blank=True)
    time = models.TimeField(_("time"), null=True, blank=True)
    author = models.CharField(_("author"), max_length=300, blank=True)
    recipient = models.CharField(_("recipient"), max_length=300, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    classification = models.CharField(
        _("classification"),
        max_length=300,
        blank=True,
        help_text=_("As printed, comma-separated: Priority, Secret, Limited circulation."),
    )
    reference_numbers = models.CharField(
        _("reference numbers"),
        max_length=300,
        blank=True,
        help_text=_("For example: T. Nos 5983 to 5985; Circular Telegram No. 96."),
    )
    received_note = models.CharField(_("received"), max_length=300, blank=True)
    source_series = models.CharField(_("printed source: series"), max_length=300, blank=True)
    source_volume = models.CharField(_("printed source: volume"), max_length=300, blank=True)
    source_pages = models.CharField(_("printed source: pages"), max_length=100, blank=True)
    source_publication = models.CharField(
        _("printed source: publisher, place and year"), max_length=300, blank=True
    )
    summary = models.TextField(_("summary"), blank=True)
    # Incremented by every metadata save; a save based on an older version is refused.
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["edition", "slug"], name="document_slug_per_edition")
        ]
        ordering = ["date", "title"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("editions:document_detail", args=[self.edition.slug, self.slug])

    def passage_url(self, anchor: str, **params: str) -> str:
        """The document page opened at a passage (a segment's ``anchor_id``).

        ``?at=`` brings the page of rows that holds it, since a book's page shows its first
        rows only; ``#`` scrolls to it.
        """
        return f"{self.get_absolute_url()}?{urlencode({'at': anchor, **params})}#{anchor}"

    @property
    def printed_source(self) -> str:
        """The printed source as one citation line."""
        parts = [self.source_series, self.source_volume, self.source_publication]
        text = ", ".join(p for p in parts if p)
        if self.source_pages:
            text = f"{text}, pp. {self.source_pages}" if text else f"pp. {self.source_pages}"
        return text

    def ordered_witnesses(self):
        """Original first, then translations and revisions in the order they were added."""
        return sorted(self.witnesses.all(), key=lambda w: (w.role != WitnessRole.ORIGINAL, w.pk))


class WitnessRole(models.TextChoices):
    ORIGINAL = "original", _("original")
    TRANSLATION = "translation", _("translation")
    REVISION = "revision", _("revision")


class Witness(models.Model):
    """One text of a document, with where it was published and under what rights."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="witnesses")
    slug = models.SlugField(_("slug"), max_length=80)
    label = models.CharField(_("label"), max_length=200)
    language = models.CharField(_("language"), max_length=16, help_text=_("BCP 47 code: fr, en"))
    role = models.CharField(
        _("role"), max_length=20, choices=WitnessRole.choices, default=WitnessRole.TRANSLATION
    )
    revision_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="revisions",
        verbose_name=_("revision of"),
    )
    translator = models.CharField(_("translator or attribution"), max_length=300, blank=True)
    publisher = models.CharField(_("publisher"), max_length=300, blank=True)
    title_as_published = models.CharField(_("title as published"), max_length=500, blank=True)
    caption = models.TextField(_("caption"), blank=True)
    citation = models.TextField(_("citation as published"), blank=True)
    source_url = models.URLField(_("source URL"), max_length=1000, blank=True)
    copyright_line = models.CharField(_("copyright"), max_length=500, blank=True)
    rights = models.TextField(_("rights"), blank=True)
    credits = models.TextField(_("credits"), blank=True)
    original_language = models.CharField(_("original language"), max_length=100, blank=True)
    last_updated = models.DateField(_("last updated"), null=True, blank=True)
    retrieved = models.DateField(_("retrieved"), null=True, blank=True)
    source_format = models.CharField(_("imported from"), max_length=40, blank=True)
    source_filename = models.CharField(_("file name"), max_length=255, blank=True)
    # Next serial number for new segment ids; never decreases, so ids are never reused.
    next_serial = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["document", "slug"], name="witness_slug_per_document")
        ]
        ordering = ["document", "pk"]
        verbose_name = _("witness")
        verbose_name_plural = _("witnesses")

    def __str__(self) -> str:
        return f"{self.label} ({self.language})"


class SegmentKind(models.TextChoices):
    HEADING = "heading", _("heading")
    PARAGRAPH = "paragraph", _("paragraph")
    FOOTNOTE = "footnote", _("footnote")


SID_PREFIX = {SegmentKind.HEADING: "h", SegmentKind.PARAGRAPH: "p", SegmentKind.FOOTNOTE: "n"}


class Segment(models.Model):
    """An ordered unit of a witness's text.

    ``sid`` is the stable id ("p3", "n1"): unique within the witness, given once and kept
    through edits and reorderings. ``position`` only orders segments and may change.
    """

    witness = models.ForeignKey(Witness, on_delete=models.CASCADE, related_name="segments")
    sid = models.CharField(_("id"), max_length=32)
    kind = models.CharField(
        _("kind"), max_length=20, choices=SegmentKind.choices, default=SegmentKind.PARAGRAPH
    )
    position = models.PositiveIntegerField(_("position"))
    label = models.CharField(
        _("note label"), max_length=20, blank=True, help_text=_("The footnote's number as printed.")
    )
    text = models.TextField(_("text"))
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["witness", "sid"], name="segment_sid_per_witness"),
        ]
        indexes = [models.Index(fields=["witness", "position"])]
        ordering = ["witness", "position"]
        verbose_name = _("segment")
        verbose_name_plural = _("segments")

    def __str__(self) -> str:
        return f"{self.sid}: {self.text[:60]}"

    @property
    def anchor_id(self) -> str:
        """An HTML/XML id unique across a document page."""
        return anchor_id(self.witness.slug, self.sid)


def anchor_id(witness_slug: str, sid: str) -> str:
    """A segment's id on its document's page (``Segment.anchor_id``), from plain values;
    ``?at=`` takes it back (``DocumentPageForm``)."""
    return f"{witness_slug}-{sid}"


class FootnoteRef(models.Model):
    """A footnote marker in a segment, linked to the footnote it calls.

    The marker itself is not kept in the segment's text (so diffs and quotes read as prose);
    ``offset`` is where it stood, in code points of the segment's text.
    """

    segment = models.ForeignKey(Segment, on_delete=models.CASCADE, related_name="footnote_refs")
    note = models.ForeignKey(Segment, on_delete=models.CASCADE, related_name="called_from")
    label = models.CharField(max_length=20)
    offset = models.PositiveIntegerField()

    class Meta:
        ordering = ["segment", "offset"]
        verbose_name = _("footnote reference")
        verbose_name_plural = _("footnote references")

    def __str__(self) -> str:
        return f"{self.segment.sid}@{self.offset} → {self.note.sid}"


class SegmentRevision(models.Model):
    """One save of a segment's text: who, when, why, and the whole text before and after.

    Texts are never overwritten without a revision: the segment's text at any version can be
    read back from its revisions, and a revert is one more revision.
    """

    segment = models.ForeignKey(Segment, on_delete=models.CASCADE, related_name="revisions")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    text_before = models.TextField()
    text_after = models.TextField()
    # The segment's version this save started from; the save made it version_before + 1.
    version_before = models.PositiveIntegerField()
    # For a revert: the version whose text was brought back.
    reverted_to = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["segment", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["segment", "version_before"], name="one_revision_per_segment_version"
            )
        ]
        verbose_name = _("segment revision")
        verbose_name_plural = _("segment revisions")

    def __str__(self) -> str:
        return f"{self.segment.sid} v{self.version_before} → v{self.version_after}"

    @property
    def version_after(self) -> int:
        return self.version_before + 1
