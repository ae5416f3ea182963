"""The Rasa server over HTTP: the REST channel for turns, /status and the action server for health."""

from __future__ import annotations

import httpx

from bot.types import Answer, Button


class RasaUnavailable(Exception):
    """Rasa did not answer, answered with an error, or answered nothing at all."""


def parse_rasa_messages(payload: object) -> list[Answer]:
    """Rasa REST channel output -> replies (text and buttons; images and custom payloads dropped)."""
    if not isinstance(payload, list):
        raise RasaUnavailable("unexpected response shape")
    replies: list[Answer] = []
    for item in payload:
        if not isinstance(item, dict):
            continue
        text = str(item.get("text") or "").strip()
        buttons = tuple(
            Button(title=str(b.get("title", "")), payload=str(b.get("payload", "")))
            for b in item.get("buttons") or []
            if isinstance(b, dict) and b.get("payload")
        )
        if text or buttons:
            replies.append(Answer(text=text, buttons=buttons))
    return merge_parts(replies)


def merge_parts(replies: list[Answer]) -> list[Answer]:
    """Join consecutive messages into one until a message with buttons.

    Rasa's REST channel cuts every text at blank lines into separate messages; one answer should reach
    the user as one message (one notification on a cheap phone), with its buttons under it.
    """
    merged: list[Answer] = []
    pending: list[str] = []
    for reply in replies:
        if reply.text:
            pending.append(reply.text)
        if reply.buttons:
            merged.append(Answer(text="\n\n".join(pending), buttons=reply.buttons))
            pending = []
    if pending:
        merged.append(Answer(text="\n\n".join(pending)))
    return merged


class RasaClient:
    """Talks to one Rasa server (and its action server, for health) with a shared async client."""

    def __init__(self, client: httpx.AsyncClient, rasa_url: str, actions_url: str, token: str | None, timeout_s: float):
        self._client = client
        self._rasa = rasa_url.rstrip("/")
        self._actions = actions_url.rstrip("/")
        self._token = token
        self._timeout = timeout_s

    async def send(self, sender_id: str, text: str) -> list[Answer]:
        """One user turn; raises RasaUnavailable when there is no usable answer."""
        try:
            r = await self._client.post(
                f"{self._rasa}/webhooks/rest/webhook",
                json={"sender": sender_id, "message": text},
                timeout=self._timeout,
            )
        except httpx.HTTPError as exc:
            raise RasaUnavailable(type(exc).__name__) from exc
        if r.status_code != 200:
            raise RasaUnavailable(f"HTTP {r.status_code}")
        try:
            replies = parse_rasa_messages(r.json())
        except ValueError as exc:
            raise RasaUnavailable("response is not JSON") from exc
        if not replies:
            # Every turn of our domain says something; silence means an action failed (action server down).
            raise RasaUnavailable("empty answer")
        return replies

    async def restart(self, sender_id: str) -> None:
        """Start this conversation's dialogue from a clean state (after a help-desk handoff).

        Rasa's built-in `/restart` intent runs `action_restart` whatever form or rule is active, and the
        sender id travels in the body: the tracker-events API would need it in the URL, which Rasa's
        server does not unquote (a user id with a space or "?" would name another conversation)."""
        try:
            r = await self._client.post(
                f"{self._rasa}/webhooks/rest/webhook",
                json={"sender": sender_id, "message": "/restart"},
                timeout=self._timeout,
            )
        except httpx.HTTPError as exc:
            raise RasaUnavailable(type(exc).__name__) from exc
        if r.status_code != 200:
            raise RasaUnavailable(f"restart: HTTP {r.status_code}")

    async def rasa_ok(self) -> bool:
        """Rasa answers and has a model loaded."""
        try:
            if self._token:
                r = await self._client.get(f"{self._rasa}/status", params={"token": self._token}, timeout=3)
                return r.status_code == 200 and bool(r.json().get("model_id"))
            r = await self._client.get(f"{self._rasa}/", timeout=3)
            return r.status_code == 200
        except (httpx.HTTPError, ValueError):
            return False

    async def actions_ok(self) -> bool:
        """The action server answers its health check."""
        try:
            r = await self._client.get(f"{self._actions}/health", timeout=3)
            return r.status_code == 200
        except httpx.HTTPError:
            return False
