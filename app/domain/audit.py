"""The organizers' audit log: every organizer action, written in the action's own transaction."""

from __future__ import annotations

from sqlmodel import Session, col, select

from app.models import AuditEntry, Event, Organizer, saved_id


def record(session: Session, *, event: Event, actor: Organizer, action: str, detail: str = "") -> None:
    """Add an entry; the caller commits it together with the change it describes.

    Every organizer action names its organizer: there is no change without someone who made it."""
    session.add(
        AuditEntry(
            event_id=saved_id(event),
            organizer_id=actor.id,
            organizer_name=actor.name or "Organizer",
            action=action,
            detail=detail[:500],
        )
    )


def record_failed_login(session: Session, *, event: Event, detail: str) -> None:
    """A refused organizer sign-in (no actor: nobody signed in); the caller commits it."""
    session.add(
        AuditEntry(
            event_id=saved_id(event),
            organizer_id=None,
            organizer_name="Sign-in",
            action="login_failed",
            detail=detail[:500],
        )
    )


def entries(session: Session, *, event: Event, limit: int = 200) -> list[AuditEntry]:
    """The newest entries first."""
    return list(
        session.scalars(
            select(AuditEntry).where(AuditEntry.event_id == event.id).order_by(col(AuditEntry.id).desc()).limit(limit)
        )
    )
