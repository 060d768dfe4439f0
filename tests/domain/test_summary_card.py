"""The summary Adaptive Card: content, empty cases, filters as buttons, size under Teams' limit."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime
from decimal import Decimal

from botbuilder.schema import Activity

from bot.console import render_as_text
from dialogs.cards import card_message
from domain.committees.cadence import check_cadence
from domain.indicators.catalogue import Axis, ImprovementDirection
from domain.indicators.periods import Frequency
from domain.indicators.units import Unit
from domain.summary.card import (
    DETAIL_BUTTON,
    MAX_ATTENTION_ITEMS,
    MAX_CARD_BYTES,
    card_size,
    summary_card_content,
    summary_detail_card_content,
)
from domain.summary.compute import compute_summary
from domain.summary.model import DirectorateInfo, IndicatorSnapshot, Status, UpcomingMeeting
from domain.summary.report import report_html
from domain.summary.scope import Scope
from domain.summary.status_colours import STATUS_COLORS
from domain.summary.wording import completeness_headline

TODAY = date(2026, 3, 1)
EVERYONE = Scope.everything()
TEAMS_MESSAGE_LIMIT = 28 * 1024
DIRECTORATES = [DirectorateInfo("DRC", "Ressources et commande"), DirectorateInfo("DCP", "Commande publique")]


def indicator(code, *, values=(), target="200", target_year=2027, directorates=("DRC",), axis=Axis.SOCIAL,
              unit=Unit.HOURS, label="Heures d’insertion réalisées"):
    return IndicatorSnapshot(
        code=code, label=label, axis=axis, unit=unit, frequency=Frequency.ANNUAL, directorates=directorates,
        direction=ImprovementDirection.UP, baseline=Decimal(100),
        target=None if target is None else Decimal(target), target_year=target_year if target else None,
        values=tuple(values),
    )


def texts(content):
    """Every string of the card, to assert on what a reader sees."""
    found = []

    def walk(node):
        if isinstance(node, dict):
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)
        elif isinstance(node, str):
            found.append(node)

    walk(content)
    # « IND‑01 »'s non-breaking hyphen (reader 10, C5) read as the hyphen people type.
    return "\n".join(found).replace("\u00a0", " ").replace("\u202f", " ").replace("\u2011", "-")


def find(content, predicate):
    found = []

    def walk(node):
        if isinstance(node, dict):
            if predicate(node):
                found.append(node)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(content)
    return found


def im_back_values(content):
    return [node["data"]["msteams"]["value"] for node in find(content, lambda n: n.get("type") == "Action.Submit")]


def mixed_catalogue():
    return [
        indicator("OK", values=[("2024", "DRC", 100), ("2025", "DRC", 210)]),
        indicator("LATE", values=[("2024", "DRC", 100), ("2025", "DRC", 101)], axis=Axis.ENVIRONMENTAL),
        indicator("NONE", axis=Axis.GOVERNANCE),
        indicator("FREE", target=None, values=[("2025", "DRC", 7)], axis=Axis.GOVERNANCE),
    ]


def test_card_is_version_1_5_with_headline_counts_and_coloured_statuses():
    content = summary_card_content(compute_summary(mixed_catalogue(), DIRECTORATES, TODAY, scope=EVERYONE))
    assert content["type"] == "AdaptiveCard" and content["version"] == "1.5"
    headline = content["body"][2]
    counts = [column["items"][0]["text"] for column in headline["columns"]]
    labels = [column["items"][1]["text"] for column in headline["columns"]]
    # The most serious first, read left to right (reader 10, B10), on the card, the report and the chart.
    assert counts == ["1", "1", "0", "✓ 1", "1"]  # « atteint » told from « sans cible » (reader 15, minor 17)
    assert labels == ["en retard", "non renseigné", "en bonne voie", "atteint", "sans cible"]
    html = report_html(compute_summary(mixed_catalogue(), DIRECTORATES, TODAY, scope=EVERYONE)).decode("utf-8")
    assert re.findall(r'<div class="count"[^>]*><b>\d+</b>([^<]+)</div>', html) == labels
    late = find(content, lambda n: n.get("text") == "En retard")
    assert late and late[0]["color"] == STATUS_COLORS[Status.LATE] == "Attention"


def test_the_compact_card_lists_only_the_few_points_needing_attention_and_offers_the_detail():
    # Seven late indicators: the card shows three (ten seconds to read), the detail has them all.
    catalogue = [indicator(f"L{n}", values=[("2024", "DRC", 100), ("2025", "DRC", 101)]) for n in range(7)]
    catalogue.append(indicator("OK", values=[("2024", "DRC", 100), ("2025", "DRC", 210)]))
    summary = compute_summary(catalogue, DIRECTORATES, TODAY, scope=EVERYONE)
    compact = summary_card_content(summary)
    detail = summary_detail_card_content(summary)

    rows = find(compact, lambda n: n.get("type") == "ColumnSet" and len(n["columns"]) == 2)
    assert len(rows) == MAX_ATTENTION_ITEMS == 3
    shown = texts(compact)
    assert "Points d’attention" in shown and "**L0**" in shown and "**L3**" not in shown and "**OK**" not in shown
    assert "… et 4 autres indicateurs à suivre : voir le détail." in shown
    assert "101 heures en 2025" in shown
    assert im_back_values(compact)[0] == "synthèse détaillée"
    assert compact["actions"][0]["title"] == DETAIL_BUTTON
    # Reader 7, B20: at card width the chart's labels were about 7 pixels high; it is in the report.
    assert not find(compact, lambda n: n.get("type") == "Image")
    assert len(find(detail, lambda n: n.get("type") == "ColumnSet" and len(n["columns"]) == 2)) == 8
    assert not find(detail, lambda n: n.get("type") == "Image")


def test_the_detail_card_lists_every_indicator_by_axis():
    content = summary_detail_card_content(compute_summary(mixed_catalogue(), DIRECTORATES, TODAY, scope=EVERYONE))
    shown = texts(content)
    assert "Synthèse SPASER : détail" in shown
    assert "Axe social · 1 indicateur" in shown and "Axe gouvernance · 2 indicateurs" in shown
    assert "Aucune valeur saisie" in shown and "sans cible" in shown  # a line of its own (reader 9, B6)
    assert "↑ en hausse" in shown and "en progrès" not in shown


def test_a_stale_value_is_shown_with_its_period_and_counted_as_not_reported_on_the_card():
    # On 1 March 2026 the annual value due is 2025's; 2024's is two periods old.
    stale = indicator("OLD", values=[("2023", "DRC", 100), ("2024", "DRC", 190)])
    summary = compute_summary([stale], DIRECTORATES, TODAY, scope=EVERYONE)
    content = summary_card_content(summary)
    counts = [column["items"][0]["text"] for column in content["body"][2]["columns"]]
    assert counts == ["0", "1", "0", "0", "0"]
    shown = texts(content)
    assert "Dernière valeur : 190 heures en 2024 ; l’année 2025 reste à saisir" in shown
    assert "Non renseigné" in shown


def test_empty_catalogue_card_still_renders_and_says_so():
    content = summary_card_content(compute_summary([], DIRECTORATES, TODAY, scope=EVERYONE))
    shown = texts(content)
    assert "Le catalogue d’indicateurs est vide" in shown
    assert "Aucune réunion de comité n’est planifiée pour le moment." in shown
    assert render_as_text(card_message(summary_card_content(compute_summary([], DIRECTORATES, TODAY, scope=EVERYONE))))


def test_directorate_without_values_renders_with_what_it_must_report():
    content = summary_detail_card_content(
        compute_summary([indicator("A", directorates=("DRC", "DCP"), values=[("2025", "DRC", 1)])],
                        DIRECTORATES, TODAY, scope=Scope.only("DCP")))
    shown = texts(content)
    assert "Non renseigné" in shown
    assert "À saisir : A (année 2025)." in shown
    assert "Direction DCP (Commande publique)" in shown


def test_directorate_without_indicators_is_told_so():
    content = summary_card_content(compute_summary(mixed_catalogue(), DIRECTORATES, TODAY, scope=Scope.only("DCP")))
    shown = texts(content)
    assert "Aucun indicateur n’est attribué à cette direction." in shown


def test_filters_are_im_back_buttons():
    content = summary_card_content(compute_summary(mixed_catalogue(), DIRECTORATES, TODAY, scope=EVERYONE))
    values = im_back_values(content)
    assert "synthèse axe social" in values and "synthèse axe économie responsable" in values
    assert "synthèse direction DRC" in values
    assert "synthèse" not in values  # no "full summary" button on the full summary


def test_filtered_card_offers_the_full_summary_and_keeps_the_directorate_in_axis_buttons():
    content = summary_card_content(compute_summary(mixed_catalogue(), DIRECTORATES, TODAY, directorate="DRC", scope=EVERYONE))
    values = im_back_values(content)
    assert "synthèse" in values
    assert "synthèse direction DRC axe social" in values
    assert "synthèse détaillée direction DRC" in values
    assert not [v for v in values if v.startswith("synthèse direction DCP")]


def test_the_detail_card_filters_keep_to_the_detail():
    content = summary_detail_card_content(compute_summary(mixed_catalogue(), DIRECTORATES, TODAY, scope=EVERYONE))
    values = im_back_values(content)
    assert "synthèse détaillée axe social" in values and "synthèse détaillée direction DRC" in values


def test_contributor_card_has_no_directorate_buttons_nor_other_directorates():
    catalogue = [indicator("A", directorates=("DRC", "DCP"), values=[("2025", "DRC", 1), ("2025", "DCP", 2)])]
    content = summary_card_content(compute_summary(catalogue, DIRECTORATES, TODAY, scope=Scope.only("DRC")))
    assert not [v for v in im_back_values(content) if "direction" in v]
    assert "DCP" not in json.dumps(content, ensure_ascii=False)


def test_meetings_cadence_warnings_catalogue_advice_and_chart_are_shown():
    meetings = [UpcomingMeeting("Comité technique", datetime(2026, 3, 12, 13, 0, tzinfo=UTC), "Salle 2")]
    warnings = check_cadence("copil", [], TODAY)
    catalogue = [indicator(f"I{n}") for n in range(31)]
    summary = compute_summary(catalogue, DIRECTORATES, TODAY, next_meetings=meetings, cadence_warnings=warnings,
                              scope=EVERYONE)
    compact = summary_card_content(summary)
    detail = texts(summary_detail_card_content(summary))
    assert "Prochaine réunion : comité technique, jeudi 12 mars 2026 à 14 h 00 (Salle 2)" in texts(compact)
    assert len(warnings) == 2
    # Both windows of one committee make one alert (reader 3).
    assert "⚠ Rythme des comités : 1 alerte, voir le détail." in texts(compact)
    assert "jeudi 12 mars 2026 à 14 h 00 (Salle 2)" in detail
    assert "Comité de pilotage : aucune réunion planifiée avec l’assistant au cours des 12 derniers mois ni dans" in detail
    assert "trentaine" in detail


def big_catalogue(indicators: int, directorates: int):
    infos = [DirectorateInfo(f"D{n:02d}", "Direction de l’aménagement durable " + "x" * 60) for n in range(directorates)]
    codes = tuple(info.code for info in infos)
    catalogue = [
        indicator(
            f"INDICATEUR-{n:03d}",
            label="Part des marchés notifiés comportant au moins une considération environnementale " * 2,
            directorates=codes,
            axis=list(Axis)[n % 4],
            values=[(year, code, 100 + n) for code in codes[: directorates - 3] for year in ("2024", "2025")],
        )
        for n in range(indicators)
    ]
    return catalogue, infos


def test_thirty_indicators_and_forty_directorates_fit_under_the_teams_limit():
    catalogue, infos = big_catalogue(30, 40)
    summary = compute_summary(catalogue, infos, TODAY, cadence_warnings=check_cadence("cotech", [], TODAY), scope=EVERYONE)
    content = summary_detail_card_content(summary)
    assert card_size(content) <= MAX_CARD_BYTES < TEAMS_MESSAGE_LIMIT
    assert len(find(content, lambda n: n.get("type") == "ColumnSet" and len(n["columns"]) == 2)) == 30
    assert "non affichés ici" not in texts(content)


def test_an_oversized_catalogue_is_cut_and_says_how_many_rows_are_left_out():
    catalogue, infos = big_catalogue(120, 40)
    summary = compute_summary(catalogue, infos, TODAY, scope=EVERYONE)
    content = summary_detail_card_content(summary)
    assert card_size(content) <= MAX_CARD_BYTES
    rows = len(find(content, lambda n: n.get("type") == "ColumnSet" and len(n["columns"]) == 2))
    assert 0 < rows < 120
    assert f"… et {120 - rows} indicateurs de plus, non affichés ici" in texts(content)


def test_card_attachment_renders_as_text_for_the_console():
    summary = compute_summary(mixed_catalogue(), DIRECTORATES, TODAY, scope=EVERYONE)
    activity: Activity = card_message(summary_detail_card_content(summary))
    rendered = render_as_text(activity)
    assert "Synthèse SPASER" in rendered and "**LATE**" in rendered


def test_the_detail_card_shows_names_in_full_when_they_fit():
    label = "Part des marchés notifiés comportant au moins une considération environnementale"
    name = "Direction de l’environnement et de l’énergie"
    infos = [DirectorateInfo("DEE", name), DirectorateInfo("DCP", "Commande publique")]
    # Neither is up to date: the headline names none, the FactSet lists both by their full name.
    catalogue = [indicator("IND-01", label=label, directorates=("DEE", "DCP"), values=[("2024", "DCP", 120)])]
    summary = compute_summary(catalogue, infos, TODAY, scope=EVERYONE)
    shown = texts(summary_detail_card_content(summary))
    assert f"**IND-01** {label}" in shown
    assert "…" not in shown.replace("… et", "")
    assert name in shown


def test_directorates_up_to_date_are_named_with_their_noun_and_the_periods_due_are_said():
    """Reader 1, C3 and B15: « À jour : DCP, DMOB… » gave bare codes; « la période en cours » was never said."""
    catalogue = [
        indicator("A", values=[("2025", "DRC", 150)]),
        indicator("B", values=[("2025", "DCP", 150)], directorates=("DCP",)),
        indicator("C", values=[], directorates=("DCP", "DRC"), unit=Unit.COUNT),
    ]
    shown = texts(summary_detail_card_content(compute_summary(catalogue[:2], DIRECTORATES, TODAY, scope=EVERYONE)))
    assert "Les directions DCP et DRC sont à jour." in shown and "À jour :" not in shown
    assert "Saisies attendues" in shown and "Remontées" not in shown
    assert "Les 2 directions sont à jour pour l’année 2025." in shown and "période en cours" not in shown
    late = texts(summary_detail_card_content(compute_summary(catalogue, DIRECTORATES, TODAY, scope=EVERYONE)))
    assert "1 indicateur saisi sur 2 (50 %)" in late


def test_the_up_to_date_count_says_it_counts_only_the_directorates_with_something_to_fill():
    """Reader 4, B9: « Six directions sur sept sont à jour » while eight directorates are listed."""
    infos = [*DIRECTORATES, DirectorateInfo("DAJ", "Direction des affaires juridiques")]
    catalogue = [
        indicator("A", values=[("2025", "DRC", 150)]),
        indicator("B", values=[("2025", "DCP", 150)], directorates=("DCP",)),
    ]
    summary = compute_summary(catalogue, infos, TODAY, scope=EVERYONE)
    headline = completeness_headline(summary)
    assert headline.replace("\u00a0", " ") == "Les 2 directions qui ont des indicateurs à saisir sont à jour pour l’année 2025."
    shown = texts(summary_detail_card_content(summary))
    assert "Les 2 directions qui ont des indicateurs à saisir" in shown
    only = compute_summary(catalogue, DIRECTORATES, TODAY, scope=EVERYONE)
    assert completeness_headline(only).replace("\u00a0", " ") == "Les 2 directions sont à jour pour l’année 2025."
