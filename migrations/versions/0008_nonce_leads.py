"""API nonces: the unique key leads with the nonce

Revision ID: 0008_nonce_leads
Revises: 0007_minutes_signer
Create Date: 2026-11-28 02:10:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0008_nonce_leads'
down_revision = '0007_minutes_signer'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('api_nonces', schema=None) as batch_op:
        batch_op.drop_constraint('uq_api_nonces_api_token_id_nonce', type_='unique')
        batch_op.create_unique_constraint(
            batch_op.f('uq_api_nonces_nonce_api_token_id'), ['nonce', 'api_token_id']
        )


def downgrade():
    with op.batch_alter_table('api_nonces', schema=None) as batch_op:
        batch_op.drop_constraint('uq_api_nonces_nonce_api_token_id', type_='unique')
        batch_op.create_unique_constraint(
            batch_op.f('uq_api_nonces_api_token_id_nonce'), ['api_token_id', 'nonce']
        )
