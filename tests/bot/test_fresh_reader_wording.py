"""What a fresh French reader circled in one end-to-end run (/work/helpers/reader1_findings.md, the
chat texts and cards): each text as it now reads, through the real bot where a conversation shows it;
the finding's number in each test's docstring."""

from __future__ import annotations

import json
import re

import pytest

from bot.console import render_as_text, teams_activity
from bot.demo import DEMO_PEOPLE, load_demo
from domain.broadcasts import message_card
from domain.indicators.values import warm_up
from domain.knowledge import DEFAULT_ENTRIES_PATH, load_entries
from domain.people import Role
from tests.committees_support import paris
from tests.conftest import texts, whole_help
from tests.indicators_support import card_of, seed, submit_data

NBSP = "\u00a0"


@pytest.fixture(scope="module", autouse=True)
def recognizers():
    warm_up()


def plain(text: str) -> str:
    return " ".join(text.replace(NBSP, " ").replace("\u202f", " ").split())


@pytest.fixture
async def nadia(runtime, talk):
    await seed(runtime)
    return talk("nadia-aad", "Nadia Benali")


def _demo_person(role: Role):
    return next(p for p in DEMO_PEOPLE if p.role is role and (role is not Role.CONTRIBUTOR or p.directorate == "DCP"))


async def test_a_message_not_understood_says_tapez_aide_once(runtime, talk):
    """A1: « … ou tapez « aide » pour voir ce que je sais faire. / Tapez « aide » pour voir… »."""
    reply = plain(texts(await talk("stranger-aad", "Alex Morin").say("xyzzy plugh")))

    assert reply.count("« aide »") == 1, reply


async def test_article_numbers_months_and_arrows_stay_on_one_line_in_chat_and_cards(runtime, talk, tmp_path):
    """A3, B19: « L. 2113- / 13 », « 12 / derniers mois », « · ↑ / en progrès » were cut in cards."""
    await load_demo(runtime, "local-tenant", tmp_path)
    contributor, official = _demo_person(Role.CONTRIBUTOR), _demo_person(Role.OFFICIAL)
    form = json.dumps(card_of(await talk(contributor.aad_object_id, contributor.name).say("formulaire des indicateurs")),
                      ensure_ascii=False)
    listing = texts(await talk(contributor.aad_object_id, contributor.name).say("définition de IND-06"))
    detail = texts(await talk(official.aad_object_id, official.name).say("synthèse détaillée"))

    # Reader 10, C14: IND-06 has one label; its articles are a note, under it on the card.
    assert "Nombre de marchés réservés" in form and "(articles" not in form
    assert "au sens des articles L.\u00a02113\u201112 et L.\u00a02113\u201113 du code de la commande publique." in detail
    assert "L.\u00a02113\u201112" in listing and "L. 2113-12" not in listing
    assert "↑\u00a0en hausse" in detail and "↑ en" not in detail and "→ " not in detail
    assert "12\u00a0derniers mois" in detail and "12 derniers" not in detail


async def test_the_lead_s_text_in_a_card_keeps_its_colon_with_its_word(runtime):
    """A4: the broadcast card showed a line starting « : merci de le lire… »."""
    card = json.dumps(message_card("Le bilan sera présenté au COPIL : merci de le lire.", "Alex Wilber",
                                   paris(2026, 12, 6, 1), "Europe/Paris"), ensure_ascii=False)

    assert "au COPIL\u00a0: merci de le lire." in card


async def test_every_reply_on_teams_has_a_plain_summary_that_says_what_a_card_is(client, connector):
    """A5, B20: the chat list showed « Vous êtes **Alex… » and « Send a card »."""
    async def replies(aad: str, name: str, text: str) -> list[dict]:
        activity = teams_activity(aad_object_id=aad, name=name, conversation_id=f"a:{aad}", id=f"{aad}-{text}",
                                  text=text, delivery_mode="expectReplies")
        activity.service_url = connector.url
        response = await client.post("/api/messages", json=activity.serialize())
        return (await response.json())["activities"]

    [who] = await replies("nadia-aad", "Nadia Benali", "qui suis-je")
    [hello] = await replies("nadia-aad", "Nadia Benali", "bonjour")
    [help_card] = await replies("nadia-aad", "Nadia Benali", "aide")
    due = await replies("nadia-aad", "Nadia Benali", "indicateurs à renseigner")
    summary = await replies("maire-aad", "Hélène Dubois", "synthèse")

    assert who["summary"].startswith("Vous êtes Nadia Benali. Vous renseignez") and "**" not in who["summary"]
    assert hello["summary"] and "**" not in hello["summary"], "a text without Markdown has its summary too"
    assert help_card["summary"] == "Aide de l’assistant du SPASER"
    assert all(reply.get("summary") for reply in [*due, *summary])
    assert summary[-1]["summary"].startswith("Synthèse SPASER")


