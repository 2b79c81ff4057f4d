"""Small helpers for table definitions."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlmodel import SQLModel

# Named constraints, so migrations can alter them (SQLite batch mode needs the names). Set here,
# in the module every table module imports first, because names are given when tables are built.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """Now, in UTC, with its time zone (SQLModel's datetime columns require one)."""
    return datetime.now(UTC)


def enum_column(enum_cls: type) -> object:
    """A VARCHAR column for a str enum: no database enum type, so migrations stay plain."""
    return sa.Enum(enum_cls, native_enum=False, length=16, values_callable=lambda e: [m.value for m in e])
