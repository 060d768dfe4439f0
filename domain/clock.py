"""Time primitives shared by the scheduler: an injectable clock, time-zone loading, French dates.

Everything that needs "now" receives a `Clock` instead of calling `datetime.now`, so tests drive
time with `FakeClock` and never sleep.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.dates import format_date, format_time

from domain.text import number_in_words

DEFAULT_TIMEZONE = "Europe/Paris"

DATE_LOCALE = "fr_FR"
TIME_PATTERN = "H'\u00a0h\u00a0'mm"
"""« 14 h 00 », the French typographic convention for hours, held together by no-break spaces."""


class SchedulingError(ValueError):
    """Bad input to a scheduling rule; `str(error)` is a French message fit to show the user."""


class Clock(Protocol):
    """Source of the current instant, always an aware datetime in UTC."""

    def now(self) -> datetime: ...


class SystemClock:
    """The real clock, used in production."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class FakeClock:
    """A clock that only moves when a test moves it, so time-based rules are tested without sleeping."""

    def __init__(self, start: datetime) -> None:
        self._now = to_utc(start, "start")

    def now(self) -> datetime:
        return self._now

    def set(self, instant: datetime) -> None:
        self._now = to_utc(instant, "instant")

    def advance(self, delta: timedelta) -> datetime:
        """Move forward (never backward: a clock going back would replay reminders) and return now."""
        if delta < timedelta(0):
            raise SchedulingError("L’horloge ne peut pas reculer : le décalage doit être positif ou nul.")
        self._now += delta
        return self._now


def require_aware(value: datetime, field_name: str) -> datetime:
    """Refuse naive datetimes: without a zone an instant is ambiguous and DST rules cannot apply."""
    if not isinstance(value, datetime):
        raise SchedulingError(f"« {field_name} » doit être une date et une heure, pas {type(value).__name__}.")
    if value.tzinfo is None or value.utcoffset() is None:
        raise SchedulingError(
            f"« {field_name} » doit indiquer son fuseau horaire (date-heure sans fuseau : {value.isoformat()})."
        )
    return value


def to_utc(value: datetime, field_name: str = "date") -> datetime:
    return require_aware(value, field_name).astimezone(UTC)


def load_timezone(zone: ZoneInfo | str) -> ZoneInfo:
    """Accept a `ZoneInfo` or an IANA name; an unknown name becomes a French error, not a crash."""
    if isinstance(zone, ZoneInfo):
        return zone
    try:
        return ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError, TypeError) as error:
        raise SchedulingError(f"Fuseau horaire inconnu : « {zone} » (exemple attendu : Europe/Paris).") from error


def local_datetime(day: date, wall_time: time, zone: ZoneInfo | str = DEFAULT_TIMEZONE) -> datetime:
    """A wall-clock time on a local day, resolved the same way every time around DST changes.

    A time skipped by the spring change moves forward by the gap (02:30 becomes 03:30); a time
    that occurs twice in autumn takes its first occurrence (still summer time). Both follow from
    `fold=0` (PEP 495) and a round trip through UTC, which also normalises the result.
    """
    tz = load_timezone(zone)
    naive = datetime.combine(day, wall_time.replace(tzinfo=None, fold=0))
    return naive.replace(tzinfo=tz).astimezone(UTC).astimezone(tz)


def start_of_day(moment: datetime, zone: ZoneInfo | str = DEFAULT_TIMEZONE) -> datetime:
    """Midnight of `moment`'s local day, aware."""
    return local_datetime(require_aware(moment, "date").astimezone(load_timezone(zone)).date(), time(0, 0), zone)


def format_date_fr(day: date) -> str:
    """`jeudi 1er octobre 2026`: babel's French names (never the OS locale), with the ordinal « 1er »
    French writes for the first day of a month, which CLDR patterns cannot say; no-break spaces keep
    the day, its month and its year on one line (« 6 décembre 2026 » never splits)."""
    pattern = "EEEE d'er\u00a0'MMMM\u00a0y" if day.day == 1 else "EEEE d\u00a0MMMM\u00a0y"
    return format_date(day, pattern, locale=DATE_LOCALE)


def format_day_fr(day: date) -> str:
    """`1er octobre 2026`, `3 avril 2027`: the date without its weekday (« le 3 avril 2027 tombe un
    samedi »)."""
    pattern = "d'er\u00a0'MMMM\u00a0y" if day.day == 1 else "d\u00a0MMMM\u00a0y"
    return format_date(day, pattern, locale=DATE_LOCALE)


def format_weekday_fr(day: date) -> str:
    """`samedi`: the French name of the day of the week."""
    return format_date(day, "EEEE", locale=DATE_LOCALE)


def format_datetime_fr(moment: datetime, zone: ZoneInfo | str = DEFAULT_TIMEZONE) -> str:
    """`jeudi 1er octobre 2026 à 14 h 00`, in local time (French typographic convention for hours)."""
    local = require_aware(moment, "date").astimezone(load_timezone(zone))
    return f"{format_date_fr(local.date())} à {format_time_fr(local)}"


def format_time_fr(moment: datetime, zone: ZoneInfo | str | None = None) -> str:
    """`14 h 00`, `1 h 51`: the hour alone, in local time when `zone` is given."""
    local = require_aware(moment, "date").astimezone(load_timezone(zone)) if zone is not None else moment
    return format_time(local.time(), TIME_PATTERN, locale=DATE_LOCALE)


def link_expiry_text(expires_at: datetime, lifetime: timedelta, now: datetime, zone: ZoneInfo | str = DEFAULT_TIMEZONE) -> str:
    """« valable une heure (jusqu’à 2 h 50) », the day named when it is not today's (« … (jusqu’au
    lundi 7 décembre 2026 à 0 h 30) »): how long a link lasts, before the moment it stops."""
    minutes = round(lifetime.total_seconds() / 60)
    hours, rest = divmod(minutes, 60)
    span = _amount(hours, "une", "heure") if hours and not rest else f"{minutes}\u00a0minutes"
    tz = load_timezone(zone)
    local = require_aware(expires_at, "date").astimezone(tz)
    if local.date() == require_aware(now, "date").astimezone(tz).date():
        until = f"jusqu’à {format_time_fr(local)}"
    else:
        until = f"jusqu’au {format_datetime_fr(expires_at, tz)}"
    return f"valable {span} ({until})"


def duration_text(days: int) -> str:
    """« un jour », « dix jours », « une semaine », « trois semaines », « 45 jours »: a delay in words
    (in whole weeks when it is one), never « J-21 »."""
    weeks, rest = divmod(days, 7)
    if days and not rest:
        return _amount(weeks, "une", "semaine")
    return _amount(days, "un", "jour")


def days_before_text(days: int) -> str:
    """When a reminder goes out, in words: « le jour même », « la veille », « une semaine avant »."""
    if days <= 0:
        return "le jour même"
    if days == 1:
        return "la veille"
    return f"{duration_text(days)} avant"


def _amount(count: int, one: str, noun: str) -> str:
    """Up to ten in words (« trois semaines »), then in digits joined to the noun (« 45 jours »)."""
    if count == 1:
        return f"{one} {noun}"
    if 2 <= count <= 10:
        return f"{number_in_words(count)} {noun}s"
    return f"{count:,}".replace(",", "\u202f") + f"\u00a0{noun}s"
