"""All configuration read from the environment, in one place."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    return int(raw) if raw else default


def _str(name: str, default: str | None = None) -> str | None:
    raw = os.environ.get(name, "").strip()
    return raw or default


def _text(name: str, default: str) -> str:
    return os.environ.get(name, "").strip() or default


def _list(name: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in os.environ.get(name, "").split(",") if part.strip())


@dataclass(frozen=True)
class Settings:
    """Runtime settings; every field has a working default for the embedded set-up."""

    database_url: str = "sqlite:///var/tanyakerja.db"
    rasa_url: str = "http://127.0.0.1:5005"
    rasa_token: str | None = None
    actions_url: str = "http://127.0.0.1:5055"
    bind_host: str = "127.0.0.1"
    gateway_port: int = 8000
    rasa_port: int = 5005
    actions_port: int = 5055
    telegram_token: str | None = None
    telegram_webhook_secret: str | None = None
    telegram_api_url: str = "https://api.telegram.org"
    whatsapp_token: str | None = None
    whatsapp_phone_number_id: str | None = None
    whatsapp_app_secret: str | None = None
    whatsapp_verify_token: str | None = None
    whatsapp_api_url: str = "https://graph.facebook.com/v21.0"
    rasa_timeout_s: float = 30.0
    max_message_chars: int = 4000
    rate_limit_per_minute: int = 30
    # New web-chat user ids per client address (a token bucket: a burst, then one per refill period; burst 0 =
    # no limit); ids already seen keep working. Escalations from one address beyond the hourly number are
    # stored and shown, but queued after every other one.
    web_new_chats_burst: int = 60
    web_new_chats_refill_s: int = 5
    escalations_per_address_hour: int = 10
    helpdesk_session_hours: int = 12  # a dashboard login ends after this long, whatever happens
    helpdesk_idle_minutes: int = 60  # ... or after this long without a click (background polling does not count)
    helpdesk_secure_cookie: bool = False  # always mark the session cookie Secure (else: when the request is HTTPS)
    # A conversation held by a staff member goes back to the bot (its report back to the queue) after this long
    # without a claim or reply by them; 0 = never. Messages of the user do not keep a hold alive.
    helpdesk_hold_idle_minutes: int = 120
    # Several servers (CONTRACTS.md): the gateway spreads conversations over `rasa_urls`; Rasa server i calls
    # action server i mod len(actions_urls). Empty = the single RASA_URL / ACTIONS_URL.
    rasa_urls: tuple[str, ...] = ()
    actions_urls: tuple[str, ...] = ()
    actions_token: str | None = None  # shared secret Rasa -> action server (?token=); unset = no check
    # key of the keyed hashes in logs and report links; unset = made and kept in the database
    hash_key: str | None = None
    rasa_tracker_db: str = "var/rasa-tracker.db"
    redis_url: str | None = None
    rasa_instances: int = 1
    actions_instances: int = 1
    gateway_workers: int = 1

    @property
    def rasa_servers(self) -> tuple[str, ...]:
        """Every Rasa server the gateway may use."""
        return self.rasa_urls or (self.rasa_url,)

    @property
    def action_servers(self) -> tuple[str, ...]:
        """Every action server, in the order Rasa servers are paired with them."""
        return self.actions_urls or (self.actions_url,)

    @property
    def hold_idle(self) -> timedelta | None:
        """How long a staff member's hold lasts without their claim or reply (None: for ever)."""
        return timedelta(minutes=self.helpdesk_hold_idle_minutes) if self.helpdesk_hold_idle_minutes > 0 else None

    def scale_problems(self) -> list[str]:
        """Scale settings that would lose or mix up conversations (empty when all is well)."""
        problems = []
        if self.rasa_instances < 1 or self.actions_instances < 1 or self.gateway_workers < 1:
            problems.append("RASA_INSTANCES, ACTIONS_INSTANCES and GATEWAY_WORKERS must be at least 1")
        if self.rasa_instances > 1 and not self.rasa_tracker_db.startswith(("postgresql://", "postgresql+")):
            problems.append(
                "RASA_INSTANCES > 1 needs a shared tracker store: set RASA_TRACKER_DB to a postgresql:// URL "
                "(several Rasa servers on one SQLite file would overwrite each other's conversations)"
            )
        if self.rasa_instances > 1 and not self.redis_url:
            problems.append(
                "RASA_INSTANCES > 1 needs REDIS_URL (Redis lock store): without it two servers could answer "
                "one conversation's messages at the same time and out of order"
            )
        if self.gateway_workers > 1 and self.telegram_mode == "polling":
            problems.append(
                "GATEWAY_WORKERS > 1 with Telegram in polling mode would fetch every update several times: "
                "set TELEGRAM_WEBHOOK_SECRET (webhook mode) or keep one gateway worker"
            )
        return problems

    spool_dir: str | None = None  # None: next to a SQLite database, else var/spool (see spool_path)

    def spool_path(self) -> Path:
        """Where transcript lines wait while the database is down: SPOOL_DIR, else a `spool` folder beside a
        SQLite database file (two stacks with their own databases never share one), else `var/spool`."""
        if self.spool_dir:
            return Path(self.spool_dir)
        try:
            url = make_url(self.database_url)
        except ArgumentError:
            return Path("var") / "spool"
        if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
            return Path(url.database).parent / "spool"
        return Path("var") / "spool"

    @property
    def telegram_mode(self) -> str | None:
        """'webhook' (token and secret), 'polling' (token only) or None (Telegram off)."""
        if not self.telegram_token:
            return None
        return "webhook" if self.telegram_webhook_secret else "polling"

    @property
    def whatsapp_on(self) -> bool:
        """WhatsApp needs both the access token and the phone number id."""
        return bool(self.whatsapp_token and self.whatsapp_phone_number_id)

    def channel_modes(self) -> list[str]:
        """One line per channel saying whether and how it runs (start-up lines of `tanyakerja run`)."""
        telegram = {
            "webhook": "Telegram: webhook mode (POST /telegram/webhook; register: tanyakerja telegram set-webhook URL)",
            "polling": "Telegram: polling mode (getUpdates; no public address needed)",
            None: "Telegram: off (TELEGRAM_TOKEN not set)",
        }[self.telegram_mode]
        if self.whatsapp_on:
            return [telegram, "WhatsApp: on (GET/POST /whatsapp/webhook)"]
        return [telegram, "WhatsApp: off (WHATSAPP_TOKEN and WHATSAPP_PHONE_NUMBER_ID not set)"]

    def channel_problems(self) -> list[str]:
        """Channel settings that cannot work as given (empty when all is well)."""
        problems = []
        if self.whatsapp_on and not (self.whatsapp_app_secret and self.whatsapp_verify_token):
            problems.append("WhatsApp is on: WHATSAPP_APP_SECRET and WHATSAPP_VERIFY_TOKEN are required too")
        if bool(self.whatsapp_token) != bool(self.whatsapp_phone_number_id):
            problems.append("WhatsApp needs both WHATSAPP_TOKEN and WHATSAPP_PHONE_NUMBER_ID")
        bot_id, colon, _ = (self.telegram_token or "").partition(":")
        if self.telegram_token and not (colon and bot_id.isdigit()):
            problems.append("TELEGRAM_TOKEN does not look like a BotFather token (123456:ABC...)")
        secret = self.telegram_webhook_secret
        if secret and not (len(secret) <= 256 and all(c.isascii() and (c.isalnum() or c in "_-") for c in secret)):
            problems.append("TELEGRAM_WEBHOOK_SECRET: 1-256 characters, only A-Z, a-z, 0-9, _ and - (Telegram's rule)")
        return problems

    @classmethod
    def from_env(cls) -> Settings:
        """Build settings from environment variables (see README's configuration table)."""
        rasa_port = _int("RASA_PORT", 5005)
        actions_port = _int("ACTIONS_PORT", 5055)
        return cls(
            database_url=_text("DATABASE_URL", cls.database_url),
            rasa_url=_text("RASA_URL", f"http://127.0.0.1:{rasa_port}"),
            rasa_token=_str("RASA_TOKEN"),
            actions_url=_text("ACTIONS_URL", f"http://127.0.0.1:{actions_port}"),
            bind_host=_text("BIND_HOST", cls.bind_host),
            gateway_port=_int("GATEWAY_PORT", 8000),
            rasa_port=rasa_port,
            actions_port=actions_port,
            telegram_token=_str("TELEGRAM_TOKEN"),
            telegram_webhook_secret=_str("TELEGRAM_WEBHOOK_SECRET"),
            telegram_api_url=_text("TELEGRAM_API_URL", cls.telegram_api_url),
            whatsapp_token=_str("WHATSAPP_TOKEN"),
            whatsapp_phone_number_id=_str("WHATSAPP_PHONE_NUMBER_ID"),
            whatsapp_app_secret=_str("WHATSAPP_APP_SECRET"),
            whatsapp_verify_token=_str("WHATSAPP_VERIFY_TOKEN"),
            whatsapp_api_url=_text("WHATSAPP_API_URL", cls.whatsapp_api_url),
            rasa_timeout_s=float(_text("RASA_TIMEOUT_S", "30")),
            rate_limit_per_minute=_int("RATE_LIMIT_PER_MINUTE", 30),
            web_new_chats_burst=_int("WEB_NEW_CHATS_BURST", 60),
            web_new_chats_refill_s=_int("WEB_NEW_CHATS_REFILL_S", 5),
            escalations_per_address_hour=_int("ESCALATIONS_PER_ADDRESS_HOUR", 10),
            helpdesk_session_hours=_int("HELPDESK_SESSION_HOURS", 12),
            helpdesk_idle_minutes=_int("HELPDESK_IDLE_MINUTES", 60),
            helpdesk_secure_cookie=_text("HELPDESK_SECURE_COOKIE", "0").lower() in ("1", "true", "yes"),
            helpdesk_hold_idle_minutes=_int("HELPDESK_HOLD_IDLE_MINUTES", 120),
            rasa_urls=_list("RASA_URLS"),
            actions_urls=_list("ACTIONS_URLS"),
            actions_token=_str("ACTIONS_TOKEN"),
            hash_key=_str("TANYAKERJA_HASH_KEY"),
            rasa_tracker_db=_text("RASA_TRACKER_DB", cls.rasa_tracker_db),
            redis_url=_str("REDIS_URL"),
            rasa_instances=_int("RASA_INSTANCES", 1),
            actions_instances=_int("ACTIONS_INSTANCES", 1),
            gateway_workers=_int("GATEWAY_WORKERS", 1),
            spool_dir=_str("SPOOL_DIR"),
        )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Settings for this process, read once."""
    return Settings.from_env()
