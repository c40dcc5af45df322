"""Letters' issue date and signer position; the recipients blocks of letters and minutes

Revision ID: 0009c_document_closing
Revises: 0009e_study_rounds

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009c_document_closing'
down_revision = '0009e_study_rounds'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('conferences', schema=None) as batch_op:
        batch_op.add_column(sa.Column('letters_date', sa.Date(), nullable=True))
        batch_op.add_column(
            sa.Column('letters_signer_position', sa.String(length=100), nullable=True)
        )
        batch_op.add_column(sa.Column('minutes_recipients', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('letters_recipients', sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table('conferences', schema=None) as batch_op:
        batch_op.drop_column('letters_recipients')
        batch_op.drop_column('minutes_recipients')
        batch_op.drop_column('letters_signer_position')
        batch_op.drop_column('letters_date')
