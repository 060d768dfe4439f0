"""Broadcasts (audit trail), weekly summary subscriptions, and the COPIL digests already queued.

Revision ID: 0005_broadcasts
Revises: 0001_foundation
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_broadcasts"
down_revision = "0001_foundation"
branch_labels = ("broadcasts",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "broadcast",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("author_id", sa.Integer(), sa.ForeignKey("person.id"), nullable=False),
        sa.Column("audience_kind", sa.String(16), nullable=False),
        sa.Column("audience_label", sa.String(300), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("recipient_count", sa.Integer(), nullable=False),
        sa.Column("sent_count", sa.Integer(), nullable=False),
        sa.Column("failed_count", sa.Integer(), nullable=False),
        sa.Column("unreachable_count", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reported_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_broadcast_author_id", "broadcast", ["author_id"])

    op.create_table(
        "summary_subscription",
        sa.Column("person_id", sa.Integer(), sa.ForeignKey("person.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("weekly", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )

    op.create_table(
        "copil_digest",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("recipient_count", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("meeting_id", "revision", name="uq_copil_digest_meeting_revision"),
    )


def downgrade() -> None:
    op.drop_table("copil_digest")
    op.drop_table("summary_subscription")
    op.drop_index("ix_broadcast_author_id", table_name="broadcast")
    op.drop_table("broadcast")
