"""Reading the catalogue and the values: snapshots of indicators with their directorates, value views.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date
from typing import NamedTuple

from sqlalchemy import (
    Row,
    select,
)
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from domain.errors import DomainError
from domain.indicators.aggregation import AggregationRule, Computation
from domain.indicators.catalogue import Axis, ImprovementDirection
from domain.indicators.periods import (
    Frequency,
    Period,
    current_reporting_period,
    parse_period,
)
from domain.indicators.rules import (
    DueItem,
    IndicatorView,
    UnknownIndicator,
    ValueEntry,
    ValueView,
    canonical,
)
from domain.indicators.sources import ValueSource
from domain.indicators.units import Unit
from storage.data_versions import CATALOGUE, DIRECTORATES, VersionedCache, Versions
from storage.db import Database
from storage.indicators import statements
from storage.indicators.tables import Indicator, IndicatorValue
from storage.people import Directorate


@dataclass
class Snapshot:
    """The catalogue as loaded in one session, by code, with directorate ids and codes (ORM
    objects, or plain rows with the same attribute names on the recording path)."""

    indicators: dict[str, Indicator] = field(default_factory=dict)
    directorates_of: dict[int, list[str]] = field(default_factory=dict)
    by_id: dict[int, Indicator] = field(default_factory=dict)
    all_codes: list[str] = field(default_factory=list)


class CatalogueChanged(Exception):
    """The catalogue no longer allows what its remembered rows allowed: check again on fresh rows."""


class EntriesCache:
    """The catalogue rows recording needs (indicator, its directorates), kept between turns.

    Recording then skips reading them: the insert itself checks, in the database, that the
    indicator is still active, of the same unit and frequency, and reported by the directorate
    (`_INSERT_VALUE_IF_STILL_ALLOWED`); when it is not, or when the remembered rows refuse an
    entry, the catalogue is read again and decides. Emptied by this process's catalogue edits.
    """

    def __init__(self) -> None:
        self._rows: dict[str, tuple[Row, tuple[tuple[str, int], ...]]] = {}

    def remember(self, code: str, row: Row, links: list[tuple[str, int]]) -> None:
        self._rows[code] = (row, tuple(links))

    def clear(self) -> None:
        self._rows.clear()

    def snapshot(self, codes: Iterable[str]) -> tuple[Snapshot, dict[str, int]] | None:
        """The snapshot `_entries_snapshot` would read, when every code is remembered."""
        snapshot = Snapshot()
        directorate_ids: dict[str, int] = {}
        for code in {(code or "").strip().upper() for code in codes}:
            found = self._rows.get(code)
            if found is None:
                return None
            row, links = found
            snapshot.indicators[code] = row
            snapshot.by_id[row.id] = row
            snapshot.directorates_of[row.id] = [linked_code for linked_code, _ in links]
            directorate_ids.update(links)
        snapshot.all_codes = list(snapshot.indicators)
        return snapshot, directorate_ids


class DirectorateRef(NamedTuple):
    """A directorate as the due list reads it (`Directorate` rows have the same attributes)."""

    id: int
    code: str


@dataclass(frozen=True)
class DueCatalogue:
    """A directorate and the views of its indicators: plain values, kept between turns."""

    directorate: DirectorateRef
    indicators: tuple[IndicatorView, ...]

    def snapshot(self) -> Snapshot:
        """For `values_around`, which reads indicators by id."""
        return Snapshot(by_id={view.id: view for view in self.indicators})


class DirectorateCatalogues:
    """Each directorate with its indicators, as a due list reads them, kept while the catalogue's
    and the directorates' versions stay the same (`storage.data_versions.VersionedCache`)."""

    def __init__(self, capacity: int = 64) -> None:
        self._kept: VersionedCache[str, DueCatalogue] = VersionedCache(CATALOGUE, DIRECTORATES, capacity=capacity)

    async def read(self, session: AsyncSession, directorate_code: str) -> DueCatalogue:
        """The versions are read first, in `session`: what is kept is never older than its versions."""
        versions = await self._kept.versions(session)
        return await self._kept.get_or_build(
            (directorate_code or "").strip().upper(), versions, lambda: self._read(session, directorate_code)
        )

    @property
    def versions_statement(self):
        return self._kept.statement

    def kept(self, directorate_code: str) -> tuple[Versions, DueCatalogue] | None:
        """The directorate's catalogue as last kept, with the versions it is kept under: usable for a
        read whose versions, read in the same transaction, turn out to be these (`still_current`)."""
        return self._kept.latest((directorate_code or "").strip().upper())

    def still_current(self, directorate_code: str, versions: Versions) -> DueCatalogue | None:
        return self._kept.get((directorate_code or "").strip().upper(), versions)

    @staticmethod
    async def _read(session: AsyncSession, directorate_code: str) -> DueCatalogue:
        directorate = await directorate_by_code(session, directorate_code)
        snapshot = await load_snapshot(session, directorate_id=directorate.id)
        views = tuple(indicator_view(indicator, snapshot) for indicator in snapshot.indicators.values())
        return DueCatalogue(DirectorateRef(directorate.id, directorate.code), views)


