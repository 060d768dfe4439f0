"""The outbox sender against a fake Teams connector on loopback: retries, faults, crashes, instances."""

from __future__ import annotations

import asyncio
import logging
import subprocess
import sys
from datetime import timedelta

import pytest

from bot.proactive import classify
from domain.delivery_problems import problem_notices
from domain.outbox import (
    BLOCKED_ERROR_PREFIX,
    NO_REFERENCE,
    DeliveryState,
    OutboxMessage,
    RateLimits,
    SendingSettings,
    SourceKind,
    Window,
    parse_retry_after,
)
from domain.people import Role
from scheduler.instance_lock import InstanceLockError
from scheduler.rate_limit import SlidingWindowLimiter
from storage.db import Database
from storage.outbox import Delivery
from storage.people import ConversationRefRepository
from tests.committees_support import (
    FakeTime,
    add_person,
    build_feature,
    postgres_database,  # noqa: F401 - fixture
    received,
    reference,
)


def message(person_id: int, text: str = "Bonjour", key: str | None = None, **fields) -> OutboxMessage:
    return OutboxMessage(
        key=key or f"test:{text}:{person_id}",
        source_kind=fields.pop("source_kind", SourceKind.BROADCAST),
        source_id=fields.pop("source_id", "1"),
        text=text,
        person_id=person_id,
        recipient_label=fields.pop("recipient_label", f"personne {person_id}"),
        **fields,
    )


async def states(feature) -> dict[str, str]:
    return {row.key: row.state for row in await feature.outbox.list()}


async def test_a_queued_message_is_sent_once_and_marked_sent(database, clock, connector):
    feature = build_feature(database, clock)
    nadia = await add_person(database, "nadia@ville.fr", Role.CONTRIBUTOR, connector.url, "DCP")
    await feature.outbox.enqueue([message(nadia.id, "Rappel : comité")], clock.now())
    await feature.outbox.enqueue([message(nadia.id, "Rappel : comité")], clock.now())

    report = await feature.jobs.sender.drain()
    await feature.jobs.sender.drain()

    assert report.sent == 1
    assert received(connector) == [("a:nadia@ville.fr", "Rappel : comité")]
    [row] = await feature.outbox.list()
    assert (row.state, row.attempts, row.activity_id) == (DeliveryState.SENT, 1, "sent-1")


async def test_429_waits_the_retry_after_given_by_teams_then_delivers(sqlite_database, clock, connector):
    fake_time = FakeTime(clock)
    feature = build_feature(sqlite_database, clock, fake_time=fake_time)
    nadia = await add_person(sqlite_database, "nadia@ville.fr", Role.CONTRIBUTOR, connector.url, "DCP")
    await feature.outbox.enqueue([message(nadia.id)], clock.now())
    connector.fail_next(429, **{"Retry-After": "7"})

    report = await feature.jobs.sender.drain()

    assert (report.retried, report.sent) == (1, 1)
    assert sum(fake_time.slept) == 7.0
    assert connector.attempts == 2 and len(connector.sent) == 1


async def test_502_then_success_backs_off_with_jitter_within_the_first_step(sqlite_database, clock, connector):
    fake_time = FakeTime(clock)
    feature = build_feature(sqlite_database, clock, fake_time=fake_time, sending=SendingSettings(backoff_base_seconds=4.0))
    nadia = await add_person(sqlite_database, "nadia@ville.fr", Role.CONTRIBUTOR, connector.url, "DCP")
    await feature.outbox.enqueue([message(nadia.id)], clock.now())
    connector.fail_next(502)

    report = await feature.jobs.sender.drain()

    assert (report.retried, report.sent) == (1, 1)
    assert 2.0 <= sum(fake_time.slept) <= 4.0
    [row] = await feature.outbox.list()
    assert (row.state, row.attempts) == (DeliveryState.SENT, 2)


