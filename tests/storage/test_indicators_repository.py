"""The indicator catalogue and values on SQLite and PostgreSQL: rules, audit trail, all-or-nothing.

Each engine is migrated once for the module (`make_database` from conftest, as the `database`
fixture does) and every test starts from emptied tables: the same guarantees, a fraction of the
time of a migration per test.
"""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import UTC, date, datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
import pytest_asyncio
from sqlalchemy import delete, event, func, select

from domain.clock import FakeClock
from domain.errors import DomainError
from domain.indicators.catalogue import CATALOGUE_COLUMNS
from domain.indicators.catalogue_csv import CatalogueImportError
from domain.indicators.periods import FuturePeriod, PeriodFrequencyMismatch, parse_period
from domain.indicators.rules import EntryErrors, NotAllowed, UnknownIndicator, ValueEntry, check_entry_allowed
from domain.indicators.values import warm_up
from domain.people import PersonView, Role
from storage.indicators import indicator_repositories
from storage.indicators.tables import Indicator, IndicatorDirectorate, IndicatorValue
from storage.people import Directorate, DirectorateRepository, PeopleRepository, Person
from tests.conftest import make_database
from tests.paths import DATA
from tests.statements_support import statements_run

EXAMPLE = DATA / "catalogue_exemple.csv"
EXAMPLE_DIRECTORATES = ("DCP", "DPB", "DFIN", "DEE", "DRM", "DEJ", "DRH", "DSI")
TODAY = date(2026, 11, 30)
HEADER = ";".join(CATALOGUE_COLUMNS)


@pytest.fixture(scope="session", autouse=True)
def recognizers():
    """The French number recognizer takes seconds to build: once for the whole session."""
    warm_up()


pytestmark = pytest.mark.asyncio(loop_scope="module")


@pytest_asyncio.fixture(scope="module", loop_scope="module", params=["sqlite", "postgresql"])
async def database(request, tmp_path_factory):
    db, drop = await make_database(request.param, tmp_path_factory.mktemp("indicators"))
    await db.migrate()
    yield db
    await drop()


@pytest_asyncio.fixture(loop_scope="module")
async def world(database):
    async with database.session() as session:
        for table in (IndicatorValue, IndicatorDirectorate, Indicator, Person, Directorate):
            await session.execute(delete(table))
    directorates = DirectorateRepository(database)
    for code in EXAMPLE_DIRECTORATES:
        await directorates.add(code, f"Direction {code}")
    people = PeopleRepository(database)
    catalogue, values = indicator_repositories(database, clock=FakeClock(datetime(2026, 11, 30, 9, 0, tzinfo=UTC)))
    await catalogue.import_catalogue(EXAMPLE.read_bytes())

    return SimpleNamespace(
        db=database,
        catalogue=catalogue,
        values=values,
        lead=await people.assign("camille@ville.fr", Role.LEAD, "DCP", name="Camille Martin"),
        nadia=await people.assign("nadia@ville.fr", Role.CONTRIBUTOR, "DCP", name="Nadia Benali"),
        julien=await people.assign("julien@ville.fr", Role.CONTRIBUTOR, "DPB", name="Julien Petit"),
        official=await people.assign("maire@ville.fr", Role.OFFICIAL, name="Hélène Dubois"),
    )


async def table_state(database) -> tuple:
    """Everything the indicator tables hold, to assert that a refused operation changed nothing."""
    async with database.session() as session:
        indicators = (await session.execute(select(Indicator).order_by(Indicator.code))).scalars().all()
        links = (await session.execute(select(func.count()).select_from(IndicatorDirectorate))).scalar_one()
        values = (await session.execute(select(IndicatorValue).order_by(IndicatorValue.id))).scalars().all()
        return (
            [(i.code, i.label, i.unit, i.frequency, i.active, i.target) for i in indicators],
            links,
            [(v.id, v.value, v.current_key, v.comment) for v in values],
        )


