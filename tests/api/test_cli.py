"""`flask --app meetings prune-api-nonces`: stored answers are forgotten after a week."""

from datetime import timedelta

from sqlalchemy import func, select

from meetings.clock import now
from meetings.extensions import db
from meetings.models import ApiNonce
from tests import factories


def _nonces() -> set[str]:
    return set(db.session.scalars(select(ApiNonce.nonce)))


def test_old_answers_are_pruned_recent_ones_kept(app):
    token = factories.make_api_token()
    factories.make_api_nonce(token, nonce="old", created_at=now() - timedelta(days=8))
    factories.make_api_nonce(token, nonce="recent", created_at=now() - timedelta(days=2))
    result = app.test_cli_runner().invoke(args=["prune-api-nonces"])
    assert result.exit_code == 0, result.output
    assert "1 stored answer(s) forgotten." in result.output
    assert _nonces() == {"recent"}


def test_answers_are_kept_while_scans_may_be_replayed(app):
    factories.make_api_nonce(created_at=now() - timedelta(hours=1))
    result = app.test_cli_runner().invoke(args=["prune-api-nonces", "--days", "0"])
    assert result.exit_code != 0
    assert db.session.scalar(select(func.count()).select_from(ApiNonce)) == 1
