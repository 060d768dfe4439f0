"""Checking a batch of values before any is recorded (each entry's indicator, period, rights,
value and comment, with the French error of each refused one, so a card can show them all), the
source columns an entry is recorded with, and whether a card sent again carries what it saved."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import Row, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.errors import DomainError
from domain.indicators.periods import Period, parse_period
from domain.indicators.rules import ValueEntry, check_entry_allowed, clean_comment
from domain.indicators.sources import SourceKind, ValueSource
from domain.indicators.units import Unit
from domain.indicators.values import parse_value, validate_value
from domain.text import lower_first
from storage.indicators.reads import Snapshot, find, indicator_view, submission_key_of
from storage.indicators.tables import Indicator, IndicatorValue


def check_entries(
    person, directorate_code: str, entries: Sequence[ValueEntry], snapshot: Snapshot, today: date
) -> tuple[list[tuple[ValueEntry, Row, Period, Decimal, str]], dict[str, str], dict[str, DomainError]]:
    """The entries that may be recorded, with their period, value and comment; the others' errors."""
    errors: dict[str, str] = {}
    causes: dict[str, DomainError] = {}
    checked: list[tuple[ValueEntry, Row, Period, Decimal, str]] = []
    seen: set[str] = set()
    for entry in entries:
        try:
            if entry.key in seen:
                raise DomainError(f"{entry.code} {entry.period} est saisi deux fois.")
            seen.add(entry.key)
            indicator = find(snapshot, entry.code)
            view = indicator_view(indicator, snapshot)
            period = parse_period(entry.period, view.frequency)
            check_entry_allowed(person, directorate_code, view, period, today)
            value = (
                parse_value(entry.value, view.unit)
                if isinstance(entry.value, str)
                else validate_value(entry.value, view.unit)
            )
            checked.append((entry, indicator, period, value, clean_comment(entry.comment)))
        except DomainError as error:
            errors[entry.key] = f"{entry.code} : {lower_first(error.message)}"
            causes[entry.key] = error
    return checked, errors, causes


def submission_prefix(submission_key: str, directorate_code: str) -> str:
    """The start of the key of every row a submission saved for a directorate."""
    return submission_key_of(submission_key, directorate_code, ValueEntry("", "", ""))[: -len("|")]


async def saved_as_sent(
    session: AsyncSession, submission_key: str, directorate_code: str, entries: Sequence[ValueEntry]
) -> bool:
    """Whether the rows a submission saved are exactly `entries`, values and comments alike."""
    wanted = {submission_key_of(submission_key, directorate_code, entry): entry for entry in entries}
    prefix = submission_prefix(submission_key, directorate_code)
    rows = (
        await session.execute(
            select(IndicatorValue.submission_key, IndicatorValue.value, IndicatorValue.comment, Indicator.unit)
            .join(Indicator, Indicator.id == IndicatorValue.indicator_id)
            .where(IndicatorValue.submission_key.startswith(prefix, autoescape=True))
        )
    ).all()
    saved = {key: (value, comment or "", unit) for key, value, comment, unit in rows}
    if not wanted or set(saved) != set(wanted):
        return False
    for key, entry in wanted.items():
        value, comment, unit = saved[key]
        try:
            typed = parse_value(entry.value, Unit(unit)) if isinstance(entry.value, str) else Decimal(entry.value)
            if typed != value or clean_comment(entry.comment) != comment:
                return False
        except (DomainError, ValueError):
            return False
    return True


def source_columns(source: ValueSource | None) -> dict:
    """The `source_*` columns of an entry: typed (`manual`) unless the code computing it said otherwise."""
    if source is None:
        return dict(source_kind=SourceKind.MANUAL.value, source_file=None, source_import_id=None)
    return dict(source_kind=source.kind.value, source_file=source.file, source_import_id=source.import_id)


def read_back(source: ValueSource | None, entered_at: datetime, entered_by: str) -> ValueSource:
    """The source of a value just recorded, as a read gives it back (who recorded it, and when)."""
    columns = source_columns(source)
    at = entered_at if entered_at.tzinfo else entered_at.replace(tzinfo=UTC)
    return ValueSource.stored(columns["source_kind"], columns["source_file"], columns["source_import_id"], at, entered_by)
