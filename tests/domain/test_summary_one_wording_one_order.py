"""Issue 17, a careful reader of the demo's COPIL report and compact card: one wording for a target,
one order for the directorates, every target on the card, the committees planned the day of the
report, and a report whose columns and chart marks neither wrap absurdly nor overlap."""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime
from decimal import Decimal

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from pypdf import PdfReader

from domain.committees.cadence import check_cadence, default_committee_types
from domain.indicators.catalogue import Axis, ImprovementDirection
from domain.indicators.legal_limits import LegalLimit
from domain.indicators.periods import Frequency
from domain.indicators.units import Unit
from domain.summary.attention import attention_points, cadence_alerts
from domain.summary.card import summary_card_content, summary_detail_card_content
from domain.summary.chart import LEGAL_HEX, WIDE, _draw_progress, _progress_labels, _progress_rows
from domain.summary.compute import compute_summary
from domain.summary.model import DirectorateInfo, IndicatorSnapshot, Status, UpcomingMeeting
from domain.summary.report import directorate_rows, report_html
from domain.summary.report_pdf import report_pdf
from domain.summary.scope import Scope
from tests.summary_support import texts_in

EVERYONE = Scope.everything()
PAYMENT = LegalLimit(Decimal(30), "code de la commande publique, art. R. 2192-10", ImprovementDirection.DOWN)
EGALIM = LegalLimit(Decimal(50), "loi EGalim", ImprovementDirection.UP)


def plain(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").replace("\u2011", "-").split())


def snapshot(code, label, unit, values, **fields) -> IndicatorSnapshot:
    defaults = {"axis": Axis.GOVERNANCE, "frequency": Frequency.ANNUAL, "directorates": ("DCP",),
                "direction": ImprovementDirection.UP}
    return IndicatorSnapshot(code=code, label=label, unit=unit, values=tuple(values), **{**defaults, **fields})


def committees(target_year=2026) -> IndicatorSnapshot:
    """IND-14 as in the demo: technical committees held, a target of 4 in 2026, late in 2025."""
    return snapshot("IND-14", "Comités techniques SPASER tenus dans l’année", Unit.COUNT,
                    [("2023", "DCP", 2), ("2024", "DCP", 2), ("2025", "DCP", 2)], baseline=Decimal(2),
                    target=Decimal(4), target_year=target_year, counted_noun="comité technique")


def everything_read(summary) -> dict[str, str]:
    return {
        "card": plain(texts_in(summary_card_content(summary))),
        "detail": plain(texts_in(summary_detail_card_content(summary))),
        "html": plain(re.sub(r"<[^>]+>", " ", report_html(summary).decode("utf-8"))),
        "pdf": plain(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(report_pdf(summary))).pages)),
    }


def test_1_a_target_reads_the_same_on_the_card_in_the_report_and_in_the_committees_alert():
    """« 4 par an » on the card, « 4 comités techniques » in the report: two targets to a reader."""
    shown = compute_summary([committees()], [DirectorateInfo("DCP", "Commande publique")], date(2026, 3, 1), scope=EVERYONE)
    (line,) = shown.lines
    assert line.status is Status.LATE
    for where, text in everything_read(shown).items():
        assert "4 comités techniques en 2026" in text, where
        assert "par an en" not in text and "4 par an" not in text, where
    # The cadence alert quotes the same target when it applies to the year counted.
    types = default_committee_types()
    warnings = [warning for kind in types for warning in check_cadence(types[kind], [], date(2026, 3, 1))]
    same_year = compute_summary([committees(target_year=2025)], [DirectorateInfo("DCP", "Commande publique")],
                                date(2026, 3, 1), scope=EVERYONE, cadence_warnings=warnings)
    (alert,) = [plain(alert) for alert in cadence_alerts(same_year) if alert.startswith("Comité technique")]
    assert alert.endswith("2 réunions tenues en 2025 (indicateur IND-14), pour une cible de 4 comités techniques en "
                          "2025 fixée par le SPASER.")


