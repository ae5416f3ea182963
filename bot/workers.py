"""The loop every queue worker shares (inbox, outbox): claim due rows, work on each in its own task, sleep
until woken or the next poll. Several gateway processes may run it on one database at once."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from sqlalchemy.exc import SQLAlchemyError

log = logging.getLogger(__name__)

Item = TypeVar("Item")


def worker_name(kind: str) -> str:
    """Who holds a claim: host, process and queue (shows in the database while a row is being worked on)."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{kind}"


class QueueWorker(ABC, Generic[Item]):
    """Claims up to `concurrency` items at a time and runs `work(item)` for each, until cancelled."""

    def __init__(self, *, concurrency: int, idle_s: float):
        self.concurrency = concurrency
        self.idle_s = idle_s
        self._wake = asyncio.Event()
        self._tasks: set[asyncio.Task] = set()

    @abstractmethod
    def claim(self, limit: int) -> list[Item]:
        """Claim due items (blocking database call, run in a thread)."""

    @abstractmethod
    async def work(self, item: Item) -> None:
        """Handle one claimed item completely (including recording the result)."""

    def on_stop(self) -> None:
        """Hook: give back claims that were not started (runs once, when the worker stops)."""

    def wake(self) -> None:
        """Something new is due: claim now instead of at the next poll."""
        self._wake.set()

    async def db(self, fn: Callable[..., Any], *args: Any) -> Any:
        """Run a blocking database call in a worker thread."""
        return await asyncio.to_thread(fn, *args)

    async def run(self) -> None:
        """Claim and work until cancelled."""
        try:
            while True:
                self._wake.clear()
                free = self.concurrency - len(self._tasks)
                items: list[Item] = []
                if free > 0:
                    try:
                        items = await self.db(self.claim, free)
                    except SQLAlchemyError as exc:
                        log.error("%s: claiming failed (%s); trying again", type(self).__name__, type(exc).__name__)
                for item in items:
                    task = asyncio.create_task(self.work(item))
                    self._tasks.add(task)
                    task.add_done_callback(self._finished)
                if not items or len(items) < free:  # nothing more is due: wait for news or the next poll
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self._wake.wait(), timeout=self.idle_s)
        finally:
            for task in self._tasks:
                task.cancel()
            self.on_stop()

    def _finished(self, task: asyncio.Task) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("%s: a task failed: %r", type(self).__name__, type(task.exception()).__name__)
        self.wake()  # the same user's next item may be due now, and a slot is free