@pytest.mark.parametrize("status", [412, 503, 504])
async def test_retryable_errors_stop_after_the_bounded_tries_and_the_lead_is_told(sqlite_database, clock, connector, status):
    feature = build_feature(sqlite_database, clock, sending=SendingSettings(max_attempts=3, backoff_base_seconds=1.0))
    lead = await add_person(sqlite_database, "camille@ville.fr", Role.LEAD, connector.url, name="Camille Martin")
    nadia = await add_person(sqlite_database, "nadia@ville.fr", Role.CONTRIBUTOR, connector.url, "DCP", name="Nadia Benali")
    await feature.outbox.enqueue([message(nadia.id, "Rappel : comité technique", recipient_label="Nadia Benali")], clock.now())
    connector.fail_next(status, count=3)

    report = await feature.jobs.sender.drain()

    assert (report.failed, report.retried) == (1, 2)
    assert connector.attempts == 4  # three tries for Nadia, then the notice to the lead
    [(conversation, text)] = received(connector)
    assert conversation == "a:camille@ville.fr" and lead.role is Role.LEAD
    assert "Nadia Benali" in text and f"{status}" in text and "Rappel\u00a0: comité technique" in text


class UnreachableNetwork:
    """Stands for a network failure: the SDK raises an error that carries no HTTP response."""

    def __init__(self, channel, failures: int) -> None:
        self._channel = channel
        self.failures = failures

    async def send(self, ref, text, card):
        if self.failures:
            self.failures -= 1
            raise classify(ConnectionError("Cannot connect to host smba.trafficmanager.net:443"))
        return await self._channel.send(ref, text, card)


async def test_a_network_failure_is_retried_like_a_502(sqlite_database, clock, connector):
    feature = build_feature(sqlite_database, clock)
    nadia = await add_person(sqlite_database, "nadia@ville.fr", Role.CONTRIBUTOR, connector.url, "DCP")
    await feature.outbox.enqueue([message(nadia.id, "Rappel")], clock.now())
    feature.jobs.sender._channel = UnreachableNetwork(feature.jobs.sender._channel, failures=2)

    report = await feature.jobs.sender.drain()

    assert (report.retried, report.sent) == (2, 1)
    [row] = await feature.outbox.list()
    assert row.attempts == 3 and row.state == DeliveryState.SENT


async def test_403_marks_the_recipient_unreachable_tells_the_lead_and_stops_sending_to_them(database, clock, connector):
    feature = build_feature(database, clock)
    await add_person(database, "camille@ville.fr", Role.LEAD, connector.url, name="Camille Martin")
    marc = await add_person(database, "marc@ville.fr", Role.OFFICIAL, connector.url, name="Marc Lefèvre")
    connector.blocked.add("a:marc@ville.fr")
    await feature.outbox.enqueue([message(marc.id, "Rappel : COPIL", recipient_label="Marc Lefèvre")], clock.now())

    await feature.jobs.sender.drain()
    await feature.outbox.enqueue([message(marc.id, "Second rappel", recipient_label="Marc Lefèvre")], clock.now())
    await feature.jobs.sender.drain()

    by_key = {row.key: row for row in await feature.outbox.list()}
    assert by_key[f"test:Rappel : COPIL:{marc.id}"].state == DeliveryState.UNREACHABLE
    assert by_key[f"test:Second rappel:{marc.id}"].state == DeliveryState.UNREACHABLE
    assert connector.attempts == 3  # one 403 for Marc, then one notice per undelivered message to the lead
    notices = [text for conversation, text in received(connector) if conversation == "a:camille@ville.fr"]
    assert len(notices) == 2
    assert all("Marc Lefèvre" in text and "bloqué ou désinstallé" in text for text in notices)


async def test_a_person_without_a_conversation_reference_is_reported_to_the_lead(database, clock, connector):
    feature = build_feature(database, clock)
    await add_person(database, "camille@ville.fr", Role.LEAD, connector.url, name="Camille Martin")
    newcomer = await add_person(database, "paul@ville.fr", Role.CONTRIBUTOR, None, "DRH", name="Paul Durand")
    await feature.outbox.enqueue([message(newcomer.id, "Indicateurs à mettre à jour", recipient_label="Paul Durand")], clock.now())

    report = await feature.jobs.sender.drain()

    assert (report.unreachable, report.sent) == (1, 1)
    [(conversation, text)] = received(connector)
    assert conversation == "a:camille@ville.fr"
    assert "Paul Durand n’a pas encore installé l’assistant dans Teams\u00a0: je ne peux pas lui écrire." in text
    assert (await states(feature))[f"test:Indicateurs à mettre à jour:{newcomer.id}"] == DeliveryState.UNREACHABLE


