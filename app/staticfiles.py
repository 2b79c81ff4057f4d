"""Static files addressed by their content, so phones on school wifi fetch each one once.

Pages link ``/static/app.css?v=<hash>`` (the templates' ``url_for('static', ...)`` adds the
hash): an answer to a request carrying the file's current hash is cached for a year, since a
changed file gets a new address. A request without it (or with an old hash, from a page cached
before an upgrade) is answered too, but must be revalidated.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path
from urllib.parse import parse_qs

from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

STATIC_DIR = Path(__file__).resolve().parent / "static"
FOREVER = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"


@lru_cache(maxsize=256)
def _digest(path: Path, mtime_ns: int, size: int) -> str:  # noqa: ARG001 - a changed file is a new cache key
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def file_version(directory: Path, relative: str) -> str:
    """The content hash that addresses ``relative`` under ``directory`` ("" when there is no such file)."""
    path = (directory / relative).resolve()
    if directory.resolve() not in path.parents:
        return ""
    try:
        stat = path.stat()
    except OSError:
        return ""
    return _digest(path, stat.st_mtime_ns, stat.st_size)


class VersionedStaticFiles(StaticFiles):
    """``StaticFiles`` that marks answers to content-addressed requests as cacheable for good."""

    def __init__(self, *, directory: Path) -> None:
        super().__init__(directory=directory)
        self.root = Path(directory)

    async def get_response(self, path: str, scope: Scope) -> Response:
        response = await super().get_response(path, scope)
        if response.status_code in (200, 304):
            asked = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("v", [""])[0]
            current = file_version(self.root, path)
            response.headers["Cache-Control"] = FOREVER if asked and asked == current else REVALIDATE
        return response
