"""Tenant settings and the lead's words for what Microsoft Graph answered."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from domain.clock import SchedulingError
from domain.committees.cadence import CommitteeKind, MeetingStatus
from domain.committees.meetings import MeetingView
from domain.delivery_problems import explain, problem_notices
from domain.tenant import DEFAULT_GRAPH_URL, GraphSettings, event_comment, install_failure
from tests.delivery_support import Row


def test_graph_is_off_unless_configured_and_borrows_the_bots_credentials():
    assert not GraphSettings.from_values({}).configured
    settings = GraphSettings.from_values({
        "MicrosoftAppId": "app", "MicrosoftAppPassword": "secret", "MicrosoftAppTenantId": "tenant",
        "SPASER_TEAMS_CATALOG_APP_ID": "catalog",
    })
    assert settings.installs_app and not settings.sends_invitations and not settings.looks_up_names
    assert settings.graph_url == DEFAULT_GRAPH_URL and settings.login_url == "https://login.microsoftonline.com"
    local = GraphSettings.from_values({"SPASER_GRAPH_URL": "https://127.0.0.1:8443/", "SPASER_LOGIN_URL": "https://127.0.0.1:8443"})
    assert (local.graph_url, local.login_url) == ("https://127.0.0.1:8443", "https://127.0.0.1:8443")


def test_a_graph_feature_without_credentials_is_refused_in_french():
    with pytest.raises(SchedulingError, match="il manque le locataire"):
        GraphSettings.from_values({"SPASER_OUTLOOK_ORGANISER": "spaser@ville.fr"})




def test_the_lead_reads_installed_and_impossible_in_one_notice():
    now = datetime(2027, 3, 1, tzinfo=UTC)
    rows = [
        Row(1, "Rappel : COPIL demain", "Hélène Dubois", None, "sent", now),
        Row(2, "Rappel : COPIL demain", "Marc Lefèvre", install_failure(403, "Forbidden"), "unreachable"),
    ]
    (notice,) = problem_notices("reminder", "3", rows, [(9, "Camille Martin")])
    assert notice.text.replace("\u00a0", " ") == (
        "Une personne n’a pas reçu le message « Rappel : COPIL demain ».\n"
        "- L’application n’a pas pu être installée pour Marc Lefèvre. Il manque le consentement "
        "administrateur (permission TeamsAppInstallation.ReadWriteSelfForUser.All).\n"
        "- L’assistant a été installé dans Teams pour Hélène Dubois : je lui ai écrit ensuite."
    )
    assert explain(install_failure(404, "NotFound"), ["Marc Lefèvre", "Lucie Roux"]) == (
        "Lucie Roux et Marc Lefèvre sont introuvables dans l’annuaire Microsoft 365."
    )


def test_a_notice_about_installations_only_is_a_sentence_and_quotes_without_markdown():
    now = datetime(2027, 3, 1, tzinfo=UTC)
    rows = [
        Row(1, "**Rappel** : COPIL _demain_", "Hélène Dubois", None, "sent", now),
        Row(2, "**Rappel** : COPIL _demain_", "Marc Lefèvre", None, "sent", now),
    ]
    (notice,) = problem_notices("reminder", "3", rows, [(9, "Camille Martin")])
    assert notice.text.replace("\u00a0", " ") == (
        "Tout le monde a bien reçu le message « Rappel : COPIL demain ».\n"
        "L’assistant a été installé dans Teams pour Hélène Dubois et Marc Lefèvre : je leur ai écrit ensuite."
    ), "one reason alone is a paragraph, not a one-item list (reader 7)"


def test_the_cancellation_comment_writes_the_committee_in_lower_case_inside_its_sentence():
    starts = datetime(2027, 3, 12, 13, 0, tzinfo=UTC)
    meeting = MeetingView(1, CommitteeKind.COPIL, starts, None, None, None, None, MeetingStatus.PLANNED, 0, starts)

    assert event_comment(meeting, "Europe/Paris") == (
        "Le comité de pilotage du vendredi 12\u00a0mars\u00a02027 à 14\u00a0h\u00a000 est annulé."
    )
