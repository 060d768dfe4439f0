"""Settings read from the environment (and an optional `.env`), built once per app.

Nothing here is a module-level singleton: `Settings.from_env()` is called by the CLI and tests
build `Settings(...)` directly, so every test can have its own database and credentials.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dotenv import dotenv_values

from domain.clock import SchedulingError
from domain.committees.settings import CommitteeSettings
from domain.indicators.catalogue_cells import french_int
from domain.summary.organisation import MAX_LOGO_BYTES, InvalidOrganisation, Organisation, organisation_from
from domain.tenant import GraphSettings

MIN_DOWNLOAD_SECRET_LENGTH = 32


class SettingsError(ValueError):
    """A configuration value that prevents the bot from starting safely."""


def _split_list(raw: str | None) -> tuple[str, ...]:
    if not raw:
        return ()
    return tuple(item.strip() for item in raw.split(",") if item.strip())


@dataclass(frozen=True)
class Settings:
    port: int = 3978
    host: str = "0.0.0.0"
    database_url: str = field(default_factory=lambda: f"sqlite+aiosqlite:///{Path.cwd() / 'spaser.db'}")
    app_id: str = ""
    app_password: str = ""
    app_type: str = "MultiTenant"
    app_tenant_id: str = ""
    timezone: str = "Europe/Paris"
    admins: tuple[str, ...] = ()
    allowed_tenants: tuple[str, ...] = ()
    environment: str = "development"
    public_url: str = "http://localhost:3978"
    max_body_bytes: int = 256 * 1024
    scheduler_enabled: bool = True
    download_secret: str = field(default="", repr=False)
    """Signs the expiring download links (summary chart and exports); empty: an ephemeral one."""
    committees: CommitteeSettings = field(default_factory=CommitteeSettings)
    """Reminder offsets, year-plan holidays, proactive sending limits."""
    sirets: tuple[str, ...] = ()
    """The body's SIRETs: only its own contracts are kept from a DECP file (empty: the last import's)."""
    graph: GraphSettings = field(default_factory=GraphSettings)
    """Microsoft Graph: names from the directory, proactive installation, Outlook invitations (all off by default)."""
    organisation: Organisation = field(default_factory=Organisation, repr=False)
    """Name and logo printed on the COPIL report (`SPASER_ORGANISATION_NAME`, `SPASER_ORGANISATION_LOGO`)."""
    dpo_contact: str = ""
    """Its data-protection officer (an e-mail or a postal address), named on the privacy page."""
    public_contact: str = ""
    """Where residents ask for the adopted SPASER until it is on the public page (an e-mail or a postal
    address, `SPASER_PUBLIC_CONTACT`); empty: the page leaves the adopted SPASER out until it is imported."""
    log_format: str = "text"
    """`json`: one JSON object per log line (production), with one line per turn."""
    metrics_token: str = field(default="", repr=False)
    """Bearer token of `GET /metrics`; empty: the route does not exist."""
    cache_dir: Path | None = None
    """Where the French recognizers' compiled expressions are kept between starts
    (`SPASER_CACHE_DIR`, default `~/.cache/spaser-bot`; `off` or None: rebuilt at every start)."""

    @property
    def local_mode(self) -> bool:
        """No app id: the adapter accepts unauthenticated requests (laptop, Agents Playground)."""
        return not self.app_id

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def validate(self) -> "Settings":
        if self.environment == "production" and self.local_mode:
            raise SettingsError(
                "SPASER_ENV=production but MicrosoftAppId is empty: refusing to start without "
                "authentication."
            )
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise SettingsError(f"SPASER_TIMEZONE={self.timezone!r} is not a known time zone") from error
        if not 0 < self.port < 65536:
            raise SettingsError(f"PORT={self.port} is not a valid TCP port")
        if self.environment == "production" and not self.download_secret:
            raise SettingsError(
                "SPASER_ENV=production but SPASER_DOWNLOAD_SECRET is empty: refusing to start without a stable "
                "secret for download links (generate one with: python -c 'import secrets; print(secrets.token_urlsafe(48))')."
            )
        if self.environment == "production" and not self.allowed_tenants:
            raise SettingsError(
                "SPASER_ENV=production mais aucune organisation n’est autorisée : renseignez SPASER_ALLOWED_TENANTS "
                "(l’identifiant de votre tenant Microsoft 365), ou MicrosoftAppTenantId pour une application "
                "mono-tenant. Sans cela, n’importe quelle organisation pourrait parler à l’assistant."
            )
        for siret in self.sirets:
            if not (len(siret) == 14 and siret.isdigit()):
                raise SettingsError(f"SPASER_SIRETS : « {siret} » n’est pas un SIRET (14 chiffres).")
        if self.log_format not in {"text", "json"}:
            raise SettingsError(f"SPASER_LOG_FORMAT={self.log_format!r}: expected text or json")
        if self.metrics_token and len(self.metrics_token) < MIN_DOWNLOAD_SECRET_LENGTH:
            raise SettingsError(f"SPASER_METRICS_TOKEN is too short ({MIN_DOWNLOAD_SECRET_LENGTH} characters at least).")
        if self.download_secret and len(self.download_secret) < MIN_DOWNLOAD_SECRET_LENGTH:
            raise SettingsError(
                f"SPASER_DOWNLOAD_SECRET is too short ({len(self.download_secret)} characters, "
                f"{MIN_DOWNLOAD_SECRET_LENGTH} at least)."
            )
        return self

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, dotenv_path: str | Path = ".env") -> "Settings":
        """Read the process environment; a `.env` file fills only the variables not already set."""
        values = read_environment(environ, dotenv_path)
        defaults = cls()
        try:
            port = int(values.get("PORT", defaults.port))
        except ValueError as error:
            raise SettingsError(f"PORT={values.get('PORT')!r} is not a number") from error
        try:
            committees = CommitteeSettings.from_values(values)
            graph = GraphSettings.from_values(values)
        except SchedulingError as error:
            raise SettingsError(str(error)) from error
        organisation = read_organisation(values.get("SPASER_ORGANISATION_NAME"), values.get("SPASER_ORGANISATION_LOGO"))
        return cls(
            port=port,
            host=values.get("HOST", defaults.host),
            database_url=normalise_database_url(values.get("DATABASE_URL") or defaults.database_url),
            app_id=values.get("MicrosoftAppId", ""),
            app_password=values.get("MicrosoftAppPassword", ""),
            app_type=values.get("MicrosoftAppType", "") or defaults.app_type,
            app_tenant_id=values.get("MicrosoftAppTenantId", ""),
            timezone=values.get("SPASER_TIMEZONE", "") or defaults.timezone,
            admins=tuple(a.lower() for a in _split_list(values.get("SPASER_ADMINS"))),
            allowed_tenants=_split_list(values.get("SPASER_ALLOWED_TENANTS")) or _single_tenant(values),
            environment=(values.get("SPASER_ENV", "") or defaults.environment).lower(),
            public_url=(values.get("SPASER_PUBLIC_URL", "") or f"http://localhost:{port}").rstrip("/"),
            scheduler_enabled=values.get("SPASER_SCHEDULER", "on").lower() not in {"off", "0", "false"},
            download_secret=values.get("SPASER_DOWNLOAD_SECRET", "").strip(),
            committees=committees,
            sirets=tuple("".join(s.split()) for s in _split_list(values.get("SPASER_SIRETS"))),
            graph=graph,
            organisation=organisation,
            dpo_contact=values.get("SPASER_DPO_CONTACT", "").strip(),
            public_contact=" ".join(values.get("SPASER_PUBLIC_CONTACT", "").split()),
            log_format=(values.get("SPASER_LOG_FORMAT", "") or "text").strip().lower(),
            metrics_token=values.get("SPASER_METRICS_TOKEN", "").strip(),
            cache_dir=cache_dir_from(values),
        ).validate()


def cache_dir_from(values: dict[str, str]) -> Path | None:
    """`SPASER_CACHE_DIR`, else `$XDG_CACHE_HOME/spaser-bot` or `~/.cache/spaser-bot`; `off`: none."""
    chosen = values.get("SPASER_CACHE_DIR", "").strip()
    if chosen.lower() in {"off", "0", "false", "none"}:
        return None
    if chosen:
        return Path(chosen).expanduser()
    base = values.get("XDG_CACHE_HOME", "").strip()
    return (Path(base) if base else Path.home() / ".cache") / "spaser-bot"


def _single_tenant(values: dict[str, str]) -> tuple[str, ...]:
    """A single-tenant app talks to its own tenant only, unless an allow-list says otherwise."""
    tenant = values.get("MicrosoftAppTenantId", "").strip()
    return (tenant,) if tenant and values.get("MicrosoftAppType", "").lower() == "singletenant" else ()


def read_organisation(name: str | None, logo_path: str | None) -> Organisation:
    """The organisation's name and logo file, checked; a French `SettingsError` says what is wrong."""
    logo = None
    if logo_path and logo_path.strip():
        path = Path(logo_path.strip()).expanduser()
        source = f"SPASER_ORGANISATION_LOGO ({path})"
        try:
            size = path.stat().st_size
            if size > MAX_LOGO_BYTES:
                raise SettingsError(
                    f"Le logo {source} pèse {french_int(size // 1000)} ko : réduisez-le à "
                    f"{french_int(MAX_LOGO_BYTES // 1000)} ko au plus."
                )
            logo = path.read_bytes()
        except FileNotFoundError:
            raise SettingsError(f"Le logo {source} est introuvable : vérifiez le chemin du fichier.") from None
        except IsADirectoryError:
            raise SettingsError(f"Le logo {source} est un dossier : indiquez un fichier PNG ou JPEG.") from None
        except OSError as error:
            raise SettingsError(f"Le logo {source} ne peut pas être lu ({error.strerror or error}).") from None
    else:
        source = "SPASER_ORGANISATION_LOGO"
    try:
        return organisation_from(name, logo, logo_source=source)
    except InvalidOrganisation as error:
        raise SettingsError(error.message) from None


def read_environment(environ: dict[str, str] | None = None, dotenv_path: str | Path = ".env") -> dict[str, str]:
    """`environ` as given (tests), or the process environment over an optional `.env` file."""
    if environ is not None:
        return dict(environ)
    values = {k: v for k, v in dotenv_values(dotenv_path).items() if v is not None}
    values.update(os.environ)
    return values


def normalise_database_url(url: str) -> str:
    """Accept the usual sync URLs (`postgresql://`, `sqlite:///`) and use the async drivers."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        return "postgresql+asyncpg://" + url[len("postgresql://"):]
    if url.startswith("sqlite:///"):
        return "sqlite+aiosqlite:///" + url[len("sqlite:///"):]
    return url
