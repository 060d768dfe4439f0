"""Expiring signed links for downloads (chart, exports): who may fetch what, until when.

A token is a JWT signed with HMAC-SHA256 (PyJWT, already a dependency) carrying the resource id,
the person id and the expiry; nothing is stored server-side. Time comes from the injected
`Clock`, not from PyJWT's own `time.time()`, so tests move it with `FakeClock`.

The HTTP layer maps the errors: a forged, malformed or misused token → 404 (a guessed URL learns
nothing, as for calendar links); an expired one → 403 with a French message asking for a new
link. It must still check, at download time, that the person may see the resource (their role
or directorate may have changed since the link was issued).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import jwt

from domain.clock import Clock
from domain.errors import DomainError

DEFAULT_LIFETIME = timedelta(hours=1)
MAX_LIFETIME = timedelta(days=7)
MIN_SECRET_LENGTH = 32
MAX_RESOURCE_LENGTH = 120
_ALGORITHM = "HS256"
_AUDIENCE = "spaser-download"


class DownloadTokenError(DomainError):
    """A download link that cannot be honoured; `http_status` is what the endpoint answers."""

    http_status = 404


class InvalidDownloadToken(DownloadTokenError):
    http_status = 404

    def __init__(self) -> None:
        super().__init__("Ce lien de téléchargement n’existe pas.")


class ExpiredDownloadToken(DownloadTokenError):
    http_status = 403

    def __init__(self) -> None:
        super().__init__("Ce lien de téléchargement a expiré : redemandez l’export à l’assistant SPASER dans Teams.")


@dataclass(frozen=True)
class DownloadGrant:
    resource_id: str
    person_id: int
    expires_at: datetime


class DownloadTokens:
    """Issues and checks download tokens with one secret and one clock."""

    def __init__(self, secret: str | bytes, clock: Clock, lifetime: timedelta = DEFAULT_LIFETIME) -> None:
        if len(secret) < MIN_SECRET_LENGTH:
            raise DomainError(
                f"Le secret des liens de téléchargement doit compter au moins {MIN_SECRET_LENGTH} caractères."
            )
        self._secret = secret
        self._clock = clock
        self._lifetime = _checked_lifetime(lifetime)

    def issue(self, resource_id: str, person_id: int, lifetime: timedelta | None = None) -> str:
        """A token for `person_id` to fetch `resource_id` until now + lifetime (to the second)."""
        if not resource_id or len(resource_id) > MAX_RESOURCE_LENGTH:
            raise DomainError(f"Identifiant de document invalide (1 à {MAX_RESOURCE_LENGTH} caractères).")
        expires_at = self._clock.now() + _checked_lifetime(lifetime or self._lifetime)
        claims = {
            "aud": _AUDIENCE,
            "rid": resource_id,
            "sub": str(int(person_id)),
            "exp": int(expires_at.timestamp()),
        }
        return jwt.encode(claims, self._secret, algorithm=_ALGORITHM)

    def verify(self, token: str, resource_id: str | None = None) -> DownloadGrant:
        """The grant a genuine, unexpired token carries; `resource_id` pins the expected resource."""
        try:
            claims = jwt.decode(
                token,
                self._secret,
                algorithms=[_ALGORITHM],
                audience=_AUDIENCE,
                options={"verify_exp": False, "require": ["aud", "rid", "sub", "exp"]},
            )
            person_id = int(claims["sub"])
            expires_at = datetime.fromtimestamp(int(claims["exp"]), UTC)
            granted = str(claims["rid"])
        except (jwt.PyJWTError, ValueError, TypeError, OverflowError):
            raise InvalidDownloadToken() from None
        if resource_id is not None and granted != resource_id:
            raise InvalidDownloadToken()
        if self._clock.now() >= expires_at:
            raise ExpiredDownloadToken()
        return DownloadGrant(resource_id=granted, person_id=person_id, expires_at=expires_at)


def _checked_lifetime(lifetime: timedelta) -> timedelta:
    if not timedelta(0) < lifetime <= MAX_LIFETIME:
        raise DomainError("La durée de validité d’un lien de téléchargement doit être comprise entre 1 seconde et 7 jours.")
    return lifetime
