"""Token buckets on a fake clock: bursts pass, then the pace holds; per user and for the whole channel."""

from __future__ import annotations

from bot.ratelimit import SendLimiter, TokenBucket


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_burst_passes_then_each_message_waits_its_turn():
    clock = Clock()
    bucket = TokenBucket(rate=1.0, burst=3, clock=clock)
    assert [bucket.reserve() for _ in range(3)] == [0, 0, 0]
    assert [round(bucket.reserve(), 3) for _ in range(2)] == [1.0, 2.0]  # reserved one after the other
    clock.now += 10
    assert bucket.reserve() == 0 and bucket.full() is False
    clock.now += 10
    assert bucket.full()


def test_one_chat_at_one_per_second_while_others_go_at_once():
    clock = Clock()
    limiter = SendLimiter(rate=30, burst=30, per_user_rate=1.0, per_user_burst=1, clock=clock)
    assert limiter.reserve("a") == 0
    assert limiter.reserve("a") == 1.0
    assert limiter.reserve("b") == 0  # another chat is not held up


def test_the_channel_wide_limit_holds_across_chats():
    clock = Clock()
    limiter = SendLimiter(rate=30, burst=30, per_user_rate=1.0, per_user_burst=1, clock=clock)
    waits = [limiter.reserve(f"user{n}") for n in range(60)]
    assert waits[:30] == [0] * 30
    assert abs(waits[-1] - 1.0) < 1e-9  # 60 messages at 30/s: the last goes a second later


def test_idle_users_are_forgotten_once_their_bucket_is_full():
    clock = Clock()
    limiter = SendLimiter(rate=100, burst=100, per_user_rate=1.0, per_user_burst=1, max_users=10, clock=clock)
    for n in range(50):
        limiter.reserve(f"user{n}")
        clock.now += 2
    assert len(limiter._users) <= 11
