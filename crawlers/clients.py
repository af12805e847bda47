"""HTTP clients for many hosts at once: one small client per origin, and a cap on how many are open together.

One httpx client shared by hundreds of hosts spent about 80 % of its CPU scanning its connection pool (MACHINE.md),
so every origin gets its own client holding at most one connection (the HostGate lets one request per host be in
flight anyway). A sweep with every site in flight would then open a connection per site; `max_open` caps the
clients (and so the connections) open at once, to keep file descriptors and memory bounded: when the cap is
reached, the client idle longest is closed to make room, and when every open client is in use the request waits
for one to be let go. A client idle for `idle_seconds` is closed when a new one is made.
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx


@dataclass
class _Slot:
    client: httpx.AsyncClient
    active: int = 0
    last_used: float = field(default_factory=time.monotonic)


#: pause after closing a client to make room, so its socket is gone before the next opens (one round was too short)
CLOSE_GRACE_SECONDS = 0.02


class ClientPool:
    """Per-origin clients, at most `max_open` open at once. Use `async with pool.client(origin) as client:`."""

    def __init__(self, make_client: Callable[[], httpx.AsyncClient], max_open: int, idle_seconds: float) -> None:
        self._make = make_client
        self.max_open = max(1, max_open)
        self.idle_seconds = idle_seconds
        #: least recently used first
        self._slots: OrderedDict[str, _Slot] = OrderedDict()
        #: requests waiting for a client to be let go, first come first served
        self._waiters: deque[asyncio.Future[None]] = deque()
        self._closed = False
        self._last_idle_check = time.monotonic()
        #: clients taken out of `_slots` whose close has not finished: their sockets are still open
        self._closing = 0
        #: most clients open at once over the pool's life, and clients closed to make room (for benchmarks)
        self.peak_open = 0
        self.evicted = 0

    @property
    def open(self) -> int:
        return len(self._slots)

    async def acquire(self, origin: str) -> httpx.AsyncClient:
        """The origin's client, marked in use until `release(origin)`; waits while the cap is reached by clients
        in use."""
        while True:
            if self._closed:
                raise RuntimeError("the client pool is closed")
            slot = self._slots.get(origin)
            if slot is None and len(self._slots) + self._closing < self.max_open:
                slot = self._slots[origin] = _Slot(self._make())
                self.peak_open = max(self.peak_open, len(self._slots))
            if slot is not None:
                slot.active += 1  # before any await: in use, so nobody closes it
                self._slots.move_to_end(origin)
                await self._expire_idle()
                return slot.client
            if await self._close_one_idle():
                continue
            freed = asyncio.get_running_loop().create_future()
            self._waiters.append(freed)
            try:
                await freed  # set by `release` or `close_idle` when a client is let go
            finally:
                if freed in self._waiters:
                    self._waiters.remove(freed)

    def release(self, origin: str) -> None:
        slot = self._slots.get(origin)
        if slot is None:
            return
        slot.active -= 1
        slot.last_used = time.monotonic()
        if slot.active == 0:
            self._wake(1)

    async def close_idle(self, older_than: float | None = None) -> None:
        """Close the clients not in use and idle longer than `older_than` seconds (default `idle_seconds`)."""
        limit = self.idle_seconds if older_than is None else older_than
        now = time.monotonic()
        idle = [o for o, s in self._slots.items() if s.active == 0 and now - s.last_used >= limit]
        # Take every idle slot out before the first await: another task may close at the same time. They count
        # against the cap until their sockets are closed, so no new client opens while they still hold theirs.
        slots = [self._slots.pop(origin) for origin in idle]
        await self._close(slots, grace=0)  # the sockets close in the loop's next round: let it come first
        self._wake(len(slots))

    async def _close(self, slots: list[_Slot], grace: float) -> None:
        """Close clients already taken out of `_slots`. Until their sockets are closed they count against the cap
        (`_closing`): two evictions at once let a fifth connection open under a cap of 3. `grace`: seconds to wait
        after closing, for the loop to close the sockets, before a new client may open."""
        self._closing += len(slots)
        try:
            for slot in slots:
                await slot.client.aclose()
            await asyncio.sleep(grace)
        finally:
            self._closing -= len(slots)

    def _wake(self, count: int) -> None:
        while count > 0 and self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)
                count -= 1

    async def _expire_idle(self) -> None:
        """Close clients idle for `idle_seconds`, looking at most four times per `idle_seconds`."""
        now = time.monotonic()
        if now - self._last_idle_check >= self.idle_seconds / 4:
            self._last_idle_check = now
            await self.close_idle()

    async def _close_one_idle(self) -> bool:
        """Close the least recently used client not in use; False when every open client is in use."""
        for origin, slot in self._slots.items():
            if slot.active == 0:
                del self._slots[origin]
                self.evicted += 1
                # the socket closes a few rounds of the loop later: give it a moment before a new one opens
                await self._close([slot], grace=CLOSE_GRACE_SECONDS)
                return True
        return False

    async def aclose(self) -> None:
        self._closed = True
        slots, self._slots = list(self._slots.values()), OrderedDict()
        for slot in slots:
            await slot.client.aclose()
        self._wake(len(self._waiters))
