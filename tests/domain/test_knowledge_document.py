"""The organisation's own SPASER: splitting, PDF extraction, error paths and quoting."""

import io
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from domain.knowledge import (
    DocumentError,
    EntryKind,
    KnowledgeBase,
    Section,
    format_answer,
    load_organisation_document,
    organisation_entries_from_bytes,
    parse_document,
    read_document,
    sections_to_entries,
)
from domain.knowledge.document import MAX_SECTION_WORDS, split_markdown, split_plain_text
from tests.paths import DATA

SAMPLE = DATA / "spaser-exemple.md"


def make_pdf(lines: list[str]) -> bytes:
    """A minimal one-page PDF with `lines` of Helvetica text (WinAnsi, so accents work)."""
    content = "BT /F1 11 Tf 14 TL 50 780 Td " + " ".join(
        "(" + line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ") Tj T*"
        for line in lines
    ) + " ET"
    stream = content.encode("cp1252")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    output = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(output))
        output += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(output)
    output += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    output += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    output += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(output)


PDF_LINES = [
    "SPASER 2025-2027 de Valmont",
    "1. Clauses sociales",
    "Une clause d'insertion figure dans tous les marchés de travaux.",
    "Objectif : 40 000 heures d'insertion par an.",
    "2. Gouvernance",
    "Le comité de pilotage se réunit deux fois par an avec les élus.",
]


@pytest.fixture()
def base_with_sample() -> KnowledgeBase:
    base = KnowledgeBase.from_directory()
    base.replace_kind(EntryKind.ORGANISATION, load_organisation_document(SAMPLE))
    return base


def test_markdown_is_split_at_headings_with_parent_titles() -> None:
    sections = read_document(SAMPLE)
    titles = [section.title for section in sections]
    assert titles[0].startswith("SPASER 2025-2027")  # the text under the document title
    assert "Axe 1 — Achats socialement responsables › Clauses sociales et d'insertion" in titles
    clauses = next(s for s in sections if s.heading_path[-1] == "Clauses sociales et d'insertion")
    assert "40 000 heures d'insertion" in clauses.text
    assert "Marchés réservés" not in clauses.text


def test_markdown_headings_inside_code_fences_and_setext_headings() -> None:
    text = (
        "Intro\n\nTitre A\n=======\n\ntexte A\n```\n# pas un titre\n```\n\nSous-titre\n---\n"
        "texte B\nsuite du paragraphe\n---\nfin"
    )
    sections = split_markdown(text)
    assert [s.heading_path for s in sections] == [
        ("Préambule",),
        ("Titre A",),
        ("Titre A", "Sous-titre"),  # « Titre A » is kept: the preamble does not share it
    ]
    assert "# pas un titre" in sections[1].text
    assert sections[2].text.endswith("suite du paragraphe\n---\nfin")  # a rule, not a heading


def test_plain_text_is_split_at_numbered_and_upper_case_headings() -> None:
    text = (
        "AXE SOCIAL\n\n1. Clauses sociales\nNous visons 30 % de marchés.\n"
        "30 fournisseurs locaux sont suivis.\n1.1 Insertion\n20 000 heures.\n"
        "2. Gouvernance\nDeux COPIL par an."
    )
    sections = split_plain_text(text)
    assert [s.heading_path for s in sections] == [
        ("1. Clauses sociales",),  # « AXE SOCIAL » has no text of its own
        ("1. Clauses sociales", "1.1 Insertion"),
        ("2. Gouvernance",),
    ]
    assert "30 fournisseurs locaux" in sections[0].text


def test_plain_text_without_headings_is_split_at_blank_lines() -> None:
    sections = split_plain_text("Premier bloc sur les clauses.\n\nSecond bloc sur le COPIL.")
    assert [s.text for s in sections] == [
        "Premier bloc sur les clauses.",
        "Second bloc sur le COPIL.",
    ]
    assert sections[0].title == "Premier bloc sur les clauses."


def test_long_sections_are_cut_into_chunks_at_paragraphs() -> None:
    paragraph = " ".join(["mot"] * 100)
    section = Section(heading_path=("Long",), text="\n\n".join([paragraph] * 5))
    entries = sections_to_entries([section], "doc.md")
    assert len(entries) == 3
    assert [e.title for e in entries] == ["Long", "Long (suite)", "Long (suite)"]
    assert all(len(e.answer.split()) <= MAX_SECTION_WORDS for e in entries)


def test_long_heading_paths_and_file_names_are_bounded_for_storage() -> None:
    path = tuple(f"Niveau {level} " + "x" * 60 for level in range(6))
    entries = sections_to_entries([Section(heading_path=path, text="texte")], "n" * 300 + ".md")
    assert entries[0].title.startswith("Niveau 4")  # outer parents dropped first
    assert len(entries[0].title) <= 200
    assert len(entries[0].source) <= 500


def test_sections_become_organisation_entries_naming_the_document() -> None:
    entries = load_organisation_document(SAMPLE)
    assert all(entry.kind is EntryKind.ORGANISATION for entry in entries)
    assert len({entry.id for entry in entries}) == len(entries)
    assert entries[1].source.startswith("Notre SPASER (spaser-exemple.md), section « ")