def csv_lines(*rows: str) -> bytes:
    return "\n".join((HEADER, *rows)).encode("utf-8")


# ----- catalogue -----------------------------------------------------------------------------


async def test_import_creates_the_catalogue_and_export_reimports_identically(world):
    indicators = await world.catalogue.list_indicators(include_inactive=True)
    assert len(indicators) == 16 and await world.catalogue.active_count() == 15
    ind03 = await world.catalogue.require("ind-03")
    assert ind03.directorates == ("DCP", "DPB") and ind03.unit.value == "heures" and ind03.target == Decimal("20000")
    exported = await world.catalogue.export_catalogue()
    before = await table_state(world.db)
    again = await world.catalogue.import_catalogue(exported)
    assert (len(again.created), len(again.updated)) == (0, 16)
    assert await table_state(world.db) == before
    assert await world.catalogue.export_catalogue() == exported


async def test_a_wrong_header_is_refused_in_french_and_nothing_changes(world):
    before = await table_state(world.db)
    with pytest.raises(CatalogueImportError) as refused:
        await world.catalogue.import_catalogue("code;nom;axe\nIND-99;x;social\n")
    assert "en-tête incorrect" in refused.value.message and "aucun indicateur n’a été importé" in refused.value.message
    assert await table_state(world.db) == before


async def test_duplicate_codes_are_reported_by_line_and_nothing_is_imported(world):
    before = await table_state(world.db)
    data = csv_lines(
        "IND-50;Nouvel indicateur;social;%;DCP;annuelle;;;;hausse;;non;oui",
        "IND-50;Le même code;social;%;DCP;annuelle;;;;hausse;;non;oui",
    )
    with pytest.raises(CatalogueImportError) as refused:
        await world.catalogue.import_catalogue(data)
    assert "Ligne 3, colonne « code »" in refused.value.message and "déjà utilisé ligne 2" in refused.value.message
    assert await table_state(world.db) == before


async def test_one_bad_row_among_good_ones_imports_nothing(world):
    before = await table_state(world.db)
    data = csv_lines(
        "IND-01;Libellé changé;environnemental;%;DCP;trimestrielle;42,5;100;2030;hausse;;oui;oui",
        "IND-60;Inconnue;social;%;DXX;annuelle;;;;hausse;;non;oui",
    )
    with pytest.raises(CatalogueImportError) as refused:
        await world.catalogue.import_catalogue(data)
    assert "Ligne 3" in refused.value.message and "direction « DXX » inconnue" in refused.value.message
    assert await table_state(world.db) == before


async def test_a_file_of_100000_rows_is_refused_without_saving_anything(world):
    before = await table_state(world.db)
    rows = [f"X-{n};Indicateur {n};social;%;DCP;annuelle;;;;hausse;;non;oui" for n in range(100_000)]
    with pytest.raises(CatalogueImportError) as refused:
        await world.catalogue.import_catalogue(csv_lines(*rows))
    assert refused.value.message.startswith("Import refusé") and "trop gros" in refused.value.message
    with pytest.raises(CatalogueImportError) as too_many:
        await world.catalogue.import_catalogue(csv_lines(*rows[:1001]))
    assert "plus de 1" in too_many.value.message and "indicateurs" in too_many.value.message
    assert await table_state(world.db) == before


async def test_more_than_30_active_indicators_gives_the_founding_text_warning(world):
    rows = [f"NEW-{n};Indicateur {n};social;nombre;DCP;annuelle;;;;hausse;;non;oui" for n in range(16)]
    result = await world.catalogue.import_catalogue(csv_lines(*rows))
    assert result.active_count == 31 and len(result.created) == 16
    assert "31 indicateurs actifs" in result.message and "trentaine" in result.message


