"""One report to the lead per event (issue #17): a COPIL reminder and the summary sent with it are
reported together, each person named once by reason."""

from __future__ import annotations

from datetime import datetime

from domain.clock import FakeClock
from domain.committees.cadence import CommitteeKind
from domain.delivery_problems import ADVICE_GIVEN, NOT_REACHED_ADVICE, REPEATED_CHANGES, event_problem_notices
from domain.outbox import BLOCKED_ERROR_PREFIX, NO_REFERENCE, About, Seen, SourceKind, Topic
from domain.people import Role
from storage.outbox import Delivery
from tests.committees_support import MEMBERS_ONLY, add_person, build_feature, paris, received, utc

COPIL_AT = paris(2027, 3, 2, 14)


async def test_a_copil_reminder_and_its_summary_give_the_lead_one_report(database, connector):
    clock = FakeClock(utc(2027, 1, 4, 9))
    await add_person(database, "camille@ville.fr", Role.LEAD, connector.url, name="Camille Martin")
    await add_person(database, "marc@ville.fr", Role.OFFICIAL, connector.url, name="Marc Lefèvre")
    await add_person(database, "lucie@ville.fr", Role.OFFICIAL, None, name="Lucie Roux")
    feature = build_feature(database, clock, reminders=MEMBERS_ONLY)
    planned = await feature.committees.plan(CommitteeKind.COPIL, paris(2027, 3, 2, 14))
    [j7] = [r for r in await feature.committees.repository.reminders_of(planned.meeting.id) if r.audience == "members" and r.offset_days == 7]
    clock.set(j7.send_at)

    await feature.jobs.sweep_reminders()
    await feature.jobs.drain_outbox()

    [report] = [text for conversation, text in received(connector) if "pas pu être remis" in text or "pas reçu" in text]
    lines = [line for line in report.replace("\u00a0", " ").splitlines() if line]  # Teams: a blank line before a paragraph
    # Reader 1, B5: each message said once (not « Le rappel « Rappel : … » »), the reasons apart from the list.
    # Reader 6, A1: who did not receive what, plainly; nobody is said to have received a message.
    assert lines == [
        # Reader 10, B7: « n’a pas reçu le rappel … ou la synthèse » read wrong; « ce message » was neither.
        "Envois pour le comité de pilotage du mardi 2 mars 2027 à 14 h 00 : 1 personne n’a pas reçu l’ensemble des envois.",
        "Lucie Roux n’a reçu ni le rappel ni la synthèse.",
        # Reader 7, B11, B12 and B14: what is true (no Teams install, whatever else she used), no promise
        # that this message will still reach her, and one reason is a paragraph, not a lone bullet.
        "Lucie Roux n’a pas encore installé l’assistant dans Teams : je ne peux pas lui écrire. "
        "Transmettez-lui l’information par courriel ou par téléphone, et faites-lui installer l’assistant dans Teams pour que les prochains messages lui parviennent.",
    ]
    assert len(await feature.outbox.list(SourceKind.LEAD_NOTICE)) == 1


async def test_a_move_gives_one_report_naming_who_was_not_told(sqlite_database, connector):
    clock = FakeClock(utc(2027, 1, 4, 9))
    await add_person(sqlite_database, "camille@ville.fr", Role.LEAD, connector.url, name="Camille Martin")
    await add_person(sqlite_database, "lucie@ville.fr", Role.OFFICIAL, None, name="Lucie Roux")
    await add_person(sqlite_database, "paul@ville.fr", Role.OFFICIAL, None, name="Paul Durand")
    feature = build_feature(sqlite_database, clock, reminders=MEMBERS_ONLY)
    planned = await feature.committees.plan(CommitteeKind.COPIL, paris(2027, 3, 2, 14))

    await feature.committees.reschedule(planned.meeting.id, paris(2027, 3, 9, 10))
    await feature.jobs.drain_outbox()

    [notice] = await feature.outbox.list(SourceKind.LEAD_NOTICE)
    assert notice.text.replace("\u00a0", " ").startswith(
        "Deux personnes n’ont pas reçu l’annonce du changement de date du comité de pilotage, désormais le mardi 9 mars 2027 à 10 h 00."
    )
    assert notice.text.replace("\u00a0", " ").endswith(
        "Lucie Roux et Paul Durand n’ont pas encore installé l’assistant dans Teams : je ne peux pas leur écrire. "
        "Transmettez-leur l’information par courriel ou par téléphone, et faites-leur installer l’assistant dans Teams pour que les prochains messages leur parviennent.\n" + REPEATED_CHANGES.replace("\u00a0", " ")
    )


