"""Counters the database moves itself on every change of the tables that readers keep in memory
(catalogue, directorates, committees): a reader asks one cheap row instead of the tables.

Triggers rather than the application's writes: every writer counts, the chat, the CSV import,
the CLI, a cascade, a hand-made SQL fix, and every instance sees the change.

Revision ID: 0013_data_versions
Revises: 0012_indicator_counted_noun
"""

import sqlalchemy as sa
from alembic import op

revision = "0013_data_versions"
down_revision = "0012_indicator_counted_noun"
branch_labels = None
depends_on = ("0004_committees",)

WATCHED = {
    "catalogue": ("indicator", "indicator_directorate"),
    "directorates": ("directorate",),
    "committees": ("committee_type", "meeting"),
}


def _trigger_name(table: str, event: str = "") -> str:
    return f"data_version_{table}{'_' + event if event else ''}"


def upgrade() -> None:
    versions = op.create_table(
        "data_version",
        sa.Column("name", sa.String(32), primary_key=True),
        sa.Column("version", sa.BigInteger(), nullable=False, server_default="0"),
    )
    op.bulk_insert(versions, [{"name": name, "version": 0} for name in WATCHED])
    postgres = op.get_bind().dialect.name == "postgresql"
    if postgres:
        op.execute(
            "CREATE FUNCTION bump_data_version() RETURNS trigger LANGUAGE plpgsql AS $$ "
            "BEGIN UPDATE data_version SET version = version + 1 WHERE name = TG_ARGV[0]; RETURN NULL; END $$"
        )
    for name, tables in WATCHED.items():
        for table in tables:
            if postgres:
                op.execute(
                    f"CREATE TRIGGER {_trigger_name(table)} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
                    f"FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version('{name}')"
                )
                continue
            for event in ("INSERT", "UPDATE", "DELETE"):
                op.execute(
                    f"CREATE TRIGGER {_trigger_name(table, event.lower())} AFTER {event} ON {table} "
                    f"BEGIN UPDATE data_version SET version = version + 1 WHERE name = '{name}'; END"
                )


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for tables in WATCHED.values():
        for table in tables:
            if postgres:
                op.execute(f"DROP TRIGGER {_trigger_name(table)} ON {table}")
                continue
            for event in ("insert", "update", "delete"):
                op.execute(f"DROP TRIGGER {_trigger_name(table, event)}")
    if postgres:
        op.execute("DROP FUNCTION bump_data_version()")
    op.drop_table("data_version")