async def test_the_unit_of_an_indicator_with_values_cannot_change_by_import_or_chat(world):
    await world.values.record_value(world.nadia, "DCP", ValueEntry("IND-02", "2026-T3", "20 %"), TODAY)
    before = await table_state(world.db)
    changed = (await world.catalogue.export_catalogue()).decode("utf-8-sig").replace(
        "considération sociale;social;%;DCP;trimestrielle", "considération sociale;social;nombre;DCP;trimestrielle"
    )
    with pytest.raises(CatalogueImportError) as refused:
        await world.catalogue.import_catalogue(changed)
    assert "IND-02 a déjà 1 valeur saisie" in refused.value.message and "Ligne 3" in refused.value.message
    with pytest.raises(DomainError, match="historique incohérent"):
        await world.catalogue.update_field("IND-02", "frequence", "annuelle")
    assert await table_state(world.db) == before


async def test_the_lead_edits_deactivates_and_reactivates_an_indicator(world):
    edited = await world.catalogue.update_field("IND-03", "cible", "25 000")
    assert edited.target == Decimal("25000")
    assert (await world.catalogue.update_field("IND-03", "directions", "DPB")).directorates == ("DPB",)
    with pytest.raises(DomainError, match="mauvais sens"):
        await world.catalogue.update_field("IND-03", "cible", "100")
    with pytest.raises(DomainError, match="ne se modifie pas"):
        await world.catalogue.update_field("IND-03", "code", "IND-99")
    with pytest.raises(DomainError, match="inconnue"):
        await world.catalogue.update_field("IND-03", "directions", "DXX")
    assert not (await world.catalogue.set_active("IND-03", False)).active
    assert "IND-03" not in {i.code for i in await world.catalogue.list_indicators()}
    assert (await world.catalogue.set_active("IND-03", True)).active


async def test_adding_an_existing_code_is_refused(world):
    row = (await world.catalogue.require("IND-01")).as_row()
    with pytest.raises(DomainError, match="existe déjà"):
        await world.catalogue.add_indicator(row)


# ----- what is due -----------------------------------------------------------------------------


async def test_due_list_takes_the_reporting_period_of_each_frequency_and_drops_what_was_entered(world):
    due = {(i.indicator.code, i.period.code) for i in await world.values.due_for_directorate("DCP", TODAY)}
    assert {("IND-01", "2026-T3"), ("IND-06", "2026-S1"), ("IND-04", "2025")} <= due
    assert not any(code == "IND-16" for code, _ in due), "inactive indicators are never due"
    await world.values.record_value(world.nadia, "DCP", ValueEntry("IND-01", "2026-T3", "45 %"), TODAY)
    after = {i.indicator.code for i in await world.values.due_for_directorate("DCP", TODAY)}
    assert "IND-01" not in after and "IND-02" in after


async def test_due_items_carry_the_last_value_before_the_period(world):
    await world.values.record_value(world.lead, "DCP", ValueEntry("IND-01", "2026-T1", "40 %"), TODAY)
    await world.values.record_value(world.lead, "DCP", ValueEntry("IND-01", "2026-T2", "41,5 %"), TODAY)
    item = next(i for i in await world.values.due_for_directorate("DCP", TODAY) if i.indicator.code == "IND-01")
    assert item.last.period.code == "2026-T2" and item.last.value == Decimal("41.5")


