"""A broadcast remembers the dialog run that confirmed it, so a second « oui » cannot send it again.

Revision ID: 0007_broadcast_run_key
Revises: 0005_broadcasts
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_broadcast_run_key"
down_revision = "0005_broadcasts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("broadcast", sa.Column("run_key", sa.String(64), nullable=True))
    op.create_index("ix_broadcast_run_key", "broadcast", ["run_key"], unique=True)


def downgrade() -> None:
    op.drop_index("ix_broadcast_run_key", table_name="broadcast")
    with op.batch_alter_table("broadcast") as batch:
        batch.drop_column("run_key")
