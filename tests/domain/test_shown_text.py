"""Text someone typed, as others read it: the typographic apostrophe, links broken, nothing else changed."""

from __future__ import annotations

from domain.text import shown


def test_a_typed_apostrophe_between_letters_is_shown_typographic():
    assert shown("Deux marchés avec clause d'insertion") == "Deux marchés avec clause d’insertion"


def test_quotes_around_a_word_and_digits_stay_as_typed():
    assert shown("'oui' ou 5'30") == "'oui' ou 5'30"


def test_a_link_typed_by_someone_does_not_render():
    assert shown("[clique](javascript:alert(1))") == "]\u200b(".join(["[clique", "javascript:alert(1))"])
