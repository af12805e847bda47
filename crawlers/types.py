"""Plain, frozen types the crawler takes and returns.

The crawler knows URLs and bytes, not kommuner or the database: `tracker` turns these into rows.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any, Literal

FoundVia = Literal["link", "rendered", "site_search", "sitemap"]
RenderMode = Literal["auto", "never", "always"]
DocumentFormat = Literal["pdf", "html", "docx"]
TextSource = Literal["text_layer", "ocr", "html"]

DEFAULT_USER_AGENT = "PlanvaktBot/0.1 (+https://planvakt.no/om-crawleren; crawler for public action plans)"

#: Queries probed against a site's own search, in nb, nn and da.
DEFAULT_SEARCH_QUERIES: tuple[str, ...] = (
    "handlingsplan seksuelle overgrep",
    "handlingsplan vold",
    "beredskab seksuelle overgreb",
)


@dataclass(frozen=True)
class CrawlOptions:
    """Everything that steers one crawl. Defaults are the polite ones."""

    user_agent: str = DEFAULT_USER_AGENT
    max_pages_per_site: int = 300
    per_host_delay: float = 1.0
    #: sites in flight at once; 0 (the default): every site, paced by politeness alone (see `crawlers.sweep`)
    concurrency: int = 0
    #: HTTP connections open at once over all hosts (one per origin at most; the idlest is closed to make room)
    max_open_connections: int = 512
    render: RenderMode = "auto"
    allow_private_networks: bool = False
    timeout: float = 20.0
    max_retries: int = 2
    retry_backoff: float = 1.0
    max_response_bytes: int = 40_000_000
    max_documents_per_site: int = 40
    #: bytes of document bodies one site crawl may hold (40 documents of up to `max_response_bytes` each would be
    #: 1.6 GB): a document that would pass it is not kept, and a "document_budget" issue names it.
    max_document_bytes_per_site: int = 120_000_000
    #: bytes of document bodies all sites of a sweep may hold together (`crawlers.budget`): a site waits for room
    #: rather than pass it, and a site's bytes come back once its documents are stored. The bodies held stay under
    #: this plus one site's cap, plus one response in flight per site.
    max_document_bytes: int = 1_000_000_000
    max_visits_per_path_pattern: int = 15
    chromium_path: str = "/usr/bin/chromium"
    #: seconds of browser rendering one site may use in total (all its rendered pages together): 180 s left script-menu
    #: sites with no plan unfinished, a failed check on our side (3-4 of the 40 sites of tuning seed 9)
    render_budget_per_site: float = 360.0
    #: at most this many seconds for one rendered page; then its DOM is taken as it is (partial)
    render_page_seconds: float = 30.0
    #: a rendered page is settled when none of its requests was in flight and its DOM did not change for this long
    render_quiet_seconds: float = 0.5
    search_queries: tuple[str, ...] = DEFAULT_SEARCH_QUERIES

    def record(self) -> dict[str, Any]:
        """The options as a run stores them (JSON-ready; the fixed search queries are left out)."""
        return {k: v for k, v in asdict(self).items() if k != "search_queries"}


@dataclass(frozen=True)
class Hop:
    """One step of a click path: the page URL and the link text that was clicked to get there."""

    url: str
    anchor_text: str = ""


@dataclass(frozen=True)
class FetchedDocument:
    """A candidate plan document the crawler downloaded, with how it was reached."""

    url: str
    final_url: str
    status: int
    content_type: str
    format: DocumentFormat
    body: bytes = field(repr=False)
    sha256: str
    anchor_text: str
    found_via: FoundVia
    click_depth: int | None
    click_path: tuple[Hop, ...]
    redirects: tuple[str, ...]
    fetched_at: datetime
    #: the discovery score the frontier gave it (higher: more plan-like context)
    score: float = 0.0
    #: whether the site's sitemap lists it (None: the site has no readable sitemap)
    in_sitemap: bool | None = None
    #: best 1-based rank in the site's own search results for the standard queries (None: not returned)
    search_rank: int | None = None


@dataclass(frozen=True)
class CrawlIssue:
    """A per-URL problem that did not stop the site crawl (recorded, counted, never silent)."""

    url: str
    #: "fetch_error" | "http_status" | "robots_disallowed" | "too_large" | "refused_address" | "render_error" |
    #: "document_budget" (not kept: the site's `max_document_bytes_per_site` was spent) | "html_guarded" (a page
    #: cut before parsing: too deep or too long, see `htmlguard.guard_html`) | ...
    kind: str
    detail: str
    status: int | None = None


@dataclass(frozen=True)
class SearchTrail:
    """Where the crawler looked besides the links, so a "no plan found" can say what was searched."""

    #: the sitemap files read, and how many URLs they listed
    sitemaps: tuple[str, ...] = ()
    sitemap_entries: int = 0
    #: the site's own search as used: its address (None: no search found) and "form" | "probe"
    search_action: str | None = None
    search_source: str | None = None
    #: each query asked, with the result links it gave (None: the request failed)
    searches: tuple[tuple[str, int | None], ...] = ()
    #: the pages opened by following links and sitemap entries, in the order read (the front page first): a path
    #: for a page on the front page's origin, else the full URL; search result pages are in `searches` instead
    pages: tuple[str, ...] = ()


@dataclass(frozen=True)
class SiteCrawl:
    """The outcome of crawling one site."""

    start_url: str
    final_start_url: str | None
    reachable: bool
    error: str | None
    pages_fetched: int
    documents: tuple[FetchedDocument, ...]
    issues: tuple[CrawlIssue, ...]
    robots_disallowed: int
    rendered_pages: int
    started_at: datetime
    finished_at: datetime
    #: True when the site answered but every useful page was denied to us (403/429 walls, robots.txt disallow-all)
    blocked: bool = False
    #: a failure of our own (a crash in the crawler, the browser dying) that makes this crawl no evidence about the
    #: site: never stored as "unreachable" or "no plan"
    our_failure: str | None = None
    trail: SearchTrail = SearchTrail()

    @property
    def discovery_cut(self) -> str | None:
        """Why part of the site went unread for a limit of ours, or None: the site's rendering budget (browser time
        we grant it) ran out with script-built pages left unrendered. Their links may lead to the plan, so a
        verdict that the plan is absent cannot rest on this crawl (a slow site gets its pages, not a guess)."""
        cut = next((issue for issue in self.issues if issue.kind == "render_budget"), None)
        return None if cut is None else f"rendering budget spent before {cut.url} was rendered ({cut.detail})"


@dataclass(frozen=True)
class ExtractedText:
    """Text pulled from a document's bytes, page by page (HTML and DOCX give one page per section)."""

    text_source: TextSource
    title: str
    pages: tuple[str, ...]
    page_count: int
    headings: tuple[str, ...] = ()
    language: str | None = None  # declared language (PDF /Lang, <html lang>), if any
    metadata: tuple[tuple[str, str], ...] = ()
    extractor: str = ""
    #: mean OCR confidence 0..100 when text_source == "ocr"
    ocr_confidence: float | None = None
    #: accessibility facts (PDF tagged, has a text layer ...), kept as pairs to stay hashable
    facts: tuple[tuple[str, str], ...] = ()
