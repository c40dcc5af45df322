"""Directory: Vietnamese sort keys of people and units; invitations keep people as they were

Revision ID: 0004_directory
Revises: 0003_checkin
Create Date: 2026-11-28 00:13:46.696033

"""
from alembic import op
import sqlalchemy as sa

from meetings.sortkeys import name_key, text_key

# revision identifiers, used by Alembic.
revision = "0004_directory"
down_revision = "0003_checkin"
branch_labels = None
depends_on = None


def _backfill(table: str, source: str, key) -> None:
    """Sort keys of the rows that exist already (new rows get theirs from the models)."""
    conn = op.get_bind()
    rows = conn.execute(sa.text(f"SELECT id, {source} FROM {table}")).all()
    if rows:
        conn.execute(
            sa.text(f"UPDATE {table} SET sort_key = :key WHERE id = :id"),
            [{"id": row[0], "key": key(row[1])} for row in rows],
        )


def upgrade():
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('person_name', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('person_position', sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column('person_unit', sa.String(length=200), nullable=True))

    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('sort_key', sa.String(length=400), nullable=False, server_default='')
        )
        batch_op.create_index(batch_op.f('ix_people_sort_key'), ['sort_key'], unique=False)

    with op.batch_alter_table('units', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('sort_key', sa.String(length=400), nullable=False, server_default='')
        )
    _backfill("people", "full_name", name_key)
    _backfill("units", "name", text_key)


def downgrade():
    with op.batch_alter_table('units', schema=None) as batch_op:
        batch_op.drop_column('sort_key')

    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_people_sort_key'))
        batch_op.drop_column('sort_key')

    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.drop_column('person_unit')
        batch_op.drop_column('person_position')
        batch_op.drop_column('person_name')
