"""One `Settings` object, read once from the environment, configures the whole app."""

from datetime import UTC, datetime, time

import pytest

from bot.services import build_services
from bot.settings import Settings, SettingsError
from domain.clock import FakeClock
from domain.committees.cadence import CommitteeKind


def test_reminder_and_sending_variables_land_in_the_committee_settings():
    settings = Settings.from_env(
        {
            "SPASER_MEMBER_REMINDER_DAYS": "5,2",
            "SPASER_DATA_REMINDER_DAYS": "14",
            "SPASER_REMINDER_TIME": "09:00",
            "SPASER_REMINDER_WORKING_DAYS": "off",
            "SPASER_HOLIDAY_SUBDIVISION": "57",
            "SPASER_SEND_MAX_ATTEMPTS": "3",
        }
    )
    reminders = settings.committees.reminders
    assert reminders.member_offsets_days == (5, 2)
    assert reminders.data_collection_offsets_days == (14,)
    assert reminders.send_time == time(9, 0)
    assert reminders.working_days_only is False
    assert reminders.holiday_subdivision == "57"
    assert settings.committees.holiday_subdivision == "57"
    assert settings.committees.sending.max_attempts == 3


def test_by_default_reminders_keep_to_working_days():
    assert Settings.from_env({}).committees.reminders.working_days_only is True


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("SPASER_MEMBER_REMINDER_DAYS", "sept", "Délais de rappel illisibles"),
        ("SPASER_REMINDER_TIME", "midi", "Heure des rappels illisible"),
        ("SPASER_REMINDER_WORKING_DAYS", "peut-être", "on ou off"),
    ],
)
def test_an_unreadable_reminder_variable_stops_the_start_with_a_clear_message(variable, value, message):
    with pytest.raises(SettingsError, match=message):
        Settings.from_env({variable: value})


async def test_the_reminders_follow_the_app_settings(sqlite_database):
    settings = Settings.from_env({"DATABASE_URL": sqlite_database.url, "SPASER_MEMBER_REMINDER_DAYS": "3"})
    services = build_services(settings, sqlite_database, FakeClock(datetime(2026, 11, 30, tzinfo=UTC)))

    planned = await services.committees.plan(CommitteeKind.COPIL, datetime(2027, 1, 20, 13, tzinfo=UTC))

    assert {r.offset_days for r in planned.reminders if r.audience == "members"} == {3}


PRODUCTION = {"MicrosoftAppId": "app", "MicrosoftAppPassword": "pw", "SPASER_ENV": "production",
              "SPASER_DOWNLOAD_SECRET": "s" * 48}


def test_production_refuses_to_start_open_to_every_tenant():
    with pytest.raises(SettingsError, match="aucune organisation n’est autorisée"):
        Settings.from_env(PRODUCTION)


def test_a_single_tenant_app_is_allowed_its_own_tenant_only():
    settings = Settings.from_env({**PRODUCTION, "MicrosoftAppType": "SingleTenant", "MicrosoftAppTenantId": "t-ville"})
    listed = Settings.from_env({**PRODUCTION, "SPASER_ALLOWED_TENANTS": "t-ville, t-agglo"})

    assert settings.allowed_tenants == ("t-ville",)
    assert listed.allowed_tenants == ("t-ville", "t-agglo")


def _png(path, size=(80, 40)):
    from PIL import Image

    Image.new("RGB", size, (200, 30, 30)).save(path, format="PNG")
    return path


def test_the_organisation_name_and_logo_file_are_read_for_the_report(tmp_path):
    logo = _png(tmp_path / "logo.png")
    environment = {"SPASER_ORGANISATION_NAME": " Ville de  Lyon ", "SPASER_ORGANISATION_LOGO": str(logo)}
    settings = Settings.from_env(environment)
    assert settings.organisation.name == "Ville de Lyon"
    assert settings.organisation.logo == logo.read_bytes() and settings.organisation.logo_media_type == "image/png"
    assert Settings.from_env({}).organisation.name == "" and Settings.from_env({}).organisation.logo is None


@pytest.mark.parametrize(
    ("make_logo", "message"),
    [
        (lambda tmp: tmp / "absent.png", r"Le logo SPASER_ORGANISATION_LOGO \(.*absent.png\) est introuvable"),
        (lambda tmp: tmp, "est un dossier\u00a0: indiquez un fichier PNG ou JPEG"),
        (lambda tmp: (tmp / "logo.svg").write_text("<svg/>") and tmp / "logo.svg", "n’est pas une image PNG ou JPEG"),
        (lambda tmp: _png(tmp / "huge.png", (5000, 20)), "5000 × 20 pixels"),
    ],
)
def test_a_wrong_logo_stops_the_start_with_a_french_message(tmp_path, make_logo, message):
    with pytest.raises(SettingsError, match=message):
        Settings.from_env({"SPASER_ORGANISATION_LOGO": str(make_logo(tmp_path))})
