"""The console's rooms and slots: every change posted from one panel, its consequences shown first.

One URL takes every change (the form's ``action`` says which). htmx swaps the panel alone: the
change made with a line saying so, or its consequences with "Yes, …" and "Keep it as it is", or a
refusal beside the field with what was typed kept. Without JavaScript the same form posts the page:
back to the console (post/redirect/get), or the console with the panel showing the same.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session

from app.deps import CsrfChecked, CsrfToken, EventDep, FormDep, OrganizerDep, SessionDep
from app.domain import events, layout_rooms, layout_slots
from app.domain.errors import DomainError, InvalidInput, plain_messages
from app.domain.layout import Outcome
from app.i18n import _
from app.models import Event, Organizer
from app.routes import forms
from app.routes.organizing import Console
from app.templating import is_htmx, render

router = APIRouter(prefix="/e/{code}/organize/layout")
Act = Callable[[Session, Event, Organizer, forms.LayoutForm], Outcome]


def _room(session: Session, event: Event, actor: Organizer, f: forms.LayoutForm) -> Outcome:
    return layout_rooms.edit_room(
        session,
        event=event,
        room_id=f.need("room_id"),
        name=f.name,
        capacity=f.capacity,
        features=f.feature_list(),
        actor=actor,
        confirm=f.confirm,
    )


def _slot(session: Session, event: Event, actor: Organizer, f: forms.LayoutForm) -> Outcome:
    return layout_slots.edit_slot(
        session,
        event=event,
        slot_id=f.need("slot_id"),
        start=f.start,
        end=f.end,
        kind=f.kind or "sessions",
        title=f.title,
        room_id=f.place_id,
        actor=actor,
        confirm=f.confirm,
    )


def _availability(available: bool) -> Act:
    def act(session: Session, event: Event, actor: Organizer, f: forms.LayoutForm) -> Outcome:
        return layout_rooms.set_room_available(
            session,
            event=event,
            room_id=f.need("room_id"),
            slot_id=f.need("slot_id"),
            available=available,
            actor=actor,
            confirm=f.confirm,
        )

    return act


ACTIONS: dict[str, Act] = {
    "add_room": lambda s, e, a, f: layout_rooms.add_room(
        s, event=e, name=f.name, capacity=f.capacity, features=f.feature_list(), actor=a
    ),
    "edit_room": _room,
    "move_room": lambda s, e, a, f: layout_rooms.move_room(
        s, event=e, room_id=f.need("room_id"), direction=f.direction, actor=a
    ),
    "close_room": _availability(False),
    "open_room": _availability(True),
    "remove_room": lambda s, e, a, f: layout_rooms.remove_room(
        s, event=e, room_id=f.need("room_id"), actor=a, confirm=f.confirm
    ),
    "add_slot": lambda s, e, a, f: layout_slots.add_slot(
        s, event=e, start=f.start, end=f.end, kind=f.kind or "sessions", title=f.title, room_id=f.place_id, actor=a
    ),
    "edit_slot": _slot,
    "remove_slot": lambda s, e, a, f: layout_slots.remove_slot(
        s, event=e, slot_id=f.need("slot_id"), actor=a, confirm=f.confirm
    ),
}


def form_key(typed: dict[str, str]) -> str:
    """Which of the panel's forms was posted, so its refusal shows beside its own fields."""
    action = typed.get("action", "")
    if action.startswith("add_"):
        return action
    if action in {"close_room", "open_room"}:
        return f"closing-{typed.get('room_id', '')}"
    return f"{'slot' if action.endswith('_slot') else 'room'}-{typed.get('room_id') or typed.get('slot_id') or ''}"


@router.post("", name="layout_change", dependencies=[CsrfChecked])
def layout_change(
    request: Request, session: SessionDep, event: EventDep, organizer: OrganizerDep, csrf: CsrfToken, form: FormDep
) -> Response:
    """Change a room or a slot; a change with consequences shows them and waits for the yes."""
    typed = forms.kept(form)
    try:
        parsed = forms.LayoutForm.parse(form)
        act = ACTIONS.get(parsed.action)
        if act is None:
            raise InvalidInput(_("action: choose what to change."), field="action")
        outcome = act(session, event, organizer, parsed)
    except DomainError as error:
        session.rollback()
        panel = {"error": error, "problems": plain_messages(error), "key": form_key(typed), "typed": typed}
        return _panel(request, session, event, organizer, csrf, form, panel, status=error.status_code)
    if outcome.done and not is_htmx(request):
        url = request.url_for("organize", code=event.code).include_query_params(done=outcome.message)
        return RedirectResponse(f"{url}#settings", status_code=303)
    panel = {"notice": outcome.message} if outcome.done else {"preview": outcome, "typed": typed}
    if outcome.done and parsed.action == "move_room":  # the arrow keeps the focus, to move the room again
        panel["focus"] = f"room-{parsed.room_id}-{parsed.direction}"
    return _panel(request, session, event, organizer, csrf, form, panel)


def _panel(
    request: Request,
    session: Session,
    event: Event,
    organizer: Organizer,
    csrf: str,
    form: Any,
    panel: dict[str, Any],
    *,
    status: int = 200,
) -> Response:
    """The panel alone (htmx), or the console showing it in its settings section."""
    if is_htmx(request):
        context = {
            "event": event,
            "csrf": csrf,
            "rooms": events.list_rooms(session, event),
            "slots": events.list_slots(session, event),
            "layout": panel,
        }
        return render(request, "organizer/layout.html", context, status_code=status)
    response = Console(request, session, event, organizer, csrf, form).page(section="settings", layout=panel)
    response.status_code = status
    return response
