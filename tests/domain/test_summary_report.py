"""The COPIL report an élu·e wants: the organisation's name and logo, a first page of points
d'attention (late indicators, missing reports, committee cadence, decisions), then the detail."""

from __future__ import annotations

import dataclasses
import io
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from PIL import Image
from pypdf import PdfReader

from domain.committees.cadence import check_cadence
from domain.indicators.catalogue import Axis, ImprovementDirection
from domain.indicators.periods import Frequency
from domain.indicators.sources import ValueSource
from domain.indicators.units import Unit
from domain.summary.attention import attention_points, cadence_alerts
from domain.summary.compute import compute_summary
from domain.summary.model import DirectorateInfo, IndicatorSnapshot, ReportedValue, UpcomingMeeting
from domain.summary.organisation import InvalidOrganisation, organisation_from
from domain.summary.reading_rules import rules_items
from domain.summary.report import COMPUTED_SOURCES_INTRO, MAX_ATTENTION_LINES, report_html
from domain.summary.report_pdf import report_pdf
from domain.summary.scope import Scope

TODAY = date(2027, 3, 1)  # 2026 is due
EVERYONE = Scope.everything()
DIRECTORATES = [DirectorateInfo("DRC", "Restauration collective"), DirectorateInfo("DCP", "Commande publique")]


def logo_png(width=120, height=60) -> bytes:
    output = io.BytesIO()
    Image.new("RGB", (width, height), (21, 101, 192)).save(output, format="PNG")
    return output.getvalue()


def indicator(code, values=(), *, target="200", target_year=2030, directorates=("DRC",), label="Heures d’insertion"):
    return IndicatorSnapshot(
        code=code, label=label, axis=Axis.SOCIAL, unit=Unit.HOURS, frequency=Frequency.ANNUAL,
        directorates=directorates, direction=ImprovementDirection.UP, baseline=Decimal(100),
        target=None if target is None else Decimal(target), target_year=target_year if target else None,
        values=tuple(values),
    )


def catalogue():
    return [
        indicator("LATE", [("2025", "DRC", 100), ("2026", "DRC", 101)]),
        indicator("OVERDUE", [("2025", "DRC", 100), ("2026", "DRC", 150)], target_year=2026),
        indicator("OLD", [("2024", "DRC", 150), ("2025", "DRC", 160)], directorates=("DRC", "DCP")),
        indicator("FREE", [("2026", "DCP", 3)], target=None, directorates=("DCP",)),
    ]


def summary(**options):
    organisation = organisation_from("Ville de Montreuil-sur-Loire", logo_png())
    return compute_summary(catalogue(), DIRECTORATES, TODAY, scope=EVERYONE, organisation=organisation,
                           cadence_warnings=check_cadence("copil", [], TODAY), **options)


def plain(text: str) -> str:
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def pdf_pages(data: bytes) -> list[str]:
    return [" ".join(page.extract_text().replace("\u00a0", " ").replace("\u202f", " ").split())
            for page in PdfReader(io.BytesIO(data)).pages]


def test_attention_points_gather_late_indicators_missing_reports_cadence_and_decisions():
    points = attention_points(summary())
    assert [line.code for line in points.late] == ["OVERDUE", "LATE"], "furthest behind its path first"
    assert [line.code for line in points.not_reported] == ["OLD"]
    assert [row.directorate.code for row in points.directorates_behind] == ["DCP", "DRC"]
    assert points.cadence and "Comité de pilotage" in points.cadence[0]
    assert tuple(map(plain, points.decisions)) == (
        "Rattraper le retard : heures d’insertion (OVERDUE) et heures d’insertion (LATE).",
        "Fixer une nouvelle échéance : heures d’insertion (OVERDUE), dont la cible 2026 n’est pas atteinte.",
        "Fixer une cible : heures d’insertion (FREE).",
    )


