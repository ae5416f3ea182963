"""What a staff member does to an escalation, for the JSON API and the dashboard alike: each action is one
transaction holding the change, the messages to the user (transcript + outbox) and the audit entry, so
nothing is half done; then the outbox worker is woken."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

import anyio.to_thread
from sqlalchemy.orm import Session, sessionmaker

from helpdesk.accounts import StaffAccount
from knowledge.answers import Answer
from knowledge.escalations import handoff, links
from knowledge.escalations.handoff import Change
from knowledge.escalations.spam import mark_spam
from knowledge.escalations.store import EscalationDetail, get_escalation
from knowledge.staff import audit

if TYPE_CHECKING:
    from bot.outbox import Outbox

log = logging.getLogger(__name__)

MAX_REPLY_CHARS = 4000  # one Telegram message is 4,096 characters; the outbox splits longer ones anyway
T = TypeVar("T")


@dataclass(frozen=True)
class Desk:
    """The help desk's access to the database and the outbox (built from the app's state)."""

    sessions: sessionmaker[Session]
    outbox: Outbox

    async def _run(self, work: Callable[[Session], T]) -> T:
        def tx() -> T:
            with self.sessions() as session, session.begin():
                return work(session)

        result = await anyio.to_thread.run_sync(tx)
        self.outbox.wake()
        return result

    def _tell(self, session: Session, change: Change, *, sender: str = "notice") -> None:
        if change.notice is not None:
            esc = change.escalation
            self.outbox.store_in(session, esc.channel, esc.user_id, [change.notice], sender=sender)

    async def claim(self, staff: StaffAccount, escalation_id: int) -> Change:
        """Take it over: the bot is paused for that user."""

        def work(session: Session) -> Change:
            change = handoff.claim(session, escalation_id, staff.username)
            if change.changed:
                audit.record(session, staff.username, "claim", escalation_id=escalation_id)
            return change

        return await self._run(work)

    async def reply(self, staff: StaffAccount, escalation_id: int, text: str) -> Change:
        """Send a message to the user on their channel (claims it first when nobody holds it)."""

        def work(session: Session) -> Change:
            change = handoff.claim(session, escalation_id, staff.username)
            if change.changed:
                audit.record(session, staff.username, "claim", escalation_id=escalation_id)
            esc = change.escalation
            [line] = self.outbox.store_in(
                session, esc.channel, esc.user_id, [Answer(text)], sender="staff", author=staff.username
            )
            audit.record(
                session, staff.username, "reply", escalation_id=escalation_id, message_id=line, chars=len(text)
            )
            return change

        return await self._run(work)

    async def release(self, staff: StaffAccount, escalation_id: int) -> Change:
        """Back to the queue; the bot answers the user again (who is told)."""

        def work(session: Session) -> Change:
            change = handoff.release(session, escalation_id, staff.username, admin=staff.is_admin)
            if change.changed:
                self._tell(session, change)
                audit.record(session, staff.username, "release", escalation_id=escalation_id)
            return change

        return await self._run(work)

    async def close(self, staff: StaffAccount, escalation_id: int, outcome: str, note: str) -> Change:
        """Closed with an outcome and a note; releases the conversation."""

        def work(session: Session) -> Change:
            change = handoff.close(session, escalation_id, staff.username, outcome, note, admin=staff.is_admin)
            self._tell(session, change)
            audit.record(session, staff.username, "close", escalation_id=escalation_id, outcome=outcome)
            return change

        return await self._run(work)

    async def mark_spam(self, staff: StaffAccount, escalation_id: int, *, spam: bool = True) -> Change:
        """Mark as spam (closed; later escalations of that user or address queue last), or take the mark back."""

        def work(session: Session) -> Change:
            change = mark_spam(session, escalation_id, staff.username, spam=spam, admin=staff.is_admin)
            if change.changed:
                self._tell(session, change)
                audit.record(session, staff.username, "spam" if spam else "unspam", escalation_id=escalation_id)
            return change

        return await self._run(work)

    async def read(self, staff: StaffAccount, escalation_id: int, *, reveal: bool = False) -> EscalationDetail | None:
        """One escalation with its transcript; the read is logged (staff reading a person's messages)."""

        def work(session: Session) -> EscalationDetail | None:
            found = get_escalation(session, escalation_id)
            if found is not None:
                links.index_stale(session, limit=50)
                audit.record(session, staff.username, "reveal" if reveal else "view", escalation_id=escalation_id)
            return found

        return await self._run(work)
