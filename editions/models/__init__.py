"""The data model, one module per domain, every model re-exported here.

``from editions.models import Document`` is how the rest of the code imports a model; the
modules are where to read them:

- ``editions``: editions and their members, roles;
- ``texts``: documents, witnesses, segments (stable ids), footnote links, segment revisions;
- ``alignments``: alignments, their rows and their history of changes;
- ``annotations``: categories, annotations, their targets, replies, mention notifications;
- ``events``: the live-update event log and who has a document open;
- ``exports``: whole-edition exports run in the background;
- ``jobs``: automatic alignments run in the background;
- ``tokens``: personal API tokens.

Every module belongs to the ``editions`` app: app label and table names are those of the
single ``models.py`` this package replaced.
"""

from .alignments import Alignment as Alignment
from .alignments import AlignmentChange as AlignmentChange
from .alignments import AlignmentRow as AlignmentRow
from .alignments import RowStatus as RowStatus
from .alignments import translated_summary as translated_summary
from .annotations import DEFAULT_CATEGORIES as DEFAULT_CATEGORIES
from .annotations import Annotation as Annotation
from .annotations import AnnotationTarget as AnnotationTarget
from .annotations import Category as Category
from .annotations import Notification as Notification
from .annotations import Reply as Reply
from .annotations import Status as Status
from .annotations import Visibility as Visibility
from .editions import ROLE_RANK as ROLE_RANK
from .editions import Edition as Edition
from .editions import Membership as Membership
from .editions import Role as Role
from .events import Event as Event
from .events import Presence as Presence
from .exports import ExportJob as ExportJob
from .exports import JobStatus as JobStatus
from .jobs import AlignmentJob as AlignmentJob
from .texts import SID_PREFIX as SID_PREFIX
from .texts import Document as Document
from .texts import FootnoteRef as FootnoteRef
from .texts import Segment as Segment
from .texts import SegmentKind as SegmentKind
from .texts import SegmentRevision as SegmentRevision
from .texts import Witness as Witness
from .texts import WitnessRole as WitnessRole
from .texts import anchor_id as anchor_id
from .tokens import MAX_TOKENS_PER_USER as MAX_TOKENS_PER_USER
from .tokens import TOKEN_PREFIX as TOKEN_PREFIX
from .tokens import ApiToken as ApiToken
from .tokens import token_digest as token_digest
