"""Telegram through PTB's `Bot` (pointed at TELEGRAM_API_URL): POST /telegram/webhook stores each update and
answers at once; the inbox worker turns it into a router message; replies leave through the outbox."""

from __future__ import annotations

import asyncio
import hmac
import logging
import os
import time
from dataclasses import replace
from datetime import timedelta

from fastapi import APIRouter, Request, Response
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker
from telegram import Bot, InlineKeyboardMarkup, Update
from telegram.error import BadRequest, ChatMigrated, Forbidden, InvalidToken, RetryAfter, TelegramError, TimedOut
from telegram.request import HTTPXRequest

from bot.channels import telegram_render
from bot.channels.notices import button_expired, group_notice
from bot.channels.telegram_updates import CHANNEL, Decision, chat_key, decide
from bot.http_guard import json_error
from bot.outbox import Outbox, SendResult
from bot.ratelimit import SendLimiter
from bot.router import Router, hashed
from bot.types import Answer, Incoming
from knowledge import safe_json
from knowledge.delivery import inbox, outbox
from knowledge.delivery.inbox import Inbound
from knowledge.delivery.outbox import Outbound
from knowledge.settings import Settings

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 - a header name, not a secret
MAX_UPDATE_BYTES = 1024 * 1024
GET_ME_EVERY_S = 600.0  # how often to ask again for the bot's username after getMe failed

router = APIRouter()


def make_bot(settings: Settings) -> tuple[Bot, list[HTTPXRequest]]:
    """PTB's Bot for TELEGRAM_API_URL (a pool for the outbox's parallel sends) and its two HTTP clients.

    The caller initialises and shuts down the clients itself: `Bot.initialize()` would also call getMe,
    and the gateway must start while Telegram is unreachable.
    """
    os.environ.setdefault("PTB_TIMEDELTA", "true")  # PTB 23's retry_after (a timedelta), without its warning
    assert settings.telegram_token
    sending = HTTPXRequest(
        connection_pool_size=64, connect_timeout=5, read_timeout=10, write_timeout=10, pool_timeout=5
    )
    polling = HTTPXRequest(connection_pool_size=2, connect_timeout=5, read_timeout=10)
    bot = Bot(
        settings.telegram_token,
        base_url=f"{settings.telegram_api_url.rstrip('/')}/bot",
        request=sending,
        get_updates_request=polling,
    )
    return bot, [sending, polling]


def _seconds(value: object) -> float:
    return value.total_seconds() if isinstance(value, timedelta) else float(value)  # type: ignore[arg-type]


class TelegramSender:
    """Sends outbox rows with the Bot API: ~30 messages/s in all, about one per second per chat."""

    channel = CHANNEL

    def __init__(self, bot: Bot):
        self.bot = bot
        self.limiter = SendLimiter(rate=25, burst=25, per_user_rate=1.0, per_user_burst=3)

    def precheck(self, item: Outbound) -> SendResult | None:
        """Never call Telegram for a user who blocked the bot."""
        return SendResult("blocked", error="the user blocked the bot") if item.blocked else None

    async def send(self, item: Outbound) -> SendResult:
        """One sendMessage call, its outcome classified for the outbox."""
        if item.method != telegram_render.SEND:
            return SendResult("failed", kind="rejected", error=f"unknown method {item.method}")
        body = item.payload
        markup = body.get("reply_markup")
        try:
            sent = await self.bot.send_message(
                chat_id=body["chat_id"],
                text=body["text"],
                reply_markup=InlineKeyboardMarkup.de_json(markup, self.bot) if markup else None,
            )
        except RetryAfter as exc:
            return SendResult("retry", kind="rate_limited", error="429", retry_after_s=_seconds(exc.retry_after))
        except Forbidden as exc:
            return SendResult("blocked", error=exc.message[:200])
        except (BadRequest, ChatMigrated) as exc:
            return SendResult("failed", kind="rejected", error=exc.message[:200])
        except InvalidToken:
            log.error("telegram: the Bot API refuses TELEGRAM_TOKEN; messages wait until it is fixed")
            return SendResult("retry", kind="auth", error="token refused")
        except TimedOut:
            return SendResult("retry", kind="network", error="timed out")
        except TelegramError as exc:  # NetworkError: no connection, or a 5xx
            return SendResult("retry", kind="server", error=exc.message[:200])
        return SendResult("sent", external_id=str(sent.message_id))


