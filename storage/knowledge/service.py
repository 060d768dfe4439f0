"""The knowledge base as the bot uses it: shipped entries + the database's live entries.

Every instance rebuilds its in-memory index from the database when the database's fingerprint
changes, so an answer written by the lead (or a re-imported SPASER) is used from the next
question on, on every instance.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, replace
from pathlib import Path

from domain.errors import DomainError
from domain.knowledge.document import organisation_entries_from_bytes
from domain.knowledge.entries import Entry, EntryKind, lead_entry
from domain.knowledge.frequency import french_zipf
from domain.knowledge.retrieval import DEFAULT_ENTRIES_PATH, Answer, KnowledgeBase
from domain.people import PersonView
from storage.bounded_worker import run_bounded
from storage.knowledge.repository import FINGERPRINT_COLUMNS, DocumentInfo, KnowledgeRepository, StoredEntry

log = logging.getLogger(__name__)

QUESTION_WORDS = frozenset(
    "qui que quoi quel quelle quels quelles quand comment combien pourquoi ou où est-ce est-il faut-il peut-on doit-on dois-je".split()
)


def looks_like_question(text: str) -> bool:
    """Worth the lead's time: a question mark, a question word, or a sentence of three words or more.

    Keyboard noise (« xyzzy plugh ») is answered honestly but not put in the lead's queue.
    """
    words = text.lower().split()
    return "?" in text or bool(words and words[0] in QUESTION_WORDS) or len(words) >= 3


@dataclass(frozen=True)
class ImportResult:
    section_count: int
    replaced: DocumentInfo | None


class KnowledgeService:
    def __init__(self, repository: KnowledgeRepository, entries_path: Path = DEFAULT_ENTRIES_PATH) -> None:
        self._repository = repository
        self._entries_path = entries_path
        self._base: KnowledgeBase | None = None
        self._fingerprint: tuple | None = None
        self._refresh_lock = asyncio.Lock()
        self._before_attaching: dict[str, Entry] = {}

    async def knowledge_base(self, fingerprint: tuple | None = None) -> KnowledgeBase:
        """The index, refreshed from the database when someone changed it (one cheap query);
        `fingerprint`: the database's, when the caller read it already (`fingerprint_columns`)."""
        if fingerprint is None:
            fingerprint = await self._repository.fingerprint()
        if self._base is not None and fingerprint == self._fingerprint:
            return self._base
        async with self._refresh_lock:
            if self._base is None:
                self._base = await asyncio.to_thread(
                    KnowledgeBase.from_directory, self._entries_path, word_frequency=french_zipf
                )
            if fingerprint != self._fingerprint:
                stored = await self._repository.entries()
                for kind in (EntryKind.LEAD, EntryKind.ORGANISATION):
                    self._base.replace_kind(kind, [_to_entry(s) for s in stored if s.kind == kind.value])
                self._attach(await self._repository.phrasings())
                self._fingerprint = fingerprint
        return self._base

    @property
    def fingerprint_columns(self) -> tuple:
        """What tells whether the knowledge base changed, as columns for the caller's own statement
        (`knowledge_base(fingerprint)` takes their values, as a tuple in the same order)."""
        return FINGERPRINT_COLUMNS

    def _attach(self, phrasings: list[tuple[str, str]]) -> None:
        """Index the questions the lead attached to entries, on top of each entry's own phrasings."""
        for entry_id, original in self._before_attaching.items():
            if (current := self._base.get(entry_id)) is not None and current.kind is original.kind:
                self._base.add(original)
        self._before_attaching = {}
        by_entry: dict[str, list[str]] = {}
        for entry_id, text in phrasings:
            by_entry.setdefault(entry_id, []).append(text)
        for entry_id, texts in by_entry.items():
            entry = self._base.get(entry_id)
            if entry is None:
                continue
            self._before_attaching[entry_id] = entry
            self._base.add(replace(entry, questions=(*entry.questions, *texts)))

    async def attach_question(self, question_id: int, entry_id: str, lead: PersonView) -> str:
        """An open question an entry already answers becomes one of its phrasings, on every instance."""
        entry = (await self.knowledge_base()).get(entry_id)
        if entry is None or entry.kind in (EntryKind.INTENT,):
            raise DomainError(f"Je ne connais pas de fiche « {entry_id} ». Les fiches proposées sont sous chaque question.")
        return await self._repository.attach_question(question_id, entry_id, lead.id)

    def suggestions_for(self, base: KnowledgeBase, question: str, limit: int = 2) -> list[Entry]:
        """The entries that might answer an open question, for the lead to attach it in one step."""
        ranked = base.rank(base.query_terms(question), limit=limit + 2)
        return [scored.entry for scored in ranked if scored.entry.kind is not EntryKind.OUT_OF_SCOPE][:limit]

    async def record(self, answer: Answer, person_id: int | None) -> int | None:
        """Keep a question the assistant could not answer for the lead (its id), or one on a
        neighbouring subject as already answered by that entry; noise is not kept."""
        if answer.problem is not None or not looks_like_question(answer.question):
            return None
        if answer.entry is None:
            return await self._repository.record_unanswered(answer.question, person_id)
        if answer.entry.kind is EntryKind.OUT_OF_SCOPE:
            await self._repository.record_unanswered(answer.question, person_id, answered_by=answer.entry.id)
        return None

    async def open_questions(self) -> list[tuple[int, str, object]]:
        return await self._repository.open_questions()

    async def get_open_question(self, question_id: int) -> str | None:
        return await self._repository.get_open_question(question_id)

    async def answer_question(self, question_id: int, answer_text: str, lead: PersonView) -> Entry:
        question = await self._repository.get_open_question(question_id)
        if question is None:
            raise DomainError(f"La question n° {question_id} n’existe pas ou a déjà une réponse.")
        entry = lead_entry(question, answer_text, f"réponse de {lead.name or lead.email}")
        await self._repository.save_lead_answer(_to_stored(entry, position=0), question_id, lead.id)
        return entry

    async def import_document(self, data: bytes, filename: str, lead: PersonView | None) -> ImportResult:
        """Parse first (a bad file changes nothing), then replace the previous version atomically."""
        entries = await run_bounded(organisation_entries_from_bytes, data, filename, what=f"Le document « {filename} »")
        previous = await self._repository.current_document()
        title = Path(filename).stem
        await self._repository.replace_organisation_document(
            filename,
            title,
            [_to_stored(entry, position) for position, entry in enumerate(entries)],
            lead.id if lead else None,
        )
        return ImportResult(section_count=len(entries), replaced=previous)


def _to_stored(entry: Entry, position: int) -> StoredEntry:
    return StoredEntry(
        id=entry.id,
        kind=entry.kind.value,
        title=entry.title,
        questions=entry.questions,
        answer=entry.answer,
        source=entry.source,
        position=position,
    )


def _to_entry(stored: StoredEntry) -> Entry:
    return Entry(
        id=stored.id,
        title=stored.title,
        questions=stored.questions,
        answer=stored.answer,
        source=stored.source,
        kind=EntryKind(stored.kind),
    )
