"""Domain errors of the knowledge base: each carries a French message a user can read."""

from domain.errors import DomainError


class KnowledgeError(DomainError):
    """Base error; `str(error)` is a French sentence fit to show in the chat or the CLI."""


class KnowledgeFileError(KnowledgeError):
    """An entry file or the lexicon is malformed (the message names the file and the line)."""


class DocumentError(KnowledgeError):
    """The organisation's SPASER document cannot be imported (not a PDF, no text, empty…)."""
