"""Broadcasts by the SPASER lead: dialog, delivery through the outbox once per recipient, the
delivery report to the lead, the audit trail, and refusals."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.console import render_as_text
from bot.services import build_services
from dialogs.cards import card_message
from domain.broadcasts import (
    AudienceKind,
    BroadcastAudience,
    BroadcastNotAllowed,
    BroadcastView,
    DeliveryOutcome,
    ResolvedAudience,
    audience_in,
    delivery_report,
    message_card,
    message_summary,
    preview_card,
)
from domain.committees.cadence import CommitteeKind
from domain.outbox import BLOCKED_ERROR_PREFIX, DeliveryState, Recipient, SourceKind
from domain.people import Role
from storage.outbox import Delivery, OutboxRepository
from tests.committees_support import add_person, received
from tests.conftest import make_settings, texts
from tests.summary_support import organisation, reachable_again, seed_catalogue


def test_the_audience_is_read_from_the_lead_s_sentence():
    assert audience_in("au COPIL") == BroadcastAudience(AudienceKind.COMMITTEE, committee=CommitteeKind.COPIL)
    assert audience_in("aux membres du comité technique") == BroadcastAudience(
        AudienceKind.COMMITTEE, committee=CommitteeKind.COTECH
    )
    assert audience_in("aux directions DCP, DRH et dsi") == BroadcastAudience(
        AudienceKind.DIRECTORATES, directorates=("DCP", "DRH", "DSI")
    )
    assert audience_in("aux directions en retard") == BroadcastAudience(AudienceKind.DUE)
    assert audience_in("à tout le monde") == BroadcastAudience(AudienceKind.EVERYONE)
    assert audience_in("") is None
    assert BroadcastAudience(AudienceKind.DIRECTORATES, directorates=("DCP",)).to_phrase == "à la direction DCP"


def test_the_report_names_who_got_it_who_did_not_and_why_each_reason_said_once():
    broadcast = BroadcastView(
        id=1, author_id=1, author_name="Camille Martin", audience_kind=AudienceKind.EVERYONE,
        audience_label="toutes les personnes enregistrées", text="Réunion de lancement le 12 mars.",
        recipient_count=5, sent_count=0, failed_count=0, unreachable_count=0,
        created_at=datetime(2026, 11, 30, 9, tzinfo=UTC), reported_at=None,
    )
    outcomes = [
        DeliveryOutcome("Marc Lefèvre", DeliveryState.SENT, None),
        DeliveryOutcome("Lucie Roux", DeliveryState.FAILED, "503: Service Unavailable"),
        DeliveryOutcome("Hélène Dubois", DeliveryState.UNREACHABLE, "no conversation reference: the person …"),
        DeliveryOutcome("Paul Durand", DeliveryState.UNREACHABLE, f"{BLOCKED_ERROR_PREFIX}: 403 Forbidden"),
        DeliveryOutcome("Inès Petit", DeliveryState.UNREACHABLE, "no conversation reference: the person …"),
    ]

    report = delivery_report(broadcast, outcomes, "Europe/Paris").replace("\u00a0", " ").replace("\u202f", " ").splitlines()

    assert report == [
        "**Compte rendu de votre diffusion** du lundi 30 novembre 2026 à 10 h 00 (toutes les personnes enregistrées) : "
        "« Réunion de lancement le 12 mars. »",
        "- Message bien reçu par Marc Lefèvre.",
        "- Un envoi en échec. L’envoi à Lucie Roux a échoué (503: Service Unavailable).",
        "- Trois personnes ne l’ont pas reçu. Hélène Dubois et Inès Petit n’ont pas encore installé l’assistant dans Teams : "
        "je ne peux pas leur écrire. Transmettez-leur l’information par courriel ou par téléphone, et faites-leur installer l’assistant dans Teams pour que les prochains messages leur parviennent. "
        "Paul Durand a bloqué ou désinstallé l’assistant dans Teams.",
    ]


def test_the_report_says_none_in_words_and_quotes_the_message_without_markdown_marks():
    broadcast = BroadcastView(
        id=1, author_id=1, author_name="Camille Martin", audience_kind=AudienceKind.EVERYONE,
        audience_label="toutes les personnes enregistrées", text="Le **bilan 2026** est _prêt_.",
        recipient_count=2, sent_count=0, failed_count=0, unreachable_count=0,
        created_at=datetime(2026, 11, 30, 9, tzinfo=UTC), reported_at=None,
    )
    outcomes = [DeliveryOutcome("Marc Lefèvre", DeliveryState.SENT, None), DeliveryOutcome("Lucie Roux", DeliveryState.SENT, None)]

    report = delivery_report(broadcast, outcomes, "Europe/Paris").replace("\u00a0", " ").splitlines()

    assert report[0].endswith("« Le bilan 2026 est prêt. »")
    assert report[1:] == ["- Message bien reçu par 2 personnes : Lucie Roux et Marc Lefèvre."]  # no zero lines (reader 10, C3)


def test_the_chat_list_preview_of_a_broadcast_shows_no_markdown_marks():
    """Teams shows the summary in notifications and in the chat list, where « **bilan** » is not rendered."""
    summary = message_summary("Le **bilan 2026** est _prêt_ : [la note](https://ville.fr/n).\nSuite", "Camille Martin")

    assert summary.replace("\u00a0", " ") == "Message de Camille Martin (SPASER) : Le bilan 2026 est prêt : la note (https://ville.fr/n)."


def test_a_broadcast_names_its_author_once_in_its_title_elided_and_escaped():
    """Reader 14, 21: with two leads, « Message de la personne responsable du SPASER » said nothing and
    « Envoyé par Alex Wilber, responsable du SPASER, le … » said it again. The name is typed by people:
    escaped like every such text shown to others (a link in it is not one)."""
    sent_at = datetime(2026, 12, 6, 18, 42, tzinfo=UTC)
    alex = message_card("Le bilan est prêt.", "Alex Wilber", sent_at, "Europe/Paris")["body"]
    eve = message_card("Bonjour", "Eve [clic](https://evil.example) <b>", sent_at, "Europe/Paris")["body"]

    assert [block["text"].replace("\u00a0", " ") for block in alex] == [
        "Message d’Alex Wilber, responsable du SPASER",
        "Le bilan est prêt.",
        "Envoyé le dimanche 6 décembre 2026 à 19 h 42.",
    ]
    assert eve[0]["text"] == "Message d’Eve [clic]\u200b(https://evil.example) <\u200bb>, responsable du SPASER"
    assert message_card("Bonjour", "", sent_at, "Europe/Paris")["body"][0]["text"] == (
        "Message de la personne responsable du SPASER"
    )
    assert message_summary("Bonjour", "Alex Wilber").startswith("Message d’Alex Wilber (SPASER)")


def test_a_long_broadcast_is_quoted_in_its_report_up_to_a_whole_word():
    text = "Le comité de pilotage du SPASER se réunira le 12 mars pour examiner le bilan annuel des indicateurs sociaux."
    broadcast = BroadcastView(
        id=1, author_id=1, author_name="Camille Martin", audience_kind=AudienceKind.EVERYONE,
        audience_label="tous", text=text, recipient_count=1, sent_count=0, failed_count=0, unreachable_count=0,
        created_at=datetime(2026, 11, 30, 9, tzinfo=UTC), reported_at=None,
    )

    first_line = delivery_report(broadcast, [], "Europe/Paris").splitlines()[0]

    quoted = first_line.split("« ", 1)[1].removesuffix(" »")
    assert quoted == "Le comité de pilotage du SPASER se réunira le 12 mars pour examiner le bilan…"
    assert text.startswith(quoted.removesuffix("…") + " ")


async def test_a_broadcast_to_the_copil_reaches_each_member_once_and_the_lead_gets_the_report(
    runtime, talk, sqlite_database, connector
):
    people = await organisation(sqlite_database, connector.url)
    await add_person(sqlite_database, "helene@ville.fr", Role.OFFICIAL, None, name="Hélène Dubois")
    lead = talk("aad-camille@ville.fr", "Camille Martin")

    asked = texts(await lead.say("diffuser un message au COPIL"))
    preview = texts(await lead.say("Le bilan 2026 sera présenté le 12 mars."))
    sent = texts(await lead.say("oui"))
    await reachable_again(sqlite_database, people["lead"], connector.url)
    await runtime.jobs.drain_outbox()
    await runtime.jobs.drain_outbox()
    reports = [await runtime.jobs.report_broadcasts(), await runtime.jobs.report_broadcasts()]
    await runtime.jobs.drain_outbox()
    [audit] = await runtime.broadcasts.repository.history()

    assert asked == "Quel message voulez-vous envoyer aux membres du comité de pilotage ?"
    assert "Envoi à\u00a0: membres du comité de pilotage" in preview and "Audience" not in preview
    assert "2\u00a0destinataires\u00a0: Lucie Roux et Marc Lefèvre" in preview
    # Reader 14, 21: the author in the title, as the members will read it; no signature repeating it.
    assert "Message de Camille Martin, responsable du SPASER\nLe bilan 2026" in preview
    assert "envoyé par" not in preview.lower() and "Message de la personne responsable" not in preview
    assert "⚠ Ne le recevra pas\u00a0: Hélène Dubois, qui n’a pas encore installé l’assistant dans Teams." in preview
    assert preview.count("Hélène Dubois") == 1, "each name is listed once"
    assert preview.endswith("Voulez-vous envoyer ce message à 2\u00a0destinataires\u00a0?\nBoutons\u00a0: [Oui] | [Non]")
    assert sent.startswith(  # reader 12, B15: the audience first, then who can be reached
        "Message en cours d’envoi aux membres du comité de pilotage (2\u00a0destinataires joignables\u00a0: "
        "Lucie Roux et Marc Lefèvre)."
    )
    deliveries = received(connector)
    to_members = sorted(conversation for conversation, text in deliveries if text.startswith("Message de Camille"))
    assert to_members == ["a:lucie@ville.fr", "a:marc@ville.fr"]
    assert dict(deliveries)["a:marc@ville.fr"] == "Message de Camille Martin (SPASER) : Le bilan 2026 sera présenté le 12 mars."
    [to_marc] = [body for body in connector.sent if body["_conversation_id"] == "a:marc@ville.fr"]
    blocks = [block["text"].replace("\u00a0", " ") for block in to_marc["attachments"][0]["content"]["body"]]
    assert blocks == [  # reader 14, 21: « Message de la personne responsable du SPASER … Envoyé par … »
        "Message de Camille Martin, responsable du SPASER",
        "Le bilan 2026 sera présenté le 12 mars.",
        "Envoyé le lundi 30 novembre 2026 à 10 h 00.",
    ]
    [(conversation, report)] = [(c, t) for c, t in deliveries if c == "a:camille@ville.fr"]
    # Reader 7, B16: Teams previews the start of a text message, so that line carries no Markdown.
    assert report.startswith("Compte rendu de votre diffusion du lundi 30 novembre 2026 à 10 h 00 (membres du comité de pilotage)")
    assert "- Message bien reçu par 2\u00a0personnes\u00a0: Lucie Roux et Marc Lefèvre." in report and "Aucun envoi en échec" not in report
    assert "- Une personne ne l’a pas reçu. Hélène Dubois n’a pas encore installé l’assistant dans Teams\u00a0: je ne peux pas lui écrire. Transmettez-lui" in report
    assert report.count("Hélène Dubois") == 1
    assert reports == [1, 0]
    assert (audit.author_name, audit.audience_label, audit.text) == (
        "Camille Martin", "membres du comité de pilotage", "Le bilan 2026 sera présenté le 12 mars."
    )
    assert (audit.recipient_count, audit.sent_count, audit.failed_count, audit.unreachable_count) == (3, 2, 0, 1)
    assert audit.created_at == datetime(2026, 11, 30, 9, tzinfo=UTC) and audit.reported_at is not None


async def test_a_broadcast_nobody_can_receive_says_why_and_is_not_offered(runtime, talk, sqlite_database, connector):
    """The preview asked « Voulez-vous envoyer… ? » when no one aimed at had ever opened the assistant."""
    await organisation(sqlite_database, connector.url)
    await add_person(sqlite_database, "ines@ville.fr", Role.CONTRIBUTOR, None, "DRH", name="Inès Morel")
    await add_person(sqlite_database, "paul@ville.fr", Role.CONTRIBUTOR, None, "DRH", name="Paul Simon")
    lead = talk("aad-camille@ville.fr", "Camille Martin")

    await lead.say("diffuser un message à la direction DRH")
    preview = texts(await lead.say("Pensez à vos indicateurs."))
    after = texts(await lead.say("oui"))

    assert "destinataire" not in preview and preview.count("Inès Morel") == 1
    assert (
        "⚠ Personne ne peut recevoir ce message pour l’instant : je ne peux pas encore écrire à Inès Morel et Paul Simon. "
        "Faites-leur installer l’assistant dans Teams, puis relancez la diffusion."
    ) in preview.replace("\u00a0", " ")
    assert "à nouveau" not in preview, "Reader 7, A7: nothing was sent yet"
    assert preview.count("install") == 1, "reader 14: the installation said once"
    assert "Rien n’a été envoyé" not in preview and "Sera envoyé par" not in preview
    assert "Voulez-vous envoyer" not in preview and "Boutons" not in preview
    assert "en cours d’envoi" not in after, "the dialog ended: « oui » starts nothing"
    assert await runtime.outbox.counts() == {}
    assert await runtime.broadcasts.repository.history() == []


def test_when_the_assistant_installs_itself_nobody_is_called_unreachable():
    people = (Recipient("person-1", "Inès Morel", person_id=1), Recipient("person-2", "Paul Simon", person_id=2))
    aimed = BroadcastAudience(AudienceKind.DIRECTORATES, directorates=("DRH",))
    with_graph = ResolvedAudience(aimed, "direction DRH", people, ("Inès Morel",), installs_app=True)
    without = ResolvedAudience(aimed, "direction DRH", people, ("Inès Morel",))

    shown = render_as_text(card_message(preview_card(with_graph, "Bonjour", "Camille Martin")))

    assert [r.label for r in with_graph.reachable] == ["Inès Morel", "Paul Simon"]
    assert [r.label for r in without.reachable] == ["Paul Simon"] and without.unreachable == ("Inès Morel",)
    assert "2\u00a0destinataires\u00a0: Inès Morel et Paul Simon" in shown and "⚠" not in shown
    assert "Inès Morel n’a encore jamais ouvert l’assistant\u00a0: je l’installerai pour cette personne" in shown


async def test_a_failed_send_is_in_the_report_and_the_history(runtime, talk, sqlite_database, connector):
    people = await organisation(sqlite_database, connector.url)
    lead = talk("aad-camille@ville.fr", "Camille Martin")
    await lead.say("diffuser un message aux directions DCP et DPB")
    await lead.say("Pensez à saisir vos indicateurs.")
    await lead.say("oui")
    await reachable_again(sqlite_database, people["lead"], connector.url)
    connector.fail_next(400)  # not retryable: the first send fails for good

    await runtime.jobs.drain_outbox()
    await runtime.jobs.report_broadcasts()
    await runtime.jobs.drain_outbox()
    history = texts(await lead.say("historique des diffusions"))

    [report] = [text for conversation, text in received(connector) if conversation == "a:camille@ville.fr"]
    assert "- Message bien reçu par " in report and "- Un envoi en échec. " in report
    assert "Aucune personne injoignable" not in report  # reader 10, C3
    assert (
        "Camille Martin → directions DCP, DPB (2 destinataires) : « Pensez à saisir vos indicateurs. » — 1 envoyé, 1 en échec"
    ) in history.replace("\u00a0", " ")


async def test_only_the_lead_may_broadcast(runtime, talk, sqlite_database, connector):
    people = await organisation(sqlite_database, connector.url)

    by_contributor = texts(await talk("aad-nadia@ville.fr", "Nadia Benali").say("diffuser un message à tout le monde"))
    by_official = texts(await talk("aad-marc@ville.fr", "Marc Lefèvre").say("envoyer un message au COPIL"))
    with pytest.raises(BroadcastNotAllowed, match="Seules les personnes responsables du SPASER peuvent diffuser un message"):
        await runtime.broadcasts.send(people["marc"], BroadcastAudience(AudienceKind.EVERYONE), "Bonjour")

    refusal = "Cette action est réservée aux personnes responsables du SPASER. Tapez « qui suis-je » pour connaître votre rôle."
    assert by_contributor == by_official == refusal
    assert await runtime.outbox.counts() == {}
    assert await runtime.broadcasts.repository.history() == []


async def test_cancelling_or_answering_non_sends_nothing(runtime, talk, sqlite_database, connector):
    await organisation(sqlite_database, connector.url)
    lead = talk("aad-camille@ville.fr", "Camille Martin")

    chosen = texts(await lead.say("diffuser un message"))
    await lead.say("Certaines directions")
    unknown = texts(await lead.say("DCP, ZZZ"))
    await lead.say("DCP")
    await lead.say("Message")
    declined = texts(await lead.say("non"))
    await lead.say("diffuser un message à tout le monde")
    cancelled = texts(await lead.say("annuler"))

    assert chosen.startswith("À qui voulez-vous diffuser un message ?")
    assert unknown == "Je ne connais pas ZZZ. Indiquez un ou plusieurs codes de direction parmi : DCP, DPB."
    assert declined == cancelled == "C’est annulé : aucun message n’a été envoyé."
    assert await runtime.outbox.counts() == {}


async def test_directorates_with_indicators_due_are_reached_and_reported_once(database, clock):
    """Storage on SQLite and PostgreSQL: the audience comes from the indicator values' query,
    deliveries are queued with the audit row, and the report is recorded once."""
    people = await organisation(database, "http://127.0.0.1:9/")
    _, values = await seed_catalogue(database, clock, people["lead"].id)
    await values.seed_values([{"code": "SOC-01", "directorate": "DCP", "period": "2026-T3", "value": 160,
                                   "entered_by_id": people["nadia"].id, "entered_at": clock.now()}])
    services = build_services(make_settings(database.url), database, clock)
    repository = services.broadcasts.repository

    broadcast, resolved = await services.broadcasts.send(people["lead"], BroadcastAudience(AudienceKind.DUE), "Il manque vos valeurs.")
    again_waiting = await services.jobs.report_broadcasts()
    async with database.session() as session:
        rows = list((await session.execute(Delivery.__table__.select())).mappings())
        for row in rows:
            await session.execute(Delivery.__table__.update().where(Delivery.id == row["id"]).values(state="sent"))
    reported = [await services.jobs.report_broadcasts(), await services.jobs.report_broadcasts()]
    notices = await OutboxRepository(database).list(SourceKind.LEAD_NOTICE)

    assert resolved.label == "directions ayant des indicateurs à saisir (DPB)"
    assert [r.label for r in resolved.recipients] == ["Julien Petit"]
    assert broadcast.recipient_count == 1 and again_waiting == 0
    assert [(row["key"], row["source_kind"]) for row in rows] == [(f"broadcast:{broadcast.id}:person-{people['julien'].id}", "broadcast")]
    assert all(row["lead_notified_at"] is not None for row in rows)
    assert reported == [1, 0]
    assert [notice.person_id for notice in notices] == [people["lead"].id]
    assert (await repository.get(broadcast.id)).sent_count == 1
