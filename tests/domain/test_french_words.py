"""The helpers of domain/text.py that write French a fresh reader expects: numbers in words at the
start of a sentence, « d’IND-03 », a directorate named once, and what must not break across lines."""

from __future__ import annotations

import pytest

from domain.text import counted_in_words, directorate_title, number_in_words, of, unbreakable

NBSP, NB_HYPHEN = "\u00a0", "\u2011"


@pytest.mark.parametrize(
    ("number", "words"),
    [(1, "un"), (3, "trois"), (16, "seize"), (17, "dix-sept"), (21, "vingt et un"), (22, "vingt-deux"),
     (71, "soixante et onze"), (77, "soixante-dix-sept"), (80, "quatre-vingts"), (81, "quatre-vingt-un"),
     (91, "quatre-vingt-onze"), (100, "cent")],
)
def test_numbers_up_to_a_hundred_are_written_in_french_words(number, words):
    assert number_in_words(number) == words


def test_a_sentence_starts_with_a_count_in_words_never_a_figure():
    """« 1 message envoyé », « 3 personnes injoignables » opened sentences (fresh reader, C1)."""
    assert counted_in_words(1, "message envoyé", "messages envoyés") == "Un message envoyé"
    assert counted_in_words(3, "personne injoignable", "personnes injoignables", feminine=True) == "Trois personnes injoignables"
    assert counted_in_words(1, "personne", feminine=True) == "Une personne"
    assert counted_in_words(21, "valeur", feminine=True) == "Vingt et une valeurs"
    assert counted_in_words(120, "message") == "Au total, 120\u00a0messages"


def test_de_is_elided_before_a_vowel():
    """« valeur de IND-03 » read as a typo (fresh reader, C7)."""
    assert of("IND-03") == "d’IND-03"
    assert of("ENV-01") == "d’ENV-01"
    assert of("DCP-01") == "de DCP-01"


def test_a_directorate_is_named_without_saying_direction_twice():
    """« Direction DCP – Direction de la commande publique » (fresh reader, C2)."""
    assert directorate_title("DCP", "Direction de la commande publique") == "Direction de la commande publique (DCP)"
    assert directorate_title("DCP", "Commande publique") == "Direction DCP (Commande publique)"
    assert directorate_title("DCP", "Direction DCP") == "Direction DCP"
    assert directorate_title("DCP") == "Direction DCP"


def test_an_article_reference_a_count_of_months_and_an_arrow_never_break():
    """« (articles L. 2113-12 et L. 2113- / 13) », « au cours des 12 / derniers mois », « · ↑ / en progrès » were
    cut in cards (fresh reader, A3 and B19)."""
    assert unbreakable("(articles L. 2113-12 et L2113-13)") == (
        f"(articles L.{NBSP}2113{NB_HYPHEN}12 et L2113{NB_HYPHEN}13)"
    )
    assert unbreakable("loi n° 2021-1104, art. 35") == f"loi n°{NBSP}2021-1104, art.{NBSP}35"  # reader4 A5
    assert unbreakable("au cours des 12 derniers mois, dans les 12 prochains mois") == (
        f"au cours des 12{NBSP}derniers mois, dans les 12{NBSP}prochains mois"
    )
    assert unbreakable("44 marchés · → stable · ↑ en progrès") == f"44{NBSP}marchés · →{NBSP}stable · ↑{NBSP}en progrès"
    assert unbreakable("IND-06, DCP-2026, 2026-T3") == "IND-06, DCP-2026, 2026-T3", "codes people type stay as they are"
    once = unbreakable("L. 2113-12 · ↑ en hausse")
    assert unbreakable(once) == once
