"""The forms, one module per domain, every form re-exported here.

- ``editions``: an edition's settings, its members and their roles;
- ``documents``: a document's metadata, a segment's text, what a page of its text shows;
- ``imports``: a record to import (a file or a pasted text);
- ``exports``: the export formats, a TEI or TMX file to import back;
- ``search``: the search and concordance forms, the page of results;
- ``taxonomy``: an edition's annotation categories;
- ``account``: a member's personal API tokens;
- ``alignments``: the pair to align, the editor's row, a row operation;
- ``annotations``: what annotating posts, the side panel's filters, a W3C container's page;
- ``revisions``: the versions a history compares, a revert, a revision's label;
- ``comparison``: the comparison page's parameters;
- ``fields``: what the parameter forms share (bounded integers, text as typed, defaults).
"""

from .account import TokenForm as TokenForm
from .alignments import AlignmentEditorForm as AlignmentEditorForm
from .alignments import AlignmentPairForm as AlignmentPairForm
from .alignments import RowOperationForm as RowOperationForm
from .annotations import AnnotationEditForm as AnnotationEditForm
from .annotations import ContainerPageForm as ContainerPageForm
from .annotations import NewAnnotationForm as NewAnnotationForm
from .annotations import PanelForm as PanelForm
from .annotations import ReplyForm as ReplyForm
from .annotations import SelectionForm as SelectionForm
from .annotations import StatusForm as StatusForm
from .comparison import ComparisonForm as ComparisonForm
from .documents import DOCUMENT_METADATA_FIELDS as DOCUMENT_METADATA_FIELDS
from .documents import DocumentForm as DocumentForm
from .documents import DocumentPageForm as DocumentPageForm
from .documents import SegmentTextForm as SegmentTextForm
from .editions import EditionForm as EditionForm
from .editions import MemberForm as MemberForm
from .editions import RoleForm as RoleForm
from .exports import ExchangeImportForm as ExchangeImportForm
from .exports import FormatsForm as FormatsForm
from .fields import first_error as first_error
from .imports import ImportForm as ImportForm
from .imports import record_source_text as record_source_text
from .revisions import RevertForm as RevertForm
from .revisions import RevisionLabelForm as RevisionLabelForm
from .revisions import VersionPairForm as VersionPairForm
from .search import ConcordanceForm as ConcordanceForm
from .search import PageForm as PageForm
from .search import SearchForm as SearchForm
from .taxonomy import CategoryForm as CategoryForm
