"""Reporting periods of SPASER indicators: `2026`, `2026-S1`, `2026-T3`.

Directorates report an indicator's value once per period of its frequency, after the period has
closed, ahead of the comités techniques (3 to 4 a year) and the comités de pilotage. Hence the
rule of `current_reporting_period`: the period to report at a date is the most recent period of
the frequency that has ENDED on that date. In April 2026 a quarterly indicator is due for
2026-T1, a half-yearly one for 2025-S2 and an annual one for 2025; on 31 March the first quarter
is still running, so 2025-T4 remains the one due. A period still running is not "in the future"
(`is_future` is about periods that have not started): the lead may record a provisional value
for it, e.g. for a committee held in mid-December about the current year.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import total_ordering

from domain.errors import DomainError, quoted_input

MIN_YEAR = 2000
MAX_YEAR = 2100
MAX_PERIOD_TEXT_LENGTH = 40


class InvalidPeriod(DomainError):
    """A period or frequency that cannot be understood or used; the message is French."""


class PeriodFrequencyMismatch(InvalidPeriod):
    """A period of another frequency than the indicator's (e.g. `2026-S1` for a quarterly one)."""


class FuturePeriod(InvalidPeriod):
    """A period that has not started yet: no value can be reported for it."""


class Frequency(StrEnum):
    """How often an indicator is reported; the values are the French words stored and shown."""

    ANNUAL = "annuelle"
    HALF_YEARLY = "semestrielle"
    QUARTERLY = "trimestrielle"

    @property
    def periods_per_year(self) -> int:
        return _PERIODS_PER_YEAR[self]

    @property
    def months_per_period(self) -> int:
        return 12 // self.periods_per_year

    @property
    def code_letter(self) -> str:
        """Letter of the period code: `S` (semestre), `T` (trimestre); empty for a year."""
        return _CODE_LETTERS[self]

    @property
    def adjective(self) -> str:
        """Masculine French adjective, for « l'indicateur est trimestriel »."""
        return _ADJECTIVES[self]

    @property
    def example_code(self) -> str:
        return _EXAMPLE_CODES[self]

    @property
    def period_noun(self) -> str:
        """« une année », « un semestre », « un trimestre »."""
        return _PERIOD_NOUNS[self]

    @classmethod
    def parse(cls, text: str) -> Frequency:
        """Read a frequency as typed in a CSV or a chat (`Trimestrielle`, `trimestriel`, `T`…)."""
        folded = _fold(text)
        for frequency, aliases in _FREQUENCY_ALIASES.items():
            if folded in aliases:
                return frequency
        raise InvalidPeriod(
            f"Fréquence « {quoted_input(text)} » inconnue. Fréquences possibles : "
            f"{', '.join(f.value for f in cls)}."
        )


_PERIODS_PER_YEAR = {Frequency.ANNUAL: 1, Frequency.HALF_YEARLY: 2, Frequency.QUARTERLY: 4}
_CODE_LETTERS = {Frequency.ANNUAL: "", Frequency.HALF_YEARLY: "S", Frequency.QUARTERLY: "T"}
_ADJECTIVES = {
    Frequency.ANNUAL: "annuel",
    Frequency.HALF_YEARLY: "semestriel",
    Frequency.QUARTERLY: "trimestriel",
}
_PERIOD_NOUNS = {
    Frequency.ANNUAL: "une année",
    Frequency.HALF_YEARLY: "un semestre",
    Frequency.QUARTERLY: "un trimestre",
}
_EXAMPLE_CODES = {Frequency.ANNUAL: "2026", Frequency.HALF_YEARLY: "2026-S1", Frequency.QUARTERLY: "2026-T3"}
_FREQUENCY_ALIASES = {
    Frequency.ANNUAL: {"annuelle", "annuel", "annee", "an", "a", "annual", "yearly"},
    Frequency.HALF_YEARLY: {"semestrielle", "semestriel", "semestre", "s", "half-yearly", "semiannual"},
    Frequency.QUARTERLY: {"trimestrielle", "trimestriel", "trimestre", "t", "quarterly"},
}
# Letters accepted in codes: French S/T, plus H/Q that spreadsheets and BI tools export.
_LETTER_FREQUENCIES = {
    "s": Frequency.HALF_YEARLY,
    "h": Frequency.HALF_YEARLY,
    "t": Frequency.QUARTERLY,
    "q": Frequency.QUARTERLY,
}
_WORD_FREQUENCIES = {"semestre": Frequency.HALF_YEARLY, "trimestre": Frequency.QUARTERLY}

