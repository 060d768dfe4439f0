"""Indicators: the catalogue, the responsible directorates, and every reported value (audit trail).

Revision ID: 0003_indicators
Revises: 0001_foundation
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_indicators"
down_revision = "0001_foundation"
branch_labels = ("indicators",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "indicator",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("code", sa.String(32), nullable=False),
        sa.Column("label", sa.String(200), nullable=False),
        sa.Column("axis", sa.String(32), nullable=False),
        sa.Column("unit", sa.String(16), nullable=False),
        sa.Column("frequency", sa.String(16), nullable=False),
        sa.Column("baseline", sa.Numeric(19, 4), nullable=True),
        sa.Column("target", sa.Numeric(19, 4), nullable=True),
        sa.Column("target_year", sa.Integer(), nullable=True),
        sa.Column("direction", sa.String(8), nullable=False),
        sa.Column("source", sa.String(300), nullable=False),
        sa.Column("preexisting", sa.Boolean(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_indicator_code", "indicator", ["code"], unique=True)

    op.create_table(
        "indicator_directorate",
        sa.Column(
            "indicator_id", sa.Integer(), sa.ForeignKey("indicator.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("directorate_id", sa.Integer(), sa.ForeignKey("directorate.id"), primary_key=True),
    )
    op.create_index("ix_indicator_directorate_directorate_id", "indicator_directorate", ["directorate_id"])

    op.create_table(
        "indicator_value",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("indicator_id", sa.Integer(), sa.ForeignKey("indicator.id"), nullable=False),
        sa.Column("directorate_id", sa.Integer(), sa.ForeignKey("directorate.id"), nullable=False),
        sa.Column("period", sa.String(16), nullable=False),
        sa.Column("value", sa.Numeric(19, 4), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("entered_by_id", sa.Integer(), sa.ForeignKey("person.id"), nullable=False),
        sa.Column("entered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("previous_value_id", sa.Integer(), sa.ForeignKey("indicator_value.id"), nullable=True),
        sa.Column("previous_value", sa.Numeric(19, 4), nullable=True),
        sa.Column("current_key", sa.String(120), nullable=True),
        sa.Column("submission_key", sa.String(300), nullable=True),
    )
    op.create_index("ix_indicator_value_indicator_id", "indicator_value", ["indicator_id"])
    op.create_index("ix_indicator_value_directorate_id", "indicator_value", ["directorate_id"])
    op.create_index("ix_indicator_value_current_key", "indicator_value", ["current_key"], unique=True)
    op.create_index("ix_indicator_value_submission_key", "indicator_value", ["submission_key"], unique=True)


def downgrade() -> None:
    op.drop_table("indicator_value")
    op.drop_table("indicator_directorate")
    op.drop_table("indicator")
