"""The change → screen contract: every kind of change a screen shows, and how it reaches each view.

A domain function that changes what people see records a ``Change`` with the change itself
(``changelog.record_change``, one transaction). After the commit the live hub renders the changes
for every screen that shows the event, and ``SCREENS`` below says, per kind and per view, what
that screen does with it. A kind missing from the table fails ``tests/architecture`` instead of
quietly becoming a full refresh of every phone.

Views (what a socket shows):

- ``board``: the projector. Shared by everyone; it never reloads on its own.
- ``wall``: a phone's topic list. Personal (its marks, its order), so a push carries only what is
  the same for everyone (counts, titles, facilitators, which cards go or come).
- ``door``: a room's door page; facilitators see buttons there, so it GETs its own block.
- ``my``: a phone's "my day"; personal, so it GETs its own block when the day changed.
"""

from __future__ import annotations

from enum import IntEnum, StrEnum


class Change(StrEnum):
    """What a BoardEvent records (its ``kind`` column holds the value)."""

    topic_proposed = "topic_proposed"
    topic_edited = "topic_edited"
    topic_withdrawn = "topic_withdrawn"
    topic_hidden = "topic_hidden"  # an organizer took it off the wall
    topic_restored = "topic_restored"  # back on the wall (after hiding, withdrawing or a merge)
    topics_merged = "topics_merged"  # payload: topic_id (kept), merged_id (gone)
    interest_changed = "interest_changed"
    facilitators_changed = "facilitators_changed"
    session_status = "session_status"
    popup_started = "popup_started"
    announcement = "announcement"
    board_theme = "board_theme"
    phase_changed = "phase_changed"
    settings_changed = "settings_changed"
    layout_changed = "layout_changed"  # rooms or slots added, renamed, resized, closed, retimed, removed
    schedule_published = "schedule_published"
    note = "note"  # session notes have their own page: only the sequence moves
    talks_changed = "talks_changed"  # a plenary's running order; payload: slot_id, talk_id
    stage_changed = "stage_changed"  # "next talk": who is on stage (or the grid again); payload: slot_id, talk_id
    checked_in = "checked_in"  # headcounts moved (a check-in, a move, a hand check-in, a paper count); payload: slot_id
    smackdown_changed = "smackdown_changed"  # the queue, who is up, the countdown
    raffle_changed = "raffle_changed"  # prizes, the commitment, a winner drawn or redrawn, the seed revealed
    board_mode = "board_mode"  # the board's main area: the grid, the smackdown or the raffle


class View(StrEnum):
    board = "board"
    wall = "wall"
    door = "door"
    my = "my"


class Effect(IntEnum):
    """How a view takes a change; a batch of several kinds takes the strongest."""

    none = 0  # the view shows nothing of it
    delta = 1  # the push carries the changed parts, swapped in place
    refetch = 2  # the view GETs its own block (it is personal); the board redraws in full
    reload = 3  # the page reloads: what the person may do has changed; the board redraws in full


N, D, F, R = Effect.none, Effect.delta, Effect.refetch, Effect.reload

#: Per kind: (board, wall, door, my).
SCREENS: dict[Change, tuple[Effect, Effect, Effect, Effect]] = {
    Change.topic_proposed: (D, D, N, N),  # phones: "New topics are on the wall"
    Change.topic_edited: (D, D, F, F),
    Change.topic_withdrawn: (D, D, F, F),
    # Phones drop the card; one whose own mark or offer to lead was on it GETs its wall (marks left).
    Change.topic_hidden: (D, D, F, F),
    # Phones are told of a topic back on the wall; after an unmerge, phones with a mark or an offer
    # on the topic it left GET their wall (their marks may have moved back).
    Change.topic_restored: (D, D, F, F),
    # Phones drop the merged card and get the kept one's count; one whose mark or offer was on the
    # merged card GETs its wall (its mark moved).
    Change.topics_merged: (D, D, F, F),
    Change.interest_changed: (D, D, N, N),
    Change.facilitators_changed: (D, D, F, F),
    Change.session_status: (D, D, F, F),
    Change.popup_started: (D, D, F, F),
    Change.announcement: (D, D, F, D),  # "my day" shows the line above the day, the same for all
    Change.board_theme: (D, N, N, N),
    Change.phase_changed: (R, R, F, F),
    Change.settings_changed: (R, R, F, F),
    # The grid's rooms and times (the wall shows neither); doors and "my day" name rooms and times.
    Change.layout_changed: (F, N, F, F),
    Change.schedule_published: (R, R, F, F),
    Change.note: (N, N, N, N),
    # The board shows the next speaker under the one on stage; "my day" lists each plenary's talks.
    Change.talks_changed: (D, N, N, F),
    # The board puts the speaker on (or goes back to the grid); "my day" says who is on stage now.
    Change.stage_changed: (D, N, N, F),
    # The board's "12 / 30" and "room for more"; a door shows its own session's headcount.
    Change.checked_in: (D, N, F, N),
    Change.smackdown_changed: (D, N, N, N),
    Change.raffle_changed: (D, N, N, N),
    Change.board_mode: (D, N, N, N),
}

#: Payload keys naming the topics whose phones (those that marked one or offered to lead it) GET
#: their own wall instead of taking the delta: their personal state changed with the change. A
#: restored topic's own marks count again (marks left), and after an unmerge those on its former home
#: move back to it.
MINE: dict[Change, tuple[str, ...]] = {
    Change.topic_hidden: ("topic_id",),
    Change.topics_merged: ("merged_id",),
    Change.topic_restored: ("topic_id", "from_id"),
}


_COLUMN = {view: n for n, view in enumerate(View)}
_KNOWN = frozenset(kind.value for kind in Change)


def effect(kinds: set[str], view: View) -> Effect:
    """The strongest effect on ``view`` among ``kinds``; a kind not in the table redraws in full."""
    column = _COLUMN[view]
    return max(
        (SCREENS[Change(kind)][column] if kind in _KNOWN else Effect.reload for kind in kinds), default=Effect.none
    )
