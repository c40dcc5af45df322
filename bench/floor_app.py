"""The machine's floor for bench/checkin_load.py: a WSGI app with no framework and no work.

Served by the same gunicorn workers and threads and fired at by the same client, it shows
the fastest and the shortest-tailed any endpoint can be on this machine at that concurrency.
"""

BODY = b'{"status": "ok"}'
HEADERS = [("Content-Type", "application/json"), ("Content-Length", str(len(BODY)))]


def app(environ, start_response):
    start_response("200 OK", HEADERS)
    return [BODY]
