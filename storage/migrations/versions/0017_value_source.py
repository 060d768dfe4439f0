"""Where an indicator value comes from, in columns instead of a sentence appended to its comment.

`source_kind` (`manual`, `decp_import`), `source_file` and `source_import_id`. Values imported
from the DECP before this revision are found by their submission key (`decp:<import id>|…`, set
by the import itself, never by a person), not by their text: they get the import's file and
number, and their comment loses the « Calculé depuis les DECP : » and « ; source : … » the code
had written around what the value counts (people now read both from the columns). Other rows
keep a NULL source: recorded before sources were kept. The downgrade writes the sentence back.

Revision ID: 0017_value_source
Revises: 0016_data_versions_first
"""

import re

import sqlalchemy as sa
from alembic import op

revision = "0017_value_source"
down_revision = "0016_data_versions_first"
branch_labels = None
depends_on = ("0009_decp",)

_SPACE = "[ \u00a0\u202f]"
_OLD_PREFIX = re.compile(rf"^Calculé depuis les DECP{_SPACE}?:{_SPACE}*")
_OLD_SOURCE = re.compile(rf"{_SPACE}*;{_SPACE}*source{_SPACE}*:.*$", re.DOTALL)

values = sa.table(
    "indicator_value",
    sa.column("id", sa.Integer),
    sa.column("comment", sa.Text),
    sa.column("submission_key", sa.String),
    sa.column("source_kind", sa.String),
    sa.column("source_file", sa.String),
    sa.column("source_import_id", sa.Integer),
)
imports = sa.table("decp_import", sa.column("id", sa.Integer), sa.column("filename", sa.String))


def _import_id(submission_key: str) -> int | None:
    head = submission_key.split("|", 1)[0].removeprefix("decp:")
    return int(head) if head.isdigit() else None


def _what_it_counts(comment: str | None) -> str | None:
    """The old comment without the words the import wrote around what the value counts (these
    rows were written by the import only: no person's text is cut)."""
    if not comment or not _OLD_PREFIX.match(comment):
        return comment
    return _OLD_SOURCE.sub("", _OLD_PREFIX.sub("", comment)).rstrip(" .") or None


def upgrade() -> None:
    with op.batch_alter_table("indicator_value") as batch:
        batch.add_column(sa.Column("source_kind", sa.String(16), nullable=True))
        batch.add_column(sa.Column("source_file", sa.String(255), nullable=True))
        batch.add_column(sa.Column("source_import_id", sa.Integer(), nullable=True))
    connection = op.get_bind()
    files = dict(connection.execute(sa.select(imports.c.id, imports.c.filename)).all())
    rows = connection.execute(
        sa.select(values.c.id, values.c.comment, values.c.submission_key).where(values.c.submission_key.like("decp:%"))
    ).all()
    for row in rows:
        import_id = _import_id(row.submission_key)
        connection.execute(
            values.update().where(values.c.id == row.id).values(
                source_kind="decp_import",
                source_file=files.get(import_id),
                source_import_id=import_id,
                comment=_what_it_counts(row.comment),
            )
        )


def downgrade() -> None:
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(values.c.id, values.c.comment, values.c.source_import_id).where(values.c.source_kind == "decp_import")
    ).all()
    for row in rows:
        number = f" (import n°\u00a0{row.source_import_id})" if row.source_import_id is not None else ""
        comment = f"Calculé depuis les DECP\u00a0: {row.comment or ''}\u00a0; source\u00a0: les données essentielles importées{number}."
        connection.execute(values.update().where(values.c.id == row.id).values(comment=comment))
    with op.batch_alter_table("indicator_value") as batch:
        batch.drop_column("source_import_id")
        batch.drop_column("source_file")
        batch.drop_column("source_kind")
