"""Property-based tests of the real HTTP endpoint (`POST /api/messages` of the aiohttp app, real
bot, SQLite file, fake Teams connector on loopback, authentication off as in local mode).

Whatever arrives — bytes, headers, any JSON, activities of any shape, Teams messages with any
text, cards submitted with any data — the answer is a 2xx or a 4xx, never a 500; no turn ends
in the bot's error handler (nothing is logged at ERROR); and a submitted form saves all its
values or none.
"""

from __future__ import annotations

import json
import logging
import re
import uuid
from datetime import UTC, datetime
from urllib.parse import quote

import pytest
from aiohttp import web
from aiohttp.http_exceptions import HttpProcessingError
from aiohttp.test_utils import TestClient
from hypothesis import event, given, settings
from hypothesis import strategies as st

from app import RUNTIME
from bot.console import teams_activity
from bot.runtime import TURN_ERROR_REPLY
from domain.clock import FakeClock
from domain.committees.meeting_dates import MeetingDateReader
from domain.indicators.values import warm_up
from tests.fakes.teams_connector import FakeTeamsConnector
from tests.indicators_support import value_rows
from tests.properties_support import budget

PEOPLE = {
    "lead": ("lead-aad", "Camille Martin"),
    "contributor": ("nadia-aad", "Nadia Benali"),
    "official": ("maire-aad", "Hélène Dubois"),
    "stranger": ("stranger-aad", "Paul Inconnu"),
}
ACCEPTABLE = {200, 201, 202, 400, 401, 404, 413, 415}


@pytest.fixture(scope="module", autouse=True)
def recognizers():
    """Number and date recognizers built once, outside the examples."""
    warm_up()
    MeetingDateReader(FakeClock(datetime(2026, 11, 30, 9, 0, tzinfo=UTC)), "Europe/Paris").read("le 12 mars à 14h")


class ErrorRecords(logging.Handler):
    """Collects every ERROR logged anywhere: an unhandled turn error or a 500 logs one."""

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info and isinstance(record.exc_info[1], (web.RequestPayloadError, HttpProcessingError)):
            # aiohttp's own 400 for a body it cannot decompress (unknown or broken Content-Encoding),
            # logged by aiohttp itself, also when it drains the body after our 400 was sent.
            return
        self.records.append(record)

    def take(self) -> list[str]:
        found = [f"{record.name}: {record.getMessage()} {record.exc_text or ''}" for record in self.records]
        self.records.clear()
        return found


@pytest.fixture
def errors():
    handler = ErrorRecords()
    root = logging.getLogger()
    root.addHandler(handler)
    yield handler
    root.removeHandler(handler)


async def assert_still_serving(client: TestClient, connector: FakeTeamsConnector) -> None:
    response = await client.post("/api/messages", json=teams_message("lead", "qui suis-je", connector.url))
    assert response.status == 200
    assert "responsable du SPASER" in reply_text(await response.json())


def teams_message(who: str, text: str | None, service_url: str, conversation: str | None = None, **fields) -> dict:
    aad, name = PEOPLE[who]
    activity = teams_activity(
        aad_object_id=aad,
        name=name,
        conversation_id=conversation or f"a:{aad}-{uuid.uuid4().hex[:8]}",
        id=uuid.uuid4().hex,
        text=text,
        delivery_mode="expectReplies",
        **fields,
    )
    activity.service_url = service_url
    return activity.serialize()


def reply_text(payload) -> str:
    activities = payload.get("activities", []) if isinstance(payload, dict) else []
    return "\n".join(json.dumps(reply, ensure_ascii=False) for reply in activities)


# ----- strategies --------------------------------------------------------------------------------

