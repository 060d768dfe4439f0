"""Who may see what of the summary: everything (the lead, officials) or one directorate (a
contributor), decided from the server-side person's role, never from what the message says."""

from __future__ import annotations

from dataclasses import dataclass

from domain.errors import DomainError
from domain.people import Role


class SummaryError(DomainError):
    """A summary that cannot be produced as asked (unknown filter, bad input); French message."""


class SummaryAccessDenied(SummaryError):
    """The person asked for detail outside their scope (another directorate)."""


@dataclass(frozen=True)
class Scope:
    """Whose detail may be shown: everything (lead, officials) or one directorate (contributor)."""

    directorate: str | None = None

    @classmethod
    def everything(cls) -> Scope:
        return cls(None)

    @classmethod
    def only(cls, directorate_code: str) -> Scope:
        code = (directorate_code or "").strip().upper()
        if not code:
            raise SummaryAccessDenied(
                "Votre direction n’est pas renseignée : demandez à la personne responsable du SPASER de l’indiquer."
            )
        return cls(code)

    @property
    def is_restricted(self) -> bool:
        return self.directorate is not None


def scope_for(role: Role | None, directorate_code: str | None) -> Scope:
    """The lead and officials see everything; a contributor sees their directorate only."""
    if role in (Role.LEAD, Role.OFFICIAL):
        return Scope.everything()
    if role is Role.CONTRIBUTOR:
        return Scope.only(directorate_code or "")
    raise SummaryAccessDenied(
        "La synthèse est réservée aux personnes enregistrées : demandez à la personne responsable du SPASER de vous ajouter."
    )
