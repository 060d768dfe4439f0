"""Propose a year of committee meetings at the recommended cadence; the lead accepts or edits it.

Placement rule (deterministic, so the same inputs always give the same plan):

1. Comités de pilotage are the anchors: the 12-month period is cut into as many equal segments
   as there are COPILs, those already planned included, and each COPIL aims at the middle of its
   segment (2 a year: about 3 and 9 months in). A COPIL already planned takes the segment whose
   middle is nearest; the new ones fill the others.
2. Each COPIL is fed by one comité technique aimed `cotech_lead_weeks` (default 3) weeks before
   it, so the directorates' data are fresh for the élu·es; it is never closer than one week to
   its COPIL. A COPIL already fed by a planned COTECH is skipped. With fewer COTECHs than COPILs,
   the COPILs fed are spread evenly.
3. Any further COTECH goes in the middle of the longest stretch without a COTECH, the year being
   read as a cycle (December is followed by next January), which with 2 COPILs and 4 COTECHs
   gives one COTECH about every quarter.
4. Every aim is moved to the nearest acceptable day: Monday to Friday, not a French public
   holiday (the `holidays` library, optionally for a subdivision such as Alsace-Moselle), not
   in a configured school-holiday range, not in the summer break (14 July to 31 August, when
   offices are empty even without a configured school-holiday zone), not a busy date and not the
   day of another proposal.
   Ties go to the later day. The reason says when and why an aim was moved.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import holidays

from domain.clock import (
    DEFAULT_TIMEZONE,
    SchedulingError,
    duration_text,
    format_date_fr,
    format_day_fr,
    load_timezone,
    local_datetime,
)
from domain.committees.cadence import CommitteeKind, shift_years
from domain.indicators.periods import ordinal
from domain.text import counted

DateRange = tuple[date, date]
"""Inclusive (first day, last day)."""

MAX_MEETINGS_PER_KIND = 52
MIN_FEED_GAP = timedelta(days=7)


@dataclass(frozen=True)
class YearPlanSettings:
    copil_count: int = 2
    cotech_count: int = 4
    copil_time: time = time(10, 0)
    cotech_time: time = time(14, 0)
    timezone: str = DEFAULT_TIMEZONE
    holiday_subdivision: str | None = None
    school_holidays: tuple[DateRange, ...] = field(default_factory=tuple)
    cotech_lead_weeks: int = 3
    summer_break: tuple[tuple[int, int], tuple[int, int]] | None = ((7, 14), (8, 31))
    """(month, day) of the first and last day of the summer break, every year; None to allow it."""

    def __post_init__(self) -> None:
        for label, count in (("comités de pilotage", self.copil_count), ("comités techniques", self.cotech_count)):
            if not isinstance(count, int) or not 0 <= count <= MAX_MEETINGS_PER_KIND:
                raise SchedulingError(
                    f"Nombre de {label} par an invalide : {count} (entre 0 et {MAX_MEETINGS_PER_KIND})."
                )
        if not isinstance(self.cotech_lead_weeks, int) or not 1 <= self.cotech_lead_weeks <= 12:
            raise SchedulingError(
                "Délai entre comité technique et comité de pilotage invalide : "
                f"{counted(self.cotech_lead_weeks, 'semaine')} (entre 1 et 12)."
            )
        for label, value in (("comité de pilotage", self.copil_time), ("comité technique", self.cotech_time)):
            if not isinstance(value, time):
                raise SchedulingError(f"Heure par défaut du {label} invalide : « {value} ».")
        load_timezone(self.timezone)
        object.__setattr__(self, "school_holidays", tuple(_check_range(r) for r in self.school_holidays))


@dataclass(frozen=True)
class MeetingProposal:
    kind: CommitteeKind
    starts_at: datetime
    reason: str


def _check_range(value: DateRange) -> DateRange:
    try:
        first, last = value
    except (TypeError, ValueError) as error:
        raise SchedulingError("Chaque période de vacances scolaires doit être (premier jour, dernier jour).") from error
    if not (isinstance(first, date) and isinstance(last, date)) or first > last:
        raise SchedulingError(f"Période de vacances scolaires invalide : du {first} au {last}.")
    return first, last


def french_public_holidays(years: Iterable[int], subdivision: str | None = None) -> holidays.HolidayBase:
    """French public holidays with French names; `subdivision` e.g. "57" or "Alsace" adds local ones."""
    try:
        return holidays.France(years=list(years), subdiv=subdivision, language="fr")
    except NotImplementedError as error:
        known = ", ".join(sorted(holidays.France.subdivisions))
        raise SchedulingError(
            f"Subdivision inconnue pour les jours fériés : « {subdivision} » (valeurs possibles : {known})."
        ) from error


def school_holiday_ranges(zone: str, years: Iterable[int]) -> list[DateRange]:
    """School-holiday ranges of a French zone ("Zone A", "Zone B", "Zone C") as the library knows them.

    A convenience for filling `YearPlanSettings.school_holidays` from a configured zone.
    """
    try:
        calendar = holidays.France(years=list(years), subdiv=zone, categories=(holidays.SCHOOL,))
    except (NotImplementedError, ValueError) as error:
        raise SchedulingError(
            f"Zone de vacances scolaires inconnue : « {zone} » (attendu : Zone A, Zone B ou Zone C)."
        ) from error
    ranges: list[DateRange] = []
    for day in sorted(calendar):
        if ranges and day - ranges[-1][1] == timedelta(days=1):
            ranges[-1] = (ranges[-1][0], day)
        else:
            ranges.append((day, day))
    return ranges


class _DayRules:
    """Why a day cannot hold a meeting; `None` means it can."""

    def __init__(
        self,
        public_holidays: holidays.HolidayBase,
        school: tuple[DateRange, ...],
        busy: Collection[date],
        summer_break: tuple[tuple[int, int], tuple[int, int]] | None = None,
    ):
        self._public_holidays = public_holidays
        self._school = school
        self._summer = summer_break
        self._busy = set(busy)
        self.taken: set[date] = set()

    def obstacle(self, day: date) -> str | None:
        if day.weekday() >= 5:
            return "il tombait un week-end"
        if day in self._public_holidays:
            return f"c’est un jour férié ({self._public_holidays.get(day)})"
        if any(first <= day <= last for first, last in self._school):
            return "il tombait pendant les vacances scolaires"
        if self.in_summer_break(day):
            return "il tombait pendant les congés d’été"
        if day in self._busy:
            return "la date est déjà occupée"
        if day in self.taken:
            return "un autre comité est proposé ce jour-là"
        return None

    def in_summer_break(self, day: date) -> bool:
        return bool(self._summer) and self._summer[0] <= (day.month, day.day) <= self._summer[1]


def _nearest_day(target: date, lower: date, upper: date, is_free: Callable[[date], bool]) -> date | None:
    """Nearest free day to `target` within [lower, upper] inclusive, the later one on a tie."""
    if lower > upper:
        return None
    farthest = max(abs((target - lower).days), abs((upper - target).days))
    for distance in range(farthest + 1):
        for candidate in (target + timedelta(days=distance), target - timedelta(days=distance)):
            if lower <= candidate <= upper and is_free(candidate):
                return candidate
    return None


_RANK_WORDS = {1: "Premier comité", 2: "Deuxième comité", 3: "Troisième comité", 4: "Quatrième comité"}
"""A sentence does not start with a figure: the first ranks in words, then « 5ᵉ comité »."""


def _copil_rank(index: int, total: int) -> str:
    """« Second comité de pilotage de l’année avec les élu·es. » (« second » of two, « deuxième » of more)."""
    if total == 1:
        return "Comité de pilotage annuel avec les élu·es."
    rank = "Second comité" if index == total == 2 else _RANK_WORDS.get(index) or f"{ordinal(index)}\u00a0comité"
    return f"{rank} de pilotage de l’année avec les élu·es."


def _moved_note(target: date, chosen: date, rules: _DayRules, obstacle: Callable[[date], str | None] | None = None) -> str:
    if chosen == target:
        return ""
    return f" Placé le {_day_and_month(chosen)} plutôt que le {_day_and_month(target)}, car {(obstacle or rules.obstacle)(target)}."


def _day_and_month(day: date) -> str:
    """« 22 septembre », « 1er septembre »: the proposal's own date gives the weekday and the year."""
    return format_day_fr(day).rsplit("\u00a0", 1)[0]