class TelegramChannel:
    """Stores updates (webhook or polling) and processes them through the router."""

    def __init__(self, settings: Settings, bot: Bot, sessions: sessionmaker[Session], chat_router: Router, box: Outbox):
        self.secret = settings.telegram_webhook_secret
        self.bot = bot
        self.bot_id = int((settings.telegram_token or "0").split(":", 1)[0] or 0)
        self.sessions = sessions
        self.router = chat_router
        self.outbox = box
        self._username: str | None = None
        self._asked_at = -GET_ME_EVERY_S

    @property
    def mode(self) -> str:
        """'webhook' when a secret is set, else 'polling'."""
        return "webhook" if self.secret else "polling"

    def store(self, update: dict) -> bool:
        """Keep one update for processing; False for one already stored (a redelivery)."""
        with self.sessions() as session, session.begin():
            return inbox.store(
                session,
                channel=CHANNEL,
                user_id=chat_key(update),
                external_id=f"{self.bot_id}:{update['update_id']}",
                payload=update,
            )

    async def process(self, item: Inbound) -> None:
        """Handle one stored update (called by the inbox worker)."""
        update = Update.de_json(item.payload, self.bot)
        username = await self.username() if _from_group(item.payload) else None
        decision = decide(update, external_id=item.external_id, bot_id=self.bot_id, username=username)
        if decision.callback_id is not None:
            await self._acknowledge(decision.callback_id)
        if decision.action == "route":
            await self._route(decision, item)
        elif decision.action == "group_notice":
            await self.outbox.deliver(CHANNEL, decision.chat_id, [group_notice(self._username)], sender="notice")
        elif decision.action in ("blocked", "unblocked"):
            await asyncio.to_thread(self._set_blocked, decision.chat_id, decision.action == "blocked")

    async def _route(self, decision: Decision, item: Inbound) -> None:
        incoming = decision.incoming
        if decision.callback_data is not None:
            payload = await asyncio.to_thread(self._expand, decision.callback_data)
            if payload is None:  # a key we no longer know (or forged data): say so instead of guessing
                await self.outbox.deliver(CHANNEL, decision.chat_id, [button_expired()])
                return
            incoming = Incoming(CHANNEL, decision.chat_id, payload, external_id=item.external_id)
        assert incoming is not None
        if item.attempts > 1:  # this update was claimed before: the gateway may have stopped mid-turn
            incoming = replace(incoming, redelivered=True)

        async def deliver(replies: list[Answer]) -> None:
            await self.outbox.deliver(CHANNEL, decision.chat_id, replies)

        await self.router.handle(incoming, deliver=deliver)

    async def _acknowledge(self, callback_id: str) -> None:
        """Stop the button's spinner; losing this is harmless, so it does not go through the outbox."""
        try:
            await self.bot.answer_callback_query(callback_id)
        except TelegramError as exc:
            log.warning("telegram: answerCallbackQuery failed (%s)", type(exc).__name__)

    async def username(self) -> str | None:
        """The bot's @username (for mentions in groups), asked once; None while Telegram cannot say."""
        if self._username is None and time.monotonic() - self._asked_at > GET_ME_EVERY_S:
            self._asked_at = time.monotonic()
            try:
                self._username = (await self.bot.get_me()).username
            except TelegramError as exc:
                log.warning("telegram: getMe failed (%s)", type(exc).__name__)
        return self._username

    def _expand(self, data: str) -> str | None:
        with self.sessions() as session:
            return outbox.expand_payload(session, data)

    def _set_blocked(self, chat_id: str, blocked: bool) -> None:
        with self.sessions() as session, session.begin():
            outbox.set_blocked(session, CHANNEL, chat_id, blocked)
        log.info("telegram: %s %s the bot", hashed(chat_id), "blocked" if blocked else "unblocked")


def _from_group(update: dict) -> bool:
    chat = (update.get("message") or update.get("edited_message") or {}).get("chat") or {}
    return chat.get("type") in ("group", "supergroup")


@router.post("/telegram/webhook")
async def telegram_webhook(request: Request) -> Response:
    """Telegram's updates: 403 without the right secret header, 200 as soon as the update is stored."""
    channel: TelegramChannel | None = getattr(request.app.state, "telegram", None)
    if channel is None or channel.secret is None:
        return Response(status_code=404)
    given = request.headers.get(SECRET_HEADER, "")
    if not hmac.compare_digest(given.encode(), channel.secret.encode()):
        return Response(status_code=403)
    try:
        update = await safe_json.loads_off_loop(await request.body(), max_bytes=MAX_UPDATE_BYTES)
    except safe_json.BadJson as exc:
        return json_error(413 if exc.code == "too_large" else 400, exc.code, "Update Telegram tidak terbaca.")
    if not isinstance(update, dict) or not isinstance(update.get("update_id"), int):
        return json_error(400, "invalid_update", "Update Telegram tanpa update_id.")
    try:
        is_new = await asyncio.to_thread(channel.store, update)
    except SQLAlchemyError as exc:  # not stored: a non-2xx makes Telegram deliver it again later
        log.error("telegram: storing update failed (%s); Telegram will retry", type(exc).__name__)
        return Response(status_code=503)
    if is_new:
        request.app.state.inbox_worker.wake()
    return Response(status_code=200)
