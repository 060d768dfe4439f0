"""People and their roles: who may do what is decided from these server-side values, never from input."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass

from domain.errors import DomainError


class Role(str, enum.Enum):
    """What a person may do; looked up server-side, never taken from what the person sends."""

    LEAD = "lead"
    CONTRIBUTOR = "contributor"
    OFFICIAL = "official"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]

    @property
    def described(self) -> str:
        """« suivi du SPASER (élu·e ou directeur·rice) »: after a person's name (reader 10, B6)."""
        return ROLE_DESCRIPTIONS[self]

    def counted_label(self, count: int) -> str:
        """« Contributeur·rices de direction (7) »: the heading of a list of people."""
        return (ROLE_LABELS if count == 1 else ROLE_HEADINGS)[self]


ROLE_LABELS = {
    Role.LEAD: "responsable du SPASER",
    Role.CONTRIBUTOR: "contributeur·rice de direction",
    Role.OFFICIAL: "élu·e ou directeur·rice",
}
ROLE_DESCRIPTIONS = {
    Role.LEAD: "responsable du SPASER",
    Role.CONTRIBUTOR: "saisie des indicateurs de sa direction (contributeur·rice de direction)",
    Role.OFFICIAL: "suivi du SPASER (élu·e ou directeur·rice)",
}
"""What a named person does, then their role: « Marc Lefèvre, suivi du SPASER (élu·e ou directeur·rice) »
rather than « Marc Lefèvre, élu·e ou directeur·rice », a form left unticked (reader 10, B6)."""
GENDERED_ROLE_WORDS = {
    "elu": (Role.OFFICIAL, "d’élu"),
    "elue": (Role.OFFICIAL, "d’élue"),
    "directeur": (Role.OFFICIAL, "de directeur"),
    "directrice": (Role.OFFICIAL, "de directrice"),
    "contributeur": (Role.CONTRIBUTOR, "de contributeur"),
    "contributrice": (Role.CONTRIBUTOR, "de contributrice"),
}
"""The role words a lead may type that say the person's own form (folded), with « de » before them:
« a désormais le rôle d’élue ». Any other word (« dgs », « référent ») leaves the role noun out."""
ROLE_HEADINGS = {
    Role.LEAD: "responsables du SPASER",
    Role.CONTRIBUTOR: "contributeur·rices de direction",
    Role.OFFICIAL: "élu·es ou directeur·rices",
}


EMAIL_PATTERN = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")
DIRECTORATE_CODE_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9_-]{0,31}$")


def normalise_email(raw: str) -> str:
    email = raw.strip().strip("<>").lower()
    if not EMAIL_PATTERN.match(email) or len(email) > 320:
        raise DomainError(f"« {raw.strip()[:80]} » n’est pas une adresse e-mail valide (exemple : marie.curie@ville.fr).")
    return email


def normalise_directorate_code(raw: str) -> str:
    code = raw.strip().upper()
    if not DIRECTORATE_CODE_PATTERN.match(code):
        raise DomainError(
            f"« {raw.strip()[:40]} » n’est pas un code de direction valide : lettres, chiffres, - ou _, "
            "32 caractères au plus (exemple : DAJ, DIR-ACHATS)."
        )
    return code


@dataclass(frozen=True)
class PersonView:
    """A person with the code and name of their directorate, for display and role checks."""

    id: int
    name: str
    email: str | None
    role: Role | None
    directorate_id: int | None
    directorate_code: str | None
    directorate_name: str | None
    aad_object_id: str | None
    tenant_id: str

    @property
    def is_lead(self) -> bool:
        return self.role is Role.LEAD


ROLE_ADDRESSEES = {
    Role.LEAD: "aux personnes responsables du SPASER",
    Role.CONTRIBUTOR: "aux contributeur·rices de direction",
    Role.OFFICIAL: "aux élu·es et directeur·rices",
}


UNREGISTERED_REFUSAL = (
    "Cette action est réservée aux personnes enregistrées : demandez à la personne responsable du "
    "SPASER de vous enregistrer. Vous pouvez déjà me poser vos questions sur le SPASER."
)


def role_refusal(roles: frozenset[Role | None], person: PersonView | None = None) -> str:
    """Names who may do it, so a refused person knows whom to ask; someone unknown is told how to be
    registered."""
    if person is None or person.role is None:
        return UNREGISTERED_REFUSAL
    who = " et ".join(ROLE_ADDRESSEES[role] for role in Role if role in roles)
    return f"Cette action est réservée {who}. Tapez « qui suis-je » pour connaître votre rôle."
