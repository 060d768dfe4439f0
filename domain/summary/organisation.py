"""The organisation whose SPASER it is: its name and logo, printed on the COPIL report and named
on the summary card. Configured once (`SPASER_ORGANISATION_NAME`, `SPASER_ORGANISATION_LOGO`);
the logo's bytes are checked here, so a wrong file stops the start with a French sentence rather
than a broken report in front of the élu·es.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image, UnidentifiedImageError

from domain.errors import DomainError
from domain.indicators.catalogue_cells import french_int

MAX_NAME_LENGTH = 120
MAX_LOGO_BYTES = 1_000_000
MAX_LOGO_PIXELS = 4096
_LOGO_FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg"}


class InvalidOrganisation(DomainError):
    """A name or logo the report cannot use; the message says what to change, in French."""


@dataclass(frozen=True)
class Organisation:
    name: str = ""
    logo: bytes | None = None
    """A PNG or JPEG image, checked by `organisation_from`."""

    @property
    def logo_media_type(self) -> str | None:
        if self.logo is None:
            return None
        return "image/png" if self.logo.startswith(b"\x89PNG") else "image/jpeg"


def organisation_from(name: str | None, logo: bytes | None = None, *, logo_source: str = "le logo") -> Organisation:
    """A checked `Organisation`; `logo_source` names the file in the messages."""
    clean_name = " ".join((name or "").split())
    if len(clean_name) > MAX_NAME_LENGTH:
        raise InvalidOrganisation(
            f"Le nom de l’organisation (SPASER_ORGANISATION_NAME) est trop long ({len(clean_name)} caractères, "
            f"{MAX_NAME_LENGTH} au plus)."
        )
    if logo is None:
        return Organisation(clean_name)
    if len(logo) > MAX_LOGO_BYTES:
        raise InvalidOrganisation(
            f"Le logo {logo_source} pèse {french_int(len(logo) // 1000)} ko : réduisez-le à "
            f"{french_int(MAX_LOGO_BYTES // 1000)} ko au plus."
        )
    try:
        with Image.open(io.BytesIO(logo)) as image:
            image_format, (width, height) = image.format, image.size
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        image_format, width, height = None, 0, 0
    if image_format not in _LOGO_FORMATS:
        raise InvalidOrganisation(f"Le logo {logo_source} n’est pas une image PNG ou JPEG lisible.")
    if max(width, height) > MAX_LOGO_PIXELS:
        raise InvalidOrganisation(
            f"Le logo {logo_source} mesure {width} × {height} pixels : {MAX_LOGO_PIXELS} pixels au plus de côté."
        )
    return Organisation(clean_name, logo)
