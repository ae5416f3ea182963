"""Transcript recording that survives a database outage: failed writes go to a spool file and are
replayed into the database by the next write that succeeds."""

from __future__ import annotations

import json
import logging
import os
import uuid
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from knowledge import transcripts
from knowledge.delivery import inbox
from knowledge.models import utcnow

log = logging.getLogger(__name__)

SPOOL_NAME = "transcript-spool.jsonl"


class Transcript:
    """Records every message in and out; never raises for a database failure."""

    def __init__(self, factory: sessionmaker[Session], spool_dir: Path):
        self._factory = factory
        self._spool = spool_dir / SPOOL_NAME
        self._spool_dir = spool_dir

    def record(
        self,
        *,
        channel: str,
        user_id: str,
        direction: str,
        text: str,
        buttons: list[dict] | None = None,
        status: str = "ok",
        external_id: str | None = None,
    ) -> tuple[int | None, bool]:
        """Store one line. Returns (id or None, is_new); is_new is False for a redelivered external id."""
        fields: dict[str, Any] = {
            "channel": channel,
            "user_id": user_id,
            "direction": direction,
            "text": text,
            "buttons": buttons,
            "status": status,
            "external_id": external_id,
        }
        try:
            self.flush_spool()
            with self._factory() as session, session.begin():
                msg_id = transcripts.record_message(session, **fields)
            return msg_id, msg_id is not None
        except (SQLAlchemyError, OSError) as exc:
            log.error("transcript write failed (%s); spooling to %s", type(exc).__name__, self._spool)
            self._append_spool(
                {**fields, "status": "spooled" if direction == "in" else status, "created_at": utcnow().isoformat()}
            )
            return None, True

    def set_status(self, message_id: int | None, status: str) -> None:
        """Update an inbound line's status (ignored for spooled lines)."""
        if message_id is None:
            return
        try:
            with self._factory() as session, session.begin():
                transcripts.set_status(session, message_id, status)
        except SQLAlchemyError as exc:
            log.error("transcript status update failed (%s)", type(exc).__name__)

    def unanswered(self, channel: str, external_id: str) -> int | None:
        """The inbound line recorded for this channel message but never answered (None when answered)."""
        try:
            self.flush_spool()
            with self._factory() as session:
                return inbox.unanswered_inbound(session, channel, external_id)
        except (SQLAlchemyError, OSError):
            return None

    def inbound_in_last_minute(self, channel: str, user_id: str) -> int:
        """Messages from this user in the last 60 s (0 when the database cannot tell)."""
        try:
            with self._factory() as session:
                return transcripts.count_inbound_since(
                    session, channel=channel, user_id=user_id, since=utcnow() - timedelta(seconds=60)
                )
        except SQLAlchemyError:
            return 0

    def offered_payloads(self, channel: str, user_id: str) -> set[str]:
        """Button payloads recently offered to this user (empty when the database cannot tell)."""
        try:
            with self._factory() as session:
                return transcripts.recently_offered_payloads(session, channel=channel, user_id=user_id)
        except SQLAlchemyError:
            return set()

    def _append_spool(self, record: dict) -> None:
        try:
            self._spool_dir.mkdir(parents=True, exist_ok=True)
            with self._spool.open("a", encoding="utf-8") as fh:
                fh.write(json.dumps(record, ensure_ascii=False) + "\n")
        except OSError as exc:  # the last resort failed too: say so loudly, without the text
            log.critical("transcript spool write failed (%s): a message could not be stored", exc.strerror)

    def flush_spool(self) -> int:
        """Move spooled lines into the database; returns how many. Safe with several processes."""
        if not self._spool.exists():
            return 0
        claimed = self._spool.with_name(f"{SPOOL_NAME}.{os.getpid()}.{uuid.uuid4().hex}")
        try:
            os.replace(self._spool, claimed)  # atomic: only one process replays a given spool
        except FileNotFoundError:
            return 0
        lines = claimed.read_text(encoding="utf-8").splitlines()
        records = [json.loads(line) for line in lines if line.strip()]
        try:
            with self._factory() as session, session.begin():
                for rec in records:
                    created = datetime.fromisoformat(rec.pop("created_at"))
                    transcripts.record_message(session, created_at=created, **rec)
        except SQLAlchemyError:
            with self._spool.open("a", encoding="utf-8") as fh:  # give them back for the next attempt
                fh.writelines(line + "\n" for line in lines if line.strip())
            claimed.unlink(missing_ok=True)
            raise
        claimed.unlink(missing_ok=True)
        log.info("replayed %d spooled transcript lines", len(records))
        return len(records)
