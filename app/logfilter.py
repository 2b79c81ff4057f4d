"""Secrets never reach the access log: a request whose query holds ``key=`` (the organizer link,
a calendar feed's key) is logged without its query."""

from __future__ import annotations

import logging


class SecretQueryFilter(logging.Filter):
    """Drops the query from uvicorn access-log records that carry a ``key`` parameter."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        # uvicorn.access: (client address, method, path with query, HTTP version, status)
        if isinstance(args, tuple) and len(args) == 5 and isinstance(args[2], str) and "?" in args[2]:
            path, _, query = args[2].partition("?")
            if any(part.split("=", 1)[0].lower() == "key" for part in query.split("&")):
                record.args = (args[0], args[1], f"{path}?[query withheld: it holds a key]", *args[3:])
        return True


def install() -> None:
    """Attach the filter to uvicorn's access logger (once per process)."""
    logger = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, SecretQueryFilter) for f in logger.filters):
        logger.addFilter(SecretQueryFilter())
