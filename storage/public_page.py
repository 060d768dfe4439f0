"""The public SPASER page: whether the lead published it (opt-in, off by default), under which
organisation name, and what it shows, read from the summary, the catalogue, the imported SPASER
and the DECP figures (domain/public_page.py renders it)."""

from __future__ import annotations

import asyncio
import unicodedata
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlmodel import Field, SQLModel

from domain.clock import load_timezone
from domain.errors import DomainError
from domain.indicators.aggregation import Computation
from domain.people import PersonView, Role
from domain.public_page import PublicSpaser, public_indicators, section_titles
from domain.summary.scope import Scope
from storage.columns import timestamp, utcnow
from storage.db import Database
from storage.decp.service import DecpService
from storage.indicators.tables import IndicatorValue
from storage.knowledge.repository import KnowledgeRepository
from storage.summary.service import SummaryService

PAGE_ROW_ID = 1
MAX_NAME_LENGTH = 200


class PublicPage(SQLModel, table=True):
    """One row: the page's state (published or not) and the organisation's name shown on it."""

    __tablename__ = "public_page"

    id: int | None = Field(default=None, primary_key=True)
    organisation_name: str = Field(default="", max_length=MAX_NAME_LENGTH)
    published: bool = Field(default=False)
    changed_by_id: int | None = Field(default=None, foreign_key="person.id")
    changed_at: datetime = timestamp(onupdate=utcnow)


@dataclass(frozen=True)
class PageState:
    published: bool
    organisation_name: str


def clean_name(text: str) -> str:
    name = " ".join("".join(" " if unicodedata.category(ch)[0] == "C" else ch for ch in text or "").split())
    name = name.strip(" «»\"'")
    if not 2 <= len(name) <= MAX_NAME_LENGTH:
        raise DomainError(f"Le nom de l’organisme doit compter de 2 à {MAX_NAME_LENGTH} caractères.")
    return name


class PublicPageService:
    def __init__(
        self, database: Database, summary: SummaryService, knowledge: KnowledgeRepository, decp: DecpService,
        *, contact: str = "",
    ) -> None:
        self._db = database
        self._summary = summary
        self._knowledge = knowledge
        self._decp = decp
        self.contact = contact
        """Where residents ask for the adopted SPASER until it is imported (`SPASER_PUBLIC_CONTACT`)."""

    async def state(self) -> PageState:
        async with self._db.session() as session:
            row = await session.get(PublicPage, PAGE_ROW_ID)
            return PageState(bool(row and row.published), row.organisation_name if row else "")

    async def has_document(self) -> bool:
        """Whether the adopted SPASER was imported: the page shows its title and outline, or says it is not online."""
        return await self._knowledge.current_document() is not None

    async def publish(self, person: PersonView | None, organisation_name: str | None = None) -> PageState:
        """The lead opts in; the name given replaces the stored one (one is needed)."""
        _require_lead(person)
        return await self._save(person.id, organisation_name, published=True)

    async def unpublish(self, person: PersonView | None) -> PageState:
        _require_lead(person)
        return await self._save(person.id, None, published=False)

    async def name_organisation(self, organisation_name: str) -> PageState:
        """Trusted set-up (the demo): the name only, the page stays as it is."""
        return await self._save(None, organisation_name, published=None)

    async def _save(self, person_id: int | None, organisation_name: str | None, *, published: bool | None) -> PageState:
        name = clean_name(organisation_name) if organisation_name is not None else None
        async with self._db.session() as session:
            row = await session.get(PublicPage, PAGE_ROW_ID)
            if row is None:
                row = PublicPage(id=PAGE_ROW_ID)
                session.add(row)
            if name is not None:
                row.organisation_name = name
            if published is not None:
                if published and not row.organisation_name:
                    raise DomainError(
                        "Indiquez le nom de l’organisme à afficher sur la page, par exemple : "
                        "« publier la page SPASER pour la Ville de Rivebelle »."
                    )
                row.published = published
                row.changed_by_id = person_id
            return PageState(row.published, row.organisation_name)

    async def page(self) -> PublicSpaser | None:
        """What the page shows, or None while it is not published."""
        state = await self.state()
        if not state.published:
            return None
        summary, views, document, entries, figures, updated_at = await asyncio.gather(
            self._summary.summary(Scope.everything()),
            self._summary.catalogue.list_indicators(),
            self._knowledge.current_document(),
            self._knowledge.entries(),
            self._decp.latest_figures(),
            self._last_value_at(),
        )
        computed = {view.code for view in views if view.computation is not Computation.REPORTED}
        codes = {view.id: view.code for view in views}
        latest = {codes[indicator_id]: figure for indicator_id, figure in figures.items() if indicator_id in codes}
        zone = load_timezone(self._summary.timezone)
        return PublicSpaser(
            organisation=state.organisation_name,
            document_title=document.title if document else None,
            sections=section_titles(entry.title for entry in entries if entry.kind == "organisation"),
            indicators=public_indicators(summary.lines, computed, latest),
            updated_on=updated_at.astimezone(zone).date() if updated_at else None,
            contact=self.contact,
        )

    async def _last_value_at(self) -> datetime | None:
        async with self._db.transaction() as connection:
            value = (await connection.execute(select(func.max(IndicatorValue.__table__.c.entered_at)))).scalar()
        if isinstance(value, datetime) and value.tzinfo is None:
            value = value.replace(tzinfo=load_timezone("UTC"))
        return value


def _require_lead(person: PersonView | None) -> None:
    if person is None or person.role is not Role.LEAD:
        raise DomainError("Seules les personnes responsables du SPASER peuvent publier ou retirer la page publique du SPASER.")
