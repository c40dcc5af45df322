"""`flask db upgrade` on an empty database gives exactly the schema of the models."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from meetings.extensions import db
from tests.conftest import make_test_app
from tests.support.databases import fresh_database_url


@pytest.mark.no_db_session
def test_migrations_match_the_models(tmp_path):
    app = make_test_app(fresh_database_url("migrations", tmp_path), tmp_path)
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            diff = compare_metadata(context, db.metadata)
        assert diff == []
        downgrade(revision="base")
        db.engine.dispose()