async def test_a_reminder_whose_meeting_has_started_is_withdrawn_not_sent_late(sqlite_database, clock, connector):
    feature = build_feature(sqlite_database, clock)
    nadia = await add_person(sqlite_database, "nadia@ville.fr", Role.CONTRIBUTOR, connector.url, "DCP")
    await feature.outbox.enqueue([message(nadia.id, expires_at=clock.now() - timedelta(minutes=1))], clock.now())

    report = await feature.jobs.sender.drain()

    assert (report.withdrawn, report.sent) == (1, 0) and connector.sent == []


async def test_a_service_url_outside_teams_is_never_called_once_authentication_is_on(sqlite_database, clock, connector):
    feature = build_feature(sqlite_database, clock, app_id="11111111-2222-3333-4444-555555555555", app_password="x")
    nadia = await add_person(sqlite_database, "nadia@ville.fr", Role.CONTRIBUTOR, connector.url, "DCP")
    await feature.outbox.enqueue([message(nadia.id)], clock.now())

    report = await feature.jobs.sender.drain()

    assert report.unreachable == 1 and connector.attempts == 0


class Crash(BaseException):
    """Stands for `kill -9` right after Teams accepted a message, before the row was marked sent."""


class CrashingChannel:
    def __init__(self, channel, crash_on_call: int) -> None:
        self._channel = channel
        self._crash_on_call = crash_on_call
        self.calls = 0

    async def send(self, ref, text, card):
        self.calls += 1
        activity_id = await self._channel.send(ref, text, card)
        if self.calls == self._crash_on_call:
            raise Crash()
        return activity_id


async def test_a_crash_mid_run_loses_nothing_and_only_rows_left_sending_can_repeat(sqlite_database, clock, connector, caplog):
    one_at_a_time = SendingSettings(concurrency=1)
    feature = build_feature(sqlite_database, clock, sending=one_at_a_time)
    people = [await add_person(sqlite_database, f"p{i}@ville.fr", Role.CONTRIBUTOR, connector.url, "DCP") for i in range(6)]
    await feature.outbox.enqueue([message(p.id, f"Message {i}") for i, p in enumerate(people)], clock.now())
    feature.jobs.sender._channel = CrashingChannel(feature.jobs.sender._channel, crash_on_call=3)

    with pytest.raises(BaseExceptionGroup) as crashed:
        await feature.jobs.sender.drain()
    await feature.jobs.close()
    assert crashed.group_contains(Crash)
    before_restart = {row.text: row.state for row in await feature.outbox.list()}
    left_sending = sorted(text for text, state in before_restart.items() if state == DeliveryState.SENDING)
    assert [before_restart[f"Message {i}"] for i in range(3)] == ["sent", "sent", "sending"]
    assert "Message 5" not in left_sending  # claiming ahead is bounded

    restarted = build_feature(sqlite_database, clock, sending=one_at_a_time, scheduler_enabled=True)
    with caplog.at_level(logging.WARNING):
        await restarted.jobs.start("Europe/Paris")
        await restarted.jobs.drain_outbox()
    await restarted.jobs.close()

    texts = sorted(text for _, text in received(connector))
    assert texts == sorted([f"Message {i}" for i in range(6)] + ["Message 2"])  # Teams had accepted it before the crash
    assert set((await states(restarted)).values()) == {"sent"}
    logged = sorted(r.getMessage().split("(test:")[1].split(":")[0] for r in caplog.records if "may arrive twice" in r.getMessage())
    assert logged == left_sending


async def test_a_second_process_on_the_same_sqlite_file_is_refused_clearly(sqlite_database, clock, connector):
    first = build_feature(sqlite_database, clock, scheduler_enabled=True)
    await first.jobs.start("Europe/Paris")
    code = (
        "import asyncio, sys\n"
        "from scheduler.instance_lock import SenderLock, InstanceLockError\n"
        "from storage.db import Database\n"
        f"try:\n    SenderLock(Database({sqlite_database.url!r}).sqlite_file).acquire()\n"
        "except InstanceLockError as error:\n    print(error, file=sys.stderr); sys.exit(3)\n"
    )
    try:
        other_process = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
        second_in_process = build_feature(sqlite_database, clock, scheduler_enabled=True)
        with pytest.raises(InstanceLockError):
            await second_in_process.jobs.start("Europe/Paris")
    finally:
        await first.jobs.close()

    assert other_process.returncode == 3
    assert "Une autre instance de l’assistant du SPASER envoie déjà" in other_process.stderr
    assert "PostgreSQL" in other_process.stderr


