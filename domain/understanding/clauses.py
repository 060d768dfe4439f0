"""How a long question is cut into its sentences and clauses, and told apart from its purpose
(« …, pour que je puisse en parler en commission »): a request is often diluted in its context."""

from __future__ import annotations

import re

from domain.knowledge.normalize import tokenize

SENTENCES = re.compile(r"[:;?!.]")
_CLAUSES = re.compile(r",\s")
_PURPOSE_START = r"(?:pour (?:que|qu['’]|ne|pouvoir)|afin)\b"
"""« pour que », « pour ne pas », « pour pouvoir », « afin de »: what a request is asked for."""
_SUBORDINATE = re.compile(
    r"(?<!\btant)(?<!\bce)(?<!-ce)(?<!\bainsi)(?<!\balors)(?<!\bbien)"
    rf"\s(?=(?:que (?:je|j['’]|nous|vous)|qu['’]on|parce qu|puisqu|car)\b|{_PURPOSE_START})",
    re.IGNORECASE,
)
"""« des indicateurs au vert | que je pourrais mettre en avant… »: a request before its purpose."""


def clauses(question: str) -> list[str]:
    return [
        clause
        for part in _CLAUSES.split(question)
        for sentence in SENTENCES.split(part)
        for clause in _SUBORDINATE.split(sentence)
        if len(tokenize(clause)) >= 2
    ]


_PURPOSE = re.compile(rf",?\s+{_PURPOSE_START}")


def without_purpose(question: str) -> str | None:
    """« Expliquez-moi ce qu'est une clause verte, pour que je puisse en parler en commission » is
    asked without its purpose (« pour que… », « afin de… »), which only dilutes it."""
    found = _PURPOSE.search(question)
    return question[: found.start()] if found and len(tokenize(question[: found.start()])) >= 2 else None


def last_clause(question: str) -> str | None:
    """The last sentence of a question (after « : » or « . »), else its last clause (after a comma)."""
    for separator in (SENTENCES, _CLAUSES):
        parts = [part for part in separator.split(question) if len(tokenize(part)) >= 2]
        if len(parts) >= 2:
            return parts[-1]
    return None
