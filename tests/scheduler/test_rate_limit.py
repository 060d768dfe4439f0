"""The sliding-window limiter under contention (sends waiting for the app-wide window wait in
arrival order, each woken about once, and the windows still hold) and with slow sends (each
counted from when Teams answered it)."""

from __future__ import annotations

import asyncio
import time

from domain.outbox import RateLimits, Window
from scheduler.rate_limit import SlidingWindowLimiter
from tests.committees_support import FakeTime

SENDERS = 40
PER_WINDOW = 5
WINDOW_SECONDS = 0.05


async def test_waiting_sends_queue_for_the_app_window_instead_of_all_waking_at_once():
    sleeps: list[float] = []

    async def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        await asyncio.sleep(seconds)

    limits = RateLimits(per_conversation=(), per_app=(Window(PER_WINDOW, WINDOW_SECONDS),), margin_seconds=0.0)
    limiter = SlidingWindowLimiter(limits, sleep=sleep)
    order: list[int] = []
    stamps: list[float] = []

    async def send(index: int) -> None:
        await limiter.acquire(f"a:person-{index}")
        order.append(index)
        stamps.append(time.monotonic())

    await asyncio.gather(*(send(index) for index in range(SENDERS)))

    assert order == list(range(SENDERS))  # first come, first served
    assert len(sleeps) <= 2 * (SENDERS - PER_WINDOW)  # about one wake-up per waiting send
    stamps.sort()
    assert all(stamps[i + PER_WINDOW] - stamps[i] >= WINDOW_SECONDS * 0.99 for i in range(SENDERS - PER_WINDOW))


async def test_a_send_counts_from_when_teams_answered_it(clock):
    """Teams counts a send when it arrives: a slow request must not let the next ones bunch up."""
    fake_time = FakeTime(clock)
    limits = RateLimits(per_conversation=(Window(2, 1.0),), per_app=(), margin_seconds=0.0)
    limiter = SlidingWindowLimiter(limits, now=fake_time.monotonic, sleep=fake_time.sleep)
    start = fake_time.monotonic()
    started: list[float] = []
    for duration in (0.5, 0.0, 0.0):
        async with limiter.sending("a:one-conversation"):
            started.append(fake_time.monotonic() - start)
            await fake_time.sleep(duration)

    assert started == [0.0, 0.5, 1.5]  # not 1.0: the first send reached Teams at 0.5
