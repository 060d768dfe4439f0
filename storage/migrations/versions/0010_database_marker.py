"""A marker row written with the database: the health check tells the database the bot started on
from a restored, recreated or swapped one.

Revision ID: 0010_database_marker
Revises: 0001_foundation
"""

import uuid

import sqlalchemy as sa
from alembic import op

revision = "0010_database_marker"
down_revision = "0001_foundation"
branch_labels = ("health",)
depends_on = None


def upgrade() -> None:
    marker = op.create_table(
        "database_marker",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("token", sa.String(32), nullable=False),
        sa.Column("checked_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.bulk_insert(marker, [{"id": 1, "token": uuid.uuid4().hex, "checked_at": None}])


def downgrade() -> None:
    op.drop_table("database_marker")
