"""Committee types and the recommended-cadence check.

The founding text advises meeting the élu·es 1 to 2 times a year (comité de pilotage) and the
directorates concerned 3 to 4 times a year (comité technique / de suivi). The ranges are defaults
that each organisation may edit; the check warns when a rolling 12-month window leaves the range.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from domain.clock import DEFAULT_TIMEZONE, SchedulingError, format_date_fr, load_timezone, require_aware
from domain.text import agreed, counted


class CommitteeKind(StrEnum):
    COPIL = "copil"
    COTECH = "cotech"


KIND_WORDS = (
    (CommitteeKind.COPIL, re.compile(r"\b(copil|comite de pilotage|pilotage|comite des elu)")),
    (CommitteeKind.COTECH, re.compile(r"\b(cotech|comite technique|technique|comite de suivi|suivi|codir)")),
)


def committee_kind_in(folded_text: str) -> CommitteeKind | None:
    """The committee a folded text names (« le prochain copil », « comité technique »), if any."""
    for kind, pattern in KIND_WORDS:
        if pattern.search(folded_text):
            return kind
    return None


class MeetingStatus(StrEnum):
    PLANNED = "planned"
    HELD = "held"
    CANCELLED = "cancelled"


class CadenceWindow(StrEnum):
    COMING = "coming"
    PAST = "past"


class CadenceProblem(StrEnum):
    BELOW = "below"
    ABOVE = "above"


@dataclass(frozen=True)
class CommitteeType:
    """A kind of committee with its French label and its editable yearly range."""

    kind: CommitteeKind
    label: str
    participants: str
    min_per_year: int
    max_per_year: int

    def __post_init__(self) -> None:
        if self.min_per_year < 0 or self.max_per_year < 0:
            raise SchedulingError(f"{self.label} : le nombre de réunions par an ne peut pas être négatif.")
        if self.min_per_year > self.max_per_year:
            raise SchedulingError(
                f"{self.label} : le minimum ({self.min_per_year}) dépasse le maximum "
                f"({self.max_per_year}) de réunions par an."
            )

    def range_with_preposition(self) -> str:
        """« de 1 à 2 par an », « de 2 par an », « d’au plus 1 par an »: after « la cadence … est »."""
        text = self.recommended_range_fr()
        return f"d’{text}" if text.startswith("au ") else f"de {text}"

    @property
    def is_recommended(self) -> bool:
        """The range is the founding text's advice (1–2 COPIL, 3–4 CT a year), not one the lead set."""
        default = _DEFAULT_RANGES.get(self.kind)
        return default == (self.min_per_year, self.max_per_year)

    def cadence_clause(self) -> str:
        """« la cadence recommandée est de 3 à 4 par an » for the advised range; « la cadence retenue
        est de 2 par an » for one the organisation set. Never « prévue »: that is what is planned."""
        return f"{cadence_name([self])} est {self.range_with_preposition()}"

    def recommended_range_fr(self) -> str:
        if self.min_per_year == self.max_per_year:
            return f"{self.max_per_year} par an"
        if self.min_per_year == 0:
            return f"au plus {self.max_per_year} par an"
        return f"{self.min_per_year} à {self.max_per_year} par an"


def cadence_name(types: Iterable[CommitteeType]) -> str:
    """« la cadence recommandée » while every range is the founding text's; « la cadence retenue »
    once the lead set another: what the summary, the cadence check and the year plan all say."""
    return "la cadence recommandée" if all(t.is_recommended for t in types) else "la cadence retenue"


_DEFAULT_RANGES = {CommitteeKind.COPIL: (1, 2), CommitteeKind.COTECH: (3, 4)}
"""The founding text's advice: the élu·es 1 to 2 times a year, the directorates 3 to 4 times."""


