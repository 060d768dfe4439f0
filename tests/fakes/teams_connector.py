"""A fake Teams connector (Bot Framework REST API) on loopback, with scriptable faults."""

from __future__ import annotations

import itertools
from collections import deque
from dataclasses import dataclass, field

from aiohttp import web
from aiohttp.test_utils import TestServer


@dataclass
class Fault:
    status: int
    headers: dict[str, str] = field(default_factory=dict)


class FakeTeamsConnector:
    """Records every activity the bot sends; `fail_next` queues HTTP errors for the next sends."""

    def __init__(self) -> None:
        self.sent: list[dict] = []
        self.faults: deque[Fault] = deque()
        self.roster: dict[str, str] = {}
        self._ids = itertools.count(1)
        self.server: TestServer | None = None

    def fail_next(self, status: int, count: int = 1, **headers: str) -> None:
        self.faults.extend(Fault(status, headers) for _ in range(count))

    async def _post_activity(self, request: web.Request) -> web.Response:
        if self.faults:
            fault = self.faults.popleft()
            return web.json_response({"error": {"code": str(fault.status)}}, status=fault.status, headers=fault.headers)
        body = await request.json()
        body["_conversation_id"] = request.match_info["conversation_id"]
        self.sent.append(body)
        return web.json_response({"id": f"sent-{next(self._ids)}"})

    async def _get_member(self, request: web.Request) -> web.Response:
        member_id = request.match_info["member_id"]
        email = self.roster.get(member_id)
        if email is None:
            return web.json_response({"error": {"code": "MemberNotFoundInConversation"}}, status=404)
        return web.json_response({"id": member_id, "name": email, "email": email, "userPrincipalName": email})

    def texts(self) -> list[str]:
        return [activity.get("text") or "" for activity in self.sent]

    @property
    def url(self) -> str:
        return str(self.server.make_url("/"))

    async def start(self) -> str:
        app = web.Application()
        app.router.add_post("/v3/conversations/{conversation_id}/activities", self._post_activity)
        app.router.add_post("/v3/conversations/{conversation_id}/activities/{reply_to}", self._post_activity)
        app.router.add_get("/v3/conversations/{conversation_id}/members/{member_id}", self._get_member)
        self.server = TestServer(app, host="127.0.0.1")
        await self.server.start_server()
        return str(self.server.make_url("/"))

    async def close(self) -> None:
        if self.server is not None:
            await self.server.close()
