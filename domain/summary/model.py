"""What the status summary reads (indicator snapshots) and what it produces (a `Summary`).

The input types are plain frozen dataclasses so that the summary, its card, chart and exports are
computed and tested without Teams or a database; the feature's repository turns stored rows into
`IndicatorSnapshot`s. A `Scope` says whose detail a person may see: computing a summary first
drops every value outside the scope, so nothing downstream (card, chart, exports) can show it."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from functools import cached_property, lru_cache
from typing import NamedTuple, Protocol

from domain.committees.cadence import CadenceWarning
from domain.indicators.aggregation import AggregationRule
from domain.indicators.catalogue import Axis, ImprovementDirection
from domain.indicators.legal_limits import LegalLimit
from domain.indicators.periods import Frequency, Period, ensure_frequency, parse_period
from domain.indicators.sources import ValueSource, comment_with_source
from domain.indicators.units import Unit, format_number, format_value
from domain.summary.organisation import Organisation
from domain.summary.scope import Scope, SummaryError
from domain.text import directorate_title, one_line, sorted_names


class Status(StrEnum):
    """Where an indicator stands; the values are the French words shown."""

    ACHIEVED = "atteint"
    ON_TRACK = "en bonne voie"
    LATE = "en retard"
    NOT_REPORTED = "non renseigné"
    NO_TARGET = "sans cible"
    OUTSIDE_LEGAL_LIMIT = "non conforme à la loi"
    """Below the legal floor (or above the ceiling) of the catalogue: never « en bonne voie »."""


TOLERANCE_PERCENT_OF_TARGET = Decimal(1)
"""A value behind its path by less than this share of its target (in %) is « en bonne voie »
(compute.py; the report's rules and the card's footnote say « 1 % »): a gap of 1 280 € on a
target of 1 200 000 € calls for no catch-up measure."""

# Order of the counters on the card and the report and of the chart's legend: the most serious first, as
# read left to right (reader 10, B10: the legal breaches came fourth, after the good news).
STATUS_ORDER = (
    Status.OUTSIDE_LEGAL_LIMIT, Status.LATE, Status.NOT_REPORTED, Status.ON_TRACK, Status.ACHIEVED, Status.NO_TARGET,
)


class TrendDirection(StrEnum):
    UP = "↑"
    DOWN = "↓"
    FLAT = "→"


class ReportedValue(NamedTuple):
    """One value reported by a directorate for a period; a plain 4-tuple works too. `source` says
    where it comes from (None: typed, or recorded before sources were kept)."""

    period: Period | str
    directorate: str
    value: Decimal
    comment: str = ""
    source: ValueSource | None = None

    @property
    def note(self) -> str:
        """The comment as people read it (`domain.indicators.sources.comment_with_source`)."""
        return comment_with_source(self.comment, self.source)


class EntryRecord(NamedTuple):
    """Who entered a current value and when (aware UTC); `by_lead`: a person responsible for the SPASER."""

    entered_at: datetime | None
    author: str
    by_lead: bool = False


EntryKey = tuple[str, str, str]
"""(indicator code, directorate code, period code) of a current value."""


class ValueHistory(NamedTuple):
    """An indicator's values grouped once (see `IndicatorSnapshot.history`); read-only."""

    by_period: dict[Period, dict[str, ReportedValue]]
    """Periods in order, each with its values by directorate."""
    by_key: dict[tuple[int, int], dict[str, ReportedValue]]
    """The same groups by (year, number): all periods of a snapshot share its frequency."""
    latest_by_directorate: dict[str, ReportedValue]


@lru_cache(maxsize=4096)
def _period(code: str, frequency: Frequency) -> Period:
    """Period codes repeat thousands of times in a history: parse each (code, frequency) once."""
    return parse_period(code, frequency)


