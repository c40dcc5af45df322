"""Conferences: the secretary typed as free text when not in the directory

Revision ID: 0009d_secretary_text
Revises: 0009a_accounts
Create Date: 2026-12-03 17:40:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0009d_secretary_text'
down_revision = '0009a_accounts'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('conferences', schema=None) as batch_op:
        batch_op.add_column(sa.Column('secretary_text', sa.String(length=300), nullable=True))


def downgrade():
    with op.batch_alter_table('conferences', schema=None) as batch_op:
        batch_op.drop_column('secretary_text')