def _segment_middles(start: date, length_days: int, count: int) -> list[date]:
    return [start + timedelta(days=round(length_days * (2 * index + 1) / (2 * count))) for index in range(count)]


def _gap_to_fill(days: list[date], start: date, length_days: int) -> date:
    """Middle of the longest stretch between sorted days, the period read as a cycle."""
    ordered = sorted(days)
    stretches = [(ordered[i], ordered[i + 1]) for i in range(len(ordered) - 1)]
    stretches.append((ordered[-1], ordered[0] + timedelta(days=length_days)))
    first, last = max(stretches, key=lambda stretch: (stretch[1] - stretch[0]).days)
    middle = first + (last - first) / 2
    if middle >= start + timedelta(days=length_days):
        middle -= timedelta(days=length_days)
    return middle


def _no_day_error(label: str, target: date) -> SchedulingError:
    return SchedulingError(
        f"Impossible de placer le {label} prévu vers le {format_date_fr(target)} : aucun jour ouvré libre "
        "sur la période (vérifiez les vacances scolaires et les dates occupées)."
    )


def _feeding_phrase(cotech_day: date, copil_day: date) -> str:
    return duration_text((copil_day - cotech_day).days)


def _assign_kept(targets: list[date], kept_days: list[date]) -> list[date]:
    """The targets left once each kept day took the nearest one (the earlier target on a tie)."""
    left = list(targets)
    for day in sorted(kept_days):
        if not left:
            break
        left.remove(min(left, key=lambda target: (abs((target - day).days), target)))
    return left


