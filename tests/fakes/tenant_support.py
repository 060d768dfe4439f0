"""The fake Graph as the tests use it: a fixture, Graph settings pointing at it, a client that
trusts its certificate, and the application built on both."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace

import pytest

from bot.services import Services, build_services
from domain.clock import FakeClock
from domain.committees.reminder_plan import ReminderSettings
from domain.committees.settings import CommitteeSettings
from domain.outbox import SendingSettings
from domain.tenant import GraphSettings
from scheduler.graph import GraphClient
from storage.db import Database
from tests.committees_support import FakeTime
from tests.conftest import make_settings
from tests.fakes.graph import CATALOG_APP_ID, CLIENT_ID, CLIENT_SECRET, ORGANISER, TENANT, FakeGraph


@pytest.fixture
async def graph(tmp_path) -> AsyncIterator[FakeGraph]:
    fake = FakeGraph(tmp_path / "graph-cert")
    await fake.start()
    yield fake
    await fake.close()


def graph_settings(fake: FakeGraph, **overrides) -> GraphSettings:
    values = dict(
        graph_url=fake.url, login_url=fake.url, tenant_id=TENANT, client_id=CLIENT_ID, client_secret=CLIENT_SECRET,
        directory_names=True, catalog_app_id=CATALOG_APP_ID, organiser_mailbox=ORGANISER,
    )
    values.update(overrides)
    return GraphSettings(**values)


def graph_client(fake: FakeGraph, settings: GraphSettings) -> GraphClient:
    return GraphClient(settings, ssl_context=fake.ssl_context(), http_client=fake.requests_session())


def build_tenant_services(
    database: Database, clock: FakeClock, fake: FakeGraph, *, fake_time: FakeTime | None = None, **graph_overrides
) -> Services:
    """The application with Microsoft Graph on (every feature unless overridden), sending to the
    fake connector through the real CloudAdapter, on fake time."""
    fake_time = fake_time or FakeTime(clock)
    graph = graph_settings(fake, **graph_overrides)
    settings = replace(make_settings(database.url, scheduler_enabled=True), graph=graph)
    return build_services(
        settings, database, clock,
        committee_settings=CommitteeSettings(
            reminders=ReminderSettings(data_collection_offsets_days=()),
            sending=SendingSettings(backoff_base_seconds=1.0),
        ),
        sleep=fake_time.sleep, monotonic=fake_time.monotonic, graph=graph_client(fake, graph),
    )
