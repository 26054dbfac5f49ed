"""Settings, read once from the environment (and `.env`) at start-up."""

from __future__ import annotations

import logging
import os
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypedDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / "data"
DEFAULT_DB_PATH = PROJECT_ROOT / "var" / "ruta_mipyme.sqlite3"
DEFAULT_API_URL = "https://api.telegram.org/bot"
COUNTRIES = ("HN", "SV", "GT", "NI", "CR", "PA", "BZ", "DO")
GEOCODERS = ("none", "nominatim")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


class SettingsError(ValueError):
    """A setting is missing or malformed; the message names it."""


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything configurable, validated."""

    database_url: str
    telegram_bot_token: str = field(default="", repr=False)
    telegram_api_url: str = DEFAULT_API_URL
    home_country: str = "HN"
    geocoder: str = "none"
    geocoder_user_agent: str = "ruta-mipyme-bot"
    admin_user_ids: frozenset[int] = frozenset()
    log_level: str = "INFO"
    memory_minutes: int = 60
    webhook_url: str = ""  # empty: long polling
    webhook_secret: str = field(default="", repr=False)
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = 8080
    set_webhook: bool = True  # whether this worker registers the webhook at start
    intake_lease_seconds: int = 30  # a dead worker's pending updates are taken over after this
    # warm handoff (bot.requests): reminders, feedback, retention of personal data, open limit
    request_remind_hours: int = 24
    feedback_days: int = 3
    request_retention_days: int = 180
    max_open_requests: int = 3

    @property
    def webhook_path(self) -> str:
        from urllib.parse import urlsplit

        return urlsplit(self.webhook_url).path or "/"


def normalize_database_url(url: str) -> str:
    """Give the usual URL forms their async driver (aiosqlite, asyncpg)."""
    url = url.strip()
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        return "postgresql+asyncpg://" + url[len("postgresql://") :]
    if url.startswith("sqlite://"):
        return "sqlite+aiosqlite://" + url[len("sqlite://") :]
    if url.startswith(("postgresql+asyncpg://", "sqlite+aiosqlite://")):
        return url
    raise SettingsError(
        "DATABASE_URL must start with sqlite:///, postgresql:// or postgres:// "
        f"(got {url.partition('://')[0]!r}://…)"
    )


def _choice(environ: Mapping[str, str], name: str, default: str, allowed: tuple[str, ...]) -> str:
    value = (environ.get(name) or default).strip()
    normalized = value.upper() if name in ("HOME_COUNTRY", "LOG_LEVEL") else value.lower()
    if normalized not in allowed:
        raise SettingsError(f"{name} must be one of {', '.join(allowed)} (got {value!r})")
    return normalized


def _admin_ids(raw: str) -> frozenset[int]:
    ids = set()
    for part in raw.replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        if not part.lstrip("-").isdigit():
            raise SettingsError(
                f"ADMIN_USER_IDS must be Telegram user ids separated by commas (got {part!r})"
            )
        ids.add(int(part))
    return frozenset(ids)


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Read and validate the settings; raise SettingsError naming the bad variable."""
    env = os.environ if environ is None else environ
    api_url = (env.get("TELEGRAM_API_URL") or DEFAULT_API_URL).strip()
    if not api_url.startswith(("http://", "https://")) or not api_url.rstrip("/").endswith("/bot"):
        raise SettingsError(
            "TELEGRAM_API_URL must be an http(s) URL ending in /bot, "
            f"e.g. http://127.0.0.1:8081/bot (got {api_url!r})"
        )
    db_url = env.get("DATABASE_URL") or f"sqlite:///{DEFAULT_DB_PATH}"
    token = (env.get("TELEGRAM_BOT_TOKEN") or "").strip()
    if token and (":" not in token or any(ch.isspace() for ch in token)):
        raise SettingsError(
            "TELEGRAM_BOT_TOKEN does not look like a bot token (expected 123456:ABC…)"
        )
    memory_raw = (env.get("MEMORY_MINUTES") or "60").strip()
    if not memory_raw.isdigit() or not 1 <= int(memory_raw) <= 525_600:
        raise SettingsError(
            f"MEMORY_MINUTES must be a whole number of minutes, 1 to 525600 (got {memory_raw!r})"
        )
    user_agent = (env.get("GEOCODER_USER_AGENT") or "ruta-mipyme-bot").strip()
    lease_raw = (env.get("INTAKE_LEASE_SECONDS") or "30").strip()
    if not lease_raw.isdigit() or not 1 <= int(lease_raw) <= 3600:
        raise SettingsError(
            "INTAKE_LEASE_SECONDS must be a whole number of seconds, 1 to 3600 "
            f"(got {lease_raw!r})"
        )
    webhook = _webhook(env)
    handoff = {
        name.lower(): _whole(env, name, default, top)
        for name, default, top in (
            ("REQUEST_REMIND_HOURS", 24, 720),
            ("FEEDBACK_DAYS", 3, 90),
            ("REQUEST_RETENTION_DAYS", 180, 3650),
            ("MAX_OPEN_REQUESTS", 3, 20),
        )
    }
    return Settings(
        database_url=normalize_database_url(db_url),
        telegram_bot_token=token,
        telegram_api_url=api_url.rstrip("/"),
        home_country=_choice(env, "HOME_COUNTRY", "HN", COUNTRIES),
        geocoder=_choice(env, "GEOCODER", "none", GEOCODERS),
        geocoder_user_agent=user_agent,
        admin_user_ids=_admin_ids(env.get("ADMIN_USER_IDS") or ""),
        log_level=_choice(env, "LOG_LEVEL", "INFO", LOG_LEVELS),
        memory_minutes=int(memory_raw),
        intake_lease_seconds=int(lease_raw),
        **webhook,
        **handoff,
    )