async def load_snapshot(
    session: AsyncSession, *, codes: Iterable[str] | None = None, directorate_id: int | None = None
) -> Snapshot:
    """Indicators with their directorates; `codes`/`directorate_id` load only those concerned."""
    wanted = {(code or "").strip().upper() for code in codes} if codes is not None else None
    if wanted is not None and directorate_id is not None:
        query = statements.INDICATORS_BY_CODES.where(statements.INDICATORS_OF_DIRECTORATE.whereclause)
    elif wanted is not None:
        query = statements.INDICATORS_BY_CODES
    elif directorate_id is not None:
        query = statements.INDICATORS_OF_DIRECTORATE
    else:
        query = statements.INDICATORS
    parameters: dict[str, object] = {} if directorate_id is None else {"directorate_id": directorate_id}
    snapshot = Snapshot()
    if wanted is not None:
        parameters["codes"] = sorted(wanted)
    for indicator in (await session.execute(query, parameters)).scalars():
        snapshot.indicators[indicator.code] = indicator
        snapshot.by_id[indicator.id] = indicator
    if wanted is None and directorate_id is None:
        snapshot.all_codes = list(snapshot.indicators)
        links = await session.execute(statements.LINKS)
    else:
        if not (wanted or set()) <= snapshot.indicators.keys():
            snapshot.all_codes = list((await session.execute(statements.INDICATOR_CODES)).scalars())
        links = await session.execute(statements.LINKS_OF_INDICATORS, {"ids": list(snapshot.by_id)})
    for indicator_id, code in links:
        snapshot.directorates_of.setdefault(indicator_id, []).append(code)
    return snapshot


def find(snapshot: Snapshot, code: str) -> Indicator:
    wanted = (code or "").strip().upper()
    indicator = snapshot.indicators.get(wanted)
    if indicator is not None:
        return indicator
    raise unknown_indicator(wanted, snapshot.all_codes)


def unknown_indicator(wanted: str, codes: Iterable[str]) -> UnknownIndicator:
    """The error for an unknown code, naming the closest of `codes` as a hint."""
    close = difflib.get_close_matches(wanted, sorted(codes), n=1)
    hint = f" Vouliez-vous dire {close[0]} ?" if close else " Tapez « catalogue » pour voir les codes."
    return UnknownIndicator(f"Indicateur « {wanted[:40]} » inconnu.{hint}")

