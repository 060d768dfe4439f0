"""Indicators through the real bot (TestAdapter, Teams-shaped activities): the update dialog, the
form card, queries, the lead's management and the catalogue sent as a Teams file."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from botbuilder.schema import Attachment
from sqlalchemy import event

from bot.console import ConsoleConversation
from bot.runtime import build_runtime
from domain.indicators.rules import ValueEntry
from domain.indicators.values import warm_up
from domain.people import UNREGISTERED_REFUSAL, Role
from storage.db import Database
from tests.conftest import make_settings, texts
from tests.fakes.teams_connector import FakeTeamsConnector
from tests.indicators_support import (
    EXAMPLE,
    card_inputs,
    card_of,
    card_texts,
    indicator_count,
    seed,
    submit_data,
    value_rows,
)


@pytest.fixture(scope="session", autouse=True)
def recognizers():
    """The French number recognizer takes seconds to build: once for the whole session."""
    warm_up()


@pytest.fixture
async def seeded(runtime):
    await seed(runtime)
    return runtime


@pytest.fixture
def nadia(seeded, talk):
    return talk("nadia-aad", "Nadia Benali")


@pytest.fixture
def lead(seeded, talk):
    return talk("lead-aad", "Camille Martin")


# ----- the update dialog ---------------------------------------------------------------------


async def test_a_contributor_enters_a_value_with_a_comment_and_a_confirmation(seeded, nadia):
    listing = texts(await nadia.say("mettre à jour mes indicateurs"))
    assert "La direction **DCP** a 10 indicateurs à renseigner :" in listing
    assert "- **IND-01** Part des marchés notifiés comportant au moins une considération environnementale · 3\u1d49\u00a0trimestre 2026\n" in listing
    assert "(1/10) **IND-01**" in listing and "3\u1d49\u00a0trimestre 2026 · en pourcentage" in listing
    assert "(2026-T3)" not in listing, "nobody types the period code while answering"
    assert "Un commentaire sur IND-01 (45,5\u00a0%)\u00a0?" in texts(await nadia.say("45,5 %"))
    confirm = texts(await nadia.say("Source : recensement OECP"))
    assert "J’enregistre **45,5\u00a0%** pour IND-01 (direction DCP, 3\u1d49\u00a0trimestre 2026), commentaire « Source : recensement OECP » ?" in confirm, "the comment is shown as others read it"
    assert await value_rows(seeded) == [], "nothing is saved before the confirmation"
    saved = texts(await nadia.say("oui"))
    assert "Enregistré : 45,5\u00a0% pour IND-01." in saved and "(2/10) **IND-02**" in saved
    [(code, period, value, comment, _)] = await value_rows(seeded)
    assert (code, period, value, comment) == ("IND-01", "2026-T3", Decimal("45.5"), "Source : recensement OECP")


async def test_what_became_of_an_indicator_opens_the_next_question_in_one_message(seeded, nadia):
    """One message per answer: « Enregistré » or « laissé de côté » heads the next question; asked
    again (« aide »), the question comes bare."""
    await nadia.say("mettre à jour mes indicateurs")
    await nadia.say("45")
    await nadia.say("aucun")
    saved = await nadia.say("oui")
    skipped = await nadia.say("passer")
    helped = await nadia.say("aide")

    assert len(saved) == 1 and saved[0].text.startswith("Enregistré : 45\u00a0% pour IND-01.\n(2/10) **IND-02** — ")
    assert len(skipped) == 1 and skipped[0].text.startswith("IND-02 laissé de côté : rien n’est enregistré.\n(3/10) **IND-03**")
    assert helped[-1].text.startswith("(3/10) **IND-03**"), "the reprompt does not repeat what became of IND-02"


async def test_a_typo_is_explained_and_asked_again(seeded, nadia):
    await nadia.say("saisir mes indicateurs")
    retry = texts(await nadia.say("12 €"))
    assert "Cet indicateur s’exprime en pourcentage (%) : « 12 € » est en euros." in retry
    assert retry.endswith("Il vous reste 2\u00a0essais.") and "essai sur" not in retry  # issue #17, point 8
    assert "Un commentaire sur IND-01 (12\u00a0%)\u00a0?" in texts(await nadia.say("douze"))
    await nadia.say("aucun")
    await nadia.say("oui")
    assert [row[2] for row in await value_rows(seeded)] == [Decimal("12")]


async def test_after_three_unreadable_values_the_indicator_is_left_with_nothing_saved(seeded, nadia):
    await nadia.say("mettre à jour mes indicateurs")
    await nadia.say("beaucoup")
    await nadia.say("150 %")
    given_up = texts(await nadia.say("12 tonnes"))
    assert "rien n’est enregistré pour IND-01" in given_up and "(2/10) **IND-02**" in given_up
    assert await value_rows(seeded) == []


async def test_passer_skips_and_non_asks_the_value_again(seeded, nadia):
    await nadia.say("mettre à jour mes indicateurs")
    assert "IND-01 laissé de côté" in texts(await nadia.say("passer"))
    await nadia.say("20")
    await nadia.say("aucun")
    again = texts(await nadia.say("non"))
    assert "rien n’est enregistré pour IND-02" in again and "Quelle valeur pour IND-02 (3\u1d49\u00a0trimestre 2026) ?" in again
    await nadia.say("21")
    await nadia.say("aucun")
    await nadia.say("oui")
    assert [(row[0], row[2]) for row in await value_rows(seeded)] == [("IND-02", Decimal("21"))]


async def test_annuler_mid_way_keeps_only_the_confirmed_values(seeded, nadia):
    await nadia.say("mettre à jour mes indicateurs")
    for answer in ("45", "aucun", "oui", "22"):
        await nadia.say(answer)
    cancelled = texts(await nadia.say("annuler"))
    # Reader 6, B9: what was saved and what is left, not « Saisie arrêtée. » alone.
    assert cancelled == "Saisie arrêtée. Une valeur enregistrée (IND-01). Neuf indicateurs restent à renseigner."
    assert [row[0] for row in await value_rows(seeded)] == ["IND-01"]
    assert "Je n’ai pas compris" not in texts(await nadia.say("qui suis-je")), "the dialog is over"


async def test_aide_explains_and_asks_the_same_question_again(seeded, nadia):
    await nadia.say("mettre à jour mes indicateurs")
    helped = texts(await nadia.say("aide"))
    assert "12,5 %" in helped and "IND-01" in helped
    await nadia.say("45")
    assert "J’enregistre **45" in texts(await nadia.say("aucun"))


async def test_the_dialog_survives_a_restart_of_the_bot(seeded, nadia, clock):
    await nadia.say("mettre à jour mes indicateurs")
    await nadia.say("45 %")
    restarted = build_runtime(make_settings(seeded.database.url), database=Database(seeded.database.url), clock=clock)
    try:
        again = ConsoleConversation(restarted, aad_object_id="nadia-aad", name="Nadia Benali")
        assert "J’enregistre **45\u00a0%** pour IND-01" in texts(await again.say("aucun"))
        assert " pour IND-01." in texts(await again.say("oui"))
    finally:
        await restarted.database.dispose()
    assert [row[0] for row in await value_rows(seeded)] == ["IND-01"]


async def test_the_end_says_what_was_saved_and_what_remains(seeded, lead):
    listing = texts(await lead.say("mettre à jour les indicateurs de DPB"))
    assert "La direction **DPB** a 3 indicateurs" in listing
    for answer in ("1 200 heures", "RAS", "oui", "passer"):
        await lead.say(answer)
    end = texts(await lead.say("passer"))
    assert "Enregistré :\n- IND-03 (3\u1d49\u00a0trimestre 2026) : 1\u202f200\u00a0heures" in end
    assert "Reste à renseigner pour la direction DPB :\n- IND-12 (année 2025)\n- IND-15 (3\u1d49\u00a0trimestre 2026)" in end
    assert "[Saisir par le chat] | [Ouvrir le formulaire]" in end


async def test_the_lead_picks_a_directorate_and_may_give_a_past_period(seeded, lead):
    asked = texts(await lead.say("mettre à jour mes indicateurs"))
    assert "Pour quelle direction ?" in asked and "[DRM]" in asked
    one = texts(await lead.say("DRM"))
    assert "La direction **DRM** a 1 indicateur à renseigner :" in one and "Je vais vous le demander." in one and "un par un" not in one
    await lead.say("annuler")
    past = texts(await lead.say("mettre à jour les indicateurs de DPB pour 2025-T4"))
    assert "IND-03" in past and "IND-15" in past and "IND-12" not in past, "only the quarterly ones for a quarter"
    for answer in ("9 800", "aucun", "oui"):
        await lead.say(answer)
    assert ("IND-03", "2025-T4") in [(row[0], row[1]) for row in await value_rows(seeded)]


async def test_a_contributor_keeps_to_their_directorate_and_the_current_period(seeded, nadia):
    replies = texts(await nadia.say("mettre à jour les indicateurs de DPB pour 2025-T4"))
    assert "Seules les personnes responsables du SPASER peuvent choisir une autre période" in replies
    assert "votre direction (DCP)" in replies and "La direction **DCP** a 10 indicateurs" in replies


async def test_officials_and_unknown_people_cannot_enter_values(seeded, talk):
    official = texts(await talk("maire-aad", "Hélène Dubois").say("mettre à jour mes indicateurs"))
    stranger = texts(await talk("nobody-aad", "Paul").say("mettre à jour mes indicateurs"))
    assert "réservée" in official and stranger == UNREGISTERED_REFUSAL
    assert await value_rows(seeded) == []


async def test_a_contributor_corrects_a_value_and_the_lead_sees_the_trail(seeded, nadia, lead):
    values = seeded.values
    person = await seeded.people.get_by_email("nadia@ville.fr")
    await values.record_value(person, "DCP", ValueEntry("IND-01", "2026-T3", "40"), values.today())
    correction = texts(await nadia.say("corriger IND-01"))
    assert "à corriger" in correction and "déjà saisi : 40\u00a0% par Nadia Benali" in correction
    for answer in ("42,5", "erreur de périmètre"):
        await nadia.say(answer)
    inserts: list[str] = []

    def note(_connection, _cursor, statement, *_args) -> None:
        if statement.lstrip().startswith("INSERT INTO indicator_value"):
            inserts.append(statement)

    event.listen(seeded.database.engine.sync_engine, "before_cursor_execute", note)
    try:
        reply = texts(await nadia.say("oui"))
    finally:
        event.remove(seeded.database.engine.sync_engine, "before_cursor_execute", note)
    assert "remplace 40\u00a0%, conservé dans l’historique" in reply
    assert len(inserts) == 1, "the value known to be there is taken over at once, with no first-value insert tried"
    trail = texts(await lead.say("historique de IND-01"))
    assert "3\u1d49\u00a0trimestre 2026, direction DCP : 40\u00a0% (remplacée), par Nadia Benali le" in trail
    assert "3\u1d49\u00a0trimestre 2026, direction DCP : 40\u00a0% →\u00a042,5\u00a0%, par Nadia Benali le lundi 30 novembre 2026" in trail
    assert "« erreur de périmètre »" in trail


# ----- queries -----------------------------------------------------------------------------------


async def test_what_is_due_for_a_contributor_and_for_the_lead(seeded, nadia, lead):
    mine = texts(await nadia.say("Quels indicateurs dois-je renseigner ?"))
    assert "La direction **DCP** a 10 indicateurs à renseigner :" in mine and "IND-04" in mine and "IND-08" not in mine
    assert "[Saisir par le chat] | [Ouvrir le formulaire]" in mine
    assert "3\u1d49\u00a0trimestre 2026 · en pourcentage (%)" in mine and "2026-T3" not in mine
    overview = texts(await lead.say("quels indicateurs dois-je renseigner ?"))
    assert "**DRM** (Direction DRM) : 1 — IND-08 (année 2025)" in overview


async def test_value_of_an_indicator_by_directorate(seeded, talk):
    values = seeded.values
    lead_person = await seeded.people.assign("camille@ville.fr", Role.LEAD)
    await values.record_value(lead_person, "DPB", ValueEntry("IND-03", "2026-T2", "4 500"), values.today())
    official = talk("maire-aad", "Hélène Dubois")
    shown = texts(await official.say("valeur de IND-03"))
    assert "**IND-03** — Heures d'insertion" in shown and "cible\u00a0: 20\u202f000\u00a0heures par trimestre en 2028" in shown
    assert "Unité\u00a0: heures\u00a0; fréquence\u00a0: trimestrielle\u00a0; évolution recherchée\u00a0: à la hausse" in shown
    assert "- DCP : pas encore de valeur" in shown and "- DPB : **4\u202f500\u00a0heures** au 2\u1d49\u00a0trimestre 2026" in shown
    assert "Indicateur « IND-99 » inconnu" in texts(await official.say("valeur de IND-99"))


async def test_a_contributor_sees_only_their_directorate_in_a_history(seeded, nadia):
    values = seeded.values
    lead_person = await seeded.people.assign("camille@ville.fr", Role.LEAD)
    await values.record_value(lead_person, "DPB", ValueEntry("IND-03", "2026-T2", "4 500"), values.today())
    assert "Aucune valeur saisie pour la direction DCP" in texts(await nadia.say("historique de IND-03"))


async def test_a_contributor_reads_only_their_directorate_value_as_in_the_summary(seeded, nadia, talk):
    """One scope rule for values and comments of other directorates: the summary's (README)."""
    values = seeded.values
    lead_person = await seeded.people.assign("camille@ville.fr", Role.LEAD)
    entry = ValueEntry("IND-03", "2026-T2", "4 500", comment="Retard dû au sous-traitant X (confidentiel)")
    await values.record_value(lead_person, "DPB", entry, values.today())
    shown = texts(await nadia.say("valeur de IND-03"))
    assert "- DCP : pas encore de valeur" in shown
    assert "DPB" not in shown and "confidentiel" not in shown
    assert "DPB" in texts(await talk("maire-aad", "Hélène Dubois").say("valeur de IND-03"))
    elsewhere = texts(await nadia.say("valeur de IND-08"))
    assert "n’est pas renseigné par votre direction" in elsewhere


