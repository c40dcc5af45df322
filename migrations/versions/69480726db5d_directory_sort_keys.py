"""Directory sort keys: Vietnamese name order of people and units as sortable strings

Revision ID: 69480726db5d
Revises: 0001
Create Date: 2026-11-27 23:58:52.656406

"""
from alembic import op
import sqlalchemy as sa

from meetings.sortkeys import name_key, text_key

# revision identifiers, used by Alembic.
revision = '69480726db5d'
down_revision = '0001'
branch_labels = None
depends_on = None


def _backfill(table: str, source: str, key) -> None:
    conn = op.get_bind()
    rows = conn.execute(sa.text(f"SELECT id, {source} FROM {table}")).all()
    if rows:
        conn.execute(
            sa.text(f"UPDATE {table} SET sort_key = :key WHERE id = :id"),
            [{"id": row[0], "key": key(row[1])} for row in rows],
        )


def upgrade():
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
