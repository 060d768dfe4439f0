"""The organisation's own adopted SPASER: split into sections that become quotable entries.

Markdown is split on its headings, plain text on numbered or upper-case headings (or on blank
lines when it has none), and PDF text is extracted with pypdf first. Long sections are cut into
chunks so that an answer quotes the relevant passage, not ten pages.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from domain.knowledge.entries import Entry, EntryKind
from domain.knowledge.errors import DocumentError
from domain.knowledge.normalize import fold, strip_html
from domain.text import excerpt

if TYPE_CHECKING:
    from pypdf import PdfReader

MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})
TEXT_SUFFIXES = frozenset({".txt", ".text"})
PDF_SUFFIXES = frozenset({".pdf"})
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
MAX_PDF_PAGES = 300
MAX_TEXT_CHARS = 1_000_000
"""A SPASER is tens of pages (about 150,000 characters): past these, the file is not one."""
MAX_SECTIONS = 2_000
MAX_SECTION_WORDS = 250
MIN_PDF_LETTERS = 20
MAX_TITLE_CHARS = 200  # titles and sources must fit the stored columns (300 / 500 chars)
MAX_NAME_CHARS = 120
PREAMBLE_TITLE = "Préambule"
HEADING_SEPARATOR = " › "

_ATX_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.+?)[ \t]*#*[ \t]*$")
_SETEXT_UNDERLINE = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(```|~~~)")
# « 2. Titre », « 2.1 Titre », « 2 - Titre », « IV. Titre », « B) Titre »; a bare number
# (« 30 fournisseurs locaux ») is body text, and so is a title not starting with a letter.
_NUMBERED_HEADING = re.compile(
    r"^(?P<number>\d{1,2}(?:\.\d{1,2})+\.?|\d{1,2}(?:\.|\s*[-–—:)])"
    r"|(?:[IVXLC]{1,6}|[A-H])(?:\.|\s*[-–—:)]))"
    r"\s+(?P<title>[^\W\d_].*)$"
)
_KEYWORD_HEADING = re.compile(
    r"^\s*(?:axe|article|chapitre|partie|titre|annexe|orientation|objectif)\s+"
    r"(?:\d{1,2}|[IVXLC]{1,6}|[A-Ha-h])\b",
    re.IGNORECASE,
)
_MARKDOWN_EMPHASIS = re.compile(r"[*_`]+")
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")


@dataclass(frozen=True)
class Section:
    """A titled passage of the document; `heading_path` holds the parent headings too."""

    heading_path: tuple[str, ...]
    text: str

    @property
    def title(self) -> str:
        return HEADING_SEPARATOR.join(self.heading_path)


def read_document(path: Path | str) -> list[Section]:
    """Read and split a Markdown, plain-text or PDF file."""
    file = Path(path)
    try:
        data = file.read_bytes()
    except FileNotFoundError:
        raise DocumentError(f"Le fichier « {file} » est introuvable.") from None
    except IsADirectoryError:
        raise DocumentError(f"« {file} » est un dossier, pas un document.") from None
    return parse_document(data, file.name)


def parse_document(data: bytes, filename: str) -> list[Section]:
    """Split a document received as bytes (e.g. a file sent in the chat)."""
    suffix = Path(filename).suffix.lower()
    if suffix not in MARKDOWN_SUFFIXES | TEXT_SUFFIXES | PDF_SUFFIXES:
        raise DocumentError(
            f"Format non pris en charge pour « {filename} ». Formats acceptés : Markdown (.md), "
            "texte (.txt) et PDF (.pdf)."
        )
    if not data.strip():
        raise DocumentError(f"Le document « {filename} » est vide.")
    if len(data) > MAX_DOCUMENT_BYTES:
        raise DocumentError(
            f"Le document « {filename} » est trop volumineux (plus de 10 Mo). Importez une "
            "version allégée, sans images."
        )
    text = extract_pdf_text(data, filename) if suffix in PDF_SUFFIXES else _decode_text(data, filename)
    if len(text) > MAX_TEXT_CHARS:
        raise _too_big(filename, "trop de texte")
    sections = split_markdown(text) if suffix in MARKDOWN_SUFFIXES else split_plain_text(text)
    if not sections:
        raise DocumentError(f"Le document « {filename} » ne contient aucun texte exploitable.")
    if len(sections) > MAX_SECTIONS:
        raise _too_big(filename, f"plus de {MAX_SECTIONS} sections")
    return sections


def _too_big(filename: str, why: str) -> DocumentError:
    return DocumentError(
        f"Le document « {filename} » est trop gros pour un SPASER ({why}) : importez le document adopté seul, "
        "en PDF exporté depuis un traitement de texte, en Markdown ou en texte."
    )


def extract_pdf_text(data: bytes, filename: str) -> str:
    """Text of every page; scanned or protected PDFs raise a DocumentError in French."""
    from pypdf import PdfReader  # imported when a PDF arrives: no turn needs it at start-up
    from pypdf.errors import LimitReachedError

    if b"%PDF-" not in data[:1024]:
        raise DocumentError(f"Le fichier « {filename} » n’est pas un PDF valide.")
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not _decrypts_without_password(reader):
            raise DocumentError(
                f"Le PDF « {filename} » est protégé par un mot de passe : importez une version "
                "sans protection."
            )
        if len(reader.pages) > MAX_PDF_PAGES:
            raise _too_big(filename, f"plus de {MAX_PDF_PAGES} pages")
        pages, extracted = [], 0
        for page in reader.pages:
            pages.append(page.extract_text() or "")
            extracted += len(pages[-1])
            if extracted > MAX_TEXT_CHARS:
                raise _too_big(filename, "trop de texte")
    except DocumentError:
        raise
    except (MemoryError, LimitReachedError):
        raise _too_big(filename, "son contenu décompressé dépasse la taille admise") from None
    except Exception as error:  # pypdf raises many types on damaged files; all mean the same
        raise DocumentError(
            f"Le PDF « {filename} » est illisible ou endommagé : exportez-le à nouveau puis "
            "réessayez."
        ) from error
    text = re.sub(r"(\w)-\n(\w)", r"\1\2", "\n".join(pages))
    if sum(char.isalpha() for char in text) < MIN_PDF_LETTERS:
        raise DocumentError(
            f"Le PDF « {filename} » ne contient pas de texte exploitable (c’est peut-être un "
            "document scanné). Importez une version texte : PDF exporté depuis un traitement de "
            "texte, Markdown ou texte brut."
        )
    return text


def split_markdown(text: str) -> list[Section]:
    """Sections at ATX (`## Titre`) and Setext headings; fenced code is never a heading."""
    lines = strip_html(text).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    builder = _SectionBuilder()
    in_fence = False
    index = 0
    while index < len(lines):
        line = lines[index]
        if _FENCE.match(line):
            in_fence = not in_fence
        elif not in_fence:
            atx = _ATX_HEADING.match(line)
            if atx:
                builder.heading(len(atx.group(1)), _clean_heading(atx.group(2)))
                index += 1
                continue
            next_line = lines[index + 1] if index + 1 < len(lines) else ""
            underline = _SETEXT_UNDERLINE.match(next_line)
            if line.strip() and underline and not builder.previous_line_is_text():
                builder.heading(1 if underline.group(1)[0] == "=" else 2, _clean_heading(line))
                index += 2
                continue
        builder.text(line)
        index += 1
    return _without_document_title(builder.finish())


def split_plain_text(text: str) -> list[Section]:
    """Sections at numbered (« 2.1 Clauses sociales »), « Axe 2 : … » or UPPER-CASE headings;
    without any, each blank-line block becomes a section titled by its first words."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    headings = [_plain_heading_level(line) for line in lines]
    if not any(headings):
        return _blocks_as_sections(text)
    builder = _SectionBuilder()
    for line, level in zip(lines, headings):
        if level:
            builder.heading(level, _clean_heading(line.strip()))
        else:
            builder.text(line)
    return builder.finish()


