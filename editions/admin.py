from django.contrib import admin
from django.db import models

from .models import (
    Alignment,
    Annotation,
    AnnotationTarget,
    ApiToken,
    Category,
    Document,
    Edition,
    ExportJob,
    FootnoteRef,
    Membership,
    Reply,
    Segment,
    SegmentRevision,
    Witness,
)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Edition)
class EditionAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "is_public", "created_at"]
    prepopulated_fields = {"slug": ["title"]}
    search_fields = ["title", "slug"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["edition", "user", "role"]
    list_filter = ["role", "edition"]
    autocomplete_fields = ["user", "edition"]


class WitnessInline(admin.TabularInline):
    model = Witness
    extra = 0
    fields = ["label", "slug", "language", "role", "translator"]
    show_change_link = True


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["title", "edition", "date", "reference_numbers", "classification"]
    list_filter = ["edition"]
    search_fields = ["title", "author", "recipient", "reference_numbers", "summary"]
    inlines = [WitnessInline]


class SegmentInline(admin.TabularInline):
    model = Segment
    extra = 0
    fields = ["position", "sid", "kind", "label", "text"]
    readonly_fields = ["sid"]


@admin.register(Witness)
class WitnessAdmin(admin.ModelAdmin):
    list_display = ["label", "document", "language", "role", "translator", "publisher"]
    list_filter = ["language", "role", "document__edition"]
    search_fields = ["label", "translator", "publisher", "citation"]
    inlines = [SegmentInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Segment)
class SegmentAdmin(admin.ModelAdmin):
    list_display = ["sid", "witness", "kind", "position", "short_text"]
    list_filter = ["kind", "witness__document__edition"]
    search_fields = ["text", "sid"]
    readonly_fields = ["sid"]

    @admin.display(description="text")
    def short_text(self, obj: Segment) -> str:
        return obj.text[:80]


@admin.register(FootnoteRef)
class FootnoteRefAdmin(admin.ModelAdmin):
    list_display = ["segment", "label", "offset", "note"]
    raw_id_fields = ["segment", "note"]


@admin.register(SegmentRevision)
class SegmentRevisionAdmin(admin.ModelAdmin):
    """Read-only: the history is what happened; a correction is a new save, not an edit."""

    list_display = ["segment", "version_before", "user", "created_at", "reason"]
    list_filter = ["segment__witness__document__edition"]
    search_fields = ["segment__sid", "reason", "text_after"]
    raw_id_fields = ["segment", "user"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


TARGET_FIELDS = ("witness", "segment", "quote", "start", "end")  # shown, none editable


class AnnotationTargetInline(admin.TabularInline):
    model = AnnotationTarget
    fields = TARGET_FIELDS
    readonly_fields = TARGET_FIELDS
    extra = 0
    can_delete = False


class ReplyInline(admin.TabularInline):
    model = Reply
    fields = ["author", "body", "created_at"]
    readonly_fields = ["created_at"]
    raw_id_fields = ["author"]
    extra = 0


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "edition", "color", "position"]
    list_filter = ["edition"]
    search_fields = ["name", "slug"]


@admin.register(Annotation)
class AnnotationAdmin(admin.ModelAdmin):
    """Moderation: the text of a note and its status; targets are the anchoring's business."""

    list_display = ["pk", "document", "author", "category", "visibility", "status", "updated_at"]
    list_filter = ["status", "visibility", "category", "edition"]
    search_fields = ["body", "targets__quote", "author__username"]
    raw_id_fields = ["author", "document", "edition"]
    readonly_fields = ["body_html", "mentions", "created_at", "updated_at"]
    inlines = [AnnotationTargetInline, ReplyInline]


@admin.register(Alignment)
class AlignmentAdmin(admin.ModelAdmin):
    """Read-only: rows change in the alignment editor, which keeps their history and undo."""

    list_display = ["pk", "source", "target", "version", "updated_at"]
    list_filter = ["source__document__edition"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ExportJob)
class ExportJobAdmin(admin.ModelAdmin):
    """Read-only: to see why an export failed; the archive itself is downloaded from the site."""

    list_display = ["pk", "edition", "requested_by", "formats", "status", "done", "total"]
    list_filter = ["status", "edition"]
    # What the job is, then its progress and its runs: listed, or Django would put the fields
    # every job shares (JobProgress) first. The archive is left out: the site serves it.
    fields = [
        "edition",
        "requested_by",
        "formats",
        "base_url",
        "language",
        "status",
        "total",
        "done",
        "step",
        "steps",
        "message",
        "heartbeat_at",
        "attempts",
        "task_id",
        "archive_name",
        "finished_at",
    ]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are made and shown on their owner's account page; here they are only revoked."""

    list_display = ["name", "user", "hint", "created_at", "last_used_at"]
    list_select_related = ["user"]
    readonly_fields = ["user", "name", "digest", "hint", "created_at", "last_used_at"]

    def has_add_permission(self, request) -> bool:
        return False
