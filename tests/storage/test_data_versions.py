"""The summary and the understanding layer keep the catalogue, the directorates and the committees
between turns, under versions the database moves itself: every edit, by any writer and any
instance on the same database, is seen on the next turn."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import select, text

from domain.committees.cadence import CommitteeKind
from domain.errors import DomainError
from domain.indicators.rules import ValueEntry
from domain.summary.scope import Scope
from storage.committees.repository import CommitteeRepository
from storage.committees.tables import Meeting
from storage.data_versions import CATALOGUE, COMMITTEES, DIRECTORATES, DataVersion
from storage.db import Database
from storage.indicators import indicator_repositories
from storage.people import DirectorateRepository
from storage.summary.repository import SummaryRepository
from storage.summary.service import SummaryService
from tests.statements_support import statements_run
from tests.summary_support import CATALOGUE as CATALOGUE_CSV
from tests.summary_support import organisation, seed_catalogue


async def versions(database: Database) -> dict[str, int]:
    async with database.transaction() as connection:
        return dict((await connection.execute(select(DataVersion.name, DataVersion.version))).all())


def service(database: Database, clock) -> SummaryService:
    catalogue, _ = indicator_repositories(database, clock=clock)
    return SummaryService(
        SummaryRepository(database), catalogue, DirectorateRepository(database), clock, "Europe/Paris",
        CommitteeRepository(database),
    )


@pytest.fixture
async def second_instance(database) -> Database:
    """Another app instance's engine on the same database."""
    other = Database(database.url, connect_args=database.connect_args)
    yield other
    await other.dispose()


def names(summary) -> dict[str, str]:
    return {info.code: info.name for info in summary.visible_directorates}


def indicator(summary, code: str):
    return next(snapshot for snapshot in summary.visible_indicators if snapshot.code == code)


async def test_every_kind_of_write_moves_its_version_and_only_its_own(database, clock):
    people = await organisation(database, "http://127.0.0.1:9/")
    start = await versions(database)
    catalogue, _ = await seed_catalogue(database, clock, people["lead"].id)
    after_import = await versions(database)
    assert after_import[CATALOGUE] > start[CATALOGUE]
    assert after_import[DIRECTORATES] == start[DIRECTORATES] and after_import[COMMITTEES] == start[COMMITTEES]

    steps = [
        (CATALOGUE, lambda: catalogue.update_field("SOC-01", "libelle", "Heures d'insertion")),
        (CATALOGUE, lambda: catalogue.update_field("ENV-01", "directions", "DPB|DCP")),
        (CATALOGUE, lambda: catalogue.import_catalogue(CATALOGUE_CSV.replace("DCP|DPB", "DCP").encode())),
        (DIRECTORATES, lambda: DirectorateRepository(database).add("DAJ", "Affaires juridiques")),
        (COMMITTEES, lambda: CommitteeRepository(database).set_range(CommitteeKind.COPIL, 2, 4)),
    ]
    for name, write in steps:
        before = await versions(database)
        await write()
        after = await versions(database)
        assert after[name] > before[name], name
        assert {k: v for k, v in after.items() if k != name} == {k: v for k, v in before.items() if k != name}


async def test_a_catalogue_edit_by_another_instance_is_in_the_next_summary(database, second_instance, clock):
    people = await organisation(database, "http://127.0.0.1:9/")
    await seed_catalogue(database, clock, people["lead"].id)
    running = service(database, clock)
    first = await running.summary(Scope.everything())
    assert indicator(first, "ENV-01").directorates == ("DPB",)

    other_catalogue, _ = indicator_repositories(second_instance, clock=clock)
    await other_catalogue.update_field("SOC-01", "libelle", "Heures d’insertion sociale")
    assert indicator(await running.summary(Scope.everything()), "SOC-01").label == "Heures d’insertion sociale"

    await other_catalogue.update_field("ENV-01", "directions", "DPB|DCP")
    assert indicator(await running.summary(Scope.everything()), "ENV-01").directorates == ("DCP", "DPB")

    await other_catalogue.set_active("GOV-01", False)
    assert "GOV-01" not in {s.code for s in (await running.summary(Scope.everything())).visible_indicators}
    assert await running.summary(Scope.everything()) == await service(database, clock).summary(Scope.everything())


