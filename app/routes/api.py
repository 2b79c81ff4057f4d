"""The JSON API under /api/v1: the same domain calls as the pages, problem details on refusal."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import URL

from app.deps import (
    AttendeeDep,
    CurrentAttendee,
    CurrentOrganizer,
    EventCreationLimited,
    EventDep,
    OrganizerDep,
    PasswordsDep,
    RowId,
    SessionDep,
    SettingsDep,
    SignerDep,
    ThrottleDep,
    authenticated_attendee,
    client_address,
    limit_sign_in,
)
from app.domain import attendees, claims, eventfile, events, eventspec, languages, marking, organizers, topics
from app.domain.topics import TopicView
from app.models import Attendee, Event, Topic, saved_id
from app.routes import schemas
from app.security import Signer
from app.templating import public_url

router = APIRouter(prefix="/api/v1", tags=["api"])
PROBLEM: dict[str, dict[str, dict[str, str]]] = {"content": {"application/problem+json": {}}}
# Every refusal an API route can give, so clients (and schemathesis) know them from the schema.
RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"description": "The body could not be read (malformed JSON)", **PROBLEM},
    401: {"description": "Not signed in", **PROBLEM},
    403: {"description": "Not allowed", **PROBLEM},
    404: {"description": "Not found", **PROBLEM},
    409: {"description": "Refused in this state", **PROBLEM},
    413: {"description": "The body is larger than the server accepts", **PROBLEM},
    422: {"description": "A value was refused; the problem names the field", **PROBLEM},
    429: {
        "description": "Too many attempts, or the server is busy: see Retry-After",
        "headers": {"Retry-After": {"description": "seconds to wait", "schema": {"type": "integer"}}},
        **PROBLEM,
    },
}


def event_links(request: Request, event: Event, secret: str | None = None) -> schemas.Links:
    organize = URL(public_url(request, "organize", code=event.code))
    return schemas.Links(
        join=public_url(request, "event_page", code=event.code),
        board=public_url(request, "board", code=event.code),
        my_day=public_url(request, "my_day", code=event.code),
        organize=str(organize.include_query_params(key=secret)) if secret else str(organize),
        qr_svg=public_url(request, "event_qr", code=event.code),
    )


def _topic_out(view: TopicView, viewer_id: int | None) -> schemas.TopicOut:
    t = view.topic
    return schemas.TopicOut(
        id=saved_id(t),
        title=t.title,
        description=t.description,
        tags=t.tags,
        language=t.language,
        count=view.count,
        marked=view.marked,
        facilitators=view.facilitators,
        needs_facilitator=view.needs_facilitator,
        mine=viewer_id is not None and t.author_id == viewer_id,
    )


@router.post(
    "/events",
    status_code=201,
    response_model=schemas.EventCreated,
    responses=RESPONSES,
    dependencies=[EventCreationLimited],
)
def api_event_create(
    body: schemas.EventCreate, request: Request, session: SessionDep, signer: SignerDep, passwords: PasswordsDep
) -> Any:
    """Create an event; returns its join code, an organizer token and its links."""
    created = events.create_event(
        session,
        name=body.name,
        date=body.date,
        timezone=body.timezone,
        rooms=[eventspec.RoomSpec(r.name, r.capacity, r.features) for r in body.rooms],
        slots=[eventspec.SlotSpec(s.start, s.end, kind=s.kind, title=s.title, room=s.room) for s in body.slots],
        password=body.password,
        vote_budget=body.vote_budget,
        hide_counts=body.hide_counts,
        shuffle_topics=body.shuffle_topics,
        language=body.language,
        bilingual=body.bilingual,
        passwords=passwords,
    )
    event = created.event
    token = signer.organizer_token(
        event_id=saved_id(event), organizer_id=saved_id(created.organizer), version=created.organizer.token_version
    )
    return schemas.EventCreated(
        code=event.code, organizer_token=token, links=event_links(request, event, created.secret)
    )


@router.get("/events/{code}", response_model=schemas.EventOut, responses=RESPONSES)
def api_event_get(request: Request, session: SessionDep, event: EventDep) -> Any:
    """The event: phase, rooms, slots and marking rules."""
    return schemas.EventOut(
        code=event.code,
        name=event.name,
        date=event.date,
        timezone=event.timezone,
        phase=event.phase.value,
        rooms=[
            schemas.RoomOut(id=saved_id(r), name=r.name, capacity=r.capacity, features=r.features)
            for r in events.list_rooms(session, event)
        ],
        slots=[
            schemas.SlotOut(
                id=saved_id(s), start=s.start, end=s.end, kind=s.kind.value, title=s.title, room_id=s.room_id
            )
            for s in events.list_slots(session, event)
        ],
        settings=schemas.EventSettings(
            vote_budget=event.vote_budget,
            hide_counts=event.hide_counts,
            shuffle_topics=event.shuffle_topics,
            min_interest=event.min_interest,
            language="es" if event.language == "es" else "en",
            bilingual=event.bilingual,
        ),
        links=event_links(request, event),
    )


@router.patch("/events/{code}", response_model=schemas.EventSettings, responses=RESPONSES)
def api_event_settings(
    body: schemas.EventSettings, session: SessionDep, event: EventDep, organizer: OrganizerDep
) -> Any:
    """Change the marking rules (organizer)."""
    events.update_settings(
        session,
        event=event,
        vote_budget=body.vote_budget,
        hide_counts=body.hide_counts,
        shuffle_topics=body.shuffle_topics,
        min_interest=body.min_interest,
        actor=organizer,
    )
    if body.language is not None or body.bilingual is not None:
        languages.set_event_language(
            session,
            event=event,
            language=body.language or event.language,
            bilingual=event.bilingual if body.bilingual is None else body.bilingual,
            actor=organizer,
        )
    return body.model_copy(
        update={"min_interest": event.min_interest, "language": event.language, "bilingual": event.bilingual}
    )


@router.post("/events/{code}/login", response_model=schemas.OrganizerLoggedIn, responses=RESPONSES)
def api_organizer_login(
    body: schemas.LoginIn,
    request: Request,
    session: SessionDep,
    event: EventDep,
    signer: SignerDep,
    settings: SettingsDep,
    throttle: ThrottleDep,
    passwords: PasswordsDep,
) -> Any:
    """Exchange the organizer password, or the organizer link's secret, for an organizer token.

    Password attempts are limited per client address and per event (429 with Retry-After)."""
    limit_sign_in(request, throttle, settings, event, link=bool(body.key))
    if body.key:
        organizer = organizers.organizer_by_secret(
            session, event=event, secret=body.key, source=client_address(request)
        )
    else:
        organizer = organizers.organizer_by_password(
            session, event=event, password=body.password or "", passwords=passwords, source=client_address(request)
        )
    token = signer.organizer_token(
        event_id=saved_id(event), organizer_id=saved_id(organizer), version=organizer.token_version
    )
    return schemas.OrganizerLoggedIn(organizer_token=token)


@router.post("/events/{code}/attendees", status_code=201, response_model=schemas.Joined, responses=RESPONSES)
def api_join(
    body: schemas.JoinIn, session: SessionDep, event: EventDep, signer: SignerDep, settings: SettingsDep
) -> Any:
    """Join the event; the token identifies this attendee from now on (Authorization: Bearer)."""
    attendee = attendees.join_event(session, event=event, name=body.name, limit=settings.MAX_ATTENDEES_PER_EVENT)
    attendee_id = saved_id(attendee)
    return schemas.Joined(
        attendee_id=attendee_id, token=signer.attendee_token(event_id=saved_id(event), attendee_id=attendee_id)
    )


@router.get("/events/{code}/topics", response_model=schemas.TopicsOut, responses=RESPONSES)
def api_topics(
    session: SessionDep,
    event: EventDep,
    attendee: CurrentAttendee,
    organizer: CurrentOrganizer,
    sort: str | None = None,
    tag: str | None = None,
) -> Any:
    """The wall: open topics with counts (null while the event hides them from attendees)."""
    wall = topics.wall(session, event=event, viewer=attendee, sort=sort, tag=tag, organizer=organizer is not None)
    viewer_id = attendee.id if attendee else None
    return schemas.TopicsOut(
        topics=[_topic_out(v, viewer_id) for v in wall.topics],
        sort=wall.sort,
        counts_visible=wall.counts_visible,
        marks_left=wall.marks_left,
    )


@router.post("/events/{code}/topics", status_code=201, response_model=schemas.TopicOut, responses=RESPONSES)
def api_topic_create(
    body: schemas.TopicCreate, session: SessionDep, event: EventDep, attendee: AttendeeDep, settings: SettingsDep
) -> Any:
    """Propose a topic; with ``facilitate`` the author offers to lead it."""
    topic = topics.propose_topic(
        session,
        event=event,
        author=attendee,
        title=body.title,
        description=body.description,
        tags=body.tags,
        facilitate=body.facilitate,
        language=body.language,
        limit=settings.MAX_TOPICS_PER_EVENT,
    )
    return _topic_out(topics.topic_view(session, event=event, viewer=attendee, topic=topic), attendee.id)


@router.patch("/events/{code}/topics/{topic_id}", response_model=schemas.TopicOut, responses=RESPONSES)
def api_topic_update(
    body: schemas.TopicUpdate,
    topic_id: RowId,
    session: SessionDep,
    event: EventDep,
    attendee: CurrentAttendee,
    organizer: CurrentOrganizer,
) -> Any:
    """Edit a topic (its author until marking closes, or an organizer)."""
    topic = topics.require_topic(session, event=event, topic_id=topic_id)
    topics.edit_topic(
        session,
        event=event,
        topic=topic,
        by=attendee,
        organizer=organizer,
        title=body.title,
        description=body.description,
        tags=body.tags,
        language=body.language,
    )
    return _topic_out(
        topics.topic_view(session, event=event, viewer=attendee, topic=topic, organizer=organizer is not None),
        attendee.id if attendee else None,
    )


@router.delete("/events/{code}/topics/{topic_id}", status_code=204, responses=RESPONSES)
def api_topic_withdraw(
    topic_id: RowId, session: SessionDep, event: EventDep, attendee: CurrentAttendee, organizer: CurrentOrganizer
) -> Response:
    """Withdraw a topic (its author until marking closes, or an organizer)."""
    topic = topics.require_topic(session, event=event, topic_id=topic_id)
    topics.withdraw_topic(session, event=event, topic=topic, by=attendee, organizer=organizer)
    return Response(status_code=204)


def _mark_out(
    session: Session, event: Event, attendee: Attendee, topic: Topic, changed: bool, marked: bool
) -> schemas.MarkOut:
    """The answer to a mark or unmark: two small counts, not a whole topic card (this is the hot path)."""
    count = topics.topic_count(session, topic=topic) if topics.counts_visible(event) else None
    return schemas.MarkOut(
        topic_id=saved_id(topic),
        marked=marked,
        changed=changed,
        count=count,
        marks_left=topics.marks_left(session, event=event, attendee=attendee),
    )


def _change_mark(
    request: Request, session: Session, signer: Signer, code: str, topic_id: RowId, marked: bool
) -> Response:
    """A mark or unmark from the event's code to the JSON answer, in one worker thread."""
    event = events.require_event(session, code)
    attendee = authenticated_attendee(request, event, session, signer)
    topic = topics.require_topic(session, event=event, topic_id=topic_id)
    changed = marking.set_mark(session, event=event, attendee=attendee, topic=topic, marked=marked)
    return JSONResponse(_mark_out(session, event, attendee, topic, changed, marked=marked).model_dump(mode="json"))