def test_late_indicators_come_by_how_far_behind_they_are_and_are_named_in_the_decisions():
    """Issue 17: the first page is read top down; « A01, B02 » by code put a slight delay first."""
    slightly = indicator("A01", [("2025", "DRC", 100), ("2026", "DRC", 115)], label="Heures d’insertion")
    badly = indicator("B02", [("2025", "DRC", 100), ("2026", "DRC", 100)], label="Heures de formation")
    never = indicator("A00", [], label="Heures de tutorat")
    report = compute_summary([slightly, never, badly], DIRECTORATES, TODAY, scope=EVERYONE)
    points = attention_points(report)
    assert [line.code for line in points.indicators] == ["B02", "A01", "A00"]
    # Reader 12, B10: the decision names them in the order of the list above, the furthest behind first.
    assert plain(points.decisions[0]) == (
        "Rattraper le retard : heures de formation (B02) et heures d’insertion (A01)."
    )
    first = pdf_pages(report_pdf(report))[0]
    assert first.index("B02 Heures de formation —") < first.index("A01 Heures d’insertion —")
    html = plain(report_html(report).decode())
    assert html.index("<li>B02 Heures de formation") < html.index("<li>A01 Heures d’insertion")


def test_the_pdf_opens_on_one_page_of_points_of_attention_with_the_organisation_then_the_detail():
    pages = pdf_pages(report_pdf(summary()))
    first = pages[0]
    assert first.startswith("Ville de Montreuil-sur-Loire Synthèse SPASER Rapport pour le comité de pilotage")
    for heading in ("Points d’attention", "Indicateurs en retard (2)", "Directions en attente (2)",
                    "Indicateur non renseigné pour l’année 2026 (1)", "Rythme des comités", "Décisions à prendre"):
        assert heading in first, heading
    assert "LATE Heures d’insertion — 101 heures en 2026, en deçà de la trajectoire, qui prévoit" in first
    # DCP never reported OLD: its sum is partial, and 2025 is older than the 2026 due.
    old = ("OLD Heures d’insertion — dernière valeur : 160 heures en 2025 (d’après 1 des 2 directions concernées) ; "
           "l’année 2026 reste à saisir")
    assert old in first
    assert "Détail des indicateurs" not in first
    assert pages[1].startswith("Avancement vers la cible")  # the chart opens the detail, the tables follow
    assert "Détail des indicateurs" in " ".join(pages[1:])
    assert "ensemble des directions" in " ".join(pages[1:])


def test_the_pdf_carries_the_logo_as_an_image():
    reader = PdfReader(io.BytesIO(report_pdf(summary())))
    without = PdfReader(io.BytesIO(report_pdf(compute_summary(catalogue(), DIRECTORATES, TODAY, scope=EVERYONE))))
    # The logo, besides the chart of « Saisies attendues » that follows the attention points when it fits.
    assert len(reader.pages[0].images) == len(without.pages[0].images) + 1
    assert pdf_pages(report_pdf(compute_summary(catalogue(), DIRECTORATES, TODAY, scope=EVERYONE)))[0].startswith(
        "Synthèse SPASER Rapport pour le comité de pilotage")


def test_a_long_list_is_cut_on_the_first_page_and_left_to_the_detail():
    many = [indicator(f"L{n:02d}", [("2025", "DRC", 100), ("2026", "DRC", 101)]) for n in range(20)]
    data = report_pdf(compute_summary(many, DIRECTORATES, TODAY, scope=EVERYONE))
    first = pdf_pages(data)[0]
    assert f"L{MAX_ATTENTION_LINES - 1:02d}" in first and f"L{MAX_ATTENTION_LINES:02d} " not in first
    assert f"Les {20 - MAX_ATTENTION_LINES} autres, faute de place sur cette page : voir le détail ci-après." in first
    assert "heures d’insertion (L04) et 15 autres indicateurs en retard." in first


def test_the_html_report_has_the_logo_name_and_attention_before_the_detail():
    html = plain(report_html(summary()).decode())
    assert '<img class="logo" alt="" src="data:image/png;base64,iVBOR' in html  # the name beside it (reader 9, C14)
    assert '<p class="org">Ville de Montreuil-sur-Loire</p>' in html
    assert html.index("<h2>Points d") < html.index('<section class="detail">') < html.index("Axe social")
    assert "Décisions à prendre" in html
    assert "Rattraper le retard : heures d’insertion (OVERDUE) et heures d’insertion (LATE)." in html
    assert "Décider" not in html


def test_nothing_to_flag_is_said_plainly():
    fine = [indicator("OK", [("2025", "DRC", 100), ("2026", "DRC", 250)])]
    html = report_html(compute_summary(fine, DIRECTORATES, TODAY, scope=EVERYONE)).decode()
    assert "Aucun point d’attention" in html