json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=20)),
    lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(st.text(max_size=10), children, max_size=4)),
    max_leaves=12,
)
content_types = st.sampled_from(
    ["application/json", "application/json; charset=utf-8", "application/json; charset=latin-1", "text/plain",
     "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/jsonx", "", "*/*"]
)
extra_headers = st.dictionaries(
    st.sampled_from(["Authorization", "Content-Encoding", "X-Ms-Conversation-Id", "Accept", "X-Forwarded-For"]),
    st.one_of(
        st.sampled_from(["gzip", "deflate", "br", "identity", "Bearer x.y.z", "Bearer", "Basic Og==", "*/*"]),
        st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=30),
    ),
    max_size=3,
)
# `serviceUrl` and `deliveryMode` are kept: the replies come back in the body (`expectReplies`),
# so that a reply the connector refuses (to any other URL, or for an id no connector knows) does
# not pass for a failure of the bot; `serviceUrl` may be dropped (a 400).
ACTIVITY_FIELDS = [
    "type", "id", "text", "from", "recipient", "conversation", "channelData", "value", "entities", "attachments",
    "channelId", "locale", "timestamp", "localTimestamp", "name", "action", "membersAdded",
    "membersRemoved", "textFormat", "replyToId", "valueType", "relatesTo", "importance", "expiration",
]
DROPPABLE_FIELDS = [*ACTIVITY_FIELDS, "serviceUrl"]
field_values = st.one_of(
    json_values,
    st.sampled_from(
        [
            "message", "invoke", "conversationUpdate", "installationUpdate", "messageReaction", "event", "typing",
            "endOfConversation", "messageUpdate", "messageDelete", "adaptiveCard/action", "fileConsent/invoke",
            "composeExtension/query", "task/fetch", "signin/verifyState", "add", "remove", "expectReplies", "msteams",
            "emulator", "webchat", "2026-13-45T99:00:00Z", "",
        ]
    ),
    st.builds(lambda aad: {"id": f"29:{aad}", "aadObjectId": aad, "name": aad}, st.sampled_from(["lead-aad", "nadia-aad", "", "x" * 300])),
    st.lists(st.fixed_dictionaries({"type": st.sampled_from(["mention", "clientInfo", "x"]), "mentioned": json_values, "text": st.one_of(st.text(max_size=20), json_values)}), max_size=3),
    st.lists(st.fixed_dictionaries({"contentType": st.sampled_from(["application/vnd.microsoft.teams.file.download.info", "text/csv", "application/vnd.microsoft.card.adaptive", "image/png"]), "name": st.text(max_size=12), "content": json_values, "contentUrl": st.sampled_from(["http://127.0.0.1:9/x.csv", "file:///etc/passwd", "", "not a url"])}), max_size=2),
)

COMMANDS = [
    "qui suis-je", "aide", "mettre à jour mes indicateurs", "mettre à jour les indicateurs de ", "formulaire indicateurs ",
    "corriger IND-01 ", "valeur de IND-0", "historique de IND-03 ", "modifier IND-03 cible ", "modifier IND-03 libelle ",
    "désactiver IND-", "catalogue", "ajouter un indicateur ", "ajouter la direction ", "affecter ", "lister les directions",
    "planifier un COPIL ", "déplacer le prochain COPIL au ", "annuler le comité n° ", "prochain comité", "proposer un calendrier",
    "synthèse ", "exporter la synthèse en ", "diffuser un message ", "répondre à la question ", "cadence du COPIL ",
    "inviter marc@ville.fr au COPIL", "synthèse hebdomadaire ", "questions sans réponse", "mon agenda",
]
ANSWERS = ["oui", "non", "annuler", "aide", "passer", "12", "45,5 %", "douze", "aucun", "1", "le 12 mars à 14h", "plus tard", "DCP", "2025-T4"]
text_pieces = st.one_of(
    st.sampled_from(COMMANDS),
    st.sampled_from(ANSWERS),
    st.sampled_from(["IND-01", "2026-T3", "DPB", "é", "€", "%", " ", "\u00a0", "\n", "<at>Assistant SPASER</at>", "\x00", "\ud800", "'", "\"", "😀", "-1", "9" * 20]),
    st.text(max_size=15),
)
typed_texts = st.lists(text_pieces, min_size=1, max_size=4).map("".join)


# ----- properties --------------------------------------------------------------------------------


@settings(max_examples=budget(40))
@given(body=st.one_of(st.binary(max_size=300), json_values.map(lambda v: json.dumps(v).encode())), content_type=content_types, headers=extra_headers)
async def test_any_bytes_with_any_headers_get_a_2xx_or_4xx(client, connector, errors, body, content_type, headers):
    sent = dict(headers)
    if content_type:
        sent["Content-Type"] = content_type
    response = await client.post("/api/messages", data=body, headers=sent)
    event(f"status {response.status}")
    assert response.status in ACCEPTABLE, (response.status, await response.text())
    assert errors.take() == []