async def test_items_to_correct_carry_their_value_and_the_one_before_read_in_one_statement(world):
    """The entered value of each period and the last one before it come from one statement, for
    indicators of several frequencies; superseded values, later periods and other directorates' are
    never taken for them."""
    record = world.values.record_value
    await record(world.lead, "DCP", ValueEntry("IND-01", "2026-T1", "40 %"), TODAY)
    await record(world.lead, "DCP", ValueEntry("IND-01", "2026-T2", "41 %"), TODAY)
    await record(world.lead, "DCP", ValueEntry("IND-01", "2026-T2", "41,5 %", "corrigé"), TODAY)
    await record(world.nadia, "DCP", ValueEntry("IND-01", "2026-T3", "45 %", "provisoire"), TODAY)
    await record(world.lead, "DPB", ValueEntry("IND-03", "2026-T2", "999"), TODAY)
    await record(world.lead, "DCP", ValueEntry("IND-03", "2026-T1", "10"), TODAY)
    await record(world.lead, "DCP", ValueEntry("IND-06", "2025-S2", "7"), TODAY)
    await record(world.nadia, "DCP", ValueEntry("IND-06", "2026-S1", "8"), TODAY)
    await world.values.due_for_directorate("DCP", TODAY, include_entered=True)  # the catalogue is kept
    with statements_run(world.db) as statements:
        items = await world.values.due_for_directorate("DCP", TODAY, include_entered=True)
    assert len(statements) == 2, "the versions, then the values around every item"

    def around(item) -> tuple:
        existing = item.existing and (item.existing.period.code, item.existing.value, item.existing.comment,
                                      item.existing.entered_by, item.existing.directorate_code, item.existing.is_current)
        last = item.last and (item.last.period.code, item.last.value, item.last.previous_value, item.last.entered_by)
        return existing, last

    by_code = {item.indicator.code: item for item in items}
    assert around(by_code["IND-01"]) == (
        ("2026-T3", Decimal("45"), "provisoire", "Nadia Benali", "DCP", True),
        ("2026-T2", Decimal("41.5"), Decimal("41"), "Camille Martin"),
    )
    assert around(by_code["IND-03"]) == (None, ("2026-T1", Decimal("10"), None, "Camille Martin"))
    assert around(by_code["IND-06"]) == (
        ("2026-S1", Decimal("8"), "", "Nadia Benali", "DCP", True),
        ("2025-S2", Decimal("7"), None, "Camille Martin"),
    )
    assert around(by_code["IND-02"]) == (None, None)
    assert {code for code, item in by_code.items() if item.existing is None} == {
        code for code, item in by_code.items() if code not in ("IND-01", "IND-06")
    }


async def test_directorates_with_due_indicators_lists_what_each_still_owes(world):
    for code in ("IND-03", "IND-12", "IND-15"):
        period = {"IND-12": "2025"}.get(code, "2026-T3")
        await world.values.record_value(world.julien, "DPB", ValueEntry(code, period, "10"), TODAY)
    due = {d.code: d for d in await world.values.directorates_with_due_indicators(TODAY)}
    assert "DPB" not in due, "DPB has entered everything"
    assert ("IND-03", "2026-T3") in due["DCP"].items and due["DRM"].items == (("IND-08", "2025"),)


# ----- recording values ------------------------------------------------------------------------


async def test_a_contributor_records_a_value_for_their_directorate_with_who_and_when(world):
    outcome = await world.values.record_value(
        world.nadia, "dcp", ValueEntry("IND-01", "2026 T3", "45,5 %", "source OECP"), TODAY
    )
    saved = outcome.saved[0]
    assert (saved.value, saved.period.code, saved.directorate_code) == (Decimal("45.5"), "2026-T3", "DCP")
    assert saved.entered_by == "Nadia Benali" and saved.comment == "source OECP"
    assert saved.entered_at == datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


async def test_a_contributor_cannot_write_another_directorate_and_nothing_is_written(world):
    before = await table_state(world.db)
    with pytest.raises(NotAllowed, match=r"votre direction \(DCP\)"):
        await world.values.record_value(world.nadia, "DPB", ValueEntry("IND-03", "2026-T3", "100"), TODAY)
    with pytest.raises(NotAllowed):
        await world.values.record_values(
            world.nadia, "DPB", [ValueEntry("IND-12", "2025", "10"), ValueEntry("IND-15", "2026-T3", "3")], TODAY
        )
    assert await table_state(world.db) == before


