"""An indicator may carry a legal floor or ceiling (catalogue columns `seuil_legal`, `base_legale`):
a value below the loi EGalim's 50 % is said to be so, whatever its trajectory.

Revision ID: 0018_legal_floor
Revises: 0016_data_versions_first (0017 is added in parallel; the lead rechains at merge)
"""

import sqlalchemy as sa
from alembic import op

revision = "0018_legal_floor"
down_revision = "0016_data_versions_first"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("indicator") as batch:
        batch.add_column(sa.Column("legal_threshold", sa.Numeric(19, 4), nullable=True))
        batch.add_column(sa.Column("legal_basis", sa.String(120), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("indicator") as batch:
        batch.drop_column("legal_basis")
        batch.drop_column("legal_threshold")
