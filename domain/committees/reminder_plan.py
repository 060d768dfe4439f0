"""When each reminder of a meeting is sent, and whether a late one is still worth sending.

Send instants are computed on the local calendar (meeting day minus N days, at a local wall-clock
time) and only then converted to UTC, so a J-1 reminder at 14:00 stays at 14:00 local across a
DST change. A reminder that would land on a weekend or a French public holiday goes out on the
working day before (a J-1 for a Monday meeting arrives on Friday, when people read it). The keys
are stable so the outbox can refuse a second delivery of the same reminder.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from functools import lru_cache
from zoneinfo import ZoneInfo

from domain.clock import DEFAULT_TIMEZONE, SchedulingError, load_timezone, local_datetime, require_aware, to_utc
from domain.committees.year_plan import french_public_holidays

MAX_OFFSET_DAYS = 366


class ReminderAudience(StrEnum):
    MEMBERS = "members"
    DATA_COLLECTION = "data_collection"


def _check_offsets(offsets: Iterable[int], label: str) -> tuple[int, ...]:
    checked: set[int] = set()
    for offset in offsets:
        if isinstance(offset, bool) or not isinstance(offset, int) or not 0 <= offset <= MAX_OFFSET_DAYS:
            raise SchedulingError(
                f"Délai de rappel invalide pour {label} : « {offset} » (un nombre de jours entre 0 et "
                f"{MAX_OFFSET_DAYS}, par exemple 7 pour un rappel une semaine avant)."
            )
        checked.add(offset)
    return tuple(sorted(checked, reverse=True))


@dataclass(frozen=True)
class ReminderSettings:
    """Offsets in days before the meeting; `send_time=None` means "at the meeting's local time"."""

    member_offsets_days: tuple[int, ...] = (7, 1)
    data_collection_offsets_days: tuple[int, ...] = (28, 10)
    """Four weeks before: a week ahead of the comité technique the year plan puts three weeks before a
    COPIL to review the directorates' data (at J-21 the reminder left at the COTECH's very minute)."""
    send_time: time | None = None
    working_days_only: bool = True
    """Move a reminder that falls on a Saturday, a Sunday or a public holiday to the working day before."""
    holiday_subdivision: str | None = None
    """Local public holidays too, e.g. "57" for Moselle (the `holidays` library's French subdivisions)."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "member_offsets_days", _check_offsets(self.member_offsets_days, "les membres"))
        object.__setattr__(
            self,
            "data_collection_offsets_days",
            _check_offsets(self.data_collection_offsets_days, "la collecte des indicateurs"),
        )
        if self.send_time is not None and (not isinstance(self.send_time, time) or self.send_time.tzinfo):
            raise SchedulingError(
                f"Heure d’envoi des rappels invalide : « {self.send_time} » "
                "(une heure locale sans fuseau, par exemple 09:00)."
            )

    def offsets_for(self, audience: ReminderAudience) -> tuple[int, ...]:
        if audience is ReminderAudience.MEMBERS:
            return self.member_offsets_days
        return self.data_collection_offsets_days


def reminder_key(meeting_id: int | str, audience: ReminderAudience | str, offset_days: int, revision: int = 0) -> str:
    """Stable idempotence key, e.g. `meeting-42:members:J-7`.

    `revision` (the meeting's calendar SEQUENCE) is added only once the meeting has been moved, so
    a rescheduled meeting gets fresh reminders while an unchanged one keeps its original keys.
    """
    try:
        audience = ReminderAudience(audience)
    except ValueError as error:
        raise SchedulingError(
            f"Type de rappel inconnu : « {audience} » (attendu : members ou data_collection)."
        ) from error
    revision_part = f":r{revision}" if revision else ""
    return f"meeting-{meeting_id}{revision_part}:{audience.value}:J-{offset_days}"


@dataclass(frozen=True, order=True)
class PlannedReminder:
    send_at: datetime
    meeting_at: datetime
    meeting_id: int | str = field(compare=False)
    audience: ReminderAudience = field(compare=False)
    offset_days: int = field(compare=False)
    revision: int = field(default=0, compare=False)

    @property
    def key(self) -> str:
        return reminder_key(self.meeting_id, self.audience, self.offset_days, self.revision)


@lru_cache(maxsize=64)
def _public_holidays(year: int, subdivision: str | None) -> frozenset[date]:
    return frozenset(french_public_holidays([year], subdivision))


def is_working_day(day: date, holiday_subdivision: str | None = None) -> bool:
    """Monday to Friday and not a French public holiday."""
    return day.weekday() < 5 and day not in _public_holidays(day.year, holiday_subdivision)


def previous_working_day(day: date, holiday_subdivision: str | None = None) -> date:
    while not is_working_day(day, holiday_subdivision):
        day -= timedelta(days=1)
    return day


def send_instant(meeting_at: datetime, offset_days: int, tz: ZoneInfo | str = DEFAULT_TIMEZONE,
                 send_time: time | None = None, working_days_only: bool = False,
                 holiday_subdivision: str | None = None) -> datetime:
    """UTC instant of the J-`offset_days` reminder, at `send_time` (or the meeting's) local wall-clock time.

    With `working_days_only`, a J-1 or earlier reminder falling on a non-working day moves to the
    working day before; a same-day (J-0) reminder never moves, it is about the meeting itself.
    """
    zone = load_timezone(tz)
    local_meeting = require_aware(meeting_at, "date de la réunion").astimezone(zone)
    wall_time = send_time if send_time is not None else local_meeting.time()
    send_day = local_meeting.date() - timedelta(days=offset_days)
    if working_days_only and offset_days > 0:
        send_day = previous_working_day(send_day, holiday_subdivision)
    return local_datetime(send_day, wall_time, zone).astimezone(UTC)


def days_until(meeting_at: datetime, now: datetime, tz: ZoneInfo | str = DEFAULT_TIMEZONE) -> int:
    """Calendar days from `now` to the meeting, on the local calendar (0 = today, 1 = tomorrow)."""
    zone = load_timezone(tz)
    meeting_day = require_aware(meeting_at, "date de la réunion").astimezone(zone).date()
    return (meeting_day - require_aware(now, "maintenant").astimezone(zone).date()).days


def plan_reminders(
    meeting_id: int | str,
    meeting_at: datetime,
    tz: ZoneInfo | str = DEFAULT_TIMEZONE,
    settings: ReminderSettings | None = None,
    not_before: datetime | None = None,
    revision: int = 0,
) -> list[PlannedReminder]:
    """All reminders of one meeting, sorted by send instant.

    A reminder whose instant is not strictly before the meeting is dropped (a J-0 at 09:00 for a
    08:00 meeting). `not_before` (usually the moment the meeting is planned) drops the reminders
    that were already past then: they were never owed, unlike a reminder missed during downtime.
    When moving a reminder to the working day before would make it already past, it keeps its
    calendar day; when two offsets of one audience land on the same instant (J-1 and J-2 of a
    Monday meeting both on Friday), only the closer one is kept.
    """
    settings = settings or ReminderSettings()
    meeting_utc = to_utc(meeting_at, "date de la réunion")
    floor = to_utc(not_before, "date de planification") if not_before is not None else None
    planned: list[PlannedReminder] = []
    for audience in ReminderAudience:
        taken: set[datetime] = set()
        for offset in sorted(settings.offsets_for(audience)):
            at = send_instant(
                meeting_utc, offset, tz, settings.send_time, settings.working_days_only, settings.holiday_subdivision
            )
            if floor is not None and at < floor:
                at = send_instant(meeting_utc, offset, tz, settings.send_time)
            if at >= meeting_utc or (floor is not None and at < floor) or at in taken:
                continue
            taken.add(at)
            planned.append(PlannedReminder(at, meeting_utc, meeting_id, audience, offset, revision))
    return sorted(planned)


def should_send(reminder_at: datetime, meeting_at: datetime, now: datetime) -> bool:
    """Due once its instant has come, late included, but never once the meeting has started."""
    return to_utc(reminder_at, "date du rappel") <= to_utc(now, "maintenant") < to_utc(meeting_at, "date de la réunion")


def _group(reminder: PlannedReminder) -> tuple[int | str, int, ReminderAudience]:
    return reminder.meeting_id, reminder.revision, reminder.audience


def due_reminders(
    reminders: Sequence[PlannedReminder],
    now: datetime,
    already_sent: Collection[str] = (),
    collapse_missed: bool = True,
) -> list[PlannedReminder]:
    """Reminders to send now, oldest first, none whose key is in `already_sent`.

    With `collapse_missed`, when downtime made several reminders of the same meeting and audience
    due at once (J-7 and J-1), only the latest goes out: the earlier one says nothing more and
    two identical messages in a row read as a bug. The rule looks only at instants, so it gives
    the same answer after any restart.
    """
    now_utc = to_utc(now, "maintenant")
    due = [r for r in reminders if r.key not in already_sent and should_send(r.send_at, r.meeting_at, now_utc)]
    if collapse_missed:
        latest_reached: dict[tuple[int | str, int, ReminderAudience], datetime] = {}
        for reminder in reminders:
            if reminder.send_at <= now_utc:
                group = _group(reminder)
                latest_reached[group] = max(latest_reached.get(group, reminder.send_at), reminder.send_at)
        due = [r for r in due if r.send_at == latest_reached[_group(r)]]
    return sorted(due)
