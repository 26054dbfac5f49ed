"""Settings: defaults, accepted forms, and malformed values that must fail at start."""

from __future__ import annotations

import pytest

from bot.config import DEFAULT_API_URL, SettingsError, load_settings


def test_defaults_need_no_token_and_use_embedded_sqlite() -> None:
    settings = load_settings({})
    assert settings.telegram_bot_token == ""
    assert settings.telegram_api_url == DEFAULT_API_URL
    assert settings.database_url.startswith("sqlite+aiosqlite:///")
    assert "/data/" not in settings.database_url
    assert settings.home_country == "HN"
    assert settings.geocoder == "none"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("sqlite:///tmp/x.db", "sqlite+aiosqlite:///tmp/x.db"),
        ("postgresql://u@h:5432/db", "postgresql+asyncpg://u@h:5432/db"),
        ("postgres://u@h/db", "postgresql+asyncpg://u@h/db"),
        ("postgresql+asyncpg://u@h/db", "postgresql+asyncpg://u@h/db"),
    ],
)
def test_database_url_forms_get_the_async_driver(given: str, expected: str) -> None:
    assert load_settings({"DATABASE_URL": given}).database_url == expected


def test_api_url_accepts_a_local_bot_api_server() -> None:
    settings = load_settings({"TELEGRAM_API_URL": "http://127.0.0.1:8081/bot"})
    assert settings.telegram_api_url == "http://127.0.0.1:8081/bot"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DATABASE_URL", "mysql://root@localhost/db"),
        ("TELEGRAM_API_URL", "ftp://example.org/bot"),
        ("TELEGRAM_API_URL", "http://127.0.0.1:8081/"),
        ("HOME_COUNTRY", "MX"),
        ("GEOCODER", "google"),
        ("LOG_LEVEL", "LOUD"),
        ("ADMIN_USER_IDS", "12,abc"),
        ("MEMORY_MINUTES", "-5"),
        ("INTAKE_LEASE_SECONDS", "0"),
        ("INTAKE_LEASE_SECONDS", "soon"),
        ("TELEGRAM_BOT_TOKEN", "not a token"),
    ],
)
def test_malformed_setting_fails_naming_it(name: str, value: str) -> None:
    with pytest.raises(SettingsError, match=name):
        load_settings({name: value})


def test_token_is_not_in_the_settings_repr() -> None:
    settings = load_settings({"TELEGRAM_BOT_TOKEN": "123:SECRET"})
    assert "SECRET" not in repr(settings)


def test_case_is_forgiven_for_choices() -> None:
    settings = load_settings({"HOME_COUNTRY": "sv", "GEOCODER": "Nominatim", "LOG_LEVEL": "debug"})
    assert (settings.home_country, settings.geocoder, settings.log_level) == (
        "SV",
        "nominatim",
        "DEBUG",
    )


def test_the_token_never_reaches_a_log_line_or_a_traceback(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import logging
    import sys

    from bot.config import configure_logging

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # restored after the test

    settings = load_settings(
        {"TELEGRAM_BOT_TOKEN": "123456:VERY-SECRET-PART", "LOG_LEVEL": "DEBUG"}
    )
    configure_logging(settings)
    log = logging.getLogger("httpx")
    log.warning("HTTP Request: POST https://api.telegram.org/bot123456:VERY-SECRET-PART/getMe")
    try:
        raise RuntimeError("The token `123456:VERY-SECRET-PART` was rejected by the server.")
    except RuntimeError:
        logging.getLogger("telegram.ext").exception("start-up failed")
    err = capsys.readouterr().err
    assert "VERY-SECRET-PART" not in err
    assert err.count("<redacted>") >= 3
    logging.getLogger().handlers.clear()
