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
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from domain.outbox import RateLimits, Window


class Stamp:
    """When a send was let through, moved to when Teams answered it."""

    __slots__ = ("at",)

    def __init__(self, at: float) -> None:
        self.at = at


@dataclass
class _Log:
    stamps: deque[Stamp] = field(default_factory=deque)


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
            in_window = sorted(stamp.at for stamp in log.stamps if stamp.at > now - span)
            if len(in_window) >= window.limit:
                wait = max(wait, in_window[-window.limit] + span - now)
        return wait

    @staticmethod
    def _forget_old(log: _Log, now: float, horizon: float) -> None:
        while log.stamps and log.stamps[0].at <= now - horizon:
            log.stamps.popleft()

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
            stamp.at = max(stamp.at, self._now())

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
        for log, horizon in ((self._app, self._app_horizon), (conversation, self._conversation_horizon)):
            self._forget_old(log, now, horizon)
            log.stamps.append(stamp)
        if len(self._conversations) > 10_000:
            self._conversations = {
                key: log for key, log in self._conversations.items() if log.stamps[-1].at > now - self._conversation_horizon
            }
        return stamp
