"""Tables of the DECP feature.

`decp_contract` holds one row per contract of the body (unique `uid` = buyer SIRET + contract id)
at its latest known state: a re-import adds nothing twice, a newer state replaces the row. No
holder is stored (a sole trader's SIRET is personal data), only what the measures need and what
the lead reads. `decp_import` is each import with its report; `decp_figure` the source of each
computed value (one row per indicator and period, the last import that computed it, the counts
behind it, and the value row it wrote, or none for a period without any contract).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Column, Date, ForeignKey, Integer, Numeric, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.columns import timestamp, utcnow


def _money(*, nullable: bool = False) -> Field:
    return Field(default=None if nullable else ..., sa_column=Column(Numeric(19, 4), nullable=nullable))


class DecpImport(SQLModel, table=True):
    __tablename__ = "decp_import"

    id: int | None = Field(default=None, primary_key=True)
    filename: str = Field(max_length=255)
    imported_by_id: int | None = Field(default=None, foreign_key="person.id")
    imported_at: datetime = timestamp()
    sirets: str = Field(max_length=600)
    records: int = Field(default=0)
    new_contracts: int = Field(default=0)
    updated_contracts: int = Field(default=0)
    unchanged_contracts: int = Field(default=0)
    merged: int = Field(default=0)
    refused: int = Field(default=0)
    report_json: str = Field(default="{}", sa_column=Column(Text, nullable=False))


class DecpContract(SQLModel, table=True):
    __tablename__ = "decp_contract"

    id: int | None = Field(default=None, primary_key=True)
    uid: str = Field(max_length=80, unique=True, index=True)
    buyer_siret: str = Field(max_length=14, index=True)
    contract_id: str = Field(max_length=64)
    object: str = Field(default="", max_length=300)
    notified_on: date = Field(sa_column=Column(Date, nullable=False, index=True))
    amount: Decimal = _money()
    social: str = Field(default="", max_length=120)
    environmental: str = Field(default="", max_length=120)
    modification_count: int = Field(default=0)
    state: str = Field(max_length=40)
    first_import_id: int = Field(foreign_key="decp_import.id")
    last_import_id: int = Field(foreign_key="decp_import.id")


class DecpFigure(SQLModel, table=True):
    __tablename__ = "decp_figure"
    __table_args__ = (UniqueConstraint("indicator_id", "period", name="uq_decp_figure_indicator_period"),)

    id: int | None = Field(default=None, primary_key=True)
    indicator_id: int = Field(sa_column=Column(Integer, ForeignKey("indicator.id", ondelete="CASCADE"), nullable=False))
    period: str = Field(sa_column=Column(String(16), nullable=False))
    contracts: int
    amount: Decimal = _money()
    matching: int
    matching_amount: Decimal = _money()
    value: Decimal | None = _money(nullable=True)
    import_id: int = Field(foreign_key="decp_import.id")
    value_id: int | None = Field(default=None, foreign_key="indicator_value.id")
    updated_at: datetime = timestamp(onupdate=utcnow)