async def test_a_link_removed_by_hand_is_in_the_next_summary(database, second_instance, clock):
    people = await organisation(database, "http://127.0.0.1:9/")
    await seed_catalogue(database, clock, people["lead"].id)
    running = service(database, clock)
    assert indicator(await running.summary(Scope.everything()), "SOC-01").directorates == ("DCP", "DPB")

    async with second_instance.transaction() as connection:
        await connection.execute(text(
            "DELETE FROM indicator_directorate WHERE indicator_id = (SELECT id FROM indicator WHERE code = 'SOC-01') "
            "AND directorate_id = (SELECT id FROM directorate WHERE code = 'DPB')"
        ))
    assert indicator(await running.summary(Scope.everything()), "SOC-01").directorates == ("DCP",)


async def test_directorates_and_meetings_edited_elsewhere_are_in_the_next_summary(database, second_instance, clock):
    people = await organisation(database, "http://127.0.0.1:9/")
    await seed_catalogue(database, clock, people["lead"].id)
    running = service(database, clock)
    summary = await running.summary(Scope.everything())
    assert names(summary)["DPB"] == "Patrimoine bâti" and summary.next_meetings == ()

    async with second_instance.transaction() as connection:
        await connection.execute(text("UPDATE directorate SET name = 'Bâtiments' WHERE code = 'DPB'"))
    async with second_instance.session() as session:
        session.add(Meeting(kind=CommitteeKind.COPIL.value, starts_at=clock.now() + timedelta(days=10)))
    summary = await running.summary(Scope.everything())
    assert names(summary)["DPB"] == "Bâtiments"
    assert [meeting.kind for meeting in summary.next_meetings] == [CommitteeKind.COPIL]


async def test_a_missing_version_row_never_serves_kept_data(database, clock):
    people = await organisation(database, "http://127.0.0.1:9/")
    catalogue, _ = await seed_catalogue(database, clock, people["lead"].id)
    async with database.transaction() as connection:
        await connection.execute(text("DELETE FROM data_version"))
    running = service(database, clock)
    await running.summary(Scope.everything())
    async with database.transaction() as connection:
        await connection.execute(text("UPDATE indicator SET label = 'Changé à la main' WHERE code = 'SOC-01'"))
    assert indicator(await running.summary(Scope.everything()), "SOC-01").label == "Changé à la main"


async def test_a_summary_with_nothing_changed_reads_only_the_versions(database, clock):
    """And the values recorded since the last summary, with them (none): the catalogue, the
    directorates, the committees and the values are not read again."""
    people = await organisation(database, "http://127.0.0.1:9/")
    await seed_catalogue(database, clock, people["lead"].id)
    running = service(database, clock)
    await running.summary(Scope.everything())
    with statements_run(database) as statements:
        await running.summary(Scope.everything())
    assert len(statements) == 2 and "data_version" in statements[0]
    assert "indicator_value.id > " in statements[1], statements[1]


async def test_a_value_recorded_elsewhere_is_in_the_next_summary_read_with_the_versions(database, second_instance, clock):
    """The values recorded since the last summary come with the versions, in one read; a value
    recorded by another instance between two summaries is in the second."""
    people = await organisation(database, "http://127.0.0.1:9/")
    await seed_catalogue(database, clock, people["lead"].id)
    running = service(database, clock)
    before = indicator(await running.summary(Scope.everything()), "SOC-01")
    _, other_values = indicator_repositories(second_instance, clock=clock)
    today = other_values.today()
    [due] = await other_values.due_for_directorate("DCP", today, codes=["SOC-01"], include_entered=True)
    await other_values.record_value(people["lead"], "DCP", ValueEntry("SOC-01", due.period.code, "1234"), today)
    with statements_run(database) as statements:
        after = indicator(await running.summary(Scope.everything()), "SOC-01")
    assert len(statements) == 2, statements
    assert after != before
    assert after == indicator(await service(database, clock).summary(Scope.everything()), "SOC-01"), "as read afresh"


