"""Every table, imported in dependency order; the one place Alembic and the app import from."""

from app.models.enums import Phase, TopicStatus
from app.models.event import Event, Room, TimeSlot
from app.models.person import Attendee, Organizer
from app.models.topic import ClashPair, FacilitatorClaim, Interest, Topic
from app.models.board import BoardEvent, InstanceSetting
from app.models.audit import AuditEntry

__all__ = [
    "AuditEntry",
    "Attendee",
    "BoardEvent",
    "ClashPair",
    "Event",
    "FacilitatorClaim",
    "InstanceSetting",
    "Interest",
    "Organizer",
    "Phase",
    "Room",
    "TimeSlot",
    "Topic",
    "TopicStatus",
]