def _as_decimal(value: object, code: str) -> Decimal:
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise SummaryError(f"Indicateur {code} : une valeur n’est pas un nombre.")
        return value
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise SummaryError(f"Indicateur {code} : la valeur « {value} » n’est pas un nombre.")
    try:
        number = Decimal(str(value).replace(",", "."))
    except InvalidOperation:
        raise SummaryError(f"Indicateur {code} : la valeur « {value} » n’est pas un nombre.") from None
    if not number.is_finite():
        raise SummaryError(f"Indicateur {code} : une valeur n’est pas un nombre.")
    return number


@dataclass(frozen=True)
class IndicatorSnapshot:
    """An active indicator of the catalogue with every value reported for it.

    `baseline`, `target` and the values are in the indicator's unit for one period of its
    frequency. `values` accepts `ReportedValue`s or plain (period code, directorate code, value,
    comment) tuples; they are checked and normalised (periods parsed, codes upper-cased).
    `aggregation` None is the unit's default rule; `weighting_base` names the indicator whose
    values weight a « moyenne pondérée »; `computed`: its values are computed (from the DECP), its
    directorate does not type them.
    """

    code: str
    label: str
    axis: Axis
    unit: Unit
    frequency: Frequency
    directorates: tuple[str, ...]
    direction: ImprovementDirection
    baseline: Decimal | None = None
    target: Decimal | None = None
    target_year: int | None = None
    values: tuple[ReportedValue, ...] = ()
    aggregation: AggregationRule | None = None
    weighting_base: str | None = None
    computed: bool = False
    counted_noun: str = ""
    """What a count counts (catalogue column `unite_libelle`): « 2 repas végétariens »."""
    legal_limit: LegalLimit | None = None
    """A legal floor or ceiling (catalogue columns `seuil_legal`, `base_legale`)."""
    legal_note: str = ""
    """A legal obligation the catalogue states in words, without a figure to check (`base_legale`
    without `seuil_legal`): « obligatoire pour les consultations engagées à compter du 21 août 2026 (loi
    Climat et résilience) », shown under the indicator; it changes no status."""

    def __post_init__(self) -> None:
        if self.target is not None and self.target_year is None:
            raise SummaryError(f"Indicateur {self.code} : une cible doit avoir son année (par exemple 2030).")
        if self.aggregation is AggregationRule.WEIGHTED_MEAN and not self.weighting_base:
            raise SummaryError(
                f"Indicateur {self.code} : une moyenne pondérée a besoin de son indicateur de pondération."
            )
        object.__setattr__(self, "directorates", tuple(dict.fromkeys(code.upper() for code in self.directorates)))
        object.__setattr__(self, "values", tuple(self._normalised(value) for value in self.values))

    @property
    def rule(self) -> AggregationRule:
        return self.aggregation or AggregationRule.default_for(self.unit)

    @cached_property
    def history(self) -> ValueHistory:
        """The values grouped by period and by directorate, computed once per snapshot.

        A snapshot never changes and the summary's cache keeps it between summaries: grouping
        ~48,000 values at every « synthèse » was most of the time it took.
        """
        # Grouped on (year, number) rather than Period: hashing and ordering the dataclass costs
        # more than the rest of the summary on a 10-year history.
        by_key: dict[tuple[int, int], dict[str, ReportedValue]] = {}
        latest_by_directorate: dict[str, ReportedValue] = {}
        latest_keys: dict[str, tuple[int, int]] = {}
        for value in self.values:
            key = (value.period.year, value.period.number)
            group = by_key.get(key)
            if group is None:
                by_key[key] = group = {}
            group[value.directorate] = value
            if key >= latest_keys.get(value.directorate, key):
                latest_keys[value.directorate] = key
                latest_by_directorate[value.directorate] = value
        by_key = dict(sorted(by_key.items()))
        by_period = {next(iter(group.values())).period: group for group in by_key.values()}
        return ValueHistory(by_period, by_key, latest_by_directorate)

    def with_values_replaced(self, new_values: Iterable[ReportedValue | tuple]) -> IndicatorSnapshot:
        """This snapshot once `new_values` superseded the values of the same directorate and period.

        Only the new values are checked; the others are kept as they are, objects included: a
        value recorded then costs a few objects, not a copy of the indicator's whole history
        (~1,600 values) that the garbage collector would walk again and again.
        """
        fresh = tuple(self._normalised(value) for value in new_values)
        replaced = {(value.directorate, value.period.year, value.period.number) for value in fresh}
        kept = tuple(
            value for value in self.values
            if (value.directorate, value.period.year, value.period.number) not in replaced
        )
        updated = object.__new__(IndicatorSnapshot)
        for name in self.__dataclass_fields__:
            object.__setattr__(updated, name, getattr(self, name))
        object.__setattr__(updated, "values", kept + fresh)
        return updated

    def _normalised(self, item: ReportedValue | tuple) -> ReportedValue:
        try:
            period, directorate, value, *rest = item
        except (TypeError, ValueError):
            raise SummaryError(
                f"Indicateur {self.code} : chaque valeur doit être (période, direction, valeur, commentaire)."
            ) from None
        if isinstance(period, Period):
            ensure_frequency(period, self.frequency)
        else:
            period = _period(str(period), self.frequency)
        comment = one_line(str(rest[0] or "")) if rest else ""
        source = rest[1] if len(rest) > 1 and isinstance(rest[1], ValueSource) else None
        return ReportedValue(period, str(directorate).upper(), _as_decimal(value, self.code), comment, source)


