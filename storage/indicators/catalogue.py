"""The indicator catalogue kept in the database and managed by the SPASER lead (CSV, chat).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType

from sqlalchemy import (
    delete,
    func,
    select,
)
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from domain.errors import DomainError
from domain.indicators.catalogue import (
    CATALOGUE_COLUMNS,
    CatalogueRow,
    InvalidCatalogueRow,
    build_catalogue_row,
    catalogue_row_fields,
    catalogue_size_warning,
    unknown_weighting_base,
)
from domain.indicators.catalogue_csv import CatalogueImportError, LineError, export_catalogue_bytes, parse_catalogue_csv
from domain.indicators.rules import (
    FROZEN_WHEN_VALUES_EXIST,
    ImportResult,
    IndicatorView,
)
from domain.text import counted
from storage.data_versions import CATALOGUE, DIRECTORATES, VersionedCache, Versions
from storage.db import Database
from storage.indicators import statements
from storage.indicators.reads import (
    EntriesCache,
    Snapshot,
    directorate_ids,
    find,
    indicator_view,
    known_directorates,
    load_snapshot,
    unknown_indicator,
)
from storage.indicators.tables import Indicator, IndicatorDirectorate, IndicatorValue
from storage.people import Directorate
from storage.unit_of_work import UnitOfWork


class IndicatorCatalogue:
    """Every public call is one unit of work; an edit empties the cache the value recording reads."""

    def __init__(self, database: Database, entries: EntriesCache) -> None:
        self._db = database
        self._entries = entries
        self._views: VersionedCache[None, Mapping[str, IndicatorView]] = VersionedCache(CATALOGUE, DIRECTORATES)

    async def list_indicators(self, *, include_inactive: bool = False, uow: UnitOfWork | None = None) -> list[IndicatorView]:
        """Sorted by code. Within a unit of work, read from its transaction (it may have written)."""
        if uow is None:
            views = (await self._kept_views()).values()
        else:
            async with self._db.session_in(uow) as session:
                views = (await self._read_views(session)).values()
        return [view for view in views if include_inactive or view.active]

    async def get(self, code: str) -> IndicatorView | None:
        return (await self._kept_views()).get((code or "").strip().upper())

    async def require(self, code: str) -> IndicatorView:
        views = await self._kept_views()
        wanted = (code or "").strip().upper()
        if wanted not in views:
            raise unknown_indicator(wanted, views)
        return views[wanted]

    async def _kept_views(self) -> Mapping[str, IndicatorView]:
        """The views kept while the versions stay the same: when some are kept, the versions are
        the one read (`Database.read`: one hand-over on a SQLite file) unless they moved."""
        if self._views.latest(None) is not None:
            [[versions]] = await self._db.read((self._views.statement, {}))
            kept = self._views.get(None, tuple(versions))
            if kept is not None:
                return kept
        async with self._db.transaction() as connection:
            return await self.views_in(connection, await self._views.versions(connection))

    async def views_in(self, executor: AsyncConnection | AsyncSession, versions: Versions) -> Mapping[str, IndicatorView]:
        """Every indicator's view by code, sorted, kept while the catalogue's and the directorates'
        versions stay the same: `versions` are theirs (`CATALOGUE`, `DIRECTORATES`), read first in
        the caller's transaction, where the catalogue is read when they moved."""
        return await self._views.get_or_build(None, versions, lambda: self._read_views(executor))

    @staticmethod
    async def _read_views(executor: AsyncConnection | AsyncSession) -> Mapping[str, IndicatorView]:
        snapshot = Snapshot()
        for row in await executor.execute(statements.INDICATOR_ROWS):
            snapshot.indicators[row.code] = row
        for indicator_id, code in await executor.execute(statements.LINKS):
            snapshot.directorates_of.setdefault(indicator_id, []).append(code)
        return MappingProxyType(
            {code: indicator_view(snapshot.indicators[code], snapshot) for code in sorted(snapshot.indicators)}
        )

    async def active_count(self) -> int:
        async with self._db.session() as session:
            return (await session.execute(select(func.count()).where(Indicator.active.is_(True)))).scalar_one()

    async def add_indicator(self, row: CatalogueRow) -> IndicatorView:
        async with self._db.session() as session:
            snapshot = await load_snapshot(session)
            if row.code in snapshot.indicators:
                raise DomainError(f"Le code {row.code} existe déjà : choisissez-en un autre ou modifiez l’indicateur.")
            linked_ids = await directorate_ids(session, row.directorates)
            indicator = Indicator(code=row.code)
            self._apply(indicator, row)
            session.add(indicator)
            await session.flush()
            session.add_all(IndicatorDirectorate(indicator_id=indicator.id, directorate_id=d) for d in linked_ids)
            await session.flush()
            snapshot.indicators[row.code] = indicator
            snapshot.directorates_of[indicator.id] = list(row.directorates)
            return indicator_view(indicator, snapshot)

    async def update_field(self, code: str, column: str, text: str) -> IndicatorView:
        """Change one catalogue column (CSV names: libelle, cible, actif…), validated like an import row."""
        if column not in CATALOGUE_COLUMNS:
            raise DomainError(f"Champ « {column} » inconnu. Champs modifiables : {', '.join(CATALOGUE_COLUMNS[1:])}.")
        if column == "code":
            raise DomainError("Le code d’un indicateur ne se modifie pas : créez un nouvel indicateur et désactivez l’ancien.")
        async with self._db.session() as session:
            snapshot = await load_snapshot(session)
            indicator = find(snapshot, code)
            fields = catalogue_row_fields(indicator_view(indicator, snapshot).as_row())
            fields[column] = text
            known = await known_directorates(session)
            try:
                row = build_catalogue_row(fields, known_directorates=known)
            except InvalidCatalogueRow as error:
                raise DomainError(" ".join(str(problem) for problem in error.problems)) from None
            if column in FROZEN_WHEN_VALUES_EXIST:
                await self._refuse_frozen_change(session, indicator, row)
            problem = unknown_weighting_base(row, set(snapshot.indicators))
            if problem:
                raise DomainError(problem)
            self._apply(indicator, row)
            if column == "directions":
                await self._replace_directorates(session, indicator.id, row.directorates)
                snapshot.directorates_of[indicator.id] = list(row.directorates)
            await session.flush()
            view = indicator_view(indicator, snapshot)
        self._entries.clear()
        return view

    async def set_active(self, code: str, active: bool) -> IndicatorView:
        return await self.update_field(code, "actif", "oui" if active else "non")

    async def import_catalogue(self, data: str | bytes) -> ImportResult:
        """Validate the whole file, then create or update every row in one transaction (all or nothing).

        Indicators absent from the file are left as they are (deactivate them explicitly).
        """
        async with self._db.session() as session:
            known = await known_directorates(session)
            rows = parse_catalogue_csv(data, known_directorates=known)
            snapshot = await load_snapshot(session)
            errors: list[LineError] = []
            codes = set(snapshot.indicators) | {row.code for row in rows}
            for row in rows:
                problem = unknown_weighting_base(row, codes)
                if problem:
                    errors.append(LineError(row.line, problem, "base_ponderation"))
                existing = snapshot.indicators.get(row.code)
                if existing is not None:
                    try:
                        await self._refuse_frozen_change(session, existing, row)
                    except DomainError as error:
                        errors.append(LineError(row.line, error.message))
            if errors:
                raise CatalogueImportError(errors)
            created, updated, touched = [], [], []
            for row in rows:
                indicator = snapshot.indicators.get(row.code)
                if indicator is None:
                    indicator = Indicator(code=row.code)
                    session.add(indicator)
                    created.append(row.code)
                else:
                    updated.append(row.code)
                self._apply(indicator, row)
                touched.append((indicator, row.directorates))
            await session.flush()
            ids = {d.code: d.id for d in (await session.execute(select(Directorate))).scalars()}
            await session.execute(
                delete(IndicatorDirectorate).where(IndicatorDirectorate.indicator_id.in_([i.id for i, _ in touched]))
            )
            session.add_all(
                IndicatorDirectorate(indicator_id=indicator.id, directorate_id=ids[code])
                for indicator, codes in touched
                for code in codes
            )
            await session.flush()
            active = (await session.execute(select(func.count()).where(Indicator.active.is_(True)))).scalar_one()
        self._entries.clear()
        return ImportResult(tuple(created), tuple(updated), active, catalogue_size_warning(active))

    async def export_catalogue(self) -> bytes:
        views = await self.list_indicators(include_inactive=True)
        return export_catalogue_bytes(view.as_row() for view in views)

    # ----- helpers ---------------------------------------------------------------------------

    @staticmethod
    def _apply(indicator: Indicator, row: CatalogueRow) -> None:
        indicator.label = row.label
        indicator.axis = row.axis.value
        indicator.unit = row.unit.value
        indicator.frequency = row.frequency.value
        indicator.baseline = row.baseline
        indicator.target = row.target
        indicator.target_year = row.target_year
        indicator.direction = row.improvement.value
        indicator.source = row.source
        indicator.preexisting = row.preexisting
        indicator.active = row.active
        indicator.definition = row.definition or None
        indicator.aggregation = row.aggregation.value if row.aggregation else None
        indicator.weighting_base = row.weighting_base
        indicator.computation = row.computation.value
        indicator.counted_noun = row.counted_noun or None
        indicator.legal_threshold = row.legal_threshold
        indicator.legal_basis = row.legal_basis or None

    async def _refuse_frozen_change(self, session: AsyncSession, indicator: Indicator, row: CatalogueRow) -> None:
        changed = []
        if row.unit.value != indicator.unit:
            changed.append(f"l'unité ({indicator.unit} → {row.unit.value})")
        if row.frequency.value != indicator.frequency:
            changed.append(f"la fréquence ({indicator.frequency} → {row.frequency.value})")
        if not changed:
            return
        count = (
            await session.execute(
                select(func.count()).select_from(IndicatorValue).where(IndicatorValue.indicator_id == indicator.id)
            )
        ).scalar_one()
        if count:
            raise DomainError(
                f"{indicator.code} a déjà {counted(count, 'valeur saisie', 'valeurs saisies')} : changer {' et '.join(changed)} rendrait "
                "l’historique incohérent. Créez plutôt un nouvel indicateur et désactivez celui-ci."
            )

    async def _replace_directorates(self, session: AsyncSession, indicator_id: int, codes: Iterable[str]) -> None:
        ids = await directorate_ids(session, codes)
        await session.execute(delete(IndicatorDirectorate).where(IndicatorDirectorate.indicator_id == indicator_id))
        session.add_all(IndicatorDirectorate(indicator_id=indicator_id, directorate_id=d) for d in ids)