def test_a_card_without_its_own_summary_is_summed_up_by_its_title():
    """B20: every card sent without a summary (the meeting to plan, the remaining indicators) read « Send a card »."""
    from botbuilder.core import CardFactory, MessageFactory

    from bot.teams_text import shape_message

    card = {"type": "AdaptiveCard", "body": [{"type": "Container", "items": [
        {"type": "TextBlock", "text": "**Comité de pilotage à planifier**"}, {"type": "TextBlock", "text": "Date"}]}]}
    activity = shape_message(MessageFactory.attachment(CardFactory.adaptive_card(card)))

    assert activity.summary == "Comité de pilotage à planifier"


async def test_the_due_list_says_which_directorate_has_how_many(nadia):
    """A11: « DCP : 10 indicateurs à renseigner. »."""
    listing = plain(texts(await nadia.say("mettre à jour mes indicateurs")))

    assert listing.startswith("La direction **DCP** a 10 indicateurs à renseigner :")


async def test_the_confirmation_shows_the_typed_comment_as_others_read_it(nadia):
    """A13: « commentaire « Deux marchés de nettoyage avec clause d'insertion » »; B14: « tapez « aucun » pour passer »
    clashed with the « passer » command."""
    await nadia.say("mettre à jour mes indicateurs")
    comment_question = plain(texts(await nadia.say("24 %")))
    confirm = texts(await nadia.say("Deux marchés de nettoyage avec clause d'insertion"))

    assert "? Il est facultatif : tapez « aucun » si vous n’en avez pas." in comment_question  # reader 6, B8: no « ? (…) »
    assert "pour passer" not in comment_question
    assert "commentaire «\u00a0Deux marchés de nettoyage avec clause d’insertion\u00a0»" in confirm


async def test_an_official_is_given_the_role_named_as_one(runtime, talk):
    """B1: « adelev@example.com est élu·e ou directeur·rice » read as if the assistant did not know which;
    reader 10, B6: « le rôle d’élu·e ou de directeur·rice » to a person the lead called « élue », and
    « En tant qu’élu·e ou directeur·rice » to Adele, read like a form left unticked."""
    await seed(runtime)
    lead = talk()
    said = plain(texts(await lead.say("affecter adelev@example.com élue")))
    welcome = plain(texts(await talk("maire-aad", "Hélène Dubois").install()))

    assert "C’est noté : **adelev@example.com** a désormais le rôle d’élue." in said
    assert "Vous pouvez suivre l’avancement du SPASER et consulter sa synthèse avant les comités." in welcome
    assert "·" not in said + welcome


async def test_a_role_chosen_without_a_gendered_word_is_said_by_what_the_person_may_do(runtime, talk):
    """Reader 10, B6: « dgs » or a role chosen on the card says no form of the person's own."""
    await seed(runtime)
    said = plain(texts(await talk().say("affecter dgs@example.com dgs")))
    contributor = plain(texts(await talk().say("affecter agent@example.com agent DCP")))
    assert "C’est noté : **dgs@example.com** pourra suivre l’avancement du SPASER et consulter sa synthèse." in said
    assert "**agent@example.com** pourra renseigner les indicateurs SPASER de la direction DCP." in contributor
    assert "·" not in said + contributor


async def test_a_reminder_that_leaves_today_says_today_not_the_eve(runtime, talk):
    """B2: « Rappel aux membres : la veille (dimanche 6 décembre 2026 à 1 h 51). » for a meeting planned for
    tomorrow, the reminder leaving at once (the clock is Monday 30 November, 10 h 00 in Paris)."""
    lead = talk()
    await lead.say("planifier un COPIL demain à 14h")
    await lead.say("salle du conseil")
    await lead.say("Bilan 2026")
    done = plain(texts(await lead.say("oui")))

    assert "Rappel aux membres : aujourd’hui à 14 h 00." in done and "la veille" not in done
    # Reader 9, C12: what the plan does not do for a meeting this close, and what the élu·es get.
    assert (  # reader 10, A7
        "Rappel aux membres : aujourd’hui à 14 h 00. Les élu·es et directeur·rices recevront la synthèse avec ce rappel, "
        "sauf celles et ceux qui l’auront déjà reçue ou consultée le jour même."
    ) in done
    # Reader 11, A9: only the automatic reminders are too late (this runtime has no indicator data).
    assert ("Les relances automatiques des directions (quatre semaines, puis dix jours avant la réunion) ne partiront pas : "
            "ces dates sont déjà passées.") in done, done  # reader 12, A1: not one delay of 38 days


