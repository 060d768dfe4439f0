"""What the eleventh French reader circled in the conversations, reminders, broadcasts, delivery
reports, the `rappels` command and the forms (/tmp/reader11/findings.md): each text as it now
reads, through the real bot where a conversation shows it; the finding's number in each docstring."""

from __future__ import annotations

from datetime import UTC, date, datetime

from bot.console import render_as_text
from bot.teams_package import build_manifest
from domain import delivery_problems
from domain.broadcasts import AudienceKind, BroadcastView, DeliveryOutcome, delivery_report
from domain.cards import welcome_card
from domain.committees.cadence import CommitteeKind, MeetingStatus
from domain.committees.meetings import MeetingView
from domain.committees.messages import member_reminder
from domain.delivery_problems import ADVICE_GIVEN, event_problem_notices
from domain.indicators.cards import placeholder
from domain.indicators.catalogue import Axis, ImprovementDirection
from domain.indicators.periods import Frequency
from domain.indicators.rules import IndicatorView
from domain.indicators.units import Unit
from domain.legal import privacy_notice
from domain.outbox import NO_REFERENCE, About, DeliveryState, Seen, Topic
from domain.outbox_counts import outbox_counts_text
from domain.people import Role
from tests.committees_support import add_person, received
from tests.conftest import make_settings, texts
from tests.delivery_support import Row
from tests.indicators_support import seed
from tests.summary_support import organisation, reachable_again

COPIL_AT = datetime(2027, 3, 2, 13, tzinfo=UTC)
ASKED_AT = datetime(2027, 2, 23, 18, 42, tzinfo=UTC)  # 19 h 42 in Paris
LEGAL_NAME = "schéma de promotion des achats publics socialement et écologiquement responsables"


def _advice(them: str) -> str:
    """The one advice of every report (imported here, so that each test fails on its own before it existed)."""
    return delivery_problems.NOT_REACHED_ADVICE.format(them=them)


def plain(text: str) -> str:
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def test_the_cli_counts_add_up_to_the_teams_reports():
    """A3: « Rappels aux membres : 9 non remis » against 3 + 8 in Teams: the lead's copies, counted
    apart, are added back in plain figures."""
    counts = {"reminder": {"sent": 2, "unreachable": 9}, "reminder:lead_copy": {"sent": 2, "unreachable": 2}}
    text = plain(outbox_counts_text(counts, {"reminder": 9, "reminder:lead_copy": 1}, 2, date(2026, 12, 6)))

    assert text.splitlines()[-1] == (
        "Dans Teams, les comptes rendus comptent ensemble les rappels et les copies : 11 envois non remis "
        "(9 rappels et 2 copies) à 10 personnes."  # reader 12, A3: a sentence one reads at once
    )


def _meeting() -> MeetingView:
    at = datetime(2026, 12, 7, 9, tzinfo=UTC)
    return MeetingView(id=1, kind=CommitteeKind.COPIL, starts_at=at, ends_at=None, location="salle du conseil",
                       teams_url=None, agenda="Bilan", status=MeetingStatus.PLANNED, sequence=0, updated_at=at)


def test_the_lead_s_copy_quotes_the_members_text_instead_of_addressing_her_as_a_member():
    """A4: « Vous êtes membre de ce comité… prévenez Alex Wilber » read by Alex Wilber."""
    leads = ["Alex Wilber", "Camille Martin"]
    _, members = member_reminder(_meeting(), 1, "Europe/Paris", leads)
    _, copy = member_reminder(_meeting(), 1, "Europe/Paris", leads, to_lead=True)

    said_to_her = [block.get("text", "") for block in copy["body"] if block["type"] == "TextBlock"]
    assert plain(said_to_her[0]) == "Rappel envoyé aux membres du comité de pilotage (votre copie)"
    # Reader 14: queued before anyone received it, it claims nothing; the sender writes who did.
    assert plain(said_to_her[1]) == "Voici le rappel envoyé aux membres :"
    assert not any("Vous êtes membre" in text for text in said_to_her)
    [quote] = [block for block in copy["body"] if block["type"] == "Container"]
    assert quote["style"] == "emphasis" and quote["items"] == members["body"]


