"""What a crawl run tells whoever watches it: the `Progress` protocol, and `LogProgress` (log lines, for the scheduler,
the queue's workers and a crawl without a terminal; the CLI draws its own with rich)."""

from __future__ import annotations

import logging
import time
from typing import Protocol

from tracker.domain import Kommune, Status

logger = logging.getLogger(__name__)


class Progress(Protocol):
    """What the pipeline tells a progress display (rich on a terminal, log lines otherwise).

    `crawling` comes every `tracker.pipeline.PROGRESS_SECONDS` while the crawl runs, and once at its end: `pages` is
    every request made so far (pages, documents, robots.txt, sitemaps, rendered pages' requests), `in_flight` the
    sites started whose result is not stored yet.
    """

    def planned(self, total: int) -> None: ...
    def crawling(self, pages: int, in_flight: int) -> None: ...
    def site_done(self, kommune: Kommune, status: Status, pages: int) -> None: ...
    def site_failed(self, kommune: Kommune, reason: str) -> None: ...


class LogProgress:
    """Progress as log lines: one per site, and the pages and sites in flight every `every` seconds."""

    def __init__(self, every: float = 30.0) -> None:
        self.every = every
        self.done = 0
        self.total = 0
        self._last = time.monotonic()

    def planned(self, total: int) -> None:
        self.total = total
        logger.info("crawling %d kommuner", total)

    def crawling(self, pages: int, in_flight: int) -> None:
        if time.monotonic() - self._last >= self.every:
            self._last = time.monotonic()
            logger.info("%d pages fetched; sites: %d done, %d in flight, %d planned", pages, self.done, in_flight,
                        self.total)  # fmt: skip

    def site_done(self, kommune: Kommune, status: Status, pages: int) -> None:
        self.done += 1
        logger.info("%s %s: %s (%d pages)", kommune.kommunenummer, kommune.name, status.value, pages)

    def site_failed(self, kommune: Kommune, reason: str) -> None:
        self.done += 1
        logger.error("%s %s: check failed on our side, nothing stored: %s", kommune.kommunenummer, kommune.name, reason)
