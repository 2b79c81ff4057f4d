"""Browser forms as pydantic models: each page's form is a class, parsed and refused like an API body.

A form model names what a page posts and what each field must be; no rule of the day lives here
(lengths, phases and "a slot ends after it starts" are the domain's). Fields are parsed from the
form's text the way a person types it: a missing field is an empty one, a checkbox is on or absent,
and a number is a whole number or, where optional, nothing at all. Every field that cannot be read
is refused at once, named by its path as the API names it (``room_capacity[1]``), so one page shows
every problem beside its field.

Routes call ``Model.parse(form)`` inside their ``try`` so a refusal comes back on the page that
holds the form, with what was typed kept, as the domain's own refusals do.
"""

from __future__ import annotations

import typing
from typing import Annotated, Any, Self

from pydantic import BaseModel, BeforeValidator, ConfigDict, ValidationError
from pydantic_core import PydanticCustomError
from starlette.datastructures import FormData, ImmutableMultiDict

from app.domain.errors import FieldError, InvalidInput, about
from app.domain.eventspec import RoomSpec, SlotSpec, feature_words
from app.domain.text import control_character, strip_bidi
from app.i18n import _
from app.problems import field_path, validation_message

# Ids and counts fit a database integer; anything longer is not a number a person typed.
_DIGITS_MAX = 9
_CHECKED = frozenset({"on", "true", "1", "yes"})


def _text(value: object) -> str:
    """A field as text (a file sent where text belongs is no text); a control character is refused."""
    if not isinstance(value, str):
        return ""
    bad = control_character(value)
    if bad is not None:
        raise PydanticCustomError(
            "control_character", "contains a control character ({bad}); remove it and try again", {"bad": bad}
        )
    return strip_bidi(value)


def whole_number(value: object) -> int:
    """At most nine ASCII digits, an optional minus sign allowed, spaces around ignored."""
    typed = _text(value).strip()
    digits = typed[1:] if typed.startswith("-") else typed
    if not digits or len(digits) > _DIGITS_MAX or not (digits.isascii() and digits.isdigit()):
        raise PydanticCustomError("whole_number", "'{value}' is not a whole number", {"value": typed[:20]})
    return int(typed)


def _optional_number(value: object) -> int | None:
    return whole_number(value) if _text(value).strip() else None


Text = Annotated[str, BeforeValidator(_text)]
WholeNumber = Annotated[int, BeforeValidator(whole_number)]
OptionalNumber = Annotated[int | None, BeforeValidator(_optional_number)]
Checkbox = Annotated[bool, BeforeValidator(lambda value: _text(value) in _CHECKED)]


class FormModel(BaseModel):
    """One page's form; fields it does not declare (the CSRF token, a button's name) are ignored."""

    model_config = ConfigDict(frozen=True)

    @classmethod
    def parse(cls, form: ImmutableMultiDict[str, Any]) -> Self:
        """The form's fields, read as typed; InvalidInput naming every field that cannot be."""
        data: dict[str, object] = {}
        for name, field in cls.model_fields.items():
            is_list = typing.get_origin(field.annotation) is list
            data[name] = form.getlist(name) if is_list else form.get(name, "")
        try:
            return cls.model_validate(data)
        except ValidationError as error:
            # In the request's language: the common refusals by their type (app/problems.py).
            refused = [
                FieldError(field_path(e["loc"]), validation_message(dict(e))) for e in error.errors(include_url=False)
            ]
            raise InvalidInput(errors=refused) from None


def kept(form: FormData) -> dict[str, str]:
    """What a refused form held, so the person's input is still there beside the message."""
    return {key: value for key, value in form.items() if isinstance(value, str) and key != "csrf_token"}


# The forms of the day, by page. A form that only names a topic, or a card's tap, has its own small class.


class NameForm(FormModel):
    name: Text


class TopicForm(FormModel):
    """A topic as its author (or an organizer tidying it) types it; an empty language keeps it (or, new, the page's)."""

    title: Text
    description: Text
    tags: Text
    language: Text = ""


class ProposeForm(TopicForm):
    facilitate: Checkbox = False


class TapForm(FormModel):
    """A tap on a topic card: its button says which way (mark/unmark, lead/release)."""

    action: Text


class NewEventForm(FormModel):
    """The home page's "start an event": the rooms and slots are rows of repeated fields."""

    name: Text
    date: Text
    timezone: Text
    language: Text = ""
    bilingual: Checkbox = False
    password: Text
    room_name: list[Text]
    room_capacity: list[Text]
    room_features: list[Text]
    room_step_free: list[Text]  # the row numbers whose "step-free" box is ticked
    slot_start: list[Text]
    slot_end: list[Text]
    slot_kind: list[Text]
    slot_title: list[Text]
    slot_room: list[Text]

    def rooms(self) -> list[RoomSpec]:
        """Rows of room name / seats / features, as typed: the domain checks them all at once and
        names each by its row (blank rows are left for it to skip)."""
        ticked, features = set(self.room_step_free), self.room_features
        return [
            RoomSpec(name, _row(self.room_capacity, i), feature_words(_row(features, i), step_free=str(i) in ticked))
            for i, name in enumerate(self.room_name)
        ]

    def slots(self) -> list[SlotSpec]:
        """Rows of start / end / kind / title / room, as typed (the domain checks and names each row)."""
        columns = (self.slot_end, self.slot_kind, self.slot_title, self.slot_room)  # SlotSpec's order
        return [SlotSpec(start, *(_row(c, i) for c in columns)) for i, start in enumerate(self.slot_start)]