async def test_the_catalogue_by_axis_and_the_lead_sees_the_deactivated_ones(seeded, nadia, lead):
    listed = texts(await nadia.say("catalogue"))
    assert "Catalogue : 15 indicateurs actifs." in listed and "**Axe social**" in listed
    assert "IND-16" not in listed
    lead_view = texts(await lead.say("lister les indicateurs"))
    assert "Désactivés : IND-16." in lead_view and "désactiver IND-03" in lead_view


# ----- the lead manages the catalogue by chat --------------------------------------------------


async def test_the_lead_adds_an_indicator_question_by_question(seeded, lead):
    await lead.say("ajouter un indicateur IND-30")
    assert "axe" in texts(await lead.say("Part des marchés avec une clause de réemploi"))
    await lead.say("environnemental")
    assert "directions" in texts(await lead.say("%"))
    assert "direction « DXX » inconnue" in texts(await lead.say("DXX"))
    await lead.say("DPB, DCP")
    await lead.say("annuelle")
    await lead.say("hausse")
    assert "mauvais sens" in texts(await lead.say("40 ; 20 ; 2030"))
    await lead.say("10 ; 40 ; 2030")
    assert "Que mesure-t-il et comment est-il calculé" in texts(await lead.say("Registre des marchés"))
    await lead.say("Marchés notifiés dans l'année avec une clause de réemploi, rapportés à tous les marchés notifiés")
    summary = texts(await lead.say("non"))
    assert "**IND-30** — Part des marchés avec une clause de réemploi" in summary and "directions : DPB, DCP" in summary
    assert "définition : Marchés notifiés dans l'année avec une clause de réemploi" in summary
    assert "ajouté au catalogue ; il sera demandé aux directions DPB et DCP." in texts(await lead.say("oui"))
    added = await seeded.catalogue.require("IND-30")
    assert added.directorates == ("DCP", "DPB") and added.target == Decimal("40") and added.unit.value == "%"
    assert added.definition.startswith("Marchés notifiés dans l'année")
    defined = texts(await lead.say("définition de IND-30"))
    assert "Unité : pourcentage (%) ; fréquence : " in defined and "évolution recherchée : à la hausse" in defined
    assert "Ce qu’il mesure : Marchés notifiés dans l'année avec une clause de réemploi" in defined
    assert "Renseigné par les directions DCP et DPB ; valeur de l’organisme : moyenne des valeurs des directions." in defined


