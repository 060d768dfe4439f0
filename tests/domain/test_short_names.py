"""A directorate named the way colleagues say it, derived from its full name, not from a list."""

from __future__ import annotations

import pytest

from bot.demo import DEMO_DIRECTORATES
from domain.understanding.short_names import ShortNames


@pytest.fixture(scope="module")
def short_names() -> ShortNames:
    return ShortNames(DEMO_DIRECTORATES)


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("le ref de la restau co ?", "DRC"),  # the first letters of its words, in order
        ("qui saisit pour l'info ?", "DSI"),  # one word clipped, after an article
        ("les sys info ont rempli ?", "DSI"),
        ("qui remplit pour les SI ?", "DSI"),  # its initials, in capitals
        ("côté res hum, c'est à jour ?", "DRH"),
        ("qui saisit pour l'informatique ?", "DSI"),  # a word of the family of « information », after an article
        ("le restaurant scolaire a tout rempli ?", "DRC"),  # « restauration »
        ("au service informatique, qui remplit ?", "DSI"),  # after « service »
    ],
)
def test_a_short_form_of_its_name_names_the_directorate(short_names, typed, code):
    assert short_names.find(typed)[0] == code


@pytest.mark.parametrize(
    "typed",
    [
        "j'ai une info sur le seuil",  # no article: a piece of news
        "si on dépasse le seuil ?",  # initials in lower case: a word
        "j'ai un PB avec la saisie",  # not after a definite article: a problem
        "mettre l'humain au centre des achats",  # « humaines » inflected, not clipped
        "la restauration collective",  # whole words: the name itself, read elsewhere
        "la ressource manque",  # « ressources » inflected: the same word, read elsewhere
        "une ressourcerie ouvre en ville",  # another word of the family, not after an article
    ],
)
def test_everyday_words_alike_name_no_directorate(short_names, typed):
    assert short_names.find(typed) == (None, frozenset())
