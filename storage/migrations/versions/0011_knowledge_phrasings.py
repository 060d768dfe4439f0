"""Phrasings the lead attached to an entry (an unanswered question an entry already answers).

Revision ID: 0011_knowledge_phrasings
Revises: 0002_knowledge
"""

import sqlalchemy as sa
from alembic import op

revision = "0011_knowledge_phrasings"
down_revision = "0002_knowledge"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "knowledge_phrasing",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("entry_id", sa.String(80), nullable=False, index=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("added_by", sa.Integer(), sa.ForeignKey("person.id"), nullable=True),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("knowledge_phrasing")