def _whole(env: Mapping[str, str], name: str, default: int, top: int) -> int:
    """A whole-number setting from 1 to `top`."""
    raw = (env.get(name) or str(default)).strip()
    if not raw.isdigit() or not 1 <= int(raw) <= top:
        raise SettingsError(f"{name} must be a whole number, 1 to {top} (got {raw!r})")
    return int(raw)


_SECRET = re.compile(r"^[A-Za-z0-9_-]{12,256}$")


class _Webhook(TypedDict):
    webhook_url: str
    webhook_secret: str
    webhook_listen: str
    webhook_port: int
    set_webhook: bool


def _webhook(env: Mapping[str, str]) -> _Webhook:
    """WEBHOOK_*: all optional; when WEBHOOK_URL is set the bot serves a webhook."""
    url = (env.get("WEBHOOK_URL") or "").strip()
    secret = (env.get("WEBHOOK_SECRET") or "").strip()
    port_raw = (env.get("WEBHOOK_PORT") or "8080").strip()
    if not port_raw.isdigit() or not 0 < int(port_raw) < 65536:
        raise SettingsError(f"WEBHOOK_PORT must be a TCP port number (got {port_raw!r})")
    set_raw = (env.get("SET_WEBHOOK") or "true").strip().lower()
    if set_raw not in ("true", "false", "1", "0", "yes", "no"):
        raise SettingsError(f"SET_WEBHOOK must be true or false (got {set_raw!r})")
    if url:
        loopback = url.startswith(("http://127.0.0.1", "http://localhost"))  # local tests
        if not url.startswith("https://") and not loopback:
            raise SettingsError(f"WEBHOOK_URL must be an https:// URL (got {url!r})")
        if not _SECRET.match(secret):
            raise SettingsError(
                "WEBHOOK_SECRET is required with WEBHOOK_URL: "
                "12-256 characters A-Z, a-z, 0-9, _ or -"
            )
    return _Webhook(
        **{
            "webhook_url": url,
            "webhook_secret": secret,
            "webhook_listen": (env.get("WEBHOOK_LISTEN") or "127.0.0.1").strip(),
            "webhook_port": int(port_raw),
            "set_webhook": set_raw in ("true", "1", "yes"),
        }
    )


def load_dotenv_file(path: Path | None = None) -> None:
    """Load `.env` from the project root into os.environ without overriding real variables."""
    from dotenv import load_dotenv

    load_dotenv(path or PROJECT_ROOT / ".env", override=False)


class RedactingFormatter(logging.Formatter):
    """Replace the bot token wherever it would reach a log line, tracebacks included.

    httpx logs request URLs and python-telegram-bot's errors may quote the token; the whole
    formatted record (message, arguments, exception text) is scrubbed here.
    """

    def __init__(self, fmt: str, secrets: tuple[str, ...]) -> None:
        super().__init__(fmt)
        self._secrets = tuple(s for s in secrets if s)

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record), self._secrets)


_SECRETS: set[str] = set()


def register_secrets(*values: str) -> None:
    """Scrub these values from every log record from now on, whatever handler emits it.

    python-telegram-bot logs the Bot API URL (with the token) at DEBUG when a bot is created;
    a record factory catches that at the source, before any handler (ours, pytest's, a
    library's) formats it.
    """
    new = {v for v in values if v and len(v) >= 6}
    if not new - _SECRETS:
        return
    if not _SECRETS:
        previous = logging.getLogRecordFactory()

        def factory(*args: object, **kwargs: object) -> logging.LogRecord:
            record = previous(*args, **kwargs)
            try:
                message = record.getMessage()
            except Exception:  # a malformed call: leave it to the handler to report
                return record
            if any(secret in message for secret in _SECRETS):
                record.msg = redact(message, tuple(_SECRETS))
                record.args = None
            return record

        logging.setLogRecordFactory(factory)
    _SECRETS.update(new)


def redact(text: str, secrets: tuple[str, ...]) -> str:
    for secret in secrets:
        if secret:
            text = text.replace(secret, "<redacted>")
    return text


def _secrets(settings: Settings) -> tuple[str, ...]:
    token = settings.telegram_bot_token
    # The part after the colon is the secret; the bot id before it is public.
    found = (token, token.partition(":")[2]) if token else ()
    return (*found, settings.webhook_secret) if settings.webhook_secret else found


_PERSONAL_AT_DEBUG = ("telegram", "aiosqlite", "httpcore", "hpack", "asyncpg", "aiohttp")


def configure_logging(settings: Settings) -> None:
    """Log to stderr; keep the token out of every line, and out of crash tracebacks."""
    secrets = _secrets(settings)
    register_secrets(*secrets)
    handler = logging.StreamHandler()
    handler.setFormatter(
        RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s", secrets)
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(settings.log_level)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    logging.getLogger("alembic").setLevel(logging.WARNING)
    # LOG_LEVEL=DEBUG is for our own code, which never logs what people write, their names,
    # phones or coordinates. These libraries do at DEBUG: python-telegram-bot logs every Bot
    # API call with its parameters and every webhook body, aiosqlite every statement with its
    # values, httpcore the request bodies' progress. They log at INFO and above only.
    for name in _PERSONAL_AT_DEBUG:
        logging.getLogger(name).setLevel(max(logging.INFO, root.level))
    if secrets:

        def scrubbed_excepthook(kind, value, tb):  # type: ignore[no-untyped-def]
            import traceback

            text = "".join(traceback.format_exception(kind, value, tb))
            sys.stderr.write(redact(text, secrets))

        sys.excepthook = scrubbed_excepthook
