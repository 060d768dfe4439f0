"""A count indicator may say what it counts (catalogue column `unite_libelle`): « 2 repas végétariens ».

Revision ID: 0012_indicator_counted_noun
Revises: 0008_indicator_rules
"""

import sqlalchemy as sa
from alembic import op

revision = "0012_indicator_counted_noun"
down_revision = "0008_indicator_rules"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("indicator") as batch:
        batch.add_column(sa.Column("counted_noun", sa.String(60), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("indicator") as batch:
        batch.drop_column("counted_noun")
