"""Telegram and WhatsApp end to end on the real stack: webhook POST -> reply accepted by the (fake) platform
API. Latency p50/p95 with one message at a time, then messages/s with 20 users chatting at once."""

from __future__ import annotations

import asyncio
import itertools
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import httpx

from bench.bench_chat import MESSAGES
from bench.stats import describe_ms
from tests.support import fake_telegram, fake_whatsapp
from tests.support.fake_telegram import FakeTelegram, text_update
from tests.support.fake_whatsapp import FakeWhatsApp, message, signed, webhook
from tests.support.fakeapi import Call, FakeAPI
from tests.support.stackctl import running_stack

SECRET = "bench-rahasia"  # noqa: S105 - a throw-away webhook secret for the fake
SINGLE = 40  # messages, one at a time, each from a new chat (no per-chat send limit in the way)
USERS = 20
TURNS_PER_USER = 8
_update_ids = itertools.count(1)


class Channel:
    """How to post one user message to the gateway and find its replies at the fake API."""

    def __init__(self, name: str, api: FakeAPI, base: str):
        self.name, self.api, self.base = name, api, base

    def request(self, user: str, text: str) -> tuple[str, bytes, dict]:
        """(path, body, headers) of the webhook call."""
        if self.name == "telegram":
            body = httpx.Request("POST", "/", json=text_update(next(_update_ids), int(user), text)).content
            return (
                "/telegram/webhook",
                body,
                {"X-Telegram-Bot-Api-Secret-Token": SECRET, "Content-Type": "application/json"},
            )
        raw, headers = signed(webhook([message(user, text=text)]))
        return "/whatsapp/webhook", raw, headers

    def replies(self, user: str) -> list[Call]:
        """Messages the fake accepted for this user."""
        return self.api.sent(user)  # type: ignore[attr-defined]


async def _turn(client: httpx.AsyncClient, channel: Channel, user: str, text: str, timeout: float = 60) -> float:
    """Post one message; seconds until the first message of its reply was accepted by the fake API."""
    if channel.name == "web chat":  # for comparison: the same turn answered in the HTTP response
        t0 = time.monotonic()
        r = await client.post(f"{channel.base}/api/chat", json={"user_id": user, "text": text}, timeout=timeout)
        r.raise_for_status()
        return time.monotonic() - t0
    before = len(channel.replies(user))
    path, body, headers = channel.request(user, text)
    t0 = time.monotonic()
    r = await client.post(channel.base + path, content=body, headers=headers, timeout=30)
    r.raise_for_status()
    while len(channel.replies(user)) <= before:
        if time.monotonic() - t0 > timeout:
            raise TimeoutError(f"no reply for {channel.name} user {user}")
        await asyncio.sleep(0.005)
    return channel.replies(user)[before].at - t0


async def _measure(channel: Channel, user_ids: Callable[[], str]) -> None:
    async with httpx.AsyncClient(limits=httpx.Limits(max_connections=USERS + 5)) as client:
        await _turn(client, channel, user_ids(), "halo")  # warm-up
        single = [await _turn(client, channel, user_ids(), MESSAGES[i % len(MESSAGES)]) for i in range(SINGLE)]
        print(f"{channel.name:9s} one message at a time:  {describe_ms(single)}")
        users = [user_ids() for _ in range(USERS)]
        latencies: list[float] = []

        async def chat(user: str) -> None:
            for i in range(TURNS_PER_USER):
                latencies.append(await _turn(client, channel, user, MESSAGES[i % len(MESSAGES)]))

        t0 = time.monotonic()
        await asyncio.gather(*(chat(u) for u in users))
        elapsed = time.monotonic() - t0
        print(
            f"{channel.name:9s} {USERS} users at once:      {describe_ms(latencies)}   "
            f"{len(latencies) / elapsed:6.1f} messages/s"
        )


def main() -> None:
    """Start the stack with both channels pointed at fake APIs; measure each channel."""
    telegram, whatsapp = FakeTelegram().start(), FakeWhatsApp().start()
    env = {
        "TELEGRAM_TOKEN": fake_telegram.TOKEN,
        "TELEGRAM_WEBHOOK_SECRET": SECRET,
        "TELEGRAM_API_URL": telegram.base,
        "WHATSAPP_TOKEN": fake_whatsapp.TOKEN,
        "WHATSAPP_PHONE_NUMBER_ID": fake_whatsapp.PHONE_NUMBER_ID,
        "WHATSAPP_APP_SECRET": fake_whatsapp.APP_SECRET,
        "WHATSAPP_VERIFY_TOKEN": fake_whatsapp.VERIFY_TOKEN,
        "WHATSAPP_API_URL": whatsapp.api_url,
    }
    try:
        with tempfile.TemporaryDirectory() as tmp, running_stack(Path(tmp), extra_env=env) as stack:
            chats = itertools.count(5_000_000)
            numbers = itertools.count(6281300000000)
            asyncio.run(_measure(Channel("web chat", telegram, stack.base_url), lambda: f"web-{next(chats)}"))
            asyncio.run(_measure(Channel("telegram", telegram, stack.base_url), lambda: str(next(chats))))
            asyncio.run(_measure(Channel("whatsapp", whatsapp, stack.base_url), lambda: str(next(numbers))))
    finally:
        telegram.stop()
        whatsapp.stop()


if __name__ == "__main__":
    main()