async def _copil_lucie_cannot_be_reached(database, connector):
    """A COPIL with the lead and one official who never opened the assistant."""
    clock = FakeClock(utc(2027, 1, 4, 9))
    await add_person(database, "camille@ville.fr", Role.LEAD, connector.url, name="Camille Martin")
    await add_person(database, "lucie@ville.fr", Role.OFFICIAL, None, name="Lucie Roux")
    feature = build_feature(database, clock, reminders=MEMBERS_ONLY)
    return feature, await feature.committees.plan(CommitteeKind.COPIL, paris(2027, 3, 2, 14))


async def test_moving_a_meeting_again_does_not_name_the_same_people_again(sqlite_database, connector):
    feature, planned = await _copil_lucie_cannot_be_reached(sqlite_database, connector)

    await feature.committees.reschedule(planned.meeting.id, paris(2027, 3, 9, 10))
    await feature.jobs.drain_outbox()
    await feature.committees.reschedule(planned.meeting.id, paris(2027, 3, 16, 10))
    await feature.committees.cancel(planned.meeting.id)
    await feature.jobs.drain_outbox()
    [notice] = await feature.outbox.list(SourceKind.LEAD_NOTICE)
    assert notice.text.endswith(REPEATED_CHANGES)

    await add_person(sqlite_database, "paul@ville.fr", Role.OFFICIAL, None, name="Paul Durand")
    other = await feature.committees.plan(CommitteeKind.COPIL, paris(2027, 4, 6, 14))
    await feature.committees.reschedule(other.meeting.id, paris(2027, 4, 13, 10))
    await feature.jobs.drain_outbox()
    assert len(await feature.outbox.list(SourceKind.LEAD_NOTICE)) == 2


async def test_two_changes_sent_together_name_each_person_once(sqlite_database, connector):
    feature, planned = await _copil_lucie_cannot_be_reached(sqlite_database, connector)

    await feature.committees.reschedule(planned.meeting.id, paris(2027, 3, 9, 10))
    await feature.committees.cancel(planned.meeting.id)
    await feature.jobs.drain_outbox()

    [notice] = await feature.outbox.list(SourceKind.LEAD_NOTICE)
    assert notice.text.splitlines()[0] == "Une personne n’a pas reçu les annonces des changements du comité de pilotage."
    assert notice.text.count("Lucie Roux") == 1


def about(topic: Topic, meeting_id: int = 1, label: str = "Comité de pilotage", at: datetime = COPIL_AT) -> str:
    return About(topic, meeting_id, label, at).to_json()


def test_someone_who_missed_only_some_of_the_messages_is_named_with_them():
    def row(number: int, source: str, text: str, name: str, error: str, topic: Topic) -> Delivery:
        return Delivery(id=number, key=f"k{number}", source_kind=source, source_id="1", text=text, recipient_label=name,
                        last_error=error, state="unreachable", about_json=about(topic))

    reminder = [row(1, "reminder", "Rappel : COPIL demain", "Lucie Roux", NO_REFERENCE, Topic.REMINDER)]
    digest = [row(2, "digest", "Synthèse SPASER", "Lucie Roux", NO_REFERENCE, Topic.DIGEST),
              row(3, "digest", "Synthèse SPASER", "Marc Lefèvre", f"{BLOCKED_ERROR_PREFIX}: 403", Topic.DIGEST)]

    [notice] = event_problem_notices([("reminder", "1", reminder), ("digest", "d", digest)], [(1, "Camille Martin")])

    # A2: what each person did not receive, plainly (no « le rappel ne lui était pas destiné »).
    assert notice.text.replace("\u00a0", " ").splitlines() == [
        "Envois pour le comité de pilotage du mardi 2 mars 2027 à 14 h 00 : 2 personnes n’ont pas reçu l’ensemble des envois.",
        "Lucie Roux n’a reçu ni le rappel ni la synthèse. Marc Lefèvre n’a pas reçu la synthèse.",
        "- Lucie Roux n’a pas encore installé l’assistant dans Teams : je ne peux pas lui écrire. "
        "Transmettez-lui l’information par courriel ou par téléphone, et faites-lui installer l’assistant dans Teams pour que les prochains messages lui parviennent.",
        "- Marc Lefèvre a bloqué ou désinstallé l’assistant dans Teams.",
    ]
    assert "message 2" not in notice.text and "2. " not in notice.text, "Teams transcripts drop a list's numbers"