def indicator_view(indicator: Indicator, snapshot: Snapshot) -> IndicatorView:
    return IndicatorView(
        id=indicator.id,
        code=indicator.code,
        label=indicator.label,
        axis=Axis(indicator.axis),
        unit=Unit(indicator.unit),
        frequency=Frequency(indicator.frequency),
        improvement=ImprovementDirection(indicator.direction),
        baseline=None if indicator.baseline is None else canonical(indicator.baseline),
        target=None if indicator.target is None else canonical(indicator.target),
        target_year=indicator.target_year,
        source=indicator.source or "",
        preexisting=bool(indicator.preexisting),
        active=bool(indicator.active),
        directorates=tuple(snapshot.directorates_of.get(indicator.id, ())),
        definition=indicator.definition or "",
        aggregation=AggregationRule(indicator.aggregation) if indicator.aggregation else None,
        weighting_base=indicator.weighting_base,
        computation=Computation(indicator.computation or Computation.REPORTED.value),
        counted_noun=indicator.counted_noun or "",
        legal_threshold=None if indicator.legal_threshold is None else canonical(indicator.legal_threshold),
        legal_basis=indicator.legal_basis or "",
    )

async def known_directorates(session: AsyncSession) -> list[str]:
    return list((await session.execute(select(Directorate.code))).scalars())

async def directorate_by_code(session: AsyncSession, code: str) -> Directorate:
    wanted = (code or "").strip().upper()
    directorate = (await session.execute(statements.DIRECTORATE_BY_CODE, {"code": wanted})).scalar_one_or_none()
    if directorate is None:
        raise DomainError(f"La direction « {wanted[:40]} » n’existe pas. Tapez « lister les directions ».")
    return directorate

async def directorate_ids(session: AsyncSession, codes: Iterable[str]) -> list[int]:
    return [(await directorate_by_code(session, code)).id for code in codes]

async def existing_current_keys(session: AsyncSession, keys: list[str]) -> list[str]:
    found: list[str] = []
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        found += (
            await session.execute(select(IndicatorValue.current_key).where(IndicatorValue.current_key.in_(chunk)))
        ).scalars()
    return found

async def values_around(
    session: AsyncSession | AsyncConnection,
    snapshot: Snapshot,
    directorate: DirectorateRef | Directorate,
    candidates: list[tuple[IndicatorView, Period]],
) -> tuple[dict[str, ValueView], dict[int, ValueView]]:
    """For due items, in one statement: the current value of each candidate period, by current key,
    and each indicator's current value of the latest period before its candidate one, by indicator
    id (`statements.values_around_query`)."""
    read = values_around_read(directorate, candidates)
    if read is None:
        return {}, {}
    return values_around_found(await session.execute(*read), snapshot)


def values_around_read(
    directorate: DirectorateRef | Directorate, candidates: list[tuple[IndicatorView, Period]]
) -> tuple[object, dict[str, object]] | None:
    """`values_around`'s statement and parameters (None when there is no candidate), for a caller
    that reads them with other statements (`Database.read`); `values_around_found` reads its rows."""
    if not candidates:
        return None
    ids_by_period: dict[str, list[int]] = {}
    for indicator, period in candidates:
        ids_by_period.setdefault(period.code, []).append(indicator.id)
    parameters: dict[str, object] = {
        "directorate_id": directorate.id,
        "keys": [current_key_of(indicator.id, directorate.id, period.code) for indicator, period in candidates],
    }
    for i, (period_code, ids) in enumerate(sorted(ids_by_period.items())):
        parameters[f"ids_{i}"], parameters[f"period_{i}"] = ids, period_code
    return statements.values_around_query(len(ids_by_period)), parameters


def values_around_found(rows: Iterable, snapshot: Snapshot) -> tuple[dict[str, ValueView], dict[int, ValueView]]:
    existing: dict[str, ValueView] = {}
    last: dict[int, ValueView] = {}
    for row in rows:
        view = value_view(row, snapshot, row.directorate_code, {row.person_id: row.person_name or row.person_email or ""})
        if row.found_as == 0:
            existing[row.current_key] = view
        else:
            last[row.indicator_id] = view
    return existing, last


