"""Reading a summary request typed in the chat or posted by a filter button.

`synthèse`, `où en est-on ?`, `état d'avancement`, optionally followed by `axe social` and/or
`direction DRC`, in any order; `synthèse détaillée` (or `détail de la synthèse`) asks for the
detail card rather than the compact one. The router matches `SUMMARY_PATTERNS` on folded text
(`bot.text.fold`); `parse_summary_request` then extracts the filters. Whether the person may see
the directorate named is decided by `compute_summary` from their scope, never here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from domain.indicators.catalogue import Axis
from domain.summary.scope import SummaryError
from domain.text import fold

SUMMARY_PATTERNS = (
    r"^(la )?synthese\b",
    r"^(la )?synthese spaser\b",
    r"\bou en est[- ]on\b",
    r"\bou en sommes[- ]nous\b",
    r"^(l')?etat d'avancement\b",
    r"^(voir )?(le )?detail de la synthese\b",
)
_AXIS = re.compile(r"\baxe (?P<axis>.{1,60}?)(?= direction\b|$)")
_DIRECTORATE = re.compile(r"\bdirection (?P<code>[a-z0-9][a-z0-9_-]{0,31})\b")
_DIRECTORATE_WORD = re.compile(r"\bdirection\b")
_DETAIL = re.compile(r"\s*\b(en )?detail(le|lee)?s?\b")


@dataclass(frozen=True)
class SummaryRequest:
    axis: Axis | None = None
    directorate: str | None = None
    detail: bool = False


def parse_summary_request(text: str) -> SummaryRequest:
    """The filters in a summary request; a wrong axis or a missing code is a French error."""
    folded = fold(text)
    detail = bool(_DETAIL.search(folded))
    folded = _DETAIL.sub("", folded)
    axis = None
    if match := _AXIS.search(folded):
        axis = Axis.parse(match["axis"].strip())
    directorate = None
    if match := _DIRECTORATE.search(folded):
        directorate = match["code"].upper()
    elif _DIRECTORATE_WORD.search(folded):
        raise SummaryError("Indiquez le code de la direction, par exemple « synthèse direction DRC ».")
    return SummaryRequest(axis=axis, directorate=directorate, detail=detail)