def test_a_summary_for_another_meeting_names_that_meeting():
    def row(number: int, source: str, topic: Topic, meeting_id: int, at: datetime) -> Delivery:
        return Delivery(id=number, key=f"k{number}", source_kind=source, source_id=str(number), text="Bientôt",
                        recipient_label="Lucie Roux", last_error=NO_REFERENCE, state="unreachable",
                        about_json=about(topic, meeting_id, at=at))

    [notice] = event_problem_notices(
        [("reminder", "1", [row(1, "reminder", Topic.REMINDER, 1, COPIL_AT)]),
         ("digest", "2", [row(2, "digest", Topic.DIGEST, 2, paris(2027, 6, 1, 14))])],
        [(1, "Camille Martin")],
    )

    assert notice.text.replace("\u00a0", " ").splitlines()[0] == (
        "Une personne n’a pas reçu le rappel du comité de pilotage du mardi 2 mars 2027 à 14 h 00 "
        "ou la synthèse pour préparer le comité de pilotage du mardi 1er juin 2027 à 14 h 00."
    )


def test_two_messages_of_the_same_kind_are_told_apart_by_their_date_or_their_words():
    def row(number: int, source: str, source_id: str, text: str, name: str, sent: datetime, **facts) -> Delivery:
        return Delivery(id=number, key=f"k{number}", source_kind=source, source_id=source_id, text=text,
                        recipient_label=name, last_error=NO_REFERENCE, state="unreachable", created_at=sent, **facts)

    monday, tuesday = utc(2027, 3, 1, 23, 30), utc(2027, 3, 2, 9)  # Monday 23:30 UTC is Tuesday in Paris
    first = [row(1, "broadcast", "1", "Message de Camille Martin (SPASER) : bilan", "Lucie Roux", monday)]
    second = [row(2, "broadcast", "2", "Message de Camille Martin (SPASER) : relance", "Lucie Roux", tuesday),
              row(3, "broadcast", "2", "Message de Camille Martin (SPASER) : relance", "Marc Lefèvre", tuesday)]
    # The reminders' texts say nothing the report could read back: it names them from their facts.
    reminders = [row(4, "reminder", "7", "Bientôt", "Marc Lefèvre", tuesday, about_json=about(Topic.REMINDER)),
                 row(5, "reminder", "8", "Bientôt", "Marc Lefèvre", tuesday,
                     about_json=about(Topic.REMINDER, 2, "Comité technique", paris(2027, 3, 4, 10)))]

    [notice] = event_problem_notices(
        [("broadcast", "1", first), ("broadcast", "2", second), ("reminder", "7", reminders[:1]),
         ("reminder", "8", reminders[1:])],
        [(1, "Camille Martin")],
    )

    lines = notice.text.replace("\u00a0", " ").splitlines()
    assert lines[1:5] == [
        "- le message diffusé le mardi 2 mars 2027 « Message de Camille Martin (SPASER) : bilan »",
        "- le message diffusé le mardi 2 mars 2027 « Message de Camille Martin (SPASER) : relance »",
        "- le rappel du comité de pilotage du mardi 2 mars 2027 à 14 h 00",
        "- le rappel du comité technique du jeudi 4 mars 2027 à 10 h 00",
    ]
    assert lines[5] == (
        "Lucie Roux n’a pas reçu le message diffusé le mardi 2 mars 2027 « Message de Camille Martin (SPASER) : bilan » "
        "et le message diffusé le mardi 2 mars 2027 « Message de Camille Martin (SPASER) : relance ». "
        "Marc Lefèvre n’a pas reçu le message diffusé le mardi 2 mars 2027 « Message de Camille Martin (SPASER) : "
        "relance », le rappel du comité de pilotage du mardi 2 mars 2027 à 14 h 00 et le rappel du comité technique "
        "du jeudi 4 mars 2027 à 10 h 00."
    )


