"""Annotations: categories, annotations and their targets, replies, and mentions.

A target stores the W3C selectors (quote with prefix and suffix, code-point positions) that
were true when it was made, plus where it resolves in the segment's current text
(``start``/``end``). When the text changes the target is re-anchored; if that fails it
becomes an orphan (``start`` is None): kept, listed, and re-attachable, never deleted.
"""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from .editions import Edition
from .texts import Document, Segment, Witness

# The default taxonomy every new edition starts with (owners may edit it). Names are stored
# in English and shown in the reader's language while they are left as they came.
DEFAULT_CATEGORIES = [
    ("mistranslation", gettext_noop("mistranslation"), "#c0392b"),
    ("omission", gettext_noop("omission"), "#8e44ad"),
    ("addition", gettext_noop("addition"), "#2c7fb8"),
    ("false-friend", gettext_noop("false friend or calque"), "#d35400"),
    ("terminology", gettext_noop("terminology"), "#16a085"),
    ("register", gettext_noop("register and style"), "#7f8c8d"),
    ("historical-context", gettext_noop("historical context"), "#b7950b"),
    ("editorial-note", gettext_noop("editorial note"), "#34495e"),
]
_DEFAULT_NAMES = {slug: name for slug, name, _color in DEFAULT_CATEGORIES}


class Category(models.Model):
    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="categories")
    slug = models.SlugField(max_length=60)
    name = models.CharField(_("name"), max_length=100)
    # Goes into a style attribute: only "#rrggbb" is accepted.
    color = models.CharField(
        _("colour"),
        max_length=7,
        default="#7f8c8d",
        validators=[RegexValidator(r"^#[0-9a-fA-F]{6}$", _("A colour like #1f5fa8."))],
    )
    position = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["edition", "slug"], name="category_slug_per_edition")
        ]
        ordering = ["edition", "position", "name"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        """The name to show: a default category's own name in the reader's language."""
        if _DEFAULT_NAMES.get(self.slug) == self.name:
            return gettext(self.name)
        return self.name


class Visibility(models.TextChoices):
    EDITION = "edition", _("everyone in the edition")
    PRIVATE = "private", _("only me")


class Status(models.TextChoices):
    OPEN = "open", _("open")
    RESOLVED = "resolved", _("resolved")


class Annotation(models.Model):
    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="annotations")
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="annotations")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    category = models.ForeignKey(
        Category, on_delete=models.SET_NULL, null=True, blank=True, related_name="annotations"
    )
    motivation = models.CharField(max_length=30, default="commenting")
    # From the W3C protocol: the name a client asked for (Slug), the IRI it gave as
    # ``canonical``, and the ids it had given the annotation elsewhere (``via``).
    slug = models.SlugField(max_length=100, blank=True)
    canonical = models.CharField(max_length=2000, blank=True)
    via = models.JSONField(default=list, blank=True)
    body = models.TextField(_("note"), blank=True, help_text=_("Markdown"))
    body_html = models.TextField(blank=True)  # sanitized rendering of ``body``
    tags = models.JSONField(default=list, blank=True)
    mentions = models.JSONField(default=list, blank=True)  # usernames @mentioned in the body
    visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.EDITION
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["document", "pk"]
        indexes = [models.Index(fields=["document", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "slug"],
                condition=~models.Q(slug=""),
                name="annotation_slug_unique_in_document",
            )
        ]
        verbose_name = _("annotation")
        verbose_name_plural = _("annotations")

    def __str__(self) -> str:
        return f"#{self.pk} {self.body[:50]}"

    def get_absolute_url(self) -> str:
        return reverse(
            "editions:annotation_detail",
            args=[self.edition.slug, self.document.slug, self.pk],
        )


class AnnotationTarget(models.Model):
    annotation = models.ForeignKey(Annotation, on_delete=models.CASCADE, related_name="targets")
    witness = models.ForeignKey(Witness, on_delete=models.CASCADE, related_name="+")
    segment = models.ForeignKey(
        Segment, on_delete=models.CASCADE, related_name="annotation_targets"
    )
    selectors = models.JSONField(default=list)  # W3C selectors as made (or last re-anchored)
    quote = models.TextField()
    start = models.PositiveIntegerField(null=True, blank=True)  # None: an orphan
    end = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["annotation", "pk"]
        verbose_name = _("annotation target")
        verbose_name_plural = _("annotation targets")

    def __str__(self) -> str:
        return f"{self.segment.sid}[{self.start}:{self.end}] {self.quote[:40]}"

    @property
    def orphaned(self) -> bool:
        return self.start is None


class Reply(models.Model):
    annotation = models.ForeignKey(Annotation, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField(_("reply"))
    body_html = models.TextField(blank=True)
    mentions = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["annotation", "pk"]
        verbose_name = _("reply")
        verbose_name_plural = _("replies")

    def __str__(self) -> str:
        return self.body[:50]


class Notification(models.Model):
    """A member was @mentioned in an annotation or a reply: their inbox lists it until read."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    annotation = models.ForeignKey(
        Annotation, on_delete=models.CASCADE, related_name="notifications"
    )
    reply = models.ForeignKey(
        Reply, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["recipient", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"])]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self) -> str:
        return f"{self.recipient} mentioned in #{self.annotation_id}"
