"""Reading « synthèse axe social », « synthèse direction DRC » and the other ways to ask."""

from __future__ import annotations

import re

import pytest

from domain.errors import DomainError
from domain.indicators.catalogue import Axis
from domain.summary.card import summary_command
from domain.summary.request import SUMMARY_PATTERNS, SummaryRequest, parse_summary_request
from domain.summary.scope import SummaryError
from domain.text import fold


@pytest.mark.parametrize(
    "text",
    ["synthèse", "Synthèse SPASER", "Où en est-on ?", "ou en est on", "où en sommes-nous ?", "État d'avancement",
     "état d’avancement du SPASER", "synthèse axe social"],
)
def test_the_ways_to_ask_match_the_patterns(text):
    assert any(re.search(pattern, fold(text)) for pattern in SUMMARY_PATTERNS)


@pytest.mark.parametrize("text", ["synthétiser le catalogue", "bonjour", "quelle est la synthèse de l'état ?"])
def test_other_sentences_do_not_match(text):
    assert not any(re.search(pattern, fold(text)) for pattern in SUMMARY_PATTERNS)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("synthèse", SummaryRequest()),
        ("synthèse axe social", SummaryRequest(axis=Axis.SOCIAL)),
        ("Synthèse axe Économie responsable", SummaryRequest(axis=Axis.RESPONSIBLE_ECONOMY)),
        ("synthèse direction drc", SummaryRequest(directorate="DRC")),
        ("synthèse direction DRC axe environnemental",
         SummaryRequest(axis=Axis.ENVIRONMENTAL, directorate="DRC")),
        ("synthèse axe gouvernance direction DCP", SummaryRequest(axis=Axis.GOVERNANCE, directorate="DCP")),
    ],
)
def test_filters_are_read(text, expected):
    assert parse_summary_request(text) == expected


@pytest.mark.parametrize(
    ("axis", "directorate"), [(None, None), (Axis.SOCIAL, None), (None, "DRC"), (Axis.RESPONSIBLE_ECONOMY, "D-01")]
)
def test_button_texts_read_back_to_the_same_filters(axis, directorate):
    assert parse_summary_request(summary_command(axis, directorate)) == SummaryRequest(axis, directorate)


def test_bad_filters_are_french_errors():
    with pytest.raises(DomainError, match="axe « sportif » inconnu"):
        parse_summary_request("synthèse axe sportif")
    with pytest.raises(SummaryError, match="code de la direction"):
        parse_summary_request("synthèse direction")