_LEADING_WORDS = re.compile(r"^(?:direction\s+)?(?:de\s+la\s+|de\s+l[’']|des\s+|du\s+|d[’']|de\s+)?", re.IGNORECASE)
"""« Direction de la », « Direction des »… before what a directorate's name says it does."""


@dataclass(frozen=True)
class DirectorateInfo:
    code: str
    name: str = ""

    @property
    def display(self) -> str:
        """« Direction de la commande publique (DCP) », as the chat writes it (`domain.text.directorate_title`)."""
        return directorate_title(self.code, self.name)

    @property
    def sort_name(self) -> str:
        """`display` as a French index collates it: by what the directorate does, without « Direction »
        and its article (« de la », « des », « du », « de l’ »: reader 10, C10, DCP, DRC, DMOB, DRH read as
        unsorted), the apostrophe ignored."""
        return _LEADING_WORDS.sub("", self.display).replace("’", "").replace("'", "")


class MeetingLike(Protocol):
    """What the summary shows of a coming meeting (storage.committees.MeetingView fits)."""

    @property
    def label(self) -> str: ...

    @property
    def starts_at(self) -> datetime: ...

    @property
    def location(self) -> str | None: ...


@dataclass(frozen=True)
class UpcomingMeeting:
    label: str
    starts_at: datetime
    location: str | None = None


@dataclass(frozen=True)
class DirectorateValue:
    """A directorate's most recent value for an indicator, with its comment and where it comes from."""

    directorate: str
    period: Period
    value: Decimal
    comment: str
    source: ValueSource | None = None


@dataclass(frozen=True)
class Trend:
    """Latest vs previous period, on the directorates that reported both (like for like)."""

    direction: TrendDirection
    improved: bool | None
    previous_period: Period
    previous_value: Decimal


