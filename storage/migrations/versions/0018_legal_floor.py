"""An indicator may carry a legal floor or ceiling (catalogue columns `seuil_legal`, `base_legale`):
a value below the loi EGalim's 50 % is said to be so, whatever its trajectory.

Revision ID: 0018_legal_floor
Revises: 0017_value_source

Plain ALTER TABLE, not batch mode: a batch rebuild drops and recreates `indicator`, which SQLite's
foreign keys refuse once values point at it (SQLite has dropped columns natively since 3.35).
"""

import sqlalchemy as sa
from alembic import op

revision = "0018_legal_floor"
down_revision = "0017_value_source"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("indicator", sa.Column("legal_threshold", sa.Numeric(19, 4), nullable=True))
    op.add_column("indicator", sa.Column("legal_basis", sa.String(120), nullable=True))


def downgrade() -> None:
    op.drop_column("indicator", "legal_basis")
    op.drop_column("indicator", "legal_threshold")
