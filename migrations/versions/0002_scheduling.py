"""Scheduling: a planned start per agenda item, a calendar feed token per organising body

Revision ID: 0002_scheduling
Revises: 0001
Create Date: 2026-11-27 23:58:43.008198

"""
import secrets

import sqlalchemy as sa
from alembic import op

revision = "0002_scheduling"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("agenda_items", schema=None) as batch_op:
        batch_op.add_column(sa.Column("planned_start", sa.DateTime(), nullable=True))

    # Existing bodies get their own random token before the column becomes NOT NULL.
    with op.batch_alter_table("organising_bodies", schema=None) as batch_op:
        batch_op.add_column(sa.Column("calendar_token", sa.String(length=43), nullable=True))
    bodies = sa.table("organising_bodies", sa.column("id", sa.Integer), sa.column("calendar_token"))
    connection = op.get_bind()
    for (body_id,) in connection.execute(sa.select(bodies.c.id)).all():
        connection.execute(
            bodies.update()
            .where(bodies.c.id == body_id)
            .values(calendar_token=secrets.token_urlsafe(16))
        )
    with op.batch_alter_table("organising_bodies", schema=None) as batch_op:
        batch_op.alter_column("calendar_token", existing_type=sa.String(length=43), nullable=False)
        batch_op.create_unique_constraint(
            batch_op.f("uq_organising_bodies_calendar_token"), ["calendar_token"]
        )


def downgrade():
    with op.batch_alter_table("organising_bodies", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_organising_bodies_calendar_token"), type_="unique")
        batch_op.drop_column("calendar_token")

    with op.batch_alter_table("agenda_items", schema=None) as batch_op:
        batch_op.drop_column("planned_start")