@settings(max_examples=budget(50))
@given(replaced=st.dictionaries(st.sampled_from(ACTIVITY_FIELDS), field_values, max_size=4), dropped=st.sets(st.sampled_from(DROPPABLE_FIELDS), max_size=3))
async def test_an_activity_of_any_shape_gets_a_2xx_or_4xx_and_no_turn_fails(client, connector, errors, replaced, dropped):
    body = teams_message("lead", "qui suis-je", connector.url)
    for name in dropped:
        body.pop(name, None)
    body.update(replaced)
    response = await client.post("/api/messages", json=body)
    event(f"status {response.status}")
    assert response.status in ACCEPTABLE, (response.status, await response.text())
    if response.content_type == "application/json":
        assert TURN_ERROR_REPLY not in reply_text(await response.json())
    assert errors.take() == []


@settings(max_examples=budget(25))
@given(who=st.sampled_from(list(PEOPLE)), texts=st.lists(typed_texts, min_size=1, max_size=3))
async def test_teams_messages_with_any_text_are_answered_without_a_turn_error(client, connector, errors, who, texts):
    conversation = f"a:{who}-{uuid.uuid4().hex[:8]}"
    for text in texts:
        response = await client.post("/api/messages", json=teams_message(who, text, connector.url, conversation))
        assert response.status == 200, (text, response.status)
        said = reply_text(await response.json())
        assert said, f"no answer to {text!r}"
        assert TURN_ERROR_REPLY not in said, text
    assert errors.take() == []


invoke_names = st.one_of(
    st.sampled_from(
        ["adaptiveCard/action", "task/fetch", "task/submit", "composeExtension/query", "signin/verifyState",
         "signin/tokenExchange", "fileConsent/invoke", "actionableMessage/executeAction", "config/fetch", ""]
    ),
    st.text(max_size=20),
)
invoke_values = st.one_of(
    json_values,
    st.fixed_dictionaries({"action": json_values}),
    st.fixed_dictionaries(
        {"action": st.fixed_dictionaries({"type": st.just("Action.Execute")}, optional={"verb": json_values, "data": json_values})}
    ),
)


@settings(max_examples=budget(40))
@given(name=invoke_names, value=invoke_values)
async def test_an_invoke_of_any_name_and_value_gets_a_2xx_or_4xx(client, connector, errors, name, value):
    body = teams_message("lead", None, connector.url)
    body.update(type="invoke", name=name, value=value)
    response = await client.post("/api/messages", json=body)
    event(f"{name if name in ('adaptiveCard/action', 'task/fetch') else 'other'}: status {response.status}")
    assert response.status in ACCEPTABLE, (name, value, response.status, await response.text())
    assert errors.take() == []


path_segments = st.one_of(
    st.text(alphabet=st.characters(codec="utf-8", exclude_characters="/?#"), min_size=1, max_size=60),
    st.sampled_from(["a" * 43, "eyJhbGciOiJIUzI1NiJ9.e30.x", "%00", "..", "%2F..%2F", "9" * 30, "-1", "0"]),
)


@settings(max_examples=budget(40))
@given(token=st.one_of(st.none(), path_segments), meeting=st.one_of(st.integers(-(2**70), 2**70).map(str), path_segments))
async def test_calendar_and_download_links_of_any_shape_get_a_2xx_or_4xx(client, errors, token, meeting):
    """`token=None`: a contributor's genuine calendar token, with any meeting number."""
    if token is None:
        runtime = client.server.app[RUNTIME]
        nadia = await runtime.people.get_by_identity("local-tenant", "nadia-aad")
        token = await runtime.committees.repository.calendar_token(nadia.id)
    for path in (f"/calendar/{quote(token)}.ics", f"/calendar/{quote(token)}/meeting-{quote(meeting)}.ics",
                 f"/synthese/{quote(token)}"):
        response = await client.get(path)
        assert response.status in ACCEPTABLE | {403, 429}, (path, response.status)
    assert errors.take() == []


# Due on 30 November 2026 for DCP: IND-01, IND-02, IND-03 for 2026-T3, IND-04 for 2025.
DUE_FIELDS = ["IND-01|2026-T3", "IND-02|2026-T3", "IND-03|2026-T3", "IND-04|2025"]
form_fields = st.one_of(
    st.sampled_from(DUE_FIELDS),
    st.builds(
        "{}|{}".format,
        st.sampled_from(["IND-01", "IND-02", "IND-03", "IND-04", "IND-08", "ind-01", "NOPE", ""]),
        st.sampled_from(["2026-T3", "2025", "2026-S1", "2025-T4", "2027-T1", "2024-T1", "T3 2026", "", "2026-T9"]),
    ),
)
form_values = st.one_of(
    st.sampled_from(["12", "45,5 %", "0", "7,25", "douze"]),
    st.sampled_from(["1 200 €", "", "  ", "-3", "101 %", "12 $", "1e5", "9" * 20]),
    st.text(max_size=12),
    st.integers(-5, 10**6),
    st.floats(allow_nan=True),
    st.none(),
    st.booleans(),
)
card_data = st.fixed_dictionaries(
    {
        "action": st.one_of(st.just("indicators.submit"), st.just("indicators.submit"), st.text(max_size=12), st.integers()),
        "card_id": st.one_of(st.uuids().map(str), st.uuids().map(str), st.just(""), st.integers(), st.none()),
        "directorate": st.one_of(st.just("DCP"), st.sampled_from(["DCP", "DPB", "dcp", "DFIN", "XXX", ""]), st.text(max_size=6), st.none(), st.lists(st.text(max_size=3), max_size=2)),
    },
    optional={
        "aadObjectId": st.sampled_from(["lead-aad", "julien-aad"]),
        "role": st.sampled_from(["lead", "responsable"]),
    },
)


