"""Versions of the tables that readers keep in memory between turns, moved by the database itself.

Triggers (migration 0013) add one to a row of `data_version` on every insert, update or delete of
the tables it watches, whoever writes: the chat, an import, the CLI, a cascade, another instance.
A reader reads the versions in its turn's transaction and keeps what it built while they do not
change; it must read them before the data it keeps, so that kept data is never older than its
version. A missing row (a table emptied by hand) reads as None: never cache under it.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, select
from sqlmodel import Field, SQLModel

CATALOGUE = "catalogue"
"""`indicator` and `indicator_directorate`."""
DIRECTORATES = "directorates"
"""`directorate`."""
COMMITTEES = "committees"
"""`committee_type` and `meeting`."""


class DataVersion(SQLModel, table=True):
    __tablename__ = "data_version"

    name: str = Field(primary_key=True, max_length=32)
    version: int = Field(default=0, sa_column=Column(BigInteger, nullable=False, server_default="0"))


def version_of(name: str):
    """A scalar subquery for one version, to read several in one statement with other figures."""
    return select(DataVersion.version).where(DataVersion.name == name).scalar_subquery()
