"""Committees: types (seeded with the recommended cadence), members, meetings, reminders,
calendar tokens, and the outbox of proactive deliveries.

Revision ID: 0004_committees
Revises: 0001_foundation
"""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0004_committees"
down_revision = "0001_foundation"
branch_labels = ("committees",)
depends_on = None


def _timestamps() -> list[sa.Column]:
    return [sa.Column("created_at", sa.DateTime(timezone=True), nullable=False)]


def upgrade() -> None:
    committee_type = op.create_table(
        "committee_type",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("label", sa.String(100), nullable=False),
        sa.Column("participants", sa.String(200), nullable=False),
        sa.Column("min_per_year", sa.Integer(), nullable=False),
        sa.Column("max_per_year", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_committee_type_kind", "committee_type", ["kind"], unique=True)
    # The founding text: 1 to 2 a year with the élu·es, 3 to 4 a year with the directorates.
    seeded_at = datetime.now(UTC)
    op.bulk_insert(
        committee_type,
        [
            dict(kind="copil", label="Comité de pilotage", participants="les élu·es", min_per_year=1, max_per_year=2,
                 updated_at=seeded_at),
            dict(kind="cotech", label="Comité technique", participants="les directions concernées par le SPASER",
                 min_per_year=3, max_per_year=4, updated_at=seeded_at),
        ],
    )

    op.create_table(
        "committee_member",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("person_id", sa.Integer(), sa.ForeignKey("person.id"), nullable=True),
        sa.Column("conversation_id", sa.String(512), nullable=True),
        sa.Column("label", sa.String(200), nullable=False),
        *_timestamps(),
        sa.UniqueConstraint("kind", "person_id", name="uq_committee_member_person"),
        sa.UniqueConstraint("kind", "conversation_id", name="uq_committee_member_conversation"),
    )
    op.create_index("ix_committee_member_kind", "committee_member", ["kind"])

    op.create_table(
        "meeting",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("location", sa.String(300), nullable=True),
        sa.Column("teams_url", sa.String(1000), nullable=True),
        sa.Column("agenda", sa.Text(), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("created_by_id", sa.Integer(), sa.ForeignKey("person.id"), nullable=True),
        *_timestamps(),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_meeting_kind", "meeting", ["kind"])
    op.create_index("ix_meeting_starts_at", "meeting", ["starts_at"])

    op.create_table(
        "reminder",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("meeting_id", sa.Integer(), sa.ForeignKey("meeting.id"), nullable=False),
        sa.Column("audience", sa.String(32), nullable=False),
        sa.Column("offset_days", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("send_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("meeting_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        *_timestamps(),
    )
    op.create_index("ix_reminder_key", "reminder", ["key"], unique=True)
    op.create_index("ix_reminder_meeting_id", "reminder", ["meeting_id"])
    op.create_index("ix_reminder_send_at", "reminder", ["send_at"])
    op.create_index("ix_reminder_state", "reminder", ["state"])

    op.create_table(
        "calendar_token",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("person_id", sa.Integer(), sa.ForeignKey("person.id"), nullable=False),
        sa.Column("token", sa.String(64), nullable=False),
        *_timestamps(),
    )
    op.create_index("ix_calendar_token_person_id", "calendar_token", ["person_id"], unique=True)
    op.create_index("ix_calendar_token_token", "calendar_token", ["token"], unique=True)

    op.create_table(
        "delivery",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("key", sa.String(300), nullable=False),
        sa.Column("source_kind", sa.String(32), nullable=False),
        sa.Column("source_id", sa.String(64), nullable=False),
        sa.Column("person_id", sa.Integer(), sa.ForeignKey("person.id"), nullable=True),
        sa.Column("conversation_id", sa.String(512), nullable=True),
        sa.Column("recipient_label", sa.String(200), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("card_json", sa.Text(), nullable=True),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("next_try_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.String(500), nullable=True),
        sa.Column("activity_id", sa.String(200), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("lead_notified_at", sa.DateTime(timezone=True), nullable=True),
        *_timestamps(),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_delivery_key", "delivery", ["key"], unique=True)
    op.create_index("ix_delivery_source_id", "delivery", ["source_id"])
    op.create_index("ix_delivery_person_id", "delivery", ["person_id"])
    op.create_index("ix_delivery_state_next_try_at", "delivery", ["state", "next_try_at"])


def downgrade() -> None:
    op.drop_table("delivery")
    op.drop_table("calendar_token")
    op.drop_table("reminder")
    op.drop_table("meeting")
    op.drop_table("committee_member")
    op.drop_table("committee_type")
