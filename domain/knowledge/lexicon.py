"""The lexicon data file: synonym/acronym groups and domain terms, editable by the SPASER lead."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from domain.knowledge.errors import KnowledgeFileError

DEFAULT_LEXICON_PATH = Path(__file__).with_name("lexique.md")
SYNONYMS_HEADING = "synonymes et sigles"
DOMAIN_HEADING = "termes du domaine"


@dataclass(frozen=True)
class SynonymGroup:
    """Phrases that mean the same thing; every variant is read as `canonical`."""

    canonical: str
    variants: tuple[str, ...]


@dataclass(frozen=True)
class Lexicon:
    synonym_groups: tuple[SynonymGroup, ...]
    domain_terms: tuple[str, ...]

    @classmethod
    def from_file(cls, path: Path | str = DEFAULT_LEXICON_PATH) -> "Lexicon":
        file = Path(path)
        try:
            text = file.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise KnowledgeFileError(f"Le lexique « {file} » est introuvable.") from None
        return parse_lexicon(text, origin=file.name)

    @classmethod
    def empty(cls) -> "Lexicon":
        return cls(synonym_groups=(), domain_terms=())


def parse_lexicon(text: str, origin: str = "lexique") -> Lexicon:
    """Read `## Synonymes et sigles` (`- forme = variante = …`) and `## Termes du domaine`."""
    groups: list[SynonymGroup] = []
    domain_terms: list[str] = []
    section: str | None = None
    for number, raw in enumerate(text.lstrip("\ufeff").splitlines(), start=1):
        line = raw.strip()
        if line.startswith("## "):
            heading = line[3:].strip().lower()
            if heading not in (SYNONYMS_HEADING, DOMAIN_HEADING):
                raise KnowledgeFileError(
                    f"{origin}, ligne {number} : section inconnue « {line[3:].strip()} » "
                    "(attendu : « Synonymes et sigles » ou « Termes du domaine »)."
                )
            section = heading
            continue
        if not line.startswith("- "):
            continue
        item = line[2:].strip()
        if section is None:
            raise KnowledgeFileError(
                f"{origin}, ligne {number} : cette ligne doit se trouver sous une section « ## »."
            )
        if section == SYNONYMS_HEADING:
            phrases = [phrase.strip() for phrase in item.split("=")]
            if len(phrases) < 2 or not all(phrases):
                raise KnowledgeFileError(
                    f"{origin}, ligne {number} : écrivez « forme retenue = variante = … »."
                )
            groups.append(SynonymGroup(canonical=phrases[0], variants=tuple(phrases[1:])))
        elif item:
            domain_terms.append(item)
    return Lexicon(synonym_groups=tuple(groups), domain_terms=tuple(domain_terms))