def default_committee_types() -> dict[CommitteeKind, CommitteeType]:
    """A fresh mapping each call, so a caller editing a range never changes another's defaults."""
    return {
        CommitteeKind.COPIL: CommitteeType(
            kind=CommitteeKind.COPIL,
            label="Comité de pilotage",
            participants="les élu·es",
            min_per_year=_DEFAULT_RANGES[CommitteeKind.COPIL][0],
            max_per_year=_DEFAULT_RANGES[CommitteeKind.COPIL][1],
        ),
        CommitteeKind.COTECH: CommitteeType(
            kind=CommitteeKind.COTECH,
            label="Comité technique",
            participants="les directions concernées par le SPASER",
            min_per_year=_DEFAULT_RANGES[CommitteeKind.COTECH][0],
            max_per_year=_DEFAULT_RANGES[CommitteeKind.COTECH][1],
        ),
    }


def parse_committee_kind(value: CommitteeKind | str) -> CommitteeKind:
    try:
        return CommitteeKind(str(value).lower())
    except ValueError as error:
        raise SchedulingError(
            f"Type de comité inconnu : « {value} » (attendu : copil ou cotech)."
        ) from error


def parse_meeting_status(value: MeetingStatus | str) -> MeetingStatus:
    try:
        return MeetingStatus(str(value).lower())
    except ValueError as error:
        raise SchedulingError(
            f"Statut de réunion inconnu : « {value} » (attendu : planned, held ou cancelled)."
        ) from error


@dataclass(frozen=True)
class MeetingRecord:
    """The two facts the cadence check needs about a meeting."""

    starts_at: datetime
    status: MeetingStatus = MeetingStatus.PLANNED

    def __post_init__(self) -> None:
        require_aware(self.starts_at, "début de la réunion")
        object.__setattr__(self, "status", parse_meeting_status(self.status))


@dataclass(frozen=True)
class CadenceWarning:
    kind: CommitteeKind
    window: CadenceWindow
    problem: CadenceProblem
    count: int
    min_per_year: int
    max_per_year: int
    next_planned: date | None = None
    """The local day of the next planned meeting of that committee, if any: « aucune réunion
    enregistrée au cours des 12 derniers mois » alone would hide a meeting coming soon."""