@pytest.mark.parametrize(
    ("logo", "message"),
    [
        (b"GIF89a not a png", "n’est pas une image PNG ou JPEG lisible"),
        (b"\x89PNG\r\n\x1a\n broken", "n’est pas une image PNG ou JPEG lisible"),
        (logo_png(5000, 10), "5000 × 10 pixels"),
        (b"\x89PNG" + b"0" * 1_000_001, "réduisez-le à 1\u202f000 ko au plus"),
    ],
)
def test_a_logo_that_cannot_print_is_refused_in_french(logo, message):
    with pytest.raises(InvalidOrganisation, match=message):
        organisation_from("Ville", logo)


def test_an_organisation_name_is_trimmed_and_bounded():
    assert organisation_from("  Ville   de Lyon ").name == "Ville de Lyon"
    with pytest.raises(InvalidOrganisation, match="trop long"):
        organisation_from("x" * 121)


def test_a_comment_gives_its_period_written_out_not_its_code():
    commented = [indicator("COM", [("2025", "DRC", 100), ReportedValue("2026", "DRC", Decimal(150), "Hors travaux")])]
    html = plain(report_html(compute_summary(commented, DIRECTORATES, TODAY, scope=EVERYONE)).decode())
    assert "<p><b>Direction DRC (Restauration collective)</b>, année 2026 : « Hors travaux ».</p>" in html


def test_a_comment_typed_with_a_straight_apostrophe_reads_typographic_in_the_report():
    commented = [indicator("COM", [("2025", "DRC", 100), ReportedValue("2026", "DRC", Decimal(150), "clause d'insertion")])]
    html = plain(report_html(compute_summary(commented, DIRECTORATES, TODAY, scope=EVERYONE)).decode())
    assert "année 2026 : « clause d’insertion ».</p>" in html


def test_the_report_says_the_cadence_once_and_lists_computed_values_apart_from_comments():
    decp = ValueSource.decp("decp.json", 4)
    computed = ReportedValue("2026", "DCP", Decimal(3), "3 marchés réservés sur 85 marchés notifiés", decp)
    catalogue_with_comments = [
        *catalogue(),
        indicator("DECP", [computed], directorates=("DCP",), label="Marchés réservés"),
        indicator("NOTE", [("2026", "DRC", 5, "Chantier du collège ajouté.")], label="Heures du collège"),
    ]
    report = compute_summary(catalogue_with_comments, DIRECTORATES, TODAY, scope=EVERYONE,
                             cadence_warnings=check_cadence("copil", [], TODAY))
    html = plain(report_html(report).decode("utf-8"))
    (cadence,) = [plain(alert) for alert in cadence_alerts(report)]
    assert html.count(cadence) == 1
    comments, sources = html.split("<h2>Commentaires des directions</h2>")[1].split("<h2>Sources des calculs automatiques</h2>")
    assert "Chantier du collège ajouté." in comments and "DECP" not in comments
    assert "<p>Année 2026 : 3 marchés réservés sur 85 marchés notifiés.</p>" in sources
    # Where the data come from, once, by what the file holds rather than its name (reader 3).
    assert "<p>Source : le fichier des données essentielles (import n° 4).</p>" in sources and "decp.json" not in sources
    pdf = " ".join(pdf_pages(report_pdf(report)))
    assert pdf.count(cadence) == 1 and "Sources des calculs automatiques" in pdf


def test_a_comment_that_mentions_a_source_stays_the_persons_comment_escaped():
    """A directorate's comment reading like the import's sentence (« ; source : le fichier «évil.csv» »)
    was split by the report and shown as a computed source; it is the person's comment, escaped."""
    typed = "Calculé depuis les DECP\u00a0: 2 marchés ; source : le fichier «évil.csv» <b>importé</b>"
    report = compute_summary([indicator("NOTE", [("2026", "DRC", 5, typed)])], DIRECTORATES, TODAY, scope=EVERYONE)
    html = plain(report_html(report).decode("utf-8"))
    comments = html.split("<h2>Commentaires des directions</h2>")[1]
    assert "Sources des calculs automatiques" not in html
    assert "<b>Direction DRC (Restauration collective)</b>, année 2026 : « Calculé depuis les DECP : 2 marchés ; " \
           "source : le fichier «évil.csv» &lt;b&gt;importé&lt;/b&gt; ».</p>" in comments
    pdf = plain(" ".join(pdf_pages(report_pdf(report))))
    assert "évil.csv" in pdf and "Sources des calculs automatiques" not in pdf


