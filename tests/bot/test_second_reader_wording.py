"""What a second French reader circled in one end-to-end run (the help, the people commands, the
update dialog and the form, the knowledge answers, the notification previews): each text as it
now reads, through the real bot where a conversation shows it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from botbuilder.core import MessageFactory

from bot.commands.general import GREETING_REPLIES
from bot.proactive import build_message
from bot.teams_text import shape_message
from domain.delivery_problems import explain
from domain.indicators.units import Unit
from domain.indicators.values import InvalidValue, parse_value, warm_up
from domain.knowledge.render import NOT_UNDERSTOOD_TEXT
from domain.outbox import NO_REFERENCE
from domain.people import UNREGISTERED_REFUSAL
from tests.conftest import texts, whole_help
from tests.indicators_support import card_of, seed, submit_data

NBSP = "\u00a0"
ENTRIES = Path(__file__).resolve().parents[2] / "domain" / "knowledge" / "entries"


@pytest.fixture(scope="module", autouse=True)
def recognizers():
    warm_up()


def plain(text: str) -> str:
    return " ".join(text.replace(NBSP, " ").replace("\u202f", " ").split())


async def test_assigning_a_role_echoes_the_word_typed_and_says_first_message(runtime, talk):
    await runtime.directorates.add("DCP", "Direction de la commande publique")
    lead = talk()

    contributor = plain(texts(await lead.say("affecter meganb@example.com contributrice DCP")))
    official = plain(texts(await lead.say("affecter helene@example.com élue")))

    # Reader 10, B6: the role noun in the form the lead typed, never « contributeur·rice » to one person.
    assert "a désormais le rôle de contributrice pour la direction DCP." in contributor
    assert "a désormais le rôle d’élue." in official
    # Reader 7, B33: what is true until then, rather than « son rôle s’appliquera ».
    assert "Cette personne ne recevra rien tant qu’elle n’aura pas installé l’assistant dans Teams." in contributor
    assert "Son rôle s’appliquera" not in contributor
    # Reader 8, B25: a whole command to copy; reader 9, A10: with « Prénom Nom », never a real name
    # (« Camille Martin » was the organisation's own lead: whoever copied it made a namesake).
    assert (
        "Pour afficher son nom à la place de « meganb » dès maintenant, tapez "
        "« affecter meganb@example.com contributrice DCP nom Prénom Nom »."  # reader 10, C8
    ) in contributor
    # Reader 7, A4: « de » elided before a vowel, guillemets or not.
    adele = plain(texts(await lead.say("affecter adelev@example.com élue")))
    assert "à la place d’« adelev » dès" in adele and "de « adelev »" not in adele
    assert "contributeur·rice DCP nom" not in contributor and "de direction (DCP)" not in contributor
    assert "« affecter helene@example.com élue nom Prénom Nom »" in official and "élu·e nom" not in official
    assert "Camille Martin" not in contributor + official + adele
    # Once a name is known, it shows: no advice to give one.
    renamed = plain(texts(await lead.say("affecter meganb@example.com contributrice DCP nom Megan Bowen")))
    again = plain(texts(await lead.say("affecter meganb@example.com contributrice DCP")))
    assert "**Megan Bowen** (meganb@example.com)" in renamed + again and "Pour afficher son nom" not in renamed + again


async def test_the_help_says_what_each_command_does_in_plain_words(runtime, talk):
    await seed(runtime)

    lead = plain(await whole_help(talk("lead-aad", "Camille Martin")))
    contributor = plain(await whole_help(talk("nadia-aad", "Nadia Benali")))

    assert "« cadence du COPIL 1 à 2 » : changer le nombre de réunions recommandé par an (ici 1 à 2)" in lead
    assert (
        "« mettre à jour mes indicateurs » : saisir les valeurs une par une "
        "(pour une autre direction : « mettre à jour les indicateurs de DPB pour 2025-T4 »)"
    ) in lead
    assert "« mettre à jour mes indicateurs » : saisir les valeurs une par une" in contributor
    assert "pour une autre direction" not in contributor and "« … de DPB" not in lead + contributor
    assert (
        "« directions en retard » : les directions qui n’ont pas encore saisi leurs indicateurs pour la dernière période terminée"
    ) in lead
    assert (
        "« marchés sans considération environnementale » : les marchés notifiés à compter du 21 août 2026 "
        "qui n’en déclarent aucune dans les DECP. L’obligation ne vaut que pour les consultations engagées à compter "
        "de cette date : vérifiez pour chaque marché la date de lancement de sa consultation."
    ) in lead  # Reader 7, B31: « vérifiez-la » pointed at nothing clear.
    assert "vérifiez-la" not in lead  # Reader 4, B8: a contract notified since may come from a consultation engaged before; reader 6, B7: one colon.
    assert "« retirer la page SPASER » : mettre la page publique hors ligne" in lead
    assert "« rattacher la question 3 à la fiche copil » : la question n° 3 renverra désormais à la fiche « copil » (sur le comité de pilotage)" in lead  # reader 7, C56
    # Issue #17, point 7: real examples, not « prenom.nom@ville.fr », « nom Prénom Nom » or « retirer … ».
    assert "« affecter marie.curie@ville.fr contributrice DRH nom Marie Curie »" in lead
    assert "prenom.nom" not in lead and "Prénom Nom" not in lead and "« retirer … »" not in lead
    assert "« répondre à la question 3 » : votre réponse sera donnée aux personnes qui la poseront" in lead
    assert "Pendant une saisie guidée, tapez « annuler » pour l’arrêter à tout moment." in contributor
    assert "Dans un dialogue" not in contributor
    assert "[Formulaire des indicateurs]" in contributor and "[Formulaire indicateurs]" not in contributor


async def test_the_attach_command_shown_in_the_help_is_understood(runtime, talk):
    await seed(runtime)

    reply = plain(texts(await talk("lead-aad", "Camille Martin").say("rattacher la question 3 à la fiche copil")))

    assert "Je ne sais pas" not in reply and "pas compris" not in reply


def test_the_greeting_offers_what_the_assistant_can_do():
    assert any("Tapez « aide » pour voir ce que je sais faire." in plain(reply) for reply in GREETING_REPLIES)
    assert not any("mes commandes" in reply for reply in GREETING_REPLIES)


async def test_gibberish_is_not_called_a_question(runtime, talk):
    reply = texts(await talk("stranger-aad", "Alex Morin").say("xyzzy plugh"))

    assert reply.startswith(NOT_UNDERSTOOD_TEXT)
    assert plain(NOT_UNDERSTOOD_TEXT) == (
        "Je n’ai pas compris votre message. Nommez le sujet en quelques mots (« clause sociale », « comité de pilotage »…) "
        "ou tapez « aide » pour voir ce que je sais faire."
    )
    assert "sigle" not in reply, "issue 17: an acronym is no advice"
    assert "question" not in reply


async def test_the_update_dialog_says_what_it_saved_in_words(runtime, talk):
    await seed(runtime)
    nadia = talk("nadia-aad", "Nadia Benali")

    listing = plain(texts(await nadia.say("mettre à jour mes indicateurs")))
    retry = plain(texts(await nadia.say("6O %")))
    await nadia.say("64,5 %")
    await nadia.say("aucun")
    saved = plain(texts(await nadia.say("oui")))

    assert "Je vais vous les demander un par un." in listing and "Je vous les demande" not in listing
    assert "(2026-T3)" not in listing
    assert retry == (
        "« 6O % » contient la lettre O au lieu du chiffre zéro. Retapez la valeur en chiffres, par exemple « 60 % », "
        "ou tapez « passer ». Il vous reste 2 essais."
    ), "said once, not « Tapez… » then « Retapez… » (fresh reader, B12)"
    assert saved.startswith("Enregistré : 64,5 % pour IND-01.") and "=" not in saved


async def test_the_form_asks_to_correct_the_one_field_or_the_fields(runtime, talk):
    await seed(runtime)
    nadia = talk("nadia-aad", "Nadia Benali")
    card = card_of(await nadia.say("formulaire des indicateurs"))

    back = card_of(await nadia.submit(submit_data(card, **{"valeur|IND-01|2026-T3": "140 %"})))
    again = card_of(await nadia.submit(submit_data(back, **{"valeur|IND-01|2026-T3": "140 %", "valeur|IND-05|2025": "150 %"})))
    one, two = json.dumps(back, ensure_ascii=False), json.dumps(again, ensure_ascii=False)

    assert "Corrigez le champ signalé, puis renvoyez le formulaire." in one
    assert "Corrigez les champs signalés, puis renvoyez le formulaire." in two
    assert "Direction DCP" in one and "Direction DCP – Direction DCP" not in one and "Direction DCP — " not in one


def test_a_value_with_other_words_names_the_unit_and_gives_an_example():
    with pytest.raises(InvalidValue) as refused:
        parse_value("12,5 kilos", Unit.PERCENT)

    assert plain(refused.value.message).endswith(
        "tapez seulement la valeur en pourcentage, sans autre mot. Exemple de saisie valide : 12,5 %."
    )
    assert "unité de l’indicateur" not in refused.value.message


def test_the_advice_to_send_again_agrees_with_any_number_of_messages():
    said = explain(NO_REFERENCE, ["Hélène Dubois", "Marc Lefèvre"])

    # Reader 8, B24: « Pour les prochains » left the noun to guess; no masculine « ils » either.
    assert said.endswith("faites-leur installer l’assistant dans Teams pour que les prochains messages leur parviennent.")
    assert explain(NO_REFERENCE, ["Hélène Dubois"]).endswith("faites-lui installer l’assistant dans Teams pour que les prochains messages lui parviennent.")
    assert " ils " not in said
    assert "refaites l’envoi" not in said  # reader4 B11: no command does that for a reminder
    assert "renvoyez le message" not in said


def test_the_notification_preview_shows_no_markdown():
    reply = shape_message(MessageFactory.text(f"C’est planifié{NBSP}: **comité de pilotage** le jeudi 10 décembre."))
    card_reply = build_message(f"**Bilan de votre diffusion**{NBSP}: 3 messages envoyés.", {"type": "AdaptiveCard", "body": []})
    proactive = build_message("**Bilan** de votre diffusion", None)
    plain_reply = shape_message(MessageFactory.text("Avec plaisir !"))

    assert reply.summary == f"C’est planifié{NBSP}: comité de pilotage le jeudi 10{NBSP}décembre."
    assert reply.text == reply.summary, "a text message's first line is its preview: no Markdown marks"
    assert card_reply.summary == f"Bilan de votre diffusion{NBSP}: 3 messages envoyés."
    assert proactive.summary == "Bilan de votre diffusion" and proactive.text == "Bilan de votre diffusion"
    assert plain_reply.summary == f"Avec plaisir{NBSP}!", "every message has its summary (fresh reader, A5)"


async def test_no_open_question_is_said_without_an_emoji(runtime, talk):
    reply = texts(await talk().say("questions sans réponse"))

    assert reply == "Aucune question en attente de réponse."


def test_refusals_all_say_action():
    assert UNREGISTERED_REFUSAL.startswith("Cette action est réservée aux personnes enregistrées")
    assert "Cette fonction" not in UNREGISTERED_REFUSAL


def test_every_out_of_scope_answer_opens_the_same_way_and_names_the_daj_in_full():
    for path in sorted(ENTRIES.glob("hors-sujet-*.md")):
        answer = plain(path.read_text(encoding="utf-8").split("\n---\n", 1)[1])

        assert answer.startswith("Je ne peux pas vous aider sur ce point : je réponds aux questions sur le SPASER et son suivi."), path.name
        assert "Bercy" not in answer and "pas mon sujet" not in answer and "sort de mon champ" not in answer, path.name
        if "economie.gouv.fr/daj" in answer:
            assert "direction des affaires juridiques des ministères économiques et financiers" in answer, path.name
        # Reader 7, B34: what it is not and where to look, in three sentences at most, as the
        # European thresholds' answer (five sentences read as a refusal followed by a lecture).
        sentences = [s for s in " ".join(answer.split()).replace("? ».", "?».").split(". ") if s]
        assert len(sentences) <= 3 and len(" ".join(answer.split())) <= 500, path.name
