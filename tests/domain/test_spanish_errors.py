"""Refusals, field names and labels in Spanish: what a form shows beside each field."""

from __future__ import annotations

import pytest

from app import i18n, problems
from app.domain import attendees, eventspec
from app.domain.errors import FieldError, InvalidInput, NotFound, field_label, plain_messages
from app.domain.eventspec import RoomSpec, SlotSpec
from app.models import Phase, SessionStatus, SlotKind
from app.throttle import _wait_words


def _refused_in(locale: str) -> InvalidInput:
    with i18n.using(locale), pytest.raises(InvalidInput) as caught:
        found = eventspec.Collect()
        found.check(eventspec.validate_name, " ", field_name="name", limit=eventspec.NAME_MAX)
        found.check(
            eventspec.validate_rooms, [RoomSpec("Library", "thirty"), RoomSpec("Gym", "0"), RoomSpec("library", "20")]
        )
        found.check(
            eventspec.validate_slots,
            [SlotSpec("09:30", "09:00"), SlotSpec("10:00", "11:00"), SlotSpec("10:30", "11:30")],
        )
        found.raise_any()
    return caught.value


def test_plain_messages_in_spanish_name_each_field_as_a_person_does() -> None:
    error = _refused_in("es")
    with i18n.using("es"):
        plain = plain_messages(error)
    assert plain["name"] == "Nombre: escribe un nombre"
    assert plain["rooms[0].capacity"] == "Sala 1: las plazas deben ser un número entero de 1 a 10000"
    assert plain["rooms[2].name"] == "Sala 3: 'library' aparece dos veces (Sala 1 tiene ese nombre)"
    assert plain["slots[0].end"] == "Franja 1: la franja debe terminar después de empezar (09:30)"
    assert plain["slots[2].start"] == "Franja 3: 10:30–11:30 se solapa con la Franja 2 (10:00–11:00)"
    # The API's paths and the order of the fields are the same in both languages.
    assert [e.field for e in error.errors] == [e.field for e in _refused_in("en").errors]
    assert error.message.startswith("name: escribe un nombre.")


def test_plain_messages_in_english_are_as_before() -> None:
    error = _refused_in("en")
    plain = plain_messages(error)
    assert plain["rooms[0].capacity"] == "Room 1: seats must be a whole number from 1 to 10000"
    assert plain["slots[2].start"] == "Slot 3: 10:30 AM–11:30 AM overlaps Slot 2 (10:00 AM–11:00 AM)"


def test_a_label_is_worded_when_read_not_when_defined() -> None:
    error = InvalidInput(errors=[FieldError("vote_budget", "x"), FieldError("slots[1].kind", "y")])
    assert plain_messages(error)["vote_budget"] == "Marks per attendee: x"
    with i18n.using("es"):
        assert plain_messages(error) == {"vote_budget": "Marcas por participante: x", "slots[1].kind": "Franja 2: y"}
        assert field_label("timezone") == "Zona horaria"
        assert str(NotFound("x").title) == "No encontrado"
        assert (Phase.live.label, SlotKind.break_.label, SessionStatus.room_for_more.label) == (
            "Programa publicado",
            "Descanso",
            "Hay sitio",
        )
        assert SessionStatus.scheduled.label == ""
    assert str(NotFound("x").title) == "Not found" and Phase.live.label == "Schedule published"


def test_people_and_waits_in_spanish() -> None:
    with i18n.using("es"):
        assert attendees.names_line(["Ana", "", ""]) == "Ana y 2 personas más"
        assert attendees.names_line(["", ""]) == "2 docentes"
        assert _wait_words(1) == "1 segundo" and _wait_words(600) == "10 minutos"
    assert attendees.names_line(["Ana", "", ""]) == "Ana and 2 others" and _wait_words(30) == "30 seconds"


def test_pydantic_refusals_worded_from_their_type() -> None:
    too_long = {
        "type": "string_too_long",
        "ctx": {"max_length": 120},
        "msg": "String should have at most 120 characters",
    }
    odd = {"type": "url_parsing", "ctx": {"error": "bad"}, "msg": "Input should be a valid URL"}
    choice = {"type": "enum", "ctx": {"expected": "'sessions', 'plenary' or 'break'"}, "msg": "Input should be ..."}
    with i18n.using("es"):
        assert problems.validation_message(too_long) == "como máximo 120 caracteres"
        assert problems.validation_message(choice) == "elige uno de estos: 'sessions', 'plenary' o 'break'"
        assert problems.validation_message(odd) == "Input should be a valid URL", "an uncommon one keeps pydantic's"
        assert problems.validation_message({"type": "greater_than_equal", "msg": "m"}) == "m", "no ctx: pydantic's"
    assert problems.validation_message(too_long) == "String should have at most 120 characters"
