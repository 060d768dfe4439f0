"""Knowledge base: the lead's answers, the organisation's SPASER sections, unanswered questions.

Revision ID: 0002_knowledge
Revises: 0001_foundation
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_knowledge"
down_revision = "0001_foundation"
branch_labels = ("knowledge",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "knowledge_entry",
        sa.Column("id", sa.String(80), primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("questions_json", sa.Text(), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("source", sa.String(500), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.Integer(), sa.ForeignKey("person.id"), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_knowledge_entry_kind", "knowledge_entry", ["kind"])
    op.create_table(
        "organisation_document",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("filename", sa.String(255), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("section_count", sa.Integer(), nullable=False),
        sa.Column("imported_by", sa.Integer(), sa.ForeignKey("person.id"), nullable=True),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "unanswered_question",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("asked_by", sa.Integer(), sa.ForeignKey("person.id"), nullable=True),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answered_entry_id", sa.String(80), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_unanswered_question_asked_at", "unanswered_question", ["asked_at"])


def downgrade() -> None:
    op.drop_table("unanswered_question")
    op.drop_table("organisation_document")
    op.drop_table("knowledge_entry")