async def test_the_plan_says_what_is_still_missing_when_it_is_too_late_to_chase_and_when_in_words(runtime, talk):
    """A5: « l’ont déjà consultée aujourd’hui » read as the day of reading; A9: « Il est trop tard pour
    relancer » read as « nothing to do »; B15: « dans 1 minute »."""
    await seed(runtime)
    lead = talk()
    await lead.say("planifier un COPIL demain à 14h")
    await lead.say("salle du conseil")
    await lead.say("Bilan 2026")
    done = plain(texts(await lead.say("oui")))

    assert "sauf celles et ceux qui l’auront déjà reçue ou consultée le jour même." in done
    assert "trop tard" not in done
    assert ("Les relances automatiques des directions (quatre semaines, puis dix jours avant la réunion) ne partiront "
            "pas : ces dates sont déjà passées. Il manque encore ") in done, done  # reader 12, A1
    assert " : relancez-la directement si besoin." in done or " : relancez-les directement si besoin." in done


def test_the_chat_texts_give_the_legal_name_of_the_scheme():
    """A7: art. L. 2111-3 says « achats publics socialement et écologiquement responsables »."""
    welcome = " ".join(block["text"] for block in welcome_card(None, [])["body"])
    package = build_manifest(make_settings("sqlite+aiosqlite://"), "1.0.0")["description"]["full"]
    legal = privacy_notice("Ville de Démoville", "dpo@example.org").introduction

    for text in (welcome, package, legal):
        assert LEGAL_NAME in text.replace("\n", " "), text


def _broadcast() -> BroadcastView:
    return BroadcastView(
        id=1, author_id=1, author_name="Alex Wilber", audience_kind=AudienceKind.EVERYONE,
        audience_label="membres du comité de pilotage", text="Le bilan sera présenté au COPIL.",
        recipient_count=4, sent_count=0, failed_count=0, unreachable_count=0,
        created_at=datetime(2026, 12, 6, 15, 33, tzinfo=UTC), reported_at=None,
    )


def test_the_broadcast_report_confirms_the_delivery_and_says_who_did_not_get_it():
    """A10: « Un message envoyé : Adele Vance. » did not confirm the promised delivery; B19: « Trois
    personnes injoignables. »; B18: « il ne peut pas leur écrire »; B17: one advice everywhere."""
    outcomes = [DeliveryOutcome("Adele Vance", DeliveryState.SENT, None)] + [
        DeliveryOutcome(name, DeliveryState.UNREACHABLE, NO_REFERENCE)
        for name in ("Camille Martin", "Hélène Dubois", "Marc Lefèvre")
    ]
    report = plain(delivery_report(_broadcast(), outcomes, "Europe/Paris")).splitlines()

    assert report[1:] == [
        "- Message bien reçu par Adele Vance.",
        "- Trois personnes ne l’ont pas reçu. Camille Martin, Hélène Dubois et Marc Lefèvre n’ont pas encore installé "
        "l’assistant dans Teams : je ne peux pas leur écrire. " + plain(_advice(them="leur")),
    ]


def _copil_rows() -> list[tuple[str, str, list]]:
    reminder = About(Topic.REMINDER, 1, "Comité de pilotage", COPIL_AT)
    digest = About(Topic.DIGEST, 1, "Comité de pilotage", COPIL_AT, (Seen("Adele Vance", ASKED_AT, requested=True),))
    return [
        ("reminder", "1", [Row(n, "Rappel", name, NO_REFERENCE, "unreachable", about=reminder)
                           for n, name in enumerate(("Camille Martin", "Hélène Dubois", "Marc Lefèvre"), 1)]),
        ("digest", "2", [Row(n, "Synthèse", name, NO_REFERENCE, "unreachable", about=digest)
                         for n, name in ((4, "Hélène Dubois"), (5, "Marc Lefèvre"))]),
    ]


def test_the_event_report_counts_in_digits_says_je_and_that_the_summary_was_not_sent_again():
    """B15: « : trois personnes n’ont pas tout reçu »; B18: « il ne peut pas »; A11: « a déjà reçu ou
    consulté… ne la lui a pas renvoyée »; B17: the same advice as the other reports."""
    [notice] = event_problem_notices(_copil_rows(), [(9, "Alex Wilber")], "Europe/Paris")
    lines = plain(notice.text).splitlines()

    assert lines[0] == "Envois pour le comité de pilotage du mardi 2 mars 2027 à 14 h 00 : 3 personnes n’ont pas reçu l’ensemble des envois."
    assert lines[2] == ("Ces 3 personnes n’ont pas encore installé l’assistant dans Teams : je ne peux pas leur écrire. "
                        + plain(_advice(them="leur")))
    # Reader 14, B3: she had asked for it herself; « reçu » said the assistant had sent it to her.
    assert lines[3] == "Adele Vance a déjà consulté la synthèse aujourd’hui (à 19 h 42) : je ne la lui ai pas renvoyée."