async def test_a_reminder_that_leaves_within_the_hour_gives_its_time_not_a_delay_from_now(runtime, talk):
    """Reader 7, C53 then reader 11, B15 asked for « dans 30 minutes, à 10 h 30 »; reader 14: « dans une
    minute, à 18 h 23 » is wrong as soon as the message is read later. The time stays true (the clock
    is Monday 30 November, 10 h 00 in Paris; the eve's reminder leaves at the meeting's hour)."""
    lead = talk()
    await lead.say("planifier un COPIL demain à 10h30")
    await lead.say("salle du conseil")
    await lead.say("Bilan 2026")
    done = plain(texts(await lead.say("oui")))

    assert "Rappel aux membres : aujourd’hui à 10 h 30." in done, done
    assert "dans " not in done.split("Rappel aux membres")[1].split(".")[0]


async def test_the_form_messages_say_each_thing_once_and_in_words(nadia):
    """B11: « 140 % n’est pas possible : une part… » (two colons); B12: « Rien n’a été enregistré » in the
    message and again in the card; C1: « 1 champ à corriger »; C2: « Direction DCP – Direction DCP »."""
    card = card_of(await nadia.say("formulaire des indicateurs"))
    back = await nadia.submit(submit_data(card, **{"valeur|IND-01|2026-T3": "140 %"}))
    said, sent_back = plain(render_as_text(back[0])), json.dumps(card_of(back), ensure_ascii=False)

    assert said == "Rien n’a été enregistré : un champ est à corriger. Je vous renvoie le formulaire avec vos saisies."
    assert "IND-01\u00a0: une part ne peut pas dépasser 100\u00a0% (vous avez saisi 140\u00a0%)." in sent_back
    assert "Rien n’a été enregistré" not in sent_back and "Corrigez le champ signalé, puis renvoyez le formulaire." in sent_back
    assert '"text": "Direction DCP"' in sent_back


async def test_the_form_and_the_dialog_say_how_to_write_numbers_in_plain_french(nadia):
    """Reader 14, 20: « Écrivez les nombres comme d’habitude » is colloquial, and whose habit?"""
    form = plain(json.dumps(card_of(await nadia.say("formulaire des indicateurs")), ensure_ascii=False))
    await nadia.say("mettre à jour mes indicateurs")
    helped = plain(texts(await nadia.say("aide")))

    assert "Écrivez les nombres à la française, par exemple : 12,5 % ; 1 200 ; 1 200,50 €." in form
    assert "Écrivez les nombres à la française (par exemple 12,5 % ; 1 200 ; 1 200,50 €)." in helped
    assert "habitude" not in form + helped


async def test_the_form_says_the_comment_saved_and_how_to_correct(nadia):
    """B13: « Pour changer une valeur : « corriger IND-04 ». »; C11: the comment typed was not said saved."""
    card = card_of(await nadia.say("formulaire des indicateurs"))
    data = submit_data(card, **{"valeur|IND-01|2026-T3": "45 %", "commentaire|IND-01|2026-T3": "Source : l'OECP"})
    saved = plain(texts(await nadia.submit(data)))
    again = plain(texts(await nadia.submit(data)))
    changed = plain(texts(await nadia.submit({**data, "valeur|IND-01|2026-T3": "46 %"})))

    assert "- IND-01 (3ᵉ trimestre 2026) : 45 %, commentaire « Source : l’OECP »" in saved
    assert again == "Ce formulaire a déjà été enregistré : rien n’a été modifié."  # reader 9, C7: the same card, comment included
    assert changed.endswith(
        "Pour changer une valeur, tapez « corriger » suivi du code de l’indicateur, par exemple « corriger IND-01 »."
    )


async def test_the_late_indicators_end_with_what_to_type(runtime, talk, tmp_path):
    """B10: « « directions en retard » dit qui n’a pas encore saisi ; « synthèse » donne le tableau complet. »"""
    await load_demo(runtime, "local-tenant", tmp_path)
    contributor = _demo_person(Role.CONTRIBUTOR)

    late = plain(texts(await talk(contributor.aad_object_id, contributor.name).say("indicateurs en retard")))

    assert late.endswith(
        "Tapez « directions en retard » pour savoir qui n’a pas encore saisi ses indicateurs, ou « synthèse » pour le "
        "tableau complet."
    )


async def test_the_help_names_things_in_full_and_elides_de(runtime, talk):
    """C7: « Données essentielles (DECP) », « (ses membres sont prévenus) », « envoyez le fichier CSV »,
    « valeur de IND-03 », « pour Ville de … »."""
    await seed(runtime)
    help_text = plain(await whole_help(talk()))

    assert "Données essentielles de la commande publique (DECP)" in help_text
    assert "changer la date d’un comité (j’en informe ses membres)" in help_text and "sont prévenus" not in help_text
    assert "« importer le catalogue » : charger le catalogue depuis un fichier CSV" in help_text
    assert "« valeur d’IND-03 »" in help_text and "« historique d’IND-03 »" in help_text and "de IND-" not in help_text
    assert "« publier la page SPASER pour la Ville de Rennes »" in plain(texts(await talk().say("aide DECP")))


