"""Talking to the real aiohttp endpoint as Teams does: one person, in their personal chat or in a
group chat or channel, replies returned in the body (`expectReplies`) or through the fake connector."""

from __future__ import annotations

import itertools

from aiohttp.test_utils import TestClient

from bot.console import render_as_text, teams_activity
from tests.fakes.teams_connector import FakeTeamsConnector

_IDS = itertools.count(1)


class Sender:
    """Posts Teams-shaped activities as one person; every activity gets a fresh id."""

    def __init__(
        self,
        client: TestClient,
        connector: FakeTeamsConnector,
        aad: str,
        name: str,
        *,
        conversation_id: str | None = None,
        conversation_type: str = "personal",
    ) -> None:
        self.client, self.connector, self.aad, self.name = client, connector, aad, name
        self.conversation_id = conversation_id or f"a:{aad}"
        self.conversation_type = conversation_type

    def in_group(self, conversation_id: str, conversation_type: str = "groupChat") -> Sender:
        """The same person in a group chat (or a channel)."""
        return Sender(
            self.client, self.connector, self.aad, self.name,
            conversation_id=conversation_id, conversation_type=conversation_type,
        )

    def activity(self, *, attachments: list[dict] | None = None, **fields) -> dict:
        """The activity as JSON; `attachments` are given as Teams sends them (JSON)."""
        activity = teams_activity(
            aad_object_id=self.aad,
            name=self.name,
            conversation_id=self.conversation_id,
            conversation_type=self.conversation_type,
            id=f"{self.aad}-{next(_IDS)}",
            **fields,
        )
        activity.service_url = self.connector.url
        body = activity.serialize()
        if attachments is not None:
            body["attachments"] = attachments
        return body

    async def post(self, **fields) -> list[dict]:
        """The replies, returned in the body (`expectReplies`)."""
        response = await self.client.post("/api/messages", json=self.activity(delivery_mode="expectReplies", **fields))
        assert response.status == 200, await response.text()
        return (await response.json())["activities"]

    async def say(self, text: str) -> str:
        """Everything the bot answered to `text`, cards rendered as text."""
        return replies_text(await self.post(type="message", text=text))

    async def post_via_connector(self, **fields) -> list[str]:
        """The texts the bot sent back through the Teams connector for this one activity."""
        before = len(self.connector.sent)
        response = await self.client.post("/api/messages", json=self.activity(**fields))
        assert response.status in (200, 201)
        return [activity.get("text") or "" for activity in self.connector.sent[before:]]


def replies_text(activities: list[dict]) -> str:
    from botbuilder.schema import Activity

    return "\n".join(render_as_text(Activity().deserialize(activity)) for activity in activities)
