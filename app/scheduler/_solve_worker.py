"""Entry point of a solve worker process (``app.scheduler._solve_worker``, started by
:class:`app.scheduler.workers.WorkerProcess`). See :func:`app.scheduler.remote.solve_in_worker`.
"""

from app.scheduler.remote import solve_worker

if __name__ == "__main__":
    solve_worker()