async def test_the_added_indicator_s_target_reads_per_period_as_in_the_summary(seeded, lead):
    """Reader 7, A1: « cible : 20 000 heures en 2028 » read as a year's target for a quarterly amount."""
    await lead.say("ajouter un indicateur IND-31")
    await lead.say("Heures d'insertion des marchés de travaux")
    await lead.say("social")
    await lead.say("heures")
    await lead.say("DPB")
    await lead.say("trimestrielle")
    await lead.say("hausse")
    await lead.say("aucune ; 20000 ; 2028")
    await lead.say("Registre des marchés")
    await lead.say("aucune")
    summary = texts(await lead.say("non"))
    assert "cible\u00a0: 20\u202f000\u00a0heures par trimestre en 2028" in summary, summary


async def test_the_lead_edits_and_deactivates_and_a_contributor_cannot(seeded, lead, nadia):
    assert "cible\u00a0: 25\u202f000\u00a0heures par trimestre en 2028" in texts(await lead.say("modifier IND-03 cible 25 000"))
    assert "C’est modifié" in texts(await lead.say("modifier IND-03 libellé Heures d'insertion réalisées"))
    assert (await seeded.catalogue.require("IND-03")).label == "Heures d'insertion réalisées"
    refused = texts(await lead.say("modifier IND-03 unité kilos"))
    assert "unité « kilos » inconnue" in refused and "Rien n’a été modifié" in refused
    assert "IND-03 est désactivé" in texts(await lead.say("désactiver IND-03"))
    assert "réservée aux personnes responsables du SPASER" in texts(await nadia.say("réactiver IND-03"))
    assert not (await seeded.catalogue.require("IND-03")).active


