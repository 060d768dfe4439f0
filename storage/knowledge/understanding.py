"""The understanding layer as the bot uses it: the knowledge base of every instance (refreshed by
`KnowledgeService`) with the organisation's catalogue and directorates for the slots."""

from __future__ import annotations

from sqlalchemy import select

from domain.understanding.slots import DirectorateName, IndicatorName, SlotReader
from domain.understanding.understanding import Understander, Understanding
from storage.data_versions import CATALOGUE, DIRECTORATES, VersionedCache
from storage.db import Database
from storage.indicators.catalogue import IndicatorCatalogue
from storage.knowledge.service import KnowledgeService
from storage.people import DirectorateRepository


class UnderstandingService:
    def __init__(
        self,
        knowledge: KnowledgeService,
        catalogue: IndicatorCatalogue,
        directorates: DirectorateRepository,
        database: Database,
    ) -> None:
        self._database = database
        self._knowledge = knowledge
        self._catalogue = catalogue
        self._directorates = directorates
        self._directorate_names: VersionedCache[None, tuple[tuple[str, str], ...]] = VersionedCache(
            CATALOGUE, DIRECTORATES
        )
        self._names: tuple | None = None
        self._understander: Understander | None = None
        self._changes = select(*self._directorate_names.columns, *knowledge.fingerprint_columns)
        """The catalogue's and the directorates' versions, then the knowledge base's fingerprint."""

    async def understand(self, text: str) -> Understanding:
        return (await self._current()).understand(text)

    async def _current(self) -> Understander:
        """Rebuilt only when the knowledge base, the catalogue or the directorates changed: each
        message pays one small statement, not the catalogue's nor the directorates' (read again,
        in the same transaction after their versions, only when those moved). When the versions are
        those of the understander in use, that statement is all (`Database.read`: on a SQLite file,
        one hand-over to SQLite's thread)."""
        if self._understander is not None and self._names is not None:
            [[changes]] = await self._database.read((self._changes, {}))
            split = len(self._directorate_names.columns)
            versions, fingerprint = tuple(changes[:split]), tuple(changes[split:])
            if versions == self._names[1] and None not in versions:
                knowledge = await self._knowledge.knowledge_base(fingerprint)
                if id(knowledge) == self._names[0]:
                    return self._understander
        async with self._database.transaction() as connection:
            changes = tuple((await connection.execute(self._changes)).one())
            split = len(self._directorate_names.columns)
            versions, fingerprint = changes[:split], changes[split:]
            directorate_names = await self._directorate_names.get_or_build(
                None, versions, lambda: self._directorates.names_in(connection)
            )
            views = await self._catalogue.views_in(connection, versions)
        knowledge = await self._knowledge.knowledge_base(fingerprint)
        names = (id(knowledge), versions, directorate_names)
        if self._understander is None or names != self._names or None in versions:
            indicators = [IndicatorName(view.code, view.label, view.definition) for view in views.values() if view.active]
            directorates = [DirectorateName(code, name) for code, name in names[2]]
            slots = SlotReader(
                indicators, directorates, knowledge.analyzer, knowledge.common_terms(), knowledge.word_frequency
            )
            self._understander = Understander(knowledge, slots)
            self._names = names
        return self._understander
