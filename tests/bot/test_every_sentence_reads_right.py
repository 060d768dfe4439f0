"""The points a fresh French reader still circled in the chat (issue #17, « every sentence reads
right »): each text as it now reads, through the real bot where a conversation shows it; the point's
number in each test's docstring."""

from __future__ import annotations

import json
import re

import pytest

from bot.demo import load_demo
from domain.committees.cadence import CommitteeKind
from domain.committees.messages import member_reminder
from domain.indicators.values import warm_up
from domain.people import Role
from domain.text import unbreakable
from domain.understanding.choices import choice_card, choice_text
from domain.understanding.slots import IndicatorName
from tests.conftest import texts
from tests.domain.test_reader3_wording import _meeting
from tests.french_support import problems
from tests.indicators_support import card_inputs, card_of, seed, submit_data
from tests.paths import ROOT
from tests.reader_support import demo_person, plain

NBSP = "\u00a0"
COUNTED = "ordinary space between a number and the word it counts « 12 mois »"


@pytest.fixture(scope="module", autouse=True)
def recognizers():
    warm_up()


def test_a_number_is_joined_to_the_word_it_counts_and_codes_years_and_ranges_are_left_alone():
    """A5: « 11 autres indicateurs », « 12 mois » could leave the number alone at the end of a line."""
    assert unbreakable("… et 11 autres indicateurs à suivre") == f"… et 11{NBSP}autres indicateurs à suivre"
    assert unbreakable("Proposition de calendrier sur 12 mois") == f"Proposition de calendrier sur 12{NBSP}mois"
    assert unbreakable("32,7 jours, 1\u202f334 tonnes") == f"32,7{NBSP}jours, 1\u202f334{NBSP}tonnes"
    for untouched in ("IND-14 Comités techniques", "2026-T3 ou 2026-T4", "l’année 2025 reste à saisir",
                      "de 1 à 12", "Microsoft 365 a refusé", f"le 6{NBSP}décembre{NBSP}2026 à 14{NBSP}h{NBSP}00"):
        assert unbreakable(untouched) == untouched
    assert unbreakable("le 6 décembre 2026") == f"le 6{NBSP}décembre{NBSP}2026", "a date stays whole"
    assert COUNTED in problems("Proposition de calendrier sur 12 mois")
    assert problems(f"Proposition de calendrier sur 12{NBSP}mois, IND-14 Comités, 2025 reste à saisir") == []


async def test_the_counts_of_the_chat_and_cards_stay_with_their_word(runtime, talk, tmp_path):
    """A5, through the real bot: the summary card's « 11 autres indicateurs » and the year plan's
    « sur 12 mois » (typeset on the way out, as every reply)."""
    await load_demo(runtime, "local-tenant", tmp_path)
    lead = talk(demo_person(Role.LEAD).aad_object_id, demo_person(Role.LEAD).name)

    summary = json.dumps(card_of(await lead.say("synthèse")), ensure_ascii=False)
    plan = json.dumps(card_of(await lead.say("proposer un calendrier")), ensure_ascii=False)

    # The demo's count of the others (12 since IND-09 is below the EGalim minimum, 11 before).
    assert re.search(f"\\d+{NBSP}autres indicateurs", summary) and not re.search(r"\d+ autres", summary)
    assert f"sur 12{NBSP}mois" in plan and "12 mois" not in plan


def test_the_playground_s_test_message_names_no_committee_that_does_not_exist():
    """Reader 6, A3 (after B7): the e2e's proactive message named « le comité de pilotage du vendredi
    11 décembre 2026 », a committee that exists nowhere: a test message names no committee nor day."""
    spec = (ROOT / "e2e" / "playground.spec.mjs").read_text(encoding="utf-8")
    [scenario] = re.findall(r"scenario\('a proactive message.*?\n\}\);", spec, re.DOTALL)
    [text] = re.findall(r"const text = [`'](.*)[`'];", scenario)

    # Reader 14: « Je peux vous écrire de moi-même… Ce message sert à le vérifier. » read stiff: one short,
    # friendly sentence, to « vous », saying it is a test from the assistant and that nothing is to be done.
    typeset = text.replace("\\u00a0", "\u00a0")
    said = typeset.replace("\u00a0", " ")
    assert not problems(typeset), problems(typeset)
    assert said.startswith("Bonjour, ceci est un message de test de l’assistant du SPASER"), said
    assert said.endswith("vous n’avez rien à faire.") and said.count(".") == 1, said
    assert len(said) <= 140 and " tu " not in f" {said} ", said
    assert not re.search(r"comité|COPIL|lundi|mardi|mercredi|jeudi|vendredi|\$\{", text), text