# ----- the form card ------------------------------------------------------------------------------


async def test_the_form_saves_every_value_at_once_and_a_second_submit_saves_nothing(seeded, nadia):
    card = card_of(await nadia.say("formulaire indicateurs"))
    inputs = card_inputs(card)
    assert "valeur|IND-01|2026-T3" in inputs and inputs["valeur|IND-01|2026-T3"]["label"] == "Valeur (%)"
    assert card["version"] == "1.5" and card["actions"][0]["data"]["directorate"] == "DCP"
    shown = json.dumps(card["body"], ensure_ascii=False)
    assert "3\u1d49\u00a0trimestre 2026 · en pourcentage (%)" in shown
    assert "(2026-T3)" not in shown, "the period is written out; its code stays in the input ids"
    data = submit_data(card, **{"valeur|IND-01|2026-T3": "45,5 %", "valeur|IND-05|2025": "38", "commentaire|IND-05|2025": "OECP"})
    saved = texts(await nadia.submit(data))
    assert "Enregistré pour la direction DCP (2 valeurs)" in saved and "- IND-05 (année 2025) : 38\u00a0%" in saved
    assert "Reste à renseigner : IND-02 (3\u1d49\u00a0trimestre 2026)" in saved
    again = texts(await nadia.submit(data))
    assert again == "Ce formulaire a déjà été enregistré\u00a0: rien n’a été modifié.", again  # reader 9, C7: the same card, comment included
    assert [(row[0], row[2], row[3]) for row in await value_rows(seeded)] == [
        ("IND-01", Decimal("45.5"), None),
        ("IND-05", Decimal("38"), "OECP"),
    ]