@dataclass(frozen=True)
class IndicatorLine:
    """One indicator as the summary shows it.

    `latest_period` is the period whose value is judged; when it is older than `due_period` (the
    period due today) the value is stale: shown with its period, counted as not reported.
    `unweighted` names the directorates of a weighted mean left out for want of their weight;
    `weighting_label` is the label of the weighting indicator, to name the base in words.
    """

    snapshot: IndicatorSnapshot
    status: Status
    aggregation: AggregationRule
    latest_period: Period | None
    latest_value: Decimal | None
    reporting_count: int
    responsible_count: int
    trend: Trend | None
    expected_value: Decimal | None
    progress_percent: float | None
    expected_progress_percent: float | None
    target_note: str | None
    latest_by_directorate: tuple[DirectorateValue, ...]
    pending_period: Period | None = None
    pending_count: int = 0
    due_period: Period | None = None
    unweighted: tuple[str, ...] = ()
    weighting_label: str = ""
    reference: tuple[Decimal, Period] | None = None
    """Where the path to the target starts: the baseline (or first value) and its period; None without a target."""
    due_expected_value: Decimal | None = None  # a stale value's path, for the period due (attention)

    @property
    def computed_contracts(self) -> int | None:
        """The contracts the value shown was computed on, when it is one value computed from the DECP
        whose import recorded them (`ValueSource.contracts`); None for a typed or combined value."""
        shown = [item for item in self.latest_by_directorate if item.period == self.latest_period]
        if len(shown) != 1 or shown[0].source is None or not shown[0].source.is_decp:
            return None
        return shown[0].source.contracts

    @property
    def is_stale(self) -> bool:
        """A value exists, but none for the period due today."""
        return self.latest_period is not None and self.due_period is not None and self.latest_period < self.due_period

    @property
    def is_unreported(self) -> bool:
        """No value for the period due today, whatever the status says first (« non renseigné »,
        or « sans cible », or outside the law on the last known value)."""
        return self.latest_period is None or self.is_stale

    @property
    def code(self) -> str:
        return self.snapshot.code

    @property
    def label(self) -> str:
        return self.snapshot.label

    @property
    def unit(self) -> Unit:
        return self.snapshot.unit

    def show(self, value: Decimal) -> str:
        """A value of this indicator, with its unit or what it counts (`shown_amount`); in digits like its
        latest value when that one is under a million (reader 11, B22: « 980 000 € …, qui prévoit 981 280 €
        (cible : 1,2 million d’euros) », two ways in one line)."""
        return shown_amount(value, self.snapshot.unit, self.snapshot.counted_noun, words=_in_words(self.latest_value))

    @property
    def legal_breach(self) -> str | None:
        """« sous le minimum légal de 50 % (loi EGalim) » when the status says the value breaks the law."""
        limit = self.snapshot.legal_limit
        if self.status is not Status.OUTSIDE_LEGAL_LIMIT or limit is None:
            return None
        return limit.breach_text(self.snapshot.unit, self.snapshot.counted_noun)

    @property
    def is_partial(self) -> bool:
        return self.latest_period is not None and self.reporting_count < self.responsible_count


_MILLION = Decimal(1_000_000)


def _in_words(latest: Decimal | None) -> bool:
    """Millions in words unless the value they sit next to is written in digits (under a million)."""
    return latest is None or abs(latest) >= _MILLION


def shown_amount(value: Decimal, unit: Unit, counted_noun: str = "", *, words: bool = True) -> str:
    """A value with its unit or what it counts (« 2 repas végétariens »); a round amount of millions
    in words (« 1,2 million d’euros »: « 1 200 000 € » is counted digit by digit), wherever it is read:
    the card, the report and the public page (reader 9, C9); in digits when `words` is False."""
    if words and unit is Unit.EURO and abs(value) >= _MILLION and (value / _MILLION * 100) % 1 == 0:
        millions = (value / _MILLION).normalize()
        noun = "million" if abs(millions) < 2 else "millions"
        return f"{format_number(millions)}\u00a0{noun} d’euros"
    return format_value(value, unit, counted_noun)


@dataclass(frozen=True)
class AxisSection:
    axis: Axis
    lines: tuple[IndicatorLine, ...]


@dataclass(frozen=True)
class MissingReport:
    indicator_code: str
    period: Period


