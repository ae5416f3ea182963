"""Polling mode (TELEGRAM_TOKEN without TELEGRAM_WEBHOOK_SECRET): long-poll getUpdates and store each
update in the inbox, so a laptop without a public address can chat with a real bot."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable

from sqlalchemy.exc import SQLAlchemyError
from telegram import Bot
from telegram.error import Conflict, InvalidToken, TelegramError

from bot.channels.telegram_updates import ALLOWED_UPDATES

log = logging.getLogger(__name__)

POLL_TIMEOUT_S = 25  # Telegram holds the request this long when nothing happens
MAX_PAUSE_S = 30.0


class TelegramPoller:
    """Long-polls getUpdates; an update is confirmed to Telegram (next offset) only once it is stored."""

    def __init__(
        self, bot: Bot, store: Callable[[dict], bool], wake: Callable[[], None], timeout_s: int = POLL_TIMEOUT_S
    ):
        self.bot = bot
        self.store = store
        self.wake = wake
        self.timeout_s = timeout_s
        self.offset: int | None = None

    async def run(self) -> None:
        """Poll until cancelled; pause after errors (longer each time, at most 30 s)."""
        failures = 0
        while True:
            try:
                await self.poll_once()
                failures = 0
            except (TelegramError, SQLAlchemyError) as exc:
                failures += 1
                await self._on_error(exc)
                await asyncio.sleep(min(MAX_PAUSE_S, 2.0 ** min(failures, 5)))

    async def poll_once(self) -> int:
        """One getUpdates call; returns how many new updates were stored."""
        updates = await self.bot.get_updates(
            offset=self.offset, timeout=self.timeout_s, allowed_updates=ALLOWED_UPDATES
        )
        new = 0
        for update in updates:
            if await asyncio.to_thread(self.store, json.loads(update.to_json())):
                new += 1
            self.offset = update.update_id + 1
        if new:
            self.wake()
        return new

    async def _on_error(self, exc: Exception) -> None:
        if isinstance(exc, InvalidToken):
            log.error("telegram: the Bot API refuses TELEGRAM_TOKEN (polling); check the token")
        elif isinstance(exc, Conflict) and "webhook" in exc.message.lower():
            # A webhook is registered with Telegram: polling mode was asked for, so remove it.
            log.warning(
                "telegram: a webhook is set for this bot; deleting it to poll (TELEGRAM_WEBHOOK_SECRET: webhook mode)"
            )
            try:
                await self.bot.delete_webhook()
            except TelegramError as err:
                log.error("telegram: deleteWebhook failed (%s)", type(err).__name__)
        elif isinstance(exc, Conflict):
            log.error("telegram: another process polls this bot (only one may); retrying")
        else:
            log.warning("telegram: getUpdates failed (%s); retrying", type(exc).__name__)
