"""Activity claims complete with their turn: a claim left incomplete by a crash can be taken over.

Rows from before this revision were claims of turns that ran: they count as completed.

Revision ID: 0006_activity_claims
Revises: 0001_foundation
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_activity_claims"
down_revision = "0001_foundation"
branch_labels = ("activity_claims",)
depends_on = None


def upgrade() -> None:
    op.add_column("processed_activity", sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True))
    op.execute("UPDATE processed_activity SET completed_at = received_at")


def downgrade() -> None:
    with op.batch_alter_table("processed_activity") as batch:
        batch.drop_column("completed_at")
