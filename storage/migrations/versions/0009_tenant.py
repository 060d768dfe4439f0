"""Microsoft 365 tenant: the Outlook invitation of each meeting, and deliveries that waited for the
app to be installed (the lead is told « installé et prévenu »).

Revision ID: 0009_tenant
Revises: 0001_foundation
"""

import sqlalchemy as sa
from alembic import op

revision = "0009_tenant"
down_revision = "0001_foundation"
branch_labels = ("tenant",)
depends_on = "0004_committees"


def upgrade() -> None:
    op.add_column("delivery", sa.Column("installed_at", sa.DateTime(timezone=True), nullable=True))
    op.create_index("ix_delivery_installed_at", "delivery", ["installed_at"])
    op.create_table(
        "meeting_event",
        sa.Column("meeting_id", sa.Integer(), sa.ForeignKey("meeting.id"), primary_key=True, autoincrement=False),
        sa.Column("transaction_id", sa.String(64), nullable=False),
        sa.Column("event_id", sa.String(512), nullable=True),
        sa.Column("join_url", sa.String(1000), nullable=True),
        sa.Column("synced_sequence", sa.Integer(), nullable=True),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("meeting_event")
    op.drop_index("ix_delivery_installed_at", table_name="delivery")
    with op.batch_alter_table("delivery") as batch:
        batch.drop_column("installed_at")