@st.composite
def plausible_cards(draw):
    """The DCP form as Teams posts it, with what a person may leave in it (comments, spaces, spoofing)."""
    data = {"action": "indicators.submit", "card_id": str(draw(st.uuids())), "directorate": "DCP"}
    for field in draw(st.lists(st.sampled_from(DUE_FIELDS), min_size=1, max_size=3, unique=True)):
        data[f"valeur|{field}"] = draw(st.one_of(st.sampled_from(["12", "45,5 %", "0", "7,25", " 3 ", "douze"]), st.sampled_from(["150", "abc"])))
        data[f"commentaire|{field}"] = draw(st.one_of(st.just(""), st.text(max_size=30), st.sampled_from(["\x00", "\ud800", "ok"]), st.just("x" * 501)))
    data.update(draw(st.fixed_dictionaries({}, optional={"aadObjectId": st.just("lead-aad"), "role": st.just("lead")})))
    return data


@st.composite
def random_cards(draw):
    data = draw(card_data)
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(st.sampled_from(["valeur", "commentaire", "valeur"]))
        data[f"{kind}|{draw(form_fields)}"] = draw(form_values)
    data.update(draw(st.dictionaries(st.text(max_size=8), json_values, max_size=2)))
    return data


SAVED = re.compile(r"Enregistré pour la direction (\w+) \((\d+)\u00a0valeurs?\)")


@settings(max_examples=budget(40))
@given(
    who=st.one_of(st.just("contributor"), st.sampled_from(["contributor", "lead", "official", "stranger"])),
    value=st.one_of(plausible_cards(), random_cards()),
    text=st.sampled_from([None, "", " "]),
)
async def test_a_submitted_card_with_any_data_saves_all_its_values_or_none(client, connector, errors, who, value, text):
    runtime = client.server.app[RUNTIME]
    before = await value_rows(runtime)
    response = await client.post("/api/messages", json=teams_message(who, text, connector.url, value=value))
    assert response.status == 200
    said = reply_text(await response.json())
    assert TURN_ERROR_REPLY not in said
    after = await value_rows(runtime)
    saved = SAVED.search(said)
    event("saved" if saved else "nothing saved")
    if saved:
        assert len(after) - len(before) == int(saved.group(2)) >= 1
        assert who in ("lead", "contributor")
    else:
        assert after == before, said
    assert errors.take() == []


# ----- what the properties found, kept as plain examples ---------------------------------------


async def test_a_body_that_cannot_be_decompressed_is_400(client):
    response = await client.post(
        "/api/messages", data=b"\x00\x00", headers={"Content-Type": "application/json", "Content-Encoding": "gzip"}
    )
    assert response.status == 400


@pytest.mark.parametrize(
    "body",
    [
        b"[" * 100_000 + b"]" * 100_000,
        b'{"type": "message", "value": ' + b'{"a": ' * 900 + b"1" + b"}" * 900 + b"}",
    ],
)
async def test_json_nested_too_deeply_is_400(client, body):
    response = await client.post("/api/messages", data=body, headers={"Content-Type": "application/json"})
    assert response.status == 400
    assert await response.json() == {"error": "body is nested too deeply"}


@pytest.mark.parametrize("missing", ["channelId", "conversation", "from", "recipient", "serviceUrl"])
async def test_an_activity_without_its_channel_conversation_sender_recipient_or_service_url_is_400(client, connector, errors, missing):
    body = teams_message("lead", "qui suis-je", connector.url)
    body.pop(missing)
    response = await client.post("/api/messages", json=body)
    assert response.status == 400
    assert errors.take() == []


