"""gunicorn's settings for the meetings app. gunicorn reads ./gunicorn.conf.py by itself when it
starts in the project root (`make serve`, or `gunicorn -k gthread --threads 16 -w 2 wsgi:app`);
with `-c OTHER_FILE`, import this hook there."""

from meetings.ratelimits import check_served_app

# Each worker listens on its own socket and the kernel spreads connections evenly between
# them. On one shared socket the worker that wakes first accepts a burst of keep-alive
# connections: in the check-in benchmark one worker took 97% of the scans and the other idled.
reuse_port = True


def post_worker_init(worker) -> None:
    """A worker refuses to boot when its rate-limit counters would be its own: gunicorn then
    stops with the reason ("Worker failed to boot") instead of serving with limits multiplied
    by the number of workers."""
    check_served_app(worker.wsgi, worker.cfg.workers)
