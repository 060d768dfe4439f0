"""Settings of committees, reminders and proactive sending.

Part of the app's `Settings` (its `committees` field): `Settings.from_env()` reads the environment
once and hands the values to `CommitteeSettings.from_values()`, so one object configures the app.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import time

from domain.clock import SchedulingError
from domain.committees.reminder_plan import ReminderSettings
from domain.committees.year_plan import YearPlanSettings
from domain.outbox import RateLimits, SendingSettings, parse_windows


@dataclass(frozen=True)
class CommitteeSettings:
    reminders: ReminderSettings = field(default_factory=ReminderSettings)
    school_holiday_zone: str | None = None
    holiday_subdivision: str | None = None
    sending: SendingSettings = field(default_factory=SendingSettings)

    def year_plan(self, timezone: str, copil_count: int, cotech_count: int, school_holidays=()) -> YearPlanSettings:
        return YearPlanSettings(
            copil_count=copil_count,
            cotech_count=cotech_count,
            timezone=timezone,
            holiday_subdivision=self.holiday_subdivision,
            school_holidays=tuple(school_holidays),
        )

    @classmethod
    def from_values(cls, values: Mapping[str, str]) -> "CommitteeSettings":
        """From environment variables already read (see `Settings.from_env`)."""
        defaults = ReminderSettings()
        reminders = ReminderSettings(
            member_offsets_days=_days(values.get("SPASER_MEMBER_REMINDER_DAYS"), defaults.member_offsets_days),
            data_collection_offsets_days=_days(
                values.get("SPASER_DATA_REMINDER_DAYS"), defaults.data_collection_offsets_days
            ),
            send_time=_time(values.get("SPASER_REMINDER_TIME")),
            working_days_only=_switch(values.get("SPASER_REMINDER_WORKING_DAYS"), defaults.working_days_only),
            holiday_subdivision=values.get("SPASER_HOLIDAY_SUBDIVISION") or None,
        )
        limits = RateLimits(
            per_conversation=parse_windows(values.get("SPASER_RATE_PER_CONVERSATION", ""))
            or RateLimits().per_conversation,
            per_app=parse_windows(values.get("SPASER_RATE_PER_APP", "")) or RateLimits().per_app,
        )
        sending = SendingSettings(
            limits=limits,
            max_attempts=_int(values.get("SPASER_SEND_MAX_ATTEMPTS"), SendingSettings.max_attempts),
            drain_interval_seconds=float(_int(values.get("SPASER_OUTBOX_INTERVAL"), 15)),
            stuck_lease_seconds=float(_int(values.get("SPASER_STUCK_LEASE_SECONDS"), 600)),
        )
        return cls(
            reminders=reminders,
            school_holiday_zone=values.get("SPASER_SCHOOL_HOLIDAY_ZONE") or None,
            holiday_subdivision=values.get("SPASER_HOLIDAY_SUBDIVISION") or None,
            sending=sending,
        )


def _days(raw: str | None, default: tuple[int, ...]) -> tuple[int, ...]:
    if raw is None or not raw.strip():
        return default
    try:
        return tuple(int(part) for part in raw.replace(";", ",").split(",") if part.strip())
    except ValueError as error:
        raise SchedulingError(f"Délais de rappel illisibles : « {raw} » (exemple : 7,1).") from error


def _time(raw: str | None) -> time | None:
    if not raw or not raw.strip():
        return None
    try:
        return time.fromisoformat(raw.strip())
    except ValueError as error:
        raise SchedulingError(f"Heure des rappels illisible : « {raw} » (exemple : 09:00).") from error


def _switch(raw: str | None, default: bool) -> bool:
    if raw is None or not raw.strip():
        return default
    if raw.strip().lower() in {"on", "1", "true", "oui"}:
        return True
    if raw.strip().lower() in {"off", "0", "false", "non"}:
        return False
    raise SchedulingError(f"Valeur attendue : on ou off, reçu « {raw} ».")


def _int(raw: str | None, default: int) -> int:
    if raw is None or not raw.strip():
        return default
    try:
        return int(raw)
    except ValueError as error:
        raise SchedulingError(f"Nombre attendu, reçu « {raw} ».") from error
