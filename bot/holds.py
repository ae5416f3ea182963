"""The gateway's periodic pass over help-desk holds: ends the ones idle too long and tells every user whose
hold ended by itself (also after `staff disable`) through the outbox. The user's next message does the same
for that user (knowledge/escalations/holds.py), so this pass only makes it sooner and unprompted; several
gateways running it at once end and tell each hold once."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

import anyio.to_thread
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from bot.outbox import Outbox
from knowledge.escalations import holds
from knowledge.models import utcnow

log = logging.getLogger(__name__)


class HoldReleaser:
    """Every `every_s` seconds: end idle holds, deliver the notices still due."""

    def __init__(self, sessions: sessionmaker[Session], outbox: Outbox, idle: timedelta | None, every_s: float = 60):
        self.sessions = sessions
        self.outbox = outbox
        self.idle = idle
        self.every_s = every_s

    async def run(self) -> None:
        """Until cancelled; a database failure only delays the next pass."""
        while True:
            await asyncio.sleep(self.every_s)
            try:
                ended, told = await anyio.to_thread.run_sync(self.run_once)
            except SQLAlchemyError as exc:
                log.error("help-desk holds not checked (%s); next try in %.0f s", type(exc).__name__, self.every_s)
                continue
            if ended or told:
                log.info("help desk: %d idle hold(s) ended, %d user(s) told", ended, told)
                self.outbox.wake()

    def run_once(self) -> tuple[int, int]:
        """One pass (blocking): (holds ended, users told); each in its own transaction."""
        ended = 0
        if self.idle is not None:
            with self.sessions() as session:
                stale = [(h.channel, h.user_id, h.held_by) for h in holds.idle_holds(session, self.idle)]
            for channel, user_id, holder in stale:
                before = utcnow() - self.idle
                try:
                    with self.sessions() as session, session.begin():
                        holds.end_hold(session, channel, user_id, holder or "", reason=holds.IDLE, idle_before=before)
                    ended += 1
                except holds.HoldMoved:  # the holder replied, or the user's message ended it first
                    continue
        told = 0
        with self.sessions() as session:
            due = holds.due_notices(session)
        for channel, user_id in due:
            with self.sessions() as session, session.begin():
                notice = holds.take_release_notice(session, channel, user_id)
                if notice is not None:
                    self.outbox.store_in(session, channel, user_id, [notice], sender="notice")
                    told += 1
        return ended, told