def sections_to_entries(sections: list[Section], document_name: str) -> list[Entry]:
    """Entries of kind ORGANISATION, one per section chunk, quoted as « notre SPASER »."""
    entries: list[Entry] = []
    name = excerpt(document_name, MAX_NAME_CHARS)
    for section in sections:
        section_title = _bounded_title(section.heading_path)
        for part, chunk in enumerate(_chunks(section.text)):
            title = section_title if part == 0 else f"{section_title} (suite)"
            number = len(entries) + 1
            entries.append(
                Entry(
                    id=f"org-{number:03d}-{_slug(section.heading_path[-1])}",
                    title=title,
                    questions=(),
                    answer=chunk,
                    source=f"Notre SPASER ({name}), section « {title} »",
                    kind=EntryKind.ORGANISATION,
                )
            )
    return entries


def load_organisation_document(path: Path | str) -> list[Entry]:
    """Entries of the organisation's SPASER file, ready for `KnowledgeBase.replace_kind`."""
    return sections_to_entries(read_document(path), Path(path).name)


def organisation_entries_from_bytes(data: bytes, filename: str) -> list[Entry]:
    """Same as `load_organisation_document` for a file received in the chat."""
    return sections_to_entries(parse_document(data, filename), filename)


class _SectionBuilder:
    """Accumulates lines under the current heading path."""

    def __init__(self) -> None:
        self._path: list[tuple[int, str]] = []
        self._lines: list[str] = []
        self._sections: list[Section] = []

    def heading(self, level: int, title: str) -> None:
        self._flush()
        while self._path and self._path[-1][0] >= level:
            self._path.pop()
        self._path.append((level, title or "Sans titre"))

    def text(self, line: str) -> None:
        self._lines.append(line)

    def previous_line_is_text(self) -> bool:
        """A Setext underline makes a heading only of a line that starts a paragraph, so a
        « --- » rule under a paragraph stays a rule."""
        return bool(self._lines and self._lines[-1].strip())

    def finish(self) -> list[Section]:
        self._flush()
        return self._sections

    def _flush(self) -> None:
        body = "\n".join(self._lines).strip()
        self._lines = []
        if not body:
            return
        path = tuple(title for _, title in self._path) or (PREAMBLE_TITLE,)
        self._sections.append(Section(heading_path=path, text=re.sub(r"\n{3,}", "\n\n", body)))


