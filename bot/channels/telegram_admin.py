"""`tanyakerja telegram ...`: register or remove the webhook with Telegram (PTB's Bot, TELEGRAM_API_URL)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from telegram import Bot
from telegram.request import HTTPXRequest

from bot.channels.telegram_updates import ALLOWED_UPDATES
from knowledge.settings import Settings

T = TypeVar("T")


async def _with_bot(settings: Settings, call: Callable[[Bot], Awaitable[T]]) -> T:
    """Run one call with a Bot whose HTTP client is opened and closed here (no getMe first)."""
    assert settings.telegram_token
    request = HTTPXRequest(connect_timeout=10, read_timeout=20)
    bot = Bot(
        settings.telegram_token,
        base_url=f"{settings.telegram_api_url.rstrip('/')}/bot",
        request=request,
        get_updates_request=request,
    )
    await request.initialize()
    try:
        return await call(bot)
    finally:
        await request.shutdown()


async def set_webhook(settings: Settings, url: str) -> bool:
    """setWebhook with our secret token and the update types the gateway handles (raises TelegramError)."""
    return await _with_bot(
        settings,
        lambda bot: bot.set_webhook(
            url, secret_token=settings.telegram_webhook_secret, allowed_updates=ALLOWED_UPDATES, max_connections=40
        ),
    )


async def delete_webhook(settings: Settings) -> bool:
    """deleteWebhook (updates waiting at Telegram stay: polling mode then reads them)."""
    return await _with_bot(settings, lambda bot: bot.delete_webhook(drop_pending_updates=False))
