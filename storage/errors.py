"""Errors whose message is written for the person talking to the bot (in French)."""


class DomainError(Exception):
    """A refused request; `str(error)` is a French sentence shown as is to the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
