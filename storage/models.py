"""SQLModel tables of the foundation: people, directorates, conversation references, bot state.

The schema itself is owned by the Alembic migrations in `storage/migrations`; these classes are
the Python view of it and must stay in step (a test compares them).
"""

from __future__ import annotations

import enum
from datetime import datetime, timezone

from sqlalchemy import Column, DateTime, Enum as SAEnum, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def _timestamp(**kwargs) -> Field:
    return Field(default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False, **kwargs))


class Role(str, enum.Enum):
    """What a person may do; looked up server-side, never taken from what the person sends."""

    LEAD = "lead"
    CONTRIBUTOR = "contributor"
    OFFICIAL = "official"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.LEAD: "responsable SPASER",
    Role.CONTRIBUTOR: "contributeur·rice de direction",
    Role.OFFICIAL: "élu·e ou directeur·rice",
}


class Directorate(SQLModel, table=True):
    __tablename__ = "directorate"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=32, unique=True, index=True)
    name: str = Field(max_length=200)
    created_at: datetime = _timestamp()


class Person(SQLModel, table=True):
    """Someone the assistant knows: registered by the lead (by e-mail) or met in Teams."""

    __tablename__ = "person"
    __table_args__ = (UniqueConstraint("tenant_id", "aad_object_id", name="uq_person_identity"),)

    id: int | None = Field(default=None, primary_key=True)
    tenant_id: str = Field(default="", max_length=64)
    aad_object_id: str | None = Field(default=None, max_length=64)
    email: str | None = Field(default=None, max_length=320, unique=True, index=True)
    name: str = Field(default="", max_length=200)
    role: Role | None = Field(
        default=None,
        sa_column=Column(SAEnum(Role, native_enum=False, length=16, values_callable=lambda e: [m.value for m in e])),
    )
    directorate_id: int | None = Field(default=None, foreign_key="directorate.id")
    created_at: datetime = _timestamp()
    updated_at: datetime = _timestamp(onupdate=utcnow)


class ConversationRef(SQLModel, table=True):
    """A Bot Framework ConversationReference kept as JSON for proactive messages."""

    __tablename__ = "conversation_ref"

    id: int | None = Field(default=None, primary_key=True)
    conversation_id: str = Field(max_length=512, unique=True, index=True)
    tenant_id: str = Field(default="", max_length=64)
    aad_object_id: str | None = Field(default=None, max_length=64, index=True)
    conversation_type: str = Field(default="personal", max_length=32)
    service_url: str = Field(max_length=512)
    reference_json: str = Field(sa_column=Column(Text, nullable=False))
    updated_at: datetime = _timestamp(onupdate=utcnow)


class BotStateRecord(SQLModel, table=True):
    """Conversation and user state of botbuilder, as JSON with an eTag."""

    __tablename__ = "bot_state"

    key: str = Field(primary_key=True, max_length=512)
    etag: str = Field(max_length=64)
    data: str = Field(sa_column=Column(Text, nullable=False))
    updated_at: datetime = _timestamp(onupdate=utcnow)


class ProcessedActivity(SQLModel, table=True):
    """Incoming activity ids: claimed when their turn starts, completed in the turn's own commit, so
    that a Teams re-delivery has no second effect and a turn cut short by a crash runs again."""

    __tablename__ = "processed_activity"

    activity_key: str = Field(primary_key=True, max_length=600)
    received_at: datetime = _timestamp(index=True)
    completed_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True), nullable=True))