_YEAR_ONLY = re.compile(r"^(?:annee |exercice )?(\d{4})$")
_YEAR_THEN_LETTER = re.compile(r"^(\d{4}) ?([shtq]) ?(\d{1,2})$")
_LETTER_THEN_YEAR = re.compile(r"^([shtq]) ?(\d{1,2}) ?(\d{4})$")
_ORDINAL_WORD = re.compile(r"^(\d{1,2}) ?(?:er|re|ere|e|eme|ieme)? (semestre|trimestre) (?:de |d')?(\d{4})$")
_WORD_THEN_NUMBER = re.compile(r"^(semestre|trimestre) (\d{1,2}) (?:de |d')?(\d{4})$")
_SEPARATORS = re.compile(r"[\s\-_/.,:]+")


@total_ordering
@dataclass(frozen=True)
class Period:
    """One reporting period: a year, a half-year (`number` 1–2) or a quarter (`number` 1–4)."""

    year: int
    frequency: Frequency
    number: int = 1

    def __post_init__(self) -> None:
        if not isinstance(self.frequency, Frequency):
            object.__setattr__(self, "frequency", Frequency.parse(str(self.frequency)))
        if not MIN_YEAR <= self.year <= MAX_YEAR:
            raise InvalidPeriod(
                f"L’année {self.year} est hors de la plage acceptée ({MIN_YEAR} à {MAX_YEAR}). "
                f"Exemple : {self.frequency.example_code}."
            )
        count = self.frequency.periods_per_year
        if not 1 <= self.number <= count:
            letter = self.frequency.code_letter
            if self.frequency is Frequency.ANNUAL:
                raise InvalidPeriod("Une période annuelle n’a pas de numéro. Exemple : 2026.")
            if self.frequency is Frequency.HALF_YEARLY:
                noun, choices = "semestre", f"{letter}1 ou {letter}2"
            else:
                noun, choices = "trimestre", f"{letter}1 à {letter}{count}"
            raise InvalidPeriod(
                f"Le {noun} {self.number} n’existe pas : choisissez {choices}. "
                f"Exemple : {self.frequency.example_code}."
            )

    @property
    def code(self) -> str:
        """Canonical code stored and shown: `2026`, `2026-S1`, `2026-T3`."""
        if self.frequency is Frequency.ANNUAL:
            return str(self.year)
        return f"{self.year}-{self.frequency.code_letter}{self.number}"

    @property
    def label(self) -> str:
        """The period as a noun: « 3ᵉ trimestre 2026 », « 1er semestre 2026 », « année 2026 »."""
        if self.frequency is Frequency.ANNUAL:
            return f"année {self.year}"
        noun = "semestre" if self.frequency is Frequency.HALF_YEARLY else "trimestre"
        return f"{ordinal(self.number)}\u00a0{noun} {self.year}"

    @property
    def label_with_code(self) -> str:
        """« 3ᵉ trimestre 2026 (2026-T3) », but « année 2026 » alone: its code would repeat the year.
        For where people must type the code (the lead's « … pour 2026-T3 »)."""
        return self.label if self.frequency is Frequency.ANNUAL else f"{self.label} ({self.code})"

    def in_sentence(self) -> str:
        """The period after a value or a verb: « au 3ᵉ trimestre 2026 », « au 1er semestre 2026 »,
        « en 2026 » (« 19,4 % au 2ᵉ trimestre 2026 »). The code stays for where people type it."""
        if self.frequency is Frequency.ANNUAL:
            return f"en {self.year}"
        return f"au {self.label}"

    def with_article(self) -> str:
        """« le 3ᵉ trimestre 2026 », « l’année 2026 »: the period as a subject or after « pour »."""
        return f"l’{self.label}" if self.frequency is Frequency.ANNUAL else f"le {self.label}"

    @property
    def start(self) -> date:
        return date(self.year, (self.number - 1) * self.frequency.months_per_period + 1, 1)

    @property
    def end(self) -> date:
        """Last day of the period (inclusive)."""
        last_month = self.number * self.frequency.months_per_period
        return date(self.year, last_month, calendar.monthrange(self.year, last_month)[1])

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def previous(self) -> Period:
        if self.number > 1:
            return Period(self.year, self.frequency, self.number - 1)
        return Period(self.year - 1, self.frequency, self.frequency.periods_per_year)

    def next(self) -> Period:
        if self.number < self.frequency.periods_per_year:
            return Period(self.year, self.frequency, self.number + 1)
        return Period(self.year + 1, self.frequency, 1)

    def __str__(self) -> str:
        return self.code

    def __lt__(self, other: object) -> bool:
        """Chronological order; periods of different frequencies compare by (start, end)."""
        if not isinstance(other, Period):
            return NotImplemented
        return (self.start, self.end) < (other.start, other.end)


