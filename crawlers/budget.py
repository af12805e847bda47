"""The sweep's memory for documents: one budget of bytes that all sites in flight share.

Every site of a sweep may be in flight at once (politeness, not a site count, sets the pace), so the documents
they hold are bounded together rather than by a number of sites: each PDF/DOCX a site's fetcher answers is charged
to the site's `SiteHold` before the site gets it, and a charge that would pass `max_bytes` waits until other sites
let theirs go (`release`, when a finished site's documents are stored). A site is never charged past its own cap
(`max_document_bytes_per_site`, which it keeps itself), so what it holds is at most what it was charged.

Waiting cannot deadlock: when every open site is waiting for room and none is left to finish and free some, the
site opened first is let past the budget (`overdrafts` counts it), so the bytes held stay below `max_bytes` plus
one site's cap. Waiting charges are served in order as room allows (a smaller one may pass a larger one that
does not fit yet: a strict queue would stall sites that could finish and free room).
"""

from __future__ import annotations

import asyncio
from collections import deque
from dataclasses import dataclass, field
from itertools import count


@dataclass(eq=False)
class SiteHold:
    """The document bytes one site holds; `charge` them through its fetcher, `DocumentBudget.release` at the end."""

    budget: DocumentBudget
    key: str
    order: int
    held: int = 0
    waiting: bool = False

    async def charge(self, size: int) -> None:
        """Count `size` more bytes as held by this site, waiting for room in the budget first."""
        await self.budget.charge(self, size)


@dataclass(eq=False)
class _Waiter:
    hold: SiteHold
    size: int
    granted: asyncio.Future[None] = field(default_factory=lambda: asyncio.get_running_loop().create_future())


class DocumentBudget:
    """Bytes of documents all sites of a sweep may hold together (see the module docstring)."""

    def __init__(self, max_bytes: int, per_site_cap: int) -> None:
        self.max_bytes = max(1, max_bytes)
        self.per_site_cap = per_site_cap
        self.held = 0
        #: most bytes held at once, charges that had to wait, and sites let past the budget to avoid a deadlock
        self.peak = 0
        self.waits = 0
        self.overdrafts = 0
        self._open: dict[str, SiteHold] = {}
        self._waiters: deque[_Waiter] = deque()
        self._order = count()

    @property
    def sites(self) -> int:
        """Sites open (crawling, waiting, or finished and not yet released)."""
        return len(self._open)

    def open(self, key: str) -> SiteHold:
        """A site starts (`key`: its start URL); a key already open gets its bytes freed first (a retried crawl)."""
        self.release(key)
        hold = self._open[key] = SiteHold(self, key, next(self._order))
        return hold

    def release(self, key: str) -> None:
        """The site's documents are let go (stored, or its crawl failed): its bytes go back to the budget."""
        hold = self._open.pop(key, None)
        if hold is None:
            return
        self.held -= hold.held
        hold.held = 0
        self._grant()

    async def charge(self, hold: SiteHold, size: int) -> None:
        size = min(size, self.per_site_cap - hold.held)  # the site keeps no more than its own cap
        if size <= 0 or self._open.get(hold.key) is not hold:
            return
        if self.held + size <= self.max_bytes:
            self._take(hold, size)
            return
        waiter = _Waiter(hold, size)
        self._waiters.append(waiter)
        hold.waiting = True
        self.waits += 1
        self._grant()
        try:
            await waiter.granted
        except asyncio.CancelledError:
            if waiter in self._waiters:
                self._waiters.remove(waiter)
                self._grant()
            raise
        finally:
            hold.waiting = False

    def _take(self, hold: SiteHold, size: int) -> None:
        hold.held += size
        self.held += size
        self.peak = max(self.peak, self.held)

    def _grant(self) -> None:
        """Serve the waiters that fit, in order; with every open site waiting, let the oldest one past."""
        for waiter in list(self._waiters):
            if waiter.granted.done() or waiter.hold.key not in self._open:
                self._waiters.remove(waiter)
                if not waiter.granted.done():
                    waiter.granted.set_result(None)  # released meanwhile: nothing to hold
            elif self.held + waiter.size <= self.max_bytes:
                self._waiters.remove(waiter)
                self._take(waiter.hold, waiter.size)
                waiter.granted.set_result(None)
        if self._waiters and len(self._waiters) >= len(self._open):
            oldest = min(self._waiters, key=lambda w: w.hold.order)
            self._waiters.remove(oldest)
            self.overdrafts += 1
            self._take(oldest.hold, oldest.size)
            oldest.granted.set_result(None)
