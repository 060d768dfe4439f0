"""Reader 11's findings on the status summary, the COPIL report and its chart (issue #17)."""

from __future__ import annotations

from domain.summary.chart import LEGAL_MARK, legal_limit_progress
from tests.domain.test_summary_legal_limit import plain
from tests.domain.test_summary_reader9 import _progress_axes, breaches


def _label(axes, start: str):
    return next(text for text in axes.texts if plain(text.get_text()).startswith(start))


def test_c24_a_value_under_a_legal_minimum_is_labelled_before_the_legal_mark():
    """« 48,7 % » printed right of the dotted 50 % mark read as past the minimum."""
    shown = breaches()
    axes = _progress_axes(shown)
    egalim = next(line for line in shown.lines if line.code == "IND-09")
    legal = legal_limit_progress(egalim)
    label = _label(axes, "48,7 %")
    assert label.get_position()[0] < legal and label.get_horizontalalignment() == "right"
    marks = [line for line in axes.get_lines() if line.get_color() == LEGAL_MARK["color"]]
    assert marks, "the legal mark is still drawn"


def test_a8_the_dashed_target_line_runs_behind_the_value_labels():
    """The dashed 100 % line crossed « 35,2 » on IND-24's bar: every label is drawn over the lines, on a
    box in the colour behind it."""
    axes = _progress_axes(breaches())
    target_line = next(line for line in axes.get_lines() if line.get_linestyle() == "--")
    labels = [text for text in axes.texts if any(ch.isdigit() for ch in text.get_text())]
    assert labels
    for text in labels:
        assert text.get_zorder() > target_line.get_zorder() and text.get_bbox_patch() is not None


def test_a6_b13_the_cadence_alert_gives_the_rhythm_s_source_and_a_no_break_space_before_each_semicolon():
    """« 3 réunions tenues en 2025 (indicateur IND-14) ; aucune réunion… » had a plain space before « ; »
    and opposed, with « alors que », a count within the advised range; « conseillé aux organismes
    publics » named no adviser; future meetings were « tenues en dehors »."""
    from domain.summary.attention import cadence_alerts
    from tests.domain.test_summary_issue17 import summary

    (cotech,) = [alert for alert in cadence_alerts(summary()) if alert.startswith("Comité technique")]
    assert " ;" not in cotech and cotech.count("\u00a0;") == 1
    assert "conseillé par le document « Rencontre acheteurs : le SPASER »" in cotech
    assert "(les réunions organisées sans l’assistant ne sont pas comptées)" in cotech and "tenues" not in cotech.split("alors")[0]
    assert cotech.index("alors que") < cotech.index("réunions tenues en 2025")


def test_c25_one_palette_card_report_and_public_page():
    """« En bonne voie » blue in the PDF, violet on the card; « atteint » black on the card like « sans
    cible »; every bar of the public page navy, « non conforme à la loi » and « en retard » included."""
    from domain.summary.model import Status
    from domain.summary.status_colours import CARD_COLORS, STATUS_HEX, STATUS_MARK, TEAMS_HEX
    from tests.domain.test_public_page import emissions, page

    for status in (Status.ON_TRACK, Status.LATE):
        assert STATUS_HEX[status] == TEAMS_HEX[CARD_COLORS[status]] == {"Accent": "#6264a7", "Attention": "#c4314b"}[
            CARD_COLORS[status]]
    assert STATUS_MARK[Status.ACHIEVED].strip() == "✓"
    html = page(emissions(progress_percent=30.0, status=Status.LATE),
                emissions(code="IND-08", progress_percent=60.0, status=Status.ON_TRACK))
    assert f"width:30%;background:{STATUS_HEX[Status.LATE]}" in html
    assert f"width:60%;background:{STATUS_HEX[Status.ON_TRACK]}" in html


def test_a7_the_public_page_gives_the_scheme_its_legal_name():
    from tests.domain.test_public_page import emissions, page

    assert "Schéma de promotion des achats publics socialement et écologiquement responsables" in page(emissions())


def test_c26_on_the_card_the_legal_notes_are_grey_under_the_value_line():
    from domain.summary.card import summary_card_content

    shown = breaches()
    rows = []

    def walk(node):
        if isinstance(node, dict):
            if node.get("type") == "Column" and node.get("items"):
                rows.append(node["items"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(summary_card_content(shown))
    described = [items for items in rows if len(items) > 2 and "32,5" in items[1].get("text", "")]
    notes = [item for items in described for item in items[2:]]
    value_lines = [items[1] for items in described]
    assert value_lines and not value_lines[0].get("isSubtle")
    assert notes and all(note.get("isSubtle") for note in notes)


def test_b14_an_article_is_never_cut_after_art():
    """« …art. » at the end of a line, « R. 2192-10) » on the next (PDF page 5, the compact card)."""
    from domain.summary.indicator_wording import detail_text

    shown = breaches()
    delay = next(line for line in shown.lines if line.code == "IND-11")
    assert "art.\u00a0R.\u00a02192-10" in detail_text(delay, compact=True)  # the badge no longer cites it (reader 15)
