"""HTTP endpoints of the bot: a strict front door for /api/messages, and /healthz.

The SDK's own `CloudAdapter.process` answers 500 to non-JSON bodies, to a missing Content-Type and
to `deliveryMode: expectReplies`; this handler validates the request itself, then hands the
activity to `process_activity` and serialises the result.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any

import jwt
import requests
from aiohttp import web
from botbuilder.core import InvokeResponse
from botbuilder.core.serializer_helper import serializer_helper
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import Activity
from botframework.connector.auth import AuthenticateRequestResult
from msrest.exceptions import DeserializationError
from msrest.serialization import Model

log = logging.getLogger(__name__)

TurnLogic = Callable[..., Awaitable[None]]
JSON_CONTENT_TYPES = frozenset({"application/json"})
# The activity's string fields (`id`, `text`, `replyToId`…): msrest turns an object given there into
# its Python repr (`{'a': 1}`), which would then be read as text or put in a reply's URL.
_TEXT_FIELDS = frozenset(spec["key"] for spec in Activity._attribute_map.values() if spec["type"] == "str")
# Teams activities nest a few levels (channelData, card data); the SDK's deserializer and ours
# recurse, and Python's stack ends near 1,000 levels.
MAX_JSON_DEPTH = 64


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


# JSON escapes that decode to characters no database stores: NUL (PostgreSQL) and lone surrogates
# (every driver's UTF-8 encoder). Raw NUL bytes are not valid JSON, so the escapes are the only way in.
_UNSTORABLE_ESCAPE = re.compile(rb"\\u(?:0000|d[89a-f][0-9a-f]{2})", re.IGNORECASE)
_UNSTORABLE_CHARACTER = re.compile("[\x00\ud800-\udfff]")


def _storable(value: Any) -> Any:
    """`value` with NUL removed and lone surrogates replaced by U+FFFD in every string, keys included."""
    if isinstance(value, str):
        return _UNSTORABLE_CHARACTER.sub(lambda found: "" if found.group() == "\x00" else "\ufffd", value)
    if isinstance(value, dict):
        return {_storable(key): _storable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_storable(item) for item in value]
    return value


def _nested_deeper_than(payload: Any, limit: int) -> bool:
    """Whether objects and arrays nest deeper than `limit` (walked without recursion)."""
    stack = [(payload, 1)]
    while stack:
        value, depth = stack.pop()
        children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else None
        if children is None:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


def parse_activity(body: bytes) -> Activity | str:
    """The activity, or a short reason why the body is not one (for a 400)."""
    try:
        payload = json.loads(body.decode("utf-8"))
    except RecursionError:
        return "body is nested too deeply"
    except (UnicodeDecodeError, ValueError):
        return "body is not valid UTF-8 JSON"
    if _nested_deeper_than(payload, MAX_JSON_DEPTH):
        return "body is nested too deeply"
    if _UNSTORABLE_ESCAPE.search(body):
        payload = _storable(payload)
    if not isinstance(payload, dict):
        return "body must be a JSON object"
    if not isinstance(payload.get("type"), str) or not payload["type"]:
        return "activity has no 'type'"
    not_text = sorted(key for key in _TEXT_FIELDS if payload.get(key) is not None and not isinstance(payload[key], str))
    if not_text:
        return f"activity fields must be strings: {', '.join(not_text)}"
    if not _entities_well_formed(payload.get("entities"), payload.get("text")):
        return "activity has a malformed entity"
    try:
        activity = Activity().deserialize(payload)
    except (DeserializationError, ValueError, TypeError, AttributeError):
        return "body is not a valid activity"
    missing = [name for name, value in _required_fields(activity) if not isinstance(value, str) or not value.strip()]
    if missing:
        return f"activity has no {', '.join(missing)}"
    return activity


def _entities_well_formed(entities: Any, text: Any) -> bool:
    """Entities as the SDK reads them (TurnContext.remove_recipient_mention, unchecked): each with a
    `type`; a mention in a message with a text, naming an object with an `id`, and with its own
    `text` or the mentioned `name`."""
    if entities is None:
        return True
    if not isinstance(entities, list):
        return False
    for entity in entities:
        if not isinstance(entity, dict) or not isinstance(entity.get("type"), str):
            return False
        if entity["type"].lower() == "mention":
            mentioned = entity.get("mentioned")
            if not isinstance(text, str) or not isinstance(mentioned, dict) or not isinstance(mentioned.get("id"), str):
                return False
            mention_text = entity.get("text")
            if mention_text is not None and not isinstance(mention_text, str):
                return False
            if not mention_text and not isinstance(mentioned.get("name"), str):
                return False
    return True


def _required_fields(activity: Activity) -> tuple[tuple[str, Any], ...]:
    """What every channel sends: the bot's state is keyed by channel, conversation and sender, the
    bot's mentions are found by the recipient's id, and replies go to `serviceUrl` (without it the
    SDK would post them to api.botframework.com)."""
    return (
        ("channelId", activity.channel_id),
        ("conversation.id", activity.conversation.id if activity.conversation else None),
        ("from.id", activity.from_property.id if activity.from_property else None),
        ("recipient.id", activity.recipient.id if activity.recipient else None),
        ("serviceUrl", activity.service_url),
    )


def _serialise_body(body: Any) -> Any:
    if isinstance(body, Model):
        return serializer_helper(body)
    return body


async def _authenticate(adapter: CloudAdapter, activity: Activity, auth_header: str) -> AuthenticateRequestResult | web.Response:
    """The SDK's token validation, any failure of which is a 401 (503 when the keys cannot be fetched).

    Besides PermissionError and PyJWTError, botframework-connector 4.17 lets KeyError (no `iss`),
    IndexError (unknown key id) and bare Exception (algorithm, endorsement) out of a bad token.
    """
    try:
        return await adapter.bot_framework_authentication.authenticate_request(activity, auth_header)
    except requests.RequestException:
        log.error("Could not fetch the Bot Framework signing keys", exc_info=True)
        return _error(503, "authentication keys unavailable")
    except (PermissionError, jwt.PyJWTError):
        return _error(401, "unauthorized")
    except Exception:  # noqa: BLE001 - whatever the SDK raises on a token it cannot validate
        log.warning("Refused a token the SDK could not validate", exc_info=True)
        return _error(401, "unauthorized")


def messages_handler(adapter: CloudAdapter, logic: TurnLogic, max_body_bytes: int):
    async def handle(request: web.Request) -> web.Response:
        if request.content_type not in JSON_CONTENT_TYPES:
            return _error(415, "Content-Type must be application/json")
        try:
            body = await _read_limited(request, max_body_bytes)
        except web.RequestPayloadError:
            return _error(400, "body cannot be decoded (Content-Encoding)")
        if body is None:
            return _error(413, f"body larger than {max_body_bytes} bytes")
        activity = parse_activity(body)
        if isinstance(activity, str):
            return _error(400, activity)
        authenticated = await _authenticate(adapter, activity, request.headers.get("Authorization", ""))
        if isinstance(authenticated, web.Response):
            return authenticated
        try:
            response: InvokeResponse | None = await adapter.process_activity(authenticated, activity, logic)
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
