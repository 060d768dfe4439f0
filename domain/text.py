"""Folding of what people type, for matching commands regardless of case, accents and quotes."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "\u00a0": " ", "\u202f": " "})
_SPACES = re.compile(r"\s+")


def fold(text: str | None) -> str:
    """Lower-case, accents removed, apostrophes unified, spaces collapsed, ends trimmed."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES).lower())
    without_accents = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", without_accents).strip(" \t\n.!?;:")


def excerpt(text: str | None, limit: int) -> str:
    """One line of at most `limit` characters for quoting a message back, cut between two words.

    A word cut in half (« le bilan des indicat… ») reads as a typo in the quoted message.
    """
    flat = " ".join((text or "").split())
    if len(flat) <= limit:
        return flat
    cut = flat[: limit - 1]
    space = cut.rfind(" ")
    if space >= limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:.-–—") + "…"


def listed_names(names: Sequence[str], limit: int = 30) -> str:
    """« A, B, C » or, past `limit` names, « A, B et 12 autres »: a report stays readable in Teams."""
    shown = ", ".join(names[:limit])
    return shown + (f" et {len(names) - limit} autres" if len(names) > limit else "")