def shift_years(day: date, years: int) -> date:
    """Same day N years away; 29 February falls back to the 28th."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _as_record(item: MeetingRecord | tuple[datetime, MeetingStatus | str]) -> MeetingRecord:
    if isinstance(item, MeetingRecord):
        return item
    try:
        starts_at, status = item
    except (TypeError, ValueError) as error:
        raise SchedulingError(
            "Chaque réunion doit être donnée comme (date-heure, statut)."
        ) from error
    return MeetingRecord(starts_at=starts_at, status=parse_meeting_status(status))


def _resolve_type(
    committee: CommitteeType | CommitteeKind | str,
    committee_types: Mapping[CommitteeKind, CommitteeType] | None,
) -> CommitteeType:
    if isinstance(committee, CommitteeType):
        return committee
    types = committee_types if committee_types is not None else default_committee_types()
    kind = parse_committee_kind(committee)
    if kind not in types:
        raise SchedulingError(f"Aucune cadence n’est configurée pour le type de comité « {kind} ».")
    return types[kind]


def _meetings_phrase(count: int, window: CadenceWindow, *, with_assistant: bool = True) -> str:
    """« aucune réunion planifiée avec l’assistant au cours des 12 derniers mois », « 5 réunions
    planifiées avec l’assistant dans les 12 prochains mois »: a past meeting still « planned » counts as
    held (see `check_cadence`). The assistant knows only the meetings planned with it: a committee
    held elsewhere is not « aucune réunion » (reader 9, A8; reader 10, A4: `OUTSIDE_NOTE` says so)."""
    meetings = "aucune réunion" if count == 0 else counted(count, "réunion")
    planned = f"{agreed(count, 'planifiée', 'planifiées')} {_PLANNED_WITH_ASSISTANT}" if with_assistant else agreed(count, "planifiée", "planifiées")
    return f"{meetings} {planned} {_WINDOW_WORDS[window]}"


_PLANNED_WITH_ASSISTANT = "avec l’assistant"
_WINDOW_WORDS = {CadenceWindow.PAST: "au cours des 12 derniers mois", CadenceWindow.COMING: "dans les 12 prochains mois"}
OUTSIDE_NOTE = "(les réunions organisées sans l’assistant ne sont pas comptées)"
"""After a count of the meetings planned with the assistant, once a sentence (reader 10, A4), past or
coming: « organisées » is true of both (reader 11, A6: future meetings are not « tenues »), and says
outside of what (reader 14, minor 15: « les réunions tenues en dehors » left the reader to guess)."""

DUE_WITHIN_MONTHS = 6
"""A meeting planned within this many months, or sooner when the rhythm asks for more (4 months for
3 a year), comes before the next one would be due: no warning of too few meetings for that committee
(reader 10, A4: « aucune réunion au cours des 12 derniers mois » in the report for tomorrow's COPIL)."""


def _due_within_days(committee_type: CommitteeType) -> int:
    per_year = committee_type.min_per_year
    months = DUE_WITHIN_MONTHS if per_year <= 0 else min(DUE_WITHIN_MONTHS, 12 // per_year)
    return months * 366 // 12


def rhythm_name(committee_type: CommitteeType) -> str:
    """« le rythme conseillé par le document « Rencontre acheteurs : le SPASER » » (the founding
    text's advice, which no law sets, cited by its title as published: reader 9, A12 asked for its
    source; reader 10, A4: « recommandé par l’assistant » named no source anyone can check; reader
    11, A6: « conseillé aux organismes publics » named no adviser; « lors de la rencontre régionale
    sur le SPASER » named no document one can find), « le rythme retenu par l’organisme » for a
    range the lead set."""
    if committee_type.is_recommended:
        return RECOMMENDED_RHYTHM
    return "le rythme retenu par l’organisme"


SOURCE_TITLE = "Rencontre acheteurs : le SPASER"
"""The founding text's title (../shared/seed/rencontre-acheteurs-spaser.md), where the committees' rhythm is advised."""
RECOMMENDED_RHYTHM = f"le rythme conseillé par le document « {SOURCE_TITLE} »"


def range_clause(committee_type: CommitteeType) -> str:
    """« le rythme conseillé par le document « Rencontre acheteurs : le SPASER » est de 3 à 4 par an »."""
    return f"{rhythm_name(committee_type)} est {committee_type.range_with_preposition()}"


def check_cadence(
    committee: CommitteeType | CommitteeKind | str,
    meetings: Iterable[MeetingRecord | tuple[datetime, MeetingStatus | str]],
    today: date,
    tz: ZoneInfo | str = DEFAULT_TIMEZONE,
    committee_types: Mapping[CommitteeKind, CommitteeType] | None = None,
) -> list[CadenceWarning]:
    """Warn when the coming or the last 12 months hold fewer or more meetings than recommended.

    Windows are on local calendar days: coming = [today, today + 1 year), past = [today - 1 year,
    today). A meeting today counts as coming. Cancelled meetings never count; planned and held
    ones both do (a past meeting left "planned" most likely took place). A meeting planned before the
    next one would be due (`DUE_WITHIN_MONTHS`) leaves nothing to warn about too few meetings.
    """
    if isinstance(today, datetime) or not isinstance(today, date):
        raise SchedulingError("« aujourd’hui » doit être une date (sans heure).")
    committee_type = _resolve_type(committee, committee_types)
    zone = load_timezone(tz)
    window_bounds = {
        CadenceWindow.COMING: (today, shift_years(today, 1)),
        CadenceWindow.PAST: (shift_years(today, -1), today),
    }
    counts = dict.fromkeys(window_bounds, 0)
    next_planned: date | None = None
    for record in map(_as_record, meetings):
        if record.status is MeetingStatus.CANCELLED:
            continue
        local_day = record.starts_at.astimezone(zone).date()
        if record.status is MeetingStatus.PLANNED and local_day >= today:
            next_planned = min(next_planned or local_day, local_day)
        for window, (start, end) in window_bounds.items():
            if start <= local_day < end:
                counts[window] += 1

    warnings: list[CadenceWarning] = []
    planned_in_time = next_planned is not None and (next_planned - today).days < _due_within_days(committee_type)
    for window in (CadenceWindow.COMING, CadenceWindow.PAST):
        count = counts[window]
        if count < committee_type.min_per_year:
            if planned_in_time:
                continue
            problem = CadenceProblem.BELOW
        elif count > committee_type.max_per_year:
            problem = CadenceProblem.ABOVE
        else:
            continue
        warnings.append(
            CadenceWarning(
                kind=committee_type.kind,
                window=window,
                problem=problem,
                count=count,
                min_per_year=committee_type.min_per_year,
                max_per_year=committee_type.max_per_year,
                next_planned=next_planned,
            )
        )
    return warnings


def merged_cadence_message(
    committee_type: CommitteeType, warnings: Sequence[CadenceWarning], counted_by: str | None = None
) -> str:
    """One sentence for a committee's warnings, the past before the coming 12 months, as read in a
    summary: « Comité technique : aucune réunion planifiée avec l’assistant au cours des 12 derniers
    mois ni dans les 12 prochains mois (les réunions organisées sans l’assistant ne sont pas comptées), alors que le
    rythme conseillé par le document « Rencontre acheteurs : le SPASER » est de 3 à 4 par an. »; when
    only the past is off and a meeting is planned: « … ; la prochaine est prévue le mardi 12 janvier
    2027. ». `counted_by` (« 3 réunions tenues en 2025 (indicateur IND-14) ») tells the past instead,
    after the coming months' contrast with the rhythm."""
    by_window = {warning.window: warning for warning in warnings if warning.kind is committee_type.kind}
    past, coming = by_window.get(CadenceWindow.PAST), by_window.get(CadenceWindow.COMING)
    if past and coming and past.count == coming.count == 0:
        facts = (f"aucune réunion planifiée {_PLANNED_WITH_ASSISTANT} {_WINDOW_WORDS[CadenceWindow.PAST]} ni "
                 f"{_WINDOW_WORDS[CadenceWindow.COMING]}")
    else:
        said = [warning for warning in (past, coming) if warning]
        facts = " et ".join(_meetings_phrase(warning.count, warning.window, with_assistant=index == 0)
                            for index, warning in enumerate(said))
    if past or coming:
        facts += " " + OUTSIDE_NOTE
    planned = ""
    if past and past.next_planned and not coming:
        planned = f" ; la prochaine est prévue le {format_date_fr(past.next_planned)}"
    if counted_by:
        # The meetings held, as the indicator counts them, after the contrast, never before it: « 3 réunions
        # tenues en 2025, alors que le rythme … est de 3 à 4 par an » opposed a count within the range (reader 11, A6).
        planned += f" ; {counted_by}"
    if not (past or coming):
        return f"{committee_type.label} : {counted_by}."
    return f"{committee_type.label} : {facts}, alors que {range_clause(committee_type)}{planned}."


def committee_type_of(warning: CadenceWarning) -> CommitteeType:
    """The committee a warning is about, with the range it was checked against."""
    label = default_committee_types()[warning.kind].label
    return CommitteeType(warning.kind, label, "", warning.min_per_year, warning.max_per_year)


def cadence_sentence(
    committee_type: CommitteeType, warnings: Sequence[CadenceWarning], counted_by: str | None = None
) -> str | None:
    """The one sentence a summary and the cadence check say about a committee whose cadence is off,
    None when it is kept. `counted_by` (« 3 tenus en 2025 d’après l’indicateur IND-14 ») when an
    indicator counts its meetings: the meetings held are that indicator's to tell, so only the coming
    12 months are checked (« aucune réunion » next to « 3 comités techniques en 2025 » would read as a
    contradiction)."""
    kept = [
        warning for warning in warnings
        if warning.kind is committee_type.kind and not (counted_by and warning.window is CadenceWindow.PAST)
    ]
    if not kept:
        return None
    return merged_cadence_message(committee_type, kept, counted_by)
