"""Builds a `Summary` from the database for a scope: catalogue, current values, directorates,
next meetings and cadence check (committees feature), then `compute_summary`.

The scope always comes from the server-side person (`scope_of`), never from the request; a
restricted scope reads only its own directorate's values, so another directorate's figures are
not even loaded for a contributor.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, NamedTuple

from domain.clock import Clock, load_timezone
from domain.committees.cadence import CadenceWarning, CommitteeKind, CommitteeType, MeetingStatus
from domain.committees.meetings import MeetingView, cadence_warnings
from domain.indicators.aggregation import AggregationRule
from domain.indicators.rules import IndicatorView
from domain.people import PersonView, Role
from domain.summary.card import summary_fingerprint
from domain.summary.compute import compute_summary
from domain.summary.model import DirectorateInfo, EntryKey, EntryRecord, IndicatorSnapshot, Summary
from domain.summary.organisation import Organisation
from domain.summary.request import SummaryRequest
from domain.summary.scope import Scope, scope_for
from domain.summary.snapshots import snapshot_from_views
from storage.committees.repository import CommitteeRepository
from storage.data_versions import VersionedCache
from storage.indicators.catalogue import IndicatorCatalogue
from storage.people import DirectorateRepository
from storage.summary.repository import StoredValue, SummaryRepository
from storage.unit_of_work import UnitOfWork

MEETINGS_SHOWN = 3
CACHED_SCOPES = 64


class SummaryRead(NamedTuple):
    summary: Summary
    for_digests: bool
    """An official or a weekly subscriber read the whole summary: a digest that day need not repeat it."""


@dataclass(frozen=True)
class _Reference:
    """What a summary reads besides values, kept while the catalogue's, directorates' and committees'
    versions (read first) do not change."""

    views: tuple[IndicatorView, ...]
    directorates: tuple[DirectorateInfo, ...]
    committee_types: dict[CommitteeKind, CommitteeType]
    meetings: tuple[MeetingView, ...]


@dataclass
class _CachedValues:
    version: tuple[int, int]
    values: dict[int, list[StoredValue]]
    snapshots: dict[IndicatorView, IndicatorSnapshot] = field(default_factory=dict)


class SnapshotCache:
    """Indicator snapshots built from the current values, per directorate read (None: all).

    Reading and checking ~50,000 values costs a few hundred milliseconds, more than the rest of a
    summary turn; values only change when one is recorded, which `SummaryRepository.versions`
    detects (one cheap query per turn, to the database, so every instance sees every other's
    writes). A snapshot is also keyed by its catalogue row, so editing an indicator rebuilds that
    one only. The least recently used reads are dropped beyond `CACHED_SCOPES`.
    """

    def __init__(self, repository: SummaryRepository, capacity: int = CACHED_SCOPES) -> None:
        self._repository = repository
        self._capacity = capacity
        self._entries: OrderedDict[str | None, _CachedValues] = OrderedDict()

    async def snapshots(
        self, views: list[IndicatorView], directorate_code: str | None, version: tuple[int, int],
        uow: UnitOfWork | None = None,
    ) -> list[IndicatorSnapshot]:
        """`version` must be read before calling: values read after it are at least as new. Values are
        read in `uow`'s transaction when given (the one the version was read in)."""
        entry = self._entries.get(directorate_code)
        if entry is not None and entry.version != version:
            entry = await self._brought_up_to(entry, directorate_code, version, uow)
        if entry is None:
            entry = _CachedValues(version, await self._repository.current_values(directorate_code, uow=uow))
        return self._kept(views, directorate_code, entry)

    def highest_read(self, directorate_code: str | None) -> int | None:
        """The highest value id of what is kept for this read (`snapshots_with`), None if nothing is."""
        entry = self._entries.get(directorate_code)
        return None if entry is None else entry.version[1]

    def snapshots_with(
        self, views: list[IndicatorView], directorate_code: str | None, version: tuple[int, int],
        recorded: list[tuple[int, bool, StoredValue]],
    ) -> list[IndicatorSnapshot] | None:
        """`snapshots`, from what is kept and the rows recorded since it was read up to `version`
        (`SummaryRepository.versions_and_recorded_since`, read with `version`); None when they do not
        bring it up to `version` (the caller then reads as `snapshots` does)."""
        entry = self._entries.get(directorate_code)
        if entry is None:
            return None
        if entry.version != version:
            entry = self._with_rows(entry, directorate_code, version, recorded)
            if entry is None:
                return None
        return self._kept(views, directorate_code, entry)

    def _kept(self, views: list[IndicatorView], directorate_code: str | None, entry: _CachedValues) -> list[IndicatorSnapshot]:
        self._entries[directorate_code] = entry
        self._entries.move_to_end(directorate_code)
        while len(self._entries) > self._capacity:
            self._entries.popitem(last=False)
        snapshots = []
        for view in views:
            snapshot = entry.snapshots.get(view)
            if snapshot is None:
                snapshot = entry.snapshots[view] = snapshot_from_views(view, entry.values.get(view.id, ()))
            snapshots.append(snapshot)
        return snapshots

    async def _brought_up_to(
        self, entry: _CachedValues, directorate_code: str | None, version: tuple[int, int], uow: UnitOfWork | None
    ) -> _CachedValues | None:
        """The entry with the rows recorded since it was read, or None to read everything again."""
        (old_count, old_highest), (count, highest) = entry.version, version
        if count < old_count or highest < old_highest:
            return None
        rows = await self._repository.values_recorded_between(old_highest, highest, uow=uow)
        return self._with_rows(entry, directorate_code, version, rows)

    @staticmethod
    def _with_rows(
        entry: _CachedValues, directorate_code: str | None, version: tuple[int, int], rows: list[tuple[int, bool, StoredValue]]
    ) -> _CachedValues | None:
        """The entry with `rows`, those recorded since it was read up to `version`, or None.

        Every new row has a higher id than the rows it supersedes; if the rows found between the
        two versions are not exactly the new rows counted (a transaction committed out of id
        order on PostgreSQL), everything is read again rather than risk a stale summary.
        """
        (old_count, old_highest), (count, highest) = entry.version, version
        if count < old_count or highest < old_highest or len(rows) != count - old_count:
            return None
        values = dict(entry.values)
        touched: dict[int, list[StoredValue]] = {}
        for indicator_id, is_current, value in rows:
            if not is_current or (directorate_code is not None and value.directorate_code != directorate_code):
                continue
            kept = [v for v in values.get(indicator_id, ()) if (v.directorate_code, v.period) != (value.directorate_code, value.period)]
            values[indicator_id] = [*kept, value]
            touched.setdefault(indicator_id, []).append(value)
        snapshots = {
            view: snapshot if view.id not in touched else snapshot.with_values_replaced(
                (value.period, value.directorate_code, value.value, value.comment, value.source)
                for value in touched[view.id]
            )
            for view, snapshot in entry.snapshots.items()
        }
        return _CachedValues(version, values, snapshots)


