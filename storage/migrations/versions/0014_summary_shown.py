"""When each person was last sent or shown the summary, and which one: a digest skips a person who
read the same summary earlier that day.

Revision ID: 0014_summary_shown
Revises: 0007_broadcast_run_key
"""

import sqlalchemy as sa
from alembic import op

revision = "0014_summary_shown"
down_revision = "0007_broadcast_run_key"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "summary_shown",
        sa.Column("person_id", sa.Integer(), sa.ForeignKey("person.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("shown_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("summary_shown")
