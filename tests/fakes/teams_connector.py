"""A fake Teams connector (Bot Framework REST API) on loopback, with scriptable faults."""

from __future__ import annotations

import itertools
import math
import time
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field

from aiohttp import web
from aiohttp.test_utils import TestServer


@dataclass
class Fault:
    status: int
    headers: dict[str, str] = field(default_factory=dict)


class TeamsLimits:
    """Teams' send limits as the service applies them: sliding windows per conversation and per app;
    a send over any window is answered 429 with the Retry-After that would have let it through."""

    def __init__(
        self,
        per_conversation: tuple[tuple[int, float], ...] = ((7, 1.0), (8, 2.0), (60, 30.0), (1800, 3600.0)),
        per_app: tuple[tuple[int, float], ...] = ((50, 1.0),),
        now: Callable[[], float] = time.monotonic,
    ) -> None:
        self.per_conversation = per_conversation
        self.per_app = per_app
        self._now = now
        self._app: deque[float] = deque()
        self._conversations: dict[str, deque[float]] = defaultdict(deque)
        self.throttled = 0

    @staticmethod
    def _wait(stamps: deque[float], windows, now: float) -> float:
        wait = 0.0
        for limit, seconds in windows:
            recent = [stamp for stamp in stamps if stamp > now - seconds]
            if len(recent) >= limit:
                wait = max(wait, recent[-limit] + seconds - now)
        return wait

    def admit(self, conversation_id: str) -> float:
        """0 when the send is accepted (and counted), else the seconds to wait."""
        now = self._now()
        stamps = self._conversations[conversation_id]
        wait = max(self._wait(self._app, self.per_app, now), self._wait(stamps, self.per_conversation, now))
        if wait > 0:
            self.throttled += 1
            return wait
        self._app.append(now)
        stamps.append(now)
        return 0.0


class FakeTeamsConnector:
    """Records every activity the bot sends; `fail_next` queues HTTP errors for the next sends,
    `blocked` conversations answer 403 (the user blocked the app), `limits` enforces Teams' rates."""

    def __init__(self, limits: TeamsLimits | None = None) -> None:
        self.sent: list[dict] = []
        self.requests: list[tuple[str, str, dict[str, str], bytes]] = []
        """Every activity post as it arrived: method, path, headers, body (`record_requests`)."""
        self.record_requests = False
        self.faults: deque[Fault] = deque()
        self.roster: dict[str, str] = {}
        self.files: dict[str, bytes] = {}
        self.blocked: set[str] = set()
        self.limits = limits
        self.attempts = 0
        self._ids = itertools.count(1)
        self.server: TestServer | None = None

    def fail_next(self, status: int, count: int = 1, **headers: str) -> None:
        self.faults.extend(Fault(status, headers) for _ in range(count))

    async def _post_activity(self, request: web.Request) -> web.Response:
        self.attempts += 1
        if self.record_requests:
            self.requests.append((request.method, request.path_qs, dict(request.headers), await request.read()))
        conversation_id = request.match_info["conversation_id"]
        if conversation_id in self.blocked:
            return web.json_response({"error": {"code": "MessageWritesBlocked"}}, status=403)
        if self.limits is not None:
            wait = self.limits.admit(conversation_id)
            if wait > 0:
                return web.json_response(
                    {"error": {"code": "Throttled"}}, status=429, headers={"Retry-After": str(math.ceil(wait * 1000) / 1000)}
                )
        if self.faults:
            fault = self.faults.popleft()
            return web.json_response({"error": {"code": str(fault.status)}}, status=fault.status, headers=fault.headers)
        body = await request.json()
        body["_conversation_id"] = request.match_info["conversation_id"]
        body["_peer"] = request.transport.get_extra_info("peername") if request.transport else None
        self.sent.append(body)
        return web.json_response({"id": f"sent-{next(self._ids)}"})

    async def _get_member(self, request: web.Request) -> web.Response:
        member_id = request.match_info["member_id"]
        email = self.roster.get(member_id)
        if email is None:
            return web.json_response({"error": {"code": "MemberNotFoundInConversation"}}, status=404)
        return web.json_response({"id": member_id, "name": email, "email": email, "userPrincipalName": email})

    async def _get_file(self, request: web.Request) -> web.Response:
        """A file a person sent in Teams, as its pre-authorised `downloadUrl` serves it."""
        data = self.files.get(request.match_info["name"])
        if data is None:
            return web.Response(status=404)
        return web.Response(body=data, content_type="application/octet-stream")

    def file_attachment(self, name: str) -> dict:
        """The attachment Teams puts on a message carrying the file `name` (served by `files`)."""
        return {
            "contentType": "application/vnd.microsoft.teams.file.download.info",
            "name": name,
            "content": {"downloadUrl": str(self.server.make_url(f"/files/{name}")), "fileType": name.rsplit(".", 1)[-1]},
        }

    async def _stats(self, _request: web.Request) -> web.Response:
        """What a benchmark running the connector in another process reads back."""
        return web.json_response(
            {
                "conversations": [body["_conversation_id"] for body in self.sent],
                "texts": self.texts(),
                "summaries": [activity.get("summary") or "" for activity in self.sent],
                "attempts": self.attempts,
                "throttled": self.limits.throttled if self.limits else 0,
            }
        )

    def texts(self) -> list[str]:
        return [activity.get("text") or "" for activity in self.sent]

    @property
    def url(self) -> str:
        return str(self.server.make_url("/"))

    async def start(self, port: int | None = None) -> str:
        self.server = TestServer(self.build_app(), host="127.0.0.1", port=port)
        await self.server.start_server()
        return str(self.server.make_url("/"))

    def build_app(self) -> web.Application:
        """The connector's routes; a subclass (a benchmark's) may add its own."""
        app = web.Application()
        app.router.add_post("/v3/conversations/{conversation_id}/activities", self._post_activity)
        app.router.add_post("/v3/conversations/{conversation_id}/activities/{reply_to}", self._post_activity)
        app.router.add_get("/v3/conversations/{conversation_id}/members/{member_id}", self._get_member)
        app.router.add_get("/files/{name}", self._get_file)
        app.router.add_get("/_stats", self._stats)
        return app

    async def close(self) -> None:
        if self.server is not None:
            await self.server.close()


async def serve_forever(enforce_limits: bool = True) -> None:
    """Run the connector alone (`python -m tests.fakes.teams_connector`), printing its URL, so that a
    benchmark measures the bot's sending without the fake's own work on the same event loop."""
    import asyncio

    connector = FakeTeamsConnector(limits=TeamsLimits() if enforce_limits else None)
    print(await connector.start(), flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    import asyncio
    import sys

    asyncio.run(serve_forever(enforce_limits="--no-limits" not in sys.argv))
