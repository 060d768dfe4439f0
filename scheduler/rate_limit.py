"""Teams' send limits, kept on our side so that 429s stay the exception.

Teams counts sends per bot and conversation (7 per second, 8 per 2 s, 60 per 30 s, 1800 per
hour) and per app (50 per second), over sliding windows. A leaky bucket (e.g. aiolimiter) models
one rate and no window lengths; this limiter keeps, per key, the instants of the recent sends and
lets a send through only when every window still has room. Time and sleep are injected, so tests
drive it with a fake clock and never sleep.

Sends waiting for the app-wide window queue in arrival order: only the first one sleeps until
the window has room, instead of every waiting send waking at the same instant to find that one
of them got the place (with 200 conversations, eight wake-ups per send).

A send is counted from the moment it is let through and, once Teams has answered, from that
moment (`sending`): Teams counts a send when it arrives, which a busy process may delay by more
than the margin, so the answer's instant is the one never earlier than Teams' own.
"""

from __future__ import annotations

import asyncio
import time
from bisect import bisect_left, bisect_right
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from contextlib import asynccontextmanager

from domain.outbox import RateLimits, Window


class Stamp:
    """When a send was let through, moved to when Teams answered it; in the logs that count it."""

    __slots__ = ("at", "logs")

    def __init__(self, at: float) -> None:
        self.at = at
        self.logs: tuple[_Log, ...] = ()


class _Log:
    """The instants of the recent sends, in order (a parallel list of their stamps), so that a
    check is two bisections instead of sorting the window's sends."""

    __slots__ = ("times", "stamps")

    def __init__(self) -> None:
        self.times: list[float] = []
        self.stamps: list[Stamp] = []

    def add(self, stamp: Stamp) -> None:
        at, times = stamp.at, self.times
        index = len(times) if not times or at >= times[-1] else bisect_right(times, at)
        times.insert(index, at)
        self.stamps.insert(index, stamp)

    def remove(self, stamp: Stamp) -> None:
        times, stamps = self.times, self.stamps
        index, end = bisect_left(times, stamp.at), bisect_right(times, stamp.at)
        while index < end and stamps[index] is not stamp:
            index += 1
        if index < end:
            del times[index], stamps[index]

    def forget_until(self, instant: float) -> None:
        count = bisect_right(self.times, instant)
        if count:
            del self.times[:count], self.stamps[:count]

    def in_window(self, since: float) -> int:
        """How many sends are later than `since`."""
        return len(self.times) - bisect_right(self.times, since)


class SlidingWindowLimiter:
    def __init__(
        self,
        limits: RateLimits | None = None,
        *,
        now: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.limits = limits or RateLimits()
        self._now = now
        self._sleep = sleep
        self._app = _Log()
        self._conversations: dict[str, _Log] = {}
        self._app_horizon = max((w.seconds for w in self.limits.per_app), default=0) + self.limits.margin_seconds
        self._conversation_horizon = (
            max((w.seconds for w in self.limits.per_conversation), default=0) + self.limits.margin_seconds
        )
        self._app_queue: tuple[asyncio.AbstractEventLoop, asyncio.Lock] | None = None

    def _wait_for(self, log: _Log, windows: Iterable[Window], now: float) -> float:
        wait = 0.0
        for window in windows:
            span = window.seconds + self.limits.margin_seconds
            if log.in_window(now - span) >= window.limit:
                wait = max(wait, log.times[-window.limit] + span - now)
        return wait

    def delay_for(self, conversation_id: str) -> float:
        """Seconds to wait before a send to this conversation is allowed (0 = now)."""
        now = self._now()
        conversation = self._conversations.get(conversation_id, _Log())
        return max(
            self._wait_for(self._app, self.limits.per_app, now),
            self._wait_for(conversation, self.limits.per_conversation, now),
        )

    async def acquire(self, conversation_id: str) -> Stamp:
        """Wait until a send to `conversation_id` fits every window, then count it."""
        while (wait := self._conversation_delay(conversation_id)) > 0:
            await self._sleep(wait)
        async with self._app_lock():
            while (wait := self.delay_for(conversation_id)) > 0:
                await self._sleep(wait)
            return self._count(conversation_id)

    @asynccontextmanager
    async def sending(self, conversation_id: str) -> AsyncIterator[None]:
        """`acquire`, then the send inside the block, counted from when it ended (failed or not:
        a request may reach Teams and its answer be lost)."""
        stamp = await self.acquire(conversation_id)
        try:
            yield
        finally:
            self._answered(stamp)

    def _answered(self, stamp: Stamp) -> None:
        """Counted again from now, even if it was forgotten meanwhile (a send slower than a window)."""
        for log in stamp.logs:
            log.remove(stamp)
        stamp.at = max(stamp.at, self._now())
        for log in stamp.logs:
            log.add(stamp)

    def _conversation_delay(self, conversation_id: str) -> float:
        conversation = self._conversations.get(conversation_id)
        return 0.0 if conversation is None else self._wait_for(conversation, self.limits.per_conversation, self._now())

    def _app_lock(self) -> asyncio.Lock:
        """The queue of sends waiting for the app-wide window, one per event loop."""
        loop = asyncio.get_running_loop()
        if self._app_queue is None or self._app_queue[0] is not loop:
            self._app_queue = (loop, asyncio.Lock())
        return self._app_queue[1]

    def _count(self, conversation_id: str) -> Stamp:
        now = self._now()
        stamp = Stamp(now)
        conversation = self._conversations.setdefault(conversation_id, _Log())
        stamp.logs = (self._app, conversation)
        for log, horizon in ((self._app, self._app_horizon), (conversation, self._conversation_horizon)):
            log.forget_until(now - horizon)
            log.add(stamp)
        if len(self._conversations) > 10_000:
            self._conversations = {
                key: log
                for key, log in self._conversations.items()
                if log.times and log.times[-1] > now - self._conversation_horizon
            }
        return stamp
