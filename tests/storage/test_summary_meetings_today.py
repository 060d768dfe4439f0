"""Issue 17: a COPIL planned this morning, the report read at 2 p.m. the same day said « Aucune réunion
de comité n’est planifiée pour le moment » under a date that holds it, while the cadence check counted
it as coming. The summary's meetings are those of its day on, on a real SQLite database."""

from __future__ import annotations

from datetime import UTC, datetime

from domain.committees.cadence import CommitteeKind, MeetingStatus
from domain.committees.messages import no_meeting_text
from domain.summary.report import report_html
from domain.summary.scope import Scope
from storage.committees.repository import CommitteeRepository
from storage.committees.tables import Meeting
from storage.indicators import indicator_repositories
from storage.people import DirectorateRepository
from storage.summary.repository import SummaryRepository
from storage.summary.service import SummaryService
from tests.summary_support import organisation, seed_catalogue


def service(database, clock) -> SummaryService:
    catalogue, _ = indicator_repositories(database, clock=clock)
    return SummaryService(
        SummaryRepository(database), catalogue, DirectorateRepository(database), clock, "Europe/Paris",
        CommitteeRepository(database),
    )


async def test_a_copil_planned_this_morning_is_in_the_report_dated_today(sqlite_database, clock):
    database = sqlite_database
    people = await organisation(database, "http://127.0.0.1:9/")
    await seed_catalogue(database, clock, people["lead"].id)
    clock.set(datetime(2026, 11, 30, 13, 0, tzinfo=UTC))  # 14 h 00 in Paris
    async with database.session() as session:
        session.add(Meeting(kind=CommitteeKind.COPIL.value, starts_at=datetime(2026, 11, 30, 8, 0, tzinfo=UTC)))
        session.add(Meeting(kind=CommitteeKind.COTECH.value, starts_at=datetime(2026, 11, 29, 9, 0, tzinfo=UTC)))
        session.add(Meeting(kind=CommitteeKind.COTECH.value, starts_at=datetime(2026, 11, 30, 15, 0, tzinfo=UTC),
                            status=MeetingStatus.CANCELLED.value))
    summary = await service(database, clock).summary(Scope.everything())
    assert [(meeting.kind, meeting.starts_at) for meeting in summary.next_meetings] == [
        (CommitteeKind.COPIL, datetime(2026, 11, 30, 8, 0, tzinfo=UTC))
    ]
    html = report_html(summary).decode("utf-8")
    assert no_meeting_text() not in html
    assert "lundi 30\u00a0novembre\u00a02026 à 9\u00a0h\u00a000" in html
