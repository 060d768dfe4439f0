"""Foundation: directorates, people, conversation references, bot state, processed activities.

Revision ID: 0001_foundation
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001_foundation"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "directorate",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("code", sa.String(32), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_directorate_code", "directorate", ["code"], unique=True)
    op.create_table(
        "person",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.Column("aad_object_id", sa.String(64), nullable=True),
        sa.Column("email", sa.String(320), nullable=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("role", sa.String(16), nullable=True),
        sa.Column("directorate_id", sa.Integer(), sa.ForeignKey("directorate.id"), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("tenant_id", "aad_object_id", name="uq_person_identity"),
    )
    op.create_index("ix_person_email", "person", ["email"], unique=True)
    op.create_table(
        "conversation_ref",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("conversation_id", sa.String(512), nullable=False),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.Column("aad_object_id", sa.String(64), nullable=True),
        sa.Column("conversation_type", sa.String(32), nullable=False),
        sa.Column("service_url", sa.String(512), nullable=False),
        sa.Column("reference_json", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_conversation_ref_conversation_id", "conversation_ref", ["conversation_id"], unique=True)
    op.create_index("ix_conversation_ref_aad_object_id", "conversation_ref", ["aad_object_id"])
    op.create_table(
        "bot_state",
        sa.Column("key", sa.String(512), primary_key=True),
        sa.Column("etag", sa.String(64), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "processed_activity",
        sa.Column("activity_key", sa.String(600), primary_key=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_processed_activity_received_at", "processed_activity", ["received_at"])


def downgrade() -> None:
    op.drop_table("processed_activity")
    op.drop_table("bot_state")
    op.drop_table("conversation_ref")
    op.drop_table("person")
    op.drop_table("directorate")
