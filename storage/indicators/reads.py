"""Reading the catalogue and the values: snapshots of indicators with their directorates, value views.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC

from sqlalchemy import (
    Row,
    and_,
    func,
    or_,
    select,
)
from sqlalchemy.ext.asyncio import AsyncSession

from domain.errors import DomainError
from domain.indicators.aggregation import AggregationRule, Computation
from domain.indicators.catalogue import Axis, ImprovementDirection
from domain.indicators.periods import (
    Frequency,
    Period,
    parse_period,
)
from domain.indicators.rules import (
    IndicatorView,
    UnknownIndicator,
    ValueEntry,
    ValueView,
    canonical,
)
from domain.indicators.values import Unit
from storage.indicators.tables import Indicator, IndicatorDirectorate, IndicatorValue
from storage.people import Directorate, Person


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


async def load_snapshot(
    session: AsyncSession, *, codes: Iterable[str] | None = None, directorate_id: int | None = None
) -> Snapshot:
    """Indicators with their directorates; `codes`/`directorate_id` load only those concerned."""
    query = select(Indicator)
    if codes is not None:
        query = query.where(Indicator.code.in_({(code or "").strip().upper() for code in codes}))
    if directorate_id is not None:
        linked = select(IndicatorDirectorate.indicator_id).where(IndicatorDirectorate.directorate_id == directorate_id)
        query = query.where(Indicator.id.in_(linked))
    snapshot = Snapshot()
    for indicator in (await session.execute(query)).scalars():
        snapshot.indicators[indicator.code] = indicator
        snapshot.by_id[indicator.id] = indicator
    links = (
        select(IndicatorDirectorate.indicator_id, Directorate.code)
        .join(Directorate, Directorate.id == IndicatorDirectorate.directorate_id)
        .order_by(Directorate.code)
    )
    if codes is not None or directorate_id is not None:
        links = links.where(IndicatorDirectorate.indicator_id.in_(list(snapshot.by_id)))
        wanted = {(code or "").strip().upper() for code in codes or ()}
        if not wanted <= snapshot.indicators.keys():
            snapshot.all_codes = list((await session.execute(select(Indicator.code))).scalars())
    else:
        snapshot.all_codes = list(snapshot.indicators)
    for indicator_id, code in await session.execute(links):
        snapshot.directorates_of.setdefault(indicator_id, []).append(code)
    return snapshot

def find(snapshot: Snapshot, code: str) -> Indicator:
    wanted = (code or "").strip().upper()
    indicator = snapshot.indicators.get(wanted)
    if indicator is not None:
        return indicator
    close = difflib.get_close_matches(wanted, sorted(snapshot.all_codes), n=1)
    hint = f" Vouliez-vous dire {close[0]} ?" if close else " Tapez « catalogue » pour voir les codes."
    raise UnknownIndicator(f"Indicateur « {wanted[:40]} » inconnu.{hint}")

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
    )

async def known_directorates(session: AsyncSession) -> list[str]:
    return list((await session.execute(select(Directorate.code))).scalars())

async def directorate_by_code(session: AsyncSession, code: str) -> Directorate:
    wanted = (code or "").strip().upper()
    directorate = (await session.execute(select(Directorate).where(Directorate.code == wanted))).scalar_one_or_none()
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

async def values_by_current_key(
    session: AsyncSession, snapshot: Snapshot, keys: list[str]
) -> dict[str, ValueView]:
    if not keys:
        return {}
    rows = await value_rows(session, IndicatorValue.current_key.in_(keys))
    return {row.current_key: value_view(row, snapshot, code, names) for row, code, names in rows}

async def last_values_before(
    session: AsyncSession,
    snapshot: Snapshot,
    directorate: Directorate,
    candidates: list[tuple[Indicator, Period]],
) -> dict[int, ValueView]:
    """For each indicator, the current value of the latest period before the candidate one.

    Period codes of one frequency sort chronologically as text (`2025-T4` < `2026-T1`), so
    the database finds each latest period with MAX, whatever the length of the history.
    """
    if not candidates:
        return {}
    before = or_(
        *(
            and_(IndicatorValue.indicator_id == indicator.id, IndicatorValue.period < period.code)
            for indicator, period in candidates
        )
    )
    latest = (
        select(IndicatorValue.indicator_id, func.max(IndicatorValue.period).label("period"))
        .where(IndicatorValue.directorate_id == directorate.id, IndicatorValue.current_key.is_not(None), before)
        .group_by(IndicatorValue.indicator_id)
        .subquery()
    )
    rows = await value_rows(
        session,
        IndicatorValue.directorate_id == directorate.id,
        IndicatorValue.current_key.is_not(None),
        IndicatorValue.indicator_id == latest.c.indicator_id,
        IndicatorValue.period == latest.c.period,
    )
    return {row.indicator_id: value_view(row, snapshot, code, names) for row, code, names in rows}

async def value_rows(session: AsyncSession, *conditions) -> list[tuple[IndicatorValue, str, dict[int, str]]]:
    query = (
        select(IndicatorValue, Directorate.code, Person.id, Person.name, Person.email)
        .join(Directorate, Directorate.id == IndicatorValue.directorate_id)
        .join(Person, Person.id == IndicatorValue.entered_by_id)
        .where(*conditions)
        .order_by(IndicatorValue.entered_at, IndicatorValue.id)
    )
    result = []
    for row, code, person_id, name, email in await session.execute(query):
        result.append((row, code, {person_id: name or email or ""}))
    return result

def value_view(row: IndicatorValue, snapshot: Snapshot, directorate_code: str, names: dict[int, str]) -> ValueView:
    indicator = snapshot.by_id[row.indicator_id]
    return ValueView(
        id=row.id,
        indicator_code=indicator.code,
        unit=Unit(indicator.unit),
        directorate_code=directorate_code,
        period=parse_period(row.period, Frequency(indicator.frequency)),
        value=canonical(row.value),
        comment=row.comment or "",
        entered_by=names.get(row.entered_by_id, ""),
        entered_at=row.entered_at if row.entered_at.tzinfo else row.entered_at.replace(tzinfo=UTC),
        previous_value=None if row.previous_value is None else canonical(row.previous_value),
        is_current=row.current_key is not None,
        counted_noun=indicator.counted_noun or "",
    )


def asked_of_directorates(indicator: Indicator) -> bool:
    """Active and typed by its directorates: an indicator computed from the DECP is never due from them."""
    return bool(indicator.active) and (indicator.computation or Computation.REPORTED.value) == Computation.REPORTED.value


def current_key_of(indicator_id: int, directorate_id: int, period_code: str) -> str:
    return f"{indicator_id}|{directorate_id}|{period_code}"


def submission_key_of(prefix: str | None, directorate_code: str, entry: ValueEntry) -> str:
    return f"{prefix}|{directorate_code}|{entry.key}"[:300] if prefix else ""
