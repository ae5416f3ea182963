"""The inbox worker: processes the updates webhooks and polling stored, once each and in order per user, so
a webhook answers 200 at once and a gateway that stopped mid-turn answers after its restart."""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from datetime import timedelta

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from bot.router import hashed
from bot.workers import QueueWorker, worker_name
from knowledge.delivery import inbox
from knowledge.delivery.inbox import Inbound
from knowledge.delivery.queue import backoff_s
from knowledge.staff import throttle

log = logging.getLogger(__name__)

Handler = Callable[[Inbound], Awaitable[None]]
MAX_ATTEMPTS = 6  # then the update is set aside (status failed) so the user's next messages are answered
KEEP_DONE = timedelta(days=2)  # processed updates hold what people wrote: forgotten after this
KEEP_FAILED = timedelta(days=7)  # updates set aside: a week for an operator to look, then forgotten too
PURGE_EVERY_S = 3600


class InboxWorker(QueueWorker[Inbound]):
    """Hands each stored update to its channel's handler."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        handlers: dict[str, Handler],
        *,
        concurrency: int = 16,
        lease: timedelta = timedelta(seconds=120),  # longer than a Rasa turn may take
        idle_s: float = 1.0,
    ):
        super().__init__(concurrency=concurrency, idle_s=idle_s)
        self.sessions = sessions
        self.handlers = handlers
        self.lease = lease
        self.name = worker_name("inbox")
        self._purged_at = -float(PURGE_EVERY_S)  # the first round purges (monotonic time may start near 0)
        self._working: dict[int, Inbound] = {}

    def claim(self, limit: int) -> list[Inbound]:
        """Due updates of the channels this gateway serves; now and then, forget old processed and failed
        ones (and login failures already forgotten: the help desk may see no login for a long time)."""
        with self.sessions() as session:
            if time.monotonic() - self._purged_at > PURGE_EVERY_S:
                self._purged_at = time.monotonic()
                with session.begin():
                    inbox.purge_done(session, older_than=KEEP_DONE)
                    inbox.purge_failed(session, older_than=KEEP_FAILED)
                    throttle.purge_stale(session)
            return inbox.claim_due(
                session, worker=self.name, lease=self.lease, limit=limit, channels=sorted(self.handlers)
            )

    async def work(self, item: Inbound) -> None:
        """Process one update; on failure try again later, and set it aside after MAX_ATTEMPTS."""
        self._working[item.id] = item
        try:
            await self.handlers[item.channel](item)
        except Exception as exc:
            # Only the exception's type: its text may quote what the user wrote (SQL parameters, for one).
            log.debug("inbox: update %d failed", item.id, exc_info=True)
            await self.db(self._failed, item, type(exc).__name__)
            return
        finally:
            self._working.pop(item.id, None)
        await self.db(self._done, item)

    def on_stop(self) -> None:
        """Give back updates whose turn was cut off by the stop: the next start answers them at once."""
        working, self._working = list(self._working.values()), {}
        if not working:
            return
        try:
            with self.sessions() as session, session.begin():
                for item in working:
                    inbox.mark_retry(session, item, error="gateway stopped", delay_s=0)
            log.info("inbox: %d update(s) cut off by the stop are due again", len(working))
        except SQLAlchemyError as exc:
            log.error("inbox: could not give back %d update(s) (%s)", len(working), type(exc).__name__)

    def _done(self, item: Inbound) -> None:
        try:
            with self.sessions() as session, session.begin():
                inbox.mark_done(session, item)
        except SQLAlchemyError as exc:  # processed again after the lease: the transcript drops the duplicate
            log.error("inbox: marking update %d done failed (%s)", item.id, type(exc).__name__)

    def _failed(self, item: Inbound, error: str) -> None:
        who = hashed(item.user_id)
        try:
            with self.sessions() as session, session.begin():
                if item.attempts >= MAX_ATTEMPTS:
                    inbox.mark_failed(session, item, error=error)
                    log.error(
                        "%s: update %d from %s set aside after %d attempts (%s)",
                        item.channel,
                        item.id,
                        who,
                        item.attempts,
                        error,
                    )
                else:
                    delay = backoff_s(item.attempts)
                    inbox.mark_retry(session, item, error=error, delay_s=delay)
                    log.warning(
                        "%s: update %d from %s failed (%s); again in %.1f s", item.channel, item.id, who, error, delay
                    )
        except SQLAlchemyError as exc:
            log.error("inbox: recording a failure failed (%s)", type(exc).__name__)
