"""All models, one module per aggregate; import from here."""

from meetings.models.audit import AuditEntry, record
from meetings.models.base import new_token
from meetings.models.checkin import ApiNonce, CheckIn, CheckInMethod, ScanFailure
from meetings.models.conference import (
    AgendaItem,
    Conference,
    ConferenceDocument,
    ConferenceKind,
    ConferenceLocation,
    ConferenceStatus,
)
from meetings.models.document import Document
from meetings.models.invitation import Invitation, Rsvp
from meetings.models.numbering import DocumentCounter
from meetings.models.organisation import InviteeCategory, Layout, OrganisingBody, Unit, UnitKind
from meetings.models.person import Person, PersonCategory
from meetings.models.selfstudy import SelfStudy
from meetings.models.study import (
    DEFAULT_GRADES,
    StudyExemption,
    StudyGrade,
    StudyReviewer,
    StudyRound,
    StudySubmission,
    SubmissionChannel,
)
from meetings.models.user import ApiToken, DoorAssignment, Role, User, hash_api_token
from meetings.models.venue import Venue

__all__ = [
    "DEFAULT_GRADES",
    "AgendaItem",
    "ApiNonce",
    "ApiToken",
    "AuditEntry",
    "CheckIn",
    "CheckInMethod",
    "Conference",
    "ConferenceDocument",
    "ConferenceKind",
    "ConferenceLocation",
    "ConferenceStatus",
    "Document",
    "DocumentCounter",
    "DoorAssignment",
    "Invitation",
    "InviteeCategory",
    "Layout",
    "OrganisingBody",
    "Person",
    "PersonCategory",
    "Role",
    "Rsvp",
    "ScanFailure",
    "SelfStudy",
    "StudyExemption",
    "StudyGrade",
    "StudyReviewer",
    "StudyRound",
    "StudySubmission",
    "SubmissionChannel",
    "Unit",
    "UnitKind",
    "User",
    "Venue",
    "hash_api_token",
    "new_token",
    "record",
]
