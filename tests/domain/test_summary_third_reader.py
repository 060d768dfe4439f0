"""What a third careful reader of a whole run found in the summary, the COPIL report and the
exports (issue #17): each test fails on the wording they read."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal

from domain.committees.cadence import check_cadence, default_committee_types, merged_cadence_message
from domain.indicators.catalogue import Axis, ImprovementDirection
from domain.indicators.periods import Frequency
from domain.indicators.sources import ValueSource
from domain.indicators.units import Unit
from domain.summary.attention import cadence_alerts
from domain.summary.card import summary_card_content
from domain.summary.compute import compute_summary
from domain.summary.model import IndicatorSnapshot
from domain.summary.scope import Scope

TODAY = date(2026, 12, 6)
EVERYONE = Scope.everything()


def plain(text: str) -> str:
    return text.replace("\u00a0", " ").replace("\u202f", " ").replace("\u2011", "-")


def committees_indicator() -> IndicatorSnapshot:
    return IndicatorSnapshot(
        code="IND-14", label="Comités techniques SPASER tenus dans l’année", axis=Axis.GOVERNANCE, unit=Unit.COUNT,
        frequency=Frequency.ANNUAL, directorates=("DCP",), direction=ImprovementDirection.UP,
        baseline=Decimal(2), target=Decimal(4), target_year=2026,
        values=(("2023", "DCP", 3), ("2024", "DCP", 3)), counted_noun="comité technique",
    )


def no_meeting_warnings():
    types = default_committee_types()
    return [warning for kind in types for warning in check_cadence(types[kind], [], TODAY)]


def texts(node) -> list[str]:
    if isinstance(node, dict):
        own = [node["text"]] if node.get("type") == "TextBlock" else []
        return own + [text for value in node.values() for text in texts(value)]
    if isinstance(node, list):
        return [text for value in node for text in texts(value)]
    return []


def test_one_alert_per_committee_and_the_indicator_counting_meetings_is_quoted_not_contradicted():
    """Reader 3: two alerts for the comités techniques, and « aucune réunion enregistrée au cours des
    12 derniers mois » next to IND-14 « 3 comités techniques en 2024 »."""
    summary = compute_summary([committees_indicator()], {"DCP": "Commande publique"}, TODAY, scope=EVERYONE,
                              cadence_warnings=no_meeting_warnings())
    alerts = [plain(alert) for alert in cadence_alerts(summary)]
    assert alerts == [
        "Comité de pilotage : aucune réunion planifiée avec l’assistant au cours des 12 derniers mois ni dans les 12 "
        "prochains mois (les réunions organisées sans l’assistant ne sont pas comptées), alors que le rythme conseillé par le document « Rencontre acheteurs : le SPASER » est de 1 à 2 par an.",
        "Comité technique : aucune réunion planifiée avec l’assistant dans les 12 prochains mois (les réunions organisées "
        "sans l’assistant ne sont pas comptées), alors que le rythme conseillé par le document « Rencontre acheteurs : le SPASER » est de 3 à 4 par an ; indicateur IND-14, dernière valeur : 3 comités techniques en 2024 ; l’année 2025 "
        "reste à saisir.",
    ]
    shown = [plain(text) for text in texts(summary_card_content(summary))]
    assert "⚠ Rythme des comités : 2 alertes, voir le détail." in shown


def test_without_an_indicator_counting_them_both_windows_make_one_sentence():
    summary = compute_summary([], {"DCP": "Commande publique"}, TODAY, scope=EVERYONE,
                              cadence_warnings=no_meeting_warnings())
    alerts = [plain(alert) for alert in cadence_alerts(summary)]
    assert len(alerts) == 2
    assert alerts[1] == (
        "Comité technique : aucune réunion planifiée avec l’assistant au cours des 12 derniers mois ni dans les 12 "
        "prochains mois (les réunions organisées sans l’assistant ne sont pas comptées), alors que le rythme conseillé par le document « Rencontre acheteurs : le SPASER » est de 3 à 4 par an."
    )


def test_a_cadence_the_organisation_set_is_retained_not_recommended():
    """« cadence prévue » read as what is planned; reader 7, C50: « recommandée » did not say by whom:
    the founding text's range is « conseillé par le document « Rencontre acheteurs : le SPASER » » (reader 9, A12: « conseillé pour suivre
    un SPASER » read as a norm; reader 10, A4: « recommandé par l’assistant » is no source), one the lead
    set « retenu par l’organisme »."""
    types = default_committee_types()
    meeting = (datetime(2027, 3, 1, 9, tzinfo=UTC), "planned")
    recommended = merged_cadence_message(types["copil"], check_cadence(types["copil"], [meeting] * 3, TODAY))
    assert "alors que le rythme conseillé par le document « Rencontre acheteurs : le SPASER » est de 1 à 2 par an" in plain(recommended)
    assert "assistant est" not in plain(recommended) and "recommandé" not in plain(recommended)
    once = replace(types["copil"], max_per_year=1)
    retained = merged_cadence_message(once, check_cadence(once, [meeting] * 3, TODAY))
    assert "est de 1 à 1 par an" not in plain(retained)
    assert "alors que le rythme retenu par l’organisme est de 1 par an" in plain(retained)
    assert "prévue est" not in plain(recommended + retained)


def test_the_report_lists_only_the_reading_rules_of_what_it_shows():
    """Reader 3: « Moyenne pondérée », « Moyenne des directions »… were explained in a report that
    had none."""
    from domain.summary.report import report_html

    summary = compute_summary([committees_indicator()], {"DCP": "Commande publique"}, TODAY, scope=EVERYONE)
    html = plain(report_html(summary).decode())
    rules = html.split("Règles de lecture")[1]
    assert "Statut : atteint" in rules and "Tendance :" in rules
    for absent in ("Somme des directions", "Moyenne des directions", "Moyenne pondérée", "Valeur unique"):
        assert absent not in rules, absent


def test_the_card_says_where_the_detailed_rules_are():
    """Reader 3: « Règles détaillées dans le rapport exporté » did not say where in the report."""
    from domain.summary.card import summary_detail_card_content

    summary = compute_summary([committees_indicator()], {"DCP": "Commande publique"}, TODAY, scope=EVERYONE)
    shown = plain(" ".join(texts(summary_detail_card_content(summary))))
    assert "rubrique « Règles de lecture », à la fin du rapport (bouton « Exporter »)" in shown
    assert "Règles détaillées dans le rapport exporté" not in shown


def computed(code: str, label: str, comment: str) -> IndicatorSnapshot:
    source = ValueSource.decp("decp-demo.json", 1)
    source = replace(source, imported_at=datetime(2026, 12, 6, 10, tzinfo=UTC), imported_by="Camille Martin")
    return IndicatorSnapshot(
        code=code, label=label, axis=Axis.SOCIAL, unit=Unit.EURO, frequency=Frequency.ANNUAL, directorates=("DCP",),
        direction=ImprovementDirection.UP, values=(("2025", "DCP", 1000, comment, source),), computed=True,
    )


def test_computed_sources_name_the_import_and_its_author_once_in_indicator_order():
    """Reader 3: « source : le fichier « decp-demo.json », importé … par Camille Martin » on every
    computed indicator, a file name officials do not know, and IND-26 listed before IND-25. The
    import is described from the values' source (file, import, author, date), not from a comment."""
    from domain.summary.report import report_html

    catalogue = [
        computed("IND-26", "Montant des marchés réservés notifiés",
                 "1 000 € HT de marchés réservés, sur 9 000 € HT de marchés notifiés au total"),
        computed("IND-25", "Part en montant", "2 000 € HT sur 9 000 € HT de marchés notifiés"),
    ]
    summary = compute_summary(catalogue, {"DCP": "Commande publique"}, TODAY, scope=EVERYONE)
    sources = plain(report_html(summary).decode()).split("Sources des calculs automatiques")[1]
    assert sources.count("Camille Martin") == 1 and "decp-demo.json" not in sources
    # Reader 9, C8: « (import n° 1) » was the assistant's bookkeeping; who imported it and when says which one.
    assert "<p>Source : le fichier des données essentielles, importé le dimanche 6 décembre 2026 par Camille Martin." \
           "</p>" in sources
    assert "import n°" not in sources
    assert sources.index("IND-25") < sources.index("IND-26")
    assert "à partir des marchés notifiés que l’organisme publie" in sources