BAD_ENTRIES = [
        (ValueEntry("IND-01", "2027-T1", "45"), "n’a pas encore commencé"),
        (ValueEntry("IND-01", "2026-T2", "45"), "adressez-vous à la personne responsable du SPASER"),
        (ValueEntry("IND-01", "2026", "45"), "trimestriel"),
        (ValueEntry("IND-01", "2026-T3", "12 €"), "s’exprime en pourcentage"),
        (ValueEntry("IND-01", "2026-T3", "120 %"), "dépasser 100"),
        (ValueEntry("IND-6", "2026-S1", "3"), "Indicateur « IND-6 » inconnu. Vouliez-vous dire"),
        (ValueEntry("IND-08", "2025", "50"), "ne renseigne pas l’indicateur IND-08"),
        (ValueEntry("IND-16", "2025", "50"), "désactivé"),
        (ValueEntry("IND-06", "2026-S1", "2,5"), "nombre entier"),
        (ValueEntry("IND-01", "2026-T3", "45", "x" * 501), "trop long"),
]


async def test_bad_values_are_refused_with_a_french_reason_and_nothing_is_saved(world):
    """Future period, past period for a contributor, wrong frequency, wrong unit, unknown code…"""
    before = await table_state(world.db)
    for entry, message in BAD_ENTRIES:
        with pytest.raises(DomainError) as refused:
            await world.values.record_value(world.nadia, "DCP", entry, TODAY)
        assert message in refused.value.message, entry
    assert await table_state(world.db) == before


async def test_the_lead_may_enter_past_periods_for_any_directorate_but_not_the_future(world):
    outcome = await world.values.record_value(world.lead, "DPB", ValueEntry("IND-03", "2025-T4", "9 800 heures"), TODAY)
    assert outcome.saved[0].entered_by == "Camille Martin"
    running = await world.values.record_value(world.lead, "DCP", ValueEntry("IND-01", "2026-T4", "50"), TODAY)
    assert running.saved[0].period.code == "2026-T4", "a period still running takes a provisional value"
    with pytest.raises(FuturePeriod):
        await world.values.record_value(world.lead, "DCP", ValueEntry("IND-01", "2027-T1", "50"), TODAY)


async def test_an_official_or_an_unknown_person_cannot_write(world):
    with pytest.raises(NotAllowed, match="réservée aux personnes responsables du SPASER"):
        await world.values.record_value(world.official, "DCP", ValueEntry("IND-01", "2026-T3", "45"), TODAY)
    with pytest.raises(NotAllowed):
        await world.values.record_value(None, "DCP", ValueEntry("IND-01", "2026-T3", "45"), TODAY)


async def test_a_correction_keeps_the_previous_value_in_the_audit_trail(world):
    await world.values.record_value(world.nadia, "DCP", ValueEntry("IND-03", "2026-T3", "12 000"), TODAY)
    corrected = await world.values.record_value(
        world.lead, "DCP", ValueEntry("IND-03", "2026-T3", "13 450", "bilan du facilitateur"), TODAY
    )
    assert corrected.saved[0].previous_value == Decimal("12000")
    _, history = await world.values.history("IND-03")
    assert [(v.value, v.previous_value, v.is_current, v.entered_by) for v in history] == [
        (Decimal("12000"), None, False, "Nadia Benali"),
        (Decimal("13450"), Decimal("12000"), True, "Camille Martin"),
    ]
    _, latest = await world.values.latest_values("IND-03")
    assert [(v.directorate_code, v.value) for v in latest] == [("DCP", Decimal("13450"))]


