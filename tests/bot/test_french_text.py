"""Every sentence an official reads follows the house rules of French (CONTRIBUTING.md): real plurals,
inclusive role nouns, typographic apostrophes, no-break spaces before « : ; ? ! % € » and inside
numbers. Checked twice: on every French string literal of the code users see (read from the
modules' syntax trees), and on every reply of a scripted conversation with the real bot over the
main flows of the demo organisation, where the literals meet the data and the helpers."""

from __future__ import annotations

import os
import re
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.console import render_as_text
from bot.demo import DEMO_PEOPLE, load_demo
from domain.clock import format_date_fr, format_datetime_fr, format_day_fr
from domain.indicators.periods import Frequency, Period
from domain.indicators.units import Unit
from domain.indicators.values import InvalidValue, parse_value
from domain.knowledge import DEFAULT_ENTRIES_PATH, load_entries
from domain.people import Role
from domain.text import agreed, counted, excerpt, sorted_names, unbreakable
from tests.french_support import CHECKS, problems, scan_code, user_facing_strings

# ----- the checks themselves --------------------------------------------------------------------

BAD = {
    "1 comité(s) déjà planifié(s)": "plural in parentheses « (s) »",
    "Je n'ai pas compris": "straight apostrophe",
    "Catalogue : 12 indicateurs": "ordinary space before : ; ? ! % €",
    "Un commentaire ?": "ordinary space before : ; ? ! % €",
    "12,5 % du total": "ordinary space before : ; ? ! % €",
    "1 200,50 €": "ordinary space before : ; ? ! % €",
    "Rappel: demain": "no space before : ; ? ! % €",
    "12 500 heures": "ordinary space inside a number",
    "Cette action est réservée au responsable SPASER.": "masculine-only role noun",
    "Message du responsable SPASER": "masculine-only role noun",
    "Les élus, eux, reçoivent la synthèse.": "masculine-only role noun",
    "ce que les agents ont demandé": "masculine-only role noun",
    "IND-06 (Nombre de marchés réservés (articles L.\u00a02113))": "nested parentheses",
    "Indiquez une salle (ex. « salle du conseil »)": "abbreviation « ex. » for « par exemple »",
}
GOOD = (
    "Je n’ai pas compris « environ »\u00a0: tapez seulement la valeur.",
    "Cette action est réservée à la personne responsable du SPASER.",
    "Les élu·es et les contributeur·rices reçoivent 12\u202f500\u00a0heures, soit 12,5\u00a0%.",
    "https://exemple.fr/page?x=1 à 14 h 00",
    "Utilisez l’Agents Playground en local.",
    "IND-06 (articles L.\u00a02113) et IND-05 (en valeur), par exemple «\u00a0salle du conseil\u00a0». Voir index.html.",
)


@pytest.mark.parametrize("text, check", BAD.items())
def test_each_check_catches_what_a_french_reader_would_circle(text, check):
    assert check in problems(text)


@pytest.mark.parametrize("text", GOOD)
def test_well_written_french_passes_every_check(text):
    assert problems(text) == []


def test_the_code_scan_reads_shown_strings_and_skips_logs_regexes_and_docstrings(tmp_path):
    module = tmp_path / "sample.py"
    module.write_text(
        '"""Le module : une docstring n\'est pas montrée."""\n'
        "import logging, re\n"
        "log = logging.getLogger(__name__)\n"
        "PATTERN = re.compile(r\"^(de l')?aide$\")\n"
        "def reply(count):\n"
        "    log.info(\"Reminder %s : %s message(s) queued\", 1, 2)\n"
        "    return f\"Vous avez {count} message(s) : c'est noté.\"\n"
    )
    found = list(user_facing_strings(module))
    assert found == [(7, "Vous avez X message(s) : c'est noté.")]
    assert set(problems(found[0][1])) >= {"plural in parentheses « (s) »", "straight apostrophe"}
    assert set(CHECKS) >= set(BAD.values())


# ----- the code ---------------------------------------------------------------------------------


def test_every_french_string_of_the_code_reads_right():
    findings = scan_code()
    assert not findings, f"{len(findings)} texts to fix:\n" + "\n".join(map(str, findings))


def test_every_shipped_knowledge_title_and_answer_reads_right():
    """Titles and answers are shown as they are written (the typed phrasings are not; a source
    names its document as published, « Rencontre acheteurs »), joined where they must not break as
    every reply is on its way out (`domain.text.unbreakable`: « L2113‑12 » keeps its plain hyphen in
    the file, where retrieval reads it)."""
    findings = [
        f"{entry.id}: {', '.join(problems(unbreakable(text)))}: {text!r}"
        for entry in load_entries(DEFAULT_ENTRIES_PATH)
        for text in (entry.title, entry.answer)
        if problems(unbreakable(text))
    ]
    assert not findings, f"{len(findings)} texts to fix:\n" + "\n".join(findings)