# The hottest requests of the day. As plain ``def`` routes with the usual dependencies a mark took
# four worker-thread hops (event, attendee, the route, the answer's serialisation); these take one.


@router.put("/events/{code}/topics/{topic_id}/interest", response_model=schemas.MarkOut, responses=RESPONSES)
async def api_mark(code: str, topic_id: RowId, request: Request, session: SessionDep, signer: SignerDep) -> Response:
    """Mark a topic (idempotent: marking twice keeps one mark)."""
    return await run_in_threadpool(_change_mark, request, session, signer, code, topic_id, True)


@router.delete("/events/{code}/topics/{topic_id}/interest", response_model=schemas.MarkOut, responses=RESPONSES)
async def api_unmark(code: str, topic_id: RowId, request: Request, session: SessionDep, signer: SignerDep) -> Response:
    """Remove a mark (idempotent)."""
    return await run_in_threadpool(_change_mark, request, session, signer, code, topic_id, False)


def _lead_out(
    session: SessionDep, event: Event, attendee: AttendeeDep, topic_id: RowId, changed: bool
) -> schemas.LeadOut:
    topic = topics.require_topic(session, event=event, topic_id=topic_id)
    view = topics.topic_view(session, event=event, viewer=attendee, topic=topic)
    return schemas.LeadOut(
        topic_id=topic_id, facilitating=view.is_facilitator, changed=changed, facilitators=view.facilitators
    )


