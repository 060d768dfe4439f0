"""The understanding layer as the bot uses it: the knowledge base of every instance (refreshed by
`KnowledgeService`) with the organisation's catalogue and directorates for the slots."""

from __future__ import annotations

from domain.understanding.slots import DirectorateName, IndicatorName, SlotReader
from domain.understanding.understanding import Understander, Understanding
from storage.indicators.catalogue import IndicatorCatalogue
from storage.knowledge.service import KnowledgeService
from storage.people import DirectorateRepository


class UnderstandingService:
    def __init__(
        self, knowledge: KnowledgeService, catalogue: IndicatorCatalogue, directorates: DirectorateRepository
    ) -> None:
        self._knowledge = knowledge
        self._catalogue = catalogue
        self._directorates = directorates
        self._names: tuple | None = None
        self._understander: Understander | None = None

    async def understand(self, text: str) -> Understanding:
        return (await self._current()).understand(text)

    async def _current(self) -> Understander:
        knowledge = await self._knowledge.knowledge_base()
        indicators = tuple(
            IndicatorName(view.code, view.label, view.definition) for view in await self._catalogue.list_indicators()
        )
        directorates = tuple(DirectorateName(d.code, d.name) for d in await self._directorates.list())
        names = (id(knowledge), indicators, directorates)
        if self._understander is None or names != self._names:
            self._understander = Understander(knowledge, SlotReader(indicators, directorates, knowledge.analyzer, knowledge.common_terms(), knowledge.word_frequency))
            self._names = names
        return self._understander
