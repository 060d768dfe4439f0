"""A form refused for one field, corrected and saved, then sent again (reader 9, C7, seen in the e2e
run): the same values are already saved, whatever card carried them.

What the Agents Playground posts (logged in the e2e run): only the inputs that hold text, and after
each new message it redraws every card from its JSON, so a card clicked again after its save sends
the values it was sent with: none for a first card, the refused « 140 % » for a refilled one."""

from __future__ import annotations

from app import RUNTIME
from tests.bot.test_indicator_http import Sender, card_from, recognizers  # noqa: F401
from tests.indicators_support import card_inputs, value_rows


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
    assert "Ce formulaire a déjà été enregistré\u00a0: rien n’a été modifié." in again, again


TYPED = {"IND-04": "980 000 €", "IND-06": "6", "IND-10": "58", "IND-11": "32,5", "IND-14": "3", "IND-15": "21"}


def _values(card: dict) -> dict[str, str]:
    return {input_id: element.get("value", "") for input_id, element in card_inputs(card).items()}


def _as_drawn(card: dict) -> dict:
    """What the Playground posts for a card redrawn from its JSON: the action's data and the inputs
    the card fills in itself (blank ones are left out)."""
    return {**card["actions"][-1]["data"], **{key: text for key, text in _values(card).items() if text}}


def _typed(card: dict, **values: str) -> dict:
    """What the Playground posts once `values` are typed in a redrawn card."""
    data = _as_drawn(card)
    data.update(values)
    return {key: text for key, text in data.items() if text}


async def _refused_then_saved(nadia: Sender) -> tuple[dict, list[str]]:
    card = card_from(await nadia.post(type="message", text="formulaire indicateurs"))
    typed = {"valeur|IND-05|2025": "140 %", "commentaire|IND-04|2025": "Nouveau circuit de validation des factures"}
    typed.update({f"valeur|{code}|{_period(card, code)}": text for code, text in TYPED.items() if _period(card, code)})
    refilled = card_from(await nadia.post(type="message", value=_typed(card, **typed)))
    assert _values(refilled)["valeur|IND-05|2025"] == "140 %", "the card comes back with what was typed"
    saved = await nadia.post_via_connector(type="message", value=_typed(refilled, **{"valeur|IND-05|2025": "38 %"}))
    assert any(text.startswith("Enregistré pour la direction DCP (6\u00a0valeurs)") for text in saved), saved
    return refilled, saved


def _period(card: dict, code: str) -> str:
    return next((input_id.split("|")[2] for input_id in card_inputs(card) if input_id.startswith(f"valeur|{code}|")), "")


async def test_a_refilled_card_clicked_again_as_the_playground_redraws_it_reads_already_saved(client, connector):
    nadia = Sender(client, connector, "nadia-aad", "Nadia Benali")
    refilled, _ = await _refused_then_saved(nadia)
    rows = await value_rows(client.server.app[RUNTIME])

    again = await nadia.post_via_connector(type="message", value=_as_drawn(refilled))

    assert again == ["Ce formulaire a déjà été enregistré\u00a0: rien n’a été modifié."], again
    assert await value_rows(client.server.app[RUNTIME]) == rows


async def test_a_first_card_clicked_again_redrawn_blank_after_its_save_reads_already_saved(client, connector):
    nadia = Sender(client, connector, "nadia-aad", "Nadia Benali")
    card = card_from(await nadia.post(type="message", text="formulaire indicateurs"))
    saved = await nadia.post_via_connector(type="message", value=_typed(card, **{"valeur|IND-01|2026-T3": "45 %"}))
    assert any(text.startswith("Enregistré pour la direction DCP (1\u00a0valeur)") for text in saved), saved

    again = await nadia.post_via_connector(type="message", value=_as_drawn(card))

    assert again == ["Ce formulaire a déjà été enregistré\u00a0: rien n’a été modifié."], again
    assert len(await value_rows(client.server.app[RUNTIME])) == 1


async def test_a_redrawn_card_changed_after_its_save_saves_nothing_and_says_so(client, connector):
    nadia = Sender(client, connector, "nadia-aad", "Nadia Benali")
    refilled, _ = await _refused_then_saved(nadia)
    rows = await value_rows(client.server.app[RUNTIME])

    changed = await nadia.post_via_connector(type="message", value=_typed(refilled, **{"valeur|IND-05|2025": "40 %"}))
    forged = await nadia.post_via_connector(type="message", value={**_typed(refilled, **{"valeur|IND-05|2025": "40 %"}), "drawn": ""})

    for reply in (changed, forged):
        assert len(reply) == 1 and reply[0].startswith("Ce formulaire est déjà enregistré\u00a0: les changements"), reply
    assert await value_rows(client.server.app[RUNTIME]) == rows, "no value saved twice, none changed"
