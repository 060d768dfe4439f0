"""The table of botbuilder's conversation and user state (read and written by bot/state/storage.py)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Text
from sqlmodel import Field, SQLModel

from storage.columns import timestamp, utcnow


class BotStateRecord(SQLModel, table=True):
    """Conversation and user state of botbuilder, as JSON with an eTag."""

    __tablename__ = "bot_state"

    key: str = Field(primary_key=True, max_length=512)
    etag: str = Field(max_length=64)
    data: str = Field(sa_column=Column(Text, nullable=False))
    updated_at: datetime = timestamp(onupdate=utcnow)
