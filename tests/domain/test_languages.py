"""Issue 19: an event's main language and bilingual flag, and the language each session is held in."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import Session

from app import i18n
from app.domain import eventfile, events, languages, organizers, series, topics
from app.domain.errors import InvalidInput
from app.domain.eventspec import RoomSpec, SlotSpec
from tests.factories import make_attendee, make_event, make_topic


def _new_event(db: Session, **kwargs: Any) -> events.CreatedEvent:
    return events.create_event(
        db,
        name="Edcamp Bilingüe",
        date="2027-03-13",
        timezone="America/Los_Angeles",
        rooms=[RoomSpec("Library", 30)],
        slots=[SlotSpec("09:00", "09:50")],
        **kwargs,
    )


def test_a_new_event_is_english_and_not_bilingual_unless_told(db: Session) -> None:
    plain = _new_event(db).event
    assert (plain.language, plain.bilingual) == ("en", False)
    spanish = _new_event(db, language="es", bilingual=True).event
    assert (spanish.language, spanish.bilingual) == ("es", True)


def test_an_unknown_main_language_is_refused_by_its_field_with_the_others(db: Session) -> None:
    with pytest.raises(InvalidInput) as caught:
        events.create_event(
            db, name="", date="2027-03-13", timezone="UTC", rooms=[RoomSpec("A", 9)], slots=[], language="fr"
        )
    fields = {e.field for e in caught.value.field_errors}
    assert {"language", "name", "slots"} <= fields
    assert "en (English) or es (Spanish)" in next(e.message for e in caught.value.field_errors if e.field == "language")


def test_the_refusal_is_worded_in_spanish_for_a_spanish_page(db: Session) -> None:
    with i18n.using("es"), pytest.raises(InvalidInput) as caught:
        _new_event(db, language="fr")
    assert caught.value.field == "language"
    assert "no es un idioma" in caught.value.message


def test_the_console_sets_the_main_language_and_bilingual(db: Session) -> None:
    created = make_event(db)
    languages.set_event_language(db, event=created.event, language="es", bilingual=True, actor=created.organizer)
    db.refresh(created.event)
    assert (created.event.language, created.event.bilingual) == ("es", True)
    with pytest.raises(InvalidInput) as caught:
        languages.set_event_language(db, event=created.event, language="xx", bilingual=False, actor=created.organizer)
    assert caught.value.field == "language"


def test_a_topic_is_held_in_its_proposers_page_language_unless_they_say(db: Session) -> None:
    event = make_event(db).event
    author = make_attendee(db, event)
    assert make_topic(db, event, author, title="Math talks").language == "en"
    with i18n.using("es"):
        assert make_topic(db, event, author, title="Charlas de matemáticas").language == "es"
        assert make_topic(db, event, author, title="Both ways", language="both").language == "both"
    assert make_topic(db, event, author, title="Lectura", language="es").language == "es"


def test_a_topic_language_is_checked_and_edited(db: Session) -> None:
    event = make_event(db).event
    author = make_attendee(db, event)
    with pytest.raises(InvalidInput) as caught:
        make_topic(db, event, author, language="klingon")
    assert caught.value.field == "language"
    topic = make_topic(db, event, author, language="en")
    topics.edit_topic(db, event=event, topic=topic, by=author, language="both")
    assert topic.language == "both"
    topics.edit_topic(db, event=event, topic=topic, by=author, title="Still both", language="")
    assert topic.language == "both"


def test_the_wall_filters_sessions_held_in_a_language(db: Session) -> None:
    event = make_event(db).event
    author = make_attendee(db, event)
    make_topic(db, event, author, title="English only", language="en")
    make_topic(db, event, author, title="Solo español", language="es")
    make_topic(db, event, author, title="Both", language="both")
    english_event_wall = topics.wall(db, event=event, viewer=author, sort="newest")
    assert english_event_wall.offers_languages  # a session is held in another language than the event's
    spanish = topics.wall(db, event=event, viewer=author, sort="newest", language="es")
    assert [v.topic.title for v in spanish.topics] == ["Both", "Solo español"]
    assert spanish.language == "es"
    unknown = topics.wall(db, event=event, viewer=author, sort="newest", language="fr")
    assert unknown.language is None and len(unknown.topics) == 3


def test_an_english_wall_offers_no_language_filter(db: Session) -> None:
    event = make_event(db).event
    author = make_attendee(db, event)
    make_topic(db, event, author, language="en")
    assert not topics.wall(db, event=event, viewer=author).offers_languages


def test_the_event_file_carries_the_languages(db: Session) -> None:
    created = make_event(db)
    event = created.event
    languages.set_event_language(db, event=event, language="es", bilingual=True, actor=created.organizer)
    author = make_attendee(db, event)
    make_topic(db, event, author, title="Lectura", language="es")
    make_topic(db, event, author, title="Reading", language="en")
    make_topic(db, event, author, title="Both", language="both")
    document = eventfile.export_event(db, event)
    assert document["event"]["languages"] == ["es", "en"]
    assert [t["language"] for t in document["topics"]] == ["es", "en", "both"]
    imported = eventfile.import_event(db, document).created.event
    assert (imported.language, imported.bilingual) == ("es", True)
    copied = topics.wall(db, event=imported, viewer=None, sort="newest").topics
    assert sorted(v.topic.language for v in copied) == ["both", "en", "es"]


def test_an_older_event_file_reads_as_english_and_not_bilingual(db: Session) -> None:
    event = make_event(db).event
    make_topic(db, event, make_attendee(db, event), title="Old topic")
    document = eventfile.export_event(db, event)
    del document["event"]["languages"]
    for topic in document["topics"]:
        del topic["language"]
    imported = eventfile.import_event(db, document).created.event
    assert (imported.language, imported.bilingual) == ("en", False)
    assert [v.topic.language for v in topics.wall(db, event=imported, viewer=None).topics] == ["en"]


def test_a_topic_without_a_language_in_a_spanish_file_is_spanish(db: Session) -> None:
    event = make_event(db).event
    make_topic(db, event, make_attendee(db, event), title="Tema")
    document = eventfile.export_event(db, event)
    document["event"]["languages"] = ["es"]
    del document["topics"][0]["language"]
    imported = eventfile.import_event(db, document).created.event
    assert imported.language == "es" and not imported.bilingual
    assert [v.topic.language for v in topics.wall(db, event=imported, viewer=None).topics] == ["es"]


@pytest.mark.parametrize(
    ("where", "value", "field"), [("event", ["fr"], "event.languages"), ("topic", "fr", "topics[0].language")]
)
def test_a_file_with_an_unknown_language_is_refused_by_its_key(db: Session, where: str, value: Any, field: str) -> None:
    event = make_event(db).event
    make_topic(db, event, make_attendee(db, event))
    document = eventfile.export_event(db, event)
    if where == "event":
        document["event"]["languages"] = value
    else:
        document["topics"][0]["language"] = value
    with pytest.raises(InvalidInput) as caught:
        eventfile.import_event(db, document)
    assert caught.value.field == field


def test_a_new_event_like_this_one_keeps_its_languages(db: Session) -> None:
    created = make_event(db)
    languages.set_event_language(db, event=created.event, language="es", bilingual=True, actor=created.organizer)
    copy = series.copy_event(
        db, source=created.event, actor=organizers.require_first_organizer(db, created.event), date="2028-03-11"
    ).event
    assert (copy.language, copy.bilingual) == ("es", True)
