"""What becomes of a site once its crawl is done, while the crawl goes on: its known plan URLs are re-checked
(`tracker.watch.watching`), then it is stored (`tracker.site_check.store_site`) in one of `STORE_AHEAD` slots, and its
documents' bytes go back to the crawl's shared `DocumentBudget` once every kommune crawled from it is stored.

Re-checks run before a store slot is taken: a known plan URL that times out delays its own site only, never the
storing of others. At most `STORE_AHEAD + RECHECK_AHEAD` finished sites wait, so their bytes do not pile up.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence

from crawlers.budget import DocumentBudget
from crawlers.types import SiteCrawl
from tracker.domain import Kommune
from tracker.progress import Progress
from tracker.site_check import CrawlDependencies, FailedOnOurSide, count_failure, store_site
from tracker.watch import watching
from tracker.watch.watching import Recheck

#: sites whose documents may be extracted and stored while the crawl goes on
STORE_AHEAD = 4
#: sites whose known plan URLs may be re-checked at once, before they wait for a store slot
RECHECK_AHEAD = 8


class FinishedSites:
    """The finished sites of one run: `take` each crawl result (a sweep's callback), then `all_stored` at the end,
    or `let_go` on cancellation. A site found unreachable whose kommune has a second known address is not stored
    but kept in `unreachable`, for a second sweep of those addresses."""

    def __init__(
        self,
        deps: CrawlDependencies,
        run_id: int,
        kommune_ids: Mapping[tuple[str, str], int],
        budget: DocumentBudget,
        recheck: Recheck,
        progress: Progress,
    ) -> None:
        self._deps = deps
        self._run_id = run_id
        self._ids = kommune_ids
        self._budget = budget
        self._recheck = recheck
        self._progress = progress
        self.unreachable: list[Kommune] = []
        self._tasks: list[asyncio.Task[None]] = []
        self._holders: dict[str, int] = {}
        self._waiting = asyncio.Semaphore(STORE_AHEAD + RECHECK_AHEAD)
        self._slots = asyncio.Semaphore(STORE_AHEAD)

    def in_flight(self) -> int:
        """Sites taken and not stored yet, for the progress display."""
        return len(self._tasks) - sum(task.done() for task in self._tasks)

    async def take(self, start_url: str, crawl: SiteCrawl, kommuner: Sequence[Kommune], *, alternative: bool) -> None:
        """Start storing `crawl` for each of `kommuner` (those crawled from `start_url`), waiting while too many
        finished sites wait already. `alternative`: this was the sweep of second addresses."""
        self._holders[start_url] = len(kommuner) + 1  # + 1: released below, once every kommune's task is made
        try:
            for kommune in kommuner:
                if not crawl.reachable and kommune.website_alt and not alternative:
                    self.unreachable.append(kommune)  # try the second known address before calling it unreachable
                    self._release(start_url)
                    continue
                await self._waiting.acquire()
                self._tasks.append(asyncio.create_task(self._store_one(start_url, kommune, crawl)))
        finally:
            self._release(start_url)

    async def all_stored(self) -> None:
        """Wait until every site taken is stored (or failed on our side)."""
        await asyncio.gather(*self._tasks)

    async def let_go(self) -> None:
        """Cancel the sites still being stored; each is one transaction, so none is half written."""
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    def _release(self, start_url: str) -> None:
        self._holders[start_url] -= 1
        if self._holders[start_url] <= 0:
            self._budget.release(start_url)

    async def _store_one(self, start_url: str, kommune: Kommune, crawl: SiteCrawl) -> None:
        try:
            kommune_id = self._ids[(kommune.country.value, kommune.kommunenummer)]
            answers = await watching.recheck_known_urls(
                self._deps.session_factory,
                kommune_id,
                reachable=crawl.reachable,
                blocked=crawl.blocked,
                front_page_url=crawl.final_start_url or crawl.start_url,
                crawled=crawl.documents,
                recheck=self._recheck,
            )
            async with self._slots:
                try:
                    status = await store_site(self._deps, self._run_id, kommune, kommune_id, crawl, answers)
                except FailedOnOurSide as failure:
                    count_failure(self._deps, self._run_id)
                    self._progress.site_failed(kommune, failure.reason)
                    return
            self._progress.site_done(kommune, status, crawl.pages_fetched)
        finally:
            self._waiting.release()
            self._release(start_url)
