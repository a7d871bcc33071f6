"""The site's URLs, nested as the things they name: an edition, its documents, a document's
witnesses, alignments and annotations, each list included under its parent's path."""

from django.urls import URLPattern, URLResolver, include, path

from .views import (
    account,
    alignments,
    annotation_protocol,
    annotations,
    comparison,
    documents,
    editions,
    exports,
    imports,
    inbox,
    revisions,
    segment_text,
    taxonomy,
)
from .views import search as search_views

app_name = "editions"

# e/<edition>/d/<document>/w/<witness>/s/<sid>/: a segment's text, its history and reverts.
segment_urls = [
    path("edit/", revisions.segment_edit, name="segment_edit"),
    path("history/", revisions.segment_history, name="segment_history"),
    path("revert/", revisions.segment_revert, name="segment_revert"),
]

# e/<edition>/d/<document>/w/<witness>/: a witness, and the W3C Web Annotation Protocol (a
# container per witness, each annotation at its own IRI, each segment's text at its own).
witness_urls = [
    path("revise/", revisions.revision_create, name="revision_create"),
    path("history/", revisions.witness_history, name="witness_history"),
    path("s/<slug:sid>/", include(segment_urls)),
    path("segments/<slug:sid>", segment_text.segment_text, name="segment_text"),
    path("annotations/", annotation_protocol.container, name="w3c_container"),
    path("annotations/<slug:key>", annotation_protocol.resource, name="w3c_annotation"),
]

# e/<edition>/d/<document>/alignments/<id>/: the alignment editor.
alignment_urls = [
    path("", alignments.alignment_editor, name="alignment_editor"),
    path("operate/", alignments.alignment_operate, name="alignment_operate"),
]

# e/<edition>/d/<document>/annotations/<id>/: one annotation and its thread.
annotation_urls = [
    path("", annotations.annotation_detail, name="annotation_detail"),
    path("edit/", annotations.annotation_edit, name="annotation_edit"),
    path("status/", annotations.annotation_status, name="annotation_status"),
    path("delete/", annotations.annotation_delete, name="annotation_delete"),
    path("replies/", annotations.reply_create, name="reply_create"),
]

# e/<edition>/d/<document>/: the document page and its rows, its metadata, witnesses,
# alignments, comparison, annotations (and the live stream carrying every change to other
# readers), exports.
document_urls: list[URLPattern | URLResolver] = [
    path("", documents.document_detail, name="document_detail"),
    path("rows/", documents.document_rows, name="document_rows"),
    path("print/", documents.document_print, name="document_print"),
    path("find/", documents.document_find, name="document_find"),
    path("edit/", documents.document_edit, name="document_edit"),
    path("alignments/new/", alignments.alignment_create, name="alignment_create"),
    path("alignments/jobs/<int:job_id>/", alignments.alignment_job, name="alignment_job"),
    path("alignments/<int:alignment_id>/", include(alignment_urls)),
    path("witnesses/add/", imports.import_record, name="witness_add"),
    path("compare/", comparison.compare, name="compare"),
    path("w/<slug:witness_slug>/", include(witness_urls)),
    path("annotations/", annotations.annotation_panel, name="annotation_panel"),
    path("annotations/new/", annotations.annotation_create, name="annotation_create"),
    path("annotations/<int:pk>/", include(annotation_urls)),
    path("targets/<int:pk>/reattach/", annotations.target_reattach, name="target_reattach"),
    path("events/", annotations.document_events, name="document_events"),
    path("presence/", annotations.presence, name="presence"),
    path("export/", exports.document_export, name="document_export"),
    path("export/download/", exports.document_export_download, name="document_export_download"),
    path("export/<slug:fmt>/", exports.document_export_file, name="document_export_file"),
]

# e/<edition>/export/: a whole edition exported in the background, and TEI/TMX imported back.
edition_export_urls = [
    path("", exports.edition_export, name="edition_export"),
    path("start/", exports.edition_export_start, name="edition_export_start"),
    path("jobs/<int:job_id>/", exports.export_job, name="export_job"),
    path("jobs/<int:job_id>/download/", exports.export_job_download, name="export_job_download"),
    path("import/", exports.exchange_import, name="exchange_import"),
]

# e/<edition>/: an edition, its settings, members, categories, imports and exports.
edition_urls: list[URLPattern | URLResolver] = [
    path("", editions.edition_detail, name="edition_detail"),
    path("settings/", editions.edition_edit, name="edition_edit"),
    path("members/", editions.members, name="members"),
    path("members/<int:membership_id>/role/", editions.member_update, name="member_update"),
    path("members/<int:membership_id>/remove/", editions.member_remove, name="member_remove"),
    path("import/", imports.import_record, name="import_record"),
    path("categories/", taxonomy.categories, name="categories"),
    path("categories/<int:pk>/", taxonomy.category_update, name="category_update"),
    path("export/", include(edition_export_urls)),
    path("d/<slug:doc_slug>/", include(document_urls)),
]

# inbox/: the @mentions of the member signed in.
inbox_urls = [
    path("", inbox.inbox, name="inbox"),
    path("badge/", inbox.inbox_badge, name="inbox_badge"),
    path("read/", inbox.inbox_read_all, name="inbox_read_all"),
    path("<int:pk>/open/", inbox.notification_open, name="notification_open"),
]

# account/: the member's personal API tokens.
account_urls = [
    path("", account.account, name="account"),
    path("tokens/<int:pk>/revoke/", account.token_revoke, name="token_revoke"),
]

urlpatterns = [
    path("", editions.edition_list, name="edition_list"),
    path("editions/new/", editions.edition_create, name="edition_create"),
    path("e/<slug:slug>/", include(edition_urls)),
    path("inbox/", include(inbox_urls)),
    path("people/<str:username>/", inbox.member_page, name="member_page"),
    path("account/", include(account_urls)),
    # Search across the editions a user may read; the parallel concordance and its CSV.
    path("search/", search_views.search_page, name="search"),
    path("concordance/", search_views.concordance_page, name="concordance"),
    path("concordance.csv", search_views.concordance_csv, name="concordance_csv"),
]
