"""The site's own search: find it, ask it our queries, and read the result links.

First a GET form on the front page with a text input (ACOS `txtSearch`, or a name like q/query/search/sok/soeg);
else common search URLs are probed (`/sok?q=`, `/search?q=`, `/soeg?q=`, `/sog?q=`, `/sok?searchquery=`).
Result links are the links of the result page that are not already on the front page (menus and footers repeat
on every page; the results are what is new).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from urllib.parse import urlencode, urljoin, urlsplit, urlunsplit

from selectolax.lexbor import LexborHTMLParser

from crawlers.errors import CrawlError
from crawlers.fetch import Fetcher, Response
from crawlers.htmlguard import parse_html
from crawlers.links import PageLink, base_href, extract_links
from crawlers.urls import normalize_url

logger = logging.getLogger(__name__)

#: input names that mean "search text", best first
_QUERY_NAMES = ("q", "query", "search", "searchquery", "sok", "søk", "soeg", "søg", "s", "keyword", "keywords", "text")
_TEXT_TYPES = ("", "text", "search")
PROBES: tuple[tuple[str, str], ...] = (
    ("/sok", "q"),
    ("/search", "q"),
    ("/soeg", "q"),
    ("/sog", "q"),
    ("/sok", "searchquery"),
)


@dataclass(frozen=True)
class SearchEndpoint:
    """How to ask a site's search: GET `action` with `param`=query plus the form's fixed fields."""

    action: str
    param: str
    fixed: tuple[tuple[str, str], ...] = ()
    source: str = "form"  # "form" | "probe"

    def url_for(self, query: str) -> str:
        parts = urlsplit(self.action)
        pairs = [*self.fixed, (self.param, query)]
        return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", urlencode(pairs), ""))


@dataclass(frozen=True)
class SearchHit:
    """A link from a search result page, with the query that produced it."""

    url: str
    text: str
    context: str
    query: str
    #: 1-based position in that query's result list
    rank: int = 0


@dataclass
class SearchOutcome:
    """Everything the site search did: endpoint used, hits, pages fetched and problems met."""

    endpoint: SearchEndpoint | None = None
    hits: list[SearchHit] = field(default_factory=list)
    pages_fetched: int = 0
    result_pages: list[str] = field(default_factory=list)
    errors: list[tuple[str, CrawlError]] = field(default_factory=list)
    #: each query asked of the found search, with its result links (None: the request failed)
    asked: list[tuple[str, int | None]] = field(default_factory=list)


def _query_input_score(name: str) -> int:
    lowered = name.lower()
    if "txtsearch" in lowered:
        return 100
    last = lowered.rsplit("$", 1)[-1]
    if last in _QUERY_NAMES:
        return 90 - _QUERY_NAMES.index(last)
    if any(word in lowered for word in ("search", "sok", "søk", "soeg", "søg", "query")):
        return 40
    return 1


def find_search_forms(html: str | LexborHTMLParser, page_url: str) -> list[SearchEndpoint]:
    """GET forms with a text input, best candidate first. POST forms (ASP.NET WebForms) are not usable."""
    tree = html if isinstance(html, LexborHTMLParser) else parse_html(html)
    base = base_href(tree, page_url)
    scored: list[tuple[int, SearchEndpoint]] = []
    for form in tree.css("form"):
        method = (form.attributes.get("method") or "get").strip().lower()
        if method != "get":
            continue
        action = urljoin(base, (form.attributes.get("action") or "").strip() or page_url)
        if normalize_url(action) is None:
            continue
        best: tuple[int, str] | None = None
        fixed: list[tuple[str, str]] = []
        for node in form.css("input[name]"):
            name = node.attributes.get("name") or ""
            kind = (node.attributes.get("type") or "").strip().lower()
            if kind == "hidden":
                fixed.append((name, node.attributes.get("value") or ""))
            elif kind in _TEXT_TYPES:
                score = _query_input_score(name) + (20 if kind == "search" else 0)
                if best is None or score > best[0]:
                    best = (score, name)
        if best is not None:
            scored.append((best[0], SearchEndpoint(action, best[1], tuple(fixed))))
    scored.sort(key=lambda item: -item[0])
    return [endpoint for _, endpoint in scored]


def result_links(response: Response, front_links: set[str]) -> list[PageLink]:
    """The links of a result page that are not navigation (not on the front page, not other searches)."""
    search_path = urlsplit(response.final_url).path
    links = []
    for link in extract_links(response.text(), response.final_url):
        if link.url in front_links or urlsplit(link.url).path == search_path:
            continue
        links.append(link)
    return links


async def _try(fetcher: Fetcher, url: str, outcome: SearchOutcome) -> Response | None:
    try:
        response = await fetcher.fetch(url)
    except CrawlError as exc:
        outcome.errors.append((url, exc))
        return None
    outcome.pages_fetched += 1
    if not response.ok or not response.is_html:
        return None
    return response


async def search_site(
    fetcher: Fetcher,
    front: Response,
    front_links: set[str],
    queries: tuple[str, ...],
    *,
    max_pages: int,
) -> SearchOutcome:
    """Run each query against the site's search (form first, else probes) within `max_pages` fetches.

    A probe counts as the site's search when it answers 2xx HTML with at least one result link for the first
    query. Hits are deduplicated on the URL (first query wins).
    """
    outcome = SearchOutcome()
    if not queries or max_pages <= 0:
        return outcome
    origin = f"{urlsplit(front.final_url).scheme}://{urlsplit(front.final_url).netloc}"
    candidates = find_search_forms(front.text(), front.final_url)[:1]
    candidates += [SearchEndpoint(origin + path, param, source="probe") for path, param in PROBES]
    first_results: list[PageLink] | None = None
    for endpoint in candidates:
        if outcome.pages_fetched >= max_pages:
            return outcome
        url = endpoint.url_for(queries[0])
        response = await _try(fetcher, url, outcome)
        if response is None:
            continue
        links = result_links(response, front_links)
        if links or endpoint.source == "form":
            outcome.endpoint = endpoint
            outcome.result_pages.append(url)
            first_results = links
            break
    if outcome.endpoint is None or first_results is None:
        return outcome
    seen: set[str] = set()

    def add(links: list[PageLink], query: str) -> None:
        for rank, link in enumerate(links, start=1):
            if link.url not in seen:
                seen.add(link.url)
                outcome.hits.append(SearchHit(link.url, link.text, link.context, query, rank))

    add(first_results, queries[0])
    outcome.asked.append((queries[0], len(first_results)))
    for query in queries[1:]:
        if outcome.pages_fetched >= max_pages:
            break
        url = outcome.endpoint.url_for(query)
        response = await _try(fetcher, url, outcome)
        if response is None:
            outcome.asked.append((query, None))
            continue
        outcome.result_pages.append(url)
        links = result_links(response, front_links)
        outcome.asked.append((query, len(links)))
        add(links, query)
    logger.debug("site search %s: %d hits", outcome.endpoint.action, len(outcome.hits))
    return outcome
