"""What the status summary reads from the database, and its own small tables.

Reads: every *current* value in one query (the indicator repository offers per-indicator reads
only; 30 indicators × 40 directorates × 10 years is one round trip here instead of 30), a cheap
version of the values table for the summary's cache, who entered each current value and when
(for the value exports), and the COPIL member reminders already sent whose élu·es have not had
the summary yet (the digest rides on the committees feature's reminders without touching them).

Tables: `summary_subscription` (who asked for the weekly digest), `copil_digest` (one row per
meeting revision whose digest was queued, written in the same transaction as the deliveries, so
a digest is queued once even with two schedulers) and `summary_shown` (the summary each person was
last sent or shown, and when: in the database, so every instance sees it).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping
from contextlib import AbstractAsyncContextManager
from datetime import datetime
from decimal import Decimal
from typing import NamedTuple

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
    and_,
    bindparam,
    case,
    exists,
    false,
    func,
    select,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Field, SQLModel

from domain.clock import to_utc
from domain.committees.cadence import CommitteeKind, MeetingStatus
from domain.committees.meetings import MeetingView, ReminderState
from domain.committees.reminder_plan import ReminderAudience
from domain.indicators.sources import SourceKind, ValueSource
from domain.people import Role
from domain.summary.model import EntryKey, EntryRecord
from storage.columns import timestamp, utcnow
from storage.committees.repository import meeting_view
from storage.committees.tables import Meeting, Reminder
from storage.data_versions import CATALOGUE, COMMITTEES, DIRECTORATES, version_of
from storage.db import Database
from storage.decp.tables import DecpFigure
from storage.indicators.tables import Indicator, IndicatorValue
from storage.outbox import aware
from storage.people import Directorate, Person
from storage.unit_of_work import UnitOfWork


class SummarySubscription(SQLModel, table=True):
    """A person who asked for the summary every week (« synthèse hebdomadaire oui »)."""

    __tablename__ = "summary_subscription"

    person_id: int = Field(sa_column=Column(Integer, ForeignKey("person.id", ondelete="CASCADE"), primary_key=True))
    weekly: bool = Field(default=False)
    updated_at: datetime = timestamp(onupdate=utcnow)


class CopilDigest(SQLModel, table=True):
    """The summary was queued for the élu·es before this version (revision) of a COPIL."""

    __tablename__ = "copil_digest"
    __table_args__ = (UniqueConstraint("meeting_id", "revision", name="uq_copil_digest_meeting_revision"),)

    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int
    revision: int
    recipient_count: int
    created_at: datetime = timestamp()


class SummaryShown(SQLModel, table=True):
    """The summary a person was last sent or shown (`domain.summary.card.summary_fingerprint`), and when."""

    __tablename__ = "summary_shown"

    person_id: int = Field(sa_column=Column(Integer, ForeignKey("person.id", ondelete="CASCADE"), primary_key=True))
    fingerprint: str = Field(sa_column=Column(String(64), nullable=False))
    shown_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    requested: bool = Field(default=False, sa_column=Column(Boolean, nullable=False, server_default=false()))
    """The person asked for it (« consulté »), rather than a digest sent it (« reçu »): reader 14, B3."""


class Shown(NamedTuple):
    fingerprint: str
    at: datetime
    requested: bool = False


class StoredValue(NamedTuple):
    """A current value as `domain.summary.snapshots.snapshot_from_views` reads it."""

    period: str
    directorate_code: str
    value: Decimal
    comment: str
    source: ValueSource | None = None


_ONE = Decimal(1)
_DECP = SourceKind.DECP_IMPORT.value
_IMPORTER = case(
    (IndicatorValue.source_kind == _DECP,
     select(func.coalesce(Person.name, Person.email)).where(Person.id == IndicatorValue.entered_by_id).scalar_subquery()),
    else_=None,
)
"""Who imported a computed value, looked up for those rows only: no join, so the values are read
in the same order as before (the incremental summary keeps that order)."""
_CONTRACTS = case(
    (IndicatorValue.source_kind == _DECP,
     select(DecpFigure.contracts).where(DecpFigure.value_id == IndicatorValue.id).limit(1).scalar_subquery()),
    else_=None,
)
"""How many contracts a computed value was computed on (« sur 42 marchés notifiés »), from the figure
the DECP import recorded with it; looked up the same way."""
_SOURCE_COLUMNS = (
    IndicatorValue.source_kind, IndicatorValue.source_file, IndicatorValue.source_import_id, IndicatorValue.entered_at,
    _IMPORTER, _CONTRACTS,
)


def _source(kind, file, import_id, entered_at, importer, contracts) -> ValueSource | None:
    """A computed value's source; None for a typed one (the summary needs nothing more about it,
    and ~50,000 values make no object for it)."""
    if kind != _DECP:
        return None
    return ValueSource.stored(kind, file, import_id, aware(entered_at), importer or "", contracts)

ReferenceVersions = tuple[int | None, ...]
"""Catalogue, directorates, committees (`storage.data_versions`); None where a row is missing."""

_WEEKLY_READER = exists().where(
    SummarySubscription.person_id == bindparam("reader"), SummarySubscription.weekly.is_(True)
)
_VERSIONS = select(
    func.count(), func.max(IndicatorValue.id), _WEEKLY_READER,
    version_of(CATALOGUE), version_of(DIRECTORATES), version_of(COMMITTEES),
).select_from(IndicatorValue)
"""Read at every summary: built once."""
_VALUE_COLUMNS = (IndicatorValue.period, IndicatorValue.value, IndicatorValue.comment, *_SOURCE_COLUMNS)
_CURRENT_VALUES = (
    select(IndicatorValue.indicator_id, Directorate.code, *_VALUE_COLUMNS)
    .join(Directorate, Directorate.id == IndicatorValue.directorate_id)
    .where(IndicatorValue.current_key.is_not(None))
    .order_by(IndicatorValue.id)
)
_CURRENT_VALUES_OF_DIRECTORATE = _CURRENT_VALUES.where(Directorate.code == bindparam("code"))
_RECORDED_BETWEEN = (
    select(IndicatorValue.indicator_id, IndicatorValue.current_key, Directorate.code, *_VALUE_COLUMNS)
    .join(Directorate, Directorate.id == IndicatorValue.directorate_id)
    .where(IndicatorValue.id > bindparam("after_id"), IndicatorValue.id <= bindparam("up_to_id"))
    .order_by(IndicatorValue.id)
)
"""The summary's value reads, built once: a statement built anew has its cache key computed each time."""
_RECORDED_AFTER = (
    select(IndicatorValue.id, IndicatorValue.indicator_id, IndicatorValue.current_key, Directorate.code, *_VALUE_COLUMNS)
    .join(Directorate, Directorate.id == IndicatorValue.directorate_id)
    .where(IndicatorValue.id > bindparam("after_id"))
    .order_by(IndicatorValue.id)
)


