"""A legal limit an indicator must respect whatever its trajectory: a trajectory « en bonne voie »
towards a target does not make a value below the law lawful.

The limit is a floor for an indicator that improves upwards and a ceiling for one that improves
downwards (the catalogue's `sens`), so one number and the text it comes from say it all (catalogue
columns `seuil_legal` and `base_legale`). Examples filled in the demo catalogue, from public sources:

- loi EGalim n° 2018-938 du 30 octobre 2018, art. 24 (art. L. 230-5-1 du code rural et de la pêche
  maritime): since 1 January 2022, at least 50 % in value of sustainable and quality products in the
  meals of collective catering serving a public service, of which at least 20 % organic; assessed
  over a calendar year (art. R. 230-30-1);
- code de la commande publique, art. R. 2192-10: a payment delay of at most 30 days for the State,
  its public bodies, the collectivités territoriales and their public bodies; art. R. 2192-11: 50 days
  for public hospitals, 60 days for public companies (so the lead sets the figure that applies).

Without `seuil_legal`, `base_legale` states an obligation in words that no figure of the
indicator can check (`domain.summary.model.IndicatorSnapshot.legal_note`): in the demo, the shares of
contracts with an environmental consideration (loi Climat et résilience n° 2021-1104, art. 35:
execution conditions and an award criterion take the environment into account in every contract
whose consultation starts from 21/22 August 2026, art. L. 2112-2 and L. 2152-7; the value mixes older
contracts, so it changes no status).

Breaking a payment delay costs moratorium interest and a flat 40 € indemnity (art. L. 2192-13 and
D. 2192-35): `CONSEQUENCES`, matched on the text cited.

/work/shared/reference/ does not state these figures; they come from the texts named above
(code-commande-publique.com, articles R2192-10 and R2192-11; Légifrance, L230-5-1 and R230-30-1 of
the code rural) and must be checked by the lead against the body's own legal status.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from domain.indicators.catalogue import ImprovementDirection
from domain.indicators.units import Unit, format_value


@dataclass(frozen=True)
class LegalLimit:
    """`value` in the indicator's unit; `basis` names the text that sets it (« loi EGalim »), or is
    empty when the catalogue does not say."""

    value: Decimal
    basis: str
    direction: ImprovementDirection

    @property
    def is_floor(self) -> bool:
        return self.direction is ImprovementDirection.UP

    def broken_by(self, value: Decimal | None) -> bool:
        """True when `value` is below a floor or above a ceiling (the limit itself is lawful)."""
        if value is None:
            return False
        return value < self.value if self.is_floor else value > self.value

    def breach_text(self, unit: Unit, counted_noun: str = "", *, cited: bool = True) -> str:
        """« sous le minimum légal de 50 % (loi EGalim) », « au-dessus du maximum légal de 30 jours
        (code de la commande publique) »: what a status says of a value that breaks the limit;
        `cited` False leaves the text out, for a line next to the status that cites it."""
        shown = format_value(self.value, unit, counted_noun)
        where = "sous le minimum légal" if self.is_floor else "au-dessus du maximum légal"
        return f"{where} de {shown}{self._cited if cited else ''}"

    def warning_text(self, code: str, value: Decimal, unit: Unit, counted_noun: str = "") -> str:
        """« ⚠ IND-11 : un délai de 32,5 jours dépasse le maximum légal de 30 jours (code de la
        commande publique, art. R. 2192-10). »: said after a value is saved anyway, so that a
        lawful-looking « Enregistré » does not hide a breach. The verb's subject is a singular noun
        (`value_subject`): « 32,5 jours dépasse » did not agree (reader 9, B5)."""
        limit = format_value(self.value, unit, counted_noun)
        verb = "n’atteint pas le minimum légal" if self.is_floor else "dépasse le maximum légal"
        return f"⚠ {code}\u00a0: {value_subject(value, unit, counted_noun)} {verb} de {limit}{self._cited}."

    def limit_text(self, unit: Unit, counted_noun: str = "", *, cited: bool = True) -> str:
        """« minimum légal : 50 % (loi EGalim) », for the indicator's characteristics."""
        kind = "minimum légal" if self.is_floor else "maximum légal"
        return f"{kind}\u00a0: {format_value(self.value, unit, counted_noun)}{self._cited if cited else ''}"

    @property
    def consequence(self) -> str | None:
        """What breaking the limit costs, when the text it comes from is one we know
        (`CONSEQUENCES`, matched on `basis`): « Tout retard de paiement fait courir… » for a payment
        delay (reader 9, C16); None otherwise."""
        for cited, consequence in CONSEQUENCES:
            if cited.search(self.basis):
                return consequence
        return None

    @property
    def in_force(self) -> str:
        """« en vigueur depuis le 1er janvier 2022 » when the text cited is one whose date we know
        (`IN_FORCE`, matched on `basis`), else empty: « déjà applicable » left the reader asking since
        when (reader 10, B3)."""
        for cited, since in IN_FORCE:
            if cited.search(self.basis):
                return since
        return ""

    @property
    def _cited(self) -> str:
        return f" ({printed_basis(self.basis)})" if self.basis else ""


