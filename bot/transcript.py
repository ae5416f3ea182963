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

from sqlalchemy.exc import DataError, DBAPIError, IntegrityError, SQLAlchemyError, StatementError
from sqlalchemy.orm import Session, sessionmaker

from knowledge import transcripts
from knowledge.delivery import inbox
from knowledge.models import utcnow
from knowledge.storable import storable

log = logging.getLogger(__name__)

SPOOL_NAME = "transcript-spool.jsonl"
QUARANTINE_NAME = "transcript-spool.quarantine.jsonl"  # lines the database can never take


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
            # cleaned as record_message will store it: a line with NUL or a lone surrogate is not even spooled
            _append_lines(self._spool, [json.dumps(storable(record), ensure_ascii=False).encode("utf-8")])
        except OSError as exc:  # the last resort failed too: say so loudly, without the text
            log.critical("transcript spool write failed (%s): a message could not be stored", exc.strerror)

    def flush_spool(self) -> int:
        """Move spooled lines into the database, each in its own transaction; returns how many were written.
        Safe with several processes. A line the database can never take (or that cannot be read: a torn last
        line) goes to the quarantine file instead of blocking every later line; when the database itself
        fails, the lines not yet written go back to the spool and the error is raised."""
        if not self._spool.exists():
            return 0
        claimed = self._spool.with_name(f"{SPOOL_NAME}.{os.getpid()}.{uuid.uuid4().hex}")
        try:
            os.replace(self._spool, claimed)  # atomic: only one process replays a given spool
        except FileNotFoundError:
            return 0
        lines = [line for line in claimed.read_bytes().split(b"\n") if line.strip()]
        written = 0
        for index, line in enumerate(lines):
            try:
                record = _parse(line)
            except (ValueError, TypeError, KeyError) as exc:  # torn or damaged: nothing a retry could fix
                self._quarantine(line, type(exc).__name__)
                continue
            try:
                with self._factory() as session, session.begin():
                    transcripts.record_message(session, **record)
                written += 1
            except SQLAlchemyError as exc:
                if not _permanent(exc):  # the database is away: give back what is left, for the next write
                    _append_lines(self._spool, lines[index:])
                    claimed.unlink(missing_ok=True)
                    raise
                self._quarantine(line, type(exc).__name__)
            except (ValueError, TypeError) as exc:  # a field of the wrong kind (record_message refused it)
                self._quarantine(line, type(exc).__name__)
        claimed.unlink(missing_ok=True)
        log.info("replayed %d spooled transcript lines", written)
        return written

    def _quarantine(self, line: bytes, error: str) -> None:
        """Keep a line that can never be written beside the spool, for an operator; logged without its text."""
        path = self._spool.with_name(QUARANTINE_NAME)
        entry = {"error": error, "at": utcnow().isoformat(), "line": line.decode("utf-8", "replace")}
        log.error("a spooled transcript line cannot be stored (%s): moved to %s", error, path)
        try:
            _append_lines(path, [json.dumps(entry, ensure_ascii=False).encode("utf-8")])
        except OSError as exc:
            log.critical("transcript quarantine write failed (%s): a spooled line is lost", exc.strerror)


def _parse(line: bytes) -> dict[str, Any]:
    """A spooled line as record_message's arguments; ValueError/TypeError/KeyError when it is damaged."""
    record = json.loads(line.decode("utf-8"))
    if not isinstance(record, dict):
        raise TypeError("not an object")
    created_at = record.pop("created_at")
    if not isinstance(created_at, str):
        raise TypeError("created_at is not text")
    return {**record, "created_at": datetime.fromisoformat(created_at)}


def _permanent(exc: SQLAlchemyError) -> bool:
    """An error of this one line (a value the database refuses), not of the database or the connection."""
    if isinstance(exc, DBAPIError):
        return isinstance(exc, (DataError, IntegrityError)) and not exc.connection_invalidated
    return isinstance(exc, StatementError)  # raised before the database saw it (a value of the wrong type)


def _append_lines(path: Path, lines: list[bytes]) -> None:
    """Append whole lines; a torn last line (disk full, crash) is ended first, so it never swallows ours."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("ab") as fh:
        if fh.tell() and _last_byte(path) != b"\n":
            fh.write(b"\n")
        fh.write(b"".join(line + b"\n" for line in lines))


def _last_byte(path: Path) -> bytes:
    with path.open("rb") as fh:
        fh.seek(-1, os.SEEK_END)
        return fh.read(1)
