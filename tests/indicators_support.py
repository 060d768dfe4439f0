"""Shared set-up of the indicator tests: the example catalogue, people with their Teams identities."""

from __future__ import annotations

from sqlalchemy import func, select

from domain.people import Role
from storage.indicators.tables import Indicator, IndicatorValue
from tests.paths import DATA

EXAMPLE = DATA / "catalogue_exemple.csv"
EXAMPLE_DIRECTORATES = ("DCP", "DPB", "DFIN", "DEE", "DRM", "DEJ", "DRH", "DSI")
PEOPLE = {
    "nadia-aad": ("nadia@ville.fr", "Nadia Benali", Role.CONTRIBUTOR, "DCP"),
    "julien-aad": ("julien@ville.fr", "Julien Petit", Role.CONTRIBUTOR, "DPB"),
    "maire-aad": ("maire@ville.fr", "Hélène Dubois", Role.OFFICIAL, None),
}


async def seed(runtime, tenant_id: str = "local-tenant") -> None:
    """Directorates of the example CSV, its catalogue, and three people known by Teams identity."""
    for code in EXAMPLE_DIRECTORATES:
        await runtime.directorates.add(code, f"Direction {code}")
    await runtime.catalogue.import_catalogue(EXAMPLE.read_bytes())
    for aad, (email, name, role, directorate) in PEOPLE.items():
        await runtime.people.assign(email, role, directorate, name=name)

        async def lookup(email=email) -> str:
            return email

        await runtime.people.identify(tenant_id, aad, name=name, email_lookup=lookup)


async def value_rows(runtime) -> list[tuple]:
    """Every stored value, to assert that a refused input wrote nothing."""
    async with runtime.database.session() as session:
        rows = await session.execute(
            select(Indicator.code, IndicatorValue.period, IndicatorValue.value, IndicatorValue.comment, IndicatorValue.current_key)
            .join(Indicator, Indicator.id == IndicatorValue.indicator_id)
            .order_by(IndicatorValue.id)
        )
        return [tuple(row) for row in rows]


async def indicator_count(runtime) -> int:
    async with runtime.database.session() as session:
        return (await session.execute(select(func.count()).select_from(Indicator))).scalar_one()


def card_of(activities) -> dict:
    """The Adaptive Card content of the last reply that carries one."""
    for activity in reversed(activities):
        for attachment in activity.attachments or []:
            if attachment.content_type == "application/vnd.microsoft.card.adaptive":
                return attachment.content
    raise AssertionError("no Adaptive Card in the replies")


def card_inputs(card: dict) -> dict[str, dict]:
    """Input elements of a card by id, wherever they are nested."""
    found: dict[str, dict] = {}

    def walk(elements):
        for element in elements:
            if element.get("type", "").startswith("Input."):
                found[element["id"]] = element
            walk(element.get("items", []))

    walk(card.get("body", []))
    return found


def card_texts(card: dict) -> list[str]:
    texts: list[str] = []

    def walk(elements):
        for element in elements:
            if element.get("type") == "TextBlock":
                texts.append(element.get("text", ""))
            walk(element.get("items", []))

    walk(card.get("body", []))
    return texts


def submit_data(card: dict, **values: str) -> dict:
    """What Teams posts when the card's button is pressed: its data plus every input's value."""
    data = dict(card["actions"][0]["data"])
    for input_id in card_inputs(card):
        data[input_id] = values.get(input_id, "")
    return data