async def test_the_due_list_reads_the_catalogue_again_only_after_an_edit_from_anywhere(database, second_instance, clock):
    people = await organisation(database, "http://127.0.0.1:9/")
    await seed_catalogue(database, clock, people["lead"].id)
    _, values = indicator_repositories(database, clock=clock)
    today = values.today()
    assert [item.indicator.code for item in await values.due_for_directorate("DCP", today)] == ["SOC-01"]
    with statements_run(database) as statements:
        await values.due_for_directorate("DCP", today)
    catalogue_reads = ("SELECT indicator.id", "SELECT directorate.id", "SELECT indicator_directorate.")
    assert not [s for s in statements if s.lstrip().startswith(catalogue_reads)]
    assert len(statements) == 2  # the versions, then the values entered and the values before

    other_catalogue, _ = indicator_repositories(second_instance, clock=clock)
    await other_catalogue.update_field("ENV-01", "directions", "DPB|DCP")
    await other_catalogue.update_field("SOC-01", "libelle", "Heures d’insertion sociale")
    due = await values.due_for_directorate("DCP", today)
    assert [item.indicator.code for item in due] == ["ENV-01", "SOC-01"]
    assert due[1].indicator.label == "Heures d’insertion sociale"
    async with second_instance.transaction() as connection:
        await connection.execute(text("UPDATE directorate SET code = 'DCPX' WHERE code = 'DCP'"))
    with pytest.raises(DomainError):
        await values.due_for_directorate("DCP", today)


async def test_two_writers_of_the_catalogue_in_opposite_orders_do_not_deadlock(database, clock):
    """PostgreSQL: an import touching indicator A then B while a chat edit touches B. With the version
    moved after each statement, the edit held B while it waited for the version row the import
    held, and the import then waited for B: PostgreSQL aborted one of them."""
    if database.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has a single writer")
    people = await organisation(database, "http://127.0.0.1:9/")
    await seed_catalogue(database, clock, people["lead"].id)
    async with database.engine.connect() as importing, database.engine.connect() as editing:
        await importing.begin()
        await editing.begin()
        editor = (await editing.execute(text("SELECT pg_backend_pid()"))).scalar_one()
        await importing.execute(text("UPDATE indicator SET label = label || ' (import)' WHERE code = 'ENV-01'"))
        edit = asyncio.create_task(
            editing.execute(text("UPDATE indicator SET label = label || ' (chat)' WHERE code = 'SOC-01'"))
        )
        while (await importing.execute(
            text("SELECT wait_event_type FROM pg_stat_activity WHERE pid = :pid"), {"pid": editor}
        )).scalar_one() != "Lock":
            await asyncio.sleep(0.01)
        await importing.execute(text("UPDATE indicator SET label = label || ' (import)' WHERE code = 'SOC-01'"))
        await importing.commit()
        await edit
        await editing.commit()
    async with database.transaction() as connection:
        labels = dict((await connection.execute(text("SELECT code, label FROM indicator"))).all())
    assert labels["SOC-01"].endswith("(import) (chat)") and labels["ENV-01"].endswith("(import)")


async def test_an_indicator_looked_up_by_code_is_read_again_only_after_an_edit_from_anywhere(database, second_instance, clock):
    """« corriger SOC-01 » looks the indicator up before its dialog reads what is due: one statement
    (the versions) while the catalogue and the directorates are unchanged."""
    people = await organisation(database, "http://127.0.0.1:9/")
    await seed_catalogue(database, clock, people["lead"].id)
    catalogue, _ = indicator_repositories(database, clock=clock)
    assert (await catalogue.require("soc-01")).directorates == ("DCP", "DPB")
    with statements_run(database) as statements:
        found = await catalogue.require("SOC-01")
        missing = await catalogue.get("SOC-99")
        with pytest.raises(DomainError, match="Vouliez-vous dire SOC-01"):
            await catalogue.require("SOC-1")
        listed = [view.code for view in await catalogue.list_indicators()]
    assert found.code == "SOC-01" and missing is None and listed == sorted(listed)
    assert len(statements) == 4 and all("data_version" in statement for statement in statements)

    other_catalogue, _ = indicator_repositories(second_instance, clock=clock)
    await other_catalogue.update_field("SOC-01", "libelle", "Heures d’insertion sociale")
    assert (await catalogue.get("SOC-01")).label == "Heures d’insertion sociale"
    await other_catalogue.set_active("GOV-01", False)
    assert "GOV-01" not in [view.code for view in await catalogue.list_indicators()]
    assert "GOV-01" in [view.code for view in await catalogue.list_indicators(include_inactive=True)]
    async with second_instance.transaction() as connection:
        await connection.execute(text("UPDATE directorate SET code = 'DPBX' WHERE code = 'DPB'"))
    assert (await catalogue.require("SOC-01")).directorates == ("DCP", "DPBX")
