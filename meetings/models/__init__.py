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
from meetings.models.delivery import Delivery, DeliveryStatus
from meetings.models.document import Document
from meetings.models.invitation import Invitation, Rsvp
from meetings.models.job import Job, JobStatus
from meetings.models.numbering import DocumentCounter
from meetings.models.organisation import InviteeCategory, Layout, OrganisingBody, Unit, UnitKind
from meetings.models.person import Person, PersonCategory
from meetings.models.seating import (
    PRESIDIUM_ROW,
    HallLayout,
    Precedence,
    SeatAssignment,
    SeatBlock,
    SeatingPlan,
    Side,
)
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
    "PRESIDIUM_ROW",
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
    "Delivery",
    "DeliveryStatus",
    "Document",
    "DocumentCounter",
    "DoorAssignment",
    "HallLayout",
    "Invitation",
    "InviteeCategory",
    "Job",
    "JobStatus",
    "Layout",
    "OrganisingBody",
    "Person",
    "PersonCategory",
    "Precedence",
    "Role",
    "Rsvp",
    "ScanFailure",
    "SeatAssignment",
    "SeatBlock",
    "SeatingPlan",
    "SelfStudy",
    "Side",
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
