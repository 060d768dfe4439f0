"""The fake Teams connector, run as its own process for the load test, streaming what it receives.

    python benchmarks/streaming_connector.py [--teams-limits]   # prints its URL, then serves

Each activity the bot posts is answered like FakeTeamsConnector answers it, and pushed to the
load generator over a websocket (`GET /_stream`) with the instant it arrived (`time.monotonic()`,
i.e. CLOCK_MONOTONIC, the same clock in every process of the machine) and the id it replies to.
A tick carrying the current instant is pushed every few milliseconds: events and ticks leave in
the order of their instants, so once the generator has read a tick later than an HTTP response,
it has every reply the bot posted before answering that request. Bodies are not kept (a
60-second run posts thousands of cards).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from aiohttp import WSMsgType, web  # noqa: E402

from tests.fakes.teams_connector import FakeTeamsConnector, TeamsLimits  # noqa: E402

TICK_SECONDS = 0.005
MAX_TEXT = 4000


def _strings(node, found: list[str]) -> None:
    """Every `text` and `title` of a card, in order (enough to follow a dialog)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("text", "title") and isinstance(value, str):
                found.append(value)
            else:
                _strings(value, found)
    elif isinstance(node, list):
        for item in node:
            _strings(item, found)


def _text_of(body: dict) -> str:
    """What a person reads: the message text, then the texts of its cards."""
    found = [body["text"]] if body.get("text") else []
    _strings(body.get("attachments") or [], found)
    return "\n".join(found)[:MAX_TEXT]


class StreamingConnector(FakeTeamsConnector):
    def __init__(self, limits: TeamsLimits | None = None) -> None:
        super().__init__(limits=limits)
        self._subscribers: set[asyncio.Queue] = set()
        self.received = 0
        self.refused = 0
        self.reminders: dict[str, int] = {}
        """Committee reminders received, by conversation (load_gunicorn.py counts them)."""

    def build_app(self) -> web.Application:
        app = super().build_app()
        app.router.add_get("/_stream", self._stream)
        return app

    def _publish(self, event: dict) -> None:
        for queue in self._subscribers:
            queue.put_nowait(event)

    async def _post_activity(self, request: web.Request) -> web.Response:
        arrived = time.monotonic()
        response = await super()._post_activity(request)
        if response.status != 200:
            self.refused += 1
            return response
        body = self.sent.pop()
        self.received += 1
        if (body.get("summary") or "").startswith("Rappel : comité"):
            conversation = body["_conversation_id"]
            self.reminders[conversation] = self.reminders.get(conversation, 0) + 1
        # Stamped now rather than at `arrived`: ticks and events must leave in the order of their stamps.
        self._publish(
            {
                "at": time.monotonic(),
                "arrived": arrived,
                "conversation": body["_conversation_id"],
                "reply_to": request.match_info.get("reply_to") or body.get("replyToId"),
                "text": _text_of(body),
                "cards": len(body.get("attachments") or []),
            }
        )
        return response

    async def _stream(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse(max_msg_size=0)
        await socket.prepare(request)
        queue: asyncio.Queue = asyncio.Queue()
        self._subscribers.add(queue)

        async def ticks() -> None:
            while True:
                queue.put_nowait({"tick": time.monotonic()})
                await asyncio.sleep(TICK_SECONDS)

        async def closed() -> None:
            async for message in socket:
                if message.type in (WSMsgType.CLOSE, WSMsgType.ERROR):
                    break

        ticker = asyncio.create_task(ticks())
        reader = asyncio.create_task(closed())
        try:
            while not reader.done():
                batch = [await queue.get()]
                while not queue.empty():
                    batch.append(queue.get_nowait())
                await socket.send_json(batch)
        except ConnectionResetError:
            pass
        finally:
            ticker.cancel()
            reader.cancel()
            self._subscribers.discard(queue)
        return socket

    async def _stats(self, _request: web.Request) -> web.Response:
        return web.json_response(
            {"received": self.received, "refused": self.refused, "attempts": self.attempts,
             "throttled": self.limits.throttled if self.limits else 0, "reminders": self.reminders}
        )


async def serve(enforce_limits: bool) -> None:
    connector = StreamingConnector(limits=TeamsLimits() if enforce_limits else None)
    print(await connector.start(), flush=True)
    await asyncio.Event().wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--teams-limits", action="store_true", help="answer 429 past Teams' send limits")
    args = parser.parse_args()
    asyncio.run(serve(args.teams_limits))


if __name__ == "__main__":
    main()
