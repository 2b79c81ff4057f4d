"""The attendee's pages asked for in Spanish say none of the interface's English (the catalog's
messages, as the browser test of the Spanish day checks on a phone), with a plenary and its talks,
shared notes and links, a feedback answer, and the Markdown guide too. Names and titles people typed
stay as typed."""

from __future__ import annotations

from html.parser import HTMLParser

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.domain import feedback, notes, organizers, talks
from app.models import Attendee
from tests.aftersession.helpers import LiveEvent, as_attendee, live_event
from tests.e2e.pages import english_in
from tests.factories import make_plenary

SPANISH = {"Accept-Language": "es-MX,es;q=0.9"}


class _VisibleText(HTMLParser):
    """A page's text as a person reads it: the body, without scripts, styles or hidden parts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._body = False
        self._skip: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._body = self._body or tag == "body"
        if self._skip or tag in ("script", "style", "template") or "hidden" in dict(attrs):
            if tag not in ("input", "br", "img", "meta", "link"):
                self._skip.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self._skip and self._skip[-1] == tag:
            self._skip.pop()

    def handle_data(self, data: str) -> None:
        if self._body and not self._skip:
            self.parts.append(data)


def _text(html: str) -> str:
    reader = _VisibleText()
    reader.feed(html)
    return " ".join(" ".join(reader.parts).split())


def _day(db: Session) -> tuple[LiveEvent, Attendee, list[str]]:
    """A published event with a plenary of one talk, notes and a link in a session, and an answer."""
    live = live_event(db, titles=("Charlas de matemáticas", "Ciencias por proyectos", "Lectura en voz alta"))
    organizer = organizers.require_first_organizer(db, live.event)
    plenary = make_plenary(db, live.event, slot=1, title="Charlas EdTalks")
    talks.add_talk(
        db, event=live.event, slot_id=plenary.id, speaker="Ana Ruiz", title="Jugar y aprender", minutes=15,  # type: ignore[arg-type]
        bio="Maestra de cuarto grado.", actor=organizer,
    )  # fmt: skip
    person, topic = live.people[1], live.topics[0]
    notes.save_note(db, event=live.event, topic=topic, author=person, text="- Rúbricas", base_revision=0)
    notes.add_resource(db, event=live.event, topic=topic, by=person, url="https://example.org/r", line="Diapositivas")
    feedback.give_session_feedback(db, event=live.event, topic=topic, attendee=person, rating=4, will_try="Rúbricas")
    typed = [p.name for p in live.people if p.name] + [r.name for r in live.rooms] + [s.title for s in live.slots]
    return live, person, [t for t in typed if t]


def test_the_attendees_pages_in_spanish_show_no_english(app: FastAPI, client: TestClient, session: Session) -> None:
    live, person, typed = _day(session)
    talk = talks.talks_by_slot(session, event=live.event)
    talk_id = next(t.id for ts in talk.values() for t in ts)
    topic = live.topics[0].id
    who = {**as_attendee(app, person), **SPANISH}
    pages = [
        "",
        "/my",
        f"/sessions/{topic}",
        f"/sessions/{topic}/notes",
        f"/sessions/{topic}/notes/history",
        f"/sessions/{topic}/feedback",
        "/feedback",
        f"/talks/{talk_id}",
        f"/talks/{talk_id}/feedback",
        "/calendar",
        "/guide",
    ]
    for path in pages:
        response = client.get(f"/e/{live.code}{path}", headers=who)
        assert response.status_code == 200, path
        assert '<html lang="es">' in response.text, path
        left = english_in(_text(response.text), besides=tuple(typed))
        assert not left, f"{path or '/'} in Spanish still shows English: {left}"
    english = client.get(f"/e/{live.code}/sessions/{topic}/notes", headers=as_attendee(app, person)).text
    assert {"Shared notes", "Share the link"} <= set(english_in(_text(english)))  # it finds English
    guide = client.get(f"/e/{live.code}/guide.md", headers=SPANISH).text
    assert ": guía de recursos" in guide and "La facilita Ms. Rivera." in guide and "Recursos:" in guide
    assert not english_in(guide, besides=tuple(typed)), guide
