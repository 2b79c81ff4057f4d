"""Small helpers for table definitions."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import Enum
from typing import Protocol

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


def enum_column(enum_cls: type[Enum]) -> sa.Enum:
    """A VARCHAR column for a str enum: no database enum type, so migrations stay plain."""
    return sa.Enum(enum_cls, native_enum=False, length=16, values_callable=lambda e: [m.value for m in e])


class _Row(Protocol):
    @property
    def id(self) -> int | None: ...


def saved_id(row: _Row) -> int:
    """The id of a row that is in the database (loaded, or added and flushed).

    Every table's ``id`` is ``int | None`` because a new row has none until the flush; past that
    point code needs an ``int``, and this says so where silencing mypy would hide a real None.
    """
    if row.id is None:
        raise ValueError(f"{type(row).__name__} has no id yet: it was never flushed to the database")
    return row.id


def table_of(model: type[SQLModel]) -> sa.Table:
    """A table class's ``Table``, for Core statements (SQLModel sets ``__table__`` but does not declare it)."""
    table = getattr(model, "__table__", None)
    if not isinstance(table, sa.Table):
        raise TypeError(f"{model.__name__} is not a table class")
    return table
