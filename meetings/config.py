"""Configuration read from the environment, with safe local defaults."""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def _secret_key(instance_path: Path) -> str:
    """SECRET_KEY from the environment, else one generated once into instance/."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    path = instance_path / "secret_key"
    if not path.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def _engine_options(database_url: str) -> dict:
    """A server's pool hands out the most recently used connection first: it has the check-in
    statements prepared, and those left idle are the ones tested before use (see
    meetings.database). SQLite needs neither, and its in-memory pool refuses the option."""
    return {} if database_url.startswith("sqlite") else {"pool_use_lifo": True}


def _scan_writer_socket() -> str | None:
    """The scan writer's socket, which gunicorn's configuration (meetings.serving) sets."""
    value = os.environ.get("MEETINGS_SCAN_WRITER", "")
    return None if value in ("", "off") else value


def _flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in ("1", "true", "yes", "on")


def _mail_config() -> dict:
    """SMTP settings under Flask-Mail's names, from the environment."""
    return {
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", "127.0.0.1"),
        "MAIL_PORT": int(os.environ.get("MAIL_PORT", "25")),
        "MAIL_USE_TLS": _flag("MAIL_USE_TLS"),
        "MAIL_USE_SSL": _flag("MAIL_USE_SSL"),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME") or None,
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD") or None,
        "MAIL_DEFAULT_SENDER": os.environ.get("MAIL_DEFAULT_SENDER") or None,
        "MAIL_TIMEOUT": float(os.environ.get("MAIL_TIMEOUT", "30")),
    }


def load_config(instance_path: Path) -> dict:
    """The app's settings: environment first, defaults for a single local machine."""
    database_url = os.environ.get("DATABASE_URL", f"sqlite:///{instance_path / 'meetings.sqlite3'}")
    return {
        "SECRET_KEY": _secret_key(instance_path),
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": _engine_options(database_url),
        "PUBLIC_BASE_URL": os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000").rstrip("/"),
        "APP_TIMEZONE": os.environ.get("APP_TIMEZONE", "Asia/Ho_Chi_Minh"),
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        "SCAN_WRITER_SOCKET": _scan_writer_socket(),
        "RATELIMIT_HEADERS_ENABLED": True,
        "LOGIN_RATE_LIMIT": os.environ.get("LOGIN_RATE_LIMIT", "10 per minute"),
        "LOGIN_ACCOUNT_RATE_LIMIT": os.environ.get("LOGIN_ACCOUNT_RATE_LIMIT", "10 per 15 minutes"),
        "PUBLIC_CHECKIN_RATE_LIMIT": os.environ.get("PUBLIC_CHECKIN_RATE_LIMIT", "20 per minute"),
        # Jobs: the queue in instance/jobs.sqlite3 unless JOBS_URL is redis://…; their files in
        # JOBS_RESULTS_DIR (instance/jobs/), a folder every app server must read.
        "JOBS_URL": os.environ.get("JOBS_URL", ""),
        "JOBS_RESULTS_DIR": os.environ.get("JOBS_RESULTS_DIR", ""),
        "JOBS_QUEUE_NAME": os.environ.get("JOBS_QUEUE_NAME", "meetings"),
        **_mail_config(),
        "BOOTSTRAP_SERVE_LOCAL": True,
        "BABEL_DEFAULT_LOCALE": "vi",
        "BABEL_DEFAULT_TIMEZONE": "Asia/Ho_Chi_Minh",
        "LANGUAGES": ["vi", "en"],
        "MAX_CONTENT_LENGTH": 16 * 1024 * 1024,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "WTF_CSRF_TIME_LIMIT": None,
    }
