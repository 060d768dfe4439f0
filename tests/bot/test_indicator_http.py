"""The indicator form and the update dialog through the real aiohttp endpoint, replies through the
fake Teams connector on loopback (and `expectReplies`)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from aiohttp.test_utils import TestClient

from app import RUNTIME
from bot.console import teams_activity
from domain.indicators.values import warm_up
from tests.fakes.teams_connector import FakeTeamsConnector
from tests.indicators_support import card_inputs, value_rows


@pytest.fixture(scope="session", autouse=True)
def recognizers():
    warm_up()


class Sender:
    """Posts Teams-shaped activities as one person; every activity gets a fresh id."""

    def __init__(self, client: TestClient, connector: FakeTeamsConnector, aad: str, name: str) -> None:
        self.client, self.connector, self.aad, self.name = client, connector, aad, name
        self.count = 0

    def activity(self, **fields) -> dict:
        self.count += 1
        activity = teams_activity(
            aad_object_id=self.aad, name=self.name, conversation_id=f"a:{self.aad}", id=f"{self.aad}-{self.count}", **fields
        )
        activity.service_url = self.connector.url
        return activity.serialize()

    async def post(self, **fields) -> list[dict]:
        """The replies, returned in the body (`expectReplies`)."""
        response = await self.client.post("/api/messages", json=self.activity(delivery_mode="expectReplies", **fields))
        assert response.status == 200
        return (await response.json())["activities"]

    async def post_via_connector(self, **fields) -> list[str]:
        """The texts the bot sent back through the Teams connector for this one activity."""
        before = len(self.connector.sent)
        response = await self.client.post("/api/messages", json=self.activity(**fields))
        assert response.status in (200, 201)
        return [activity.get("text") or "" for activity in self.connector.sent[before:]]


def card_from(replies: list[dict]) -> dict:
    return next(a["content"] for r in replies for a in r.get("attachments") or [] if a["contentType"].endswith("adaptive"))


async def test_the_form_submitted_through_the_endpoint_saves_once(client, connector):
    nadia = Sender(client, connector, "nadia-aad", "Nadia Benali")
    card = card_from(await nadia.post(type="message", text="formulaire indicateurs"))
    data = dict(card["actions"][0]["data"])
    data.update({input_id: "" for input_id in card_inputs(card)})
    data["valeur|IND-01|2026-T3"] = "45,5 %"
    data["valeur|IND-04|2025"] = "1 200 000 €"
    saved = await nadia.post_via_connector(type="message", value=data)
    assert any("Enregistré pour la direction DCP (2 valeurs)" in text for text in saved)
    again = await nadia.post_via_connector(type="message", value=data)
    assert "Ce formulaire a déjà été enregistré\u00a0: rien n’a été modifié." in again
    rows = await value_rows(client.server.app[RUNTIME])
    assert [(row[0], row[2]) for row in rows] == [("IND-01", Decimal("45.5")), ("IND-04", Decimal("1200000"))]


async def test_crafted_card_data_for_another_directorate_is_refused_through_the_endpoint(client, connector):
    nadia = Sender(client, connector, "nadia-aad", "Nadia Benali")
    crafted = {"action": "indicators.submit", "card_id": "forged", "directorate": "DPB", "valeur|IND-03|2026-T3": "99999"}
    replies = await nadia.post_via_connector(type="message", value=crafted)
    assert any("votre direction (DCP)" in text for text in replies)
    assert await value_rows(client.server.app[RUNTIME]) == []


async def test_a_full_update_through_the_endpoint(client, connector):
    nadia = Sender(client, connector, "nadia-aad", "Nadia Benali")
    await nadia.post(type="message", text="mettre à jour mes indicateurs")
    retry = await nadia.post(type="message", text="12 €")
    assert any("s’exprime en pourcentage" in (r.get("text") or "") for r in retry)
    await nadia.post(type="message", text="45 %")
    await nadia.post(type="message", text="aucun")
    saved = await nadia.post(type="message", text="oui")
    assert any("% pour IND-01." in (r.get("text") or "") for r in saved)
    assert [row[0] for row in await value_rows(client.server.app[RUNTIME])] == ["IND-01"]
