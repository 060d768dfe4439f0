"""The understanding layer read against the demo organisation's catalogue and directorates, as the
bot builds it, without a database: for the tests of intents and slots."""

from __future__ import annotations

import csv
import io

from bot.demo import DEMO_DIRECTORATES
from bot.demo_indicators import DEMO_CATALOGUE
from domain.knowledge.frequency import french_zipf
from domain.knowledge.retrieval import KnowledgeBase
from domain.understanding.slots import DirectorateName, IndicatorName, SlotReader
from domain.understanding.understanding import Understander


def demo_understander() -> Understander:
    knowledge = KnowledgeBase.from_directory(word_frequency=french_zipf)
    rows = csv.DictReader(io.StringIO(DEMO_CATALOGUE.read_text(encoding="utf-8")), delimiter=";")
    indicators = [IndicatorName(row["code"], row["libelle"], row.get("definition") or "") for row in rows]
    directorates = [DirectorateName(code, name) for code, name in DEMO_DIRECTORATES]
    reader = SlotReader(indicators, directorates, knowledge.analyzer, knowledge.common_terms(), knowledge.word_frequency)
    return Understander(knowledge, reader)