async def test_a_form_with_an_error_saves_nothing_and_comes_back_with_the_values_typed(seeded, nadia):
    card = card_of(await nadia.say("formulaire indicateurs"))
    data = submit_data(card, **{"valeur|IND-01|2026-T3": "45", "valeur|IND-02|2026-T3": "12 €", "commentaire|IND-03|2026-T3": "sans valeur"})
    replies = await nadia.submit(data)
    assert "Rien n’a été enregistré\u00a0: deux champs sont à corriger." in texts(replies)
    back = card_of(replies)
    inputs = card_inputs(back)
    assert inputs["valeur|IND-01|2026-T3"]["value"] == "45" and inputs["valeur|IND-02|2026-T3"]["value"] == "12 €"
    assert inputs["commentaire|IND-03|2026-T3"]["value"] == "sans valeur"
    warnings = [text for text in card_texts(back) if text.startswith("⚠")]
    assert any("s’exprime en pourcentage" in text for text in warnings)
    assert any("un commentaire sans valeur" in text for text in warnings)
    assert back["actions"][0]["data"]["card_id"] == card["actions"][0]["data"]["card_id"]
    assert await value_rows(seeded) == []
    fixed = submit_data(back, **{"valeur|IND-01|2026-T3": "45", "valeur|IND-02|2026-T3": "12 %"})
    assert "Enregistré pour la direction DCP (2 valeurs)" in texts(await nadia.submit(fixed))


