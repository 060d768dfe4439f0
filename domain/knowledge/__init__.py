"""SPASER knowledge base: French entries, retrieval with honest unknowns, the organisation's SPASER.

Typical use by the bot::

    kb = KnowledgeBase.from_directory()            # shipped entries + lexique.md
    kb.replace_kind(EntryKind.ORGANISATION, load_organisation_document("spaser.pdf"))
    answer = kb.answer("c'est quoi le copil ?")
    text = format_answer(answer)                    # French Markdown for the chat
"""

from domain.knowledge.document import (
    Section,
    load_organisation_document,
    organisation_entries_from_bytes,
    parse_document,
    read_document,
    sections_to_entries,
)
from domain.knowledge.entries import Entry, EntryKind, dump_entry, lead_entry, load_entries, parse_entry
from domain.knowledge.errors import DocumentError, KnowledgeError, KnowledgeFileError
from domain.knowledge.lexicon import Lexicon
from domain.knowledge.normalize import Analyzer, fold, tokenize
from domain.knowledge.render import format_answer
from domain.knowledge.retrieval import DEFAULT_ENTRIES_PATH, Answer, KnowledgeBase, ScoredEntry

__all__ = [
    "DEFAULT_ENTRIES_PATH",
    "Analyzer",
    "Answer",
    "DocumentError",
    "Entry",
    "EntryKind",
    "KnowledgeBase",
    "KnowledgeError",
    "KnowledgeFileError",
    "Lexicon",
    "ScoredEntry",
    "Section",
    "dump_entry",
    "fold",
    "format_answer",
    "lead_entry",
    "load_entries",
    "load_organisation_document",
    "organisation_entries_from_bytes",
    "parse_document",
    "parse_entry",
    "read_document",
    "sections_to_entries",
    "tokenize",
]
