"""Request and response bodies of the JSON API (types only; the rules live in app/domain)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue

from app.domain import attendees, events, eventspec, organizers
from app.domain.errors import InvalidInput
from app.domain.text import TEXT_PATTERN, clean_text
from app.models import Phase
from app.models.event import SLOT_TITLE_MAX
from app.models.topic import DESCRIPTION_MAX, TAG_MAX, TAGS_MAX, TITLE_MAX


def _strip(value: object) -> object:
    return value.strip() if isinstance(value, str) else value


def _user_text(value: str) -> str:
    try:
        return clean_text(value, field="text")
    except InvalidInput:
        raise ValueError("contains a control character; only text, newlines and tabs are accepted") from None


# Every string a person writes: control characters refused (422 naming the field), bidi overrides dropped.
# Each field also says its bounds here, so /openapi.json shows them and nothing larger is parsed further.
class _ShowsTextRule:
    """Puts the text rule in the JSON schema as a pattern, for clients; the validator enforces it
    (with a message that says why, which a failed pattern would not)."""

    def __get_pydantic_json_schema__(self, core_schema: Any, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        schema = handler(core_schema)
        schema["pattern"] = TEXT_PATTERN
        return schema


_NO_CONTROL = _ShowsTextRule()
UserText = Annotated[str, BeforeValidator(_strip), AfterValidator(_user_text), _NO_CONTROL]
# A secret is taken exactly as typed (the form does not trim it either), only checked.
Secret = Annotated[str, AfterValidator(_user_text), _NO_CONTROL]
Feature = Annotated[UserText, Field(max_length=eventspec.FEATURE_MAX)]
Tag = Annotated[UserText, Field(max_length=TAG_MAX)]
Password = Annotated[Secret, Field(min_length=organizers.PASSWORD_MIN, max_length=organizers.PASSWORD_MAX)]
EventLanguage = Literal["en", "es"]
TopicLanguage = Literal["en", "es", "both"]
VoteBudget = Annotated[
    int, Field(ge=1, le=eventspec.VOTE_BUDGET_MAX, description="marks per attendee; null: unlimited")
]


class Body(BaseModel):
    """A request body: types taken strictly (0 is not false, "5" is not 5), as the schema says."""

    model_config = ConfigDict(strict=True)


# Lower bounds and the rules between fields (a slot ends after it starts) are the domain's: it
# words every problem of a new event at once. The schema states them for OpenAPI, and enforces
# the upper bounds, so nothing larger is parsed further.
class RoomIn(Body):
    name: UserText = Field(max_length=eventspec.ROOM_NAME_MAX, json_schema_extra={"minLength": 1})
    capacity: int = Field(le=eventspec.CAPACITY_MAX, json_schema_extra={"minimum": 1})
    features: list[Feature] = Field(default_factory=list, max_length=eventspec.FEATURES_MAX)


class SlotIn(Body):
    start: UserText = Field(max_length=5, examples=["09:30"])
    end: UserText = Field(max_length=5, examples=["10:20"])
    kind: Literal["sessions", "plenary", "break"] = Field(
        default="sessions", description="sessions (the scheduler fills them), plenary (everyone in one room) or break"
    )
    title: UserText = Field(
        default="", max_length=SLOT_TITLE_MAX, description="what a plenary or break is; a plenary needs one"
    )
    room: UserText = Field(
        default="", max_length=eventspec.ROOM_NAME_MAX, description="the name of a plenary's or break's room, if any"
    )


class EventCreate(Body):
    name: UserText = Field(max_length=eventspec.NAME_MAX, json_schema_extra={"minLength": 1})
    date: UserText = Field(max_length=10, examples=["2027-03-13"])
    timezone: UserText = Field(default="UTC", max_length=64, examples=["America/Los_Angeles"])
    rooms: list[RoomIn] = Field(min_length=1, max_length=eventspec.ROOMS_MAX)
    slots: list[SlotIn] = Field(min_length=1, max_length=eventspec.SLOTS_MAX)
    password: Password | None = None
    vote_budget: VoteBudget | None = None
    hide_counts: bool = False
    shuffle_topics: bool = False
    language: EventLanguage = Field(default="en", description="the event's main language")
    bilingual: bool = Field(default=False, description="the board and printed pages show their words in both")


class EventSettings(Body):
    vote_budget: VoteBudget | None = None
    hide_counts: bool = False
    shuffle_topics: bool = False
    language: EventLanguage | None = Field(default=None, description="the event's main language; omitted: unchanged")
    bilingual: bool | None = Field(default=None, description="both languages on the board; omitted: unchanged")
    min_interest: int | None = Field(
        default=None,
        ge=1,
        le=events.MIN_INTEREST_MAX,
        description="people (marks plus facilitators) a topic needs to run; omitted: unchanged (2 for a new event)",
    )


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
    kind: str = "sessions"
    title: str = ""
    room_id: int | None = None


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


class JoinIn(Body):
    name: UserText | None = Field(default=None, max_length=attendees.NAME_MAX)


class Joined(BaseModel):
    attendee_id: int
    token: str


class LoginIn(Body):
    password: Secret | None = Field(default=None, max_length=organizers.PASSWORD_MAX)
    key: Secret | None = Field(default=None, max_length=100, description="the secret of the organizer link")


class OrganizerLoggedIn(BaseModel):
    organizer_token: str


class TopicCreate(Body):
    title: UserText = Field(min_length=1, max_length=TITLE_MAX)
    description: UserText = Field(default="", max_length=DESCRIPTION_MAX)
    tags: list[Tag] = Field(default_factory=list, max_length=TAGS_MAX)
    facilitate: bool = False
    language: TopicLanguage | None = Field(
        default=None, description="the session's language: en, es or both; omitted: the request's language"
    )


class TopicUpdate(Body):
    title: UserText | None = Field(default=None, min_length=1, max_length=TITLE_MAX)
    description: UserText | None = Field(default=None, max_length=DESCRIPTION_MAX)
    tags: list[Tag] | None = Field(default=None, max_length=TAGS_MAX)
    language: TopicLanguage | None = None


class TopicOut(BaseModel):
    id: int
    title: str
    description: str
    tags: list[str]
    language: str = Field(description="the language the session is held in: en, es or both")
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


class PhaseIn(Body):
    phase: Phase = Field(strict=False)  # a phase's name, as JSON sends it


class PhaseOut(BaseModel):
    phase: str


# Rooms and slots changed after the event is made (app/domain/layout.py). A field left out keeps
# its value; the domain checks the rest as it checks a new event's rooms and slots.
class RoomChange(Body):
    name: UserText | None = Field(default=None, max_length=eventspec.ROOM_NAME_MAX)
    capacity: int | None = Field(default=None, le=eventspec.CAPACITY_MAX, json_schema_extra={"minimum": 1})
    features: list[Feature] | None = Field(default=None, max_length=eventspec.FEATURES_MAX)


class RoomMove(Body):
    direction: str = Field(pattern="^(up|down)$", description="one place up or down the list")


class SlotChange(Body):
    start: UserText | None = Field(default=None, max_length=5, examples=["09:30"])
    end: UserText | None = Field(default=None, max_length=5, examples=["10:20"])
    kind: str | None = Field(default=None, pattern="^(sessions|plenary|break)$")
    title: UserText | None = Field(default=None, max_length=SLOT_TITLE_MAX)
    room_id: int | None = Field(default=None, ge=1, le=2**31 - 1, description="a plenary's or break's room")


class AffectedOut(BaseModel):
    topic_id: int
    title: str
    where: str
    facilitators: list[str]
    marks: int
    published: bool = Field(description="on the published schedule, which keeps it until the draft is published")


class LayoutOut(BaseModel):
    done: bool
    summary: str
    message: str
    affected: list[AffectedOut]
    notes: list[str]


class SlotNew(Body):
    start: UserText = Field(max_length=5, examples=["12:20"])
    end: UserText = Field(max_length=5, examples=["13:10"])
    kind: str = Field(default="sessions", pattern="^(sessions|plenary|break)$")
    title: UserText = Field(default="", max_length=SLOT_TITLE_MAX, examples=["Lunch in the cafeteria"])
    room_id: int | None = Field(default=None, ge=1, le=2**31 - 1, description="a plenary's or break's room")
