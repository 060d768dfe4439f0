"""A realistic demo organisation, so a newcomer can try every role without setting anything up."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot.runtime import BotRuntime
from domain.people import Role
from domain.text import fold

DEMO_DOMAIN = "demo-spaser.fr"
DEMO_ORGANISATION = "Ville de Démoville"
"""The demo's name on the public page; the one configured (`SPASER_ORGANISATION_NAME`, on the report
and the cards) wins, so that the organisation has one name everywhere."""
DEMO_DIRECTORATES = (
    ("DCP", "Direction de la commande publique"),
    ("DPB", "Direction du patrimoine bâti"),
    ("DRC", "Direction de la restauration collective"),
    ("DSI", "Direction des systèmes d’information"),
    ("DMOB", "Direction des mobilités et de la flotte"),
    ("DRH", "Direction des ressources humaines"),
    ("DEE", "Direction de l’environnement et de l’énergie"),
)


@dataclass(frozen=True)
class DemoPerson:
    name: str
    role: Role
    directorate: str | None = None

    @property
    def email(self) -> str:
        first, last = fold(self.name).split(" ", 1)
        return f"{first}.{last.replace(' ', '-')}@{DEMO_DOMAIN}"

    @property
    def aad_object_id(self) -> str:
        """A stable fake Azure AD id, so that `chat --as` acts as this person."""
        return "demo-" + self.email.split("@")[0]


DEMO_PEOPLE = (
    DemoPerson("Camille Martin", Role.LEAD, "DCP"),
    DemoPerson("Nadia Benali", Role.CONTRIBUTOR, "DCP"),
    DemoPerson("Julien Petit", Role.CONTRIBUTOR, "DPB"),
    DemoPerson("Sophie Laurent", Role.CONTRIBUTOR, "DRC"),
    DemoPerson("Thomas Moreau", Role.CONTRIBUTOR, "DSI"),
    DemoPerson("Léa Fontaine", Role.CONTRIBUTOR, "DMOB"),
    DemoPerson("Karim Haddad", Role.CONTRIBUTOR, "DRH"),
    DemoPerson("Élise Garnier", Role.CONTRIBUTOR, "DEE"),
    DemoPerson("Hélène Dubois", Role.OFFICIAL),
    DemoPerson("Marc Lefèvre", Role.OFFICIAL),
)


async def load_demo(runtime: BotRuntime, tenant_id: str, folder: Path | None = None) -> dict[str, int]:
    """Idempotent: running it twice leaves one copy of everything. The demo's DECP file is written
    to `folder` (the current one by default), then imported as the demo lead."""
    existing = {d.code for d in await runtime.directorates.list()}
    created = 0
    for code, name in DEMO_DIRECTORATES:
        if code not in existing:
            await runtime.directorates.add(code, name)
            created += 1
    for person in DEMO_PEOPLE:
        await runtime.people.assign(person.email, person.role, person.directorate, name=person.name)
        await runtime.people.identify(
            tenant_id, person.aad_object_id, name=person.name, email_lookup=_constant(person.email)
        )
    counts = {"directorates": len(DEMO_DIRECTORATES), "new_directorates": created, "people": len(DEMO_PEOPLE)}
    counts.update(await _load_indicators(runtime))
    counts.update(await _load_decp(runtime, folder or Path.cwd()))
    await runtime.public_page.name_organisation(runtime.settings.organisation.name or DEMO_ORGANISATION)
    return counts


async def _load_indicators(runtime: BotRuntime) -> dict[str, int]:
    """The demo catalogue, each value entered by its directorate's contributor."""
    from bot.demo_indicators import load_demo_indicators

    ids = {person.email: person.id for person in await runtime.people.list()}
    contributors = {p.directorate: ids[p.email] for p in DEMO_PEOPLE if p.role is Role.CONTRIBUTOR}
    lead_id = ids[next(p.email for p in DEMO_PEOPLE if p.role is Role.LEAD)]
    return await load_demo_indicators(runtime.catalogue, runtime.values, contributors, lead_id)


async def _load_decp(runtime: BotRuntime, folder: Path) -> dict[str, int]:
    """The demo's contracts (bot/demo_decp.py) imported as the demo lead: the computed indicators' values."""
    from bot.demo_decp import DEMO_SIRET, write_demo_decp

    lead_email = next(p.email for p in DEMO_PEOPLE if p.role is Role.LEAD)
    lead = next(p for p in await runtime.people.list() if p.email == lead_email)
    path = write_demo_decp(folder, runtime.decp.today())
    report = await runtime.decp.import_file(path, path.name, lead, [DEMO_SIRET])
    return {"decp_contracts": report.kept, "decp_values": len([c for c in report.changes if c.figure.value is not None])}


def _constant(value: str):
    async def lookup() -> str:
        return value

    return lookup
