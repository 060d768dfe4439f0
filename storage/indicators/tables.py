"""The indicator tables: the catalogue, the directorates reporting each indicator, and every value ever entered.

A value is never overwritten: a correction is a new row that names the value it replaces
(`previous_value_id`, `previous_value`) and takes over the `current_key` of its
(indicator, directorate, period). `current_key` is unique, so the database itself guarantees
one current value per period, even when two people save at the same moment. `submission_key`
is unique too: a card submitted twice, or a dialog step run again, saves once. Where a value
comes from (typed, or computed from a DECP import) is in the `source_*` columns, never in the
comment, which holds only what a person typed (or, for a computed value, what it counts).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import Column, ForeignKey, Integer, Numeric, String, Text
from sqlmodel import Field, SQLModel

from storage.columns import timestamp, utcnow


def _amount(*, nullable: bool) -> Field:
    default = None if nullable else ...
    return Field(default=default, sa_column=Column(Numeric(19, 4), nullable=nullable))


class Indicator(SQLModel, table=True):
    """One indicator of the catalogue; enums are stored as their French values."""

    __tablename__ = "indicator"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=32, unique=True, index=True)
    label: str = Field(max_length=200)
    axis: str = Field(max_length=32)
    unit: str = Field(max_length=16)
    frequency: str = Field(max_length=16)
    baseline: Decimal | None = _amount(nullable=True)
    target: Decimal | None = _amount(nullable=True)
    target_year: int | None = Field(default=None)
    direction: str = Field(max_length=8)
    source: str = Field(default="", max_length=300)
    preexisting: bool = Field(default=False)
    active: bool = Field(default=True)
    definition: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    aggregation: str | None = Field(default=None, max_length=24)
    weighting_base: str | None = Field(default=None, max_length=32)
    computation: str = Field(default="saisie", sa_column=Column(String(40), nullable=False, server_default="saisie"))
    counted_noun: str | None = Field(default=None, max_length=60)
    """What a count counts, singular (catalogue column `unite_libelle`)."""
    legal_threshold: Decimal | None = _amount(nullable=True)
    """A legal floor or ceiling, by `direction` (catalogue column `seuil_legal`)."""
    legal_basis: str | None = Field(default=None, max_length=120)
    """The text that sets it (catalogue column `base_legale`: « loi EGalim »)."""
    created_at: datetime = timestamp()
    updated_at: datetime = timestamp(onupdate=utcnow)


class IndicatorDirectorate(SQLModel, table=True):
    """A directorate responsible for reporting an indicator (several may share one)."""

    __tablename__ = "indicator_directorate"

    indicator_id: int = Field(
        sa_column=Column(Integer, ForeignKey("indicator.id", ondelete="CASCADE"), primary_key=True)
    )
    directorate_id: int = Field(
        sa_column=Column(Integer, ForeignKey("directorate.id"), primary_key=True, index=True)
    )


class IndicatorValue(SQLModel, table=True):
    """A reported value; corrections add rows, so the table is the audit trail."""

    __tablename__ = "indicator_value"

    id: int | None = Field(default=None, primary_key=True)
    indicator_id: int = Field(foreign_key="indicator.id", index=True)
    directorate_id: int = Field(foreign_key="directorate.id", index=True)
    period: str = Field(max_length=16)
    value: Decimal = _amount(nullable=False)
    comment: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    entered_by_id: int = Field(foreign_key="person.id")
    entered_at: datetime = timestamp()
    previous_value_id: int | None = Field(default=None, foreign_key="indicator_value.id")
    previous_value: Decimal | None = _amount(nullable=True)
    current_key: str | None = Field(default=None, max_length=120, unique=True, index=True)
    submission_key: str | None = Field(default=None, max_length=300, unique=True, index=True)
    source_kind: str | None = Field(default=None, max_length=16)
    """`domain.indicators.sources.SourceKind`; NULL for rows recorded before migration 0017."""
    source_file: str | None = Field(default=None, max_length=255)
    """The imported file a computed value comes from (its name, cut to 255 characters)."""
    source_import_id: int | None = Field(default=None)
    """The DECP import's number (`decp_import.id`, not a foreign key: the indicator tables stand on their own)."""