def test_2_the_directorates_come_in_one_order_in_every_list_of_the_report_and_the_card():
    """By the name the report prints, collated (« ressources humaines » before « restauration collective »),
    those with indicators still to enter first: « Directions en attente » went by share entered, the
    table by name, the card's « sont à jour » by code."""
    directorates = [DirectorateInfo("DCP", "Direction de la commande publique"),
                    DirectorateInfo("DEE", "Direction de l’environnement et de l’énergie"),
                    DirectorateInfo("DRC", "Direction de la restauration collective"),
                    DirectorateInfo("DRH", "Direction des ressources humaines")]
    hours = [snapshot(f"IND-0{n}", f"Indicateur {n}", Unit.HOURS, [("2025", code, 10) for code in reported],
                      directorates=owners, baseline=Decimal(1), target=Decimal(100), target_year=2030)
             for n, owners, reported in [(1, ("DCP", "DRC", "DRH"), ("DCP", "DRC", "DRH")),
                                         (2, ("DCP", "DEE", "DRC", "DRH"), ("DRC", "DRH"))]]
    shown = compute_summary(hours, directorates, date(2026, 3, 1), scope=EVERYONE)
    # DEE has 0 of 1 entered, DCP 1 of 2: by share, DEE came first in « Directions en attente ».
    assert [row.directorate.code for row in shown.completeness] == ["DCP", "DEE", "DRH", "DRC"]
    assert [row.directorate.code for row in attention_points(shown).directorates_behind] == ["DCP", "DEE"]
    assert [row.directorate.code for row in directorate_rows(shown)] == ["DCP", "DEE", "DRH", "DRC"]
    read = everything_read(shown)
    assert "Les directions DRH et DRC sont à jour." in read["detail"]
    assert "il manque les directions DCP (IND-02, année 2025) et DEE (IND-02, année 2025)" in read["card"]
    html = read["html"]
    assert html.index("Direction de la commande publique (DCP) : 1 indicateur saisi sur 2") < html.index(
        "Direction de l’environnement et de l’énergie (DEE) : 0 indicateur saisi sur 1")


def payment_delay(values, frequency=Frequency.QUARTERLY) -> IndicatorSnapshot:
    """IND-11 as in the demo: a target of 30 days in 2027, the legal maximum of 30 days."""
    return snapshot("IND-11", "Délai global de paiement des fournisseurs", Unit.DAYS, values, frequency=frequency,
                    axis=Axis.RESPONSIBLE_ECONOMY, direction=ImprovementDirection.DOWN, baseline=Decimal("34.5"),
                    target=Decimal(30), target_year=2027, legal_limit=PAYMENT)


def test_3_the_compact_card_gives_ind_11_s_target_like_the_others():
    values = [("2025-T4", "DCP", Decimal("34.1")), ("2026-T1", "DCP", Decimal("33.4")), ("2026-T2", "DCP", Decimal("32.7"))]
    stale = compute_summary([payment_delay(values)], ["DCP"], date(2026, 12, 6), scope=EVERYONE)  # 2026-T3 is due
    assert stale.lines[0].status is Status.OUTSIDE_LEGAL_LIMIT and stale.lines[0].is_stale
    card = plain(texts_in(summary_card_content(stale)))
    assert ("Dernière valeur : 32,7 jours au 2ᵉ trimestre 2026, au-dessus du maximum légal de 30 jours (code de la "
            "commande publique, art. R. 2192-10) ; le 3ᵉ trimestre 2026 reste à saisir · cible : 30 jours en 2027") in card
    # Reported for the period due, the target equal to the limit is said too.
    current = compute_summary([payment_delay([*values, ("2026-T3", "DCP", Decimal("32.5"))])], ["DCP"],
                              date(2026, 12, 6), scope=EVERYONE)
    assert ("32,5 jours au 3ᵉ trimestre 2026, au-dessus du maximum légal de 30 jours (code de la commande publique, "
            "art. R. 2192-10) · cible : 30 jours en 2027"
            in plain(texts_in(summary_card_content(current))))


def test_4_a_meeting_at_half_past_midnight_is_on_its_own_day():
    """Counted in Paris, as the cadence check counts it: 23 h 30 UTC the day before is today."""
    meeting = UpcomingMeeting("Comité de pilotage", datetime(2026, 12, 5, 23, 30, tzinfo=UTC))
    shown = compute_summary([committees()], ["DCP"], date(2026, 12, 6), scope=EVERYONE, next_meetings=[meeting])
    assert shown.next_meetings == (meeting,)
    assert "Aucune réunion de comité n’est planifiée" not in everything_read(shown)["html"]


