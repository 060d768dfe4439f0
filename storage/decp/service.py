"""Importing the body's DECP and computing the indicators that come from it, in one unit of work.

The file is read in a worker thread (domain/decp/reader.py, streamed); then one transaction
stores the contracts (new, newer state, or unchanged), computes every active computed indicator
for every period and records the values that changed through `IndicatorValues.record_values`,
the same path and history as a typed value, entered by the lead who imported (the audit trail
names a person accountable for the import, and the lead's rules apply: any period that started).
A file that cannot be read, or any failure, leaves every table as it was.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from sqlalchemy import bindparam, func, insert, select, text, update
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.clock import Clock, load_timezone
from domain.decp.contracts import ENVIRONMENTAL_OBLIGATION_START, RESERVED, Contract, normalise_siret
from domain.decp.measures import ContractFacts, PeriodFigure, period_figures
from domain.decp.reader import ParsedFile, read_decp_file
from domain.decp.report import ContractLine, ImportReport, ImportSource, Provenance, ValueChange, value_comment
from domain.errors import DomainError, quoted_input
from domain.indicators.aggregation import Computation
from domain.indicators.periods import parse_period
from domain.indicators.rules import IndicatorView, NotAllowed, ValueEntry
from domain.indicators.sources import ValueSource
from domain.people import PersonView, Role
from storage.columns import utcnow
from storage.db import Database
from storage.decp.tables import DecpContract, DecpFigure, DecpImport
from storage.indicators.catalogue import IndicatorCatalogue
from storage.indicators.tables import IndicatorValue
from storage.indicators.values import IndicatorValues
from storage.people import Directorate, Person
from storage.unit_of_work import UnitOfWork

CHUNK = 500
ANALYZE_AFTER = 1_000
EMPTY_PERIODS_SHOWN = 12
_contracts = DecpContract.__table__
_figures = DecpFigure.__table__
_imports = DecpImport.__table__
_COMPARED = ("object", "notified_on", "amount", "social", "environmental", "modification_count", "state")
UPDATE_CONTRACT = (
    update(_contracts)
    .where(_contracts.c.id == bindparam("row_id"))
    .values({name: bindparam(name) for name in (*_COMPARED, "last_import_id")})
)
NO_SIRET = (
    "Je ne connais pas encore le SIRET de l’organisme : indiquez-le dans la variable SPASER_SIRETS "
    "(plusieurs séparés par des virgules) ou importez une première fois en ligne de commande : "
    "« spaser-bot import-decp FICHIER --siret 12345678900012 »."
)


class DecpService:
    def __init__(
        self,
        database: Database,
        catalogue: IndicatorCatalogue,
        values: IndicatorValues,
        clock: Clock,
        timezone: str,
        sirets: Sequence[str] = (),
    ) -> None:
        self._db = database
        self._catalogue = catalogue
        self._values = values
        self._clock = clock
        self._zone = load_timezone(timezone)
        self._sirets = tuple(sirets)

    def today(self) -> date:
        return self._clock.now().astimezone(self._zone).date()

    async def sirets(self, given: Sequence[str] = ()) -> tuple[str, ...]:
        """The body's SIRETs: given (command line), else the setting, else those of the last import."""
        candidates = tuple(given) or self._sirets
        if not candidates:
            async with self._db.transaction() as connection:
                last = (await connection.execute(select(_imports.c.sirets).order_by(_imports.c.id.desc()).limit(1))).scalar()
            candidates = tuple(last.split(",")) if last else ()
        if not candidates:
            raise DomainError(NO_SIRET)
        sirets = []
        for candidate in candidates:
            siret = normalise_siret(candidate)
            if siret is None:
                raise DomainError(f"SIRET « {quoted_input(candidate, 20)} » invalide : un SIRET compte 14 chiffres.")
            sirets.append(siret)
        return tuple(dict.fromkeys(sirets))

    async def import_file(
        self, path: Path, filename: str, person: PersonView | None, sirets: Sequence[str] = ()
    ) -> ImportReport:
        """Import a DECP file for the body; raises a French DomainError and changes nothing when it fails."""
        if person is None or person.role is not Role.LEAD:
            raise NotAllowed("Seules les personnes responsables du SPASER peuvent importer les données essentielles (DECP) de l’organisme.")
        body_sirets = await self.sirets(sirets)
        today = self.today()
        parsed = await asyncio.to_thread(read_decp_file, path, body_sirets, today, filename)
        computed = [view for view in await self._catalogue.list_indicators() if view.computation is not Computation.REPORTED]
        now = self._clock.now()
        async with self._db.unit_of_work() as uow:
            async with uow.joined() as connection:
                import_id = (
                    await connection.execute(
                        insert(_imports).returning(_imports.c.id),
                        dict(filename=filename[:255], imported_by_id=person.id, imported_at=now, sirets=",".join(body_sirets),
                             records=parsed.records, new_contracts=0, updated_contracts=0, unchanged_contracts=0,
                             merged=parsed.merged, refused=sum(parsed.refused_counts.values()), report_json="{}"),
                    )
                ).scalar_one()
                new, updated, unchanged = await _store_contracts(connection, parsed, import_id)
                if new >= ANALYZE_AFTER and connection.dialect.name == "postgresql":
                    # Fresh statistics, or the next import's lookups by uid (500 at a time) are planned
                    # as sequential scans: 8 s instead of 0.5 s for 20,000 contracts.
                    await connection.execute(text("ANALYZE decp_contract"))
            source = ImportSource(import_id, filename, now, person.name or person.email or "", body_sirets)
            changes, unchanged_values = await self._compute(uow, computed, source, person, today)
            async with uow.joined() as connection:
                report_json = json.dumps(
                    {"refused": {reason.value: count for reason, count in parsed.refused_counts.items()},
                     "values": [f"{c.indicator.code} {c.line}" for c in changes]},
                    ensure_ascii=False,
                )
                await connection.execute(
                    update(_imports).where(_imports.c.id == import_id).values(
                        new_contracts=new, updated_contracts=updated, unchanged_contracts=unchanged, report_json=report_json
                    )
                )
        return ImportReport(
            source=source,
            records=parsed.records,
            new=new,
            updated=updated,
            unchanged=unchanged,
            merged=parsed.merged,
            refused_counts=dict(parsed.refused_counts),
            refused=tuple(parsed.refused),
            changes=tuple(changes),
            computed_indicators=len(computed),
            unchanged_values=unchanged_values,
        )

    async def _compute(
        self, uow: UnitOfWork, indicators: list[IndicatorView], source: ImportSource, person: PersonView, today: date
    ) -> tuple[list[ValueChange], int]:
        """Every computed indicator for every period; the values that changed recorded as the lead's."""
        if not indicators:
            return [], 0
        async with uow.joined() as connection:
            facts = [_facts(row) for row in await connection.execute(
                select(_contracts.c.notified_on, _contracts.c.amount, _contracts.c.social, _contracts.c.environmental)
            )]
        changes: list[ValueChange] = []
        unchanged = 0
        for indicator in indicators:
            directorate = indicator.directorates[0]
            figures = period_figures(indicator.computation, indicator.frequency, facts, today)
            async with uow.joined() as connection:
                current = await _current_values(connection, indicator, directorate)
                stored = {row.period: row for row in await connection.execute(select(_figures).where(_figures.c.indicator_id == indicator.id))}
            entries, recorded = [], []
            for figure in figures:
                previous = current.get(figure.period.code)
                if figure.value is not None and figure.value != previous:
                    entries.append(ValueEntry(
                        indicator.code, figure.period.code, figure.value, value_comment(indicator.computation, figure),
                        source=ValueSource.decp(source.filename, source.id),
                    ))
                    changes.append(ValueChange(indicator, figure, previous))
                elif figure.value is None and _changed(stored.get(figure.period.code), figure):
                    changes.append(ValueChange(indicator, figure, previous))
                elif figure.value is not None:
                    unchanged += 1
                recorded.append(figure)
            saved_ids: dict[str, int] = {}
            if entries:
                outcome = await self._values.record_values(
                    person, directorate, entries, today, submission_key=f"decp:{source.id}", uow=uow
                )
                saved_ids = {view.period.code: view.id for view in outcome.saved}
            async with uow.joined() as connection:
                await _store_figures(connection, indicator.id, recorded, stored, saved_ids, source.id)
        return changes, unchanged

    async def provenance(self, code: str) -> Provenance:
        indicator = await self._catalogue.require(code)
        if indicator.computation is Computation.REPORTED:
            _, latest = await self._values.latest_values(code)
            return Provenance(indicator, latest=tuple(latest))
        async with self._db.transaction() as connection:
            rows = list(await connection.execute(
                select(_figures).where(_figures.c.indicator_id == indicator.id).order_by(_figures.c.period)
            ))
            with_value = [row for row in rows if row.value is not None]
            import_id = with_value[-1].import_id if with_value else (
                await connection.execute(select(func.max(_imports.c.id)))
            ).scalar()
            source = await _source(connection, import_id) if import_id is not None else None
        figure = _figure(with_value[-1], indicator) if with_value else None
        empty = tuple(parse_period(row.period, indicator.frequency) for row in rows if row.value is None)
        return Provenance(indicator, figure, source, empty[-EMPTY_PERIODS_SHOWN:])

    async def latest_figures(self) -> dict[int, tuple[str, bool]]:
        """Per computed indicator id: its most recent period computed, and whether it had any contract."""
        async with self._db.transaction() as connection:
            latest = select(_figures.c.indicator_id, func.max(_figures.c.period).label("period")).group_by(_figures.c.indicator_id).subquery()
            rows = await connection.execute(
                select(_figures.c.indicator_id, _figures.c.period, _figures.c.value).join(
                    latest, (latest.c.indicator_id == _figures.c.indicator_id) & (latest.c.period == _figures.c.period)
                )
            )
            return {row.indicator_id: (row.period, row.value is not None) for row in rows}

    async def missing_environmental(self, since: date = ENVIRONMENTAL_OBLIGATION_START, limit: int = 30) -> tuple[list[ContractLine], int]:
        """Contracts notified since `since` without any environmental consideration, oldest first, and their count."""
        condition = (_contracts.c.notified_on >= since) & (_contracts.c.environmental == "")
        async with self._db.transaction() as connection:
            total = (await connection.execute(select(func.count()).select_from(_contracts).where(condition))).scalar_one()
            rows = await connection.execute(
                select(_contracts.c.contract_id, _contracts.c.object, _contracts.c.notified_on, _contracts.c.amount)
                .where(condition)
                .order_by(_contracts.c.notified_on, _contracts.c.contract_id)
                .limit(limit)
            )
            return [ContractLine(r.contract_id, r.object, r.notified_on, r.amount) for r in rows], total

    async def contract_count(self) -> int:
        async with self._db.transaction() as connection:
            return (await connection.execute(select(func.count()).select_from(_contracts))).scalar_one()


