"""A real twofeet server (uvicorn in a subprocess, loopback port) per database, for probing it as an
attacker or a careless client would. Each module gets its own servers; a test that needs other
settings starts one of its own with ``start_server``."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import _fresh_postgres
from tests.realtime.live import Server, free_port, server_env

StartServer = Callable[..., Server]


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database(request: pytest.FixtureRequest, sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A migrated database for this module: a SQLite file, and PostgreSQL when configured."""
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("security") / "security.db"
        shutil.copy(sqlite_template, path)
        return f"sqlite:///{path}"
    return _fresh_postgres()


@pytest.fixture(scope="module")
def start_server(database: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[StartServer]:
    """Start servers on this module's database (with extra TWOFEET_* settings); all stop at the end."""
    servers: list[Server] = []

    def start(**extra: str) -> Server:
        log = tmp_path_factory.mktemp("server") / "server.log"
        env = server_env(database, TWOFEET_MIGRATE_ON_START="true", **extra)
        server = Server(free_port(), env, log).start(timeout=120)  # a loaded CI machine starts slowly
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture(scope="module")
def live(start_server: StartServer) -> Server:
    """The module's server with default settings."""
    return start_server()


@pytest.fixture
def http(live: Server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live.url, timeout=30) as client:
        yield client