def propose_year_plan(
    start: date,
    settings: YearPlanSettings | None = None,
    busy_dates: Collection[date] = (),
    kept: Collection[tuple[CommitteeKind, date]] = (),
) -> list[MeetingProposal]:
    """Proposals for the 12 months from `start` (included), sorted by date; see the module rule.

    `settings` counts the meetings to add; `kept` are those already planned in the period (their
    committee and local day): the new ones are placed around them.
    """
    if isinstance(start, datetime) or not isinstance(start, date):
        raise SchedulingError("Le début de la période doit être une date (sans heure).")
    settings = settings or YearPlanSettings()
    zone = load_timezone(settings.timezone)
    period_end = shift_years(start, 1)
    last_day = period_end - timedelta(days=1)
    length_days = (period_end - start).days
    kept_copils = sorted(day for kind, day in kept if kind is CommitteeKind.COPIL)
    kept_cotechs = sorted(day for kind, day in kept if kind is CommitteeKind.COTECH)
    rules = _DayRules(
        french_public_holidays(range(start.year, period_end.year + 1), settings.holiday_subdivision),
        settings.school_holidays,
        {*busy_dates, *kept_copils, *kept_cotechs},
        settings.summer_break,
    )

    def is_free(day: date) -> bool:
        return rules.obstacle(day) is None

    lead = timedelta(weeks=settings.cotech_lead_weeks)

    def copil_obstacle(day: date) -> str | None:
        """A COPIL also needs its feeding COTECH out of the summer break (not 50 days before it)."""
        if settings.cotech_count and rules.in_summer_break(day - lead):
            return "son comité technique préparatoire aurait eu lieu pendant les congés d’été"
        return rules.obstacle(day)

    copil_total = settings.copil_count + len(kept_copils)
    all_targets = _segment_middles(start, length_days, copil_total) if copil_total else []
    new_targets = _assign_kept(all_targets, kept_copils) if settings.copil_count else []
    copil_days: list[date] = []
    proposals: list[MeetingProposal] = []
    for target in new_targets:
        index = all_targets.index(target) + 1
        chosen = _nearest_day(target, start, last_day, lambda day: copil_obstacle(day) is None)
        if chosen is None:
            chosen = _nearest_day(target, start, last_day, is_free)
        if chosen is None:
            raise _no_day_error("comité de pilotage", target)
        if chosen != target and settings.cotech_count and rules.in_summer_break(target - lead):
            # Its comité technique, not the COPIL itself, would have been in the summer break: the
            # COTECH is proposed on the day the COPIL was aimed at, « plutôt que le 1er septembre » misled.
            note = f" Fixé au {_day_and_month(chosen)} pour que son comité technique préparatoire ne tombe pas pendant les congés d’été."
        else:
            note = _moved_note(target, chosen, rules, copil_obstacle)
        reason = f"{_copil_rank(index, copil_total)}{note}"
        rules.taken.add(chosen)
        copil_days.append(chosen)
        starts_at = local_datetime(chosen, settings.copil_time, zone)
        proposals.append(MeetingProposal(CommitteeKind.COPIL, starts_at, reason))

    cotech_days: list[date] = list(kept_cotechs)
    added_cotechs = 0

    def add_cotech(day: date, reason: str) -> None:
        nonlocal added_cotechs
        rules.taken.add(day)
        cotech_days.append(day)
        added_cotechs += 1
        starts_at = local_datetime(day, settings.cotech_time, zone)
        proposals.append(MeetingProposal(CommitteeKind.COTECH, starts_at, reason))

    feed_window = lead + timedelta(weeks=3)

    def already_fed(copil_day: date) -> bool:
        return any(copil_day - feed_window <= day <= copil_day - MIN_FEED_GAP for day in kept_cotechs)

    to_feed = [day for day in sorted([*copil_days, *kept_copils]) if not already_fed(day)]
    feeders = min(settings.cotech_count, len(to_feed))
    for feeder in range(feeders):
        copil_day = to_feed[feeder * len(to_feed) // feeders]
        target = max(copil_day - lead, start)
        chosen = _nearest_day(target, start, copil_day - MIN_FEED_GAP, is_free)
        if chosen is None:
            continue
        add_cotech(
            chosen,
            f"Comité technique avec les directions, {_feeding_phrase(chosen, copil_day)} avant le comité de "
            f"pilotage du {format_date_fr(copil_day)}, pour le préparer avec leurs données."
            f"{_moved_note(target, chosen, rules)}",
        )

    remaining = settings.cotech_count - added_cotechs
    if remaining and not cotech_days:
        targets = _segment_middles(start, length_days, remaining)
        for target in targets:
            chosen = _nearest_day(target, start, last_day, is_free)
            if chosen is None:
                raise _no_day_error("comité technique", target)
            add_cotech(
                chosen,
                "Comité technique avec les directions ; les comités techniques sont espacés régulièrement sur "
                "l’année."
                f"{_moved_note(target, chosen, rules)}",
            )
    else:
        for _ in range(remaining):
            target = _gap_to_fill(cotech_days, start, length_days)
            chosen = _nearest_day(target, start, last_day, is_free)
            if chosen is None:
                raise _no_day_error("comité technique", target)
            add_cotech(
                chosen,
                "Comité technique intermédiaire avec les directions, pour éviter un trop long intervalle entre deux "
                f"comités techniques.{_moved_note(target, chosen, rules)}",
            )

    return sorted(proposals, key=lambda proposal: proposal.starts_at)
