"""What the fourth and fifth French readers circled in the members' reminder (issue #17)."""

from __future__ import annotations

from botbuilder.schema import Activity

from bot.console import render_as_text
from domain.clock import FakeClock
from domain.committees.cadence import CommitteeKind
from domain.people import Role
from tests.committees_support import MEMBERS_ONLY, add_person, build_feature, paris, received, utc


def _cards_by_conversation(connector) -> dict[str, str]:
    shown = {}
    for body in connector.sent:
        activity = Activity().deserialize({k: v for k, v in body.items() if not k.startswith("_")})
        text = " ".join(render_as_text(activity).replace("\u00a0", " ").split())
        if text.startswith("Rappel"):
            shown[body["_conversation_id"]] = text
    return shown


async def test_the_day_before_a_member_is_told_whom_to_tell_by_name_and_a_lead_is_not(sqlite_database, connector):
    """A3, B12: « prévenez la personne responsable du SPASER avant le lundi 7 décembre 2026 », the day
    before a meeting on that very day, with two leads, one of them reading it."""
    clock = FakeClock(utc(2027, 3, 1, 9))
    await add_person(sqlite_database, "camille@ville.fr", Role.LEAD, connector.url, name="Camille Martin")
    await add_person(sqlite_database, "alex@ville.fr", Role.LEAD, connector.url, name="Alex Wilber")
    await add_person(sqlite_database, "marc@ville.fr", Role.OFFICIAL, connector.url, name="Marc Lefèvre")
    feature = build_feature(sqlite_database, clock, reminders=MEMBERS_ONLY)
    await feature.committees.plan(CommitteeKind.COPIL, paris(2027, 3, 16, 10))  # Tuesday: J-1 on Monday

    clock.set(utc(2027, 3, 15, 9))
    await feature.jobs.sweep_reminders()
    await feature.jobs.drain_outbox()
    await feature.jobs.close()

    shown = _cards_by_conversation(connector)
    official = next(text for conversation, text in shown.items() if "marc" in conversation)
    lead = next(text for conversation, text in shown.items() if "camille" in conversation)
    assert (
        "Si vous ne pouvez pas venir, prévenez Alex Wilber ou Camille Martin, responsables du SPASER, avant la réunion."
        in official
    ), official
    assert "avant le mardi" not in official
    # Reader 9, C3: the date once, in the card's facts, not in the title, the sentence and the facts.
    assert "Vous êtes membre de ce comité : votre présence est attendue. Si vous ne pouvez pas venir" in official
    assert official.count("mardi 16 mars 2027") == 1, official
    # Reader 5, A1: a lead who does not sit on the committee read « Vous êtes membre de ce comité ».
    # Reader 7, B13: the lead's is titled as the copy it is.
    # Reader 10, A8: the copy shows exactly the text the members received, its title saying whose it is.
    # Reader 11, A4: quoted after a line that says so, not addressed to the lead as to a member.
    # Reader 14: « Voici le rappel que les membres ont reçu » whoever had: the copy says how many did.
    assert lead == f"Rappel envoyé aux membres du comité de pilotage (votre copie) Les 2 autres membres ont reçu ce rappel. Le voici : {official}", (lead, official)
    assert lead.count("mardi 16 mars 2027") == 1, lead
    # Reader 9, C2: « Prochain comité » could show another committee than the one reminded.
    assert "Prochain comité" not in official + lead


async def test_the_lead_s_copy_says_how_many_members_received_the_reminder_and_leaves_after_them(sqlite_database, connector):
    """Reader 14: « Voici le rappel que les membres ont reçu » when three of the four others had not
    installed the assistant. The copy leaves once the members' messages are final and says what happened,
    by count; the report on who was not reached follows it."""
    clock = FakeClock(utc(2027, 3, 1, 9))
    await add_person(sqlite_database, "alex@ville.fr", Role.LEAD, connector.url, name="Alex Wilber")
    await add_person(sqlite_database, "marc@ville.fr", Role.OFFICIAL, connector.url, name="Marc Lefèvre")
    for email, name in (("adele@ville.fr", "Adele Vance"), ("lucie@ville.fr", "Lucie Roux")):
        await add_person(sqlite_database, email, Role.OFFICIAL, None, name=name)
    await add_person(sqlite_database, "camille@ville.fr", Role.LEAD, None, name="Camille Martin")
    feature = build_feature(sqlite_database, clock, reminders=MEMBERS_ONLY)
    await feature.committees.plan(CommitteeKind.COPIL, paris(2027, 3, 16, 10))

    clock.set(utc(2027, 3, 15, 9))
    await feature.jobs.sweep_reminders()
    await feature.jobs.drain_outbox()
    await feature.jobs.close()

    to_alex = [" ".join(text.replace("\u00a0", " ").split()) for conversation, text in received(connector) if "alex" in conversation]
    copy = next(text for conversation, text in _cards_by_conversation(connector).items() if "alex" in conversation)
    assert "Voici le rappel que les membres ont reçu" not in copy
    assert "(votre copie) Ce rappel a été reçu par 1 des 4 autres membres ; 3 ne l’ont pas reçu. Le voici : Rappel :" in copy, copy
    # The copy first, then who was not reached and why (the count above and the report agree).
    assert [text[:22] for text in to_alex] == ["Rappel envoyé aux memb", "Envois pour le comité "], to_alex
    assert "3 personnes n’ont pas reçu l’ensemble des envois" in to_alex[1], to_alex[1]