_ARTICLE_SPACE = re.compile(r"\b(art|[LRD])\. (?=[LRD]\.|\d)")
_LAW_NAME_SPACE = re.compile(r"\bloi (?=[A-ZÉ][\w-]*(?:$|[,;)]))")


def printed_basis(basis: str) -> str:
    """« code de la commande publique, art.\u00a0R.\u00a02192-10 »: a catalogue's basis with no-break spaces
    after « art. » and the article's letter, never « art. » at the end of a line (reader 11, B14); and
    after « loi » before a one-word name (« loi\u00a0EGalim »): « (loi / EGalim) » wrapped (reader 15)."""
    return _LAW_NAME_SPACE.sub("loi\u00a0", _ARTICLE_SPACE.sub("\\1.\u00a0", basis))


_SUBJECTS = {Unit.DAYS: "un délai de", Unit.PERCENT: "une part de", Unit.EURO: "un montant de"}
"""The noun a value of these units is, whatever the indicator: a number of days the law bounds is a
delay, a percentage a share, euros an amount."""


def value_subject(value: Decimal, unit: Unit, counted_noun: str = "") -> str:
    """A value as the singular subject of a verb: « un délai de 32,5 jours », « une part de 45 % »,
    « un montant de 1 200 € »; for the other units, whose word may be plural (« 3 comités
    techniques »), « la valeur saisie (3 comités techniques) »."""
    shown = format_value(value, unit, counted_noun)
    if unit in _SUBJECTS:
        return f"{_SUBJECTS[unit]} {shown}"
    return f"la valeur saisie ({shown})"


CONSEQUENCES = (
    (
        re.compile(r"\bR\.?\s*2192[-\u2011]1[0-2]\b"),
        "Tout retard de paiement fait courir de plein droit des intérêts moratoires et une indemnité "
        "forfaitaire de 40 € par facture (code de la commande publique, art. L. 2192‑13 et D. 2192‑35).",
    ),
)
"""(citation of the limit's text in `base_legale`, what breaking it costs): code de la commande
publique, art. L. 2192-13 (late payment runs, of right, moratorium interest and a flat indemnity for
recovery costs) and D. 2192-35 (40 €), for the payment delays of art. R. 2192-10 to R. 2192-12."""


IN_FORCE = ((re.compile(r"EGalim|L\.?\s*230[-\u2011]5[-\u2011]1", re.IGNORECASE), "en vigueur depuis le 1er janvier 2022"),)
"""(citation of the limit's text, since when the limit applies): loi EGalim, art. L. 230-5-1 of the
code rural, 50 % of sustainable and quality products from 1 January 2022."""


def legal_limit(value: Decimal | None, basis: str, direction: ImprovementDirection) -> LegalLimit | None:
    """The limit of a catalogue row or a stored indicator, None when it has none."""
    if value is None:
        return None
    return LegalLimit(value, basis, direction)
