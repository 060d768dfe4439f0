"""Issue 17, leftovers: the overview line says its counts in the order of the counters (the most
serious first), the report never breaks an indicator's code across lines, and the note under a value
computed from the DECP says on how many contracts."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from openpyxl import load_workbook
from pypdf import PdfReader

from domain.indicators.sources import SourceKind, ValueSource
from domain.outbox import Seen
from domain.summary.card import summary_card_content, summary_detail_card_content
from domain.summary.exports import values_csv, values_xlsx
from domain.summary.indicator_wording import legal_notes
from domain.summary.model import STATUS_ORDER, ReportedValue, Status
from domain.summary.report import report_html
from domain.summary.report_pdf import report_pdf
from domain.summary.wording import (
    NOT_SENT_AGAIN_CLAUSE,
    not_sent_again_text,
    overview_text,
    preview_text,
    status_count_label,
)
from tests.domain.test_summary_legal_limit import egalim, payment_delay
from tests.domain.test_summary_legal_limit import summary as legal_summary
from tests.domain.test_summary_reader9_truth import pdf_text, plain, snapshot, summary
from tests.summary_support import find_elements, texts_in


def _every_status_but_the_law():
    return summary(
        snapshot("L", [("2025", "DCP", 0), ("2026", "DCP", 1)]),  # late
        snapshot("A", [("2025", "DCP", 10)]),  # 2026 due: not reported
        snapshot("B", [("2025", "DCP", 0), ("2026", "DCP", 90)]),  # on track
        snapshot("R", [("2026", "DCP", 100)]),  # achieved
        snapshot("D", [("2026", "DCP", 5)], target=None),  # without target
    )


def _tile_labels(card: dict) -> list[str]:
    """The labels under the counters, left to right (the first ColumnSet whose columns are counts)."""
    for column_set in find_elements(card, "ColumnSet"):
        columns = column_set["columns"]
        if all(column["items"][0]["text"].lstrip("⚠✓ ").isdigit() for column in columns):
            return [plain(column["items"][1]["text"]) for column in columns]
    raise AssertionError("no counters on the card")


def test_the_overview_line_says_the_counts_in_the_order_of_the_counters():
    """« 5 indicateurs : 1 en retard, 2 atteints ou en bonne voie, 1 non renseigné… » under counters
    that read « en retard, non renseigné, en bonne voie, atteint »: one order for both."""
    shown = _every_status_but_the_law()
    assert {line.status for line in shown.lines} == set(STATUS_ORDER) - {Status.OUTSIDE_LEGAL_LIMIT}
    expected = "Cinq indicateurs : 1 en retard, 1 non renseigné, 2 en bonne voie ou atteints et 1 sans cible."
    assert plain(overview_text(shown)) == expected
    assert plain(preview_text(shown)) == expected.replace("Cinq indicateurs :", "5 indicateurs, dont")
    card = summary_card_content(shown)
    tiles = _tile_labels(card)
    assert tiles == [status_count_label(status, 1) for status in STATUS_ORDER if status is not Status.OUTSIDE_LEGAL_LIMIT]
    # Every tile's word comes in the overview in the tiles' order, on the card, the HTML and the PDF report.
    for where, text in {"card": expected, "html": plain(report_html(shown).decode("utf-8")), "pdf": pdf_text(shown)}.items():
        line = text[text.index("Cinq indicateurs :"):]
        line = line[: line.index(".") + 1]
        positions = [line.index(f" {label.rstrip('s')}") for label in tiles]
        assert positions == sorted(positions), (where, line)


def test_the_report_never_breaks_an_indicator_code_at_its_hyphen_and_the_exports_keep_plain_codes():
    """« (IND- / 09 : 42 % pour un minimum légal de 50 %) » in a narrow browser window: the HTML and the
    PDF report write « IND‑09 » with a non-breaking hyphen, as they write « R. 2192‑10 » and as the card
    does; the CSV and XLSX keep « IND-09 », the code people filter on."""
    shown = legal_summary(egalim(42), payment_delay(38))
    html = report_html(shown).decode("utf-8")
    text = re.sub(r"<[^>]+>", " ", html)
    assert "IND-" not in text and "(IND\u201109" in text and "R.\u00a02192\u201110" in text
    assert "<b>IND\u201109</b>" in html
    pdf = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(report_pdf(shown))).pages)
    assert "IND-" not in pdf and "IND\u201109" in pdf and "IND\u201111" in pdf
    assert "IND-09;" in values_csv(shown).decode("utf-8-sig") and "IND\u2011" not in values_csv(shown).decode("utf-8-sig")
    sheets = load_workbook(io.BytesIO(values_xlsx(shown)), read_only=True)
    codes = {cell for sheet in sheets for row in sheet.iter_rows(values_only=True) for cell in row
             if isinstance(cell, str) and cell.startswith("IND")}
    assert codes == {"IND-09", "IND-11"}


def test_the_lead_is_told_who_consulted_the_summary_and_who_was_sent_it_never_that_it_was_read():
    """What `summary_shown` records is that the summary was shown to the person at their request or sent to
    them by a digest, not that it was read (« a déjà lu » would claim what nobody knows). Reader 12, A5:
    « avait déjà été envoyée à Adele Vance » when she had asked for it in chat; reader 14, B3: « a déjà
    reçu » for the same, while the log counted no summary delivered: consulted and received told apart."""
    asked = datetime(2026, 12, 6, 18, 42, tzinfo=UTC)  # 19 h 42 in Paris
    sent = datetime(2026, 12, 6, 8, 0, tzinfo=UTC)
    one = plain(not_sent_again_text([Seen("Adele Vance", asked, requested=True)], "Europe/Paris"))
    both = plain(not_sent_again_text(
        [Seen("Marc Lefèvre", sent, requested=False), Seen("Adele Vance", asked, requested=True),
         Seen("Hélène Dubois", asked + timedelta(minutes=5), requested=True)], "Europe/Paris"))
    before = plain(not_sent_again_text([Seen("Marc Lefèvre")]))  # a row stored before the difference was kept

    assert one == "Adele Vance a déjà consulté la synthèse aujourd’hui (à 19 h 42) : je ne la lui ai pas renvoyée."
    assert both == (
        "Adele Vance (à 19 h 42) et Hélène Dubois (à 19 h 47) ont déjà consulté la synthèse aujourd’hui : je ne la "
        "leur ai pas renvoyée. Marc Lefèvre a déjà reçu la synthèse aujourd’hui (à 9 h 00) : je ne la lui ai pas renvoyée."
    )
    assert before == "Marc Lefèvre a déjà reçu ou consulté la synthèse aujourd’hui : je ne la lui ai pas renvoyée."
    assert " lu " not in f"{one} {both}"
    assert plain(NOT_SENT_AGAIN_CLAUSE) == "sauf celles et ceux qui l’auront déjà reçue ou consultée le jour même"


def _environmental_share(source: ValueSource | None, value=87.6):
    return replace(
        snapshot("IND-25", [("2025", "DCP", 80), ReportedValue("2026", "DCP", Decimal(str(value)), "", source)]),
        label="Part des marchés notifiés avec une considération environnementale, en montant",
        legal_note="obligatoire pour les marchés dont la consultation a été engagée à compter du 21 août 2026",
    )


def test_a_share_computed_from_the_decp_says_on_how_many_contracts():
    """« La part de 87,6 % porte sur tous les marchés notifiés » did not say how many: 3 contracts or 300
    weigh differently before a committee. The import records it; the note under the value says it."""
    computed = ValueSource(SourceKind.DECP_IMPORT, "decp.json", 7, contracts=42)
    shown = summary(_environmental_share(computed))
    (line,) = shown.lines
    assert line.computed_contracts == 42
    expected = ("La part de 87,6 % porte sur les 42 marchés notifiés recensés dans les DECP, y compris ceux dont la "
                "consultation a été engagée avant le 21 août 2026.")
    assert expected in [plain(note) for note in legal_notes(line)]
    assert expected in plain(texts_in(summary_detail_card_content(shown)))
    assert expected in plain(re.sub(r"<[^>]+>", " ", report_html(shown).decode("utf-8")))
    one = ValueSource(SourceKind.DECP_IMPORT, "decp.json", 7, contracts=1)
    assert plain(legal_notes(summary(_environmental_share(one, 100)).lines[0])[-1]) == (
        "La part de 100 % porte sur 1 marché notifié recensé dans les DECP, que sa consultation ait été engagée avant "
        "ou après le 21 août 2026."
    )
    # Reader 12, A6: a share in amount without an obligation (IND-24) says its base too, in the same
    # words, and none reads as a share in number (« est calculée sur 52 marchés »).
    social = replace(_environmental_share(computed, 35.2), code="IND-24", legal_note="",
                     label="Part des marchés notifiés avec une considération sociale, en montant")
    (line,) = summary(social).lines
    assert [plain(note) for note in legal_notes(line)] == ["La part de 35,2 % porte sur les 42 marchés notifiés recensés dans les DECP."]
    # Computed before the count was recorded: the note says what it knows.
    (line,) = summary(_environmental_share(ValueSource(SourceKind.DECP_IMPORT, "decp.json", 7))).lines
    assert line.computed_contracts is None
    assert plain(legal_notes(line)[-1]) == (
        "La part de 87,6 % porte sur tous les marchés notifiés, y compris ceux dont la consultation a été engagée "
        "avant le 21 août 2026."
    )
    # Typed: the directorate's value, for its period (reader 14, minor 2: « porte sur tous les marchés
    # notifiés » read as the same contracts as the DECP's share).
    (line,) = summary(_environmental_share(None)).lines
    assert plain(legal_notes(line)[-1]) == (
        "Valeur saisie par la direction DCP pour ses marchés notifiés en 2026, y compris ceux dont la "
        "consultation a été engagée avant le 21 août 2026."
    )