@pytest.mark.parametrize("field", ["id", "text", "replyToId", "locale"])
async def test_an_object_where_the_activity_has_a_string_is_400(client, connector, errors, field):
    """msrest would turn it into its Python repr, read as text or put in the reply's URL."""
    body = teams_message("lead", "qui suis-je", connector.url)
    body[field] = {"id": "29:lead-aad"}
    response = await client.post("/api/messages", json=body)
    assert response.status == 400
    assert errors.take() == []


@pytest.mark.parametrize(
    "entity",
    [
        {"type": "mention", "mentioned": [False], "text": ""},
        {"type": "mention", "mentioned": {"name": "Assistant SPASER"}, "text": "<at>Assistant SPASER</at>"},
        {"type": "mention", "mentioned": {"id": "28:spaser-bot"}},
        {"type": None},
    ],
)
async def test_a_malformed_mention_is_400_not_a_failed_turn(client, connector, errors, entity):
    """TurnContext.remove_recipient_mention indexes the entity unchecked (found by the shapes property)."""
    body = teams_message("lead", "<at>Assistant SPASER</at> qui suis-je", connector.url)
    body["entities"] = [entity]
    response = await client.post("/api/messages", json=body)
    assert response.status == 400
    assert errors.take() == []


async def test_nul_and_lone_surrogates_are_removed_before_anything_is_stored(client, connector, errors):
    runtime = client.server.app[RUNTIME]
    question = teams_message("contributor", "zorglub \x00 frobnicate \ud800 wibble ?", connector.url)
    response = await client.post("/api/messages", json=question)
    assert response.status == 200
    assert TURN_ERROR_REPLY not in reply_text(await response.json())
    assert [text for _, text, _ in await runtime.knowledge.open_questions()] == ["zorglub  frobnicate \ufffd wibble ?"]
    card = {"action": "indicators.submit", "card_id": "nul-card", "directorate": "DCP", "valeur|IND-01|2026-T3": "12", "commentaire|IND-01|2026-T3": "a\x00b\ud800c"}
    response = await client.post("/api/messages", json=teams_message("contributor", None, connector.url, value=card))
    assert "Enregistré pour la direction DCP" in reply_text(await response.json())
    assert [row[3] for row in await value_rows(runtime)] == ["ab\ufffdc"]
    assert errors.take() == []


async def test_a_knowledge_answer_with_suggested_topics_is_returned_in_the_body(client, connector):
    """`expectReplies` serialises the replies: the suggestions were a dict, not SuggestedActions (500)."""
    response = await client.post("/api/messages", json=teams_message("lead", "c'est quoi un SPASER ?", connector.url))
    assert response.status == 200
    replies = (await response.json())["activities"]
    assert any(reply.get("suggestedActions", {}).get("actions") for reply in replies)


@pytest.mark.parametrize("value", [{}, {"action": None}, "x", {"action": {"type": "Action.Submit"}}])
async def test_a_malformed_universal_action_is_400(client, connector, errors, value):
    """The SDK failed to serialise its own error response for these (a 500)."""
    body = teams_message("lead", None, connector.url)
    body.update(type="invoke", name="adaptiveCard/action", value=value)
    body.pop("deliveryMode")
    response = await client.post("/api/messages", json=body)
    assert response.status == 400
    assert (await response.json())["type"] == "application/vnd.microsoft.error"
    assert errors.take() == []


async def test_a_universal_action_gets_a_french_message_and_an_unknown_invoke_a_400(client, connector, errors):
    execute = teams_message("lead", None, connector.url)
    execute.update(type="invoke", name="adaptiveCard/action", value={"action": {"type": "Action.Execute", "verb": "x"}})
    unknown = teams_message("lead", None, connector.url)
    unknown.update(type="invoke", name="task/fetch", value={})
    for invoke in (execute, unknown):
        invoke.pop("deliveryMode")
    answered = await client.post("/api/messages", json=execute)
    refused = await client.post("/api/messages", json=unknown)
    assert answered.status == 200
    assert (await answered.json())["value"] == "Ce bouton n’est plus valable. Tapez « aide » pour recommencer."
    assert refused.status == 400
    assert errors.take() == []


async def test_a_meeting_number_beyond_any_id_is_not_looked_up(client, connector, errors):
    response = await client.post("/api/messages", json=teams_message("lead", "annuler le comité n° 99999999999999999999", connector.url))
    assert response.status == 200
    assert TURN_ERROR_REPLY not in reply_text(await response.json())
    assert errors.take() == []
