"""Column helpers shared by the table modules: every instant is timezone-aware, written in UTC."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import Column, DateTime
from sqlmodel import Field

MAX_ROW_ID = 2**31 - 1
"""Row ids are INTEGER on PostgreSQL: a larger number typed or put in a link finds nothing."""


def is_row_id(value: int) -> bool:
    return 0 < value <= MAX_ROW_ID


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def timestamp(**kwargs) -> Field:
    """A creation or update instant filled in by Python (`onupdate=utcnow` for the latter)."""
    return Field(default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False, **kwargs))
