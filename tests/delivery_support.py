"""A delivery row as the lead's reports read it (outbox text, recipient, error, state), for tests of
the notices without a database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from domain.outbox import About


@dataclass
class Row:
    id: int
    text: str
    recipient_label: str
    last_error: str | None
    state: str
    installed_at: datetime | None = None
    about: About | None = None