def test_a_meeting_notice_is_named_by_what_it_announces_whatever_its_words():
    def row(number: int, source: str, text: str, topic: Topic) -> Delivery:
        return Delivery(id=number, key=f"k{number}", source_kind=source, source_id=str(number), text=text,
                        recipient_label="Lucie Roux", last_error=NO_REFERENCE, state="unreachable", about_json=about(topic))

    [notice] = event_problem_notices(
        [("meeting_notice", "1", [row(1, "meeting_notice", "Le comité n’aura pas lieu", Topic.CANCELLED)]),
         ("meeting_notice", "2", [row(2, "meeting_notice", "Nouvelle date", Topic.MOVED)])],
        [(1, "Camille Martin")],
    )

    assert notice.text.replace("\u00a0", " ").splitlines()[0] == (
        "Une personne n’a pas reçu l’annonce de l’annulation du comité de pilotage du mardi 2 mars 2027 à 14 h 00 "
        "ou l’annonce du changement de date du comité de pilotage, désormais le mardi 2 mars 2027 à 14 h 00."
    )


def test_who_missed_only_the_reminder_is_told_the_digest_goes_to_the_officials_only():
    """Reader 7, B9: « Camille Martin n’a pas reçu le rappel. » after « … ou la synthèse » read as if the
    digest had reached her; it goes to the élu·es only. Who had already read it is not told that."""
    def row(number: int, source: str, name: str, topic: Topic, seen: tuple[Seen, ...] = ()) -> Delivery:
        facts = About(topic, 1, "Comité de pilotage", COPIL_AT, seen).to_json()
        return Delivery(id=number, key=f"k{number}", source_kind=source, source_id=source, text="Bientôt",
                        recipient_label=name, last_error=NO_REFERENCE, state="unreachable", about_json=facts)

    reminder = [row(1, "reminder", "Lucie Roux", Topic.REMINDER), row(2, "reminder", "Camille Martin", Topic.REMINDER)]
    digest = [row(3, "digest", "Lucie Roux", Topic.DIGEST)]
    [notice] = event_problem_notices([("reminder", "1", reminder), ("digest", "2", digest)], [(9, "Alex Wilber")])
    assert notice.text.replace("\u00a0", " ").splitlines()[1] == (
        "Lucie Roux n’a reçu ni le rappel ni la synthèse. "
        "Camille Martin n’a pas reçu le rappel (la synthèse n’est envoyée qu’aux élu·es et directeur·rices)."
    )

    digest = [row(3, "digest", "Lucie Roux", Topic.DIGEST, (Seen("Camille Martin", requested=False),))]
    [notice] = event_problem_notices([("reminder", "1", reminder), ("digest", "2", digest)], [(9, "Alex Wilber")])
    assert "Camille Martin n’a pas reçu le rappel." in notice.text
    assert "Camille Martin a déjà reçu la synthèse aujourd’hui" in notice.text.replace("\u00a0", " ")


