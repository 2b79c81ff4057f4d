"""Every table, imported in dependency order; the one place Alembic and the app import from."""
# ruff: noqa: I001  (the order above is deliberate)

from app.models.enums import Phase, SessionStatus, SlotKind, TopicStatus
from app.models.event import Event, Room, Talk, TimeSlot
from app.models.person import Attendee, Organizer
from app.models.topic import ClashPair, FacilitatorClaim, Interest, Topic
from app.models.changelog import BoardEvent, InstanceSetting
from app.models.schedule import Placement, ScheduleRun
from app.models.aftersession import EventFeedback, NoteRevision, Resource, SessionFeedback, SessionNote, TalkFeedback
from app.models.audit import AuditEntry
from app.models.closing import (
    Certificate,
    CheckIn,
    PaperCount,
    Prize,
    RaffleDraw,
    RaffleWin,
    SmackdownShare,
    SurveyQuestion,
)
from app.models.util import saved_id, table_of

__all__ = [
    "AuditEntry",
    "Attendee",
    "BoardEvent",
    "Certificate",
    "CheckIn",
    "ClashPair",
    "Event",
    "FacilitatorClaim",
    "InstanceSetting",
    "Interest",
    "Organizer",
    "PaperCount",
    "Phase",
    "Placement",
    "Prize",
    "RaffleDraw",
    "RaffleWin",
    "Room",
    "ScheduleRun",
    "SessionStatus",
    "SlotKind",
    "SmackdownShare",
    "SurveyQuestion",
    "Talk",
    "TalkFeedback",
    "TimeSlot",
    "Topic",
    "TopicStatus",
    "EventFeedback",
    "NoteRevision",
    "Resource",
    "SessionFeedback",
    "SessionNote",
    "saved_id",
    "table_of",
]
