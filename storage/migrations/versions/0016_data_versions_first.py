"""On PostgreSQL, a statement on a watched table moves its version *before* it touches any row.

With the counters moved after the statement (0013), a transaction held the rows it had just
written while it waited for the version row another transaction held, which could itself be
waiting for those rows: a catalogue import (indicator A, then B) and a chat edit of B at the same
moment deadlocked, and PostgreSQL aborted one of them. Taken before, the version row is always the
first lock of a watched table's writer: writers of one group queue on it and never hold each
other's rows. (No code writes two groups in one transaction; SQLite has a single writer.)

Revision ID: 0016_data_versions_first
Revises: 0013_data_versions
"""

from alembic import op

revision = "0016_data_versions_first"
down_revision = "0013_data_versions"
branch_labels = None
depends_on = None

WATCHED = {
    "catalogue": ("indicator", "indicator_directorate"),
    "directorates": ("directorate",),
    "committees": ("committee_type", "meeting"),
}


def _recreate(when: str) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for name, tables in WATCHED.items():
        for table in tables:
            op.execute(f"DROP TRIGGER data_version_{table} ON {table}")
            op.execute(
                f"CREATE TRIGGER data_version_{table} {when} INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version('{name}')"
            )


def upgrade() -> None:
    _recreate("BEFORE")


def downgrade() -> None:
    _recreate("AFTER")
