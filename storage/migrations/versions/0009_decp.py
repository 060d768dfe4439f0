"""The body's contracts from its DECP, each import, the source of each computed value, and the public SPASER page.

Revision ID: 0009_decp
Revises: 0001_foundation
"""

import sqlalchemy as sa
from alembic import op

revision = "0009_decp"
down_revision = "0001_foundation"
branch_labels = ("decp",)
depends_on = ("0003_indicators",)


def upgrade() -> None:
    op.create_table(
        "decp_import",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("filename", sa.String(255), nullable=False),
        sa.Column("imported_by_id", sa.Integer(), sa.ForeignKey("person.id"), nullable=True),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sirets", sa.String(600), nullable=False),
        sa.Column("records", sa.Integer(), nullable=False),
        sa.Column("new_contracts", sa.Integer(), nullable=False),
        sa.Column("updated_contracts", sa.Integer(), nullable=False),
        sa.Column("unchanged_contracts", sa.Integer(), nullable=False),
        sa.Column("merged", sa.Integer(), nullable=False),
        sa.Column("refused", sa.Integer(), nullable=False),
        sa.Column("report_json", sa.Text(), nullable=False),
    )
    op.create_table(
        "decp_contract",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("uid", sa.String(80), nullable=False),
        sa.Column("buyer_siret", sa.String(14), nullable=False),
        sa.Column("contract_id", sa.String(64), nullable=False),
        sa.Column("object", sa.String(300), nullable=False),
        sa.Column("notified_on", sa.Date(), nullable=False),
        sa.Column("amount", sa.Numeric(19, 4), nullable=False),
        sa.Column("social", sa.String(120), nullable=False),
        sa.Column("environmental", sa.String(120), nullable=False),
        sa.Column("modification_count", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(40), nullable=False),
        sa.Column("first_import_id", sa.Integer(), sa.ForeignKey("decp_import.id"), nullable=False),
        sa.Column("last_import_id", sa.Integer(), sa.ForeignKey("decp_import.id"), nullable=False),
    )
    op.create_index("ix_decp_contract_uid", "decp_contract", ["uid"], unique=True)
    op.create_index("ix_decp_contract_buyer_siret", "decp_contract", ["buyer_siret"])
    op.create_index("ix_decp_contract_notified_on", "decp_contract", ["notified_on"])
    op.create_table(
        "decp_figure",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("indicator_id", sa.Integer(), sa.ForeignKey("indicator.id", ondelete="CASCADE"), nullable=False),
        sa.Column("period", sa.String(16), nullable=False),
        sa.Column("contracts", sa.Integer(), nullable=False),
        sa.Column("amount", sa.Numeric(19, 4), nullable=False),
        sa.Column("matching", sa.Integer(), nullable=False),
        sa.Column("matching_amount", sa.Numeric(19, 4), nullable=False),
        sa.Column("value", sa.Numeric(19, 4), nullable=True),
        sa.Column("import_id", sa.Integer(), sa.ForeignKey("decp_import.id"), nullable=False),
        sa.Column("value_id", sa.Integer(), sa.ForeignKey("indicator_value.id"), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("indicator_id", "period", name="uq_decp_figure_indicator_period"),
    )
    op.create_table(
        "public_page",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("organisation_name", sa.String(200), nullable=False),
        sa.Column("published", sa.Boolean(), nullable=False),
        sa.Column("changed_by_id", sa.Integer(), sa.ForeignKey("person.id"), nullable=True),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("public_page")
    op.drop_table("decp_figure")
    op.drop_index("ix_decp_contract_notified_on", table_name="decp_contract")
    op.drop_index("ix_decp_contract_buyer_siret", table_name="decp_contract")
    op.drop_index("ix_decp_contract_uid", table_name="decp_contract")
    op.drop_table("decp_contract")
    op.drop_table("decp_import")
