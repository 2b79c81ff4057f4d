"""Request and response bodies of the JSON API (types only; the rules live in app/domain)."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, BaseModel, Field

from app.domain.errors import InvalidInput
from app.domain.text import clean_text


def _user_text(value: str) -> str:
    try:
        return clean_text(value, field="text")
    except InvalidInput:
        raise ValueError("contains a control character; only text, newlines and tabs are accepted") from None


# Every string a person writes: control characters refused (422 naming the field), bidi overrides dropped.
UserText = Annotated[str, AfterValidator(_user_text)]


class RoomIn(BaseModel):
    name: UserText
    capacity: int
    features: list[UserText] = Field(default_factory=list)


class SlotIn(BaseModel):
    start: UserText = Field(examples=["09:30"])
    end: UserText = Field(examples=["10:20"])


class EventCreate(BaseModel):
    name: UserText
    date: UserText = Field(examples=["2027-03-13"])
    timezone: UserText = Field(default="UTC", examples=["America/Los_Angeles"])
    rooms: list[RoomIn]
    slots: list[SlotIn]
    password: UserText | None = None
    vote_budget: int | None = None
    hide_counts: bool = False
    shuffle_topics: bool = False


class EventSettings(BaseModel):
    vote_budget: int | None = None
    hide_counts: bool = False
    shuffle_topics: bool = False


class Links(BaseModel):
    join: str
    board: str
    my_day: str
    organize: str | None = None
    qr_svg: str


class EventCreated(BaseModel):
    code: str
    organizer_token: str
    links: Links


class RoomOut(BaseModel):
    id: int
    name: str
    capacity: int
    features: list[str]


class SlotOut(BaseModel):
    id: int
    start: str
    end: str


class EventOut(BaseModel):
    code: str
    name: str
    date: str
    timezone: str
    phase: str
    rooms: list[RoomOut]
    slots: list[SlotOut]
    settings: EventSettings
    links: Links


class JoinIn(BaseModel):
    name: UserText | None = None


class Joined(BaseModel):
    attendee_id: int
    token: str


class LoginIn(BaseModel):
    password: UserText | None = None
    key: UserText | None = Field(default=None, description="the secret of the organizer link")


class OrganizerLoggedIn(BaseModel):
    organizer_token: str


class TopicCreate(BaseModel):
    title: UserText
    description: UserText = ""
    tags: list[UserText] = Field(default_factory=list)
    facilitate: bool = False


class TopicUpdate(BaseModel):
    title: UserText | None = None
    description: UserText | None = None
    tags: list[UserText] | None = None


class TopicOut(BaseModel):
    id: int
    title: str
    description: str
    tags: list[str]
    count: int | None = Field(description="marks; null while the event hides counts")
    marked: bool
    facilitators: list[str]
    needs_facilitator: bool
    mine: bool


class TopicsOut(BaseModel):
    topics: list[TopicOut]
    sort: str
    counts_visible: bool
    marks_left: int | None


class MarkOut(BaseModel):
    topic_id: int
    marked: bool
    changed: bool
    count: int | None
    marks_left: int | None


class LeadOut(BaseModel):
    topic_id: int
    facilitating: bool
    changed: bool
    facilitators: list[str]


class PhaseIn(BaseModel):
    phase: UserText


class PhaseOut(BaseModel):
    phase: str
