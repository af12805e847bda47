"""What one site crawl works with and holds while it runs: its collaborators, its state and its candidates.

`SiteCrawler` is what `crawl_site` is given once (options, the sweep's fetcher, the renderer, the clock); `SiteState`
is everything the crawl of one site learns as it goes (the frontier, the link graph, the candidate and kept
documents, the issues, the trail). The steps of a crawl (`site_pages`, `site_leads`, `site_documents`,
`site_paths`) are functions of the two, so each can live with its own concept and none holds state of its own.
Failures are recorded here as counted `CrawlIssue`s, never raised for the site's own failures.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime

from crawlers.errors import CrawlError, FetchError, RefusedAddress, RobotsDisallowed, TooLarge
from crawlers.fetch import Fetcher, Response
from crawlers.frontier import Frontier, FrontierEntry
from crawlers.graph import LinkGraph
from crawlers.render import RenderBudget, Renderer
from crawlers.render_cache import RenderCache
from crawlers.render_policy import SiteRenders
from crawlers.renditions import SiteRenditions
from crawlers.types import CrawlIssue, CrawlOptions, FetchedDocument, SearchTrail
from crawlers.urls import origin_of

#: bonus for plan-like HTML pages and links: an explicit plan title beats menu words
PLAN_BONUS = 5.0
#: pages of a check's trail named one by one (the count is always whole): a bound on a check row's size
MAX_TRAIL_PAGES = 500


@dataclass(frozen=True)
class SiteCrawler:
    """What crawls one site: `renderer` may be None (no rendering); `now` stamps started/finished/fetched times."""

    options: CrawlOptions
    fetcher: Fetcher
    renderer: Renderer | None
    now: Callable[[], datetime]


@dataclass
class DocumentCandidate:
    """A document link to download before the verdict."""

    url: str
    score: float
    anchor_text: str


@dataclass(frozen=True)
class QueuedRender:
    """A page waiting for its render: the crawler's fetch of it, how it was reached, its script signature."""

    node: str
    response: Response
    entry: FrontierEntry
    signature: str


@dataclass
class SiteState:
    """What the crawl of one site has learned so far."""

    start_url: str
    front_key: str
    front_url: str
    site_keys: frozenset[str]
    frontier: Frontier
    graph: LinkGraph = field(default_factory=LinkGraph)
    candidates: dict[str, DocumentCandidate] = field(default_factory=dict)
    documents: dict[str, FetchedDocument] = field(default_factory=dict)  # node key -> document
    #: bytes of the bodies in `documents` (at most `options.max_document_bytes_per_site`)
    document_bytes: int = 0
    #: node keys and URLs of documents refused or dropped for the byte budget (not downloaded again)
    over_budget: set[str] = field(default_factory=set)
    issues: list[CrawlIssue] = field(default_factory=list)
    search_keys: set[str] = field(default_factory=set)
    search_ranks: dict[str, int] = field(default_factory=dict)  # normalised URL -> best rank
    sitemap_keys: set[str] | None = None  # normalised URLs the sitemap lists; None when none could be read
    #: where the crawler looked besides links (sitemaps, the site's search), stored with the check
    trail: SearchTrail = field(default_factory=SearchTrail)
    #: final URLs of the pages read, in order (at most MAX_TRAIL_PAGES), for the trail
    pages_read: list[str] = field(default_factory=list)
    robots_disallowed: int = 0
    pages_fetched: int = 0
    page_attempts: int = 0
    rendered_pages: int = 0
    #: which pages are worth a render (`crawlers.render_policy`)
    renders: SiteRenders = field(default_factory=SiteRenders)
    html_documents: int = 0
    render_budget: RenderBudget | None = None
    #: what the site's renders fetched, for its later renders (`crawlers.render_cache`)
    render_cache: RenderCache = field(default_factory=RenderCache)
    #: pages waiting for a render, and the task rendering them one at a time beside the page walk (`site_pages`)
    render_queue: deque[QueuedRender] = field(default_factory=deque)
    render_worker: asyncio.Task[None] | None = None
    #: site sections (`urls.section_of`) whose pages linked a candidate document or a plan-like page
    hubs: set[str] = field(default_factory=set)
    #: query parameters learned to carry a session on this site (`urls.session_like_params`), dropped from links
    session_params: frozenset[str] = frozenset()
    #: query parameters learned to give only another rendition of a page (`crawlers.renditions`), dropped too
    renditions: SiteRenditions = field(default_factory=SiteRenditions)
    #: the heading key (`renditions.heading_key`) of each page read, by node
    headings: dict[str, int] = field(default_factory=dict)

    @property
    def void_params(self) -> frozenset[str]:
        """Query parameters taken off this site's URLs: they carry a session or give another rendition."""
        return self.session_params | self.renditions.learned


def trail(state: SiteState) -> SearchTrail:
    """The state's trail with the pages read, each as a path when it is on the front page's origin (shorter)."""
    origin = origin_of(state.front_url)
    pages = tuple(url.removeprefix(origin) if url.startswith(origin + "/") else url for url in state.pages_read)
    return replace(state.trail, pages=pages)


def crawl_issue(url: str, exc: CrawlError) -> CrawlIssue:
    """The issue a failed fetch of `url` is counted as."""
    if isinstance(exc, RobotsDisallowed):
        return CrawlIssue(url, "robots_disallowed", str(exc))
    if isinstance(exc, TooLarge):
        return CrawlIssue(url, "too_large", exc.detail)
    if isinstance(exc, RefusedAddress):
        return CrawlIssue(url, "refused_address", exc.detail)
    if isinstance(exc, FetchError):
        return CrawlIssue(url, "fetch_error", exc.detail, exc.status)
    return CrawlIssue(url, "fetch_error", str(exc))


def record(state: SiteState, url: str, exc: CrawlError) -> None:
    """Count a failed fetch of `url` as an issue (and as robots-disallowed when robots.txt refused it)."""
    if isinstance(exc, RobotsDisallowed):
        state.robots_disallowed += 1
    state.issues.append(crawl_issue(url, exc))


def add_candidate(state: SiteState, url: str, score: float, anchor: str) -> None:
    """A document to download before the verdict (its format is decided from its bytes then)."""
    current = state.candidates.get(url)
    if current is None or score > current.score:
        state.candidates[url] = DocumentCandidate(url, score, anchor or (current.anchor_text if current else ""))