def test_directorates_are_listed_in_alphabetical_order_of_what_is_printed():
    """Reader 3: the « Saisies attendues » table followed no order a reader could tell (least up to
    date first, unsaid). The table and the chart now collate the printed name (« Élus » before « Z »)."""
    from domain.summary.report import directorate_rows

    names = {"ZZ": "Zoologie", "EL": "Élections", "AB": "Achats", "DCP": "Commande publique"}
    indicators = [IndicatorSnapshot(
        code="X", label="Heures", axis=Axis.SOCIAL, unit=Unit.HOURS, frequency=Frequency.ANNUAL,
        directorates=tuple(names), direction=ImprovementDirection.UP, values=(("2025", "AB", 3),),
    )]
    summary = compute_summary(indicators, names, TODAY, scope=EVERYONE)
    assert [row.directorate.code for row in summary.completeness][-1] == "AB"  # the card's: least up to date first
    # Reader 7, B25: those with indicators still to enter first, then those up to date, each by name.
    assert [row.directorate.code for row in directorate_rows(summary)] == ["DCP", "EL", "ZZ", "AB"]


def test_officials_read_what_a_file_is_rather_than_its_extension():
    """Reader 3: « Rapport HTML », « Valeurs CSV », « (fichier CSV) » are jargon to an élu·e."""
    from domain.summary.links import EXPORT_BUTTONS
    from domain.summary.wording import empty_text

    assert all("HTML" not in title and not title.endswith(("CSV", "Excel")) for title in EXPORT_BUTTONS.values())
    assert "Rapport (page web)" in EXPORT_BUTTONS.values()
    empty = compute_summary([], {}, TODAY, scope=EVERYONE)
    assert "CSV" not in empty_text(empty) and "fichier du catalogue" in empty_text(empty)
