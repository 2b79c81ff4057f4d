"""Settings, read from the environment (prefix ``TWOFEET_``) only when the app is created."""

from __future__ import annotations

from pydantic import field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Everything that differs between a laptop at a school and a scaled-out deployment."""

    model_config = SettingsConfigDict(env_prefix="TWOFEET_", env_file=".env", extra="ignore")

    DATABASE_URL: str = "sqlite:///./twofeet.db"
    # Empty: a random key is made once and kept in the database, so cookies survive restarts.
    SECRET_KEY: str = ""
    # Used in the links printed by the CLI and shown to organizers when no request is at hand.
    BASE_URL: str = "http://localhost:8000"
    # HTTP requests served at once per process; more wait their turn. Kept below the thread pool
    # (40) and the database pool (40): a request holds a pooled connection from its first
    # dependency to its end, so unbounded concurrency can leave every thread waiting for a
    # connection held by a request that waits for a thread.
    MAX_CONCURRENT_REQUESTS: int = 32
    # Scale-out: run `twofeet migrate` once, then start the workers with this off, so several
    # processes never race to upgrade the same database.
    MIGRATE_ON_START: bool = True
    # memory:// (one process) or redis://host:6379/0 (several workers or hosts).
    BROADCAST_URL: str = "memory://"
    # Live updates: pushes are coalesced over this window, so a burst of marks costs a few renders.
    LIVE_WINDOW_MS: int = 100
    # Frames a slow socket may have waiting; past that they are dropped for one catch-up.
    LIVE_QUEUE_SIZE: int = 16
    LIVE_HEARTBEAT_S: float = 25.0
    # A socket whose send has been blocked this long (it stopped reading) is closed with 1013.
    LIVE_SEND_TIMEOUT_S: float = 10.0
    # How often each process compares the events it serves with the database (heals lost signals).
    LIVE_SWEEP_S: float = 5.0
    # Full garbage-collection passes only when the board is quiet, never while it is busy (then
    # long-lived objects are frozen out of the collector instead): with thousands of sockets a
    # full pass takes hundreds of milliseconds (app/realtime/quietgc.py, BENCHMARKS.md).
    LIVE_QUIET_GC: bool = True
    # Extra origins (comma-separated, e.g. https://board.example.org) allowed to open websockets;
    # the app's own host and BASE_URL always are.
    ALLOWED_ORIGINS: str = ""
    # Cookies marked Secure; turn on behind HTTPS.
    SECURE_COOKIES: bool = False
    # A build's time when the organizer names none follows the event's size (2 s for ten
    # topics, about 30 s for 260 over six slots), at most this many seconds.
    SOLVER_TIME_LIMIT_S: float = 60.0
    # The longest build an organizer may ask for.
    SOLVER_MAX_TIME_LIMIT_S: float = 120.0
    # Search processes per build (one core each), builds one process runs at once (each takes the
    # cores its workers use; more at once only makes every one slower), and builds that may wait
    # their turn (first come, first served; beyond that a build is refused as too busy).
    SOLVER_WORKERS: int = 2
    # After a draft is built, how long a worker process keeps proving how close it is to the best
    # possible (one core; it gives way to any new build). 0 turns it off.
    SOLVER_BOUND_SECONDS: float = 60.0
    MAX_CONCURRENT_BUILDS: int = 1
    MAX_QUEUED_BUILDS: int = 8
    # How long an organizer's sign-in (browser cookie or API token) lasts before signing in again.
    ORGANIZER_SESSION_DAYS: float = 30.0
    # Organizer sign-ins with a password: attempts per client address and per event ("limits"
    # notation). The organizer's link is limited per address only, so a flood of guesses at an
    # event's password never locks its organizers out of their links.
    LOGIN_RATE_PER_CLIENT: str = "10/minute"
    LOGIN_RATE_PER_EVENT: str = "30/minute"
    # argon2 checks running at once in one process (each takes 64 MiB and ~0.2 s of CPU), and
    # sign-in requests inside the app at once (the rest wait in their own lane, not in everyone's).
    PASSWORD_CHECKS_AT_ONCE: int = 1
    SIGN_INS_AT_ONCE: int = 4
    # Events one client address may create ("limits" notation: N per second/minute/hour/day).
    EVENT_CREATION_RATE: str = "20/hour"
    # Bounds on what one request may store.
    MAX_TOPICS_PER_EVENT: int = 2000
    MAX_ATTENDEES_PER_EVENT: int = 20000
    MAX_IMPORT_BYTES: int = 20_000_000
    # Any request body (JSON or form) larger than this is refused with 413 before it is parsed.
    MAX_BODY_BYTES: int = 1_000_000
    # SQLite "synchronous": FULL makes every acknowledged write survive power loss, not only a
    # crash of the process; on WAL the cost is one fsync per commit.
    SQLITE_SYNCHRONOUS: str = "FULL"

    @field_validator("BASE_URL")
    @classmethod
    def _strip_slash(cls, value: str) -> str:
        return value.rstrip("/")

    @field_validator("SQLITE_SYNCHRONOUS")
    @classmethod
    def _known_mode(cls, value: str) -> str:
        mode = value.upper()
        if mode not in {"OFF", "NORMAL", "FULL", "EXTRA"}:
            raise ValueError("must be OFF, NORMAL, FULL or EXTRA")
        return mode

    @property
    def is_sqlite(self) -> bool:
        return self.DATABASE_URL.startswith("sqlite")
