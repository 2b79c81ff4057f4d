"""Entry point of a solve worker process: ``python -m app.scheduler._solve_worker``.

See :func:`app.scheduler.remote.solve_in_worker`.
"""

from app.scheduler.remote import solve_worker

if __name__ == "__main__":
    solve_worker()