def test_two_buttons_show_where_their_long_titles_differ():
    """B9: « IND-01 — Part des marchés notifiés comportant au… » twice, the same where the names differ."""
    social = IndicatorName("IND-02", "Part des marchés notifiés comportant au moins une considération sociale")
    green = IndicatorName("IND-01", "Part des marchés notifiés comportant au moins une considération environnementale")
    amount = IndicatorName("IND-24", "Part des marchés notifiés avec une considération sociale, en montant")

    titles = [action["title"] for action in choice_card([(social, "a"), (green, "b"), (amount, "c")])["actions"]]

    assert titles == [
        f"IND-02 — …{NBSP}au moins une considération sociale",
        f"IND-01 — …{NBSP}une considération environnementale",
        "IND-24 — en montant",  # reader 9, C5: what it says after its comma, no other name ends so
    ]
    assert all(len(title) <= len("IND-01 — ") + 40 for title in titles)


def test_two_buttons_that_differ_early_show_what_each_counts_not_their_shared_start():
    """Reader 6, B11: « IND-24 — Part des marchés notifiés avec une… » and « IND-02 — Part des
    marchés notifiés comportant au… »: the cut hid what tells them apart."""
    social = IndicatorName("IND-02", "Part des marchés notifiés comportant au moins une considération sociale")
    amount = IndicatorName("IND-24", "Part des marchés notifiés avec une considération sociale, en montant")
    shared_end = IndicatorName("IND-30", "Part des marchés notifiés passés par la centrale, en montant")
    alike = IndicatorName("IND-31", "Part des marchés notifiés passés par le groupement, en montant")

    titles = [action["title"] for action in choice_card([(amount, "a"), (social, "b")])["actions"]]
    alike_titles = [action["title"] for action in choice_card([(shared_end, "a"), (alike, "b")])["actions"]]

    assert titles == ["IND-24 — en montant", f"IND-02 — …{NBSP}au moins une considération sociale"]
    assert alike_titles[0] != alike_titles[1] and not any("Part des" in title for title in alike_titles), alike_titles


async def test_an_up_to_date_directorate_is_not_told_of_one_period(runtime, talk):
    """B10: « sont à jour pour la période » after a list of three periods (année 2025, 1er semestre 2026,
    3ᵉ trimestre 2026); the help said « ce qui est attendu pour la période »."""
    await seed(runtime)
    nadia = talk("nadia-aad", "Nadia Benali")
    card = card_of(await nadia.say("formulaire des indicateurs"))
    values = {key: "12" for key in card_inputs(card) if key.startswith("valeur|")}
    periods = {key.rsplit("|", 1)[1] for key in values}

    saved = plain(texts(await nadia.submit(submit_data(card, **values))))
    help_text = plain(texts(await nadia.say("aide indicateurs")))

    assert len(periods) > 1, periods
    assert "Toutes les valeurs attendues de la direction DCP sont saisies. Merci !" in saved, saved  # reader 10, C1
    assert "« quels indicateurs dois-je renseigner ? » : les indicateurs attendus et la période de chacun" in help_text
    assert "pour la période" not in saved + help_text


