"""Text someone typed, as others read it: the typographic apostrophe, links broken, nothing else changed."""

from __future__ import annotations

from domain.text import shown


def test_a_typed_apostrophe_between_letters_is_shown_typographic():
    assert shown("Deux marchés avec clause d'insertion") == "Deux marchés avec clause d’insertion"


def test_quotes_around_a_word_and_digits_stay_as_typed():
    assert shown("'oui' ou 5'30") == "'oui' ou 5'30"


def test_a_link_typed_by_someone_does_not_render():
    assert shown("[clique](javascript:alert(1))") == "]\u200b(".join(["[clique", "javascript:alert(1))"])


def test_a_space_typed_before_a_colon_or_inside_guillemets_does_not_break():
    """A broadcast card showed a line starting « : merci… » (fresh reader, A4)."""
    typed = "Le bilan sera présenté au COPIL : merci de le lire ! Des questions ? « Bilan » ; 10:30, :) et http://x.fr/?a=1"

    assert shown(typed) == (
        "Le bilan sera présenté au COPIL\u00a0: merci de le lire\u00a0! Des questions\u00a0? «\u00a0Bilan\u00a0»\u00a0; "
        "10:30,\u00a0:) et http://x.fr/?a=1"
    ), "hours and addresses stay as typed; a smiley stays with its word"
    assert shown("Rappel: demain") == "Rappel: demain", "only a space that is there becomes a no-break one"
