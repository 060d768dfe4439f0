"""Tables and repository of the knowledge base's live part: answers written by the SPASER lead,
sections of the organisation's own SPASER, and the questions the assistant could not answer.

The reference entries shipped with the bot stay files (`bot/knowledge/entries/`); what people
add by chat or import lives here so that every instance sees it and nothing is lost on upgrade.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Column, DateTime, Text, delete, func, select, update
from sqlmodel import Field, SQLModel

from domain.errors import DomainError
from storage.columns import is_row_id, timestamp, utcnow
from storage.db import Database

MAX_STORED_QUESTION = 1_000


class KnowledgeEntryRecord(SQLModel, table=True):
    __tablename__ = "knowledge_entry"

    id: str = Field(primary_key=True, max_length=80)
    kind: str = Field(max_length=16, index=True)
    title: str = Field(max_length=300)
    questions_json: str = Field(sa_column=Column(Text, nullable=False))
    answer: str = Field(sa_column=Column(Text, nullable=False))
    source: str = Field(max_length=500)
    position: int = Field(default=0)
    created_by: int | None = Field(default=None, foreign_key="person.id")
    created_at: datetime = timestamp()
    updated_at: datetime = timestamp(onupdate=utcnow)


class OrganisationDocument(SQLModel, table=True):
    """The organisation's adopted SPASER as last imported (one row per import, newest wins)."""

    __tablename__ = "organisation_document"

    id: int | None = Field(default=None, primary_key=True)
    filename: str = Field(max_length=255)
    title: str = Field(max_length=300)
    section_count: int
    imported_by: int | None = Field(default=None, foreign_key="person.id")
    imported_at: datetime = timestamp()


class UnansweredQuestion(SQLModel, table=True):
    __tablename__ = "unanswered_question"

    id: int | None = Field(default=None, primary_key=True)
    text: str = Field(sa_column=Column(Text, nullable=False))
    asked_by: int | None = Field(default=None, foreign_key="person.id")
    asked_at: datetime = timestamp(index=True)
    answered_entry_id: str | None = Field(default=None, max_length=80)
    answered_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True), nullable=True))


class KnowledgePhrasing(SQLModel, table=True):
    """A question the lead attached to an entry that answers it: indexed as one of its phrasings."""

    __tablename__ = "knowledge_phrasing"

    id: int | None = Field(default=None, primary_key=True)
    entry_id: str = Field(max_length=80, index=True)
    text: str = Field(sa_column=Column(Text, nullable=False))
    added_by: int | None = Field(default=None, foreign_key="person.id")
    added_at: datetime = timestamp()


@dataclass(frozen=True)
class StoredEntry:
    id: str
    kind: str
    title: str
    questions: tuple[str, ...]
    answer: str
    source: str
    position: int


@dataclass(frozen=True)
class DocumentInfo:
    filename: str
    title: str
    section_count: int
    imported_at: datetime


FINGERPRINT_COLUMNS = (
    select(func.count()).select_from(KnowledgeEntryRecord).scalar_subquery(),
    select(func.max(KnowledgeEntryRecord.updated_at)).scalar_subquery(),
    select(func.max(OrganisationDocument.id)).scalar_subquery(),
    select(func.max(KnowledgePhrasing.id)).scalar_subquery(),
)
"""What changes whenever an entry is added, edited or removed, as columns: a caller reads them
with other figures in a statement of its own (`storage.knowledge.understanding`)."""
_FINGERPRINT = select(*FINGERPRINT_COLUMNS)
"""Asked before every question: one statement, built once, instead of three."""


