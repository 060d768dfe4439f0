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