def due_candidates(
    catalogue: DueCatalogue, today: date, period: Period | None, wanted: set[str] | None
) -> list[tuple[IndicatorView, Period]]:
    """The directorate's indicators asked of it (`wanted` only, of `period`'s frequency only), each
    with the period due at `today` (or `period`)."""
    candidates: list[tuple[IndicatorView, Period]] = []
    for view in catalogue.indicators:
        if not asked_of_directorates(view) or (wanted is not None and view.code not in wanted):
            continue
        if period is not None and period.frequency is not view.frequency:
            continue
        candidates.append((view, period or current_reporting_period(view.frequency, today)))
    return candidates


def due_items(
    directorate: DirectorateRef | Directorate,
    candidates: list[tuple[IndicatorView, Period]],
    existing: dict[str, ValueView],
    last: dict[int, ValueView],
) -> list[DueItem]:
    return [
        DueItem(
            indicator=indicator,
            directorate_code=directorate.code,
            period=period,
            last=last.get(indicator.id),
            existing=existing.get(current_key_of(indicator.id, directorate.id, period.code)),
        )
        for indicator, period in candidates
    ]


async def due_from_kept_catalogue(
    database: Database,
    catalogues: DirectorateCatalogues,
    directorate_code: str,
    today: date,
    period: Period | None,
    wanted: set[str] | None,
) -> list[DueItem] | None:
    """The due items from the directorate's catalogue as last kept, its versions and the values
    read in one transaction (one hand-over on a SQLite file); None when nothing is kept or the
    versions read are no longer those it is kept under (the caller then reads as before)."""
    kept = catalogues.kept(directorate_code)
    if kept is None:
        return None
    catalogue = kept[1]
    candidates = due_candidates(catalogue, today, period, wanted)
    values = values_around_read(catalogue.directorate, candidates)
    reads = [(catalogues.versions_statement, {})] + ([values] if values is not None else [])
    found = await database.read(*reads)
    if catalogues.still_current(directorate_code, tuple(found[0][0])) is not catalogue:
        return None
    existing, last = values_around_found(found[1], catalogue.snapshot()) if values is not None else ({}, {})
    return due_items(catalogue.directorate, candidates, existing, last)


async def value_rows(session: AsyncSession, *conditions) -> list[tuple[IndicatorValue, str, dict[int, str]]]:
    return _with_names(await session.execute(statements.value_rows_query(*conditions)))


def _with_names(rows) -> list[tuple[IndicatorValue, str, dict[int, str]]]:
    return [(row, code, {person_id: name or email or ""}) for row, code, person_id, name, email in rows]


def value_view(row: IndicatorValue, snapshot: Snapshot, directorate_code: str, names: dict[int, str]) -> ValueView:
    indicator = snapshot.by_id[row.indicator_id]
    entered_at = row.entered_at if row.entered_at.tzinfo else row.entered_at.replace(tzinfo=UTC)
    entered_by = names.get(row.entered_by_id, "")
    return ValueView(
        id=row.id,
        indicator_code=indicator.code,
        unit=Unit(indicator.unit),
        directorate_code=directorate_code,
        period=parse_period(row.period, Frequency(indicator.frequency)),
        value=canonical(row.value),
        comment=row.comment or "",
        entered_by=entered_by,
        entered_at=entered_at,
        previous_value=None if row.previous_value is None else canonical(row.previous_value),
        is_current=row.current_key is not None,
        counted_noun=indicator.counted_noun or "",
        source=ValueSource.stored(row.source_kind, row.source_file, row.source_import_id, entered_at, entered_by),
    )


def asked_of_directorates(indicator: Indicator) -> bool:
    """Active and typed by its directorates: an indicator computed from the DECP is never due from them."""
    return bool(indicator.active) and (indicator.computation or Computation.REPORTED.value) == Computation.REPORTED.value


def current_key_of(indicator_id: int, directorate_id: int, period_code: str) -> str:
    return f"{indicator_id}|{directorate_id}|{period_code}"


def submission_key_of(prefix: str | None, directorate_code: str, entry: ValueEntry) -> str:
    return f"{prefix}|{directorate_code}|{entry.key}"[:300] if prefix else ""
