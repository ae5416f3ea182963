"""Starts what the configured channels need inside the gateway: the adapters, the outbox and inbox workers,
the help desk's pass over idle holds and, in Telegram's polling mode, the poller; stops them when the
gateway stops."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager

import httpx
from fastapi import FastAPI
from sqlalchemy.orm import Session, sessionmaker

from bot.channels import telegram_render, whatsapp_render
from bot.channels.telegram import TelegramChannel, TelegramSender, make_bot
from bot.channels.telegram_polling import TelegramPoller
from bot.channels.whatsapp import WhatsAppChannel, WhatsAppSender
from bot.holds import HoldReleaser
from bot.inbox import Handler, InboxWorker
from bot.outbox import Outbox, OutboxWorker, Renderer, Sender
from bot.router import Router
from knowledge.settings import Settings

log = logging.getLogger(__name__)

STOP_TIMEOUT_S = 10.0


@asynccontextmanager
async def channels_running(
    app: FastAPI, settings: Settings, sessions: sessionmaker[Session], chat_router: Router
) -> AsyncIterator[None]:
    """Set app.state.telegram / .whatsapp / .outbox / .inbox_worker and run the workers while the app runs."""
    problems = settings.channel_problems()
    if problems:
        raise RuntimeError("; ".join(problems))
    # Rendering is pure: every channel's renderer is there even when the channel is off, so a staff reply to
    # a Telegram user waits in the outbox until Telegram is switched on again instead of failing.
    renderers: dict[str, Renderer] = {"telegram": telegram_render.render, "whatsapp": whatsapp_render.render}
    senders: dict[str, Sender] = {}
    handlers: dict[str, Handler] = {}
    box = Outbox(sessions, renderers)
    app.state.outbox, app.state.telegram, app.state.whatsapp = box, None, None
    async with AsyncExitStack() as stack:
        poller = None
        if settings.telegram_mode is not None:
            bot, clients = make_bot(settings)
            for client in clients:
                await client.initialize()
                stack.push_async_callback(client.shutdown)
            telegram = TelegramChannel(settings, bot, sessions, chat_router, box)
            senders["telegram"] = TelegramSender(bot)
            handlers["telegram"] = telegram.process
            app.state.telegram = telegram
            if telegram.mode == "polling":
                poller = TelegramPoller(bot, telegram.store, lambda: app.state.inbox_worker.wake())
        if settings.whatsapp_on:
            graph = await stack.enter_async_context(httpx.AsyncClient(limits=httpx.Limits(max_connections=64)))
            whatsapp = WhatsAppChannel(settings, sessions, chat_router, box)
            senders["whatsapp"] = WhatsAppSender(settings, graph)
            handlers["whatsapp"] = whatsapp.process
            app.state.whatsapp = whatsapp
        box.worker = OutboxWorker(sessions, senders)
        app.state.inbox_worker = InboxWorker(sessions, handlers)
        for line in settings.channel_modes():
            log.info(line)
        tasks = []
        if handlers:
            tasks = [asyncio.create_task(app.state.inbox_worker.run()), asyncio.create_task(box.worker.run())]
        if poller is not None:
            tasks.append(asyncio.create_task(poller.run()))
        app.state.hold_releaser = HoldReleaser(sessions, box, settings.hold_idle)
        tasks.append(asyncio.create_task(app.state.hold_releaser.run()))
        try:
            yield
        finally:
            for task in tasks:
                task.cancel()
            if tasks:
                _, running = await asyncio.wait(tasks, timeout=STOP_TIMEOUT_S)
                if running:
                    log.error("channels: %d worker(s) did not stop in %.0f s", len(running), STOP_TIMEOUT_S)