async def test_the_elided_forms_are_understood(runtime, talk):
    """C7: what the help shows is what people type: « valeur d’IND-01 », « historique d’IND-01 » (already
    understood before the help showed them: kept as a guard)."""
    await seed(runtime)
    lead = talk()

    values = plain(texts(await lead.say("valeur d’IND-01")))
    history = plain(texts(await lead.say("historique d’IND-01")))
    definition = plain(texts(await lead.say("définition d’IND-01")))

    assert "IND-01" in values and "pas compris" not in values and "Je ne sais pas" not in values
    assert "IND-01" in history and "pas compris" not in history
    assert "IND-01" in definition and "pas compris" not in definition


async def test_the_public_page_takes_the_organisation_s_name_without_its_article(runtime, talk):
    """C7: the help now says « pour la Ville de … »: the article is the sentence's, not the name's."""
    await seed(runtime)

    said = plain(texts(await talk().say("publier la page SPASER pour la Ville de Rivebelle")))

    assert "au nom de « Ville de Rivebelle »" in said


def test_the_european_thresholds_answer_says_what_the_50_million_are():
    """C10: « Pour le seuil de 50 M€ HT du SPASER, demandez-moi… »; reader 9, B10: « Pour savoir à
    partir de quel montant d’achats (50 millions…) » gave the answer, then told to ask for it."""
    [entry] = [e for e in load_entries(DEFAULT_ENTRIES_PATH) if e.id == "hors-sujet-seuils-europeens"]

    assert plain(entry.answer).endswith(
        "Le SPASER, lui, est obligatoire au-delà de 50 millions d’euros HT d’achats par an : "  # reader 10, C7
        "demandez-moi « qui doit adopter un SPASER ? » pour en savoir plus."
    )
    assert "Pour savoir" not in entry.answer


def test_the_answers_write_millions_of_euros_out_in_words():
    """Reader 4, C28: « 50 M€ HT » is a notation; the élu·es read « 50 millions d’euros HT »."""
    entries = load_entries(DEFAULT_ENTRIES_PATH)
    assert not [entry.id for entry in entries if "M€" in entry.answer + entry.title]
    [threshold] = [entry for entry in entries if entry.id == "seuil-historique"]
    assert "abaissé à 50 millions d’euros HT" in plain(threshold.answer)


async def test_an_export_card_names_the_file_in_words(runtime, talk):
    """C11: « Synthèse SPASER – HTML »."""
    await seed(runtime)

    card = card_of(await talk().say("exporter la synthèse en HTML"))

    assert card["body"][0]["text"] == "Synthèse SPASER (page web)"


async def test_a_count_says_what_it_counts_in_the_form_placeholder(runtime, talk, tmp_path):
    """C11: the placeholder « ex. 12 » read oddly for a count of technical committees."""
    await load_demo(runtime, "local-tenant", tmp_path)
    contributor = _demo_person(Role.CONTRIBUTOR)

    form = json.dumps(card_of(await talk(contributor.aad_object_id, contributor.name).say("formulaire des indicateurs")),
                      ensure_ascii=False)

    # Reader 9, C17: one form for every field, « par exemple … », and no legal limit given as the example.
    placeholders = re.findall(r'"placeholder": "([^"]*)"', form)
    assert "par exemple 3\u00a0comités techniques" in placeholders, placeholders
    assert "par exemple 28\u00a0jours" in placeholders and "par exemple 30\u00a0jours" not in placeholders
    assert all(text.startswith("par exemple ") for text in placeholders if "explication" not in text), placeholders


async def test_the_broadcast_preview_does_not_announce_the_report(runtime, talk):
    """C11: « (le bilan d’envoi le signalera) » said again what the report does anyway; C9: « Bilan » became
    « Compte rendu » (« Le bilan 2026 du SPASER » is something else)."""
    await seed(runtime)
    await talk("nadia-aad", "Nadia Benali").say("bonjour")
    lead = talk()
    await lead.say("diffuser un message à tout le monde")
    preview = plain(texts(await lead.say("Le bilan sera présenté en mars.")))
    sent = plain(texts(await lead.say("oui")))

    assert "Ne le recevront pas" in preview and "bilan d’envoi" not in preview
    # One reachable person (reader 10, C2): « qui l’a reçu et qui n’a pas pu » was for several.
    assert "Je vous confirmerai ensuite qu’il lui est bien parvenu." in sent and "bilan" not in sent
