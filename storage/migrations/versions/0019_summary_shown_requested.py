"""Whether a person asked for the summary they were last shown, or a digest sent it to them: the
lead is told « a déjà consulté » or « a déjà reçu la synthèse » accordingly (reader 14, B3).

Revision ID: 0019_summary_shown_requested
Revises: 0014_summary_shown
"""

import sqlalchemy as sa
from alembic import op

revision = "0019_summary_shown_requested"
down_revision = "0014_summary_shown"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("summary_shown", sa.Column("requested", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    op.drop_column("summary_shown", "requested")