async def test_a_known_correction_takes_the_value_over_in_two_writes_and_an_empty_period_still_fills(world):
    """The correction dialog knows the period held a value: the save takes it over at once instead
    of trying the insert of a first value; a period found empty after all gets its first value."""
    await world.values.record_value(world.nadia, "DCP", ValueEntry("IND-01", "2026-T3", "45 %"), TODAY)
    writes: list[str] = []

    def note(_connection, _cursor, statement, *_args) -> None:
        if statement.lstrip().startswith(("INSERT", "UPDATE")):
            writes.append(statement)

    event.listen(world.db.engine.sync_engine, "before_cursor_execute", note)
    try:
        corrected = await world.values.record_value(
            world.nadia, "DCP", ValueEntry("IND-01", "2026-T3", "46 %"), TODAY, replacing=True
        )
    finally:
        event.remove(world.db.engine.sync_engine, "before_cursor_execute", note)
    assert len(writes) == 2, writes
    assert corrected.saved[0].previous_value == Decimal("45")
    first = await world.values.record_value(
        world.nadia, "DCP", ValueEntry("IND-02", "2026-T3", "20 %"), TODAY, replacing=True
    )
    assert first.saved[0].previous_value is None
    _, history = await world.values.history("IND-01")
    assert [(v.value, v.previous_value, v.is_current) for v in history] == [
        (Decimal("45"), None, False),
        (Decimal("46"), Decimal("45"), True),
    ]
    _, latest = await world.values.latest_values("IND-02")
    assert [(v.period.code, v.value) for v in latest] == [("2026-T3", Decimal("20"))]


async def test_latest_values_take_the_most_recent_period_of_each_directorate(world):
    await world.values.record_value(world.lead, "DPB", ValueEntry("IND-03", "2026-T3", "300"), TODAY)
    await world.values.record_value(world.lead, "DPB", ValueEntry("IND-03", "2025-T4", "100"), TODAY)
    await world.values.record_value(world.lead, "DCP", ValueEntry("IND-03", "2026-T1", "200"), TODAY)
    _, latest = await world.values.latest_values("IND-03")
    assert [(v.directorate_code, v.period.code, v.value) for v in latest] == [
        ("DCP", "2026-T1", Decimal("200")),
        ("DPB", "2026-T3", Decimal("300")),
    ]
    _, dpb_history = await world.values.history("IND-03", directorate_code="DPB")
    assert {v.directorate_code for v in dpb_history} == {"DPB"}


async def test_the_same_submission_saves_once(world):
    entries = [ValueEntry("IND-01", "2026-T3", "45"), ValueEntry("IND-02", "2026-T3", "20")]
    first = await world.values.record_values(world.nadia, "DCP", entries, TODAY, submission_key="card:1:abc")
    second = await world.values.record_values(world.nadia, "DCP", entries, TODAY, submission_key="card:1:abc")
    assert len(first.saved) == 2 and not first.duplicate
    assert second.duplicate and second.saved == ()
    assert await world.values.count_values() == 2


async def test_a_batch_with_one_bad_value_saves_none_and_names_each_problem(world):
    before = await table_state(world.db)
    entries = [
        ValueEntry("IND-01", "2026-T3", "45"),
        ValueEntry("IND-02", "2026-T3", "douze euros"),
        ValueEntry("IND-99", "2026-T3", "3"),
    ]
    with pytest.raises(EntryErrors) as refused:
        await world.values.record_values(world.nadia, "DCP", entries, TODAY, submission_key="card:1:x")
    assert set(refused.value.errors) == {"IND-02|2026-T3", "IND-99|2026-T3"}
    assert await table_state(world.db) == before


async def test_concurrent_corrections_all_land_in_the_trail_with_one_current_value(world):
    async def save(text: str):
        return await world.values.record_value(world.lead, "DCP", ValueEntry("IND-01", "2026-T3", text), TODAY)

    await asyncio.gather(*(save(str(40 + n)) for n in range(4)))
    _, history = await world.values.history("IND-01")
    assert len(history) == 4 and sum(v.is_current for v in history) == 1
    chained = [v.previous_value for v in history[1:]]
    assert all(previous is not None for previous in chained), "every correction names the value it replaced"


async def test_unknown_indicator_code_is_a_french_error(world):
    with pytest.raises(UnknownIndicator, match="Indicateur « XYZ » inconnu"):
        await world.values.history("xyz")


# ----- the pure rule ---------------------------------------------------------------------------


