"""Indicator rules and views: who may record what, how a value and a comment are checked.

Who may write is decided from the server-side `PersonView`, never from what a card or a message
carries: a contributor writes only for their own directorate and for the period due now; the
SPASER lead writes for any responsible directorate and any period that has started.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Context, Decimal

from domain.errors import DomainError
from domain.indicators.aggregation import AggregationRule, Computation
from domain.indicators.catalogue import Axis, CatalogueRow, ImprovementDirection
from domain.indicators.legal_limits import LegalLimit, legal_limit
from domain.indicators.periods import Frequency, Period, current_reporting_period, ensure_frequency, ensure_not_future
from domain.indicators.sources import ValueSource, comment_with_source
from domain.indicators.units import Unit, format_value, unit_name
from domain.people import Role
from domain.text import counted, one_line

MAX_COMMENT_LENGTH = 500
_DECIMAL_CONTEXT = Context(prec=28)
FROZEN_WHEN_VALUES_EXIST = ("unite", "frequence")
"""Catalogue columns that cannot change once values exist: history would mix units or periods."""


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
        super().__init__("Rien n’a été enregistré :\n" + "\n".join(lines))


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
    definition: str = ""
    aggregation: AggregationRule | None = None
    weighting_base: str | None = None
    computation: Computation = Computation.REPORTED
    counted_noun: str = ""
    """What a count counts (`unite_libelle`), shown after its values: « 2 repas végétariens »."""
    legal_threshold: Decimal | None = None
    """A legal floor or ceiling (`seuil_legal`, by `improvement`): `domain.indicators.legal_limits`."""
    legal_basis: str = ""

    @property
    def legal_limit(self) -> LegalLimit | None:
        return legal_limit(self.legal_threshold, self.legal_basis, self.improvement)

    @property
    def aggregation_rule(self) -> AggregationRule:
        return self.aggregation or AggregationRule.default_for(self.unit)

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
            definition=self.definition,
            aggregation=self.aggregation,
            weighting_base=self.weighting_base,
            computation=self.computation,
            counted_noun=self.counted_noun,
            legal_threshold=self.legal_threshold,
            legal_basis=self.legal_basis,
        )

    def show(self, value: Decimal | None) -> str:
        return "—" if value is None else format_value(value, self.unit, self.counted_noun)

    @property
    def unit_name(self) -> str:
        """« pourcentage (%) », or for a count that says what it counts « nombre de repas végétariens »."""
        return unit_name(self.unit, self.counted_noun)


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
    counted_noun: str = ""
    source: ValueSource | None = None
    legal_limit: LegalLimit | None = None
    """Set on a value just saved, so that the confirmation can say it breaks the law."""

    @property
    def legal_warning(self) -> str | None:
        """« ⚠ IND-11 : 32,5 jours dépasse le maximum légal… », or None for a lawful value."""
        if self.legal_limit is None or not self.legal_limit.broken_by(self.value):
            return None
        return self.legal_limit.warning_text(self.indicator_code, self.value, self.unit, self.counted_noun)

    @property
    def note(self) -> str:
        """The comment as people read it: typed text as typed, a computed value's source written
        from its columns (`domain.indicators.sources`)."""
        return comment_with_source(self.comment, self.source)

    @property
    def shown(self) -> str:
        return format_value(self.value, self.unit, self.counted_noun)

    @property
    def previous_shown(self) -> str | None:
        return None if self.previous_value is None else format_value(self.previous_value, self.unit, self.counted_noun)


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
    source: ValueSource | None = None
    """Set by the code that computes a value (the DECP import), never from what a person sends:
    None records a typed value (`SourceKind.MANUAL`)."""

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
            f"Catalogue importé : {counted(len(self.created), 'indicateur créé', 'indicateurs créés')}, "
            f"{len(self.updated)} mis à jour. "
            f"{counted(self.active_count, 'indicateur actif', 'indicateurs actifs')} au total."
        ]
        if self.warning:
            parts.append(self.warning)
        return "\n".join(parts)


def entry_key(code: str, period: str) -> str:
    return f"{code.strip().upper()}|{period.strip().upper()}"


def clean_comment(text: str | None) -> str:
    """Spaces collapsed; control characters and lone surrogates (NUL breaks PostgreSQL, a lone
    surrogate every database driver) become spaces, as in catalogue cells."""
    visible = "".join(" " if unicodedata.category(ch) in ("Cc", "Cs") else ch for ch in (text or ""))
    comment = one_line(visible)
    if len(comment) > MAX_COMMENT_LENGTH:
        raise DomainError(f"Le commentaire est trop long ({len(comment)} caractères, {MAX_COMMENT_LENGTH} au plus).")
    return comment


def check_directorate_allowed(person, directorate_code: str) -> None:
    """Raise `NotAllowed` unless `person` may write values for this directorate at all (pure rule)."""
    role = getattr(person, "role", None)
    if role not in (Role.LEAD, Role.CONTRIBUTOR):
        raise NotAllowed(
            "La saisie des valeurs d’indicateurs est réservée aux personnes responsables du SPASER et aux "
            "contributeur·rices des directions. Demandez à la personne responsable du SPASER de vous enregistrer."
        )
    if role is Role.CONTRIBUTOR and directorate_code != person.directorate_code:
        own = person.directorate_code or "aucune"
        raise NotAllowed(
            f"Vous ne pouvez saisir que les indicateurs de votre direction ({own}), pas ceux de la direction {directorate_code}."
        )


def check_entry_allowed(
    person, directorate_code: str, indicator: IndicatorView, period: Period, today: date
) -> None:
    """Raise `NotAllowed`/`InvalidPeriod` unless `person` may record this value (pure rule)."""
    check_directorate_allowed(person, directorate_code)
    role = person.role
    if not indicator.active:
        raise NotAllowed(f"L’indicateur {indicator.code} est désactivé : on ne peut plus y saisir de valeur.")
    if indicator.computation is not Computation.REPORTED and role is not Role.LEAD:
        raise NotAllowed(
            f"L’indicateur {indicator.code} est calculé depuis les données essentielles (DECP) de l’organisme : "
            "il ne se saisit pas, la personne responsable du SPASER le met à jour en important les DECP."
        )
    if directorate_code not in indicator.directorates:
        raise NotAllowed(
            f"La direction {directorate_code} ne renseigne pas l’indicateur {indicator.code} "
            f"(directions responsables : {', '.join(indicator.directorates)})."
        )
    ensure_frequency(period, indicator.frequency)
    ensure_not_future(period, today)
    due = current_reporting_period(indicator.frequency, today)
    if role is Role.CONTRIBUTOR and period != due:
        raise NotAllowed(
            f"Vous pouvez saisir la période à renseigner maintenant ({due.label_with_code}), pas {period.code} : "
            "pour une autre période, adressez-vous à la personne responsable du SPASER."
        )


def canonical(number: Decimal) -> Decimal:
    """Same value with the fewest digits (the database pads to 4 decimals)."""
    if number == 0:
        return Decimal(0)
    normal = Decimal(number).normalize(_DECIMAL_CONTEXT)
    return normal.quantize(Decimal(1), context=_DECIMAL_CONTEXT) if normal.as_tuple().exponent > 0 else normal