async def test_two_senders_on_postgresql_deliver_each_message_exactly_once(postgres_database, clock, connector):
    database = postgres_database
    second_engine = Database(database.url, connect_args=database.connect_args)
    fast = SendingSettings(limits=RateLimits(per_conversation=(Window(100, 1),), per_app=(Window(10_000, 1),)), concurrency=8)
    first = build_feature(database, clock, sending=fast)
    second = build_feature(second_engine, clock, sending=fast)
    refs = ConversationRefRepository(database)
    messages = []
    for index in range(120):
        conversation = f"19:channel-{index}@thread.tacv2"
        await refs.save(reference(conversation, connector.url), tenant_id="t", aad_object_id=None, conversation_type="channel")
        messages.append(
            OutboxMessage(
                key=f"broadcast:1:{conversation}",
                source_kind=SourceKind.BROADCAST,
                source_id="1",
                text=f"Message {index}",
                conversation_id=conversation,
            )
        )
    await first.outbox.enqueue(messages, clock.now())

    reports = await asyncio.gather(first.jobs.sender.drain(), second.jobs.sender.drain())
    await second_engine.dispose()

    conversations = [conversation for conversation, _ in received(connector)]
    assert len(conversations) == 120 and len(set(conversations)) == 120
    assert reports[0].sent + reports[1].sent == 120
    assert min(reports[0].sent, reports[1].sent) > 0, "both instances should have taken a share"
    assert set((await states(first)).values()) == {"sent"}


async def test_the_limiter_keeps_every_teams_window_and_loses_no_time(clock):
    fake_time = FakeTime(clock)
    limiter = SlidingWindowLimiter(RateLimits(margin_seconds=0.0), now=fake_time.monotonic, sleep=fake_time.sleep)
    start = fake_time.monotonic()
    stamps = []
    for _ in range(70):
        await limiter.acquire("a:one-conversation")
        stamps.append(fake_time.monotonic() - start)

    def most_in_any_window(seconds: float) -> int:
        return max(sum(1 for t in stamps if s <= t < s + seconds) for s in stamps)

    assert most_in_any_window(1) <= 7 and most_in_any_window(2) <= 8 and most_in_any_window(30) <= 60
    assert stamps[59] == pytest.approx(58 / 8 * 2, abs=2.01)  # 8 per 2 s is the binding window until 60
    assert stamps[60] == pytest.approx(30.0)  # the 61st waits for the 30-second window to roll


async def test_the_app_wide_limit_spans_conversations(clock):
    fake_time = FakeTime(clock)
    limiter = SlidingWindowLimiter(RateLimits(margin_seconds=0.0), now=fake_time.monotonic, sleep=fake_time.sleep)
    start = fake_time.monotonic()
    for index in range(101):
        await limiter.acquire(f"a:person-{index}")

    assert fake_time.monotonic() - start == pytest.approx(2.0)  # 50 now, 50 a second later, 1 at t=2 s


def test_retry_after_accepts_seconds_and_http_dates():
    from datetime import UTC, datetime

    now = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
    assert parse_retry_after("3") == 3.0
    assert parse_retry_after("Mon, 30 Nov 2026 09:00:12 GMT", now) == 12.0
    assert parse_retry_after("bientôt") is None


def test_the_lead_notice_quotes_the_digest_title_up_to_a_whole_word_and_says_each_reason_once():
    title = ("**Synthèse SPASER avant le comité de pilotage du jeudi 12 mars 2026 : 18 indicateurs, 5 atteints, "
             "7 en bonne voie, 4 en retard, 2 non renseignés, complétude des directions 86 %**\nDétail…")
    rows = [
        Delivery(id=number, key=f"digest:{number}", source_kind="digest", source_id="7", text=title,
                 recipient_label=name, last_error=error)
        for number, (name, error) in enumerate(
            [("Hélène Dubois", NO_REFERENCE), ("Marc Lefèvre", f"{BLOCKED_ERROR_PREFIX}: 403"), ("Paul Durand", NO_REFERENCE)],
            start=1,
        )
    ]

    [notice] = problem_notices("digest", "7", rows, [(1, "Camille Martin")])

    first, *reasons = notice.text.splitlines()
    assert first == (
        "Trois personnes n’ont pas reçu le message « Synthèse SPASER avant le comité de pilotage du jeudi 12 mars 2026\u00a0: "
        "18 indicateurs, 5 atteints, 7 en bonne voie, 4 en retard, 2 non renseignés… »."
    )
    assert reasons == [
        "- Hélène Dubois et Paul Durand n’ont pas encore installé l’assistant dans Teams\u00a0: je ne peux pas leur écrire. "
        "Transmettez-leur l’information par courriel ou par téléphone, et faites-leur installer l’assistant dans Teams pour que les prochains messages leur parviennent.",
        "- Marc Lefèvre a bloqué ou désinstallé l’assistant dans Teams.",
    ]


