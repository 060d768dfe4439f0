"""Column helpers shared by the table modules: every instant is timezone-aware, written in UTC."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import Column, DateTime
from sqlmodel import Field


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def timestamp(**kwargs) -> Field:
    """A creation or update instant filled in by Python (`onupdate=utcnow` for the latter)."""
    return Field(default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False, **kwargs))
