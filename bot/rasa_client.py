"""The Rasa servers over HTTP: the REST channel for turns, spread over several servers, watched by health.

Each conversation goes to the same Rasa server while it is up (rendezvous hashing on the sender id) and
moves to the next one when it is down. That is safe because the tracker store is shared and Rasa's
Redis lock store keeps one conversation's turns in order. A background watcher checks every server and
its action server about once a second; a turn waiting on a server that stops answering is cut short, so
the user hears "sedang gangguan" within a few seconds instead of after the full timeout.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import time
from dataclasses import dataclass, field

import httpx

from bot.types import Answer, Button

log = logging.getLogger(__name__)

CHECK_INTERVAL_S = 1.0
CHECK_TIMEOUT_S = 1.5
FAILS_BEFORE_DOWN = 2  # consecutive refused checks; a refused connection during a turn counts at once
HANG_S = 4.0  # no answer of any kind (turn or check) for this long while checks time out = hung


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


@dataclass
class Backend:
    """One Rasa server and the action server it calls."""

    name: str
    rasa_url: str
    actions_url: str
    rasa_up: bool = True
    actions_up: bool = True
    fails: dict[str, int] = field(default_factory=lambda: {"rasa": 0, "actions": 0})
    last_ok: dict[str, float] = field(default_factory=lambda: {"rasa": time.monotonic(), "actions": time.monotonic()})
    went_down: asyncio.Event = field(default_factory=asyncio.Event)

    @property
    def up(self) -> bool:
        return self.rasa_up and self.actions_up

    @property
    def confirmed_down(self) -> bool:
        """Health checks failed: turns sent here would wait in vain."""
        return self.went_down.is_set()

    def refused(self) -> None:
        """A turn could not reach this Rasa server: others go first until the next check says otherwise."""
        self.rasa_up = False

    def progressed(self) -> None:
        """A turn completed with an answer: the server and its action server are working, however busy."""
        now = time.monotonic()
        self.last_ok["rasa"] = self.last_ok["actions"] = now

    def mark(self, part: str, result: str) -> None:
        """Record one health check ('ok', 'refused' or 'slow') of the Rasa server or of its action server.

        A refused connection means the process is gone: down after two checks. A check that only timed out
        may be a server busy with a queue of turns (its health answer waits behind them), so it counts only
        when nothing at all came back from that server for HANG_S: then it is hung, not busy."""
        now = time.monotonic()
        if result == "ok":
            self.fails[part] = 0
            self.last_ok[part] = now
        else:
            self.fails[part] += 1
        hung = result == "slow" and now - self.last_ok[part] > HANG_S
        gone = result == "refused" and self.fails[part] >= FAILS_BEFORE_DOWN
        if result == "ok":
            setattr(self, f"{part}_up", True)
        elif hung or gone:
            setattr(self, f"{part}_up", False)
        if (hung or gone) and not self.went_down.is_set():
            log.warning("%s: %s stopped answering; its conversations move or get the polite answer", self.name, part)
            self.went_down.set()
        elif self.up and self.went_down.is_set():
            log.info("%s is answering again", self.name)
            self.went_down = asyncio.Event()


class _Refused(Exception):
    """The server could not be reached or dropped the connection: the turn may go to another server."""


def _rank(sender_id: str, backend: Backend) -> bytes:
    return hashlib.blake2b(f"{backend.rasa_url}|{sender_id}".encode(), digest_size=8).digest()


class RasaClient:
    """Talks to the Rasa servers (and watches their action servers) with one shared async client."""

    def __init__(
        self,
        client: httpx.AsyncClient,
        rasa_urls: tuple[str, ...] | list[str],
        actions_urls: tuple[str, ...] | list[str],
        token: str | None,
        timeout_s: float,
    ):
        self._client = client
        several = len(rasa_urls) > 1
        self.backends = [
            Backend(
                f"rasa-{i + 1}" if several else "rasa",
                url.rstrip("/"),
                actions_urls[i % len(actions_urls)].rstrip("/"),
            )
            for i, url in enumerate(rasa_urls)
        ]
        self._actions = [url.rstrip("/") for url in actions_urls]
        self._token = token
        # Rasa's REST channel refuses turns without the token (nlu/channels.py)
        self._turn_headers = {"Authorization": f"Bearer {token}"} if token else {}
        self._timeout = timeout_s

    def route(self, sender_id: str) -> list[Backend]:
        """The servers for this conversation: its own first, then the others; servers whose health checks
        failed are left out, and one that just refused a connection is tried last."""
        ranked = sorted(self.backends, key=lambda b: _rank(sender_id, b), reverse=True)
        return [b for b in ranked if b.up] + [b for b in ranked if not b.up and not b.confirmed_down]

    async def send(self, sender_id: str, text: str) -> list[Answer]:
        """One user turn; raises RasaUnavailable when there is no usable answer."""
        r = await self._turn(sender_id, {"sender": sender_id, "message": text})
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
        await self._turn(sender_id, {"sender": sender_id, "message": "/restart"})

    async def _turn(self, sender_id: str, body: dict[str, str]) -> httpx.Response:
        candidates = self.route(sender_id)
        if not candidates:  # the watcher's picture may be a second old (e.g. right after start-up): look again
            await self.check_all()
            candidates = self.route(sender_id)
        if not candidates:
            raise RasaUnavailable("no Rasa server is answering")
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self._timeout
        for backend in candidates:
            try:
                r = await self._post(backend, body, deadline - loop.time())
            except _Refused as exc:
                backend.refused()
                log.warning("%s refused a turn (%s); trying the next server", backend.name, exc)
                continue
            if r.status_code != 200:
                raise RasaUnavailable(f"{backend.name}: HTTP {r.status_code}")
            backend.progressed()
            return r
        raise RasaUnavailable("every Rasa server refused the turn")

    async def _post(self, backend: Backend, body: dict[str, str], timeout: float) -> httpx.Response:
        """POST one turn, cut short when the watcher finds the server or its action server down."""
        if timeout <= 0:
            raise RasaUnavailable("timeout")
        request = asyncio.ensure_future(
            self._client.post(
                f"{backend.rasa_url}/webhooks/rest/webhook", json=body, headers=self._turn_headers, timeout=timeout
            )
        )
        went_down = asyncio.ensure_future(backend.went_down.wait())
        try:
            done, _ = await asyncio.wait({request, went_down}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
        finally:
            went_down.cancel()
        if request not in done:
            request.cancel()
            with contextlib.suppress(asyncio.CancelledError, httpx.HTTPError):
                await request
            raise RasaUnavailable(f"{backend.name} stopped answering" if done else "timeout")
        try:
            return request.result()
        except (httpx.ConnectError, httpx.RemoteProtocolError, httpx.ReadError) as exc:
            # Not delivered, or the server died mid-turn: its answer never reached anyone, so another
            # server may answer the message (the lock store keeps the conversation in order).
            raise _Refused(type(exc).__name__) from exc
        except httpx.HTTPError as exc:
            raise RasaUnavailable(type(exc).__name__) from exc

    async def _probe(self, url: str) -> str:
        """'ok', 'refused' (nothing listens, or an error status) or 'slow' (no answer in time)."""
        try:  # wait_for as well: the limit must hold whatever the transport does
            r = await asyncio.wait_for(self._client.get(url, timeout=CHECK_TIMEOUT_S), CHECK_TIMEOUT_S)
            return "ok" if r.status_code == 200 else "refused"
        except (httpx.TimeoutException, TimeoutError):
            return "slow"
        except httpx.HTTPError:
            return "refused"

    async def _check(self, url: str) -> bool:
        return await self._probe(url) == "ok"

    async def check_all(self) -> None:
        """One round of health checks of every server (the watcher calls this every second)."""
        rasa = [self._probe(f"{b.rasa_url}/") for b in self.backends]
        actions = [self._probe(f"{b.actions_url}/health") for b in self.backends]
        results = await asyncio.gather(*rasa, *actions)
        for i, backend in enumerate(self.backends):
            backend.mark("rasa", results[i])
            backend.mark("actions", results[len(self.backends) + i])

    async def watch(self) -> None:
        """Run health checks until cancelled."""
        while True:
            started = asyncio.get_running_loop().time()
            try:
                await self.check_all()
            except Exception:  # the watcher must outlive any surprise
                log.exception("health check round failed")
            await asyncio.sleep(max(0.0, CHECK_INTERVAL_S - (asyncio.get_running_loop().time() - started)))

    async def health(self) -> dict[str, bool]:
        """Live check of every Rasa server (model loaded) and action server, by name (for /healthz)."""
        several_actions = len(self._actions) > 1
        names = [b.name for b in self.backends] + [
            f"actions-{i + 1}" if several_actions else "actions" for i in range(len(self._actions))
        ]
        checks = [self._rasa_ready(b.rasa_url) for b in self.backends]
        checks += [self._check(f"{url}/health") for url in self._actions]
        return dict(zip(names, await asyncio.gather(*checks), strict=True))

    async def _rasa_ready(self, url: str) -> bool:
        """Rasa answers and has a model loaded (/status needs the token; without one, the root page)."""
        try:
            if not self._token:
                return await self._check(f"{url}/")
            get = self._client.get(f"{url}/status", params={"token": self._token}, timeout=CHECK_TIMEOUT_S)
            r = await asyncio.wait_for(get, CHECK_TIMEOUT_S)
            return r.status_code == 200 and bool(r.json().get("model_id"))
        except (httpx.HTTPError, ValueError, TimeoutError):
            return False
