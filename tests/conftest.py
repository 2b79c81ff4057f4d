"""Fixtures: a real, migrated database per test (SQLite file; PostgreSQL when configured)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session, SQLModel

import app.models  # noqa: F401  (every table on the metadata)
from app.db import make_engine, upgrade_database
from app.main import create_app
from app.settings import Settings

PG_ENV = "TWOFEET_TEST_DATABASE_URL"
IN_CI = os.environ.get("CI", "").lower() == "true"


def postgres_url_or_skip() -> str:
    """The test PostgreSQL URL; skipped when not configured, failed under CI when unreachable."""
    url = os.environ.get(PG_ENV)
    if not url:
        if IN_CI:
            pytest.fail(f"{PG_ENV} is not set, and CI needs the PostgreSQL tests to run")
        pytest.skip(f"{PG_ENV} not set")
    try:
        engine = sa.create_engine(url)
        with engine.connect() as connection:
            connection.execute(sa.text("select 1"))
        engine.dispose()
    except sa.exc.OperationalError as error:
        if IN_CI:
            pytest.fail(f"PostgreSQL at {url} is unreachable: {error}")
        pytest.skip(f"PostgreSQL unreachable: {error}")
    return url


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated once; each test gets a copy."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade_database(engine)
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


_pg_migrated: dict[str, bool] = {}


def _fresh_postgres() -> str:
    url = postgres_url_or_skip()
    engine = sa.create_engine(url)
    if not _pg_migrated.get(url):
        with engine.begin() as connection:
            connection.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
        upgrade_database(engine)
        _pg_migrated[url] = True
    tables = ", ".join(f'"{t.name}"' for t in SQLModel.metadata.sorted_tables)
    with engine.begin() as connection:
        connection.exec_driver_sql(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
    engine.dispose()
    return url


@pytest.fixture
def sqlite_url(sqlite_template: Path, tmp_path: Path) -> str:
    path = tmp_path / "test.db"
    shutil.copy(sqlite_template, path)
    return f"sqlite:///{path}"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, sqlite_template: Path, tmp_path: Path) -> str:
    """Every test using this runs on SQLite, and again on PostgreSQL when configured."""
    if request.param == "sqlite":
        path = tmp_path / "test.db"
        shutil.copy(sqlite_template, path)
        return f"sqlite:///{path}"
    return _fresh_postgres()


def make_settings(url: str, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "DATABASE_URL": url,
        "SECRET_KEY": "test-secret-key",
        "BASE_URL": "http://testserver",
        "SQLITE_SYNCHRONOUS": "NORMAL",
        "EVENT_CREATION_RATE": "10000/minute",
        "LOGIN_RATE_PER_CLIENT": "10000/minute",
        "LOGIN_RATE_PER_EVENT": "10000/minute",
        # No minute-long bound after every test's build (tests/scheduler/test_clock.py has one).
        "SOLVER_BOUND_SECONDS": 0,
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


@pytest.fixture
def settings(db_url: str) -> Settings:
    return make_settings(db_url)


@pytest.fixture
def app(settings: Settings) -> Iterator[FastAPI]:
    """The app; its engine is closed after the test even when no client ran its lifespan."""
    application = create_app(settings)
    yield application
    application.state.engine.dispose()


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def session(app: FastAPI, client: TestClient) -> Iterator[Session]:
    with Session(app.state.engine, expire_on_commit=False) as db_session:
        yield db_session


@pytest.fixture
def engine(db_url: str) -> Iterator[sa.Engine]:
    eng = make_engine(db_url)
    yield eng
    eng.dispose()


@pytest.fixture
def db(engine: sa.Engine) -> Iterator[Session]:
    """A session on the migrated test database, for domain tests (no app)."""
    with Session(engine, expire_on_commit=False) as db_session:
        yield db_session
