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
    BROADCAST_URL: str = "memory://"
    # Cookies marked Secure; turn on behind HTTPS.
    SECURE_COOKIES: bool = False
    SOLVER_TIME_LIMIT_S: float = 20.0
    # Bounds on what one request may store.
    MAX_TOPICS_PER_EVENT: int = 2000
    MAX_ATTENDEES_PER_EVENT: int = 20000
    MAX_IMPORT_BYTES: int = 20_000_000
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
