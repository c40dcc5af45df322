"""Entry point for gunicorn: `gunicorn wsgi:app`."""

from meetings import create_app

app = create_app()