class KnowledgeRepository:
    def __init__(self, database: Database) -> None:
        self._db = database

    async def fingerprint(self) -> tuple:
        """Changes whenever an entry is added, edited or removed (cheap: one aggregate query)."""
        async with self._db.transaction() as connection:
            return tuple((await connection.execute(_FINGERPRINT)).one())

    async def entries(self) -> list[StoredEntry]:
        async with self._db.session() as session:
            rows = await session.execute(select(KnowledgeEntryRecord).order_by(KnowledgeEntryRecord.position))
            return [self._to_entry(row) for row in rows.scalars()]

    async def save_lead_answer(
        self, entry: StoredEntry, question_id: int | None, author_id: int | None
    ) -> None:
        """Store the lead's answer and close the unanswered question, in one transaction.

        The same question answered again (it was asked twice) replaces the earlier answer.
        """
        async with self._db.session() as session:
            existing = await session.get(KnowledgeEntryRecord, entry.id)
            if existing is not None:
                await session.delete(existing)
                await session.flush()
            session.add(self._to_record(entry, author_id))
            if question_id is not None:
                closed = await session.execute(
                    update(UnansweredQuestion)
                    .where(UnansweredQuestion.id == question_id, UnansweredQuestion.answered_entry_id.is_(None))
                    .values(answered_entry_id=entry.id, answered_at=utcnow())
                )
                if closed.rowcount != 1:
                    raise DomainError(f"La question n° {question_id} n’existe pas ou a déjà une réponse.")

    async def attach_question(self, question_id: int, entry_id: str, lead_id: int | None) -> str:
        """Make an open question a phrasing of `entry_id` and close it, in one transaction."""
        async with self._db.session() as session:
            question = await session.get(UnansweredQuestion, question_id) if is_row_id(question_id) else None
            if question is None or question.answered_entry_id is not None:
                raise DomainError(f"La question n° {question_id} n’existe pas ou a déjà une réponse.")
            session.add(KnowledgePhrasing(entry_id=entry_id, text=question.text, added_by=lead_id))
            question.answered_entry_id = entry_id
            question.answered_at = utcnow()
            return question.text

    async def phrasings(self) -> list[tuple[str, str]]:
        async with self._db.session() as session:
            rows = await session.execute(
                select(KnowledgePhrasing.entry_id, KnowledgePhrasing.text).order_by(KnowledgePhrasing.id)
            )
            return [tuple(row) for row in rows]

    async def replace_organisation_document(
        self, filename: str, title: str, sections: list[StoredEntry], imported_by: int | None
    ) -> None:
        """Swap the previous import for this one atomically: all sections or none."""
        async with self._db.session() as session:
            await session.execute(delete(KnowledgeEntryRecord).where(KnowledgeEntryRecord.kind == "organisation"))
            for section in sections:
                session.add(self._to_record(section, imported_by))
            session.add(
                OrganisationDocument(
                    filename=filename[:255], title=title[:300], section_count=len(sections), imported_by=imported_by
                )
            )

    async def current_document(self) -> DocumentInfo | None:
        async with self._db.session() as session:
            row = (
                await session.execute(select(OrganisationDocument).order_by(OrganisationDocument.id.desc()).limit(1))
            ).scalar_one_or_none()
            if row is None:
                return None
            return DocumentInfo(row.filename, row.title, row.section_count, row.imported_at)

    async def record_unanswered(self, text: str, asked_by: int | None, *, answered_by: str | None = None) -> int:
        """A question to keep; `answered_by` (a neighbouring-subject entry) keeps it out of the lead's queue."""
        async with self._db.session() as session:
            question = UnansweredQuestion(
                text=text.strip()[:MAX_STORED_QUESTION],
                asked_by=asked_by,
                answered_entry_id=answered_by,
                answered_at=utcnow() if answered_by else None,
            )
            session.add(question)
            await session.flush()
            return question.id

    async def open_questions(self, limit: int = 20) -> list[tuple[int, str, datetime]]:
        async with self._db.session() as session:
            rows = await session.execute(
                select(UnansweredQuestion.id, UnansweredQuestion.text, UnansweredQuestion.asked_at)
                .where(UnansweredQuestion.answered_entry_id.is_(None))
                .order_by(UnansweredQuestion.asked_at.desc())
                .limit(limit)
            )
            return [tuple(row) for row in rows]

    async def get_open_question(self, question_id: int) -> str | None:
        if not is_row_id(question_id):
            return None
        async with self._db.session() as session:
            question = await session.get(UnansweredQuestion, question_id)
            if question is None or question.answered_entry_id is not None:
                return None
            return question.text

    @staticmethod
    def _to_record(entry: StoredEntry, author_id: int | None) -> KnowledgeEntryRecord:
        return KnowledgeEntryRecord(
            id=entry.id,
            kind=entry.kind,
            title=entry.title[:300],
            questions_json=json.dumps(list(entry.questions), ensure_ascii=False),
            answer=entry.answer,
            source=entry.source[:500],
            position=entry.position,
            created_by=author_id,
        )

    @staticmethod
    def _to_entry(record: KnowledgeEntryRecord) -> StoredEntry:
        return StoredEntry(
            id=record.id,
            kind=record.kind,
            title=record.title,
            questions=tuple(json.loads(record.questions_json)),
            answer=record.answer,
            source=record.source,
            position=record.position,
        )