def test_people_missing_an_event_for_one_reason_are_named_once():
    """Reader 9, B8: « Hélène Dubois et Marc Lefèvre n’ont reçu ni le rappel ni la synthèse. Camille
    Martin n’a pas reçu le rappel… » then « Camille Martin, Hélène Dubois et Marc Lefèvre n’ont pas
    encore installé… »: with one reason, the people are not named again. Reader 9, B9: « l’assistant
    ne renvoie pas ses messages » read as « does not send them back »."""
    def row(number: int, source: str, name: str, topic: Topic) -> Delivery:
        facts = About(topic, 1, "Comité de pilotage", COPIL_AT).to_json()
        return Delivery(id=number, key=f"k{number}", source_kind=source, source_id=source, text="Bientôt",
                        recipient_label=name, last_error=NO_REFERENCE, state="unreachable", about_json=facts)

    reminder = [row(1, "reminder", name, Topic.REMINDER) for name in ("Hélène Dubois", "Marc Lefèvre", "Camille Martin")]
    digest = [row(4, "digest", "Hélène Dubois", Topic.DIGEST), row(5, "digest", "Marc Lefèvre", Topic.DIGEST)]
    [notice] = event_problem_notices([("reminder", "1", reminder), ("digest", "2", digest)], [(9, "Alex Wilber")])

    lines = notice.text.replace("\u00a0", " ").splitlines()
    assert lines[1:] == [
        "Hélène Dubois et Marc Lefèvre n’ont reçu ni le rappel ni la synthèse. "
        "Camille Martin n’a pas reçu le rappel (la synthèse n’est envoyée qu’aux élu·es et directeur·rices).",
        "Ces 3 personnes n’ont pas encore installé l’assistant dans Teams : je ne peux pas leur écrire. "
        "Transmettez-leur l’information par courriel ou par téléphone, et faites-leur installer l’assistant dans Teams pour que les prochains messages leur parviennent.",
    ]
    assert all(notice.text.count(name) == 1 for name in ("Hélène Dubois", "Marc Lefèvre", "Camille Martin"))


async def test_how_to_reach_someone_is_one_sentence_the_same_in_every_report(sqlite_database, connector):
    """Reader 10, B8: three sentences of advice in every report of the day were no longer read;
    reader 11, B17: a short advice in one report and the long one in the next read as two rules. One
    sentence, the same in every report that gives it: the first of the day (reader 14)."""
    clock = FakeClock(utc(2027, 1, 4, 9))
    await add_person(sqlite_database, "camille@ville.fr", Role.LEAD, connector.url, name="Camille Martin")
    await add_person(sqlite_database, "lucie@ville.fr", Role.OFFICIAL, None, name="Lucie Roux")
    feature = build_feature(sqlite_database, clock, reminders=MEMBERS_ONLY)

    async def move_a_new_copil(day: int) -> str:
        planned = await feature.committees.plan(CommitteeKind.COPIL, paris(2027, 3, day, 14))
        await feature.committees.reschedule(planned.meeting.id, paris(2027, 3, day + 1, 10))
        await feature.jobs.drain_outbox()
        notices = sorted(await feature.outbox.list(SourceKind.LEAD_NOTICE), key=lambda notice: notice.id)
        return notices[-1].text.replace("\u00a0", " ")

    first = await move_a_new_copil(2)
    second = await move_a_new_copil(9)
    clock.set(utc(2027, 1, 5, 9))
    next_day = await move_a_new_copil(16)

    fact = "Lucie Roux n’a pas encore installé l’assistant dans Teams : je ne peux pas lui écrire."
    said = f"{fact} " + NOT_REACHED_ADVICE.format(them="lui").replace("\u00a0", " ") + "\n"
    assert said in first and said in next_day
    # Reader 14: the advice three times in a row went unread; the same day, the fact and where the advice
    # is (reader 15, minor 14: a report with no way forward read as if nothing could be done).
    assert f"{fact} {ADVICE_GIVEN}\n" in second and "par courriel ou par téléphone" not in second, second


async def test_the_outbox_says_since_when_it_counts(sqlite_database, connector):
    """Reader 10, A9: `spaser-bot rappels` says « Envois de l’assistant depuis le … »."""
    feature, planned = await _copil_lucie_cannot_be_reached(sqlite_database, connector)
    assert await feature.outbox.first_created_at() is None
    await feature.committees.reschedule(planned.meeting.id, paris(2027, 3, 9, 10))
    first = await feature.outbox.first_created_at()
    assert first is not None and first.tzinfo is not None
