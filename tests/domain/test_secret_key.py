"""The install's secret key, made once in the database even when workers start together."""

from __future__ import annotations

import threading

import sqlalchemy as sa

from app.security import load_or_create_secret_key


def test_workers_starting_together_agree_on_one_secret_key(engine: sa.Engine) -> None:
    with engine.begin() as connection:
        connection.exec_driver_sql("DELETE FROM instance_setting WHERE key = 'secret_key'")
    starting = 8
    barrier = threading.Barrier(starting)
    keys: list[str] = []
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            barrier.wait()
            keys.append(load_or_create_secret_key(engine))
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=worker) for _ in range(starting)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(keys) == starting and len(set(keys)) == 1
    assert len(keys[0]) >= 48
    with engine.connect() as connection:
        rows = connection.exec_driver_sql("SELECT value FROM instance_setting WHERE key = 'secret_key'").all()
    assert [r[0] for r in rows] == [keys[0]]
    assert load_or_create_secret_key(engine) == keys[0]  # a restart reads the same key
