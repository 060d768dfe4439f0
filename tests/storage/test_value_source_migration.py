"""Migration 0017 on a database that already holds values: the values an import computed get their
source from their submission key (set by the import), a person's comment stays as typed, whatever
it says; the downgrade writes the old sentence back (real SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import text

from domain.people import Role
from storage.db import alembic_config
from storage.indicators import indicator_repositories
from storage.people import DirectorateRepository, PeopleRepository
from tests.decp_support import catalogue_csv

BEFORE = "0016_data_versions_first"
OLD_DECP_COMMENT = (
    "Calculé depuis les DECP\u00a0: 2 sur 3\u00a0marchés notifiés\u00a0; source\u00a0: les données essentielles "
    "importées le lundi 30 novembre 2026 par Camille Martin (import n°\u00a07)."
)
TYPED = "Calculé depuis les DECP\u00a0: à vérifier ; source : le fichier «évil.csv»"


async def alembic(database, action: str, revision: str) -> None:
    def run(connection) -> None:
        from alembic import command

        config = alembic_config()
        config.attributes["connection"] = connection
        getattr(command, action)(config, revision)

    async with database.engine.begin() as connection:
        await connection.run_sync(run)


async def rows(database) -> list[tuple]:
    async with database.engine.connect() as connection:
        result = await connection.execute(text(
            "SELECT submission_key, comment, source_kind, source_file, source_import_id FROM indicator_value ORDER BY id"
        ))
        return [tuple(row) for row in result]


async def test_old_rows_get_their_source_and_the_downgrade_gives_the_old_comment_back(database):
    await DirectorateRepository(database).add("DCP", "Direction de la commande publique")
    lead = await PeopleRepository(database).assign("camille@ville.fr", Role.LEAD, "DCP", name="Camille Martin")
    catalogue, _ = indicator_repositories(database)
    await catalogue.import_catalogue(catalogue_csv())
    await alembic(database, "downgrade", BEFORE)
    async with database.engine.begin() as connection:
        ids = dict((await connection.execute(text("SELECT code, id FROM indicator"))).all())
        directorate = (await connection.execute(text("SELECT id FROM directorate"))).scalar_one()
        now = datetime(2026, 11, 30, 9, tzinfo=UTC)
        await connection.execute(
            text("INSERT INTO decp_import (id, filename, imported_by_id, imported_at, sirets, records, new_contracts, "
                 "updated_contracts, unchanged_contracts, merged, refused, report_json) "
                 "VALUES (7, 'decp-2026.json', :lead, :now, '21990000100015', 3, 3, 0, 0, 0, 0, '{}')"),
            {"lead": lead.id, "now": now},
        )
        for code, comment, key in (
            ("SOC-N", OLD_DECP_COMMENT, "decp:7|DCP|SOC-N|2025-T1"),
            ("IND-01", TYPED, "card:1:abc|DCP|IND-01|2025-T1"),
        ):
            await connection.execute(
                text("INSERT INTO indicator_value (indicator_id, directorate_id, period, value, comment, entered_by_id, "
                     "entered_at, current_key, submission_key) VALUES (:indicator, :directorate, '2025-T1', 5, "
                     ":comment, :lead, :now, :current, :key)"),
                {"indicator": ids[code], "directorate": directorate, "comment": comment, "lead": lead.id, "now": now,
                 "current": f"{ids[code]}|{directorate}|2025-T1", "key": key},
            )

    await database.migrate()
    assert await rows(database) == [
        ("decp:7|DCP|SOC-N|2025-T1", "2 sur 3\u00a0marchés notifiés", "decp_import", "decp-2026.json", 7),
        ("card:1:abc|DCP|IND-01|2025-T1", TYPED, None, None, None),
    ]

    await alembic(database, "downgrade", BEFORE)
    async with database.engine.connect() as connection:
        comments = (await connection.execute(text("SELECT comment FROM indicator_value ORDER BY id"))).scalars().all()
    assert comments == [
        "Calculé depuis les DECP\u00a0: 2 sur 3\u00a0marchés notifiés\u00a0; source\u00a0: les données essentielles "
        "importées (import n°\u00a07).",
        TYPED,
    ]
    await database.migrate()
    assert [row[2:] for row in await rows(database)] == [("decp_import", "decp-2026.json", 7), (None, None, None)]
