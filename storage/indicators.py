"""The indicator catalogue and the values directorates report, with a full audit trail.

A value is never overwritten: a correction is a new row that names the value it replaces
(`previous_value_id`, `previous_value`) and takes over the `current_key` of its
(indicator, directorate, period). `current_key` is unique, so the database itself guarantees
one current value per period, even when two people save at the same moment. `submission_key`
is unique too: a card submitted twice, or a dialog step run again, saves once.

Who may write is decided here, from the server-side `PersonView`, never from what a card or a
message carries: a contributor writes only for their own directorate and for the period due
now; the SPASER lead writes for any responsible directorate and any period that has started.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Context, Decimal

from sqlalchemy import (
    Column,
    DateTime,
    ForeignKey,
    Integer,
    Numeric,
    Row,
    Text,
    and_,
    bindparam,
    delete,
    exists,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlmodel import Field, SQLModel

from domain.indicators.catalogue import (
    CATALOGUE_COLUMNS,
    Axis,
    CatalogueImportError,
    CatalogueRow,
    ImprovementDirection,
    InvalidCatalogueRow,
    LineError,
    build_catalogue_row,
    catalogue_row_fields,
    catalogue_size_warning,
    export_catalogue_bytes,
    parse_catalogue_csv,
)
from domain.clock import DEFAULT_TIMEZONE, Clock, SystemClock, load_timezone
from storage.db import Database
from domain.errors import DomainError
from domain.indicators.values import Unit, format_value, parse_value, validate_value
from storage.models import Directorate, Person, Role, utcnow
from domain.indicators.periods import (
    Frequency,
    Period,
    current_reporting_period,
    ensure_frequency,
    ensure_not_future,
    parse_period,
)
from storage.turn_transaction import TurnTransaction

MAX_COMMENT_LENGTH = 500
MAX_SAVE_ATTEMPTS = 3
_DECIMAL_CONTEXT = Context(prec=28)
# Columns that cannot change once values exist: history would mix units or periods.
FROZEN_WHEN_VALUES_EXIST = ("unite", "frequence")


def _timestamp(**kwargs) -> Field:
    return Field(default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False, **kwargs))


def _amount(*, nullable: bool) -> Field:
    default = None if nullable else ...
    return Field(default=default, sa_column=Column(Numeric(19, 4), nullable=nullable))


class Indicator(SQLModel, table=True):
    """One indicator of the catalogue; enums are stored as their French values."""

    __tablename__ = "indicator"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=32, unique=True, index=True)
    label: str = Field(max_length=200)
    axis: str = Field(max_length=32)
    unit: str = Field(max_length=16)
    frequency: str = Field(max_length=16)
    baseline: Decimal | None = _amount(nullable=True)
    target: Decimal | None = _amount(nullable=True)
    target_year: int | None = Field(default=None)
    direction: str = Field(max_length=8)
    source: str = Field(default="", max_length=300)
    preexisting: bool = Field(default=False)
    active: bool = Field(default=True)
    created_at: datetime = _timestamp()
    updated_at: datetime = _timestamp(onupdate=utcnow)


class IndicatorDirectorate(SQLModel, table=True):
    """A directorate responsible for reporting an indicator (several may share one)."""

    __tablename__ = "indicator_directorate"

    indicator_id: int = Field(
        sa_column=Column(Integer, ForeignKey("indicator.id", ondelete="CASCADE"), primary_key=True)
    )
    directorate_id: int = Field(
        sa_column=Column(Integer, ForeignKey("directorate.id"), primary_key=True, index=True)
    )


class IndicatorValue(SQLModel, table=True):
    """A reported value; corrections add rows, so the table is the audit trail."""

    __tablename__ = "indicator_value"

    id: int | None = Field(default=None, primary_key=True)
    indicator_id: int = Field(foreign_key="indicator.id", index=True)
    directorate_id: int = Field(foreign_key="directorate.id", index=True)
    period: str = Field(max_length=16)
    value: Decimal = _amount(nullable=False)
    comment: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    entered_by_id: int = Field(foreign_key="person.id")
    entered_at: datetime = _timestamp()
    previous_value_id: int | None = Field(default=None, foreign_key="indicator_value.id")
    previous_value: Decimal | None = _amount(nullable=True)
    current_key: str | None = Field(default=None, max_length=120, unique=True, index=True)
    submission_key: str | None = Field(default=None, max_length=300, unique=True, index=True)


class UnknownIndicator(DomainError):
    """No indicator has this code; the message suggests the closest one."""


class NotAllowed(DomainError):
    """The person may not write this value (role, directorate or period)."""


class EntryErrors(DomainError):
    """Some values of a batch are invalid: nothing was saved. `errors` maps entry key → message,
    `causes` entry key → the original error (to re-raise it for a single value)."""

    def __init__(self, errors: dict[str, str], causes: dict[str, DomainError] | None = None) -> None:
        self.errors = dict(errors)
        self.causes = dict(causes or {})
        lines = [f"- {message}" for message in self.errors.values()]
        super().__init__("Rien n'a été enregistré :\n" + "\n".join(lines))


@dataclass(frozen=True)
class IndicatorView:
    id: int
    code: str
    label: str
    axis: Axis
    unit: Unit
    frequency: Frequency
    improvement: ImprovementDirection
    baseline: Decimal | None
    target: Decimal | None
    target_year: int | None
    source: str
    preexisting: bool
    active: bool
    directorates: tuple[str, ...]

    def as_row(self) -> CatalogueRow:
        return CatalogueRow(
            code=self.code,
            label=self.label,
            axis=self.axis,
            unit=self.unit,
            directorates=self.directorates,
            frequency=self.frequency,
            improvement=self.improvement,
            baseline=self.baseline,
            target=self.target,
            target_year=self.target_year,
            source=self.source,
            preexisting=self.preexisting,
            active=self.active,
        )

    def show(self, value: Decimal | None) -> str:
        return "—" if value is None else format_value(value, self.unit)


@dataclass(frozen=True)
class ValueView:
    """A stored value with who entered it, when, and what it replaced."""

    id: int
    indicator_code: str
    unit: Unit
    directorate_code: str
    period: Period
    value: Decimal
    comment: str
    entered_by: str
    entered_at: datetime
    previous_value: Decimal | None
    is_current: bool

    @property
    def shown(self) -> str:
        return format_value(self.value, self.unit)

    @property
    def previous_shown(self) -> str | None:
        return None if self.previous_value is None else format_value(self.previous_value, self.unit)


@dataclass(frozen=True)
class DueItem:
    """An indicator to report for a directorate and a period, with the values around it."""

    indicator: IndicatorView
    directorate_code: str
    period: Period
    last: ValueView | None = None
    existing: ValueView | None = None

    @property
    def key(self) -> str:
        return entry_key(self.indicator.code, self.period.code)


@dataclass(frozen=True)
class DirectorateDue:
    """A directorate with indicators still to report at a date (reminders, summaries)."""

    directorate_id: int
    code: str
    name: str
    items: tuple[tuple[str, str], ...]

    @property
    def count(self) -> int:
        return len(self.items)


@dataclass(frozen=True)
class ValueEntry:
    """One value to record: `value` is typed text (parsed with the unit) or a number."""

    code: str
    period: str
    value: str | Decimal
    comment: str = ""

    @property
    def key(self) -> str:
        return entry_key(self.code, self.period)


@dataclass(frozen=True)
class RecordOutcome:
    saved: tuple[ValueView, ...]
    duplicate: bool = False


@dataclass(frozen=True)
class ImportResult:
    created: tuple[str, ...]
    updated: tuple[str, ...]
    active_count: int
    warning: str | None = None

    @property
    def message(self) -> str:
        parts = [
            f"Catalogue importé : {len(self.created)} indicateur(s) créé(s), {len(self.updated)} mis à jour. "
            f"{self.active_count} indicateur(s) actif(s) au total."
        ]
        if self.warning:
            parts.append(self.warning)
        return "\n".join(parts)


@dataclass
class _Snapshot:
    """The catalogue as loaded in one session, by code, with directorate ids and codes (ORM
    objects, or plain rows with the same attribute names on the recording path)."""

    indicators: dict[str, Indicator] = field(default_factory=dict)
    directorates_of: dict[int, list[str]] = field(default_factory=dict)
    by_id: dict[int, Indicator] = field(default_factory=dict)
    all_codes: list[str] = field(default_factory=list)


def entry_key(code: str, period: str) -> str:
    return f"{code.strip().upper()}|{period.strip().upper()}"


def clean_comment(text: str | None) -> str:
    """Spaces collapsed; control characters and lone surrogates (NUL breaks PostgreSQL, a lone
    surrogate every database driver) become spaces, as in catalogue cells."""
    visible = "".join(" " if unicodedata.category(ch) in ("Cc", "Cs") else ch for ch in (text or ""))
    comment = " ".join(visible.split())
    if len(comment) > MAX_COMMENT_LENGTH:
        raise DomainError(f"Le commentaire est trop long ({len(comment)} caractères, {MAX_COMMENT_LENGTH} au plus).")
    return comment


def check_directorate_allowed(person, directorate_code: str) -> None:
    """Raise `NotAllowed` unless `person` may write values for this directorate at all (pure rule)."""
    role = getattr(person, "role", None)
    if role not in (Role.LEAD, Role.CONTRIBUTOR):
        raise NotAllowed(
            "Seuls le responsable SPASER et les contributeur·rices des directions peuvent saisir des valeurs "
            "d'indicateurs. Demandez au responsable SPASER de vous enregistrer."
        )
    if role is Role.CONTRIBUTOR and directorate_code != person.directorate_code:
        own = person.directorate_code or "aucune"
        raise NotAllowed(
            f"Vous ne pouvez saisir que les indicateurs de votre direction ({own}), pas ceux de {directorate_code}."
        )


def check_entry_allowed(
    person, directorate_code: str, indicator: IndicatorView, period: Period, today: date
) -> None:
    """Raise `NotAllowed`/`InvalidPeriod` unless `person` may record this value (pure rule)."""
    check_directorate_allowed(person, directorate_code)
    role = person.role
    if not indicator.active:
        raise NotAllowed(f"L'indicateur {indicator.code} est désactivé : on ne peut plus y saisir de valeur.")
    if directorate_code not in indicator.directorates:
        raise NotAllowed(
            f"La direction {directorate_code} ne renseigne pas l'indicateur {indicator.code} "
            f"(directions responsables : {', '.join(indicator.directorates)})."
        )
    ensure_frequency(period, indicator.frequency)
    ensure_not_future(period, today)
    due = current_reporting_period(indicator.frequency, today)
    if role is Role.CONTRIBUTOR and period != due:
        raise NotAllowed(
            f"Vous pouvez saisir la période à renseigner maintenant ({due.code}, {due.label}), pas {period.code} : "
            "pour une autre période, adressez-vous au responsable SPASER."
        )


def canonical(number: Decimal) -> Decimal:
    """Same value with the fewest digits (the database pads to 4 decimals)."""
    if number == 0:
        return Decimal(0)
    normal = Decimal(number).normalize(_DECIMAL_CONTEXT)
    return normal.quantize(Decimal(1), context=_DECIMAL_CONTEXT) if normal.as_tuple().exponent > 0 else normal


def _entries_query(codes_filter):
    indicator = Indicator.__table__
    return (
        select(indicator, Directorate.id.label("linked_id"), Directorate.code.label("linked_code"))
        .outerjoin(IndicatorDirectorate, IndicatorDirectorate.indicator_id == indicator.c.id)
        .outerjoin(Directorate, Directorate.id == IndicatorDirectorate.directorate_id)
        .where(codes_filter)
        .order_by(indicator.c.id, Directorate.code)
    )


# The statements of recording a value, built once (building a statement and its cache key costs
# SQLAlchemy about as much as running it, and recording is the hot path of an update turn).
_ENTRY_ONE = _entries_query(Indicator.__table__.c.code == bindparam("code"))
_ENTRIES = _entries_query(Indicator.__table__.c.code.in_(bindparam("codes", expanding=True)))
_TAKE_OVER_SLOT = (
    update(IndicatorValue.__table__)
    .where(IndicatorValue.__table__.c.current_key == bindparam("slot"))
    .values(current_key=None)
    .returning(IndicatorValue.__table__.c.id, IndicatorValue.__table__.c.value)
)
_INSERT_VALUE = insert(IndicatorValue.__table__).returning(IndicatorValue.__table__.c.id)
_VALUE_COLUMNS = (
    "indicator_id", "directorate_id", "period", "value", "comment", "entered_by_id", "entered_at",
    "previous_value_id", "previous_value", "current_key", "submission_key",
)
_STILL_ALLOWED = (
    select(IndicatorDirectorate.__table__.c.indicator_id)
    .join(Indicator.__table__, Indicator.__table__.c.id == IndicatorDirectorate.__table__.c.indicator_id)
    .where(
        Indicator.__table__.c.id == bindparam("indicator_id"),
        Indicator.__table__.c.active.is_(True),
        Indicator.__table__.c.unit == bindparam("unit"),
        Indicator.__table__.c.frequency == bindparam("frequency"),
        IndicatorDirectorate.__table__.c.directorate_id == bindparam("directorate_id"),
    )
)
_ROW_IF_STILL_ALLOWED = select(
    *(bindparam(name, type_=IndicatorValue.__table__.c[name].type) for name in _VALUE_COLUMNS)
).where(exists(_STILL_ALLOWED))
_INSERT_VALUE_IF_STILL_ALLOWED = (
    insert(IndicatorValue.__table__)
    .from_select(_VALUE_COLUMNS, _ROW_IF_STILL_ALLOWED)
    .returning(IndicatorValue.__table__.c.id)
)


_LINKED_ACTIVE = (
    select(Indicator.__table__.c.id, Indicator.__table__.c.code, Indicator.__table__.c.frequency, Directorate.id)
    .join(IndicatorDirectorate.__table__, IndicatorDirectorate.__table__.c.indicator_id == Indicator.__table__.c.id)
    .join(Directorate, Directorate.id == IndicatorDirectorate.__table__.c.directorate_id)
    .where(Directorate.code == bindparam("code"), Indicator.__table__.c.active.is_(True))
)
_ENTERED_KEYS = select(IndicatorValue.__table__.c.current_key).where(
    IndicatorValue.__table__.c.current_key.in_(bindparam("keys", expanding=True))
)


def _first_entry_inserts(dialect_insert) -> tuple:
    """The two inserts above (plain, guarded) that do nothing when the period already has a current
    value: a period's first value, the usual case, is then one statement instead of two."""
    table = IndicatorValue.__table__
    plain = dialect_insert(table).on_conflict_do_nothing(index_elements=[table.c.current_key]).returning(table.c.id)
    guarded = (
        dialect_insert(table)
        .from_select(_VALUE_COLUMNS, _ROW_IF_STILL_ALLOWED)
        .on_conflict_do_nothing(index_elements=[table.c.current_key])
        .returning(table.c.id)
    )
    return plain, guarded


