from django.urls import path

from .views import (
    account,
    alignments,
    annotation_protocol,
    annotations,
    comparison,
    documents,
    editions,
    imports,
    inbox,
    revisions,
    segment_text,
    taxonomy,
)

app_name = "editions"
urlpatterns = [
    path("", editions.edition_list, name="edition_list"),
    path("editions/new/", editions.edition_create, name="edition_create"),
    path("e/<slug:slug>/", editions.edition_detail, name="edition_detail"),
    path("e/<slug:slug>/settings/", editions.edition_edit, name="edition_edit"),
    path("e/<slug:slug>/members/", editions.members, name="members"),
    path(
        "e/<slug:slug>/members/<int:membership_id>/role/",
        editions.member_update,
        name="member_update",
    ),
    path(
        "e/<slug:slug>/members/<int:membership_id>/remove/",
        editions.member_remove,
        name="member_remove",
    ),
    path("e/<slug:slug>/import/", imports.import_record, name="import_record"),
    path("e/<slug:slug>/d/<slug:doc_slug>/", documents.document_detail, name="document_detail"),
    path("e/<slug:slug>/d/<slug:doc_slug>/rows/", documents.document_rows, name="document_rows"),
    path("e/<slug:slug>/d/<slug:doc_slug>/print/", documents.document_print, name="document_print"),
    path("e/<slug:slug>/d/<slug:doc_slug>/find/", documents.document_find, name="document_find"),
    path("e/<slug:slug>/d/<slug:doc_slug>/edit/", documents.document_edit, name="document_edit"),
    path(
        "e/<slug:slug>/d/<slug:doc_slug>/alignments/new/",
        alignments.alignment_create,
        name="alignment_create",
    ),
    path(
        "e/<slug:slug>/d/<slug:doc_slug>/alignments/jobs/<int:job_id>/",
        alignments.alignment_job,
        name="alignment_job",
    ),
    path(
        "e/<slug:slug>/d/<slug:doc_slug>/alignments/<int:alignment_id>/",
        alignments.alignment_editor,
        name="alignment_editor",
    ),
    path(
        "e/<slug:slug>/d/<slug:doc_slug>/alignments/<int:alignment_id>/operate/",
        alignments.alignment_operate,
        name="alignment_operate",
    ),
    path(
        "e/<slug:slug>/d/<slug:doc_slug>/witnesses/add/",
        imports.import_record,
        name="witness_add",
    ),
    path("e/<slug:slug>/d/<slug:doc_slug>/compare/", comparison.compare, name="compare"),
    path(
        "e/<slug:slug>/d/<slug:doc_slug>/w/<slug:witness_slug>/revise/",
        revisions.revision_create,
        name="revision_create",
    ),
    path(
        "e/<slug:slug>/d/<slug:doc_slug>/w/<slug:witness_slug>/history/",
        revisions.witness_history,
        name="witness_history",
    ),
    path(
        "e/<slug:slug>/d/<slug:doc_slug>/w/<slug:witness_slug>/s/<slug:sid>/edit/",
        revisions.segment_edit,
        name="segment_edit",
    ),
    path(
        "e/<slug:slug>/d/<slug:doc_slug>/w/<slug:witness_slug>/s/<slug:sid>/history/",
        revisions.segment_history,
        name="segment_history",
    ),
    path(
        "e/<slug:slug>/d/<slug:doc_slug>/w/<slug:witness_slug>/s/<slug:sid>/revert/",
        revisions.segment_revert,
        name="segment_revert",
    ),
]

# Annotations (and the live stream that carries every change to other readers).
_doc = "e/<slug:slug>/d/<slug:doc_slug>"
urlpatterns += [
    path(f"{_doc}/annotations/", annotations.annotation_panel, name="annotation_panel"),
    path(f"{_doc}/annotations/new/", annotations.annotation_create, name="annotation_create"),
    path(f"{_doc}/annotations/<int:pk>/", annotations.annotation_detail, name="annotation_detail"),
    path(f"{_doc}/annotations/<int:pk>/edit/", annotations.annotation_edit, name="annotation_edit"),
    path(
        f"{_doc}/annotations/<int:pk>/status/",
        annotations.annotation_status,
        name="annotation_status",
    ),
    path(
        f"{_doc}/annotations/<int:pk>/delete/",
        annotations.annotation_delete,
        name="annotation_delete",
    ),
    path(f"{_doc}/annotations/<int:pk>/replies/", annotations.reply_create, name="reply_create"),
    path(f"{_doc}/targets/<int:pk>/reattach/", annotations.target_reattach, name="target_reattach"),
    path(f"{_doc}/events/", annotations.document_events, name="document_events"),
    path(f"{_doc}/presence/", annotations.presence, name="presence"),
]

# Mentions: the inbox, and the member pages a mention links to.
urlpatterns += [
    path("inbox/", inbox.inbox, name="inbox"),
    path("inbox/badge/", inbox.inbox_badge, name="inbox_badge"),
    path("inbox/read/", inbox.inbox_read_all, name="inbox_read_all"),
    path("inbox/<int:pk>/open/", inbox.notification_open, name="notification_open"),
    path("people/<str:username>/", inbox.member_page, name="member_page"),
]

# The W3C Web Annotation Protocol: a container per witness, each annotation at its own IRI
# (its pk, or the name its client asked for); members' API tokens on their account page.
urlpatterns += [
    path("account/", account.account, name="account"),
    path("account/tokens/<int:pk>/revoke/", account.token_revoke, name="token_revoke"),
    path(
        f"{_doc}/w/<slug:witness_slug>/segments/<slug:sid>",
        segment_text.segment_text,
        name="segment_text",
    ),
    path(
        f"{_doc}/w/<slug:witness_slug>/annotations/",
        annotation_protocol.container,
        name="w3c_container",
    ),
    path(
        f"{_doc}/w/<slug:witness_slug>/annotations/<slug:key>",
        annotation_protocol.resource,
        name="w3c_annotation",
    ),
]

# Search across the editions a user may read; the parallel concordance and its CSV export.
from .views import search as search_views  # noqa: E402

urlpatterns += [
    path("search/", search_views.search_page, name="search"),
    path("concordance/", search_views.concordance_page, name="concordance"),
    path("concordance.csv", search_views.concordance_csv, name="concordance_csv"),
]

urlpatterns += [
    path("e/<slug:slug>/categories/", taxonomy.categories, name="categories"),
    path("e/<slug:slug>/categories/<int:pk>/", taxonomy.category_update, name="category_update"),
]

# Exports (a document, or a whole edition in the background) and importing TEI/TMX back.
from .views import exports  # noqa: E402

urlpatterns += [
    path("e/<slug:slug>/export/", exports.edition_export, name="edition_export"),
    path("e/<slug:slug>/export/start/", exports.edition_export_start, name="edition_export_start"),
    path("e/<slug:slug>/export/jobs/<int:job_id>/", exports.export_job, name="export_job"),
    path(
        "e/<slug:slug>/export/jobs/<int:job_id>/download/",
        exports.export_job_download,
        name="export_job_download",
    ),
    path("e/<slug:slug>/export/import/", exports.exchange_import, name="exchange_import"),
    path(f"{_doc}/export/", exports.document_export, name="document_export"),
    path(
        f"{_doc}/export/download/",
        exports.document_export_download,
        name="document_export_download",
    ),
    path(f"{_doc}/export/<slug:fmt>/", exports.document_export_file, name="document_export_file"),
]