def _without_document_title(sections: list[Section]) -> list[Section]:
    """Drop a heading every section shares (the document's « # Titre »), which would only
    lengthen every quoted title; the text right under it keeps it."""
    first = {section.heading_path[0] for section in sections}
    if len(first) != 1 or all(len(section.heading_path) == 1 for section in sections):
        return sections
    return [
        Section(section.heading_path[1:], section.text)
        if len(section.heading_path) > 1
        else section
        for section in sections
    ]


def _plain_heading_level(line: str) -> int:
    """Heading level of a plain-text line, 0 for body text."""
    stripped = line.strip()
    if not stripped or len(stripped) > 90 or stripped[-1] in ".;,":
        return 0
    numbered = _NUMBERED_HEADING.match(stripped)
    if numbered:
        number = re.sub(r"[^\d.]", "", numbered.group("number")).strip(".")
        return number.count(".") + 1 if number else 1
    if _KEYWORD_HEADING.match(stripped):
        return 1
    letters = [char for char in stripped if char.isalpha()]
    if len(letters) >= 4 and all(char.isupper() for char in letters) and " " in stripped:
        return 1
    return 0


def _blocks_as_sections(text: str) -> list[Section]:
    sections = []
    for block in re.split(r"\n\s*\n", text.strip()):
        body = block.strip()
        if body:
            words = body.split()
            title = " ".join(words[:8]) + (" …" if len(words) > 8 else "")
            sections.append(Section(heading_path=(title,), text=body))
    return sections


def _chunks(text: str) -> list[str]:
    """Paragraph-aligned pieces of at most MAX_SECTION_WORDS words."""
    pieces: list[str] = []
    for paragraph in re.split(r"\n\s*\n", text):
        pieces.extend(_split_long(paragraph.strip()))
    chunks: list[str] = []
    current: list[str] = []
    size = 0
    for piece in filter(None, pieces):
        words = len(piece.split())
        if current and size + words > MAX_SECTION_WORDS:
            chunks.append("\n\n".join(current))
            current, size = [], 0
        current.append(piece)
        size += words
    if current:
        chunks.append("\n\n".join(current))
    return chunks


def _split_long(paragraph: str) -> list[str]:
    """Cut an over-long paragraph at sentence ends, or at word counts when it has none."""
    if len(paragraph.split()) <= MAX_SECTION_WORDS:
        return [paragraph]
    pieces: list[str] = []
    for sentence in _SENTENCE_END.split(paragraph):
        words = sentence.split()
        for start in range(0, len(words), MAX_SECTION_WORDS):
            pieces.append(" ".join(words[start : start + MAX_SECTION_WORDS]))
    return pieces


def _decode_text(data: bytes, filename: str) -> str:
    if b"\x00" in data:
        raise DocumentError(f"Le fichier « {filename} » n’est pas un fichier texte.")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _decrypts_without_password(reader: PdfReader) -> bool:
    try:
        return bool(reader.decrypt(""))
    except Exception:  # unsupported encryption is the same as a password for the user
        return False


def _bounded_title(path: tuple[str, ...]) -> str:
    """The heading path, dropping the outermost parents first when it is too long."""
    parts = list(path)
    while len(parts) > 1 and len(HEADING_SEPARATOR.join(parts)) > MAX_TITLE_CHARS:
        parts.pop(0)
    return excerpt(HEADING_SEPARATOR.join(parts), MAX_TITLE_CHARS)


def _clean_heading(text: str) -> str:
    return " ".join(_MARKDOWN_EMPHASIS.sub("", text).split())


def _slug(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")
    return slug[:40].strip("-") or "section"
