"""Shared by the tests of what French readers circled in the chat with the demo organisation."""

from __future__ import annotations

from bot.demo import DEMO_PEOPLE
from domain.people import Role


def demo_person(role: Role):
    """The demo's first person with this role; a contributor of the direction DCP."""
    return next(p for p in DEMO_PEOPLE if p.role is role and (role is not Role.CONTRIBUTOR or p.directorate == "DCP"))


def plain(text: str) -> str:
    """The text with no-break spaces as spaces and runs of white space as one."""
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())