def plain(number: Decimal) -> Decimal:
    """`150.0000` → `150`, `12.5000` → `12.5`: `domain.indicators.rules.canonical`, faster on large reads."""
    if number == number.to_integral_value():
        return number.quantize(_ONE)
    return number.normalize()


class SummaryRepository:
    def __init__(self, database: Database) -> None:
        self._db = database

    @property
    def database(self) -> Database:
        return self._db

    def unit_of_work(self) -> AbstractAsyncContextManager[UnitOfWork]:
        """One transaction for several reads (the summary's: values, catalogue, directorates, meetings)."""
        return self._db.unit_of_work()

    async def versions(
        self, *, reader: int | None = None, uow: UnitOfWork | None = None
    ) -> tuple[tuple[int, int], ReferenceVersions, bool]:
        """The values' version and the catalogue's, directorates' and committees', in one statement;
        and whether the person `reader` asked for the weekly digest (read with them: no statement of
        its own).

        Values are never updated in place (a correction is a new row), so their row count and
        highest id together tell whether anything was recorded."""
        async with self._db.connection_in(uow) as connection:
            count, highest, weekly, *kept = (await connection.execute(_VERSIONS, {"reader": reader or 0})).one()
            return (int(count), int(highest or 0)), tuple(kept), bool(weekly)

    async def versions_and_recorded_since(
        self, after_id: int, *, reader: int | None = None
    ) -> tuple[tuple[int, int], ReferenceVersions, bool, list[tuple[int, bool, StoredValue]]]:
        """`versions`, then the rows `values_recorded_between(after_id, highest)` gives for the
        highest id they count, read in one transaction (`Database.read`: on a SQLite file, one
        hand-over to SQLite's thread), for a reader whose values are those up to `after_id`."""
        found = await self._db.read((_VERSIONS, {"reader": reader or 0}), (_RECORDED_AFTER, {"after_id": after_id}))
        count, highest, weekly, *kept = found[0][0]
        highest = int(highest or 0)
        rows = [
            (indicator_id, current_key is not None, StoredValue(period, code, plain(value), comment or "", _source(*source)))
            for value_id, indicator_id, current_key, code, period, value, comment, *source in found[1]
            if value_id <= highest  # on PostgreSQL a row committed after the count may be read too
        ]
        return (int(count), highest), tuple(kept), bool(weekly), rows

    async def current_values(
        self, directorate_code: str | None = None, *, uow: UnitOfWork | None = None
    ) -> dict[int, list[StoredValue]]:
        """Current values by indicator id (active or not: the caller picks), one directorate's if named;
        oldest first, the order in which the incremental read (`values_recorded_between`) appends
        newer ones: on PostgreSQL the rows' physical order was the same only by chance. In `uow`'s
        transaction when given (the summary's, after its versions)."""
        query = _CURRENT_VALUES
        parameters = {}
        if directorate_code:
            query = _CURRENT_VALUES_OF_DIRECTORATE
            parameters = {"code": directorate_code.strip().upper()}
        values: dict[int, list[StoredValue]] = defaultdict(list)
        async with self._db.connection_in(uow) as connection:  # Core rows: no ORM bookkeeping for ~50,000 tuples
            for indicator_id, code, period, value, comment, *source in (await connection.execute(query, parameters)).all():
                values[indicator_id].append(StoredValue(period, code, plain(value), comment or "", _source(*source)))
        return values

    async def entries(
        self, indicator_codes: Collection[str], directorate_code: str | None = None
    ) -> dict[EntryKey, EntryRecord]:
        """Who entered each current value of these indicators (one directorate's if named), and when."""
        if not indicator_codes:
            return {}
        query = (
            select(Indicator.code, Directorate.code, IndicatorValue.period, IndicatorValue.entered_at, Person.name,
                   Person.email, Person.role)
            .join(Indicator, Indicator.id == IndicatorValue.indicator_id)
            .join(Directorate, Directorate.id == IndicatorValue.directorate_id)
            .join(Person, Person.id == IndicatorValue.entered_by_id)
            .where(IndicatorValue.current_key.is_not(None), Indicator.code.in_(sorted(indicator_codes)))
        )
        if directorate_code:
            query = query.where(Directorate.code == directorate_code.strip().upper())
        async with self._db.session() as session:
            rows = (await session.execute(query)).all()
        return {
            (code, directorate, period): EntryRecord(entered_at, name or email or "", role in (Role.LEAD, Role.LEAD.value))
            for code, directorate, period, entered_at, name, email, role in rows
        }

    async def values_recorded_between(
        self, after_id: int, up_to_id: int, *, uow: UnitOfWork | None = None
    ) -> list[tuple[int, bool, StoredValue]]:
        """Rows with after_id < id <= up_to_id, oldest first: (indicator id, still current, value); in
        `uow`'s transaction when given (the summary's, after its versions)."""
        async with self._db.connection_in(uow) as connection:
            rows = await connection.execute(_RECORDED_BETWEEN, {"after_id": after_id, "up_to_id": up_to_id})
            return [
                (indicator_id, current_key is not None, StoredValue(period, code, plain(value), comment or "", _source(*source)))
                for indicator_id, current_key, code, period, value, comment, *source in rows.all()
            ]

    # --- weekly digest -----------------------------------------------------------------------

    async def set_weekly(self, person_id: int, weekly: bool) -> None:
        async with self._db.session() as session:
            row = await session.get(SummarySubscription, person_id)
            if row is None:
                session.add(SummarySubscription(person_id=person_id, weekly=weekly))
            else:
                row.weekly = weekly
                row.updated_at = utcnow()

    async def is_weekly(self, person_id: int) -> bool:
        async with self._db.session() as session:
            row = await session.get(SummarySubscription, person_id)
            return bool(row and row.weekly)

    async def weekly_subscribers(self) -> list[int]:
        """Ids of the people who asked for the weekly digest and still have a role."""
        async with self._db.session() as session:
            rows = await session.execute(
                select(SummarySubscription.person_id)
                .join(Person, Person.id == SummarySubscription.person_id)
                .where(SummarySubscription.weekly.is_(True), Person.role.is_not(None))
                .order_by(SummarySubscription.person_id)
            )
            return list(rows.scalars())

    # --- the summary each person last read ---------------------------------------------------

    async def record_shown(
        self, fingerprints: Mapping[int, str], at: datetime, *, requested: bool = False, uow: UnitOfWork | None = None
    ) -> None:
        """Per person id, the summary just sent (`requested` False: in `uow` for a digest, with its
        deliveries) or shown at the person's request."""
        if not fingerprints:
            return
        async with self._db.session_in(uow) as session:
            # An upsert: two instances showing the summary to one person at once do not collide.
            dialect = postgresql if session.bind.dialect.name == "postgresql" else sqlite
            statement = dialect.insert(SummaryShown).values(
                [{"person_id": person_id, "fingerprint": fingerprint, "shown_at": to_utc(at), "requested": requested}
                 for person_id, fingerprint in sorted(fingerprints.items())]
            )
            excluded = statement.excluded
            await session.execute(
                statement.on_conflict_do_update(
                    index_elements=["person_id"],
                    set_={"fingerprint": excluded.fingerprint, "shown_at": excluded.shown_at, "requested": excluded.requested},
                )
            )

    async def shown(self, person_ids: Collection[int]) -> dict[int, Shown]:
        """The summary each of these people was last sent or shown, and when (absent: never)."""
        if not person_ids:
            return {}
        async with self._db.session() as session:
            rows = (
                await session.execute(select(SummaryShown).where(SummaryShown.person_id.in_(sorted(person_ids))))
            ).scalars()
            return {row.person_id: Shown(row.fingerprint, aware(row.shown_at), row.requested) for row in rows}

    # --- digest before each COPIL ------------------------------------------------------------

    async def copil_meetings_awaiting_digest(self, now: datetime) -> list[MeetingView]:
        """COPILs still ahead whose member reminder went out (J-7, or J-1 after downtime) for the
        current date of the meeting, and whose élu·es have not been sent the summary for it."""
        query = (
            select(Meeting)
            .join(Reminder, and_(Reminder.meeting_id == Meeting.id, Reminder.revision == Meeting.sequence))
            .outerjoin(
                CopilDigest, and_(CopilDigest.meeting_id == Meeting.id, CopilDigest.revision == Meeting.sequence)
            )
            .where(
                Meeting.kind == CommitteeKind.COPIL.value,
                Meeting.status == MeetingStatus.PLANNED.value,
                Meeting.starts_at > to_utc(now),
                Reminder.audience == ReminderAudience.MEMBERS.value,
                Reminder.state == ReminderState.FANNED_OUT.value,
                CopilDigest.id.is_(None),
            )
            .distinct()
            .order_by(Meeting.starts_at)
        )
        async with self._db.session() as session:
            return [meeting_view(row) for row in (await session.execute(query)).scalars()]

    async def record_digest(self, meeting: MeetingView, recipient_count: int, *, uow: UnitOfWork) -> None:
        """In the unit of work that queues the deliveries (the unique constraint refuses a second one)."""
        session = await uow.session()
        session.add(CopilDigest(meeting_id=meeting.id, revision=meeting.sequence, recipient_count=recipient_count))
        await session.flush()

    async def digests(self) -> list[CopilDigest]:
        async with self._db.session() as session:
            return list((await session.execute(select(CopilDigest).order_by(CopilDigest.id))).scalars())

