"""The sliding-window limiter under contention (sends waiting for the app-wide window wait in
arrival order, each woken about once, and the windows still hold) and with slow sends (each
counted from when Teams answered it)."""

from __future__ import annotations

import asyncio
import random
import time

import pytest

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


async def test_the_limiter_waits_exactly_as_long_as_every_window_of_every_send_ever_made_requires():
    """Against a model that keeps every send and sorts them at each check: same delays, whatever
    the order in which sends end, including sends slower than every window."""
    limits = RateLimits(
        per_conversation=(Window(2, 1.0), Window(3, 2.5)), per_app=(Window(4, 1.0),), margin_seconds=0.1
    )

    def expected_delay(sends: list[list], conversation: str, now: float) -> float:
        wait = 0.0
        for windows, own in ((limits.per_app, lambda _: True), (limits.per_conversation, lambda c: c == conversation)):
            for window in windows:
                span = window.seconds + limits.margin_seconds
                counted = sorted(at for c, at, _ in sends if own(c) and at > now - span)
                if len(counted) >= window.limit:
                    wait = max(wait, counted[-window.limit] + span - now)
        return wait

    for seed in range(12):
        rng = random.Random(seed)
        instant = [1000.0]

        async def sleep(seconds: float) -> None:
            instant[0] += max(seconds, 0.0)

        limiter = SlidingWindowLimiter(limits, now=lambda: instant[0], sleep=sleep)
        sends: list[list] = []  # conversation, counted instant, its open `sending` block (None once answered)
        for _ in range(250):
            action = rng.random()
            if action < 0.4:
                conversation = rng.choice("abc")
                block = limiter.sending(conversation)
                await block.__aenter__()
                sends.append([conversation, instant[0], block])
            elif action < 0.7 and any(send[2] for send in sends):
                send = rng.choice([send for send in sends if send[2]])
                await send[2].__aexit__(None, None, None)
                send[1], send[2] = instant[0], None
            else:
                instant[0] += rng.choice((0.0, 0.05, 0.3, 0.9, 3.0))
            for conversation in "abc":
                assert limiter.delay_for(conversation) == pytest.approx(expected_delay(sends, conversation, instant[0]))
