"""SQLite writers of one process take turns on a lock that wakes the next one at once."""

from __future__ import annotations

import threading
import time

import sqlalchemy as sa

from app.db import make_engine


def _table(engine: sa.Engine) -> None:
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE IF NOT EXISTS tally (n INTEGER)")


def test_a_second_writer_waits_for_the_first_to_commit(tmp_path) -> None:  # type: ignore[no-untyped-def]
    engine = make_engine(f"sqlite:///{tmp_path / 'w.db'}")
    _table(engine)
    first_wrote = threading.Event()
    committed_at: list[float] = []
    second_done_at: list[float] = []

    def first() -> None:
        with engine.connect() as connection:
            connection.exec_driver_sql("INSERT INTO tally VALUES (1)")
            first_wrote.set()
            time.sleep(0.3)  # holds the write transaction open
            connection.commit()
            committed_at.append(time.monotonic())

    def second() -> None:
        first_wrote.wait()
        with engine.connect() as connection:
            connection.exec_driver_sql("INSERT INTO tally VALUES (2)")
            connection.commit()
            second_done_at.append(time.monotonic())

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert second_done_at[0] >= committed_at[0]  # (how much sooner than SQLite's busy handler: bench/live_load.py)
    with engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT count(*) FROM tally").scalar() == 2


def test_rollback_and_a_dropped_connection_give_the_lock_back(tmp_path) -> None:  # type: ignore[no-untyped-def]
    engine = make_engine(f"sqlite:///{tmp_path / 'w.db'}")
    _table(engine)
    with engine.connect() as connection:
        connection.exec_driver_sql("INSERT INTO tally VALUES (1)")
        connection.rollback()
    with engine.connect() as connection:
        connection.exec_driver_sql("INSERT INTO tally VALUES (2)")
        connection.invalidate()  # the connection is thrown away mid-transaction
    with engine.connect() as connection:  # would wait 30 s if the lock had leaked
        connection.exec_driver_sql("INSERT INTO tally VALUES (3)")
        connection.commit()
        assert connection.exec_driver_sql("SELECT n FROM tally").scalars().all() == [3]


def test_many_threads_writing_at_once_lose_nothing(tmp_path) -> None:  # type: ignore[no-untyped-def]
    engine = make_engine(f"sqlite:///{tmp_path / 'w.db'}")
    _table(engine)

    def write(n: int) -> None:
        for i in range(20):
            with engine.begin() as connection:
                connection.exec_driver_sql("SELECT count(*) FROM tally").scalar()
                connection.exec_driver_sql(f"INSERT INTO tally VALUES ({n * 100 + i})")

    threads = [threading.Thread(target=write, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    with engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT count(DISTINCT n) FROM tally").scalar() == 160
