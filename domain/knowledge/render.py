"""French chat text for an `Answer` (Markdown as Teams renders it); cards are the bot's job."""

from __future__ import annotations

from domain.knowledge.entries import Entry, EntryKind
from domain.knowledge.retrieval import Answer

MAX_QUOTE_CHARS = 1_200
UNKNOWN_TEXT = "Je ne sais pas répondre à cette question."
NOT_UNDERSTOOD_TEXT = (
    "Je n’ai pas compris votre message. Nommez le sujet en quelques mots (« clause sociale », « comité de pilotage »…) "
    "ou tapez « aide » pour voir ce que je sais faire."
)
REPHRASE_HINT = (
    "Vous pouvez la reformuler en nommant le sujet autrement (« marché réservé », « clause sociale »…) "
    "ou en citant le code d’un indicateur."
)
"""Not « un sigle »: advising an acronym sends people to a guess; the subject in other words, or an
indicator's code, finds the entry or the indicator."""


def format_answer(answer: Answer) -> str:
    """The message sent to the user: the answer and its source, or an honest « je ne sais pas »."""
    if answer.entry is None and answer.problem is None and not answer.has_known_word:
        return NOT_UNDERSTOOD_TEXT
    if answer.entry is None:
        lines = [answer.problem or UNKNOWN_TEXT]
        if answer.suggestions:
            lines.append("")
            lines.append("Sujets proches :")
            lines.extend(f"- {entry.title}" for entry in answer.suggestions)
        elif answer.problem is None:
            lines.append(REPHRASE_HINT)
        return "\n".join(lines)
    text = _format_entry(answer.entry)
    if answer.related:
        text += "\n\nVoir aussi : " + "\u00a0; ".join(f"« {entry.title} »" for entry in answer.related)
    return text


def _format_entry(entry: Entry) -> str:
    if entry.kind is EntryKind.OUT_OF_SCOPE:
        return entry.answer
    if entry.kind is EntryKind.ORGANISATION:
        return (
            f"Votre SPASER, section « {entry.title} » :\n\n"
            f"{_quote(entry.answer)}\n\n_Source : {entry.source}_"
        )
    if entry.kind is EntryKind.LEAD:
        return (
            f"**{entry.title}**\n\n{entry.answer}\n\n"
            f"_Réponse de la personne responsable du SPASER — {entry.source}_"
        )
    return f"**{entry.title}**\n\n{entry.answer}\n\n_Source : {entry.source}_"


def _quote(text: str) -> str:
    if len(text) > MAX_QUOTE_CHARS:
        text = text[:MAX_QUOTE_CHARS].rsplit(" ", 1)[0] + " […]"
    return "\n".join(f"> {line}" if line.strip() else ">" for line in text.splitlines())
