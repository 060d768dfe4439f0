"""Knowledge-base entries and their Markdown files.

An entry file is Markdown with a tiny front matter that a SPASER lead edits without code:

    ---
    id: seuil
    title: Qui doit adopter un SPASER ?
    source: Rencontre acheteurs « le SPASER »
    questions:
    - Qui est concerné par le SPASER ?
    ---
    Réponse courte en français.

The front matter is parsed by hand rather than with PyYAML on purpose: values are taken
literally after the first ``: `` (a source such as « Rencontre : le SPASER » or a title ending
in « ? » needs no quoting), there are only five keys, and every mistake is reported in French
with the file and line number.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from domain.knowledge.errors import KnowledgeFileError
from domain.knowledge.normalize import fold
from domain.text import one_line

FRONT_MATTER_FENCE = "---"
ENTRY_ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
KNOWN_KEYS = ("id", "title", "source", "kind", "questions")
_LIST_ITEM = re.compile(r"^(?:[-*•]\s|\d{1,2}[.)]\s)")


class EntryKind(StrEnum):
    """Where an entry comes from; it decides how the answer is presented."""

    REFERENCE = "reference"  # shipped with the bot, written from public sources
    LEAD = "lead"  # written by the SPASER lead, e.g. to answer an unanswered question
    ORGANISATION = "organisation"  # a section of the organisation's own adopted SPASER
    OUT_OF_SCOPE = "hors-sujet"  # a neighbouring subject: said honestly to be not ours, with where to look
    INTENT = "intention"  # a request about the organisation's data, answered by a command


@dataclass(frozen=True)
class Entry:
    """One topic: the answer, the phrasings that lead to it and where it comes from."""

    id: str
    title: str
    questions: tuple[str, ...]
    answer: str
    source: str
    kind: EntryKind = EntryKind.REFERENCE

    def __post_init__(self) -> None:
        if not ENTRY_ID_PATTERN.match(self.id):
            raise KnowledgeFileError(
                f"Identifiant de fiche invalide : « {self.id} » (lettres minuscules, chiffres et "
                "tirets uniquement)."
            )
        if not self.title.strip():
            raise KnowledgeFileError(f"La fiche « {self.id} » n’a pas de titre.")
        if not self.answer.strip():
            raise KnowledgeFileError(f"La fiche « {self.id} » n’a pas de réponse.")
        if not self.source.strip():
            raise KnowledgeFileError(f"La fiche « {self.id} » n’indique pas sa source.")


def parse_entry(text: str, origin: str = "fiche") -> Entry:
    """Parse one entry file; `origin` (usually the file name) is quoted in error messages."""
    lines = text.lstrip("\ufeff").splitlines()
    if not lines or lines[0].strip() != FRONT_MATTER_FENCE:
        raise KnowledgeFileError(f"{origin}, ligne 1 : la fiche doit commencer par « --- ».")
    try:
        closing = next(i for i in range(1, len(lines)) if lines[i].strip() == FRONT_MATTER_FENCE)
    except StopIteration:
        raise KnowledgeFileError(
            f"{origin} : l’en-tête n’est pas refermé par une ligne « --- »."
        ) from None

    values: dict[str, str] = {}
    questions: list[str] = []
    in_questions = False
    for number, raw in enumerate(lines[1:closing], start=2):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("- "):
            if not in_questions:
                raise KnowledgeFileError(
                    f"{origin}, ligne {number} : une question (« - … ») doit suivre « `questions:` »."
                )
            questions.append(line[2:].strip())
            continue
        key, separator, value = line.partition(":")
        key = key.strip().lower()
        if not separator or key not in KNOWN_KEYS:
            raise KnowledgeFileError(
                f"{origin}, ligne {number} : « {line} » n’est pas compris. Clés possibles : "
                + ", ".join(KNOWN_KEYS)
                + "."
            )
        if key in values or (key == "questions" and in_questions):
            raise KnowledgeFileError(f"{origin}, ligne {number} : la clé « {key} » est en double.")
        in_questions = key == "questions"
        if in_questions:
            if value.strip():
                raise KnowledgeFileError(
                    f"{origin}, ligne {number} : écrivez chaque question sur sa propre ligne, "
                    "précédée de « - »."
                )
            continue
        values[key] = value.strip()

    for required in ("id", "title", "source"):
        if not values.get(required):
            raise KnowledgeFileError(f"{origin} : la clé « {required} » est obligatoire.")
    kind_text = values.get("kind", EntryKind.REFERENCE.value)
    try:
        kind = EntryKind(kind_text)
    except ValueError:
        allowed = ", ".join(kind.value for kind in EntryKind)
        raise KnowledgeFileError(
            f"{origin} : type de fiche inconnu « {kind_text} » (valeurs possibles : {allowed})."
        ) from None
    answer = unwrap_paragraphs("\n".join(lines[closing + 1 :]))
    if not answer:
        raise KnowledgeFileError(f"{origin} : la réponse (après l’en-tête) est vide.")
    try:
        return Entry(
            id=values["id"],
            title=values["title"],
            questions=tuple(q for q in questions if q),
            answer=answer,
            source=values["source"],
            kind=kind,
        )
    except KnowledgeFileError as error:
        raise KnowledgeFileError(f"{origin} : {error.message}") from None


def lead_entry(question: str, answer: str, source: str) -> Entry:
    """Entry for an answer the lead wrote to an unanswered question.

    The id derives from the question (slug + short hash), so answering the same question
    again replaces the earlier answer once added to the knowledge base.
    """
    title = one_line(question)
    if not title:
        raise KnowledgeFileError("La question à laquelle vous répondez est vide.")
    if not answer.strip():
        raise KnowledgeFileError("Votre réponse est vide : écrivez quelques lignes.")
    slug = re.sub(r"[^a-z0-9]+", "-", fold(title)).strip("-")[:40].strip("-") or "question"
    digest = hashlib.sha1(title.casefold().encode("utf-8")).hexdigest()[:8]
    return Entry(
        id=f"lead-{slug}-{digest}",
        title=title,
        questions=(title,),
        answer=unwrap_paragraphs(answer),
        source=one_line(source) or "Réponse de la personne responsable du SPASER",
        kind=EntryKind.LEAD,
    )


def dump_entry(entry: Entry) -> str:
    """Render an entry in the file format, e.g. to save an answer the lead wrote."""
    header = [
        FRONT_MATTER_FENCE,
        f"id: {entry.id}",
        f"title: {one_line(entry.title)}",
        f"source: {one_line(entry.source)}",
    ]
    if entry.kind is not EntryKind.REFERENCE:
        header.append(f"kind: {entry.kind.value}")
    header.append("questions:")
    header.extend(f"- {one_line(question)}" for question in entry.questions)
    header.append(FRONT_MATTER_FENCE)
    return "\n".join(header) + "\n" + entry.answer.strip() + "\n"


def load_entries(directory: Path | str) -> list[Entry]:
    """Load every `*.md` entry of a directory (sorted by file name); ids must be unique."""
    folder = Path(directory)
    if not folder.is_dir():
        raise KnowledgeFileError(f"Le dossier de fiches « {folder} » est introuvable.")
    entries: list[Entry] = []
    seen: dict[str, str] = {}
    for path in sorted(folder.glob("*.md")):
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise KnowledgeFileError(
                f"{path.name} : le fichier doit être encodé en UTF-8."
            ) from None
        entry = parse_entry(text, origin=path.name)
        if entry.id in seen:
            raise KnowledgeFileError(
                f"{path.name} : l’identifiant « {entry.id} » est déjà utilisé par {seen[entry.id]}."
            )
        seen[entry.id] = path.name
        entries.append(entry)
    return entries


def unwrap_paragraphs(text: str) -> str:
    """Join hard-wrapped lines of a paragraph (files are wrapped for reading, chat messages
    are not); blank lines and list items (« - », « 1. ») keep their own line."""
    paragraphs = []
    for block in re.split(r"\n\s*\n", text.strip()):
        lines: list[str] = []
        for raw in block.splitlines():
            line = raw.strip()
            if lines and line and not _LIST_ITEM.match(line):
                lines[-1] = f"{lines[-1]} {line}"
            elif line:
                lines.append(line)
        paragraphs.append("\n".join(lines))
    return "\n\n".join(paragraphs)



REDIRECTION = re.compile(r"^\s*Je ne peux pas vous aider sur ce point\s*:[^.]*\.\s*")
"""The sentence every out-of-scope answer starts with: it names the SPASER, which it is not about."""


_SENTENCE_END = re.compile(r"(?<=\.)\s+")
_NAMES_THE_SPASER = re.compile(r"\b(?:spaser|schema)\b")


def searched_answer(entry: Entry) -> str:
    """The answer as searched: an out-of-scope one without its shared redirection sentence, so
    that « SPASER » in a question does not point to every neighbouring subject, nor the sentences
    that send back to the SPASER (« Je suis l’assistant du schéma…, élu·es et comités, indicateurs »,
    « Le SPASER, lui, est obligatoire au-delà de 50 millions… »): their words are its subjects, not
    the neighbour's."""
    if entry.kind is not EntryKind.OUT_OF_SCOPE:
        return entry.answer
    sentences = _SENTENCE_END.split(REDIRECTION.sub("", entry.answer))
    return " ".join(sentence for sentence in sentences if not _NAMES_THE_SPASER.search(fold(sentence)))