# ----- the helpers ------------------------------------------------------------------------------


def test_counts_agree_in_number_and_never_break_from_their_noun():
    assert counted(1, "comité") == "1\u00a0comité"
    assert counted(0, "valeur") == "0\u00a0valeur"
    assert counted(12500, "heure") == "12\u202f500\u00a0heures"
    assert f"{counted(2, 'rappel')} {agreed(2, 'est reprogrammé', 'sont reprogrammés')}" == "2\u00a0rappels sont reprogrammés"


def test_a_quoted_message_keeps_its_no_break_spaces():
    quoted = excerpt("Rappel\u00a0: comité de pilotage\n  le 2 mars\u00a0?", 80)
    assert quoted == "Rappel\u00a0: comité de pilotage le 2 mars\u00a0?"


def test_names_sort_in_french_alphabetical_order():
    assert sorted_names(["Thomas Moreau", "Élise Garnier", "Zoé Roux", "émile Blanc", "Emma Petit"]) == [
        "Élise Garnier", "émile Blanc", "Emma Petit", "Thomas Moreau", "Zoé Roux",
    ]


def test_the_wording_says_things_once():
    """« année 2025 (2025) », « nombre de personnes (personnes) » and « environ % » were shown."""
    assert Period(2025, Frequency.ANNUAL).label_with_code == "année 2025"
    assert Period(2026, Frequency.QUARTERLY, 3).label_with_code == "3\u1d49\u00a0trimestre 2026 (2026-T3)"


def test_a_period_inside_a_sentence_is_written_out():
    """« 19,4 % en 2026-T2 » was shown: a code inside a sentence reads as jargon."""
    assert Period(2026, Frequency.QUARTERLY, 2).in_sentence() == "au 2\u1d49\u00a0trimestre 2026"
    assert Period(2026, Frequency.HALF_YEARLY, 1).in_sentence() == "au 1er\u00a0semestre 2026"
    assert Period(2026, Frequency.ANNUAL).in_sentence() == "en 2026"
    assert Period(2025, Frequency.ANNUAL).with_article() == "l’année 2025"
    assert Period(2026, Frequency.QUARTERLY, 3).with_article() == "le 3\u1d49\u00a0trimestre 2026"
    assert Unit.PEOPLE.display_name == "nombre de personnes"
    assert Unit.PERCENT.display_name == "pourcentage (%)"
    with pytest.raises(InvalidValue) as refused:
        parse_value("environ 12 %", Unit.PERCENT)
    assert "Je n’ai pas compris « environ » dans « environ 12 % »" in refused.value.message


def test_dates_are_written_by_babel_the_french_way():
    """No-break spaces keep the day, its month and its year together: « 6 décembre / 2026 » across
    two lines of the report's header read badly."""
    assert format_date_fr(date(2026, 10, 1)) == "jeudi 1er\u00a0octobre\u00a02026"
    assert format_date_fr(date(2027, 8, 13)) == "vendredi 13\u00a0août\u00a02027"
    assert format_day_fr(date(2026, 12, 6)) == "6\u00a0décembre\u00a02026"
    assert format_datetime_fr(datetime(2027, 3, 12, 14, 5, tzinfo=ZoneInfo("Europe/Paris"))) == (
        "vendredi 12\u00a0mars\u00a02027 à 14\u00a0h\u00a005"
    )
    assert unbreakable("le rapport de décembre 2026, Mai 2027") == "le rapport de décembre\u00a02026, Mai\u00a02027"
    assert "ordinary space between a month and its year « décembre 2026 »" in problems("au 6\u00a0décembre 2026")


TRANSCRIPT = os.environ.get("SPASER_FRENCH_TRANSCRIPT")
"""A file to write the whole conversation to, for a French reader to read it."""

# ----- a scripted conversation over the main flows ----------------------------------------------


def _person(role: Role, directorate: str | None = None):
    return next(p for p in DEMO_PEOPLE if p.role is role and (directorate is None or p.directorate == directorate))


SCRIPTS = {
    Role.LEAD: (
        "bonjour", "aide", "qui suis-je", "catalogue", "où en est la considération sociale ?", "IND-24",
        "lister les personnes", "responsable SPASER",
        "mettre à jour les indicateurs de DCP", "environ 12", "beaucoup", "annuler",
        "synthèse", "indicateurs en retard", "prochain comité", "lister les comités",
        "planifier un COPIL le 12 mars à 14h", "salle du conseil", "Bilan 2026 et objectifs 2027", "oui",
        "prochain comité", "proposer un calendrier", "annuler",
        "diffuser un message à tout le monde", "Le bilan sera présenté en mars.",
        "historique des diffusions", "questions sans réponse", "annuler", "merci",
    ),
    Role.CONTRIBUTOR: (
        "aide", "qui suis-je", "mettre à jour mes indicateurs", "environ 12", "annuler",
        "prochain comité", "diffuser un message à tout le monde", "synthèse",
    ),
    Role.OFFICIAL: ("aide", "synthèse", "prochain comité", "catalogue", "mettre à jour mes indicateurs"),
    None: ("bonjour", "aide", "synthèse", "qui suis-je", "mettre à jour mes indicateurs"),
}



