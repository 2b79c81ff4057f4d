"""Entry point of an annealing search worker process (``app.scheduler._worker``, started by
:class:`app.scheduler.workers.WorkerProcess`).

See :func:`app.scheduler.search.anneal_restarts`; the work itself is in
:func:`app.scheduler.search.work`, so the pickled job's classes are the module's own.
"""

from app.scheduler.search import work

if __name__ == "__main__":
    work()