async def test_crafted_card_data_cannot_write_for_another_directorate(seeded, nadia):
    crafted = {"action": "indicators.submit", "card_id": "forged", "directorate": "DPB", "valeur|IND-03|2026-T3": "99999"}
    refused = texts(await nadia.submit(crafted))
    assert "votre direction (DCP)" in refused and "Rien n’a été enregistré" in refused
    other_indicator = {"action": "indicators.submit", "card_id": "forged", "directorate": "DCP", "valeur|IND-08|2025": "50"}
    assert "ne renseigne pas l’indicateur IND-08" in texts(await nadia.submit(other_indicator))
    past = {"action": "indicators.submit", "card_id": "forged", "directorate": "DCP", "valeur|IND-01|2024-T1": "50"}
    assert "adressez-vous à la personne responsable du SPASER" in texts(await nadia.submit(past))
    assert await value_rows(seeded) == []


async def test_a_card_submit_from_someone_without_a_role_writes_nothing(seeded, talk):
    crafted = {"action": "indicators.submit", "card_id": "x", "directorate": "DCP", "valeur|IND-01|2026-T3": "50"}
    assert "réservée aux personnes responsables du SPASER" in texts(await talk("maire-aad", "Hélène Dubois").submit(crafted))
    assert "réservée aux personnes responsables du SPASER" in texts(await talk("nobody-aad", "Paul").submit(crafted))
    assert await value_rows(seeded) == []


async def test_the_lead_gets_the_form_of_a_named_directorate(seeded, lead):
    choice = texts(await lead.say("formulaire indicateurs"))
    assert "Le formulaire de quelle direction ?" in choice and "[DCP (10)]" in choice
    card = card_of(await lead.say("formulaire indicateurs DPB"))
    assert set(card_inputs(card)) >= {"valeur|IND-03|2026-T3", "valeur|IND-12|2025", "valeur|IND-15|2026-T3"}


# ----- the catalogue as a Teams file --------------------------------------------------------


def file_message(conversation: ConsoleConversation, connector: FakeTeamsConnector, name: str):
    attachment = Attachment().deserialize(connector.file_attachment(name))
    return conversation.activity(type="message", text="", attachments=[attachment])


async def test_the_lead_imports_the_catalogue_by_sending_the_csv_file(runtime, talk, connector):
    for code in ("DCP", "DPB", "DFIN", "DEE", "DRM", "DEJ", "DRH", "DSI"):
        await runtime.directorates.add(code, f"Direction {code}")
    lead = talk("lead-aad", "Camille Martin")
    connector.files["catalogue.csv"] = EXAMPLE.read_bytes()
    imported = texts(await lead.send(file_message(lead, connector, "catalogue.csv")))
    assert "« catalogue.csv » : Catalogue importé : 16 indicateurs créés" in imported
    connector.files["faux.csv"] = b"code;nom\nIND-99;x\n"
    refused = texts(await lead.send(file_message(lead, connector, "faux.csv")))
    assert "en-tête incorrect" in refused and "Le catalogue n’a pas été modifié" in refused
    connector.files["enorme.csv"] = b"x" * 1_000_001
    assert "dépasse la taille maximale" in texts(await lead.send(file_message(lead, connector, "enorme.csv")))
    assert await indicator_count(runtime) == 16


async def test_a_contributor_sending_a_csv_changes_nothing(seeded, nadia, connector):
    connector.files["catalogue.csv"] = b"code;libelle\n"
    refused = texts(await nadia.send(file_message(nadia, connector, "catalogue.csv")))
    assert "Seules les personnes responsables du SPASER peuvent importer le catalogue" in refused
    assert await indicator_count(seeded) == 16


# ----- living next to the other features ---------------------------------------------------


async def test_questions_about_indicators_in_general_still_reach_the_knowledge_base(seeded, talk):
    stranger = talk("nobody-aad", "Paul")
    answer = texts(await stranger.say("quels indicateurs dois-je suivre dans mon SPASER ?"))
    assert "réservée" not in answer and "Source" in answer
    assert texts(await stranger.say("catalogue")) == UNREGISTERED_REFUSAL, "the catalogue is for registered people"


