"""Links a summary card carries for one person: the chart and the export buttons, behind signed
download tokens that name the document and the person (tokens.py)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from domain.cards import CARD_VERSION, im_back
from domain.summary.card import MAX_CARD_BYTES, summary_card_content, summary_detail_card_content
from domain.summary.documents import DEFAULT_PREFIX, ExportFormat, resource_id
from domain.summary.model import Summary
from domain.summary.request import SummaryRequest
from domain.summary.tokens import DownloadTokens

EXPORT_FORMATS = (ExportFormat.PDF, ExportFormat.HTML, ExportFormat.CSV, ExportFormat.XLSX)
EXPORT_BUTTONS = {
    ExportFormat.PDF: "Rapport PDF",
    ExportFormat.HTML: "Rapport (page web)",
    ExportFormat.CSV: "Valeurs (fichier CSV)",
    ExportFormat.XLSX: "Valeurs (classeur Excel)",
}
"""What each button gives, in words officials use (« page web », not « HTML »), as the export card says it."""


def export_command(export_format: ExportFormat, axis=None, directorate: str | None = None) -> str:
    """What an export button posts; the export command reads the format and filters back."""
    parts = [f"exporter la synthèse en {export_format.value.upper()}"]
    if directorate:
        parts.append(f"direction {directorate}")
    if axis is not None:
        parts.append(f"axe {axis.value}")
    return " ".join(parts)


class SummaryLinks:
    """Personal, expiring links to the summary's documents, and the card that carries them."""

    def __init__(self, tokens: DownloadTokens, public_url: str, timezone: str) -> None:
        self.tokens = tokens
        self._public_url = public_url
        self._timezone = timezone

    def link(
        self, person_id: int, export_format: ExportFormat, request: SummaryRequest, lifetime: timedelta
    ) -> tuple[str, datetime]:
        """A personal, expiring URL to the document; and when it expires."""
        token = self.tokens.issue(resource_id(export_format, request), person_id, lifetime)
        return f"{self._public_url}{DEFAULT_PREFIX}/{token}", self.tokens.verify(token).expires_at

    def card_content(
        self, summary: Summary, person_id: int, *, detail: bool = False, max_bytes: int = MAX_CARD_BYTES
    ) -> dict[str, Any]:
        """The summary card for one person (compact with their chart link, or the detail) and the
        export buttons."""
        exports = [self._export_actions(summary)] if summary.catalogue_size else []
        if detail:
            return summary_detail_card_content(
                summary, timezone=self._timezone, extra_actions=exports, max_bytes=max_bytes
            )
        return summary_card_content(summary, timezone=self._timezone, extra_actions=exports)

    @staticmethod
    def _export_actions(summary: Summary) -> dict[str, Any]:
        buttons = [
            im_back(EXPORT_BUTTONS[f], export_command(f, summary.axis_filter, summary.directorate_filter))
            for f in EXPORT_FORMATS
        ]
        return {"type": "Action.ShowCard", "title": "Exporter",
                "card": {"type": "AdaptiveCard", "version": CARD_VERSION, "body": [], "actions": buttons}}
