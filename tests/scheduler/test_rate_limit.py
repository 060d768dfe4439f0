"""The sliding-window limiter under contention: sends waiting for the app-wide window wait in
arrival order, each woken about once, and the windows still hold."""

from __future__ import annotations

import asyncio
import time

from domain.outbox import RateLimits, Window
from scheduler.rate_limit import SlidingWindowLimiter

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
