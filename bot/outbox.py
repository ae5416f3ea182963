"""The durable outbox: answers for Telegram and WhatsApp users are stored (transcript line + the rendered API
calls) before anything is sent; a worker sends them in order per user, inside each platform's limits,
retrying with backoff until they go out, or marking why they cannot."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from bot.ratelimit import SendLimiter
from bot.router import hashed
from bot.types import Answer
from bot.workers import QueueWorker, worker_name
from knowledge import transcripts
from knowledge.delivery import outbox
from knowledge.delivery.outbox import Outbound
from knowledge.delivery.queue import backoff_s
from knowledge.models import utcnow

log = logging.getLogger(__name__)

Renderer = Callable[..., list[tuple[str, dict]]]  # render(to, answer, *, shorten) -> [(method, body)]
GIVE_UP_AFTER = timedelta(hours=24)  # a message still unsent after a day is marked failed (staff see it)
TRANSCRIPT_ONLY = frozenset({"web"})  # channels whose messages are read from the transcript, not sent


@dataclass(frozen=True)
class SendResult:
    """What one send attempt came to: sent, retry (with the platform's wait, if it gave one), failed, blocked."""

    outcome: str
    external_id: str | None = None
    kind: str = ""
    error: str = ""
    retry_after_s: float | None = None


class Sender(Protocol):
    """A channel's way to send one outbox row."""

    channel: str
    limiter: SendLimiter

    def precheck(self, item: Outbound) -> SendResult | None:
        """A result without calling the platform (blocked user, closed window), or None to send."""

    async def send(self, item: Outbound) -> SendResult:
        """Call the platform once."""


class Outbox:
    """Where every channel message goes first: stored with its transcript line, then the worker is woken."""

    def __init__(self, sessions: sessionmaker[Session], renderers: dict[str, Renderer]):
        self.sessions = sessions
        self.renderers = renderers
        self.worker: OutboxWorker | None = None

    async def deliver(self, channel: str, user_id: str, answers: Sequence[Answer], *, sender: str = "bot") -> None:
        """Store the answers for sending (raises SQLAlchemyError when the database is down)."""
        if not answers:
            return
        await asyncio.to_thread(self.store, channel, user_id, answers, sender)
        self.wake()

    def wake(self) -> None:
        """Something was stored for sending: the worker looks now instead of at its next poll."""
        if self.worker is not None:
            self.worker.wake()

    def store(self, channel: str, user_id: str, answers: Sequence[Answer], sender: str = "bot") -> None:
        """One transaction: a transcript line per answer and the API calls that deliver it."""
        with self.sessions() as session, session.begin():
            self.store_in(session, channel, user_id, answers, sender=sender)

    def store_in(
        self,
        session: Session,
        channel: str,
        user_id: str,
        answers: Sequence[Answer],
        *,
        sender: str = "bot",
        author: str | None = None,
    ) -> list[int]:
        """Inside the caller's transaction: the transcript lines (their ids are returned) and the API calls.

        The web chat has no platform to call: its page reads staff replies and notices from the transcript
        (GET /api/chat/updates), so only the line is stored."""
        render = self.renderers.get(channel)
        if render is None and channel not in TRANSCRIPT_ONLY:
            # a channel this code does not know (data from elsewhere): kept in the transcript for staff
            log.warning("outbox: no way to send on channel %r; the message is only recorded", channel[:20])
        ids = []
        for answer in answers:
            line = transcripts.record_message(
                session,
                channel=channel,
                user_id=user_id,
                direction="out",
                text=answer.text,
                buttons=answer.button_dicts(),
                sender=sender,
                author=author,
            )
            assert line is not None  # no external id: always a new line
            ids.append(line)
            if render is not None:
                calls = render(user_id, answer, shorten=lambda p: outbox.shorten_payload(session, p))
                outbox.enqueue(
                    session, channel=channel, user_id=user_id, requests=calls, message_id=line, sender=sender
                )
        return ids


class OutboxWorker(QueueWorker[Outbound]):
    """Sends due outbox rows through each channel's sender."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        senders: dict[str, Sender],
        *,
        concurrency: int = 32,
        lease: timedelta = timedelta(seconds=45),  # longer than a send may take (timeouts + rate limiter)
        idle_s: float = 1.0,
    ):
        super().__init__(concurrency=concurrency, idle_s=idle_s)
        self.sessions = sessions
        self.senders = senders
        self.lease = lease
        self.name = worker_name("outbox")
        self._outage: set[str] = set()  # channels whose last failure was a network or server error
        self._waiting: dict[int, Outbound] = {}  # claimed, not yet handed to the platform

    def claim(self, limit: int) -> list[Outbound]:
        """Due rows of the channels this gateway sends on (a switched-off channel's rows wait)."""
        with self.sessions() as session:
            items = outbox.claim_due(
                session, worker=self.name, lease=self.lease, limit=limit, channels=sorted(self.senders)
            )
        for item in items:
            self._waiting[item.id] = item
        return items

    async def work(self, item: Outbound) -> None:
        """Wait for the rate limiter, send once, record the outcome."""
        sender = self.senders[item.channel]
        result = sender.precheck(item)
        if result is None:
            wait = sender.limiter.reserve(item.user_id)
            if wait > 0:
                await asyncio.sleep(wait)  # the token bucket's wait for this message, not a fixed pause
            self._waiting.pop(item.id, None)
            try:
                result = await sender.send(item)
            except Exception as exc:  # a malformed row must not fail silently, lease after lease
                log.exception("%s: sending message %d failed unexpectedly", item.channel, item.id)
                result = SendResult("retry", kind="error", error=type(exc).__name__)
        self._waiting.pop(item.id, None)
        await self.db(self._record, item, result)

    def _record(self, item: Outbound, result: SendResult) -> None:
        try:
            with self.sessions() as session, session.begin():
                self._apply(session, item, result)
        except SQLAlchemyError as exc:  # the claim runs out and the row is sent again: a rare duplicate
            log.error("outbox: recording the result of row %d failed (%s)", item.id, type(exc).__name__)

    def _apply(self, session: Session, item: Outbound, result: SendResult) -> None:
        who = hashed(item.user_id)
        if result.outcome == "sent":
            outbox.mark_sent(session, item, result.external_id)
            if item.channel in self._outage:
                self._outage.discard(item.channel)
                hurried = outbox.hurry_after_outage(session, item.channel)
                log.info("%s: sending works again; %d waiting message(s) due now", item.channel, hurried)
        elif result.outcome == "blocked":
            n = outbox.mark_blocked(session, item, error=result.error)
            log.warning("%s: %s blocked the bot; %d message(s) not sent", item.channel, who, n)
        elif result.outcome == "failed":
            outbox.mark_failed(session, item, kind=result.kind, error=result.error)
            log.warning("%s: message %d to %s not sent (%s): %s", item.channel, item.id, who, result.kind, result.error)
        elif utcnow() - _aware(item.created_at) > GIVE_UP_AFTER:
            outbox.mark_failed(session, item, kind="gave_up", error=f"{item.attempts} attempts; last: {result.error}")
            log.error("%s: gave up on message %d to %s after %d attempts", item.channel, item.id, who, item.attempts)
        else:
            if result.kind in outbox.OUTAGE_KINDS:
                self._outage.add(item.channel)
            delay = result.retry_after_s if result.retry_after_s is not None else backoff_s(item.attempts)
            outbox.mark_retry(session, item, kind=result.kind, error=result.error, delay_s=delay)
            log.warning(
                "%s: message %d to %s not sent yet (%s: %s); next try in %.1f s",
                item.channel,
                item.id,
                who,
                result.kind,
                result.error,
                delay,
            )

    def on_stop(self) -> None:
        """Give back rows that were waiting for the rate limiter: another gateway may send them at once."""
        waiting, self._waiting = list(self._waiting.values()), {}
        if not waiting:
            return
        try:
            with self.sessions() as session, session.begin():
                for item in waiting:
                    outbox.mark_retry(session, item, kind="stopped", error="gateway stopped", delay_s=0, count=False)
        except SQLAlchemyError as exc:
            log.error("outbox: could not give back %d row(s) (%s)", len(waiting), type(exc).__name__)


def _aware(value: datetime) -> datetime:
    """SQLite hands back naive datetimes; ours are UTC."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)
