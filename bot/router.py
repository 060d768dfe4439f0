"""Maps what a person types to a command, checking their role server-side.

Commands are plain data (patterns, allowed roles, French help line, handler). Feature modules
contribute theirs; the order of registration is the order of matching, so specific commands
(live data: committees, indicators) are registered before the FAQ fallback.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from botbuilder.core import TurnContext
from botbuilder.dialogs import DialogContext

from domain.people import PersonView, Role
from domain.text import fold
from domain.understanding.understanding import Understanding

Handler = Callable[["CommandCall"], Awaitable[None]]


class GroupReply(StrEnum):
    """Where a command answers when it is typed in a group chat or a channel."""

    HERE = "here"
    """In the conversation: what it shows may be seen by every member (knowledge, help, the lead's
    actions)."""
    PRIVATELY = "privately"
    """In the person's personal chat, the group being told so: links with a token, scoped data."""
    PERSONAL_ONLY = "personal_only"
    """Refused in a group: a dialog that would show scoped data at every step."""

EVERYONE: frozenset[Role | None] = frozenset({None, *Role})
REGISTERED: frozenset[Role | None] = frozenset(Role)
LEAD_ONLY: frozenset[Role | None] = frozenset({Role.LEAD})


@dataclass(frozen=True)
class CommandCall:
    """Everything a command handler needs for one turn."""

    turn_context: TurnContext
    dialog_context: DialogContext
    person: PersonView | None
    text: str
    match: re.Match | None
    understanding: Understanding | None = None
    """How the understanding layer read the text, when no command's own phrasing matched it."""


@dataclass(frozen=True)
class Command:
    name: str
    patterns: tuple[str, ...]
    run: Handler
    roles: frozenset[Role | None] = EVERYONE
    help_line: str = ""
    help_line_for: Callable[[PersonView | None], str] | None = field(default=None, compare=False)
    """The help line when it depends on the person (what « qui suis-je » tells someone without a directorate)."""
    lead_help: str = ""
    """Said after `help_line` in the help shown to a lead only."""
    example: str = ""
    topic: str = "Général"
    in_groups: GroupReply = GroupReply.PRIVATELY
    intent: str = ""
    """The intent (domain/understanding/intents.py) this command answers, if it answers one."""
    suggested_first_to: frozenset[Role | None] = frozenset()
    """Roles for whom this command is the main task: its example leads their welcome and help."""
    recognize: Callable[[str], re.Match | None] | None = field(default=None, compare=False)
    """Recognises the command where a shared rule of domain/ does, before its patterns."""
    compiled: tuple[re.Pattern, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "compiled", tuple(re.compile(p) for p in self.patterns))

    def matches(self, folded_text: str) -> re.Match | None:
        if self.recognize is not None and (found := self.recognize(folded_text)):
            return found
        for pattern in self.compiled:
            found = pattern.search(folded_text)
            if found:
                return found
        return None

    def allowed(self, person: PersonView | None) -> bool:
        return (person.role if person else None) in self.roles

    def help_for(self, person: PersonView | None) -> str:
        line = self.help_line_for(person) if self.help_line_for else self.help_line
        return f"{line} {self.lead_help}" if self.lead_help and person is not None and person.is_lead else line


class Router:
    def __init__(self, commands: Iterable[Command] = (), fallback: Handler | None = None) -> None:
        self._commands: list[Command] = list(commands)
        self.fallback = fallback

    def add(self, *commands: Command) -> None:
        self._commands.extend(commands)

    @property
    def commands(self) -> tuple[Command, ...]:
        return tuple(self._commands)

    def find(self, text: str) -> tuple[Command, re.Match] | None:
        folded = fold(text)
        for command in self._commands:
            found = command.matches(folded)
            if found:
                return command, found
        return None

    def available_to(self, person: PersonView | None) -> list[Command]:
        return [c for c in self._commands if c.help_line and c.allowed(person)]

    def suggested_for(self, person: PersonView | None, limit: int = 4) -> list[Command]:
        """Examples to offer first: the commands most specific to the person's role lead."""
        role = person.role if person else None
        with_examples = [c for c in self.available_to(person) if c.example]
        return sorted(with_examples, key=lambda c: (role not in c.suggested_first_to, len(c.roles)))[:limit]
