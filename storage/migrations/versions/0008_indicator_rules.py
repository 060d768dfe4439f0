"""Indicators carry their definition, how directorates' values aggregate, and where values come from.

Revision ID: 0008_indicator_rules
Revises: 0003_indicators
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_indicator_rules"
down_revision = "0003_indicators"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("indicator") as batch:
        batch.add_column(sa.Column("definition", sa.Text(), nullable=True))
        batch.add_column(sa.Column("aggregation", sa.String(24), nullable=True))
        batch.add_column(sa.Column("weighting_base", sa.String(32), nullable=True))
        batch.add_column(sa.Column("computation", sa.String(40), nullable=False, server_default="saisie"))


def downgrade() -> None:
    with op.batch_alter_table("indicator") as batch:
        for column in ("computation", "weighting_base", "aggregation", "definition"):
            batch.drop_column(column)
