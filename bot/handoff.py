"""The router's view of the help desk, from the database: is a staff member holding this conversation
(then the bot stays silent after one notice), and must the dialogue restart after a release? A hold left
idle too long ends when the user writes (knowledge/escalations/holds.py)."""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from bot.router import hashed
from knowledge.escalations import handoff
from knowledge.escalations.handoff import PauseState

log = logging.getLogger(__name__)


class HandoffGate:
    """Reads and updates the `handoffs` row of a conversation; a database failure lets the bot answer."""

    def __init__(self, sessions: sessionmaker[Session], *, hold_idle: timedelta | None = None):
        self.sessions = sessions
        self.hold_idle = hold_idle  # None: a hold never times out

    def state(self, channel: str, user_id: str) -> PauseState:
        """Paused (with the notice when it is the first message of the pause), or the bot answers."""
        try:
            with self.sessions() as session:
                return handoff.pause_state(session, channel, user_id, idle=self.hold_idle)
        except SQLAlchemyError as exc:
            # Unknown: the bot answering is better than a person in trouble hearing nothing at all.
            log.error("handoff state of %s unknown (%s); the bot answers", hashed(user_id), type(exc).__name__)
            return PauseState()

    def reset_done(self, channel: str, user_id: str) -> None:
        """Remember that the dialogue was restarted (a failure only means one more restart next time)."""
        try:
            with self.sessions() as session:
                handoff.reset_done(session, channel, user_id)
        except SQLAlchemyError as exc:
            log.error("handoff reset of %s not recorded (%s)", hashed(user_id), type(exc).__name__)
