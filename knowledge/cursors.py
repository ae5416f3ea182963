"""Poll cursors that do not skip a line committed out of order.

On PostgreSQL ids come from a sequence when a row is inserted, not when it is committed: a line can
become visible after a line with a higher id was already handed out, so `id > last id seen` would skip it
for good. A cursor therefore says: every line up to `low` was handed out, and so were the lines in `seen`
above it. A poll returns the lines above `low` that are not in `seen`.

`low` moves up in generations. A poll notes `mark`, the newest id that exists, and the time (`since`).
Every id up to `mark` was taken before `since`; a transaction writes its line and commits within a
moment (SETTLE_S is far longer), so once SETTLE_S has passed, every line up to `mark` is committed, and
the poll that notices it has just read them all: `low` may become `mark`. A plain number (what an older
page sends) is a cursor with nothing seen above it. The text is opaque to clients (CONTRACTS.md) and
bounded: beyond MAX_SEEN ids the oldest ones fold into `low` (a late line below them would be skipped, as
before; it takes more than MAX_SEEN lines of one conversation within SETTLE_S).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

SETTLE_S = 30  # longer than any transaction that writes a transcript line takes to commit
MAX_SEEN = 50
MAX_DIGITS = 18  # ids below 10^18: the database's integer range
MAX_TEXT = (MAX_SEEN + 3) * (MAX_DIGITS + 1)


@dataclass(frozen=True)
class Cursor:
    """How far a poller has read: all ids <= low, and `seen` above it; `mark` existed at `since` (unix s)."""

    low: int = 0
    mark: int = 0
    since: int = 0
    seen: tuple[int, ...] = ()


def parse(text: str | None) -> Cursor | None:
    """A cursor from its text (None = from the start); None when the text cannot be a cursor."""
    if text is None:
        return Cursor()
    parts = text.split(".")
    if (
        len(text) > MAX_TEXT
        or len(parts) > MAX_SEEN + 3
        or not all(p.isascii() and p.isdigit() and len(p) <= MAX_DIGITS for p in parts)
    ):
        return None
    if len(parts) == 1:
        return Cursor(low=int(text))  # a plain id: every line up to it was handed out
    if len(parts) < 3:
        return None
    low, mark, since, *seen = (int(p) for p in parts)
    return _bounded(Cursor(low, mark, since, tuple(sorted({s for s in seen if s > low}))))


def encode(cursor: Cursor) -> str:
    """The cursor's text: a plain id when nothing above `low` is pending."""
    if not cursor.seen and cursor.mark <= cursor.low:
        return str(cursor.low)
    return ".".join(str(n) for n in (cursor.low, cursor.mark, cursor.since, *cursor.seen))


def _bounded(cursor: Cursor) -> Cursor:
    """At most MAX_SEEN ids: the oldest fold into `low`."""
    if len(cursor.seen) <= MAX_SEEN:
        return cursor
    extra = len(cursor.seen) - MAX_SEEN
    return Cursor(max(cursor.low, cursor.seen[extra - 1]), cursor.mark, cursor.since, cursor.seen[extra:])


def advance(cursor: Cursor, handed_out: Iterable[int], *, top: int, complete: bool, now: float | None = None) -> Cursor:
    """The cursor after a poll handed out these ids; `top` is an id that existed when the poll read, and
    `complete` says the poll was not cut short by its limit (else `low` must not pass what it left)."""
    now = time.time() if now is None else now
    low, mark, since = cursor.low, cursor.mark, cursor.since
    seen = set(cursor.seen) | set(handed_out)
    if complete and now - since >= SETTLE_S:
        low = max(low, mark)  # every line up to `mark` is committed now, and this poll has read them
        mark, since = max(top, low), int(now)
    return _bounded(Cursor(low, mark, since, tuple(sorted(s for s in seen if s > low))))


def start(shown: Sequence[int], *, top: int, now: float | None = None) -> Cursor:
    """The cursor of a page that shows these lines (the newest of a conversation, `top` the newest id)."""
    now = time.time() if now is None else now
    low = min(shown) - 1 if shown else top
    return _bounded(Cursor(max(low, 0), top, int(now), tuple(sorted(set(shown)))))


class HasId(Protocol):
    """Anything polled: a transcript line."""

    @property
    def id(self) -> int: ...


Line = TypeVar("Line", bound=HasId)


def poll(
    cursor: Cursor,
    read: Callable[[int, tuple[int, ...]], Sequence[Line]],
    newest: Callable[[], int],
    *,
    limit: int,
    now: float | None = None,
) -> tuple[list[Line], str]:
    """One poll: `read(low, seen)` returns up to `limit` lines above low not in seen, oldest first; `newest()`
    the newest id there is. Returns the lines and the next cursor's text."""
    lines = list(read(cursor.low, cursor.seen))
    ids = [line.id for line in lines]
    top = max([newest(), *ids, cursor.low, *cursor.seen])
    nxt = advance(cursor, ids, top=top, complete=len(lines) < limit, now=now)
    return lines, encode(nxt)