@router.put("/events/{code}/topics/{topic_id}/facilitators/me", response_model=schemas.LeadOut, responses=RESPONSES)
def api_claim(topic_id: RowId, session: SessionDep, event: EventDep, attendee: AttendeeDep) -> Any:
    """Offer to lead a topic."""
    topic = topics.require_topic(session, event=event, topic_id=topic_id)
    changed = claims.claim_topic(session, event=event, attendee=attendee, topic=topic)
    return _lead_out(session, event, attendee, topic_id, changed)


@router.delete("/events/{code}/topics/{topic_id}/facilitators/me", response_model=schemas.LeadOut, responses=RESPONSES)
def api_release(topic_id: RowId, session: SessionDep, event: EventDep, attendee: AttendeeDep) -> Any:
    """Step back from leading a topic."""
    topic = topics.require_topic(session, event=event, topic_id=topic_id)
    changed = claims.release_claim(session, event=event, attendee=attendee, topic=topic)
    return _lead_out(session, event, attendee, topic_id, changed)


@router.post("/events/{code}/phase", response_model=schemas.PhaseOut, responses=RESPONSES)
def api_phase(body: schemas.PhaseIn, session: SessionDep, event: EventDep, organizer: OrganizerDep) -> Any:
    """Move the event to a phase (organizer)."""
    events.set_phase(session, event=event, phase=body.phase, actor=organizer)
    return schemas.PhaseOut(phase=event.phase.value)


@router.get("/events/{code}/export", responses=RESPONSES)
def api_export(session: SessionDep, event: EventDep, organizer: OrganizerDep) -> dict[str, Any]:
    """The event file (``twofeet.event/1``), for backup, moving installs or offline scheduling."""
    return eventfile.export_event(session, event)