async def test_a_procurement_threshold_question_is_answered_honestly_with_where_to_look(runtime, talk):
    """B11: the MAPA answer sent the reader to « Qui doit adopter un SPASER ? » for « le seuil », said
    nothing of why no figure, and « seuil des marchés publics » got the sub-contracting answer."""
    mapa = plain(texts(await talk("agent-aad", "Paul").say("Quel est le seuil des MAPA ?")))
    public = plain(texts(await talk("agent-aad", "Paul").say("seuil des marchés publics")))

    assert mapa.startswith("Je ne peux pas vous aider sur ce point : je réponds aux questions sur le SPASER et son suivi.")
    # Reader 7, B34: three sentences, what it is not and where to look (five before).
    assert "changent régulièrement : consultez la direction des affaires juridiques" in mapa
    assert "economie.gouv.fr/daj" in mapa and "votre service des marchés, qui connaît les règles de votre organisme" in mapa
    assert "induirait en erreur" not in mapa
    assert mapa.endswith("le SPASER est obligatoire, demandez-moi « qui doit adopter un SPASER ? ».")
    assert not re.search(r"\d|€", mapa.replace("economie.gouv.fr", "")), "no threshold figure"
    assert public == mapa


async def test_counts_are_in_digits_in_the_question_back_as_in_the_due_list(runtime, talk, tmp_path):
    """B13: « deux indicateurs » in the question back, « 10 indicateurs » in the due list."""
    await load_demo(runtime, "local-tenant", tmp_path)
    lead = talk(demo_person(Role.LEAD).aad_object_id, demo_person(Role.LEAD).name)

    asked = plain(texts(await lead.say("où en est la considération sociale ?")))
    due = plain(texts(await lead.say("mettre à jour les indicateurs de DCP")))

    assert asked.startswith("Votre question peut porter sur 2 indicateurs : lequel voulez-vous consulter ?")
    assert due.startswith("La direction **DCP** a 10 indicateurs à renseigner :")
    assert choice_text([IndicatorName("IND-01", "A"), IndicatorName("IND-02", "B"), IndicatorName("IND-03", "C")]).startswith(
        f"Votre question peut porter sur 3{NBSP}indicateurs"
    )


def test_a_member_is_asked_courteously_to_attend():
    """B14: « Vous êtes membre de ce comité : soyez présent·e le … » read as an order."""
    _, card = member_reminder(_meeting(CommitteeKind.COPIL), 7, "Europe/Paris")
    said = plain(" ".join(block["text"] for block in card["body"] if block.get("type") == "TextBlock"))

    assert "Vous êtes membre de ce comité : votre présence est attendue." in said
    assert "soyez" not in said


def test_no_question_is_followed_by_a_hint_in_brackets():
    """Reader 6, B8: « Quel est l’ordre du jour ? (une ou plusieurs lignes, ou « plus tard »…) », « Un
    commentaire sur IND-01 (64,5 %) ? (facultatif : …) »: the hint is a sentence of its own."""
    hint = re.compile(r"\?[ \u00a0]\((?!\?)")
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for folder in ("bot", "dialogs", "domain", "scheduler", "storage")
        for path in (ROOT / folder).rglob("*.py")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if hint.search(line) and not re.search(r"\br[f]?[\"']|re\.compile", line)
    ]

    assert found == []


async def test_a_line_of_the_form_starts_with_a_capital(runtime, talk, tmp_path):
    """Reader 6, B10: « année 2025 · en euros (€) · dernière valeur : … » under « IND-04 — … »."""
    await load_demo(runtime, "local-tenant", tmp_path)
    contributor = demo_person(Role.CONTRIBUTOR)
    card = card_of(await talk(contributor.aad_object_id, contributor.name).say("formulaire des indicateurs"))

    lines = re.findall(r'"text": "([^"]*· en [^"]*)"', json.dumps(card, ensure_ascii=False))

    assert any(line.startswith("Année ") for line in lines), lines
    assert not [line for line in lines if line[0].islower()], lines


async def test_the_help_speaks_of_a_guided_entry_only_to_who_can_start_one(runtime, talk):
    """Reader 6, B13: a person with no role read « Pendant une saisie guidée, tapez « annuler »… »."""
    await seed(runtime)
    stranger = plain(texts(await talk("stranger-aad", "Paul Inconnu").say("aide")))
    contributor = plain(texts(await talk("nadia-aad", "Nadia Benali").say("aide")))

    assert "saisie guidée" not in stranger and "qui doit adopter un SPASER ?" in stranger
    assert "Pendant une saisie guidée, tapez « annuler » pour l’arrêter à tout moment." in contributor