async def test_committee_reminders_go_to_the_directorates_with_indicators_still_due(seeded):
    from datetime import UTC, datetime
    from types import SimpleNamespace

    meeting = SimpleNamespace(starts_at=datetime(2026, 12, 10, 14, 0, tzinfo=UTC))
    dpb = await seeded.directorates.get_by_code("DPB")
    assert dpb.id in await seeded.values.directorates_concerned(meeting)
    lead_person = await seeded.people.assign("camille@ville.fr", Role.LEAD)
    today = seeded.values.today()
    for code, period in (("IND-03", "2026-T3"), ("IND-12", "2025"), ("IND-15", "2026-T3")):
        await seeded.values.record_value(lead_person, "DPB", ValueEntry(code, period, "10"), today)
    assert dpb.id not in await seeded.values.directorates_concerned(meeting)
    reminded = {recipient.directorate for recipient in await seeded.audience.contributors(meeting)}
    assert "DPB" not in reminded and reminded, "the committee reminders follow what is still due"


async def test_the_runtime_warms_the_number_recognizer_up_in_the_background(runtime):
    await runtime.start_warm_up()
    assert runtime.start_warm_up() is runtime.start_warm_up(), "built once"


async def test_before_any_catalogue_every_directorate_gets_the_committee_reminders(runtime):
    from datetime import UTC, datetime
    from types import SimpleNamespace

    meeting = SimpleNamespace(starts_at=datetime(2026, 12, 10, 14, 0, tzinfo=UTC))
    assert await runtime.values.directorates_concerned(meeting) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("de DPB pour 2025-T4", ("DPB", "2025-T4")),
        ("pour T4 2025 de la direction dpb", ("DPB", "T4 2025")),
        ("2025", ("", "2025")),
        ("", ("", "")),
    ],
)
def test_a_directorate_and_a_period_are_read_from_the_end_of_a_command(text, expected):
    from bot.commands.indicators import split_target

    assert split_target(text) == expected


async def test_anule_typed_fast_mid_way_cancels_like_annuler(seeded, nadia):
    """The words the router takes for « annuler » cancel a dialog too (they were three lists)."""
    await nadia.say("mettre à jour mes indicateurs")
    await nadia.say("45")
    cancelled = texts(await nadia.say("anule"))
    assert cancelled == "Saisie arrêtée. Aucune valeur n’a été enregistrée. Dix indicateurs restent à renseigner."
    assert await value_rows(seeded) == []


async def test_a_comment_that_starts_with_a_cancel_word_is_saved_as_a_comment(seeded, nadia):
    await nadia.say("mettre à jour mes indicateurs")
    await nadia.say("45")
    confirm = texts(await nadia.say("stop aux gobelets jetables depuis mars"))
    assert "commentaire «\u00a0stop aux gobelets jetables depuis mars\u00a0»" in confirm
    await nadia.say("oui")
    assert [row[3] for row in await value_rows(seeded)] == ["stop aux gobelets jetables depuis mars"]


async def test_rien_answers_the_comment_prompt_rather_than_cancelling(seeded, nadia):
    await nadia.say("mettre à jour mes indicateurs")
    await nadia.say("45")
    assert "J’enregistre **45\u00a0%** pour IND-01" in texts(await nadia.say("rien"))


async def test_a_value_saved_in_the_chat_outside_its_legal_limit_is_warned_about(seeded, nadia):
    """Reader 8, B26: the dialog's « Enregistré » said nothing of a value that breaks the law."""
    await seeded.catalogue.update_field("IND-01", "base_legale", "loi EGalim")
    await seeded.catalogue.update_field("IND-01", "seuil_legal", "50")
    await nadia.say("corriger IND-01")
    for answer in ("42,5", "aucun", "oui"):
        reply = texts(await nadia.say(answer))
    assert "Enregistré\u00a0: 42,5\u00a0% pour IND-01.\n⚠ IND-01\u00a0: une part de 42,5\u00a0% n’atteint pas le minimum légal de 50\u00a0% (loi\u00a0EGalim)." in reply, reply
    assert [row[2] for row in await value_rows(seeded)] == [Decimal("42.5")]
