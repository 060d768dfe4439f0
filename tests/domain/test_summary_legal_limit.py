"""A value below a legal minimum (loi EGalim: 50 % of sustainable and quality products) or above a
legal maximum (30 days of payment delay, code de la commande publique art. R. 2192-10) never reads
« en bonne voie », however well it follows its trajectory: the card, the report and the PDF say
which law it breaks."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from pypdf import PdfReader

from domain.indicators.catalogue import Axis, ImprovementDirection, InvalidCatalogueRow, build_catalogue_row
from domain.indicators.legal_limits import LegalLimit
from domain.indicators.periods import Frequency
from domain.indicators.units import Unit
from domain.summary.answers import late_answer
from domain.summary.attention import attention_points
from domain.summary.card import summary_card_content, summary_detail_card_content
from domain.summary.compute import compute_summary
from domain.summary.indicator_wording import detail_text, judged_text
from domain.summary.model import DirectorateInfo, IndicatorSnapshot, Status
from domain.summary.report import report_html
from domain.summary.report_pdf import report_pdf
from domain.summary.scope import Scope
from domain.summary.wording import headline_text, line_status_title, overview_text, status_count_label
from domain.text import unbroken_codes
from tests.catalogue_support import VALID_FIELDS
from tests.summary_support import find_elements, texts_in

TODAY = date(2027, 3, 1)  # 2026 is due
DIRECTORATES = [DirectorateInfo("DRC", "Restauration collective"), DirectorateInfo("DCP", "Commande publique")]
EGALIM = LegalLimit(Decimal(50), "loi EGalim", ImprovementDirection.UP)
PAYMENT = LegalLimit(Decimal(30), "code de la commande publique, art. R. 2192-10", ImprovementDirection.DOWN)


def egalim(latest: int, *, limit: LegalLimit | None = EGALIM) -> IndicatorSnapshot:
    """On its trajectory: from 30 % at the end of 2025 to 60 % at the end of 2030, 36 % expected for 2026."""
    return IndicatorSnapshot(
        code="IND-09", label="Part des produits durables et de qualité dans la restauration collective",
        axis=Axis.ENVIRONMENTAL, unit=Unit.PERCENT, frequency=Frequency.ANNUAL, directorates=("DRC",),
        direction=ImprovementDirection.UP, baseline=Decimal(30), target=Decimal(60), target_year=2030,
        values=(("2025", "DRC", 30), ("2026", "DRC", latest)), legal_limit=limit,
    )


def payment_delay(latest: int) -> IndicatorSnapshot:
    """On its trajectory down: from 45 days to 25 days in 2030, 41 days expected for 2026."""
    return IndicatorSnapshot(
        code="IND-11", label="Délai global de paiement des fournisseurs", axis=Axis.RESPONSIBLE_ECONOMY,
        unit=Unit.DAYS, frequency=Frequency.ANNUAL, directorates=("DCP",), direction=ImprovementDirection.DOWN,
        baseline=Decimal(45), target=Decimal(25), target_year=2030,
        values=(("2025", "DCP", 45), ("2026", "DCP", latest)), legal_limit=PAYMENT,
    )


def summary(*indicators: IndicatorSnapshot):
    return compute_summary(indicators, DIRECTORATES, TODAY, scope=Scope.everything())


def plain(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").replace("\u2011", "-").split())


def read(shown) -> dict[str, str]:
    """What officials read: the compact and the detail card, the HTML report and the PDF."""
    pdf = PdfReader(io.BytesIO(report_pdf(shown)))
    return {
        "card": plain(texts_in(summary_card_content(shown))),
        "detail": plain(texts_in(summary_detail_card_content(shown))),
        "html": plain(re.sub(r"<[^>]+>", " ", report_html(shown).decode("utf-8"))),
        "pdf": plain(" ".join(page.extract_text() for page in pdf.pages)),
    }


def test_42_percent_on_its_trajectory_reads_below_the_egalim_minimum_not_on_track():
    without_law = summary(egalim(42, limit=None)).lines[0]
    assert without_law.status is Status.ON_TRACK  # the trajectory alone calls it on track
    shown = summary(egalim(42))
    [line] = shown.lines
    assert line.status is Status.OUTSIDE_LEGAL_LIMIT
    # Reader 10, A1: a short badge, the limit in the line next to it.
    assert plain(line_status_title(line)) == "Non conforme"  # the law in the line next to it (reader 15)
    for where, text in read(shown).items():
        assert "sous le minimum légal de 50 %" in text.lower() or "minimum légal de 50 %" in text.lower(), where
        assert "non conforme" in text.lower(), where
        # « en bonne voie » only as the heading of an empty count (« 0 en bonne voie ») and in the rules
        # (the report's « Règles de lecture », the detail card's footnote).
        read_before_rules = text.lower().split("règles de lecture")[0].split("en bonne voie : au moins")[0]
        assert read_before_rules.count("en bonne voie") == read_before_rules.count("0 en bonne voie"), where
    assert plain(headline_text(shown)) == "Un indicateur non conforme à la loi."


def test_the_report_puts_it_first_among_the_points_of_attention_with_a_decision():
    shown = summary(egalim(42))
    points = attention_points(shown)
    assert points.outside_law == shown.lines and points.indicators[0] is shown.lines[0]
    decisions = [plain(decision) for decision in points.decisions]
    assert decisions[0].startswith(
        "Se mettre en conformité avec la loi : part des produits durables et de qualité dans la restauration "
        "collective (IND-09 : 42 % pour un minimum légal de 50 %)."
    )
    first_page = plain(PdfReader(io.BytesIO(report_pdf(shown))).pages[0].extract_text())
    # Reader 10, A1: the headline and the decision say it; no third list of the same breach.
    assert "Indicateur non conforme à la loi (1)" not in first_page
    assert "(IND-09 : 42 % pour un minimum légal de 50 %)" in first_page


def test_a_value_above_the_floor_is_unchanged():
    with_law, without_law = summary(egalim(52)), summary(egalim(52, limit=None))
    assert with_law.lines[0].status is Status.ON_TRACK
    assert line_status_title(with_law.lines[0]) == "En bonne voie"
    for where, text in read(with_law).items():
        assert "minimum légal" not in text, where
        assert f"1 {Status.OUTSIDE_LEGAL_LIMIT.value}" not in text, where
    # Same card as an indicator without a legal limit, but for a zero legal count:
    # shown like « 0 en retard » (reader 9, C4: one zero shown, the other hidden, in the same card).
    with_counts, without_counts = (summary_card_content(shown)["body"][2]["columns"] for shown in (with_law, without_law))
    assert len(without_counts) == 5 and len(with_counts) == 6
    assert [column["items"][1]["text"] for column in with_counts][0] == "non conforme"  # reader 10, B10; reader 11, C29
    assert with_counts[0]["items"][0]["text"] == "0"
    assert without_counts == with_counts[1:]


def test_the_floor_itself_is_lawful():
    assert summary(egalim(50)).lines[0].status is Status.ON_TRACK


def test_a_payment_delay_above_the_legal_maximum_is_said_so_even_on_its_trajectory():
    [line] = summary(payment_delay(38)).lines
    assert line.status is Status.OUTSIDE_LEGAL_LIMIT
    assert plain(line_status_title(line)) == "Non conforme"
    assert "(code de la commande publique, art. R. 2192-10)" in plain(detail_text(line, compact=True))
    assert summary(payment_delay(29)).lines[0].status is Status.ON_TRACK


def test_reader9_a3_a_stale_value_outside_the_law_keeps_the_legal_signal_on_its_last_known_value():
    """32,7 days of payment delay in the 2nd quarter, the 3rd not entered yet: counted « non renseigné »,
    the breach vanished from the counts and the decisions (reader 9, A3)."""
    stale = replace(egalim(42), values=(("2024", "DRC", 30), ("2025", "DRC", 42)))
    shown = summary(stale)
    [line] = shown.lines
    assert line.status is Status.OUTSIDE_LEGAL_LIMIT and line.is_stale
    assert shown.status_counts[Status.OUTSIDE_LEGAL_LIMIT] == 1 and shown.status_counts[Status.NOT_REPORTED] == 0
    assert sum(shown.status_counts.values()) == len(shown.lines)
    assert plain(line_status_title(line)) == "Dernière valeur connue non conforme"
    assert any("IND-09" in decision for decision in attention_points(shown).decisions)
    assert plain(overview_text(shown)) == (f"Un indicateur {Status.OUTSIDE_LEGAL_LIMIT.value}. IND-09, non conforme "
                                           "d’après sa dernière valeur connue, attend la valeur de sa dernière période.")
    texts = read(shown)
    assert ("Dernière valeur : 42 % en 2025, sous le minimum légal de 50 % (loi EGalim, en vigueur depuis le 1er "
            "janvier 2022) ; l’année 2026 reste à saisir") in texts["card"]
    assert "(IND-09 : 42 % en 2025 pour un minimum légal de 50 %)" in texts["pdf"]  # a last known value: its period
    # A lawful last value stays « non renseigné ».
    lawful = replace(egalim(42), values=(("2024", "DRC", 30), ("2025", "DRC", 52)))
    assert summary(lawful).lines[0].status is Status.NOT_REPORTED


def test_an_indicator_without_target_is_still_held_to_the_law():
    untargeted = replace(egalim(42), target=None, target_year=None)
    assert summary(untargeted).lines[0].status is Status.OUTSIDE_LEGAL_LIMIT


def test_the_catalogue_reads_the_legal_limit_and_refuses_a_target_below_it():
    fields = {**VALID_FIELDS, "valeur_reference": "38", "cible": "60", "seuil_legal": "50", "base_legale": "loi EGalim"}
    row = build_catalogue_row(fields)
    assert (row.legal_threshold, row.legal_basis) == (Decimal(50), "loi EGalim")
    with pytest.raises(InvalidCatalogueRow) as refused:
        build_catalogue_row({**fields, "cible": "45"})
    assert [problem.column for problem in refused.value.problems] == ["cible"]
    assert "sous le minimum légal" in str(refused.value)


def test_the_overview_line_counts_the_indicators_outside_the_law_so_that_its_parts_add_up():
    assert plain(overview_text(summary(egalim(42), egalim(55)))) == (
        "Deux indicateurs : 1 non conforme à la loi et 1 en bonne voie ou atteint."
    )


def test_the_warning_after_a_save_names_the_code_the_value_and_the_limit():
    """Reader 8, B26: the words said after a value over the legal limit is saved anyway; reader 9,
    B5: « 32,5 jours dépasse » did not agree, the subject is a singular noun whatever the unit."""
    assert PAYMENT.warning_text("IND-11", Decimal("32.5"), Unit.DAYS) == (
        "⚠ IND-11\u00a0: un délai de 32,5\u00a0jours dépasse le maximum légal de 30\u00a0jours "
        "(code de la commande publique, art.\u00a0R.\u00a02192-10)."  # reader 11, B14
    )
    floor = LegalLimit(Decimal(4), "", ImprovementDirection.UP)
    assert plain(floor.warning_text("IND-14", Decimal(3), Unit.COUNT, "comités techniques")) == (
        "⚠ IND-14 : la valeur saisie (3 comités techniques) n’atteint pas le minimum légal de 4 comités techniques."
    )
    assert plain(floor.warning_text("IND-12", Decimal("2.5"), Unit.TONNES)).startswith("⚠ IND-12 : la valeur saisie (2,5 tonnes) n’atteint")


def test_the_late_answer_names_an_indicator_outside_its_legal_limit_first():
    """Reader 8, A1: « qu’est-ce qui est en retard chez nous ? » named IND-14 late and never the
    payment delay over the legal 30 days."""
    late = replace(egalim(31), code="IND-14", values=(("2025", "DRC", 30), ("2026", "DRC", 31)), legal_limit=None)
    answer = plain(late_answer(summary(late, payment_delay(38))))
    # Reader 9, B7: in the status's words, not « ne respecte pas sa limite légale ».
    assert f"Un indicateur est {status_count_label(Status.OUTSIDE_LEGAL_LIMIT, 1)} : **IND-11**" in answer, answer
    assert "respecte" not in answer
    assert "38 jours en 2026, au-dessus du maximum légal de 30 jours (code de la commande publique, art. R. 2192-10)" in answer
    assert answer.index("IND-11") < answer.index("en retard sur sa trajectoire") < answer.index("IND-14")
    alone = plain(late_answer(summary(payment_delay(38))))
    assert "Aucun indicateur en retard" not in alone and "maximum légal" in alone


def test_reader8_a2_a3_a_value_outside_the_law_is_never_ahead_of_its_trajectory_nor_going_the_right_way():
    """« 48,7 % …, en avance sur la trajectoire, qui prévoit 46,2 % … dans le bon sens » next to « Sous le
    minimum légal de 50 % »: the path itself is below the law, the line says so and nothing reassures."""
    for shown, path, way in (
        (summary(egalim(42)), "42 % en 2026, sous le minimum légal de 50 % (loi EGalim, en vigueur depuis le 1er janvier "
         "2022) · cible : 60 % en 2030",
         "dans le bon sens, mais pas encore conforme"),  # reader 11, B16
        (summary(payment_delay(38)), "38 jours en 2026, au-dessus du maximum légal de 30 jours (code de la commande "
         "publique, art. R. 2192-10) · cible : 25 jours en 2030", "dans le bon sens, mais pas encore conforme"),
    ):
        for where, text in read(shown).items():
            text = text.replace("« dans le bon sens »", "")  # the reading rules say what it means
            # Reader 9, B4: the way the value goes, and that it is still outside the law.
            assert "en avance" not in text and text.count("dans le bon sens") == text.count(way), where
        # Reader 9, B2: the value and the breach first, then the SPASER's own path as the subject.
        assert path in read(shown)["detail"]
        # Reader 9, A5: the SPASER must revise its path, said once, in the decision (reader 10, A1).
        (revision,) = [text for text in attention_points(shown).decisions if "trajectoire du SPASER" in text]
        assert "légal qu’en 2029." in plain(revision) and "Le SPASER lui-même" not in read(shown)["detail"]
        # Reader 10, B3: no dangling « déjà applicable ».
        assert "déjà applicable" not in read(shown)["html"]
    # Behind a lawful path: said as a late value is, no revision.
    lawful_path = replace(egalim(42), baseline=Decimal(52), values=(("2025", "DRC", 52), ("2026", "DRC", 42)))
    shown = summary(lawful_path)
    [line] = shown.lines
    assert "sous le minimum légal de 50 % (en vigueur depuis le 1er janvier 2022) ; en deçà de la trajectoire, qui prévoit" in plain(
        judged_text(line)
    )
    assert not any(text.startswith("Réviser") for text in attention_points(shown).decisions)
    # A lawful value on a timid path asks for nothing either.
    assert not any(text.startswith("Réviser") for text in attention_points(summary(egalim(52))).decisions)


def test_reader9_a_stale_value_of_an_indicator_without_target_is_still_held_to_the_law():
    """Reader 8 left it « sans cible »; reader 9, A3: the law does not wait for the next report."""
    stale = replace(egalim(42), target=None, target_year=None, values=(("2024", "DRC", 30), ("2025", "DRC", 42)))
    assert summary(stale).lines[0].status is Status.OUTSIDE_LEGAL_LIMIT


def test_a_long_legal_badge_wraps_in_two_fifths_of_the_row_and_leaves_the_label_room():
    """Sized to its text, « Au-dessus du maximum légal de 30 jours (code de la commande publique, art.
    R. 2192-10) » squeezed the indicator's label into a column one word wide (reader 8 e2e screenshot)."""
    # « Dernière valeur connue non conforme » is the long badge now: the law is in the line (reader 15).
    stale = replace(payment_delay(0), values=(("2024", "DCP", 45), ("2025", "DCP", 38)))
    card = summary_detail_card_content(summary(stale, egalim(55)))
    def title(row):
        return row["columns"][0]["items"][0]["text"].replace("\u2011", "-")  # « IND‑11 » (reader 10, C5)

    rows = {
        title(row).split("**")[1]: row["columns"]
        for row in find_elements(card, "ColumnSet") if len(row["columns"]) == 2 and title(row).startswith("**IND-")
    }
    label, badge = rows["IND-11"]
    assert (label["width"], badge["width"]) == (3, 2) and badge["items"][0]["wrap"] is True
    label, badge = rows["IND-09"]
    assert ("width" not in label, badge["width"]) == (True, "auto")



def test_reader10_c5_an_indicator_code_never_breaks_on_the_card_but_a_typed_command_keeps_its_hyphen():
    """« (IND- / 23) » on the compact card: the code's hyphen is a non-breaking one (U+2011) in what the
    card shows; the commands people type keep the hyphen they type."""
    card = summary_card_content(summary(payment_delay(38)))
    shown = [block["text"] for block in find_elements(card, "TextBlock")]
    assert any("IND\u201111" in text for text in shown) and not any("IND-11" in text for text in shown)
    assert unbroken_codes("tapez « d’où vient IND-24 ? » pour IND-24") == "tapez « d’où vient IND-24 ? » pour IND\u201124"