def scope_of(person: PersonView | None) -> Scope:
    """Lead and officials: everything; contributor: their directorate; anyone else: SummaryAccessDenied."""
    return scope_for(person.role if person else None, person.directorate_code if person else None)


class SummaryService:
    def __init__(
        self,
        repository: SummaryRepository,
        catalogue: IndicatorCatalogue,
        directorates: DirectorateRepository,
        clock: Clock,
        timezone: str,
        committees: CommitteeRepository | None = None,
        organisation: Organisation = Organisation(),
    ) -> None:
        self.repository = repository
        self.organisation = organisation
        self.catalogue = catalogue
        self.directorates = directorates
        self.committees = committees
        self._clock = clock
        self.timezone = timezone
        self.cache = SnapshotCache(repository)
        self._references: VersionedCache[None, _Reference] = VersionedCache()
        """Read with the values' version (`SummaryRepository.versions`): no statement of its own."""

    def now(self) -> datetime:
        """The moment a document is produced (the report says it, as of when its figures are)."""
        return self._clock.now()

    def today(self) -> date:
        return self._clock.now().astimezone(load_timezone(self.timezone)).date()

    async def for_person(self, person: PersonView | None, request: SummaryRequest = SummaryRequest()) -> Summary:
        return (await self.read_by(person, request)).summary

    async def read_by(self, person: PersonView | None, request: SummaryRequest = SummaryRequest()) -> SummaryRead:
        """The summary a person asked for, and whether their reading it counts for the digests."""
        summary, weekly = await self._summary(scope_of(person), request, person.id if person else None)
        whole = summary.axis_filter is None and summary.directorate_filter is None
        return SummaryRead(summary, whole and (weekly or person.role is Role.OFFICIAL))

    async def summary(self, scope: Scope, request: SummaryRequest = SummaryRequest()) -> Summary:
        """Raises SummaryAccessDenied / SummaryError (French) for a filter outside the scope or unknown."""
        return (await self._summary(scope, request, None))[0]

    async def _summary(self, scope: Scope, request: SummaryRequest, reader: int | None) -> tuple[Summary, bool]:
        today = self.today()
        only = scope.directorate if scope.is_restricted else (request.directorate or "").strip().upper() or None
        found = await self._from_kept(only, reader)
        if found is None:
            # One transaction: the versions first, then what changed since the last summary.
            async with self.repository.unit_of_work() as uow:
                version, kept, weekly = await self.repository.versions(reader=reader, uow=uow)
                reference = await self._references.get_or_build(None, kept, lambda: self._read_reference(uow))
                snapshots = await self.cache.snapshots(self._read_views(reference), only, version, uow)
        else:
            reference, snapshots, weekly = found
        active_count = sum(1 for view in reference.views if view.active)
        directorates = reference.directorates
        meetings, warnings = self._committee_context(today, reference)
        return compute_summary(
            snapshots[:active_count],
            directorates,
            today,
            scope=scope,
            axis=request.axis,
            directorate=request.directorate,
            next_meetings=meetings,
            cadence_warnings=warnings,
            weighting_bases=snapshots[active_count:],
            organisation=self.organisation,
            timezone=self.timezone,
        ), weekly

    async def _from_kept(
        self, only: str | None, reader: int | None
    ) -> tuple[_Reference, list[IndicatorSnapshot], bool] | None:
        """The reference and the snapshots from what is kept, brought up to date by one read of the
        versions with the values recorded since (one hand-over on a SQLite file); None when nothing
        is kept or the reference's versions moved (the caller then reads as before)."""
        reference = self._references.latest(None)
        highest = self.cache.highest_read(only)
        if reference is None or highest is None:
            return None
        version, kept, weekly, recorded = await self.repository.versions_and_recorded_since(highest, reader=reader)
        if self._references.get(None, kept) is not reference[1]:
            return None
        snapshots = self.cache.snapshots_with(self._read_views(reference[1]), only, version, recorded)
        return None if snapshots is None else (reference[1], snapshots, weekly)

    @staticmethod
    def _read_views(reference: _Reference) -> list[IndicatorView]:
        """The active indicators, then the inactive ones the active weighted means are weighted by."""
        active = [view for view in reference.views if view.active]
        bases = {view.weighting_base for view in active if view.aggregation_rule is AggregationRule.WEIGHTED_MEAN}
        return active + [view for view in reference.views if not view.active and view.code in bases]

    def fingerprint(self, read: SummaryRead, compact_card: dict[str, Any] | None = None) -> str | None:
        """What `record_shown` keeps of a summary read by a person the digests go to (officials and
        weekly subscribers), None for anyone else; `compact_card`, the compact card built for the
        reply, is reused. Taken before the reply leaves: sending typesets the card's texts in place."""
        if not read.for_digests:
            return None
        return summary_fingerprint(read.summary, self.timezone, compact=compact_card)

    async def record_shown(self, person_id: int, fingerprint: str | None) -> None:
        """The whole summary a person just read (`fingerprint`): a digest the same day does not send it
        again (storage.summary.digests)."""
        if fingerprint is not None:
            await self.repository.record_shown({person_id: fingerprint}, self._clock.now(), requested=True)

    async def entries(self, summary: Summary) -> dict[EntryKey, EntryRecord]:
        """Who entered each value the summary's value exports list, and when (in its scope only)."""
        codes = {indicator.code for indicator in summary.visible_indicators}
        return await self.repository.entries(codes, summary.viewed_directorate)

    async def _read_reference(self, uow: UnitOfWork) -> _Reference:
        views = await self.catalogue.list_indicators(include_inactive=True, uow=uow)
        directorates = [DirectorateInfo(d.code, d.name) for d in await self.directorates.list(uow=uow)]
        types, meetings = await self.committees.types_and_meetings(uow=uow) if self.committees else ({}, [])
        return _Reference(tuple(views), tuple(directorates), types, tuple(meetings))

    def _committee_context(self, today: date, reference: _Reference) -> tuple[list[MeetingView], list[CadenceWarning]]:
        if self.committees is None:
            return [], []
        meetings = reference.meetings
        zone = load_timezone(self.timezone)
        # The meetings of the summary's day on, as the cadence check counts them (« a meeting today
        # counts as coming »): a COPIL planned this morning, read at noon, was missing from the report
        # dated today, which said « Aucune réunion de comité n’est planifiée » (issue 17).
        upcoming = [
            m for m in meetings if m.status is MeetingStatus.PLANNED and m.starts_at.astimezone(zone).date() >= today
        ][:MEETINGS_SHOWN]
        return upcoming, cadence_warnings(reference.committee_types, meetings, today, self.timezone)
