"""HTTP endpoints of the bot: a strict front door for /api/messages, and /healthz.

The SDK's own `CloudAdapter.process` answers 500 to non-JSON bodies, to a missing Content-Type and
to `deliveryMode: expectReplies`; this handler validates the request itself, then hands the
activity to `process_activity` and serialises the result.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import jwt
from aiohttp import web
from botbuilder.core import InvokeResponse
from botbuilder.core.serializer_helper import serializer_helper
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import Activity
from msrest.exceptions import DeserializationError
from msrest.serialization import Model

log = logging.getLogger(__name__)

TurnLogic = Callable[..., Awaitable[None]]
JSON_CONTENT_TYPES = frozenset({"application/json"})


def _error(status: int, message: str) -> web.Response:
    return web.json_response({"error": message}, status=status)


async def _read_limited(request: web.Request, limit: int) -> bytes | None:
    """The body, or None when it exceeds `limit` (checked while reading, not only the header)."""
    if request.content_length is not None and request.content_length > limit:
        return None
    body = bytearray()
    async for chunk in request.content.iter_chunked(64 * 1024):
        body += chunk
        if len(body) > limit:
            return None
    return bytes(body)


def parse_activity(body: bytes) -> Activity | str:
    """The activity, or a short reason why the body is not one (for a 400)."""
    try:
        payload = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return "body is not valid UTF-8 JSON"
    if not isinstance(payload, dict):
        return "body must be a JSON object"
    if not isinstance(payload.get("type"), str) or not payload["type"]:
        return "activity has no 'type'"
    try:
        return Activity().deserialize(payload)
    except (DeserializationError, ValueError, TypeError, AttributeError):
        return "body is not a valid activity"


def _serialise_body(body: Any) -> Any:
    if isinstance(body, Model):
        return serializer_helper(body)
    return body


def messages_handler(adapter: CloudAdapter, logic: TurnLogic, max_body_bytes: int):
    async def handle(request: web.Request) -> web.Response:
        if request.content_type not in JSON_CONTENT_TYPES:
            return _error(415, "Content-Type must be application/json")
        body = await _read_limited(request, max_body_bytes)
        if body is None:
            return _error(413, f"body larger than {max_body_bytes} bytes")
        activity = parse_activity(body)
        if isinstance(activity, str):
            return _error(400, activity)
        auth_header = request.headers.get("Authorization", "")
        try:
            response: InvokeResponse | None = await adapter.process_activity(auth_header, activity, logic)
        except (PermissionError, jwt.PyJWTError):
            return _error(401, "unauthorized")
        if response is None:
            return web.Response(status=201 if activity.type != "message" else 200)
        return web.json_response(_serialise_body(response.body), status=response.status or 200)

    return handle


def health_handler(check: Callable[[], Awaitable[dict]]):
    async def handle(_request: web.Request) -> web.Response:
        report = await check()
        return web.json_response(report, status=200 if report.get("status") == "ok" else 503)

    return handle