_FIRST_ENTRY_INSERTS = {
    "sqlite": _first_entry_inserts(sqlite_insert),
    "postgresql": _first_entry_inserts(postgresql_insert),
}


class _CatalogueChanged(Exception):
    """The catalogue no longer allows what its remembered rows allowed: check again on fresh rows."""


class _EntriesCache:
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

    def snapshot(self, codes: Iterable[str]) -> tuple[_Snapshot, dict[str, int]] | None:
        """The snapshot `_entries_snapshot` would read, when every code is remembered."""
        snapshot = _Snapshot()
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


class IndicatorRepository:
    """Catalogue, values and their history. Every public call is one unit of work."""

    def __init__(self, database: Database, *, clock: Clock | None = None, timezone: str = DEFAULT_TIMEZONE) -> None:
        self._db = database
        self._entries = _EntriesCache()
        self._clock = clock or SystemClock()
        self._zone = load_timezone(timezone)

    def today(self) -> date:
        """The date in the organisation's time zone: periods end at local midnight."""
        return self._clock.now().astimezone(self._zone).date()

    # ----- catalogue -------------------------------------------------------------------------

    async def list_indicators(self, *, include_inactive: bool = False) -> list[IndicatorView]:
        async with self._db.session() as session:
            snapshot = await self._snapshot(session)
        views = [self._view(indicator, snapshot) for indicator in snapshot.indicators.values()]
        return sorted((v for v in views if include_inactive or v.active), key=lambda v: v.code)

    async def get(self, code: str) -> IndicatorView | None:
        async with self._db.session() as session:
            snapshot = await self._snapshot(session, codes=[code])
        indicator = snapshot.indicators.get(code.strip().upper())
        return self._view(indicator, snapshot) if indicator else None

    async def require(self, code: str) -> IndicatorView:
        async with self._db.session() as session:
            snapshot = await self._snapshot(session, codes=[code])
        return self._view(self._find(snapshot, code), snapshot)

    async def active_count(self) -> int:
        async with self._db.session() as session:
            return (await session.execute(select(func.count()).where(Indicator.active.is_(True)))).scalar_one()

    async def add_indicator(self, row: CatalogueRow) -> IndicatorView:
        async with self._db.session() as session:
            snapshot = await self._snapshot(session)
            if row.code in snapshot.indicators:
                raise DomainError(f"Le code {row.code} existe déjà : choisissez-en un autre ou modifiez l'indicateur.")
            directorate_ids = await self._directorate_ids(session, row.directorates)
            indicator = Indicator(code=row.code)
            self._apply(indicator, row)
            session.add(indicator)
            await session.flush()
            session.add_all(IndicatorDirectorate(indicator_id=indicator.id, directorate_id=d) for d in directorate_ids)
            await session.flush()
            snapshot.indicators[row.code] = indicator
            snapshot.directorates_of[indicator.id] = list(row.directorates)
            return self._view(indicator, snapshot)

    async def update_field(self, code: str, column: str, text: str) -> IndicatorView:
        """Change one catalogue column (CSV names: libelle, cible, actif…), validated like an import row."""
        if column not in CATALOGUE_COLUMNS:
            raise DomainError(f"Champ « {column} » inconnu. Champs modifiables : {', '.join(CATALOGUE_COLUMNS[1:])}.")
        if column == "code":
            raise DomainError("Le code d'un indicateur ne se modifie pas : créez un nouvel indicateur et désactivez l'ancien.")
        async with self._db.session() as session:
            snapshot = await self._snapshot(session)
            indicator = self._find(snapshot, code)
            fields = catalogue_row_fields(self._view(indicator, snapshot).as_row())
            fields[column] = text
            known = await self._known_directorates(session)
            try:
                row = build_catalogue_row(fields, known_directorates=known)
            except InvalidCatalogueRow as error:
                raise DomainError(" ".join(str(problem) for problem in error.problems)) from None
            if column in FROZEN_WHEN_VALUES_EXIST:
                await self._refuse_frozen_change(session, indicator, row)
            self._apply(indicator, row)
            if column == "directions":
                await self._replace_directorates(session, indicator.id, row.directorates)
                snapshot.directorates_of[indicator.id] = list(row.directorates)
            await session.flush()
            view = self._view(indicator, snapshot)
        self._entries.clear()
        return view

    async def set_active(self, code: str, active: bool) -> IndicatorView:
        return await self.update_field(code, "actif", "oui" if active else "non")

    async def import_catalogue(self, data: str | bytes) -> ImportResult:
        """Validate the whole file, then create or update every row in one transaction (all or nothing).

        Indicators absent from the file are left as they are (deactivate them explicitly).
        """
        async with self._db.session() as session:
            known = await self._known_directorates(session)
            rows = parse_catalogue_csv(data, known_directorates=known)
            snapshot = await self._snapshot(session)
            errors: list[LineError] = []
            for row in rows:
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

    # ----- what is due -----------------------------------------------------------------------

    async def due_for_directorate(
        self,
        directorate_code: str,
        today: date,
        *,
        period: Period | None = None,
        codes: Sequence[str] | None = None,
        include_entered: bool = False,
    ) -> list[DueItem]:
        """Active indicators of the directorate for their period due at `today` (or `period`).

        With `period`, only indicators of that frequency; `codes` restricts to those indicators;
        `include_entered` keeps the ones already reported (to correct them).
        """
        wanted = {code.strip().upper() for code in codes} if codes else None
        async with self._db.session() as session:
            directorate = await self._directorate(session, directorate_code)
            snapshot = await self._snapshot(session, directorate_id=directorate.id)
            candidates: list[tuple[Indicator, Period]] = []
            for indicator in snapshot.indicators.values():
                if not indicator.active or (wanted is not None and indicator.code not in wanted):
                    continue
                frequency = Frequency(indicator.frequency)
                if period is not None and period.frequency is not frequency:
                    continue
                candidates.append((indicator, period or current_reporting_period(frequency, today)))
            items = await self._items(session, snapshot, directorate, candidates)
        kept = [item for item in items if include_entered or item.existing is None]
        return sorted(kept, key=lambda item: (item.indicator.code, item.period))

    async def still_due(
        self, directorate_code: str, today: date, *, period: Period | None = None
    ) -> list[tuple[str, str]]:
        """(code, period) of what the directorate has still to report, as `due_for_directorate` finds
        it, without the values around each item: two reads instead of five, e.g. to close a dialog."""
        async with self._db.transaction() as connection:
            rows = (await connection.execute(_LINKED_ACTIVE, {"code": directorate_code.strip().upper()})).all()
            candidates: list[tuple[str, str, str]] = []
            for indicator_id, code, frequency, directorate_id in rows:
                if period is not None and period.frequency is not Frequency(frequency):
                    continue
                due = period or current_reporting_period(Frequency(frequency), today)
                candidates.append((code, due.code, _current_key(indicator_id, directorate_id, due.code)))
            keys = [key for _, _, key in candidates]
            entered = set((await connection.execute(_ENTERED_KEYS, {"keys": keys})).scalars()) if keys else set()
        return sorted((code, period_code) for code, period_code, key in candidates if key not in entered)

    async def directorates_with_due_indicators(self, today: date) -> list[DirectorateDue]:
        """Every directorate that still has indicators to report at `today`, with their codes."""
        async with self._db.session() as session:
            snapshot = await self._snapshot(session)
            directorates = {
                d.code: d for d in (await session.execute(select(Directorate).order_by(Directorate.code))).scalars()
            }
            pairs: list[tuple[Indicator, Directorate, Period]] = []
            for indicator in snapshot.indicators.values():
                if not indicator.active:
                    continue
                due = current_reporting_period(Frequency(indicator.frequency), today)
                for code in snapshot.directorates_of.get(indicator.id, ()):
                    pairs.append((indicator, directorates[code], due))
            keys = [_current_key(i.id, d.id, p.code) for i, d, p in pairs]
            entered = set(await self._existing_current_keys(session, keys))
        missing: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for indicator, directorate, due in pairs:
            if _current_key(indicator.id, directorate.id, due.code) not in entered:
                missing[directorate.code].append((indicator.code, due.code))
        return [
            DirectorateDue(directorates[code].id, code, directorates[code].name, tuple(sorted(items)))
            for code, items in sorted(missing.items())
        ]

    async def describe_items(
        self, directorate_code: str, pairs: Iterable[tuple[str, str]]
    ) -> tuple[list[DueItem], dict[str, str]]:
        """Items for given (code, period) pairs, e.g. to send a card back; unreadable pairs as errors."""
        pairs = list(pairs)
        problems: dict[str, str] = {}
        async with self._db.session() as session:
            directorate = await self._directorate(session, directorate_code)
            snapshot = await self._snapshot(session, codes=[code for code, _ in pairs])
            resolved: list[tuple[Indicator, Period]] = []
            for code, period_text in pairs:
                try:
                    indicator = self._find(snapshot, code)
                    resolved.append((indicator, parse_period(period_text, Frequency(indicator.frequency))))
                except DomainError as error:
                    problems[entry_key(code, period_text)] = error.message
            items = await self._items(session, snapshot, directorate, resolved)
        return items, problems

    async def _items(
        self,
        session: AsyncSession,
        snapshot: _Snapshot,
        directorate: Directorate,
        candidates: list[tuple[Indicator, Period]],
    ) -> list[DueItem]:
        """Due items with the value already entered for the period and the last one before it."""
        keys = [_current_key(indicator.id, directorate.id, period.code) for indicator, period in candidates]
        existing = await self._values_by_current_key(session, snapshot, keys)
        last = await self._last_values_before(session, snapshot, directorate, candidates)
        return [
            DueItem(
                indicator=self._view(indicator, snapshot),
                directorate_code=directorate.code,
                period=period,
                last=last.get(indicator.id),
                existing=existing.get(_current_key(indicator.id, directorate.id, period.code)),
            )
            for indicator, period in candidates
        ]

    # ----- values ----------------------------------------------------------------------------

    async def record_value(
        self,
        person,
        directorate_code: str,
        entry: ValueEntry,
        today: date,
        *,
        submission_key: str | None = None,
        transaction: TurnTransaction | None = None,
    ) -> RecordOutcome:
        """Record one value; raises the entry's French error (`EntryErrors` unwrapped)."""
        try:
            return await self.record_values(
                person, directorate_code, [entry], today, submission_key=submission_key, transaction=transaction
            )
        except EntryErrors as error:
            raise next(iter(error.causes.values())) from None

    async def record_values(
        self,
        person,
        directorate_code: str,
        entries: Sequence[ValueEntry],
        today: date,
        *,
        submission_key: str | None = None,
        dry_run: bool = False,
        transaction: TurnTransaction | None = None,
    ) -> RecordOutcome:
        """Check every entry, then save all of them in one transaction, or none.

        `person` is the server-side PersonView; `submission_key` (card id, dialog step) makes a
        repeated submission save once: the second call returns `duplicate=True`. `dry_run`
        only checks (raises `EntryErrors`) and saves nothing. With the turn's `transaction`, the
        values are committed with the turn's state, at the end of the turn (nothing may write after).
        """
        if not entries:
            raise DomainError("Aucune valeur saisie : rien n'a été enregistré.")
        directorate_code = directorate_code.strip().upper()
        check_directorate_allowed(person, directorate_code)
        keys = [_submission_key(submission_key, directorate_code, entry) for entry in entries]
        for attempt in range(MAX_SAVE_ATTEMPTS):
            try:
                return await self._record_checked(
                    person, directorate_code, entries, today, submission_key, dry_run, transaction
                )
            except IntegrityError:
                if submission_key is not None and await self._submitted(keys):
                    return RecordOutcome(saved=(), duplicate=True)
                if attempt == MAX_SAVE_ATTEMPTS - 1:
                    raise DomainError(
                        "Une autre saisie de la même valeur est arrivée au même moment : rien n'a été enregistré, "
                        "réessayez."
                    ) from None
        raise AssertionError("unreachable")

    async def _record_checked(self, *args) -> RecordOutcome:
        """`_record_once`, again on a freshly read catalogue if the remembered one was out of date."""
        try:
            return await self._record_once(*args)
        except _CatalogueChanged:
            self._entries.clear()
            return await self._record_once(*args)

    async def _record_once(
        self,
        person,
        directorate_code: str,
        entries: Sequence[ValueEntry],
        today: date,
        submission_key: str | None,
        dry_run: bool,
        transaction: TurnTransaction | None = None,
    ) -> RecordOutcome:
        codes = [entry.code for entry in entries]
        unit_of_work = self._db.transaction() if transaction is None else transaction.join()
        async with unit_of_work as connection:
            remembered = self._entries.snapshot(codes)
            snapshot, directorate_ids = remembered or await self._entries_snapshot(connection, codes)
            checked, errors, causes = self._check_entries(person, directorate_code, entries, snapshot, today)
            if errors and remembered is not None:
                remembered = None  # the remembered rows may be out of date: the database decides
                snapshot, directorate_ids = await self._entries_snapshot(connection, codes)
                checked, errors, causes = self._check_entries(person, directorate_code, entries, snapshot, today)
            if errors:
                raise EntryErrors(errors, causes)
            if dry_run:
                return RecordOutcome(saved=())
            keys = {entry.key: _submission_key(submission_key, directorate_code, entry) for entry in entries}
            now = self._clock.now()
            directorate_id = directorate_ids[directorate_code]
            entered_by = person.name or person.email or ""
            views: list[ValueView] = []
            for entry, indicator, period, value, comment in checked:
                current_key = _current_key(indicator.id, directorate_id, period.code)
                row = dict(
                    indicator_id=indicator.id,
                    directorate_id=directorate_id,
                    period=period.code,
                    value=value,
                    comment=comment or None,
                    entered_by_id=person.id,
                    entered_at=now,
                    previous_value_id=None,
                    previous_value=None,
                    current_key=current_key,
                    submission_key=keys[entry.key] if submission_key is not None else None,
                )
                if remembered is not None:
                    row.update(unit=indicator.unit, frequency=indicator.frequency)
                plain_first, guarded_first = _FIRST_ENTRY_INSERTS[connection.dialect.name]
                # The period's first value takes the free slot; nothing inserted means it was taken
                # (or, with remembered rows, that the catalogue changed: see below).
                new_id = (await connection.execute(plain_first if remembered is None else guarded_first, row)).scalar()
                previous = None
                if new_id is None:
                    # Take over the current slot and learn what it held, in one statement.
                    previous = (await connection.execute(_TAKE_OVER_SLOT, {"slot": current_key})).first()
                    if previous is not None:
                        row.update(previous_value_id=previous.id, previous_value=previous.value)
                    if remembered is None:
                        new_id = (await connection.execute(_INSERT_VALUE, row)).scalar_one()
                    else:
                        new_id = (await connection.execute(_INSERT_VALUE_IF_STILL_ALLOWED, row)).scalar()
                        if new_id is None:
                            raise _CatalogueChanged()
                views.append(
                    ValueView(
                        id=new_id,
                        indicator_code=indicator.code,
                        unit=Unit(indicator.unit),
                        directorate_code=directorate_code,
                        period=period,
                        value=canonical(value),
                        comment=comment,
                        entered_by=entered_by,
                        entered_at=now if now.tzinfo else now.replace(tzinfo=UTC),
                        previous_value=None if previous is None else canonical(previous.value),
                        is_current=True,
                    )
                )
        return RecordOutcome(saved=tuple(views))

    def _check_entries(
        self, person, directorate_code: str, entries: Sequence[ValueEntry], snapshot: _Snapshot, today: date
    ) -> tuple[list[tuple[ValueEntry, Row, Period, Decimal, str]], dict[str, str], dict[str, DomainError]]:
        """The entries that may be recorded, with their period, value and comment; the others' errors."""
        errors: dict[str, str] = {}
        causes: dict[str, DomainError] = {}
        checked: list[tuple[ValueEntry, Row, Period, Decimal, str]] = []
        seen: set[str] = set()
        for entry in entries:
            try:
                if entry.key in seen:
                    raise DomainError(f"{entry.code} {entry.period} est saisi deux fois.")
                seen.add(entry.key)
                indicator = self._find(snapshot, entry.code)
                view = self._view(indicator, snapshot)
                period = parse_period(entry.period, view.frequency)
                check_entry_allowed(person, directorate_code, view, period, today)
                value = (
                    parse_value(entry.value, view.unit)
                    if isinstance(entry.value, str)
                    else validate_value(entry.value, view.unit)
                )
                checked.append((entry, indicator, period, value, clean_comment(entry.comment)))
            except DomainError as error:
                errors[entry.key] = f"{entry.code} : {error.message}"
                causes[entry.key] = error
        return checked, errors, causes

    async def _entries_snapshot(
        self, connection: AsyncConnection, codes: list[str]
    ) -> tuple[_Snapshot, dict[str, int]]:
        """The indicators named by a batch with their directorates (codes and ids), in one query.

        Recording is the hot path of an update turn: the checks only need the responsible
        directorates, and the directorate written to must be one of them. Plain rows (attributes
        named like `Indicator`'s) rather than ORM objects: the turn needs no identity map.
        """
        wanted = {(code or "").strip().upper() for code in codes}
        if len(wanted) == 1:
            rows = await connection.execute(_ENTRY_ONE, {"code": next(iter(wanted))})
        else:
            rows = await connection.execute(_ENTRIES, {"codes": sorted(wanted)})
        snapshot = _Snapshot()
        directorate_ids: dict[str, int] = {}
        links_of: dict[str, list[tuple[str, int]]] = {}
        for row in rows:
            snapshot.indicators.setdefault(row.code, row)
            snapshot.by_id.setdefault(row.id, row)
            links = snapshot.directorates_of.setdefault(row.id, [])
            remembered_links = links_of.setdefault(row.code, [])
            if row.linked_code is not None:
                links.append(row.linked_code)
                remembered_links.append((row.linked_code, row.linked_id))
                directorate_ids[row.linked_code] = row.linked_id
        for code, links in links_of.items():
            self._entries.remember(code, snapshot.indicators[code], links)
        snapshot.all_codes = list(snapshot.indicators)
        if not wanted <= snapshot.indicators.keys():
            snapshot.all_codes = list((await connection.execute(select(Indicator.__table__.c.code))).scalars())
        return snapshot, directorate_ids

    async def submission_saved(self, submission_key: str, directorate_code: str, pairs: Iterable[tuple[str, str]]) -> bool:
        """Whether a submission (a card sent before) saved values for these (code, period) pairs,
        whatever it carries now: a card sent again after its save must not read as refused."""
        directorate_code = directorate_code.strip().upper()
        keys = [_submission_key(submission_key, directorate_code, ValueEntry(code, period, "")) for code, period in pairs]
        return bool(keys) and await self._submitted(keys)

    async def _submitted(self, keys: list[str]) -> bool:
        """Whether a submission was already saved (its unique key refused the new rows)."""
        async with self._db.session() as session:
            found = await session.execute(select(IndicatorValue.id).where(IndicatorValue.submission_key.in_(keys)).limit(1))
            return found.first() is not None

    async def seed_values(self, rows: Iterable[dict]) -> int:
        """Trusted load of past values for the demo, without role checks, into periods still empty.

        Each dict: code, directorate, period, value, entered_by_id, entered_at, optional comment.
        Later rows of the same period supersede earlier ones, like corrections.
        """
        count = 0
        async with self._db.session() as session:
            snapshot = await self._snapshot(session)
            directorates = {d.code: d.id for d in (await session.execute(select(Directorate))).scalars()}
            current: dict[str, IndicatorValue] = {}
            for data in rows:
                indicator = self._find(snapshot, data["code"])
                period = parse_period(data["period"], Frequency(indicator.frequency))
                directorate_id = directorates[data["directorate"]]
                key = _current_key(indicator.id, directorate_id, period.code)
                previous = current.get(key)
                if previous is not None:
                    previous.current_key = None
                    await session.flush()
                row = IndicatorValue(
                    indicator_id=indicator.id,
                    directorate_id=directorate_id,
                    period=period.code,
                    value=validate_value(Decimal(str(data["value"])), Unit(indicator.unit)),
                    comment=data.get("comment") or None,
                    entered_by_id=data["entered_by_id"],
                    entered_at=data["entered_at"],
                    previous_value_id=previous.id if previous else None,
                    previous_value=previous.value if previous else None,
                    current_key=key,
                )
                session.add(row)
                current[key] = row
                count += 1
        return count

    async def has_values(self) -> bool:
        async with self._db.session() as session:
            return (await session.execute(select(IndicatorValue.id).limit(1))).first() is not None

    async def latest_values(self, code: str) -> tuple[IndicatorView, list[ValueView]]:
        """The current value of the most recent period reported by each directorate."""
        async with self._db.session() as session:
            snapshot = await self._snapshot(session, codes=[code])
            indicator = self._find(snapshot, code)
            rows = await self._value_rows(session, IndicatorValue.indicator_id == indicator.id, IndicatorValue.current_key.is_not(None))
            views = [self._value_view(row, snapshot, d_code, names) for row, d_code, names in rows]
        latest: dict[str, ValueView] = {}
        for view in views:
            if view.directorate_code not in latest or latest[view.directorate_code].period < view.period:
                latest[view.directorate_code] = view
        return self._view(indicator, snapshot), sorted(latest.values(), key=lambda v: v.directorate_code)

    async def history(self, code: str, *, directorate_code: str | None = None) -> tuple[IndicatorView, list[ValueView]]:
        """Every value ever entered for the indicator, oldest first: the audit trail."""
        async with self._db.session() as session:
            snapshot = await self._snapshot(session, codes=[code])
            indicator = self._find(snapshot, code)
            conditions = [IndicatorValue.indicator_id == indicator.id]
            if directorate_code:
                directorate = await self._directorate(session, directorate_code)
                conditions.append(IndicatorValue.directorate_id == directorate.id)
            rows = await self._value_rows(session, *conditions)
            views = [self._value_view(row, snapshot, d_code, names) for row, d_code, names in rows]
        return self._view(indicator, snapshot), views

    async def count_values(self) -> int:
        async with self._db.session() as session:
            return (await session.execute(select(func.count()).select_from(IndicatorValue))).scalar_one()

    # ----- helpers ---------------------------------------------------------------------------

    @staticmethod
    async def _snapshot(
        session: AsyncSession, *, codes: Iterable[str] | None = None, directorate_id: int | None = None
    ) -> _Snapshot:
        """Indicators with their directorates; `codes`/`directorate_id` load only those concerned."""
        query = select(Indicator)
        if codes is not None:
            query = query.where(Indicator.code.in_({(code or "").strip().upper() for code in codes}))
        if directorate_id is not None:
            linked = select(IndicatorDirectorate.indicator_id).where(IndicatorDirectorate.directorate_id == directorate_id)
            query = query.where(Indicator.id.in_(linked))
        snapshot = _Snapshot()
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

    @staticmethod
    def _find(snapshot: _Snapshot, code: str) -> Indicator:
        wanted = (code or "").strip().upper()
        indicator = snapshot.indicators.get(wanted)
        if indicator is not None:
            return indicator
        close = difflib.get_close_matches(wanted, sorted(snapshot.all_codes), n=1)
        hint = f" Vouliez-vous dire {close[0]} ?" if close else " Tapez « catalogue » pour voir les codes."
        raise UnknownIndicator(f"Indicateur « {wanted[:40]} » inconnu.{hint}")

    @staticmethod
    def _view(indicator: Indicator, snapshot: _Snapshot) -> IndicatorView:
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
        )

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

    async def _refuse_frozen_change(self, session: AsyncSession, indicator: Indicator, row: CatalogueRow) -> None:
        changed = []
        if row.unit.value != indicator.unit:
            changed.append(f"l'unité ({indicator.unit} → {row.unit.value})")
        if row.frequency.value != indicator.frequency:
            changed.append(f"la fréquence ({indicator.frequency} → {row.frequency.value})")
        if not changed:
            return
        count = (
            await session.execute(
                select(func.count()).select_from(IndicatorValue).where(IndicatorValue.indicator_id == indicator.id)
            )
        ).scalar_one()
        if count:
            raise DomainError(
                f"{indicator.code} a déjà {count} valeur(s) saisie(s) : changer {' et '.join(changed)} rendrait "
                "l'historique incohérent. Créez plutôt un nouvel indicateur et désactivez celui-ci."
            )

    @staticmethod
    async def _known_directorates(session: AsyncSession) -> list[str]:
        return list((await session.execute(select(Directorate.code))).scalars())

    @staticmethod
    async def _directorate(session: AsyncSession, code: str) -> Directorate:
        wanted = (code or "").strip().upper()
        directorate = (await session.execute(select(Directorate).where(Directorate.code == wanted))).scalar_one_or_none()
        if directorate is None:
            raise DomainError(f"La direction « {wanted[:40]} » n'existe pas. Tapez « lister les directions ».")
        return directorate

    async def _directorate_ids(self, session: AsyncSession, codes: Iterable[str]) -> list[int]:
        return [(await self._directorate(session, code)).id for code in codes]

    async def _replace_directorates(self, session: AsyncSession, indicator_id: int, codes: Iterable[str]) -> None:
        ids = await self._directorate_ids(session, codes)
        await session.execute(delete(IndicatorDirectorate).where(IndicatorDirectorate.indicator_id == indicator_id))
        session.add_all(IndicatorDirectorate(indicator_id=indicator_id, directorate_id=d) for d in ids)

    @staticmethod
    async def _existing_current_keys(session: AsyncSession, keys: list[str]) -> list[str]:
        found: list[str] = []
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            found += (
                await session.execute(select(IndicatorValue.current_key).where(IndicatorValue.current_key.in_(chunk)))
            ).scalars()
        return found

    async def _values_by_current_key(
        self, session: AsyncSession, snapshot: _Snapshot, keys: list[str]
    ) -> dict[str, ValueView]:
        if not keys:
            return {}
        rows = await self._value_rows(session, IndicatorValue.current_key.in_(keys))
        return {row.current_key: self._value_view(row, snapshot, code, names) for row, code, names in rows}

    async def _last_values_before(
        self,
        session: AsyncSession,
        snapshot: _Snapshot,
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
        rows = await self._value_rows(
            session,
            IndicatorValue.directorate_id == directorate.id,
            IndicatorValue.current_key.is_not(None),
            IndicatorValue.indicator_id == latest.c.indicator_id,
            IndicatorValue.period == latest.c.period,
        )
        return {row.indicator_id: self._value_view(row, snapshot, code, names) for row, code, names in rows}

    @staticmethod
    async def _value_rows(session: AsyncSession, *conditions) -> list[tuple[IndicatorValue, str, dict[int, str]]]:
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

    @staticmethod
    def _value_view(row: IndicatorValue, snapshot: _Snapshot, directorate_code: str, names: dict[int, str]) -> ValueView:
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
        )


def _current_key(indicator_id: int, directorate_id: int, period_code: str) -> str:
    return f"{indicator_id}|{directorate_id}|{period_code}"


def _submission_key(prefix: str | None, directorate_code: str, entry: ValueEntry) -> str:
    return f"{prefix}|{directorate_code}|{entry.key}"[:300] if prefix else ""
