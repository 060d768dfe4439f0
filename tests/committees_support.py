"""Helpers of the committee tests: people reachable through the fake connector, fake time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from botbuilder.schema import Activity

from bot.console import render_as_text
from bot.services import Services, build_services
from domain.clock import FakeClock
from domain.committees.reminder_plan import ReminderSettings
from domain.committees.settings import CommitteeSettings
from domain.outbox import SendingSettings
from domain.people import PersonView, Role
from scheduler.service import SchedulerService
from storage.db import Database
from storage.people import ConversationRefRepository, PeopleRepository
from tests.conftest import make_database, make_settings

TENANT = "local-tenant"


@pytest.fixture
async def postgres_database(tmp_path):
    """A migrated PostgreSQL schema alone (skipped with the reason when PostgreSQL is not reachable)."""
    database, drop = await make_database("postgresql", tmp_path)
    await database.migrate()
    yield database
    await drop()


class FakeTime:
    """Sleeping advances the fake clock instead of waiting; `slept` records each wait."""

    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock
        self.slept: list[float] = []

    def monotonic(self) -> float:
        return self.clock.now().timestamp()

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.clock.advance(timedelta(seconds=max(seconds, 0)))


def reference(conversation_id: str, service_url: str, aad_object_id: str | None = None) -> dict:
    return {
        "activityId": None,
        "bot": {"id": "28:spaser-bot", "name": "Assistant SPASER"},
        "channelId": "msteams",
        "conversation": {"id": conversation_id, "conversationType": "personal", "tenantId": TENANT},
        "serviceUrl": service_url,
        "user": {"id": f"29:{aad_object_id or conversation_id}", "aadObjectId": aad_object_id},
    }


async def add_person(
    database: Database,
    email: str,
    role: Role,
    service_url: str | None,
    directorate: str | None = None,
    name: str | None = None,
) -> PersonView:
    """A registered person; with a `service_url`, one who has opened the assistant in Teams."""
    people = PeopleRepository(database)
    if directorate:
        from storage.people import DirectorateRepository

        if await DirectorateRepository(database).get_by_code(directorate) is None:
            await DirectorateRepository(database).add(directorate, f"Direction {directorate}")
    person = await people.assign(email, role, directorate, name=name or email.split("@")[0].replace(".", " ").title())
    if service_url is None:
        return person
    aad = f"aad-{email}"
    await people.identify(TENANT, aad, email_lookup=_returning(email))
    await ConversationRefRepository(database).save(
        reference(f"a:{email}", service_url, aad), tenant_id=TENANT, aad_object_id=aad, conversation_type="personal"
    )
    return await people.get(person.id)


def _returning(value):
    async def lookup():
        return value

    return lookup


def build_feature(
    database: Database,
    clock: FakeClock,
    *,
    fake_time: FakeTime | None = None,
    sending: SendingSettings | None = None,
    reminders: ReminderSettings | None = None,
    channel=None,
    **settings_overrides,
) -> Services:
    """The application without the bot (committees, outbox, jobs), sending through the real
    CloudAdapter to the fake connector; time and sleeps are the fake clock's."""
    settings = make_settings(database.url, **settings_overrides)
    fake_time = fake_time or FakeTime(clock)
    return build_services(
        settings,
        database,
        clock,
        committee_settings=CommitteeSettings(
            reminders=reminders or ReminderSettings(),
            sending=sending or SendingSettings(backoff_base_seconds=1.0),
        ),
        channel=channel,
        sleep=fake_time.sleep,
        monotonic=fake_time.monotonic,
    )


async def start_paused(services: Services) -> SchedulerService:
    """Start the jobs on a scheduler whose jobs get their next run times but never run: tests call
    the job methods themselves."""
    services.scheduler.scheduler.start(paused=True)
    await services.jobs.start("Europe/Paris")
    return services.scheduler


MEMBERS_ONLY = ReminderSettings(data_collection_offsets_days=())
"""For tests about member reminders: no data-collection reminder falls due in between."""


def received(connector) -> list[tuple[str, str]]:
    """(conversation id, rendered text) of everything the fake connector received: a card by its
    summary, a text message by its text (its summary is only the notification preview)."""
    out = []
    for body in connector.sent:
        activity = Activity().deserialize({k: v for k, v in body.items() if not k.startswith("_")})
        shown = render_as_text(activity) if activity.text else activity.summary or render_as_text(activity)
        out.append((body["_conversation_id"], shown))
    return out


def paris(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    from zoneinfo import ZoneInfo

    return datetime(year, month, day, hour, minute, tzinfo=ZoneInfo("Europe/Paris"))


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)
