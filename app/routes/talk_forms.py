"""A plenary's running order (the console) and "Next talk" (the phone that runs it), as forms."""

from __future__ import annotations

from app.routes.forms import FormModel, Text, WholeNumber


class TalkForm(FormModel):
    """A talk as the organizer types it; the domain checks lengths and minutes, naming each field."""

    speaker: Text
    title: Text
    minutes: Text
    bio: Text


class NewTalkForm(TalkForm):
    slot_id: WholeNumber


class TalkIdForm(FormModel):
    talk_id: WholeNumber


class EditTalkForm(TalkIdForm, TalkForm): ...


class MoveTalkForm(TalkIdForm):
    direction: Text


class NextTalkForm(FormModel):
    """``expected``: the talk the page showed on stage (0: none), so two presses never skip a speaker."""

    expected: WholeNumber