def ordinal(number: int) -> str:
    """French ordinal as house typography writes it: « 1er », then « 2ᵉ », « 3ᵉ »… (CONTRIBUTING.md)."""
    return "1er" if number == 1 else f"{number}\u1d49"


def parse_period(text: str, expected_frequency: Frequency | None = None) -> Period:
    """Read a period as typed: `2026-T3`, `2026 t3`, `T3 2026`, `3e trimestre 2026`, `2026`.

    With `expected_frequency` the period must be of that frequency (the indicator's one).
    """
    if text is None or not str(text).strip():
        raise InvalidPeriod(_with_example("Indiquez une période.", expected_frequency))
    if len(text) > MAX_PERIOD_TEXT_LENGTH:
        raise InvalidPeriod(_with_example("Cette période est trop longue pour être lue.", expected_frequency))
    folded = _SEPARATORS.sub(" ", _fold(text)).strip()
    period = _match_period(folded)
    if period is None:
        raise InvalidPeriod(
            _with_example(
                f"Je ne reconnais pas la période « {quoted_input(text)} ». Formats acceptés : "
                "2026 (année), 2026-S1 ou 2026-S2 (semestre), 2026-T1 à 2026-T4 (trimestre).",
                expected_frequency,
            )
        )
    if expected_frequency is not None:
        ensure_frequency(period, expected_frequency)
    return period


def _match_period(folded: str) -> Period | None:
    if match := _YEAR_ONLY.match(folded):
        return Period(int(match[1]), Frequency.ANNUAL)
    if match := _YEAR_THEN_LETTER.match(folded):
        return Period(int(match[1]), _LETTER_FREQUENCIES[match[2]], int(match[3]))
    if match := _LETTER_THEN_YEAR.match(folded):
        return Period(int(match[3]), _LETTER_FREQUENCIES[match[1]], int(match[2]))
    if match := _ORDINAL_WORD.match(folded):
        return Period(int(match[3]), _WORD_FREQUENCIES[match[2]], int(match[1]))
    if match := _WORD_THEN_NUMBER.match(folded):
        return Period(int(match[3]), _WORD_FREQUENCIES[match[1]], int(match[2]))
    return None


def ensure_frequency(period: Period, frequency: Frequency) -> Period:
    """Refuse a period whose frequency is not the indicator's one."""
    if period.frequency is not frequency:
        raise PeriodFrequencyMismatch(
            f"Cet indicateur est {frequency.adjective} : indiquez {frequency.period_noun}, "
            f"pas « {period.code} » ({period.label}). Exemple : {frequency.example_code}."
        )
    return period


def period_containing(day: date, frequency: Frequency) -> Period:
    """The period of `frequency` in which `day` falls."""
    number = (day.month - 1) // frequency.months_per_period + 1
    return Period(day.year, frequency, number)


def current_reporting_period(frequency: Frequency, today: date) -> Period:
    """The period due at `today`: the most recent one that has ended (see the module docstring)."""
    return period_containing(today, frequency).previous()


def is_future(period: Period, today: date) -> bool:
    """True when the period has not started yet on `today`."""
    return period.start > today


def has_ended(period: Period, today: date) -> bool:
    """True when the period's last day is before `today`."""
    return period.end < today


def ensure_not_future(period: Period, today: date) -> Period:
    """Refuse a value for a period that has not started."""
    if is_future(period, today):
        raise FuturePeriod(
            f"La période « {period.code} » ({period.label}) n’a pas encore commencé : "
            f"on ne peut pas saisir de valeur pour elle. Période à renseigner aujourd’hui : "
            f"{current_reporting_period(period.frequency, today).code}."
        )
    return period


def last_periods(frequency: Frequency, count: int, today: date) -> list[Period]:
    """The `count` most recent ended periods, oldest first, ending with the one due at `today`."""
    if count < 0:
        raise InvalidPeriod("Le nombre de périodes demandé ne peut pas être négatif.")
    periods: list[Period] = []
    period = current_reporting_period(frequency, today)
    for _ in range(count):
        periods.append(period)
        if period.year == MIN_YEAR and period.number == 1:
            break
        period = period.previous()
    periods.reverse()
    return periods


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", str(text).replace("’", "'").lower())
    without_accents = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(without_accents.split())



def _with_example(message: str, frequency: Frequency | None) -> str:
    example = frequency.example_code if frequency else "2026-T3"
    return f"{message} Exemple : {example}."
