"""Fixtures for live tests: a real uvicorn on a loopback port, on a temporary SQLite file."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.realtime.live import Server, free_port, server_env


@pytest.fixture
def live_server(sqlite_template: Path, tmp_path: Path) -> Iterator[Server]:
    db = tmp_path / "live.db"
    shutil.copy(sqlite_template, db)
    server = Server(free_port(), server_env(f"sqlite:///{db}"), tmp_path / "server.log").start()
    yield server
    server.stop()
