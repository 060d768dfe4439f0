"""What one person typed, shown to another (comments, questions, names, broadcasts), through the real
endpoint: no link or HTML hides its target; a link in the lead's broadcast shows where it goes."""

from __future__ import annotations

import re

from app import RUNTIME
from domain.indicators.rules import ValueEntry
from tests.http_support import Sender

PHISHING = "[Renouvelez votre mot de passe](https://evil.invalid/login)"
HIDDEN_LINK = re.compile(r"\]\s*\(https?://|<a\b|<img\b", re.IGNORECASE)


def visible(text: str) -> bool:
    """The target can be read and nothing would render it as a hidden link."""
    return "evil.invalid" in text and not HIDDEN_LINK.search(text)


async def test_a_comment_with_a_link_is_shown_as_typed_in_the_history_and_the_values(client, connector):
    runtime = client.server.app[RUNTIME]
    nadia = await runtime.people.get_by_email("nadia@ville.fr")
    await runtime.values.record_value(nadia, "DCP", ValueEntry("IND-01", "2026-T3", "40", PHISHING), runtime.values.today())
    lead, official = Sender(client, connector, "lead-aad", "Camille Martin"), Sender(client, connector, "maire-aad", "Hélène")

    history = await lead.say("historique de IND-01")
    values = await official.say("valeur de IND-01")

    assert visible(history) and visible(values)


async def test_a_question_with_html_is_listed_as_typed_for_the_lead(client, connector):
    official, lead = Sender(client, connector, "maire-aad", "Hélène"), Sender(client, connector, "lead-aad", "Camille")
    await official.say("Quelle est la couleur préférée du maire <a href='https://evil.invalid/x'>ici</a> ?")

    listed = await lead.say("questions sans réponse")

    assert visible(listed)


async def test_a_teams_name_with_a_link_is_listed_as_typed(client, connector):
    await Sender(client, connector, "odd-aad", "[Camille Martin](https://evil.invalid/)").say("bonjour")
    lead = Sender(client, connector, "lead-aad", "Camille")

    listed = await lead.say("lister les personnes")

    assert visible(listed)


async def test_a_link_in_the_leads_broadcast_shows_its_target(client, connector):
    runtime = client.server.app[RUNTIME]
    lead = await runtime.people.get_by_email("lead@ville.fr") or await runtime.people.identify("local-tenant", "lead-aad")
    from domain.broadcasts import AudienceKind, BroadcastAudience, message_card, preview_card

    card = message_card("Lisez [la note du DGS](https://evil.invalid/note).", lead.name, runtime.clock.now(), "Europe/Paris")
    preview = preview_card(
        await runtime.broadcasts.resolve(BroadcastAudience(AudienceKind.EVERYONE), lead),
        "Lisez [la note du DGS](https://evil.invalid/note).", lead.name,
    )

    for shown in (str(card), str(preview)):
        assert "la note du DGS (https://evil.invalid/note)" in shown and not HIDDEN_LINK.search(shown)
