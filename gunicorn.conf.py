"""gunicorn's settings for the meetings app. gunicorn reads ./gunicorn.conf.py by itself when it
starts in the project root (`make serve`, or `gunicorn -k gthread --threads 16 -w 2 wsgi:app`);
with `-c OTHER_FILE`, import this hook there."""

import gc

from meetings.ratelimits import check_served_app

# Each worker listens on its own socket and the kernel spreads connections evenly between
# them. On one shared socket the worker that wakes first accepts a burst of keep-alive
# connections: in the check-in benchmark one worker took 97% of the scans and the other idled.
reuse_port = True


def post_worker_init(worker) -> None:
    """A worker refuses to boot when its rate-limit counters would be its own: gunicorn then
    stops with the reason ("Worker failed to boot") instead of serving with limits multiplied
    by the number of workers.

    Then it freezes what loading the app made (modules, metadata, translations), which lives as
    long as the worker: a full garbage collection would otherwise walk all of it. In the
    check-in benchmark those pauses took 80-100 ms, stalling every scan of the worker and, on
    SQLite, the other worker's writers queued behind it; frozen, no group took over 50 ms."""
    check_served_app(worker.wsgi, worker.cfg.workers)
    gc.freeze()
