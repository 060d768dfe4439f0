"""What a third careful French reader circled in one end-to-end run (issue #17), in the chat with the
real bot and the demo organisation; the point's number in each test's docstring."""

from __future__ import annotations

import re

import pytest

from bot.demo import load_demo
from domain.indicators.values import warm_up
from domain.people import Role
from tests.conftest import texts, whole_help
from tests.reader_support import demo_person, plain

NESTED = re.compile(r"\([^()]*\([^()]*\)[^()]*\)|\)\s*\(")


@pytest.fixture(scope="module", autouse=True)
def recognizers():
    warm_up()


async def test_an_axis_of_the_catalogue_has_no_parenthesis_next_to_another(runtime, talk, tmp_path):
    """9: « Heures d’insertion (clauses sociales) (en heures, … ; directions DCP et DPB) »."""
    await load_demo(runtime, "local-tenant", tmp_path)
    lead = demo_person(Role.LEAD)
    social = plain(texts(await talk(lead.aad_object_id, lead.name).say("catalogue axe social")))

    # Reader 7, C43: no aside in brackets, which the short title dropped: one label everywhere.
    assert "au titre des clauses sociales · en heures, fréquence trimestrielle · directions DCP et DPB" in social
    assert not NESTED.search(social), social


async def test_each_line_of_the_history_starts_with_a_capital(runtime, talk, tmp_path):
    """11, then reader 6, B10: each value is a line of its own (« - Année 2022, direction DCP : … »),
    which starts with a capital like its neighbours (« 4ᵉ trimestre … »), not « année 2022 »."""
    await load_demo(runtime, "local-tenant", tmp_path)
    lead = demo_person(Role.LEAD)
    history = plain(texts(await talk(lead.aad_object_id, lead.name).say("historique d’IND-14")))

    assert "de la plus ancienne à la plus récente : - Année 2022, direction DCP : 2 comités techniques" in history
    assert "- année" not in history


async def test_people_who_are_not_the_admin_read_words_not_file_formats(runtime, talk, tmp_path):
    """15: « (ou HTML, CSV, XLSX) », « Télécharger (HTML) » and « le fichier « decp-demo.json » »
    for a contributor or an élue."""
    await load_demo(runtime, "local-tenant", tmp_path)
    official, contributor = demo_person(Role.OFFICIAL), demo_person(Role.CONTRIBUTOR)
    elue = talk(official.aad_object_id, official.name)
    help_text = plain(await whole_help(talk(contributor.aad_object_id, contributor.name)))
    export = await elue.say("exporter la synthèse en page web")
    value = plain(texts(await elue.say("valeur d’IND-24")))

    assert "« exporter la synthèse en tableur » pour les valeurs" in help_text
    assert "HTML" not in help_text and "XLSX" not in help_text
    [button] = export[-1].attachments[0].content["actions"]
    assert button["title"] == "Ouvrir la page web" and plain(export[-1].summary) == "Synthèse SPASER prête : page web"
    assert "source : les données essentielles importées le " in value and ".json" not in value


async def test_the_help_is_a_short_summary_by_section_and_every_command_stays_reachable(runtime, talk, tmp_path):
    """13: the lead's help was one card of 45 commands, the committees under « Général »."""
    await load_demo(runtime, "local-tenant", tmp_path)
    lead, official = demo_person(Role.LEAD), demo_person(Role.OFFICIAL)
    summary = plain(texts(await talk(lead.aad_object_id, lead.name).say("aide")))
    committees = plain(texts(await talk(lead.aad_object_id, lead.name).say("aide comités")))
    everything = plain(await whole_help(talk(lead.aad_object_id, lead.name)))
    elue = plain(texts(await talk(official.aad_object_id, official.name).say("aide")))

    assert summary.count("• ") <= 16, summary
    assert "Comités • « proposer un calendrier »" in summary and "tapez « aide comités »" in summary
    assert committees.startswith("Ce que je sais faire : comités • « proposer un calendrier »")
    assert "« vérifier la cadence »" in committees and "« lister les personnes »" not in committees
    for command in ("« vérifier la cadence »", "« désactiver IND-03 »", "« retirer la page SPASER »",
                    "« historique des diffusions »", "« importer notre SPASER »", "« personnes référentes"):
        assert command in everything, command
    # An élue's most useful section first, her main command first in it.
    assert elue.startswith("Ce que je sais faire Synthèse • « synthèse », « où en est-on ? »")
