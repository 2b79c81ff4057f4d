"""Entry point of a bound worker process (``app.scheduler._bound_worker``, started by
:class:`app.scheduler.workers.WorkerProcess`). See :func:`app.scheduler.bound.prove_in_worker`.
"""

from app.scheduler.bound import bound_worker

if __name__ == "__main__":
    bound_worker()
