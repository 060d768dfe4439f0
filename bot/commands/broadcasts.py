"""Broadcast commands of the SPASER lead: « diffuser un message » [au COPIL | aux directions DCP,
DRH | à tout le monde | aux directions en retard] → the broadcast dialog; « historique des
diffusions »."""

from __future__ import annotations

from bot.router import LEAD_ONLY, Command, CommandCall, GroupReply
from dialogs.broadcasts.broadcast_dialog import BroadcastDialog, BroadcastOptions
from domain.broadcasts import audience_in
from domain.clock import format_datetime_fr
from domain.text import agreed, counted, plain_excerpt, shown
from storage.broadcasts.repository import BroadcastRepository

BROADCAST_PATTERN = (
    r"^(diffuse[rz]?|envoy(er|ez)|envoie|adresse[rz]?) (un |une |le |ce |mon )?(message|annonce|communication|information)\b"
    r"(?P<rest>.*)$"
)


def build_commands(repository: BroadcastRepository, tz: str) -> list[Command]:
    async def broadcast(call: CommandCall) -> None:
        rest = call.match["rest"] if call.match else ""
        audience = audience_in(rest or "")
        options = BroadcastOptions()
        if audience is not None:
            options = BroadcastOptions(**audience.as_state())
        await call.dialog_context.begin_dialog(BroadcastDialog.__name__, options)

    async def history(call: CommandCall) -> None:
        broadcasts = await repository.history()
        if not broadcasts:
            await call.turn_context.send_activity("Aucun message n’a encore été diffusé.")
            return
        lines = ["**Dernières diffusions**"]
        for item in broadcasts:
            outcome = (
                f"{item.sent_count} {agreed(item.sent_count, 'envoyé', 'envoyés')}, {item.failed_count} en échec, "
                f"{item.unreachable_count} {agreed(item.unreachable_count, 'injoignable', 'injoignables')}"
                if item.reported_at else "envoi en cours"
            )
            lines.append(
                f"- {format_datetime_fr(item.created_at, tz)} · {shown(item.author_name)} → {shown(item.audience_label)} "
                f"({counted(item.recipient_count, 'destinataire')}) : « {plain_excerpt(item.text, 60)} » — {outcome}"
            )
        await call.turn_context.send_activity("\n".join(lines))

    return [
        Command(
            "broadcast",
            (BROADCAST_PATTERN, r"^diffuse[rz]?\b(?P<rest>.*)$"),
            broadcast,
            roles=LEAD_ONLY,
            help_line="« diffuser un message » : à tout le monde, à un comité, à des directions ou aux directions en retard",
            topic="Synthèse",
            in_groups=GroupReply.HERE,
        ),
        Command(
            "broadcast_history",
            (r"^(l')?historique des (diffusions|messages diffuses)$", r"^(les )?diffusions$"),
            history,
            roles=LEAD_ONLY,
            help_line="« historique des diffusions » : qui a diffusé quoi, à qui, avec quel résultat",
            topic="Synthèse",
        ),
    ]
