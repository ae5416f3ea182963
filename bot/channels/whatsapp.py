"""WhatsApp Cloud API: GET /whatsapp/webhook (verification), POST /whatsapp/webhook (signed updates, stored
before the 200), the inbox worker's processing, and the outbox's sender (Graph API /messages)."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
from dataclasses import replace
from datetime import timedelta

import httpx
from fastapi import APIRouter, Request, Response
from fastapi.responses import PlainTextResponse
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from bot.channels.notices import button_expired
from bot.channels.whatsapp_updates import CHANNEL, Receipt, messages, number_choice, receipts, to_incoming, when
from bot.http_guard import json_error
from bot.outbox import Outbox, SendResult
from bot.ratelimit import SendLimiter
from bot.router import Router
from bot.types import Answer
from knowledge import safe_json
from knowledge.delivery import inbox, outbox
from knowledge.delivery.inbox import Inbound
from knowledge.delivery.outbox import Outbound
from knowledge.models import utcnow
from knowledge.settings import Settings

log = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Hub-Signature-256"
MAX_BODY_BYTES = 1024 * 1024
WINDOW = timedelta(hours=24)  # free-form messages only within 24 h of the user's last message
WINDOW_CLOSED = {131047}  # "re-engagement message": more than 24 hours since the user wrote
RATE_LIMITED = {4, 80007, 130429, 131048, 131056}
TRY_AGAIN = {1, 2, 131000, 131016}
AUTH = {190, 0}

router = APIRouter()


def signature_ok(secret: str, body: bytes, header: str) -> bool:
    """X-Hub-Signature-256 is 'sha256=' + the hex HMAC-SHA256 of the raw body (constant-time compare)."""
    expected = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(header.strip().lower().encode(), expected.encode())


def classify(status: int, body: object) -> SendResult:
    """A Graph API error answer -> retry, failed (with the reason) or window closed."""
    error = body.get("error") if isinstance(body, dict) else None
    code = error.get("code") if isinstance(error, dict) else None
    detail = f"{status} {code} {(error or {}).get('message', '')}".strip()[:200] if error else f"HTTP {status}"
    if code in WINDOW_CLOSED:
        return SendResult("failed", kind="window", error=detail)
    if status == 429 or code in RATE_LIMITED:
        return SendResult("retry", kind="rate_limited", error=detail)
    if status in (401, 403) or code in AUTH:
        log.error("whatsapp: the Graph API refuses WHATSAPP_TOKEN (%s); messages wait until it is fixed", status)
        return SendResult("retry", kind="auth", error=detail)
    if status >= 500 or code in TRY_AGAIN:
        return SendResult("retry", kind="server", error=detail)
    return SendResult("failed", kind="rejected", error=detail)


class WhatsAppSender:
    """Sends outbox rows to the Graph API within the number's throughput and the per-user pair limit."""

    channel = CHANNEL

    def __init__(self, settings: Settings, client: httpx.AsyncClient):
        self.url = f"{settings.whatsapp_api_url.rstrip('/')}/{settings.whatsapp_phone_number_id}/messages"
        self.headers = {"Authorization": f"Bearer {settings.whatsapp_token}"}
        self.client = client
        # ~80 messages/s per number; per user, bursts are fine but the steady pace is about one per 6 s.
        self.limiter = SendLimiter(rate=60, burst=60, per_user_rate=1 / 6, per_user_burst=20)

    def precheck(self, item: Outbound) -> SendResult | None:
        """Outside the 24-hour window a free-form message would be refused: record that for staff instead."""
        last = item.last_inbound_at
        if last is not None and last.tzinfo is None:
            last = last.replace(tzinfo=utcnow().tzinfo)
        if last is None or utcnow() - last > WINDOW:
            return SendResult("failed", kind="window", error="outside the 24-hour window: needs an approved template")
        return None

    async def send(self, item: Outbound) -> SendResult:
        """One POST /messages, its outcome classified for the outbox."""
        try:
            r = await self.client.post(self.url, json=item.payload, headers=self.headers, timeout=10)
        except httpx.TimeoutException:
            return SendResult("retry", kind="network", error="timed out")
        except httpx.HTTPError as exc:
            return SendResult("retry", kind="network", error=type(exc).__name__)
        try:
            body = r.json()
        except ValueError:
            body = None
        if r.status_code == 200 and isinstance(body, dict):
            sent = body.get("messages") or [{}]
            return SendResult("sent", external_id=str(sent[0].get("id") or "") or None)
        result = classify(r.status_code, body)
        retry_after = r.headers.get("Retry-After", "")
        if result.outcome == "retry" and retry_after.isdigit():
            return replace(result, retry_after_s=float(retry_after))
        return result