@dataclass(frozen=True)
class DirectorateCompleteness:
    """How many of the indicators a directorate fills are reported for the period due now;
    `computed` counts apart those of its indicators computed automatically (nobody fills them)."""

    directorate: DirectorateInfo
    expected: int
    reported: int
    missing: tuple[MissingReport, ...]
    computed: int = 0

    @property
    def percent(self) -> float | None:
        return None if self.expected == 0 else 100.0 * self.reported / self.expected

    @property
    def is_complete(self) -> bool:
        return self.expected > 0 and self.reported == self.expected


def completeness_order(rows: Iterable[DirectorateCompleteness]) -> list[DirectorateCompleteness]:
    """The one order of every list of directorates (`Summary.completeness`: the report's table, chart
    and « Directions en attente », the card's lists; reader 9, C1, issue 17): those with indicators to
    enter first (reader 7), each group in the French index order of the name the report prints (reader
    10, C10), not of the codes: a sentence naming codes lists them as the table does."""
    by_name = sorted_names(rows, key=lambda row: row.directorate.sort_name)
    return sorted(by_name, key=lambda row: row.is_complete or row.expected == 0)


@dataclass(frozen=True)
class Summary:
    """Everything the card, the chart and the exports show; already restricted to the scope."""

    today: date
    scope: Scope
    axis_filter: Axis | None
    directorate_filter: str | None
    sections: tuple[AxisSection, ...]
    completeness: tuple[DirectorateCompleteness, ...]
    next_meetings: tuple[MeetingLike, ...]
    cadence_warnings: tuple[CadenceWarning, ...]
    catalogue_warning: str | None
    catalogue_size: int
    visible_indicators: tuple[IndicatorSnapshot, ...]
    visible_directorates: tuple[DirectorateInfo, ...]
    status_counts: Mapping[Status, int] = field(default_factory=dict)
    organisation: Organisation = field(default_factory=Organisation)

    @property
    def lines(self) -> tuple[IndicatorLine, ...]:
        return tuple(line for section in self.sections for line in section.lines)

    @property
    def viewed_directorate(self) -> str | None:
        """The one directorate the summary is about, if any (scope or filter)."""
        return self.scope.directorate or self.directorate_filter

    def directorate_name(self, code: str) -> str:
        for info in self.visible_directorates:
            if info.code == code:
                return info.display
        return code

    def directorate_title(self, code: str) -> str:
        """« Direction de la commande publique (DCP) » (`domain.text.directorate_title`)."""
        name = next((info.name for info in self.visible_directorates if info.code == code), "")
        return directorate_title(code, name)


def counted_statuses(counts: Mapping[Status, int]) -> tuple[Status, ...]:
    """The statuses a headline counts: « non conforme à la loi » only when some indicator is, so that
    a catalogue without legal limits keeps its five counts."""
    return tuple(s for s in STATUS_ORDER if s is not Status.OUTSIDE_LEGAL_LIMIT or s in counts)


def needs_target(line: IndicatorLine) -> bool:
    """The one rule for « sans cible », shared by the tile and « Cible à définir pour … » (reader 8
    read « 1 sans cible » next to two indicators named): the status. It is « sans cible » for an
    indicator without a target in the catalogue, reported or not, and for a directorate's value of
    a summed indicator, whose target is the organisation's (`compute`)."""
    return line.status is Status.NO_TARGET


def count_statuses(lines: Iterable[IndicatorLine]) -> dict[Status, int]:
    """Every status counted, « hors limite légale » only when an indicator shown has a legal limit:
    then always, « 0 » included, like the other counts (reader 9, C4: « 0 en retard » was shown and
    a zero « hors limite légale » hidden, in the same card)."""
    lines = list(lines)
    counts = dict.fromkeys(STATUS_ORDER, 0)
    if not any(line.snapshot.legal_limit is not None for line in lines):
        del counts[Status.OUTSIDE_LEGAL_LIMIT]
    for line in lines:
        counts[line.status] = counts.get(line.status, 0) + 1
    return counts
