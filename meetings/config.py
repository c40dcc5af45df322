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


def _engine_options() -> dict:
    """A connection for each of a worker's threads (gunicorn --threads, at most 16) kept
    open: one opened per request would cost more than the request. A server's connections
    idle for a while are tested before use (meetings.database), so a database restarted
    overnight costs no request."""
    return {"pool_size": 16, "max_overflow": 16}


def _public_base_url() -> str:
    """PUBLIC_BASE_URL, else this machine on the port `make run PORT=…` serves: links and QR
    codes must reach the server that printed them."""
    if url := os.environ.get("PUBLIC_BASE_URL"):
        return url.rstrip("/")
    return f"http://127.0.0.1:{os.environ.get('PORT') or 5000}"


def _trusted_proxies() -> int:
    """How many reverse proxies in front of the app set X-Forwarded-For/-Proto/-Host (0: none,
    the headers are ignored; trusting them without a proxy would let anyone forge them)."""
    value = os.environ.get("TRUSTED_PROXIES", "0").strip() or "0"
    if not value.isdigit():
        raise ValueError(f"TRUSTED_PROXIES must be a number of proxies, got {value!r}")
    return int(value)


# No inline script anywhere (script-src 'self'); inline style attributes stay allowed, since
# the print pages set their letterhead's column split per document and styles run no code.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'self'"
)


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
        "SQLALCHEMY_ENGINE_OPTIONS": _engine_options(),
        "PUBLIC_BASE_URL": _public_base_url(),
        "TRUSTED_PROXIES": _trusted_proxies(),
        "CONTENT_SECURITY_POLICY": CONTENT_SECURITY_POLICY,
        "HSTS_MAX_AGE": int(os.environ.get("HSTS_MAX_AGE", 365 * 24 * 3600)),
        "APP_TIMEZONE": os.environ.get("APP_TIMEZONE", "Asia/Ho_Chi_Minh"),
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        # Counters of several installations (or test runs) sharing one Redis stay apart.
        "RATELIMIT_KEY_PREFIX": os.environ.get("RATELIMIT_KEY_PREFIX", "meetings"),
        "RATELIMIT_HEADERS_ENABLED": True,
        "LOGIN_RATE_LIMIT": os.environ.get("LOGIN_RATE_LIMIT", "10 per minute"),
        "LOGIN_ACCOUNT_RATE_LIMIT": os.environ.get("LOGIN_ACCOUNT_RATE_LIMIT", "10 per 15 minutes"),
        "PUBLIC_CHECKIN_RATE_LIMIT": os.environ.get("PUBLIC_CHECKIN_RATE_LIMIT", "20 per minute"),
        # The venue QR grants a pass for typing the letter's code: how long it lasts, how
        # many codes it may try, and how many wrong codes a conference takes from anyone.
        "SELF_CHECKIN_PASS_SECONDS": int(os.environ.get("SELF_CHECKIN_PASS_SECONDS", "180")),
        "SELF_CHECKIN_PASS_ATTEMPTS": os.environ.get(
            "SELF_CHECKIN_PASS_ATTEMPTS", "5 per 3 minutes"
        ),
        "SELF_CHECKIN_WRONG_CODES": os.environ.get("SELF_CHECKIN_WRONG_CODES", "50 per 10 minutes"),
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
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "WTF_CSRF_TIME_LIMIT": None,
    }
