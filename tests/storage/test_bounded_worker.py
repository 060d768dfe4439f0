"""Untrusted files are worked on in a child process bounded in time and memory; a document past a
SPASER's size (pages, text, sections) is refused in French and nothing is imported."""

from __future__ import annotations

import io
import time

import pytest
from fpdf import FPDF

from domain.knowledge.document import MAX_PDF_PAGES, MAX_SECTIONS, organisation_entries_from_bytes
from domain.knowledge.errors import DocumentError
from storage.bounded_worker import WorkerLimitExceeded, run_bounded


async def test_work_past_its_deadline_is_stopped_with_a_french_refusal():
    with pytest.raises(WorkerLimitExceeded, match="plus de travail que prévu \\(1\u00a0seconde\\)"):
        await run_bounded(time.sleep, 30, seconds=1, what="Ce document")


async def test_work_past_its_memory_is_stopped_with_a_french_refusal():
    with pytest.raises(WorkerLimitExceeded, match="mémoire"):
        await run_bounded(bytearray, 2 * 1024**3, memory_bytes=512 * 1024**2)


async def test_a_result_and_an_error_come_back_from_the_worker():
    entries = await run_bounded(organisation_entries_from_bytes, b"# Axe 1\nDes clauses sociales.\n", "s.md")
    assert [entry.title for entry in entries] == ["Axe 1"]
    with pytest.raises(DocumentError, match="vide"):
        await run_bounded(organisation_entries_from_bytes, b"   ", "s.md")


def many_pages(count: int) -> bytes:
    pdf = FPDF()
    pdf.set_font("helvetica", size=12)
    for number in range(count):
        pdf.add_page()
        pdf.cell(text=f"Page {number} du schema de promotion des achats responsables")
    return bytes(pdf.output())


async def test_a_pdf_of_too_many_pages_is_refused_without_being_read():
    with pytest.raises(DocumentError, match=f"plus de {MAX_PDF_PAGES} pages"):
        await run_bounded(organisation_entries_from_bytes, many_pages(MAX_PDF_PAGES + 1), "bombe.pdf")


async def test_a_document_of_too_many_sections_is_refused():
    headings = "".join(f"# Titre {n}\nTexte {n}.\n" for n in range(MAX_SECTIONS + 5)).encode()
    with pytest.raises(DocumentError, match=f"plus de {MAX_SECTIONS} sections"):
        await run_bounded(organisation_entries_from_bytes, headings, "bombe.md")


def compressed_text_bomb() -> bytes:
    """A few hundred kilobytes whose one page decompresses to about 120 MB of text."""
    pdf = FPDF()
    pdf.set_font("helvetica", size=8)
    pdf.add_page()
    pdf.cell(text="Schéma de promotion des achats responsables")
    page = bytes(pdf.output())
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import DecodedStreamObject, NameObject

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(page)))
    stream = DecodedStreamObject()
    stream.set_data(b"BT /F1 8 Tf 10 10 Td (# Titre de section pour gonfler le texte) Tj ET\n" * 1_500_000)
    writer.pages[0][NameObject("/Contents")] = writer._add_object(stream.flate_encode(level=9))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


async def test_a_pdf_whose_text_decompresses_past_the_limits_is_refused_at_once():
    """A 131 KB PDF took 105–160 s of CPU and 1.66 GB and imported 240,000 sections."""
    bomb = compressed_text_bomb()
    assert len(bomb) < 1024**2
    with pytest.raises(DocumentError, match="trop gros pour un SPASER"):
        await run_bounded(organisation_entries_from_bytes, bomb, "bombe.pdf")