async def test_the_reminders_listing_counts_messages_not_delivered_apart_from_the_people(sqlite_database, clock, connector):
    """Reader 1, B17: « 18 destinataires injoignables » counted messages, not the 10 people; reader 7,
    B15: one line per kind of message, so that each reads against the chat's report of that kind."""
    from domain.outbox_counts import outbox_counts_text

    feature = build_feature(sqlite_database, clock)
    await add_person(sqlite_database, "camille@ville.fr", Role.LEAD, connector.url, name="Camille Martin")
    newcomer = await add_person(sqlite_database, "paul@ville.fr", Role.CONTRIBUTOR, None, "DRH", name="Paul Durand")
    other = await add_person(sqlite_database, "lea@ville.fr", Role.CONTRIBUTOR, None, "DRH", name="Léa Petit")
    await feature.outbox.enqueue(
        [message(newcomer.id, text, recipient_label="Paul Durand") for text in ("Rappel : COPIL", "Rappel : COTECH")]
        + [message(who.id, "Bilan", recipient_label=name, source_kind=SourceKind.REMINDER, source_id="9")
           for who, name in ((newcomer, "Paul Durand"), (other, "Léa Petit"))],
        clock.now(),
    )
    await feature.jobs.sender.drain()

    counts, people = await feature.outbox.counts_by_kind(), await feature.outbox.unreachable_people_by_kind()
    assert counts["broadcast"] == {"unreachable": 2} and people == {"broadcast": 1, "reminder": 2}
    assert outbox_counts_text(counts, people).replace("\u00a0", " ").splitlines()[1:] == [
        "  Rappels aux membres : 2 non remis (2 personnes injoignables)",
        "  Diffusions : 2 non remises (1 personne injoignable)",
        "  Comptes rendus envoyés à la personne responsable du SPASER : 1 remis",
    ]


async def test_the_reminders_listing_counts_the_lead_s_copies_apart_from_the_members_reminders(
    sqlite_database, clock, connector
):
    """Reader 9, A9: « 4 rappels remis » when 2 members had their reminder and the 2 others were the
    copies the lead gets; the directorates' reminders about their indicators are told apart too."""
    from domain.outbox_counts import outbox_counts_text

    feature = build_feature(sqlite_database, clock)
    lead = await add_person(sqlite_database, "alex@ville.fr", Role.LEAD, connector.url, name="Alex Wilber")
    adele = await add_person(sqlite_database, "adele@ville.fr", Role.OFFICIAL, connector.url, name="Adele Vance")
    helene = await add_person(sqlite_database, "helene@ville.fr", Role.OFFICIAL, None, name="Hélène Dubois")
    nadia = await add_person(sqlite_database, "nadia@ville.fr", Role.CONTRIBUTOR, None, "DCP", name="Nadia Benali")

    def reminder(audience: str, who, text: str) -> OutboxMessage:
        return message(who.id, text, key=f"meeting-1:{audience}:J-1:person-{who.id}", source_kind=SourceKind.REMINDER,
                       source_id="1", recipient_label=who.name)

    await feature.outbox.enqueue(
        [reminder("members", who, "Rappel : COPIL") for who in (adele, helene)]
        + [reminder("members", lead, "Rappel envoyé aux membres du comité de pilotage (votre copie)")]
        + [reminder("data_collection", nadia, "Indicateurs SPASER à mettre à jour")],
        clock.now(),
    )
    await feature.jobs.sender.drain()

    counts, people = await feature.outbox.counts_by_kind(), await feature.outbox.unreachable_people_by_kind()
    lines = outbox_counts_text(counts, people).replace("\u00a0", " ").splitlines()[1:]
    assert lines[:3] == [
        "  Rappels aux membres : 1 remis ; 1 non remis (1 personne injoignable)",
        "  Copies des rappels à la personne responsable du SPASER : 1 remise",
        "  Relances des directions pour leurs indicateurs : 1 non remise (1 personne injoignable)",
    ], lines
