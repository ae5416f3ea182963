"""Token buckets: stay inside a platform's sending limits without fixed sleeps between messages."""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable


class TokenBucket:
    """`rate` tokens per second, at most `burst` saved up; `reserve()` says how long to wait for one."""

    def __init__(self, rate: float, burst: float, clock: Callable[[], float] = time.monotonic):
        self.rate = rate
        self.burst = burst
        self._clock = clock
        self._tokens = burst
        self._stamp = clock()

    def reserve(self) -> float:
        """Take one token now (possibly borrowed from the future); returns the seconds to wait before using it."""
        now = self._clock()
        self._tokens = min(self.burst, self._tokens + (now - self._stamp) * self.rate)
        self._stamp = now
        self._tokens -= 1
        return 0.0 if self._tokens >= 0 else -self._tokens / self.rate

    def full(self) -> bool:
        """True when the bucket has refilled completely (it can be forgotten)."""
        return self._tokens + (self._clock() - self._stamp) * self.rate >= self.burst


class SendLimiter:
    """One bucket for the whole channel and one per user; `reserve(user)` = the wait both allow."""

    def __init__(
        self,
        *,
        rate: float,
        burst: float,
        per_user_rate: float,
        per_user_burst: float,
        max_users: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ):
        self._clock = clock
        self._all = TokenBucket(rate, burst, clock)
        self._user_rate, self._user_burst = per_user_rate, per_user_burst
        self._users: OrderedDict[str, TokenBucket] = OrderedDict()
        self._max_users = max_users

    def reserve(self, user_id: str) -> float:
        """Seconds to wait before sending one message to this user."""
        bucket = self._users.pop(user_id, None) or TokenBucket(self._user_rate, self._user_burst, self._clock)
        self._users[user_id] = bucket  # most recently used last
        while len(self._users) > self._max_users:
            oldest, old = next(iter(self._users.items()))
            if not old.full():
                break
            del self._users[oldest]
        return max(bucket.reserve(), self._all.reserve())