def test_pdf_text_is_extracted_and_split() -> None:
    sections = parse_document(make_pdf(PDF_LINES), "spaser.pdf")
    assert [s.heading_path[-1] for s in sections] == [
        "Préambule",
        "1. Clauses sociales",
        "2. Gouvernance",
    ]
    assert sections[0].text == "SPASER 2025-2027 de Valmont"
    assert "40 000 heures d'insertion" in sections[1].text
    assert "marchés" in sections[1].text  # WinAnsi accents survive


def test_a_file_that_is_not_a_pdf_is_refused_in_french() -> None:
    with pytest.raises(DocumentError, match="n’est pas un PDF valide"):
        parse_document(b"Bonjour, ceci est un courriel.", "spaser.pdf")


def test_a_damaged_pdf_is_refused_in_french() -> None:
    with pytest.raises(DocumentError, match="illisible ou endommagé"):
        parse_document(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> garbage", "spaser.pdf")


def test_a_pdf_without_text_is_refused_with_the_scan_hint(tmp_path: Path) -> None:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    path = tmp_path / "scan.pdf"
    with path.open("wb") as file:
        writer.write(file)
    with pytest.raises(DocumentError, match="pas de texte exploitable.*scanné"):
        read_document(path)


def test_a_password_protected_pdf_is_refused_in_french(tmp_path: Path) -> None:
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(make_pdf(PDF_LINES))))
    writer.encrypt(user_password="secret", algorithm="RC4-128")
    path = tmp_path / "protege.pdf"
    with path.open("wb") as file:
        writer.write(file)
    with pytest.raises(DocumentError, match="protégé par un mot de passe"):
        read_document(path)


@pytest.mark.parametrize(
    ("data", "filename", "message_part"),
    [
        (b"texte", "spaser.docx", "Format non pris en charge"),
        (b"  \n ", "spaser.md", "est vide"),
        (b"\x00\x01binaire", "spaser.txt", "n’est pas un fichier texte"),
        (b"<p></p>", "spaser.md", "aucun texte exploitable"),
    ],
)
def test_bad_documents_are_refused_in_french(data: bytes, filename: str, message_part: str) -> None:
    with pytest.raises(DocumentError, match=message_part):
        parse_document(data, filename)


def test_missing_file_is_reported_in_french(tmp_path: Path) -> None:
    with pytest.raises(DocumentError, match="introuvable"):
        read_document(tmp_path / "absent.md")


def test_windows_encoded_text_is_read() -> None:
    sections = parse_document("1. Données\nÉlus associés.".encode("cp1252"), "spaser.txt")
    assert sections[0].text == "Élus associés."


def test_own_spaser_question_is_answered_with_the_section_quoted(
    base_with_sample: KnowledgeBase,
) -> None:
    answer = base_with_sample.answer("Que dit notre SPASER sur les clauses sociales ?")
    assert answer.entry.kind is EntryKind.ORGANISATION
    assert answer.entry.title.endswith("Clauses sociales et d'insertion")
    text = format_answer(answer)
    assert text.startswith("Votre SPASER, section « ")
    assert "> Nous intégrons une clause d'insertion" in text


@pytest.mark.parametrize(
    ("question", "section_end"),
    [
        ("combien de COPIL par an dans notre spaser ?", "Comitologie"),
        ("chez nous, quel objectif pour la restauration scolaire ?", "Alimentation"),
        ("notre spaser prévoit quoi pour les PME ?", "Économie locale et accès des PME"),
    ],
)
def test_own_spaser_questions_reach_the_right_section(
    base_with_sample: KnowledgeBase, question: str, section_end: str
) -> None:
    assert base_with_sample.answer(question).entry.title.endswith(section_end)


def test_general_questions_still_get_the_general_answer(base_with_sample: KnowledgeBase) -> None:
    answer = base_with_sample.answer("c'est quoi une clause d'insertion ?")
    assert answer.entry.id == "clause-sociale"
    assert any(entry.kind is EntryKind.ORGANISATION for entry in answer.related)


def test_reimporting_replaces_the_previous_version(base_with_sample: KnowledgeBase) -> None:
    new_version = organisation_entries_from_bytes(make_pdf(PDF_LINES), "spaser-v2.pdf")
    base_with_sample.replace_kind(EntryKind.ORGANISATION, new_version)
    organisation = base_with_sample.entries(EntryKind.ORGANISATION)
    assert organisation == tuple(new_version)
    answer = base_with_sample.answer("Que dit notre SPASER sur les clauses sociales ?")
    assert "spaser-v2.pdf" in answer.entry.source


def test_a_failed_import_leaves_the_previous_version_in_place(
    base_with_sample: KnowledgeBase,
) -> None:
    before = base_with_sample.entries(EntryKind.ORGANISATION)
    with pytest.raises(DocumentError):
        base_with_sample.replace_kind(
            EntryKind.ORGANISATION, organisation_entries_from_bytes(b"pas un pdf", "v3.pdf")
        )
    assert base_with_sample.entries(EntryKind.ORGANISATION) == before
