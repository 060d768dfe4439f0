"""The facts a delivery is about (its meeting, and whether it is the reminder, the summary, a move
or a cancellation): the lead's report names a message from them, never from its text.

Revision ID: 0015_delivery_about
Revises: 0009_tenant
"""

import sqlalchemy as sa
from alembic import op

revision = "0015_delivery_about"
down_revision = "0009_tenant"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("delivery") as batch:
        batch.add_column(sa.Column("about_json", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("delivery") as batch:
        batch.drop_column("about_json")