async def test_every_reply_of_the_main_flows_reads_right(runtime, talk, tmp_path):
    await load_demo(runtime, "local-tenant", tmp_path)
    said: list[tuple[str, str, str]] = []
    for role, lines in SCRIPTS.items():
        person = _person(role) if role else None
        conversation = talk(person.aad_object_id, person.name) if person else talk("stranger-aad", "Alex Inconnu")
        who = role.value if role else "stranger"
        for activity in await conversation.install():
            said.append((who, "(installation)", render_as_text(activity)))
        for line in lines:
            for activity in await conversation.say(line):
                said.append((who, line, render_as_text(activity)))
    assert len(said) > 50, "the script must reach the flows it is meant to read"
    if TRANSCRIPT:
        Path(TRANSCRIPT).write_text(  # a final newline: a reader's tools count the last reply's line
            "\n\n".join(f"[{who}] {line}\n{reply}" for who, line, reply in said) + "\n", encoding="utf-8"
        )
    findings = [
        f"{who} « {line} » → {check}: {sentence!r}"
        for who, line, reply in said
        for sentence in reply.splitlines()
        for check in problems(sentence)
    ]
    assert not findings, f"{len(findings)} replies to fix:\n" + "\n".join(findings)


async def test_people_are_listed_in_french_alphabetical_order(runtime, talk, tmp_path):
    await load_demo(runtime, "local-tenant", tmp_path)
    lead = _person(Role.LEAD)
    listing = "\n".join(render_as_text(a) for a in await talk(lead.aad_object_id, lead.name).say("lister les personnes"))
    assert listing.index("Élise Garnier") < listing.index("Julien Petit") < listing.index("Thomas Moreau")


def test_every_help_line_says_what_the_command_does(runtime):
    """« lister les directions » and « annuler le comité n° 3 » were listed without a word of what they do."""
    lines = [command.help_line for command in runtime.router._commands if command.help_line]
    assert len(lines) > 30
    undescribed = [line for line in lines if not re.search(r"»[^«»]*\u00a0: \S", line)]
    assert not undescribed, undescribed


async def test_who_am_i_names_the_role_as_a_label_right_for_two_leads_too(runtime, talk, tmp_path):
    """« Vous êtes X, la personne responsable du SPASER » was wrong once a second lead is registered; the
    role is in apposition, without article (« Vous êtes X : responsable… » read as notation)."""
    await load_demo(runtime, "local-tenant", tmp_path)
    answers = {}
    for role in (Role.LEAD, Role.CONTRIBUTOR, Role.OFFICIAL):
        person = _person(role)
        answers[role] = "\n".join(render_as_text(a) for a in await talk(person.aad_object_id, person.name).say("qui suis-je\u00a0?"))
    assert answers[Role.CONTRIBUTOR] == (
        "Vous êtes **Nadia Benali**. Vous renseignez les indicateurs SPASER de la direction de la commande"
        " publique (**DCP**)."
    )
    assert answers[Role.LEAD] == (
        "Vous êtes **Camille Martin**, responsable du SPASER à la direction de la commande publique"
        " (**DCP**). Vous gérez les directions, les personnes, les indicateurs, les comités et les diffusions."
    )
    # Reader 10, B6: to one named person, no « élu·e ou directeur·rice » (a form left unticked):
    # what they do says the role.
    assert answers[Role.OFFICIAL].startswith(f"Vous êtes **{_person(Role.OFFICIAL).name}**")
    assert "Vous suivez l’avancement du SPASER et recevez sa synthèse." in answers[Role.OFFICIAL]
    assert not any("·" in answer for answer in answers.values()), answers
    assert "la personne responsable" not in answers[Role.LEAD]


def test_the_export_headers_read_right():
    """The CSV/XLSX columns and the PDF tables' headings are read by people too (the catalogue's and
    the public page's CSV columns are an exchange format: machine keys, left out)."""
    from domain.summary.exports import SUMMARY_COLUMNS, VALUE_COLUMNS

    pdf_headings = ("Indicateur", "Dernière valeur · tendance", "Cible · avancement", "Statut", "Direction",
                    "Indicateurs saisis", "À saisir")
    source = (Path(__file__).parents[2] / "domain/summary/report_pdf.py").read_text(encoding="utf-8")
    assert all(f'"{heading}"' in source for heading in pdf_headings), "the PDF headings are the ones checked here"
    for header in (*VALUE_COLUMNS, *SUMMARY_COLUMNS, *pdf_headings):
        assert problems(header) == [], header
        assert header[:1].isupper() and not header.endswith((":", "\u00a0:")), header