def person(role: Role | None, directorate: str | None = None) -> PersonView:
    return PersonView(1, "P", "p@x.fr", role, None, directorate, None, None, "")


async def test_permission_rule_without_a_database():
    from domain.indicators.catalogue import Axis, ImprovementDirection
    from domain.indicators.periods import Frequency
    from domain.indicators.rules import IndicatorView
    from domain.indicators.units import Unit

    indicator = IndicatorView(
        1, "IND-01", "x", Axis.SOCIAL, Unit.PERCENT, Frequency.QUARTERLY, ImprovementDirection.UP,
        None, None, None, "", False, True, ("DCP",),
    )
    due = parse_period("2026-T3")
    check_entry_allowed(person(Role.CONTRIBUTOR, "DCP"), "DCP", indicator, due, TODAY)
    check_entry_allowed(person(Role.LEAD), "DCP", indicator, parse_period("2024-T1"), TODAY)
    for who, directorate, period, error in [
        (person(Role.CONTRIBUTOR, "DPB"), "DCP", due, NotAllowed),
        (person(Role.OFFICIAL), "DCP", due, NotAllowed),
        (person(None), "DCP", due, NotAllowed),
        (person(Role.CONTRIBUTOR, "DCP"), "DCP", parse_period("2026-T2"), NotAllowed),
        (person(Role.LEAD), "DCP", parse_period("2026-S1"), PeriodFrequencyMismatch),
        (person(Role.LEAD), "DCP", parse_period("2027-T2"), FuturePeriod),
    ]:
        with pytest.raises(error):
            check_entry_allowed(who, directorate, indicator, period, TODAY)


async def test_a_count_shows_what_it_counts_once_the_catalogue_names_it(world):
    """Issue 17: « 5 » alone for five reserved contracts; the column `unite_libelle` says what is counted."""
    saved = await world.values.record_value(world.lead, "DCP", ValueEntry("IND-06", "2026-S1", "5"), TODAY)
    assert saved.saved[0].shown == "5"
    view = await world.catalogue.update_field("IND-06", "unite_libelle", "marché réservé")
    assert view.counted_noun == "marché réservé" and view.show(Decimal(1)) == "1\u00a0marché réservé"
    assert view.unit_name == "nombre de marchés réservés"
    assert dataclasses.replace(view, counted_noun="agent·e formé·e").unit_name == "nombre d’agent·es formé·es"
    _, history = await world.values.history("IND-06")
    assert history[-1].shown == "5\u00a0marchés réservés"
    again = await world.values.record_value(world.lead, "DCP", ValueEntry("IND-06", "2026-S1", "6"), TODAY)
    assert (again.saved[0].shown, again.saved[0].previous_shown) == ("6\u00a0marchés réservés", "5\u00a0marchés réservés")
    assert "marché réservé" in (await world.catalogue.export_catalogue()).decode("utf-8-sig")
    with pytest.raises(DomainError, match="unite_libelle"):
        await world.catalogue.update_field("IND-03", "unite_libelle", "heure")


async def test_a_legal_limit_is_stored_shown_and_exported(world):
    """Migration 0018: `seuil_legal` and `base_legale` go through the chat edit, the view and the export."""
    await world.catalogue.update_field("IND-09", "base_legale", "loi EGalim")
    view = await world.catalogue.update_field("IND-09", "seuil_legal", "50")
    assert view.legal_limit is not None and view.legal_limit.is_floor
    assert view.legal_limit.breach_text(view.unit) == "sous le minimum légal de 50\u00a0% (loi\u00a0EGalim)"
    exported = (await world.catalogue.export_catalogue()).decode("utf-8-sig")
    assert "seuil_legal;base_legale" in exported.splitlines()[0] and ";50;loi EGalim" in exported
    with pytest.raises(DomainError, match="minimum légal"):
        await world.catalogue.update_field("IND-09", "cible", "45")
    cleared = await world.catalogue.update_field("IND-09", "seuil_legal", "")
    assert cleared.legal_limit is None
