"""Rasa's REST channel faked with httpx.MockTransport for gateway tests: answers, records, can be held."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Callable

import httpx


class FakeRasa:
    """Answers like Rasa's REST channel (echo by default); `hold` keeps turns waiting until released.

    With a `token`, turns without `Authorization: Bearer <token>` are refused (401), as nlu/channels.py does."""

    def __init__(self, token: str | None = None) -> None:
        self.token = token
        self.received: list[dict] = []
        self.answer: Callable[[str], list[dict]] = lambda text: [{"text": f"echo: {text}"}]
        self.hold = threading.Event()  # set = turns wait
        self.waiting = threading.Event()  # a turn is waiting

    async def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.url.host == "actions.test" or request.url.path in ("/status", "/"):
            return httpx.Response(200, json={"status": "ok", "model_id": "m1"})
        if self.token is not None and request.headers.get("authorization") != f"Bearer {self.token}":
            return httpx.Response(401, json={"error": "unauthorized"})
        body = json.loads(request.content)
        while self.hold.is_set():
            self.waiting.set()
            await asyncio.sleep(0.01)
        self.received.append(body)
        return httpx.Response(200, json=[{"recipient_id": body["sender"], **m} for m in self.answer(body["message"])])

    def texts(self) -> list[str]:
        """What Rasa was sent, in order."""
        return [b["message"] for b in self.received]
