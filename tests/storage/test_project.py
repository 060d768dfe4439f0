"""The project's promises to a newcomer: README commands, CI, migrations matching the models."""

from __future__ import annotations

import re

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

import storage.tables  # noqa: F401
from tests.paths import ROOT


def readme_commands() -> list[str]:
    return re.findall(r"```bash\n(python3 -m venv .+?)\n```", (ROOT / "README.md").read_text(encoding="utf-8"))


def test_readme_has_the_two_commands_and_ci_runs_the_test_one():
    run_command, test_command = readme_commands()
    assert "app.py" in run_command and "pytest" in test_command
    assert test_command in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


async def test_migrations_create_exactly_the_schema_the_models_describe(database):
    def diff(connection):
        context = MigrationContext.configure(connection, opts={"compare_type": False})
        return compare_metadata(context, SQLModel.metadata)

    async with database.engine.connect() as connection:
        differences = await connection.run_sync(diff)
    assert differences == []


async def test_an_existing_database_keeps_its_data_when_migrated_again(database):
    from storage.people import DirectorateRepository

    await DirectorateRepository(database).add("DRH", "Direction des ressources humaines")
    await database.migrate()
    assert [d.code for d in await DirectorateRepository(database).list()] == ["DRH"]


async def test_the_heads_read_from_the_migration_files_are_what_alembic_records(database):
    from sqlalchemy import text

    from storage.db import migration_heads

    async with database.engine.connect() as connection:
        recorded = {row[0] for row in await connection.execute(text("SELECT version_num FROM alembic_version"))}
    assert recorded == set(migration_heads())


def test_a_start_on_an_up_to_date_database_does_not_load_alembic(tmp_path):
    import subprocess
    import sys

    script = (
        "import asyncio, sys\n"
        "from storage.db import Database\n"
        f"database = Database('sqlite+aiosqlite:///{tmp_path / 'lazy.db'}')\n"
        "asyncio.run(database.migrate())\n"
        "print('alembic' in sys.modules)\n"
    )
    runs = [subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True) for _ in "12"]
    assert [run.stdout.strip() for run in runs] == ["True", "False"]


def test_the_migration_heads_are_read_once_per_process(tmp_path):
    """Parsing every migration at each database start once failed in the suite (CPython 3.11's
    « AST constructor recursion depth mismatch »): the files are read the first time only."""
    from storage.db import migration_heads

    (tmp_path / "a.py").write_text('revision = "a"\ndown_revision = None\n', encoding="utf-8")
    assert migration_heads(tmp_path) == {"a"}
    (tmp_path / "b.py").write_text('revision = "b"\ndown_revision = "a"\n', encoding="utf-8")
    assert migration_heads(tmp_path) == {"a"}
