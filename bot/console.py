"""In-process conversation with the real bot, as a chosen person: the `chat` REPL and tests.

It goes through botbuilder's TestAdapter with Teams-shaped activities (channel `msteams`,
tenant, Azure AD object id), so the middleware, dialogs, state storage and database are the
ones the server uses; only the HTTP hop and the Teams connector are left out.
"""

from __future__ import annotations

import uuid
from typing import Any

from botbuilder.core.adapters import TestAdapter
from botbuilder.schema import Activity, ActivityTypes, ChannelAccount, ConversationAccount

from bot.runtime import BotRuntime

LOCAL_TENANT = "local-tenant"
BOT_ACCOUNT = ChannelAccount(id="28:spaser-bot", name="Assistant SPASER")


def teams_activity(
    *,
    aad_object_id: str | None,
    name: str,
    conversation_id: str,
    tenant_id: str = LOCAL_TENANT,
    conversation_type: str = "personal",
    **fields: Any,
) -> Activity:
    """An activity shaped like the ones Teams posts to /api/messages."""
    activity = Activity(
        channel_id="msteams",
        service_url="https://smba.trafficmanager.net/fr/",
        from_property=ChannelAccount(id=f"29:{aad_object_id or name}", name=name, aad_object_id=aad_object_id),
        recipient=BOT_ACCOUNT,
        conversation=ConversationAccount(id=conversation_id, conversation_type=conversation_type, tenant_id=tenant_id),
        channel_data={"tenant": {"id": tenant_id}},
        locale="fr-FR",
        **fields,
    )
    activity.type = activity.type or ActivityTypes.message
    return activity


class ConsoleConversation:
    """One person's personal chat with the bot; `say` returns what the bot answered."""

    def __init__(
        self,
        runtime: BotRuntime,
        *,
        aad_object_id: str | None,
        name: str,
        tenant_id: str = LOCAL_TENANT,
        conversation_type: str = "personal",
    ) -> None:
        self.runtime = runtime
        self.aad_object_id = aad_object_id
        self.name = name
        self.tenant_id = tenant_id
        self.conversation_type = conversation_type
        self.conversation_id = f"a:console-{conversation_type}-{aad_object_id or name}"
        self.adapter = TestAdapter(runtime.bot.on_turn)
        runtime.install_middleware(self.adapter)

    def activity(self, **fields: Any) -> Activity:
        fields.setdefault("id", f"console-{uuid.uuid4().hex}")
        return teams_activity(
            aad_object_id=self.aad_object_id,
            name=self.name,
            conversation_id=self.conversation_id,
            tenant_id=self.tenant_id,
            conversation_type=self.conversation_type,
            **fields,
        )

    async def send(self, activity: Activity) -> list[Activity]:
        self.adapter.activity_buffer.clear()
        await self.adapter.receive_activity(activity)
        replies = list(self.adapter.activity_buffer)
        self.adapter.activity_buffer.clear()
        return replies

    async def say(self, text: str) -> list[Activity]:
        return await self.send(self.activity(type=ActivityTypes.message, text=text))

    async def submit(self, value: dict) -> list[Activity]:
        """An Adaptive Card Action.Submit, as Teams posts it: a message whose `value` is the form."""
        return await self.send(self.activity(type=ActivityTypes.message, value=value))

    async def install(self) -> list[Activity]:
        return await self.send(self.activity(type="installationUpdate", action="add"))


def render_as_text(activity: Activity) -> str:
    """A readable rendering of text and Adaptive Cards, for the terminal REPL."""
    parts: list[str] = []
    if activity.text:
        parts.append(activity.text)
    for attachment in activity.attachments or []:
        content = attachment.content
        if not isinstance(content, dict):
            content = content.serialize() if hasattr(content, "serialize") else {}
        if content.get("title") or content.get("text"):
            parts.extend(str(content[key]) for key in ("title", "text") if content.get(key))
        parts.extend(_render_elements(content.get("body", [])))
        buttons = [a.get("title", "") for a in content.get("actions", []) + content.get("buttons", []) if a.get("title")]
        if buttons:
            parts.append("Boutons : " + " | ".join(f"[{b}]" for b in buttons))
    return "\n".join(p for p in parts if p)


def _render_elements(elements: list[dict], indent: str = "") -> list[str]:
    lines: list[str] = []
    for element in elements:
        kind = element.get("type")
        if kind == "TextBlock":
            lines.append(indent + str(element.get("text", "")))
        elif kind == "FactSet":
            lines.extend(f"{indent}{f.get('title', '')} {f.get('value', '')}" for f in element.get("facts", []))
        elif kind in ("Container", "Column"):
            lines.extend(_render_elements(element.get("items", []), indent))
        elif kind == "ColumnSet":
            for column in element.get("columns", []):
                lines.extend(_render_elements(column.get("items", []), indent))
        elif kind and kind.startswith("Input."):
            label = element.get("label") or element.get("placeholder") or element.get("id")
            typed = f" : {element['value']}" if element.get("value") else ""
            lines.append(f"{indent}[champ] {label}{typed}")
        elif kind == "Image":
            lines.append(f"{indent}[image] {element.get('altText', '')}")
    return lines
