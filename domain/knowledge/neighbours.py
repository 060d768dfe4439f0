"""Neighbouring subjects (out-of-scope entries) need their own words, not one everyday word.

The neighbours' trigger words are mostly everyday French with a second, ordinary sense: « avance »
(progress, or the payment advance), « travaux », « délai », « prix », « garantie », « lot »,
« seuil », « marché », « coûte ». A question that names the SPASER carries no weight for its
subject word (every own entry holds it), yet it makes the question « in the domain », so that
« en deux mots, ça avance le SPASER ? » was refused as the payment advance on « avance » alone.

The rule, for every neighbour at once: when the question names the base's subject, a neighbour
whose only evidence, apart from that subject and the words a good share of the base holds
(« combien », « marché », « montant »), is one everyday word is no answer. A rarer word of its
own (« forfaitaire », « DUME », « BOAMP »), a phrase of the lexicon, or two words of its own keep it:
« quel taux pour l'avance forfaitaire du SPASER ? » is still the advance.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence

from domain.knowledge.answers import ScoredEntry
from domain.knowledge.entries import EntryKind
from domain.knowledge.normalize import COUNTED_PREFIX

EVERYDAY_ZIPF = 3.5
"""A word at least this common in French (Zipf scale: « lots » 3.8, « avance » 4.9, « prix » 5.6) has
an everyday sense besides the procurement one; « forfaitaire » (3.3), « acompte » (3.1) have not."""


def on_one_everyday_word(
    scored: ScoredEntry,
    tokens: Sequence[str],
    terms_of: Callable[[Sequence[str]], list[str]],
    weak: Collection[str],
    commonness: Callable[[str], float],
) -> bool:
    """Whether `scored` is a neighbour matched, apart from the `weak` terms (the subject, the common
    ones), on nothing or on one term that only everyday words of the question (`tokens`) give."""
    if scored.entry.kind is not EntryKind.OUT_OF_SCOPE:
        return False
    evidence = [term for term in scored.matched_terms if term not in weak and not term.startswith(COUNTED_PREFIX)]
    if len(evidence) > 1:
        return False
    if not evidence:
        return True
    words = [token for token in tokens if evidence[0] in terms_of([token])]
    return bool(words) and all(commonness(word) >= EVERYDAY_ZIPF for word in words)