class WhatsAppChannel:
    """Stores signed webhook messages, records receipts, and processes messages through the router."""

    def __init__(self, settings: Settings, sessions: sessionmaker[Session], chat_router: Router, box: Outbox):
        assert settings.whatsapp_app_secret and settings.whatsapp_verify_token
        self.app_secret = settings.whatsapp_app_secret
        self.verify_token = settings.whatsapp_verify_token
        self.phone_number_id = str(settings.whatsapp_phone_number_id)
        self.sessions = sessions
        self.router = chat_router
        self.outbox = box

    def store(self, body: dict) -> int:
        """Keep every new message of one webhook body and record its receipts; returns how many messages are new."""
        new = 0
        with self.sessions() as session, session.begin():
            for m in messages(body, self.phone_number_id):
                new += inbox.store(
                    session,
                    channel=CHANNEL,
                    user_id=str(m["from"]),
                    external_id=str(m["id"]),
                    payload=m,
                    wrote_at=when(m.get("timestamp")),
                )
            for receipt in receipts(body, self.phone_number_id):
                if not _record(session, receipt):
                    # Our send may not be recorded yet (a receipt can beat our own database write): keep
                    # the receipt in the inbox, under its own queue key so it holds up no user's messages.
                    inbox.store(
                        session,
                        channel=CHANNEL,
                        user_id=f"receipt:{receipt.message_id}",
                        external_id=f"receipt:{receipt.message_id}:{receipt.status}",
                        payload={"receipt": receipt.as_dict()},
                        from_user=False,
                    )
                    new += 1
        return new

    def _record_later(self, receipt: Receipt) -> None:
        with self.sessions() as session, session.begin():
            if not _record(session, receipt):
                raise LookupError("receipt for a message not (yet) known")  # the inbox tries again later

    async def process(self, item: Inbound) -> None:
        """Handle one stored message or delivery receipt (called by the inbox worker)."""
        if "receipt" in item.payload:
            await asyncio.to_thread(self._record_later, Receipt.from_dict(item.payload["receipt"]))
            return
        incoming = to_incoming(item.payload)
        if incoming is None:
            return
        if incoming.meta.get("choice"):
            payload = await asyncio.to_thread(self._expand, incoming.text)
            if payload is None:
                await self.outbox.deliver(CHANNEL, incoming.user_id, [button_expired()])
                return
            incoming = replace(incoming, text=payload)
        elif incoming.kind == "text":
            picked = await asyncio.to_thread(self._numbered, incoming.user_id, incoming.text)
            if picked is not None:
                incoming = replace(incoming, text=picked)
        if item.attempts > 1:  # claimed before: the gateway may have stopped mid-turn
            incoming = replace(incoming, redelivered=True)

        async def deliver(replies: list[Answer]) -> None:
            await self.outbox.deliver(CHANNEL, incoming.user_id, replies)

        await self.router.handle(incoming, deliver=deliver)

    def _expand(self, data: str) -> str | None:
        with self.sessions() as session:
            return outbox.expand_payload(session, data)

    def _numbered(self, user_id: str, text: str) -> str | None:
        with self.sessions() as session:
            return number_choice(text, inbox.last_buttons(session, CHANNEL, user_id))


def _record(session: Session, receipt: Receipt) -> bool:
    known = outbox.record_receipt(session, CHANNEL, receipt.message_id, receipt.status, receipt.at, receipt.error)
    if known and receipt.status == "failed":
        log.warning("whatsapp: a message was not delivered (%s)", receipt.error)
    return known


@router.get("/whatsapp/webhook")
async def whatsapp_verify(request: Request) -> Response:
    """Meta's verification handshake: echo hub.challenge when hub.verify_token matches."""
    channel: WhatsAppChannel | None = getattr(request.app.state, "whatsapp", None)
    if channel is None:
        return Response(status_code=404)
    params = request.query_params
    token = params.get("hub.verify_token", "")
    if params.get("hub.mode") == "subscribe" and hmac.compare_digest(token.encode(), channel.verify_token.encode()):
        return PlainTextResponse(params.get("hub.challenge", ""))
    return Response(status_code=403)


@router.post("/whatsapp/webhook")
async def whatsapp_webhook(request: Request) -> Response:
    """Signed webhook: 403 unless the signature matches the raw body; 200 once the messages are stored."""
    channel: WhatsAppChannel | None = getattr(request.app.state, "whatsapp", None)
    if channel is None:
        return Response(status_code=404)
    body = await request.body()
    if len(body) > MAX_BODY_BYTES:
        return Response(status_code=413)
    if not signature_ok(channel.app_secret, body, request.headers.get(SIGNATURE_HEADER, "")):
        return Response(status_code=403)
    try:
        data = await safe_json.loads_off_loop(body, max_bytes=MAX_BODY_BYTES)
    except safe_json.BadJson as exc:
        return json_error(400, exc.code, "Webhook WhatsApp tidak terbaca.")
    if not isinstance(data, dict):
        return json_error(400, "invalid_json", "Webhook WhatsApp harus objek JSON.")
    try:
        new = await asyncio.to_thread(channel.store, data)
    except SQLAlchemyError as exc:  # not stored: a non-2xx makes Meta deliver it again later
        log.error("whatsapp: storing a webhook failed (%s); Meta will retry", type(exc).__name__)
        return Response(status_code=503)
    if new:
        request.app.state.inbox_worker.wake()
    return Response(status_code=200)