def test_5_the_report_s_status_column_holds_a_short_badge_and_the_law_is_in_the_target_column():
    """« Dernière valeur connue non conforme (code de la commande publique, art. R. 2192-10) » wrapped on
    six lines of the PDF's status column, and ran the HTML table past the page's width."""
    values = [("2025-T4", "DCP", Decimal("34.1")), ("2026-T2", "DCP", Decimal("32.7"))]
    meals = snapshot("IND-09", "Part des produits durables", Unit.PERCENT, [("2025", "DRC", 38), ("2026", "DRC", 42)],
                     directorates=("DRC",), baseline=Decimal(38), target=Decimal(60), target_year=2030, legal_limit=EGALIM)
    shown = compute_summary([payment_delay(values), meals], ["DCP", "DRC"], date(2027, 1, 6), scope=EVERYONE)
    html = report_html(shown).decode("utf-8")
    cells = re.findall(r'<td class="status"[^>]*>(.*?)</td>', html)
    badges = [plain(re.sub(r"<[^>]+>", " ", cell.split("<br>")[0])) for cell in cells]
    assert sorted(badges) == ["Non conforme", "Non conforme"]
    assert any("(dernière valeur)" in cell for cell in cells)
    text = everything_read(shown)
    for where in ("html", "pdf"):
        assert "maximum légal : 30 jours (code de la commande publique, art. R. 2192-10) ; cible : 30 jours en 2027" in text[where]
        assert "minimum légal : 50 % (loi EGalim, en vigueur depuis le 1er janvier 2022) ; cible : 60 % en 2030" in text[where]
        assert "Dernière valeur connue non conforme" not in text[where], where
    # The card's badge is short too, the law in its line (reader 15).
    assert "⚠ Dernière valeur connue non conforme\n" in text["detail"] or "⚠ Dernière valeur connue non conforme " in text["detail"]
    assert "au-dessus du maximum légal de 30 jours (code de la commande publique, art. R. 2192-10)" in text["detail"]


def _drawn(summary):
    figure = Figure(figsize=(WIDE.width_inches, 3))
    axes = figure.add_axes((0.4, 0.3, 0.55, 0.6))
    rows = _progress_rows(summary)
    _draw_progress(axes, rows, _progress_labels(rows, WIDE), WIDE)
    FigureCanvasAgg(figure).draw()
    return figure, axes


def test_5_a_value_label_short_of_the_legal_mark_never_covers_the_expected_tick():
    """IND-09 in the demo: « 48,7 % » moved into its bar's end, before the legal mark, over the tick."""
    meals = snapshot("IND-09", "Part des produits durables", Unit.PERCENT,
                     [("2025", "DRC", 40), ("2026", "DRC", Decimal("48.7"))], directorates=("DRC",),
                     axis=Axis.ENVIRONMENTAL, baseline=Decimal(40), target=Decimal(60), target_year=2028, legal_limit=EGALIM)
    shown = compute_summary([meals], ["DRC"], date(2027, 3, 1), scope=EVERYONE)
    (line,) = shown.lines
    assert line.status is Status.OUTSIDE_LEGAL_LIMIT and line.expected_progress_percent < line.progress_percent
    figure, axes = _drawn(shown)
    label = next(text for text in axes.texts if plain(text.get_text()) == "48,7 %")
    box = label.get_bbox_patch().get_window_extent(figure.canvas.get_renderer())
    left, right = (axes.transData.inverted().transform((x, 0))[0] for x in (box.x0, box.x1))
    assert not left <= line.expected_progress_percent <= right, (left, line.expected_progress_percent, right)
    assert right < 50 / 60 * 100 and right <= line.progress_percent  # before the legal mark, on the bar


def test_5_a_legal_mark_on_the_target_line_is_drawn_above_it():
    """A payment delay whose target is the legal maximum: the dotted mark at 100 % sat under the dashed line."""
    shown = compute_summary([payment_delay([("2025", "DCP", Decimal("34.5")), ("2026", "DCP", Decimal("32.5"))],
                                           frequency=Frequency.ANNUAL)], ["DCP"], date(2027, 3, 1), scope=EVERYONE)
    _figure, axes = _drawn(shown)
    legal = [mark for mark in axes.lines if mark.get_color() == LEGAL_HEX]
    target = [mark for mark in axes.lines if mark.get_color() != LEGAL_HEX and list(mark.get_xdata()) == [100, 100]]
    assert [list(mark.get_xdata()) for mark in legal] == [[100.0, 100.0]] and target
    assert legal[0].get_zorder() > target[0].get_zorder()