async def _store_contracts(connection: AsyncConnection, parsed: ParsedFile, import_id: int) -> tuple[int, int, int]:
    """Insert new contracts, update those in a newer (or republished) state; (new, updated, unchanged)."""
    uids = list(parsed.contracts)
    existing = {}
    for start in range(0, len(uids), CHUNK):
        rows = await connection.execute(
            select(_contracts.c.id, _contracts.c.uid, *(_contracts.c[name] for name in _COMPARED)).where(
                _contracts.c.uid.in_(uids[start : start + CHUNK])
            )
        )
        existing.update({row.uid: row for row in rows})
    inserts, updates, unchanged = [], [], 0
    for uid, contract in parsed.contracts.items():
        row = _row(contract)
        old = existing.get(uid)
        if old is None:
            inserts.append({**row, "uid": uid, "buyer_siret": contract.buyer_siret, "contract_id": contract.contract_id,
                            "first_import_id": import_id, "last_import_id": import_id})
        elif contract.state < old.state or all(row[name] == getattr(old, name) for name in _COMPARED):
            unchanged += 1
        else:
            updates.append({**row, "row_id": old.id, "last_import_id": import_id})
    for start in range(0, len(inserts), CHUNK):
        await connection.execute(insert(_contracts), inserts[start : start + CHUNK])
    for start in range(0, len(updates), CHUNK):
        await connection.execute(UPDATE_CONTRACT, updates[start : start + CHUNK])
    return len(inserts), len(updates), unchanged


