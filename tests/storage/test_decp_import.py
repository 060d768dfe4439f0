"""Importing the body's DECP on SQLite and PostgreSQL: hand-computed values in the values' history,
nothing twice, nothing half imported, computed indicators never asked of the directorates.

The fixtures (tests/data/decp) hold, for the body (SIRETs 21990000100015 and 21990000200013):
2025-T1 four contracts (100 000 € social; 300 000 € then 360 000 € after a modification,
environmental; 50 000 € reserved and environmental; 120 000 € social), 2025-T2 two (200 000 €
social, 40 000 € environmental), 2025-T3 one (80 000 € environmental), none until 2026-T3 (45 000 €
social), and one in 2026-T4 (not ended on 30 November 2026); plus refused records of every kind.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select, update

from domain.clock import FakeClock
from domain.decp.contracts import RefusalReason
from domain.decp.report import provenance_text
from domain.errors import DomainError
from domain.indicators.rules import NotAllowed, ValueEntry
from domain.indicators.sources import SourceKind
from domain.people import Role
from domain.summary.report import report_html
from storage.decp.service import DecpService
from storage.decp.tables import DecpContract, DecpFigure, DecpImport
from storage.indicators import indicator_repositories
from storage.indicators.tables import IndicatorValue
from storage.people import DirectorateRepository, PeopleRepository
from storage.summary.repository import SummaryRepository
from storage.summary.service import SummaryService
from tests.decp_support import BODY, DECP, catalogue_csv

TODAY = date(2026, 11, 30)


@pytest.fixture
async def world(database):
    await DirectorateRepository(database).add("DCP", "Direction de la commande publique")
    people = PeopleRepository(database)
    clock = FakeClock(datetime(2026, 11, 30, 9, 0, tzinfo=UTC))
    catalogue, values = indicator_repositories(database, clock=clock)
    await catalogue.import_catalogue(catalogue_csv())
    return SimpleNamespace(
        db=database,
        values=values,
        catalogue=catalogue,
        clock=clock,
        decp=DecpService(database, catalogue, values, clock, "Europe/Paris", BODY),
        lead=await people.assign("camille@ville.fr", Role.LEAD, "DCP", name="Camille Martin"),
        nadia=await people.assign("nadia@ville.fr", Role.CONTRIBUTOR, "DCP", name="Nadia Benali"),
    )


async def current(world, code: str) -> dict[str, Decimal]:
    _, views = await world.values.history(code)
    return {view.period.code: view.value for view in views if view.is_current}


async def count(world, table) -> int:
    async with world.db.session() as session:
        return (await session.execute(select(func.count()).select_from(table))).scalar_one()


async def import_all(world):
    for name in ("nested.json", "flat.json", "single.json", "consolidated.csv"):
        await world.decp.import_file(DECP / name, name, world.lead)


async def test_every_shape_imported_gives_the_hand_computed_values(world):
    await import_all(world)
    assert await count(world, DecpContract) == 9
    assert await current(world, "SOC-N") == {"2025-T1": 75, "2025-T2": 50, "2025-T3": 0, "2026-T3": 100}
    assert await current(world, "SOC-M") == {
        "2025-T1": Decimal("42.9"), "2025-T2": Decimal("83.3"), "2025-T3": 0, "2026-T3": 100,
    }
    assert await current(world, "ENV-N") == {"2025-T1": 50, "2025-T2": 50, "2025-T3": 100, "2026-T3": 0}
    assert await current(world, "ENV-M") == {
        "2025-T1": Decimal("65.1"), "2025-T2": Decimal("16.7"), "2025-T3": 100, "2026-T3": 0,
    }
    assert await current(world, "RES-N") == {"2025-T1": 1, "2025-T2": 0, "2025-T3": 0, "2026-T3": 0}
    assert await current(world, "RES-M") == {"2025-T1": 50000, "2025-T2": 0, "2025-T3": 0, "2026-T3": 0}
    assert await current(world, "SOC-AN") == {"2025": Decimal("57.1")}
    async with world.db.session() as session:
        empty = (await session.execute(select(DecpFigure.period).where(DecpFigure.value.is_(None)).distinct())).scalars()
        assert sorted(empty) == ["2025-T4", "2026-T1", "2026-T2"], "periods without contract: no value, not 0 %"


async def test_a_newer_state_corrects_the_value_in_the_history_naming_the_previous_one(world):
    await world.decp.import_file(DECP / "nested.json", "nested.json", world.lead)
    report = await world.decp.import_file(DECP / "flat.json", "flat.json", world.lead)
    assert (report.new, report.updated, report.unchanged) == (1, 1, 1)
    change = next(c for c in report.changes if c.indicator.code == "SOC-M" and c.figure.period.code == "2025-T1")
    assert (change.previous, change.figure.value) == (Decimal("33.3"), Decimal("29.4"))  # 150/450, then 150/510
    _, history = await world.values.history("SOC-M")
    first_quarter = [v for v in history if v.period.code == "2025-T1"]
    assert [(v.value, v.previous_value, v.is_current) for v in first_quarter] == [
        (Decimal("33.3"), None, False), (Decimal("29.4"), Decimal("33.3"), True),
    ]
    assert first_quarter[-1].entered_by == "Camille Martin"
    latest = first_quarter[-1]
    # The comment is what the value counts; where it comes from is in its source columns.
    assert latest.comment == "150\u202f000\u00a0€ sur 510\u202f000\u00a0€ de marchés notifiés (montants HT)"
    assert (latest.source.kind, latest.source.file, latest.source.import_id) == (SourceKind.DECP_IMPORT, "flat.json", 2)
    note = latest.note  # what people read, comments keep their no-break spaces
    assert "Calculé à partir des DECP\u00a0: 150\u202f000\u00a0€ sur 510\u202f000\u00a0€ de marchés notifiés (montants HT)" in note
    # Issue #17, point 15: a contributor reads this comment, not a file name.
    assert "source : les données essentielles importées le " in note.replace("\u00a0", " ")
    assert "flat.json" not in note
    assert "par Camille Martin." in note and "import n°" not in note  # reader 9, C8: bookkeeping, not a source


async def test_an_import_stores_the_source_kind_and_file_and_a_typed_value_says_it_was_typed(world):
    """The source is columns of the value, not a sentence in its comment."""
    await world.decp.import_file(DECP / "nested.json", "nested.json", world.lead)
    await world.values.record_value(world.lead, "DCP", ValueEntry("IND-01", "2026-T3", "4", "Saisi ; source : moi"), TODAY)
    async with world.db.session() as session:
        rows = (await session.execute(select(IndicatorValue.source_kind, IndicatorValue.source_file,
                                             IndicatorValue.source_import_id, IndicatorValue.comment))).all()
    computed = [row for row in rows if row.source_kind == "decp_import"]
    assert computed and {(row.source_file, row.source_import_id) for row in computed} == {("nested.json", 1)}
    assert not any("source" in (row.comment or "") for row in computed)
    assert [tuple(row) for row in rows if row.source_kind != "decp_import"] == [("manual", None, None, "Saisi ; source : moi")]


async def test_the_report_describes_the_import_from_the_values_source_columns(world):
    """The COPIL report says which import a computed value comes from, read from the columns (it
    names the file by what it holds, as reader 3 asked, not « nested.json »)."""
    await world.decp.import_file(DECP / "nested.json", "nested.json", world.lead)
    async with world.db.session() as session:
        await session.execute(update(IndicatorValue).where(IndicatorValue.source_kind == "decp_import")
                              .values(source_import_id=41))
    summaries = SummaryService(SummaryRepository(world.db), world.catalogue, DirectorateRepository(world.db),
                               world.clock, "Europe/Paris")
    html = report_html(await summaries.for_person(world.lead)).decode().replace("\u00a0", " ")
    sources = html.split("Sources des calculs automatiques")[1]
    assert "<p>Source : le fichier des données essentielles, importé le lundi 30 novembre 2026 par Camille Martin." \
           "</p>" in sources
    assert "<p>Année 2025 : 3 sur 4 marchés notifiés.</p>" in sources
    assert "nested.json" not in html and "Commentaires des directions" in html


async def test_a_reimport_of_overlapping_files_adds_nothing_twice(world):
    await import_all(world)
    contracts, values = await count(world, DecpContract), await count(world, IndicatorValue)
    again = await world.decp.import_file(DECP / "nested.json", "nested.json", world.lead)
    also = await world.decp.import_file(DECP / "consolidated.csv", "consolidated.csv", world.lead)
    assert (again.new, again.updated, again.unchanged, again.changes) == (0, 0, 4, ())
    assert (also.new, also.updated, also.changes) == (0, 0, ())
    assert "Aucune valeur nouvelle" in also.text()
    assert (await count(world, DecpContract), await count(world, IndicatorValue)) == (contracts, values)


async def test_the_report_counts_what_was_read_kept_and_refused_by_reason(world):
    report = await world.decp.import_file(DECP / "nested.json", "nested.json", world.lead)
    assert (report.records, report.kept, report.new, report.refused_total) == (11, 4, 4, 7)
    assert report.refused_counts[RefusalReason.OTHER_BUYER] == 1 and report.refused_counts[RefusalReason.CONCESSION] == 1
    text = report.text()
    assert "Marchés lus\u00a0: 11\u00a0; retenus pour l’organisme\u00a0: 4 (4\u00a0nouveaux, 0\u00a0mis à jour, 0\u00a0déjà connu)" in text
    assert "- considération inconnue\u00a0: 1 — marché n° 10 (2025-010)\u00a0: « Clause socialle »" in text
    assert "1er\u00a0trimestre 2025\u00a0: 66,7\u00a0% (nouvelle valeur) — 2 sur 3\u00a0marchés notifiés" in text
    assert ("- aucun marché notifié\u00a0: 3\u1d49\u00a0trimestre 2025, 4\u1d49\u00a0trimestre 2025, 1er\u00a0trimestre 2026, 2\u1d49\u00a0trimestre 2026, "
            "3\u1d49\u00a0trimestre 2026") in text


async def test_a_file_that_cannot_be_read_changes_nothing(world, tmp_path):
    await world.decp.import_file(DECP / "nested.json", "nested.json", world.lead)
    before = [await count(world, table) for table in (DecpImport, DecpContract, DecpFigure, IndicatorValue)]
    broken = tmp_path / "tronque.json"
    broken.write_bytes((DECP / "flat.json").read_bytes()[:400])
    with pytest.raises(DomainError, match="n’est pas un JSON valide"):
        await world.decp.import_file(broken, "tronque.json", world.lead)
    assert [await count(world, table) for table in (DecpImport, DecpContract, DecpFigure, IndicatorValue)] == before


async def test_only_the_lead_imports(world):
    with pytest.raises(NotAllowed):
        await world.decp.import_file(DECP / "nested.json", "nested.json", world.nadia)
    assert await count(world, DecpImport) == 0


async def test_computed_indicators_are_never_due_from_the_directorates_nor_typed_by_them(world):
    due = await world.values.due_for_directorate("DCP", TODAY)
    assert [item.indicator.code for item in due] == ["IND-01"]
    assert await world.values.still_due("DCP", TODAY) == [("IND-01", "2026-T3")]
    assert [d.items for d in await world.values.directorates_with_due_indicators(TODAY)] == [(("IND-01", "2026-T3"),)]
    with pytest.raises(NotAllowed, match="calculé depuis les données essentielles"):
        await world.values.record_value(world.nadia, "DCP", ValueEntry("SOC-N", "2026-T3", "40 %"), TODAY)


async def test_where_a_figure_comes_from(world):
    await import_all(world)
    provenance = await world.decp.provenance("soc-n")
    assert (provenance.figure.period.code, provenance.figure.contracts, provenance.figure.matching) == ("2026-T3", 1, 1)
    assert provenance.source.filename == "single.json" and provenance.source.sirets == tuple(BODY)
    assert [p.code for p in provenance.empty_periods] == ["2025-T4", "2026-T1", "2026-T2"]
    text = provenance_text(provenance)
    assert "Dernière valeur\u00a0: 100\u00a0% au 3\u1d49\u00a0trimestre 2026, soit 1 sur 1\u00a0marché notifié." in text
    assert "Source : le fichier « single.json », importé le " in text.replace("\u00a0", " ")
    assert "par Camille Martin (import n° 3, SIRET " in text.replace("\u00a0", " ")
    assert "Sans valeur, faute de marché notifié\u00a0: 4\u1d49\u00a0trimestre 2025, 1er\u00a0trimestre 2026, 2\u1d49\u00a0trimestre 2026." in text
    reported = provenance_text(await world.decp.provenance("IND-01"))
    assert "Valeur saisie par la direction DCP." in reported and "Aucune valeur saisie" in reported


async def test_contracts_notified_since_22_august_2026_without_environmental_consideration(world):
    await import_all(world)
    contracts, total = await world.decp.missing_environmental()
    assert total == 2
    assert [(c.contract_id, c.notified_on) for c in contracts] == [("2026-101", date(2026, 9, 10)), ("2026-102", date(2026, 10, 5))]


async def test_the_body_sirets_come_from_the_setting_the_command_line_or_the_last_import(world):
    unset = DecpService(world.db, world.decp._catalogue, world.values, FakeClock(datetime(2026, 11, 30, tzinfo=UTC)), "Europe/Paris")
    with pytest.raises(DomainError, match="SPASER_SIRETS"):
        await unset.sirets()
    with pytest.raises(DomainError, match="invalide\u00a0: un SIRET compte 14\u00a0chiffres"):
        await unset.sirets(["123"])
    report = await unset.import_file(DECP / "nested.json", "nested.json", world.lead, ["21990000100015"])
    assert report.refused_counts[RefusalReason.OTHER_BUYER] == 2, "the second SIRET's contract is another buyer's here"
    assert await unset.sirets() == ("21990000100015",), "the last import's SIRETs"


async def test_the_summary_reads_how_many_contracts_each_computed_value_was_computed_on(world):
    """Issue 17: « La part de 87,6 % porte sur les 42 marchés notifiés… »: the count the import
    recorded with each value (`decp_figure.contracts`) is read back with it."""
    await import_all(world)
    summaries = SummaryService(SummaryRepository(world.db), world.catalogue, DirectorateRepository(world.db),
                               world.clock, "Europe/Paris")
    lines = {line.code: line for line in (await summaries.for_person(world.lead)).lines}
    ids = {view.code: view.id for view in await world.catalogue.list_indicators()}
    async with world.db.session() as session:
        rows = (await session.execute(select(DecpFigure))).scalars()
        figures = {(row.indicator_id, row.period): row.contracts for row in rows}
    # SOC-AN, annual: 2025 is due on 30 November 2026, computed on 4 + 2 + 1 contracts.
    assert lines["SOC-AN"].latest_period.code == "2025"
    assert lines["SOC-AN"].computed_contracts == 7 == figures[(ids["SOC-AN"], "2025")]
    for code in ("SOC-M", "ENV-M", "ENV-N"):  # 2026-T3: one contract
        line = lines[code]
        assert line.computed_contracts == figures[(ids[code], line.latest_period.code)] == 1, code
    assert lines["IND-01"].computed_contracts is None  # typed


async def test_a_modified_contract_counts_for_its_latest_total_whatever_order_the_file_lists_them(world, tmp_path):
    """Reader 15, B2: `modification.montant` is the contract's new total (format 2024), so the contract
    counts for the amount of its latest notified modification, not for the last one listed."""
    def contract(number: str, amount: int, social: list[str], **extra) -> dict:
        return {"id": number, "acheteur": {"id": BODY[0]}, "dateNotification": "2025-01-10", "montant": amount,
                "considerationsSociales": {"considerationSociale": social or ["Pas de considération sociale"]},
                "considerationsEnvironnementales": {"considerationEnvironnementale": ["Pas de considération environnementale"]},
                **extra}

    amended = contract("M1", 100_000, [], modifications=[
        {"modification": {"id": 2, "dateNotificationModification": "2025-03-01", "montant": 130_000}},
        {"modification": {"id": 1, "dateNotificationModification": "2025-02-01", "montant": 110_000}},
    ])
    path = tmp_path / "modifie.json"
    path.write_text(json.dumps({"marches": {"marche": [amended, contract("M2", 70_000, ["Clause sociale"])]}}), encoding="utf-8")
    await world.decp.import_file(path, path.name, world.lead)
    assert await current(world, "SOC-M") == {"2025-T1": Decimal("35.0")}  # 70 000 on 200 000, not 70 000 on 180 000
    _, history = await world.values.history("SOC-M")
    assert history[-1].comment == "70\u202f000\u00a0€ sur 200\u202f000\u00a0€ de marchés notifiés (montants HT)"