def test_one_coming_meeting_is_headed_in_the_singular():
    meeting = UpcomingMeeting("Comité de pilotage", datetime(2027, 3, 12, 13, tzinfo=UTC))
    html = report_html(compute_summary(catalogue(), DIRECTORATES, TODAY, scope=EVERYONE, next_meetings=(meeting,)))
    assert "<h2>Prochaine réunion</h2>" in html.decode("utf-8")


def test_the_reading_rules_are_a_short_list():
    shown = summary()
    html = plain(report_html(shown).decode("utf-8"))
    rules = html.split("Règles de lecture")[1]
    assert rules.count("<li>") == len(rules_items(shown)) <= 5
    assert "<li>Période à renseigner : pour chaque indicateur" in rules


def test_the_status_rule_holds_for_an_indicator_meant_to_go_down():
    """A fresh reader: « en bonne voie si elle a au moins la valeur attendue » is false for a payment
    delay or emissions, which are on track at or below the expected value."""
    html = plain(report_html(summary()).decode("utf-8"))
    pdf = plain(" ".join(" ".join(pdf_pages(report_pdf(summary()))).split()))
    for text in (html, pdf):
        assert "au moins la valeur attendue pour un indicateur à la hausse, au plus pour un indicateur à la baisse" in text
        assert "a au moins la valeur attendue à ce jour" not in text


def test_no_coming_meeting_keeps_the_plural_heading():
    assert "<h2>Prochaines réunions</h2>" in report_html(summary()).decode("utf-8")


def test_a_table_cell_never_cuts_a_word_without_a_hyphen():
    """Reader 1, A2: « 10 sur 10 (100 %), plus 3 calculés automatiqueme / nt » in a 25 mm column."""
    typed = indicator("T1", [("2026", "DCP", 1)], directorates=("DCP",))
    computed = [dataclasses.replace(indicator(f"C{n}", [("2026", "DCP", 1)], directorates=("DCP",)), computed=True)
                for n in range(3)]
    other = indicator("X", [("2026", "DRC", 1)])
    text = " ".join(pdf_pages(report_pdf(compute_summary([typed, *computed, other], DIRECTORATES, TODAY, scope=EVERYONE))))
    assert "1 sur 1 (100 %), plus 3 calculés automatiquement" in text


def test_a_short_table_is_not_split_over_two_pages():
    """Reader 1, C6: page 4 held one row of the « Axe gouvernance » table, alone."""
    label = "Agent·es des directions acheteuses sensibilisé·es au SPASER et formé·es aux achats responsables en interne"
    social = [indicator(f"S{n:02d}", [("2025", "DRC", 100), ("2026", "DRC", 120)]) for n in range(14)]
    governance = [
        dataclasses.replace(indicator(f"G{n}", [("2025", "DRC", 100), ("2026", "DRC", 120)], label=label),
                            axis=Axis.GOVERNANCE)
        for n in range(4)
    ]
    pages = pdf_pages(report_pdf(compute_summary(social + governance, DIRECTORATES, TODAY, scope=EVERYONE)))
    holding = {code: {number for number, text in enumerate(pages) if code in text} for code in ("G0", "G1", "G2", "G3")}
    assert len({frozenset(found) for found in holding.values()}) == 1, holding


def test_the_computed_sources_say_why_the_decp_may_count_fewer_contracts():
    """Reader 1, A9: 6 reserved contracts declared (IND-06), 3 in the DECP (IND-26), unexplained."""
    assert "40 000 € HT ou plus" in plain(COMPUTED_SOURCES_INTRO)
    # Reader 7, B39: « qu’un indicateur … peut inclure » was tangled.
    assert "Les marchés de moins de 40 000 € HT n’y figurent pas ; un indicateur saisi par les directions (le nombre " \
        "de marchés réservés, par exemple) peut, lui, les compter." in plain(COMPUTED_SOURCES_INTRO)


def test_the_html_report_hyphenates_french_words_and_keeps_short_tables_on_one_printed_page():
    """Reader 1, A2 and C6, in the HTML report printed from a browser."""
    html = report_html(summary()).decode("utf-8")
    assert '<html lang="fr">' in html and "hyphens:auto" in html
    assert '<table class="short">' in html and "table.short{break-inside:avoid}" in html