def _row(values: list[str], index: int) -> str:
    return values[index] if index < len(values) else ""


class CodeForm(FormModel):
    code: Text


class PasswordForm(FormModel):
    password: Text


class PhaseForm(FormModel):
    phase: Text
    confirm: Text


class MarkingRulesForm(FormModel):
    vote_budget: OptionalNumber
    facilitator_limit: OptionalNumber
    min_interest: OptionalNumber
    hide_counts: Checkbox = False
    shuffle_topics: Checkbox = False


class EventLanguageForm(FormModel):
    language: Text = ""
    bilingual: Checkbox = False


class CopyEventForm(NameForm):
    """ "A new event like this one": its name (empty: the same) and its date."""

    date: Text


class AnnouncementForm(FormModel):
    announcement: Text


class BoardThemeForm(FormModel):
    board_theme: Text


class TopicIdForm(FormModel):
    """A console form about one topic."""

    topic_id: WholeNumber


class TopicReasonForm(TopicIdForm):
    """Hiding or cancelling a topic, with the reason its author sees."""

    reason: Text


class ModerateEditForm(TopicIdForm, TopicForm): ...


class PaperMarksForm(TopicIdForm):
    paper_marks: Text


class PaperTopicForm(FormModel):
    title: Text
    paper_marks: Text
    tags: Text


class FacilitatorForm(TopicIdForm):
    attendee_id: WholeNumber
    action: Text


class OrganizerIdForm(FormModel):
    organizer_id: WholeNumber


class StatusForm(FormModel):
    """A door's "room is full / has room / ended"."""

    status: Text


class PopupForm(FormModel):
    title: Text


class MergeForm(FormModel):
    """A merge from a likely pair (topic_a, topic_b: the one not kept merges) or from a chosen topic (merge_id)."""

    keep_id: WholeNumber
    topic_a: OptionalNumber
    topic_b: OptionalNumber
    merge_id: OptionalNumber

    def merging(self) -> int:
        """The topic that merges into ``keep_id``."""
        if self.topic_a is not None:
            if self.topic_b is None:
                raise InvalidInput(errors=[FieldError("topic_b", _("'' is not a whole number"))])
            return self.topic_b if self.keep_id == self.topic_a else self.topic_a
        if self.merge_id is None:
            raise InvalidInput(errors=[FieldError("merge_id", _("choose the topic to merge into the one that stays"))])
        return self.merge_id


# The schedule workspace's forms.


class BuildForm(FormModel):
    keep_before: OptionalNumber
    time_limit: OptionalNumber


class CellForm(FormModel):
    """Where a session goes: 'room_id' and 'slot_id' (a drag over a cell), or one 'cell' field
    of the form 'ROOM:SLOT' (the keyboard path's menu)."""

    cell: Text
    room_id: OptionalNumber
    slot_id: OptionalNumber

    def target(self) -> tuple[int, int]:
        """The (room id, slot id) chosen; InvalidInput naming 'cell' when none is."""
        if self.cell.strip():
            room, _colon, slot = self.cell.strip().partition(":")
            try:
                return whole_number(room), whole_number(slot)
            except PydanticCustomError:
                raise InvalidInput(about("cell", _("choose a room and slot from the list.")), field="cell") from None
        if self.room_id is None and self.slot_id is None:
            where = _("choose where the session goes: a room and slot from the list.")
            raise InvalidInput(about("cell", where), field="cell")
        if self.room_id is None or self.slot_id is None:
            missing = [name for name, value in (("room_id", self.room_id), ("slot_id", self.slot_id)) if value is None]
            raise InvalidInput(errors=[FieldError(name, _("'' is not a whole number")) for name in missing])
        return self.room_id, self.slot_id


class PlacementForm(FormModel):
    placement_id: WholeNumber


class MoveForm(CellForm, PlacementForm): ...


class PlaceForm(CellForm, TopicIdForm): ...


class PublishForm(FormModel):
    announcement: Text


class UndoPublishForm(FormModel):
    version: OptionalNumber


class RoomFromSlotForm(FormModel):
    room_id: WholeNumber
    slot_id: WholeNumber


class AttendeeIdForm(FormModel):
    attendee_id: WholeNumber


class LayoutForm(FormModel):
    """A change to the rooms or slots (``action`` says which); ``confirm`` is the yes after its consequences."""

    action: Text
    room_id: OptionalNumber
    slot_id: OptionalNumber
    name: Text
    capacity: Text
    features: Text
    step_free: Checkbox = False
    direction: Text
    start: Text
    end: Text
    kind: Text
    title: Text
    place_id: OptionalNumber
    confirm: Checkbox = False

    def feature_list(self) -> list[str]:
        return feature_words(self.features, step_free=self.step_free)

    def need(self, name: str) -> int:
        """``room_id`` or ``slot_id``, which this action cannot do without."""
        value = getattr(self, name)
        if value is None:
            message = _("choose the room.") if name == "room_id" else _("choose the slot.")
            raise InvalidInput(about(name, message), field=name)
        return int(value)


# After the sessions: notes, resources, feedback.


class NoteForm(FormModel):
    """A save of a session's notes; ``base_revision`` is the version the person started from (none: 0)."""

    text: Text
    base_revision: OptionalNumber


class RestoreRevisionForm(FormModel):
    revision: WholeNumber
    base_revision: WholeNumber


class ResourceForm(FormModel):
    url: Text
    line: Text


class FeedbackForm(FormModel):
    """A rating and "what I will try", as typed: the domain says what a rating may be."""

    rating: Text
    will_try: Text
