"""Values reported by the directorates, what is due, and the audit trail of every entry.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from datetime import UTC, date
from decimal import Decimal

from sqlalchemy import (
    func,
    select,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from domain.clock import DEFAULT_TIMEZONE, Clock, SystemClock, load_timezone
from domain.errors import DomainError
from domain.indicators.catalogue import ImprovementDirection
from domain.indicators.legal_limits import legal_limit
from domain.indicators.periods import (
    Frequency,
    Period,
    current_reporting_period,
    parse_period,
)
from domain.indicators.rules import (
    DirectorateDue,
    DueItem,
    EntryErrors,
    IndicatorView,
    RecordOutcome,
    ValueEntry,
    ValueView,
    canonical,
    check_directorate_allowed,
    entry_key,
)
from domain.indicators.units import Unit
from domain.indicators.values import validate_value
from storage.db import Database
from storage.indicators import statements
from storage.indicators.checks import check_entries, read_back, saved_as_sent, source_columns, submission_prefix
from storage.indicators.reads import (
    CatalogueChanged,
    DirectorateCatalogues,
    DirectorateRef,
    EntriesCache,
    Snapshot,
    asked_of_directorates,
    current_key_of,
    directorate_by_code,
    due_candidates,
    due_from_kept_catalogue,
    due_items,
    existing_current_keys,
    find,
    indicator_view,
    load_snapshot,
    submission_key_of,
    value_rows,
    value_view,
    values_around,
)
from storage.indicators.tables import Indicator, IndicatorValue
from storage.people import Directorate
from storage.unit_of_work import UnitOfWork

MAX_SAVE_ATTEMPTS = 3


class IndicatorValues:
    """What is due, the values and their history. Every public call is one unit of work, except a
    recording made within a turn's (see `record_values`)."""

    def __init__(
        self, database: Database, entries: EntriesCache, *, clock: Clock | None = None, timezone: str = DEFAULT_TIMEZONE
    ) -> None:
        self._db = database
        self._entries = entries
        self._clock = clock or SystemClock()
        self._zone = load_timezone(timezone)
        self._directorate_catalogues = DirectorateCatalogues()

    def today(self) -> date:
        """The date in the organisation's time zone: periods end at local midnight."""
        return self._clock.now().astimezone(self._zone).date()

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
        items = await due_from_kept_catalogue(self._db, self._directorate_catalogues, directorate_code, today, period, wanted)
        if items is None:
            async with self._db.session() as session:
                catalogue = await self._directorate_catalogues.read(session, directorate_code)
                candidates = due_candidates(catalogue, today, period, wanted)
                items = await self._items(session, catalogue.snapshot(), catalogue.directorate, candidates)
        kept = [item for item in items if include_entered or item.existing is None]
        return sorted(kept, key=lambda item: (item.indicator.code, item.period))

    async def still_due(
        self, directorate_code: str, today: date, *, period: Period | None = None
    ) -> list[tuple[str, str]]:
        """(code, period) of what the directorate has still to report, as `due_for_directorate` finds
        it, without the values around each item: two reads instead of five, e.g. to close a dialog."""
        async with self._db.transaction() as connection:
            rows = (await connection.execute(statements.LINKED_ACTIVE, {"code": directorate_code.strip().upper()})).all()
            candidates: list[tuple[str, str, str]] = []
            for indicator_id, code, frequency, directorate_id in rows:
                if period is not None and period.frequency is not Frequency(frequency):
                    continue
                due = period or current_reporting_period(Frequency(frequency), today)
                candidates.append((code, due.code, current_key_of(indicator_id, directorate_id, due.code)))
            keys = [key for _, _, key in candidates]
            entered = set((await connection.execute(statements.ENTERED_KEYS, {"keys": keys})).scalars()) if keys else set()
        return sorted((code, period_code) for code, period_code, key in candidates if key not in entered)

    async def directorates_with_due_indicators(self, today: date) -> list[DirectorateDue]:
        """Every directorate that still has indicators to report at `today`, with their codes."""
        async with self._db.session() as session:
            snapshot = await load_snapshot(session)
            directorates = {
                d.code: d for d in (await session.execute(select(Directorate).order_by(Directorate.code))).scalars()
            }
            pairs: list[tuple[Indicator, Directorate, Period]] = []
            for indicator in snapshot.indicators.values():
                if not asked_of_directorates(indicator):
                    continue
                due = current_reporting_period(Frequency(indicator.frequency), today)
                for code in snapshot.directorates_of.get(indicator.id, ()):
                    pairs.append((indicator, directorates[code], due))
            keys = [current_key_of(i.id, d.id, p.code) for i, d, p in pairs]
            entered = set(await existing_current_keys(session, keys))
        missing: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for indicator, directorate, due in pairs:
            if current_key_of(indicator.id, directorate.id, due.code) not in entered:
                missing[directorate.code].append((indicator.code, due.code))
        return [
            DirectorateDue(directorates[code].id, code, directorates[code].name, tuple(sorted(items)))
            for code, items in sorted(missing.items())
        ]

    async def directorates_concerned(self, meeting) -> Collection[int] | None:
        """Ids of the directorates with indicators still due on a meeting's day (its data reminders).

        None (« every directorate ») while the catalogue has no active indicator, so reminders
        still reach the directorates before the first import.
        """
        async with self._db.transaction() as connection:
            any_active = (await connection.execute(statements.ANY_ACTIVE)).first() is not None
        if not any_active:
            return None
        day = meeting.starts_at.astimezone(self._zone).date()
        return {due.directorate_id for due in await self.directorates_with_due_indicators(day)}

    async def describe_items(
        self, directorate_code: str, pairs: Iterable[tuple[str, str]]
    ) -> tuple[list[DueItem], dict[str, str]]:
        """Items for given (code, period) pairs, e.g. to send a card back; unreadable pairs as errors."""
        pairs = list(pairs)
        problems: dict[str, str] = {}
        async with self._db.session() as session:
            directorate = await directorate_by_code(session, directorate_code)
            snapshot = await load_snapshot(session, codes=[code for code, _ in pairs])
            resolved: list[tuple[IndicatorView, Period]] = []
            for code, period_text in pairs:
                try:
                    indicator = indicator_view(find(snapshot, code), snapshot)
                    resolved.append((indicator, parse_period(period_text, indicator.frequency)))
                except DomainError as error:
                    problems[entry_key(code, period_text)] = error.message
            items = await self._items(session, snapshot, directorate, resolved)
        return items, problems

    async def _items(
        self,
        session: AsyncSession,
        snapshot: Snapshot,
        directorate: DirectorateRef | Directorate,
        candidates: list[tuple[IndicatorView, Period]],
    ) -> list[DueItem]:
        """Due items with the value already entered for the period and the last one before it."""
        existing, last = await values_around(session, snapshot, directorate, candidates)
        return due_items(directorate, candidates, existing, last)

    # ----- values ----------------------------------------------------------------------------

    async def record_value(
        self,
        person,
        directorate_code: str,
        entry: ValueEntry,
        today: date,
        *,
        submission_key: str | None = None,
        uow: UnitOfWork | None = None,
        replacing: bool = False,
    ) -> RecordOutcome:
        """Record one value; raises the entry's French error (`EntryErrors` unwrapped)."""
        try:
            return await self.record_values(
                person, directorate_code, [entry], today, submission_key=submission_key, uow=uow, replacing=replacing
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
        uow: UnitOfWork | None = None,
        replacing: bool = False,
    ) -> RecordOutcome:
        """Check every entry, then save all of them in one transaction, or none.

        `person` is the server-side PersonView; `submission_key` (card id, dialog step) makes a
        repeated submission save once: the second call returns `duplicate=True`. `dry_run`
        only checks (raises `EntryErrors`) and saves nothing. Within the turn's `uow`, the
        values are committed with the turn's state, at the end of the turn (nothing may write after).
        `replacing`: the periods held a value when the person was shown them (a correction), so the
        current one is taken over first, without trying the insert of a period's first value (one
        statement fewer); a period found empty after all gets its first value just the same.
        """
        if not entries:
            raise DomainError("Aucune valeur saisie : rien n’a été enregistré.")
        directorate_code = directorate_code.strip().upper()
        check_directorate_allowed(person, directorate_code)
        keys = [submission_key_of(submission_key, directorate_code, entry) for entry in entries]
        for attempt in range(MAX_SAVE_ATTEMPTS):
            try:
                return await self._record_checked(
                    person, directorate_code, entries, today, submission_key, dry_run, uow, replacing
                )
            except IntegrityError:
                if submission_key is not None and await self._submitted(IndicatorValue.submission_key.in_(keys)):
                    return RecordOutcome(saved=(), duplicate=True)
                if attempt == MAX_SAVE_ATTEMPTS - 1:
                    raise DomainError(
                        "Une autre saisie de la même valeur est arrivée au même moment : rien n’a été enregistré, "
                        "réessayez."
                    ) from None
        raise AssertionError("unreachable")

    async def _record_checked(self, *args) -> RecordOutcome:
        """`_record_once`, again on a freshly read catalogue if the remembered one was out of date."""
        try:
            return await self._record_once(*args)
        except CatalogueChanged:
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
        uow: UnitOfWork | None = None,
        replacing: bool = False,
    ) -> RecordOutcome:
        codes = [entry.code for entry in entries]
        async with self._db.connection_in(uow) as connection:
            remembered = self._entries.snapshot(codes)
            snapshot, directorate_ids = remembered or await self._entries_snapshot(connection, codes)
            checked, errors, causes = check_entries(person, directorate_code, entries, snapshot, today)
            if errors and remembered is not None:
                remembered = None  # the remembered rows may be out of date: the database decides
                snapshot, directorate_ids = await self._entries_snapshot(connection, codes)
                checked, errors, causes = check_entries(person, directorate_code, entries, snapshot, today)
            if errors:
                raise EntryErrors(errors, causes)
            if dry_run:
                return RecordOutcome(saved=())
            keys = {entry.key: submission_key_of(submission_key, directorate_code, entry) for entry in entries}
            now = self._clock.now()
            directorate_id = directorate_ids[directorate_code]
            entered_by = person.name or person.email or ""
            views: list[ValueView] = []
            for entry, indicator, period, value, comment in checked:
                current_key = current_key_of(indicator.id, directorate_id, period.code)
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
                    **source_columns(entry.source),
                )
                if remembered is not None:
                    row.update(unit=indicator.unit, frequency=indicator.frequency)
                plain_first, guarded_first = statements.FIRST_ENTRY_INSERTS[connection.dialect.name]
                # The period's first value takes the free slot; nothing inserted means it was taken
                # (or, with remembered rows, that the catalogue changed: see below).
                new_id = None
                if not replacing:
                    new_id = (await connection.execute(plain_first if remembered is None else guarded_first, row)).scalar()
                previous = None
                if new_id is None:
                    # Take over the current slot and learn what it held, in one statement.
                    previous = (await connection.execute(statements.TAKE_OVER_SLOT, {"slot": current_key})).first()
                    if previous is not None:
                        row.update(previous_value_id=previous.id, previous_value=previous.value)
                    if remembered is None:
                        new_id = (await connection.execute(statements.INSERT_VALUE, row)).scalar_one()
                    else:
                        new_id = (await connection.execute(statements.INSERT_VALUE_IF_STILL_ALLOWED, row)).scalar()
                        if new_id is None:
                            raise CatalogueChanged()
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
                        counted_noun=indicator.counted_noun or "",
                        source=read_back(entry.source, now, entered_by),
                        legal_limit=legal_limit(
                            None if indicator.legal_threshold is None else canonical(indicator.legal_threshold),
                            indicator.legal_basis or "",
                            ImprovementDirection(indicator.direction),
                        ),
                    )
                )
        return RecordOutcome(saved=tuple(views))

    async def _entries_snapshot(
        self, connection: AsyncConnection, codes: list[str]
    ) -> tuple[Snapshot, dict[str, int]]:
        """The indicators named by a batch with their directorates (codes and ids), in one query.

        Recording is the hot path of an update turn: the checks only need the responsible
        directorates, and the directorate written to must be one of them. Plain rows (attributes
        named like `Indicator`'s) rather than ORM objects: the turn needs no identity map.
        """
        wanted = {(code or "").strip().upper() for code in codes}
        if len(wanted) == 1:
            rows = await connection.execute(statements.ENTRY_ONE, {"code": next(iter(wanted))})
        else:
            rows = await connection.execute(statements.ENTRIES, {"codes": sorted(wanted)})
        snapshot = Snapshot()
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

    async def submission_saved(
        self, submission_key: str, directorate_code: str, pairs: Iterable[tuple[str, str]] | None
    ) -> bool:
        """Whether a submission (a card sent before) saved values for these (code, period) pairs, or
        for any when `pairs` is None, whatever it carries now: a card sent again after its save must
        not read as refused."""
        directorate_code = directorate_code.strip().upper()
        if pairs is None:
            prefix = submission_prefix(submission_key, directorate_code)
            return await self._submitted(IndicatorValue.submission_key.startswith(prefix, autoescape=True))
        keys = [submission_key_of(submission_key, directorate_code, ValueEntry(code, period, "")) for code, period in pairs]
        return bool(keys) and await self._submitted(IndicatorValue.submission_key.in_(keys))

    async def submission_unchanged(self, submission_key: str, directorate_code: str, entries: Sequence[ValueEntry]) -> bool:
        """Whether a submission saved exactly these entries, values and comments (the same card sent
        again: « Ce formulaire a déjà été enregistré : rien n’a été modifié. »), rather than a card changed since its save."""
        async with self._db.session() as session:
            return await saved_as_sent(session, submission_key, directorate_code.strip().upper(), entries)

    async def _submitted(self, condition) -> bool:
        """Whether a submission was already saved (its unique key refused the new rows)."""
        async with self._db.session() as session:
            found = await session.execute(select(IndicatorValue.id).where(condition).limit(1))
            return found.first() is not None

    async def seed_values(self, rows: Iterable[dict]) -> int:
        """Trusted load of past values for the demo, without role checks, into periods still empty.

        Each dict: code, directorate, period, value, entered_by_id, entered_at, optional comment.
        Later rows of the same period supersede earlier ones, like corrections.
        """
        count = 0
        async with self._db.session() as session:
            snapshot = await load_snapshot(session)
            directorates = {d.code: d.id for d in (await session.execute(select(Directorate))).scalars()}
            current: dict[str, IndicatorValue] = {}
            for data in rows:
                indicator = find(snapshot, data["code"])
                period = parse_period(data["period"], Frequency(indicator.frequency))
                directorate_id = directorates[data["directorate"]]
                key = current_key_of(indicator.id, directorate_id, period.code)
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
                    **source_columns(None),
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
            snapshot = await load_snapshot(session, codes=[code])
            indicator = find(snapshot, code)
            rows = await value_rows(session, IndicatorValue.indicator_id == indicator.id, IndicatorValue.current_key.is_not(None))
            views = [value_view(row, snapshot, d_code, names) for row, d_code, names in rows]
        latest: dict[str, ValueView] = {}
        for view in views:
            if view.directorate_code not in latest or latest[view.directorate_code].period < view.period:
                latest[view.directorate_code] = view
        return indicator_view(indicator, snapshot), sorted(latest.values(), key=lambda v: v.directorate_code)

    async def history(self, code: str, *, directorate_code: str | None = None) -> tuple[IndicatorView, list[ValueView]]:
        """Every value ever entered for the indicator, oldest first: the audit trail."""
        async with self._db.session() as session:
            snapshot = await load_snapshot(session, codes=[code])
            indicator = find(snapshot, code)
            conditions = [IndicatorValue.indicator_id == indicator.id]
            if directorate_code:
                directorate = await directorate_by_code(session, directorate_code)
                conditions.append(IndicatorValue.directorate_id == directorate.id)
            rows = await value_rows(session, *conditions)
            views = [value_view(row, snapshot, d_code, names) for row, d_code, names in rows]
        return indicator_view(indicator, snapshot), views

    async def count_values(self) -> int:
        async with self._db.session() as session:
            return (await session.execute(select(func.count()).select_from(IndicatorValue))).scalar_one()