async def test_one_advice_sentence_in_every_report_even_the_second_of_the_day(runtime, talk, sqlite_database, connector):
    """B17: « Transmettez-leur l’information par courriel ou par téléphone. » in one report, three other
    sentences in the next: one sentence, one home (NOT_REACHED_ADVICE). Through the real bot: the
    report on a moved COPIL, then, the same day, the report of a broadcast to the COPIL."""
    people = await organisation(sqlite_database, connector.url)
    await add_person(sqlite_database, "helene@ville.fr", Role.OFFICIAL, None, name="Hélène Dubois")
    planned = await runtime.committees.plan(CommitteeKind.COPIL, datetime(2027, 3, 2, 13, tzinfo=UTC))
    await runtime.committees.reschedule(planned.meeting.id, datetime(2027, 3, 3, 9, tzinfo=UTC))
    await reachable_again(sqlite_database, people["lead"], connector.url)
    await runtime.jobs.drain_outbox()
    lead = talk("aad-camille@ville.fr", "Camille Martin")
    await lead.say("diffuser un message au COPIL")
    await lead.say("Le bilan 2026 sera présenté le 12 mars.")
    await lead.say("oui")
    await reachable_again(sqlite_database, people["lead"], connector.url)
    await runtime.jobs.drain_outbox()
    await runtime.jobs.report_broadcasts()
    await runtime.jobs.drain_outbox()

    to_lead = [plain(text) for conversation, text in received(connector) if conversation == "a:camille@ville.fr"]
    [moved] = [text for text in to_lead if "Hélène Dubois" in text and "diffusion" not in text]
    [broadcast] = [text for text in to_lead if text.startswith("Compte rendu de votre diffusion")]
    fact = "Hélène Dubois n’a pas encore installé l’assistant dans Teams : je ne peux pas lui écrire."
    assert f"{fact} {plain(_advice(them='lui'))}" in moved
    # Reader 14: said once a day, not again in the next report of the same day.
    assert broadcast.endswith(f"{fact} {ADVICE_GIVEN}") and broadcast.count("install") == 1, broadcast
    assert _advice(them="lui").count(".") == 1  # one sentence


def test_the_people_field_of_the_form_gives_its_unit_in_the_example():
    """B23: « par exemple 12 » for a value in people, where the others say « 28 jours »."""
    indicator = IndicatorView(10, "IND-10", "Acheteur·euses formé·es", Axis.GOVERNANCE, Unit.PEOPLE, Frequency.HALF_YEARLY,
                              ImprovementDirection.UP, None, None, None, "", False, True, ("DRH",))

    assert plain(placeholder(indicator)) == "par exemple 12 personnes"


def test_a_titled_answer_keeps_its_title_in_bold_as_a_card():
    """C27: « **Indicateurs à surveiller** — … » lost its bold in Teams (a text message's first line is
    sent without emphasis, for the notification)."""
    from domain.cards import titled_text_card

    card = titled_text_card("**Indicateurs à surveiller** — Direction DCP\nUn indicateur est en retard :\n**IND-14** Comités")

    assert card["body"][0] == {"type": "TextBlock", "text": "Indicateurs à surveiller — Direction DCP", "weight": "Bolder", "wrap": True}
    assert [block["text"] for block in card["body"][1:]] == ["Un indicateur est en retard :", "**IND-14** Comités"]
    assert titled_text_card("Aucun indicateur en retard ni manquant.") is None


async def test_the_late_indicators_answer_comes_as_a_card_with_a_bold_title(runtime, talk):
    await seed(runtime)
    [answer] = await talk().say("quels indicateurs sont en retard ?")

    [attachment] = answer.attachments
    title = attachment.content["body"][0]
    assert title["weight"] == "Bolder" and title["text"].startswith("Indicateurs à surveiller — ")
    assert answer.summary.startswith("Indicateurs à surveiller — ")
    assert "IND-03" in render_as_text(answer)
