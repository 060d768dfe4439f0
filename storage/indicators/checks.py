"""Checking a batch of values before any is recorded (each entry's indicator, period, rights,
value and comment, with the French error of each refused one, so a card can show them all), and
the source columns an entry is recorded with."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import Row

from domain.errors import DomainError
from domain.indicators.periods import Period, parse_period
from domain.indicators.rules import ValueEntry, check_entry_allowed, clean_comment
from domain.indicators.sources import SourceKind, ValueSource
from domain.indicators.values import parse_value, validate_value
from domain.text import lower_first
from storage.indicators.reads import Snapshot, find, indicator_view


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
