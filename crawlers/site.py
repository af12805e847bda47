"""Crawl one kommune site: front page, discovery (links, sitemaps, site search, rendering), candidate documents.

`crawl_site` never raises for the site's own failures: an unreachable front page gives `reachable=False` with
the error (so does a robots.txt that answers 5xx/429: the site is failing), a 401/403/429 wall or a robots.txt that
disallows us everything gives `blocked=True`, and every per-URL failure becomes a counted `CrawlIssue`.

This module is the one way through a site crawl, in its order: the front page, its links (`site_pages.py`), the
sitemaps and the site's search (`site_leads.py`), best-first discovery (`frontier.py`, `site_pages.py`) with a
reserve of the page budget for shortening the likeliest plans' click paths (`site_paths.py`), the candidate
documents' download (`site_documents.py`), and at the end each document's shortest click path from the front page
(`site_paths.py`). What one crawl works with and learns as it goes is in `site_state.py`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from crawlers.errors import CrawlError, RobotsDisallowed
from crawlers.fetch import Fetcher, Response
from crawlers.frontier import Frontier, FrontierEntry
from crawlers.links import extract_links
from crawlers.render import Renderer
from crawlers.site_documents import download_documents
from crawlers.site_leads import take_site_search, take_sitemaps
from crawlers.site_pages import crawl_pages, renders_done, stop_renders, visit_page
from crawlers.site_paths import MAX_PATH_PAGES, attach_paths, shorten_paths
from crawlers.site_state import SiteCrawler, SiteState, crawl_issue, trail
from crawlers.types import CrawlOptions, SearchTrail, SiteCrawl
from crawlers.urls import host_of, normalize_url, site_key

logger = logging.getLogger(__name__)


async def crawl_site(
    start_url: str,
    options: CrawlOptions,
    *,
    fetcher: Fetcher,
    renderer: Renderer | None,
    now: Callable[[], datetime],
) -> SiteCrawl:
    """Crawl one site from its start URL and return what was found; never raises for the site's own failures.

    `fetcher` is shared by all sites of a sweep; `renderer` may be None (no rendering, whatever `options.render`
    says). `now` stamps started/finished/fetched times.
    """
    crawler = SiteCrawler(options, fetcher, renderer, now)
    started = crawler.now()
    start = normalize_url(start_url)
    if start is None:
        return _outcome(crawler, start_url, started, None, reachable=False, error=f"not an http(s) URL: {start_url!r}")
    front = await _front_page(crawler, start)
    if isinstance(front, dict):
        return _outcome(crawler, start_url, started, None, **front)
    state = _new_state(crawler, start, front)
    await _discover(crawler, state, front)
    await download_documents(crawler, state)
    documents = attach_paths(state)
    rules = await crawler.fetcher.robots(front.final_url)
    logger.info(
        "crawled %s: %d pages, %d documents, %d issues, %d trapped",
        start,
        state.pages_fetched,
        len(documents),
        len(state.issues),
        state.frontier.trapped,
    )
    return _outcome(
        crawler,
        start_url,
        started,
        state,
        final_start_url=front.final_url,
        documents=documents,
        blocked=rules.disallows_everything,
    )


def _outcome(
    crawler: SiteCrawler, start_url: str, started: datetime, state: SiteState | None, **fields: object
) -> SiteCrawl:
    """What the crawl of `start_url` gives back: `fields` over the defaults, which `state` fills once there is one
    (None: the front page was never read)."""
    values: dict[str, object] = {
        "start_url": start_url,
        "final_start_url": None,
        "reachable": True,
        "error": None,
        "pages_fetched": state.pages_fetched if state else 0,
        "documents": (),
        "issues": tuple(state.issues) if state else (),
        "robots_disallowed": state.robots_disallowed if state else 0,
        "rendered_pages": state.rendered_pages if state else 0,
        "trail": trail(state) if state else SearchTrail(),
        "started_at": started,
        "finished_at": crawler.now(),
    }
    values.update(fields)
    return SiteCrawl(**values)  # type: ignore[arg-type]


async def _front_page(crawler: SiteCrawler, start: str) -> Response | dict[str, object]:
    """The front page, or the outcome's fields when it cannot be crawled: unreachable, or blocked (by robots.txt
    or a 401/403/429 wall)."""
    try:
        front = await crawler.fetcher.fetch(start)
    except RobotsDisallowed as exc:
        issue = crawl_issue(start, exc)
        rules = await crawler.fetcher.robots(start)
        if rules.state == "deny_all":  # robots.txt answered 5xx/429: the site is failing, not refusing us
            return {"reachable": False, "error": rules.detail, "issues": (issue,), "final_start_url": start}
        return {
            "error": str(exc),
            "blocked": True,
            "robots_disallowed": 1,
            "issues": (issue,),
            "final_start_url": start,
        }
    except CrawlError as exc:
        return {"reachable": False, "error": str(exc), "issues": (crawl_issue(start, exc),)}
    if front.status in (401, 403, 429):
        return {
            "error": f"front page answered HTTP {front.status}",
            "blocked": True,
            "final_start_url": front.final_url,
            "pages_fetched": 1,
        }
    if not front.ok:
        return {"reachable": False, "error": f"front page answered HTTP {front.status}", "pages_fetched": 1}
    return front


def _new_state(crawler: SiteCrawler, start: str, front: Response) -> SiteState:
    """The state of a crawl whose front page was read: its URLs are done, its hosts are the site."""
    keys = frozenset({site_key(host_of(start)), site_key(host_of(front.final_url))})
    state = SiteState(
        start_url=start,
        front_key=start,
        front_url=front.final_url,
        site_keys=keys,
        frontier=Frontier(crawler.options.max_visits_per_path_pattern),
        pages_fetched=1,
        page_attempts=1,
        pages_read=[front.final_url],
    )
    for url in (start, front.final_url, *front.redirects):
        state.frontier.mark_done(url)
    return state


async def _discover(crawler: SiteCrawler, state: SiteState, front: Response) -> None:
    """The front page's links, the sitemaps and the site search, then best-first discovery within the page budget,
    each round followed by path shortening."""
    root = FrontierEntry(state.start_url, 0.0, 0)
    front_links = {link.url for link in extract_links(front.text(), front.final_url)}
    try:
        await visit_page(crawler, state, state.front_key, front, root)
        await take_sitemaps(crawler, state)
        await take_site_search(crawler, state, front, front_links)
        # Discovery leaves a reserve of the budget for shortening the plans' click paths; what shortening does not
        # spend goes back to discovery, and whatever budget is left then shortens the paths of what that found.
        budget = crawler.options.max_pages_per_site
        await crawl_pages(crawler, state, budget - min(MAX_PATH_PAGES, budget // 5))
        await shorten_paths(crawler, state)
        await crawl_pages(crawler, state, budget)
        await shorten_paths(crawler, state)
        while await renders_done(state):  # links the last renders built still count for the click paths
            pass
    finally:
        await stop_renders(state)
