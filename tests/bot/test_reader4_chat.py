"""What a fourth careful French reader circled in one end-to-end run (issue #17), in
the chat with the real bot and the demo organisation; the point's number in each test's docstring."""

from __future__ import annotations

import pytest

from bot.demo import load_demo
from domain.indicators.values import warm_up
from domain.people import Role
from domain.text import directorate_introduced
from tests.conftest import texts
from tests.reader_support import demo_person, plain
from tests.summary_support import organisation


@pytest.fixture(scope="module", autouse=True)
def recognizers():
    warm_up()


async def test_the_help_offers_only_the_sections_the_person_has(runtime, talk, tmp_path):
    """A1, B20: someone without a role read « aide comités », « aide indicateurs » and « votre rôle et
    votre direction », with neither sections nor directorate."""
    await load_demo(runtime, "local-tenant", tmp_path)
    stranger = plain(texts(await talk("aad-nobody", "Alex Inconnu").say("aide")))
    official = demo_person(Role.OFFICIAL)
    elue = plain(texts(await talk(official.aad_object_id, official.name).say("aide")))
    contributor = demo_person(Role.CONTRIBUTOR)
    contributrice = plain(texts(await talk(contributor.aad_object_id, contributor.name).say("aide")))

    assert "« aide » : ce sommaire" in stranger and "aide comités" not in stranger and "aide indicateurs" not in stranger
    assert "« qui suis-je ? » : votre rôle" in stranger
    assert "votre direction" not in stranger and "votre direction" not in elue
    assert "« aide » : ce sommaire ; « aide comités », « aide indicateurs » : une section en entier" in elue
    assert "« qui suis-je ? » : votre rôle et votre direction" in contributrice


async def test_the_reply_to_a_planned_meeting_shows_no_number_nobody_types(runtime, talk):
    """A2: « C’est planifié : comité technique n° 2 » for the first comité technique, the number being
    shared by every kind of committee."""
    lead = talk("lead-aad", "Camille Martin")
    for line in ("planifier un COPIL le 12 mars à 14h", "salle du conseil", "Bilan", "oui"):
        await lead.say(line)
    for line in ("planifier un comité technique le 19 mars à 14h", "salle 204", "Bilan", "oui"):
        done = plain(texts(await lead.say(line)))

    assert "C’est planifié : **comité technique** le vendredi 19 mars 2027 à 14 h 00." in done, done
    assert "n°" not in done


async def test_a_broadcast_to_one_person_names_her(runtime, talk, sqlite_database, connector):
    """C25: « Voulez-vous envoyer ce message à 1 destinataire ? », the preview naming Adele Vance."""
    await organisation(sqlite_database, connector.url)
    lead = talk("aad-camille@ville.fr", "Camille Martin")
    await lead.say("diffuser un message à la direction DCP")
    preview = plain(texts(await lead.say("Pensez à saisir vos indicateurs.")))
    sent = plain(texts(await lead.say("oui")))

    assert "Voulez-vous envoyer ce message à Nadia Benali ?" in preview, preview
    assert sent == (  # reader 9, C11: « envoi » once, and what the report will say in plain words
        "Message en cours d’envoi à la direction DCP (1 destinataire joignable : Nadia Benali). "  # reader 12, B15
        "Je vous confirmerai ensuite qu’il lui est bien parvenu."  # reader 10, C2
    ), sent


async def test_no_meeting_ahead_is_said_one_way(runtime, talk):
    """C26: « Aucune réunion de comité n’est planifiée pour le moment. » then « Aucun comité à venir n’est
    planifié. » for the same absence."""
    lead = talk("lead-aad", "Camille Martin")
    said = [plain(texts(await lead.say(line))) for line in ("prochain comité", "lister les comités", "déplacer un comité")]

    assert said[0] == "Aucune réunion de comité n’est planifiée pour le moment.", said
    assert said[1] == said[0] and said[2].startswith(said[0]), said


async def test_a_directorate_is_introduced_one_way_without_nested_brackets(runtime, talk, tmp_path):
    """B16: « DAJ : Direction… » in the list, « direction DCP (Direction de la commande publique) » in
    « qui suis-je »; one form, « Direction de la commande publique (DCP) »."""
    await load_demo(runtime, "local-tenant", tmp_path)
    lead = demo_person(Role.LEAD)
    contributor = demo_person(Role.CONTRIBUTOR)
    listed = plain(texts(await talk(lead.aad_object_id, lead.name).say("lister les directions")))
    who = plain(texts(await talk(contributor.aad_object_id, contributor.name).say("qui suis-je")))

    assert "- Direction de la commande publique (DCP)" in listed and "DCP :" not in listed, listed
    assert "de la direction de la commande publique (**DCP**)." in who, who
    assert "(Direction" not in who


async def test_a_count_in_the_form_says_what_it_counts(runtime, talk, tmp_path):
    """C29: « Valeur (nombre) » next to « Valeur (personnes) » and « Valeur (jours) »."""
    await load_demo(runtime, "local-tenant", tmp_path)
    contributor = demo_person(Role.CONTRIBUTOR)
    [form] = [a for a in await talk(contributor.aad_object_id, contributor.name).say("formulaire indicateurs") if a.attachments]
    labels = []

    def walk(node):
        if isinstance(node, dict):
            if node.get("type") == "Input.Text" and str(node.get("id", "")).startswith("valeur|"):
                labels.append(node["label"])
            for child in node.values():
                walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    walk(form.attachments[0].content)
    assert labels and "Valeur (nombre)" not in labels, labels
    assert "Valeur (marchés réservés)" in labels, labels


async def test_moving_a_kind_with_none_ahead_names_that_kind(runtime, talk):
    """Review: « déplacer le comité technique » said « Aucune réunion de comité n’est planifiée », false
    with a COPIL ahead, and offered to plan a COPIL."""
    said = plain(texts(await talk("lead-aad", "Camille Martin").say("déplacer le comité technique")))
    assert said.startswith("Aucune réunion de comité technique n’est planifiée pour le moment."), said
    assert "« planifier un comité »" in said and "COPIL" not in said, said


def test_a_one_letter_code_is_bolded_where_it_stands_not_inside_direction():
    """Review: « **D**irection D » when the code is a letter of « Direction »."""
    assert directorate_introduced("D", "") == "direction **D**"
    assert directorate_introduced("DCP", "Direction de la commande publique") == "direction de la commande publique (**DCP**)"
