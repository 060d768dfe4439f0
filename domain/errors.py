"""Errors whose message is written for the person talking to the bot (in French)."""


class DomainError(Exception):
    """A refused request; `str(error)` is a French sentence shown as is to the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def quoted_input(text: object, limit: int = 40) -> str:
    """What someone typed, on one line and at most `limit` characters, to quote it in an error."""
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