def _row(contract: Contract) -> dict:
    return {
        "object": contract.object,
        "notified_on": contract.notified_on,
        "amount": contract.amount,
        "social": "|".join(contract.social),
        "environmental": "|".join(contract.environmental),
        "modification_count": contract.modification_count,
        "state": contract.state,
    }


def _facts(row) -> ContractFacts:
    social = row.social.split("|") if row.social else []
    return ContractFacts(row.notified_on, row.amount, bool(social), bool(row.environmental), RESERVED in social)


async def _current_values(connection: AsyncConnection, indicator: IndicatorView, directorate: str) -> dict[str, object]:
    values = IndicatorValue.__table__
    rows = await connection.execute(
        select(values.c.period, values.c.value)
        .join(Directorate.__table__, Directorate.__table__.c.id == values.c.directorate_id)
        .where(values.c.indicator_id == indicator.id, Directorate.__table__.c.code == directorate, values.c.current_key.is_not(None))
    )
    return {row.period: row.value for row in rows}


def _changed(stored, figure: PeriodFigure) -> bool:
    return stored is None or stored.value is not None or stored.contracts != figure.contracts


async def _store_figures(connection, indicator_id: int, figures: list[PeriodFigure], stored: dict, saved_ids: dict[str, int], import_id: int) -> None:
    for figure in figures:
        code = figure.period.code
        data = dict(contracts=figure.contracts, amount=figure.amount, matching=figure.matching,
                    matching_amount=figure.matching_amount, value=figure.value)
        now = utcnow()
        old = stored.get(code)
        if old is None:
            await connection.execute(insert(_figures), {**data, "indicator_id": indicator_id, "period": code, "updated_at": now,
                                                        "import_id": import_id, "value_id": saved_ids.get(code)})
        elif code in saved_ids or any(getattr(old, name) != value for name, value in data.items()):
            extra = {"value_id": saved_ids[code]} if code in saved_ids else {}
            await connection.execute(update(_figures).where(_figures.c.id == old.id).values(**data, import_id=import_id, updated_at=now, **extra))


async def _source(connection: AsyncConnection, import_id: int) -> ImportSource | None:
    row = (await connection.execute(
        select(_imports.c.id, _imports.c.filename, _imports.c.imported_at, _imports.c.sirets, Person.__table__.c.name)
        .outerjoin(Person.__table__, Person.__table__.c.id == _imports.c.imported_by_id)
        .where(_imports.c.id == import_id)
    )).first()
    if row is None:
        return None
    return ImportSource(row.id, row.filename, row.imported_at, row.name or "", tuple(row.sirets.split(",")))


def _figure(row, indicator: IndicatorView) -> PeriodFigure:
    return PeriodFigure(
        parse_period(row.period, indicator.frequency), row.contracts, row.amount, row.matching, row.matching_amount, row.value
    )
