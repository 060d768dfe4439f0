"""What people ask of the organisation's own data, and the everyday requests, as intents.

An intent is found like a knowledge entry: by its example phrasings, in the same index and with
the same French analysis, so « qui n'a pas encore rempli ses chiffres ? » competes on equal terms
with « combien d'indicateurs prévoir ? ». Once found, it is turned into the command that answers
it (`command`), written the way the command's documented phrasing is, so that the role checks,
the group-chat rules and the answer are those of that command.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from domain.committees.cadence import CommitteeKind
from domain.knowledge.entries import Entry, EntryKind
from domain.understanding.slots import Slots

ENTRY_PREFIX = "intent-"
PHRASINGS_FILES = tuple(Path(__file__).with_name(name) for name in ("intent_phrasings_data.md", "intent_phrasings_requests.md"))
"""The data questions (indicators, people, meetings) and the asker's requests, one file each."""
WHICH_INDICATOR = (
    "De quel indicateur parlez-vous ? Donnez son code (par exemple IND-03) ou son sujet "
    "(« les heures d’insertion ») ; « catalogue » les liste tous."
)


@dataclass(frozen=True)
class Intent:
    id: str
    title: str
    examples: tuple[str, ...]
    command: Callable[[Slots], str | None]
    """The command text that answers it; None when a slot it needs is missing."""
    missing: str = ""

    @property
    def entry_id(self) -> str:
        return ENTRY_PREFIX + self.id.replace("_", "-")

    def as_entry(self) -> Entry:
        return Entry(
            id=self.entry_id,
            title=self.title,
            questions=self.examples,
            answer=self.title,
            source="intention",
            kind=EntryKind.INTENT,
        )


def read_phrasings(text: str) -> dict[str, tuple[str, ...]]:
    """The `- phrasing` lines of each `## intent_id` section."""
    phrasings: dict[str, list[str]] = {}
    section: list[str] | None = None
    for line in text.splitlines():
        if line.startswith("## "):
            section = phrasings.setdefault(line[3:].strip(), [])
        elif line.startswith("- ") and section is not None:
            section.append(line[2:].strip())
    return {intent_id: tuple(lines) for intent_id, lines in phrasings.items()}


def read_phrasing_files(paths: tuple[Path, ...] = PHRASINGS_FILES) -> dict[str, tuple[str, ...]]:
    """The phrasings of every intent, from all the files (an intent is in one of them)."""
    return read_phrasings("\n".join(path.read_text(encoding="utf-8") for path in paths))


_PHRASINGS = read_phrasing_files()


def _with_directorate(text: str, slots: Slots) -> str:
    return f"{text} direction {slots.directorate}" if slots.directorate else text


def _summary(slots: Slots) -> str:
    text = "synthèse"
    if slots.axis:
        text += f" axe {slots.axis.value}"
    return _with_directorate(text, slots)


def _about_indicator(verb: str) -> Callable[[Slots], str | None]:
    return lambda slots: f"{verb} {slots.indicator}" if slots.indicator else None


def _catalogue(slots: Slots) -> str:
    """« les indicateurs sociaux », « ceux de la DSI »: the catalogue of that axis or directorate."""
    if slots.axis:
        return f"catalogue axe {slots.axis.value}"
    return f"catalogue direction {slots.directorate}" if slots.directorate else "catalogue"


def _next_meeting(slots: Slots) -> str:
    return {CommitteeKind.COPIL: "prochain copil", CommitteeKind.COTECH: "prochain cotech"}.get(
        slots.committee, "prochain comité"
    )


def _upcoming_meetings(slots: Slots) -> str:
    """« lister les COPIL 2027 »: the meetings ahead, of one kind and one year when named."""
    text = {CommitteeKind.COPIL: "lister les copil", CommitteeKind.COTECH: "lister les comités techniques"}.get(
        slots.committee, "lister les comités"
    )
    return f"{text} {slots.year}" if slots.year else text


def _referents(slots: Slots) -> str:
    return f"personnes référentes de la direction {slots.directorate}" if slots.directorate else "personnes référentes de ma direction"


INTENTS: tuple[Intent, ...] = (
    Intent(
        "late_indicators",
        "Quels indicateurs sont en retard ou pas renseignés ?",
        _PHRASINGS["late_indicators"],
        lambda slots: _with_directorate("indicateurs en retard", slots),
    ),
    Intent(
        "directorates_not_up_to_date",
        "Quelles directions n’ont pas encore saisi leurs chiffres ?",
        _PHRASINGS["directorates_not_up_to_date"],
        lambda slots: "directions en retard",
    ),
    Intent(
        "reached_indicators",
        "Quels indicateurs ont atteint leur cible ?",
        _PHRASINGS["reached_indicators"],
        lambda slots: "indicateurs atteints",
    ),
    Intent(
        "indicator_value",
        "Quelle est la dernière valeur d’un indicateur ?",
        _PHRASINGS["indicator_value"],
        _about_indicator("valeur de"),
        WHICH_INDICATOR,
    ),
    Intent(
        "indicator_definition",
        "Que mesure un indicateur et comment est-il calculé ?",
        _PHRASINGS["indicator_definition"],
        _about_indicator("définition de"),
        WHICH_INDICATOR,
    ),
    Intent(
        "indicator_history",
        "Qui a saisi quoi et quand pour un indicateur ?",
        _PHRASINGS["indicator_history"],
        _about_indicator("historique de"),
        WHICH_INDICATOR,
    ),
    Intent(
        "who_is_lead",
        "Qui est la personne responsable du SPASER ?",
        _PHRASINGS["who_is_lead"],
        lambda slots: "responsable SPASER",
    ),
    Intent(
        "directorate_referent",
        "Qui renseigne les indicateurs d’une direction ?",
        _PHRASINGS["directorate_referent"],
        _referents,
    ),
    Intent(
        "next_meeting",
        "Quand est le prochain comité ?",
        _PHRASINGS["next_meeting"],
        _next_meeting,
    ),
    Intent(
        "upcoming_meetings",
        "Quels sont les comités à venir ?",
        _PHRASINGS["upcoming_meetings"],
        _upcoming_meetings,
    ),
    Intent(
        "my_due",
        "Qu’ai-je à saisir pour la période ?",
        _PHRASINGS["my_due"],
        lambda slots: "quels indicateurs dois-je renseigner",
    ),
    Intent(
        "summary",
        "Où en est le SPASER ?",
        _PHRASINGS["summary"],
        _summary,
    ),
    Intent(
        "report",
        "Le rapport pour le comité de pilotage (PDF ou page web)",
        _PHRASINGS["report"],
        _summary,  # the summary card, whose « Exporter » buttons give the report in each format
    ),
    Intent(
        "catalogue",
        "Quels sont les indicateurs suivis ?",
        _PHRASINGS["catalogue"],
        _catalogue,
    ),
    Intent(
        "whoami",
        "Quel est mon rôle ?",
        _PHRASINGS["whoami"],
        lambda slots: "qui suis-je",
    ),
    Intent(
        "help",
        "Que sais-tu faire ?",
        _PHRASINGS["help"],
        lambda slots: "aide",
    ),
    Intent(
        "calendar",
        "Le lien d’abonnement à l’agenda des comités",
        _PHRASINGS["calendar"],
        lambda slots: "mon agenda",
    ),
    Intent(
        "update_indicators",
        "Saisir mes indicateurs",
        _PHRASINGS["update_indicators"],
        lambda slots: "mettre à jour mes indicateurs",
    ),
)

INTENTS_BY_ENTRY_ID = {intent.entry_id: intent for intent in INTENTS}
