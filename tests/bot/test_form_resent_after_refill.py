"""A form refused for one field, corrected and saved, then sent again (reader 9, C7, seen in the e2e
run): the same values are already saved, whatever card carried them."""

from __future__ import annotations

from tests.bot.test_indicator_http import Sender, card_from, recognizers  # noqa: F401
from tests.indicators_support import card_inputs


async def test_a_refilled_form_sent_again_after_its_save_reads_already_saved(client, connector):
    nadia = Sender(client, connector, "nadia-aad", "Nadia Benali")
    card = card_from(await nadia.post(type="message", text="formulaire indicateurs"))
    data = dict(card["actions"][0]["data"])
    data.update({input_id: "" for input_id in card_inputs(card)})
    data["valeur|IND-01|2026-T3"] = "45,5 %"
    data["valeur|IND-05|2025"] = "140 %"
    for input_id in card_inputs(card):
        code = input_id.split("|")[1]
        if input_id.startswith("valeur|") and code in TYPED:
            data[input_id] = TYPED[code]
        if input_id.startswith("commentaire|IND-04"):
            data[input_id] = "Nouveau circuit de validation des factures"
    refused = await nadia.post(type="message", value=data)
    refilled = card_from(refused)
    data = dict(refilled["actions"][0]["data"])
    data.update({input_id: input_value for input_id, input_value in _values(refilled).items()})
    data["valeur|IND-05|2025"] = "38 %"
    saved = await nadia.post_via_connector(type="message", value=data)
    assert any(text.startswith("Enregistré pour la direction DCP") for text in saved), saved
    again = await nadia.post_via_connector(type="message", value=data)
    assert "Vos valeurs sont déjà enregistrées." in again, again


TYPED = {"IND-04": "980 000 €", "IND-06": "6", "IND-10": "58", "IND-11": "32,5", "IND-14": "3", "IND-15": "21"}


def _values(card: dict) -> dict[str, str]:
    found: dict[str, str] = {}

    def walk(node):
        if isinstance(node, dict):
            if node.get("type", "").startswith("Input.") and "id" in node:
                found[node["id"]] = node.get("value", "")
            for child in node.values():
                walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    walk(card)
    return found
