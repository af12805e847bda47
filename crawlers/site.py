"""Crawl one kommune site: front page, discovery (links, sitemaps, site search, rendering), candidate documents.

`crawl_site` never raises for the site's own failures: an unreachable front page gives `reachable=False` with
the error (so does a robots.txt that answers 5xx/429: the site is failing), a 401/403/429 wall or a robots.txt that
disallows us everything gives `blocked=True`, and every per-URL failure becomes a
counted `CrawlIssue`. Discovery is best-first (see `frontier.py`); every link is kept in a `LinkGraph`. Best-first
finds a plan by its most promising path, not always its shortest, so a reserve of the page budget then fetches the
shallow pages that could shorten the paths of the likeliest plans (`_shorten_paths`), also for plans the site's
search or sitemap found first. At the end each document gets the shortest click path from the front page:
static links only -> found_via "link" (click_depth = clicks); with rendered links -> "rendered"; reachable from
a site-search result -> "site_search" (depth None); else "sitemap" (depth None).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime

from selectolax.lexbor import LexborHTMLParser

from crawlers.errors import CrawlError, FetchError, RefusedAddress, RenderBudgetSpent, RobotsDisallowed, TooLarge
from crawlers.fetch import Fetcher, Response
from crawlers.frontier import Frontier, FrontierEntry
from crawlers.graph import EdgeKind, LinkGraph, PathStep
from crawlers.htmlguard import guard_html, parse_html
from crawlers.links import extract_links, page_h1, page_title, section_headings
from crawlers.render import RenderBudget, Renderer
from crawlers.render_policy import SiteRenders
from crawlers.scoring import is_candidate_document, looks_like_plan, page_may_be_plan, score_link
from crawlers.site_search import search_site
from crawlers.sitemap import read_sitemaps
from crawlers.types import (
    CrawlIssue,
    CrawlOptions,
    DocumentFormat,
    FetchedDocument,
    FoundVia,
    Hop,
    SearchTrail,
    SiteCrawl,
)
from crawlers.urls import (
    document_format_of,
    host_of,
    is_skippable,
    may_be_download,
    normalize_url,
    origin_of,
    same_site,
    section_of,
    session_like_params,
    site_key,
    without_params,
)

logger = logging.getLogger(__name__)

#: fetches the site search may spend (form/probes plus one per query)
MAX_SEARCH_PAGES = 10
#: share of a parent's score a child link inherits, so the subtree of a promising page is explored first
INHERIT = 0.5
#: depth given to URLs that come from sitemaps or search (ordering only; paths come from the graph)
DETACHED_DEPTH = 50
#: bonus for plan-like HTML pages and links: an explicit plan title beats menu words
PLAN_BONUS = 5.0
#: candidate score of a sitemap URL that looks like a file script (no words to score): after the named documents
DOWNLOAD_SCORE = 0.5
#: bonus for links into a section of this site that already led to plan material (the frontier learns the site)
HUB_BONUS = 1.5
#: HTML pages per site kept as candidate plan documents (pages headed like a plan or about the topic)
MAX_HTML_DOCUMENTS = 25
#: the best candidate documents whose click paths are shortened after discovery (see `_shorten_paths`)
PATH_TARGETS = 6
#: pages the path shortening may fetch per site (within the page budget)
MAX_PATH_PAGES = 40
#: how deep path shortening looks for a link path to a plan found only through search or sitemap
MAX_PATH_DEPTH = 4
#: pages of a check's trail named one by one (the count is always whole): a bound on a check row's size
MAX_TRAIL_PAGES = 500

_STATIC: frozenset[EdgeKind] = frozenset({"static"})
_ALL: frozenset[EdgeKind] = frozenset({"static", "rendered"})


@dataclass
class _Candidate:
    url: str
    score: float
    anchor_text: str


@dataclass
class _State:
    start_url: str
    front_key: str
    front_url: str
    site_keys: frozenset[str]
    frontier: Frontier
    graph: LinkGraph = field(default_factory=LinkGraph)
    candidates: dict[str, _Candidate] = field(default_factory=dict)
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
    #: site sections (`urls.section_of`) whose pages linked a candidate document or a plan-like page
    hubs: set[str] = field(default_factory=set)
    #: query parameters learned to carry a session on this site (`urls.session_like_params`), dropped from links
    session_params: frozenset[str] = frozenset()


def _trail(state: _State) -> SearchTrail:
    """The state's trail with the pages read, each as a path when it is on the front page's origin (shorter)."""
    origin = origin_of(state.front_url)
    pages = tuple(url.removeprefix(origin) if url.startswith(origin + "/") else url for url in state.pages_read)
    return replace(state.trail, pages=pages)


def _issue(url: str, exc: CrawlError) -> CrawlIssue:
    if isinstance(exc, RobotsDisallowed):
        return CrawlIssue(url, "robots_disallowed", str(exc))
    if isinstance(exc, TooLarge):
        return CrawlIssue(url, "too_large", exc.detail)
    if isinstance(exc, RefusedAddress):
        return CrawlIssue(url, "refused_address", exc.detail)
    if isinstance(exc, FetchError):
        return CrawlIssue(url, "fetch_error", exc.detail, exc.status)
    return CrawlIssue(url, "fetch_error", str(exc))


class _SiteCrawler:
    def __init__(
        self,
        options: CrawlOptions,
        fetcher: Fetcher,
        renderer: Renderer | None,
        now: Callable[[], datetime],
    ) -> None:
        self.options = options
        self.fetcher = fetcher
        self.renderer = renderer
        self.now = now

    # -- bookkeeping ---------------------------------------------------------------------------------------

    def _record(self, state: _State, url: str, exc: CrawlError) -> None:
        if isinstance(exc, RobotsDisallowed):
            state.robots_disallowed += 1
        state.issues.append(_issue(url, exc))

    def _document(self, response: Response, fmt: DocumentFormat, anchor_text: str, score: float) -> FetchedDocument:
        # found_via and the click path are filled in at the end, when the whole graph is known
        return FetchedDocument(
            url=response.url,
            final_url=response.final_url,
            status=response.status,
            content_type=response.content_type,
            format=fmt,
            body=response.body,
            sha256=hashlib.sha256(response.body).hexdigest(),
            anchor_text=anchor_text,
            found_via="sitemap",
            click_depth=None,
            click_path=(),
            redirects=response.redirects,
            fetched_at=self.now(),
            score=score,
        )

    def _keep(self, state: _State, node: str, document: FetchedDocument) -> None:
        """Hold `document` unless the site's byte budget is spent; then it, or the held documents with a lower
        score that make room for it, are let go with a "document_budget" issue each (never silently)."""
        cap = self.options.max_document_bytes_per_site
        size = len(document.body)
        if state.document_bytes + size > cap:
            room = cap - state.document_bytes
            drop: list[str] = []
            # the least likely first: a document found early in discovery does not crowd out a better one
            for key, held in sorted(state.documents.items(), key=lambda item: (item[1].score, item[0])):
                if room >= size or held.score >= document.score:
                    break
                room += len(held.body)
                drop.append(key)
            if room < size:
                self._over_budget(state, node, document, f"not kept: its {size:,} bytes would pass")
                return
            for key in drop:
                held = state.documents.pop(key)
                state.document_bytes -= len(held.body)
                self._over_budget(
                    state, key, held, f"dropped: its {len(held.body):,} bytes made way for {document.url} in"
                )
        state.documents[node] = document
        state.document_bytes += size

    def _over_budget(self, state: _State, node: str, document: FetchedDocument, why: str) -> None:
        """Record a document let go for the byte budget, and never fetch it again."""
        state.over_budget.update((node, document.url))
        cap = self.options.max_document_bytes_per_site
        detail = f"{why} the site's document budget of {cap:,} bytes (max_document_bytes_per_site)"
        state.issues.append(CrawlIssue(document.url, "document_budget", detail))

    def _add_candidate(self, state: _State, url: str, score: float, anchor: str) -> None:
        """A document to download before the verdict (its format is decided from its bytes then)."""
        current = state.candidates.get(url)
        if current is None or score > current.score:
            state.candidates[url] = _Candidate(url, score, anchor or (current.anchor_text if current else ""))

    # -- pages ---------------------------------------------------------------------------------------------

    def _take_links(
        self,
        state: _State,
        node: str,
        tree: LexborHTMLParser,
        base_url: str,
        parent: FrontierEntry,
        kind: EdgeKind,
        page_heading: str = "",
    ) -> list[str]:
        """Add a page's links to the graph, the frontier and the document candidates; returns its links on the site.

        `page_heading` (the page's title and h1) counts as context for its document links: on a page headed
        "Handlingsplan mot vold og overgrep" a link that only says "Last ned (PDF)" is a candidate.
        """
        taken: list[str] = []
        productive = False
        links = extract_links(tree, base_url)
        state.session_params |= session_like_params(link.url for link in links)
        for link in links:
            if state.session_params:
                link = replace(link, url=without_params(link.url, state.session_params))
            if not same_site(link.url, state.site_keys) or is_skippable(link.url):
                continue
            taken.append(link.url)
            if kind == "rendered" and state.graph.has_edge(node, link.url, "static"):
                continue
            state.graph.add(node, link.url, link.text, kind)
            score = score_link(link.text, link.url, link.context, linked_from=base_url)
            fmt = document_format_of(link.url)
            if fmt is not None:
                if is_candidate_document(link.text, link.url, f"{link.context} {page_heading}"):
                    bonus = PLAN_BONUS if looks_like_plan(f"{link.text} {link.url}") else 0.0
                    self._add_candidate(state, link.url, score.value + bonus, link.text)
                    productive = True
                continue
            value = score.value + INHERIT * max(parent.score, 0.0)
            if looks_like_plan(link.text):
                value += PLAN_BONUS
                productive = True
            if section_of(link.url) in state.hubs:
                value += HUB_BONUS
            state.frontier.push(
                FrontierEntry(
                    url=link.url,
                    score=round(value, 3),
                    depth=parent.depth + 1,
                    found_via="rendered" if kind == "rendered" else "link",
                    anchor_text=link.text,
                    context=link.context,
                    reasons=score.reasons,
                )
            )
        if productive and node != state.front_key:
            state.hubs.add(section_of(node))  # this site files plan material here: explore its section first
        return taken

    async def _visit_page(self, state: _State, node: str, response: Response, entry: FrontierEntry) -> None:
        guarded = guard_html(response.text())
        if guarded.cut:  # a page built to make parsing slow (issue 12, item 9): what was cut is the site's problem
            state.issues.append(CrawlIssue(response.final_url, "html_guarded", guarded.cut))
        tree = LexborHTMLParser(guarded.html)
        title, h1 = page_title(tree), page_h1(tree)
        # a vague title ("Veileder", "Trygge barn"): the address or the chapter headings may name the subject
        plan_like = page_may_be_plan(title, h1, response.final_url, section_headings(tree))
        if node != state.front_key and plan_like:
            # read by the classifier, which tells a plan page from a news item or a landing page that mentions one
            if state.html_documents < MAX_HTML_DOCUMENTS and len(state.documents) < self.options.max_documents_per_site:
                state.html_documents += 1
                self._keep(state, node, self._document(response, "html", entry.anchor_text or h1, entry.score))
        self._take_links(state, node, tree, response.final_url, entry, "static", f"{title} {h1}")
        if self.renderer is None:
            return
        max_pages = self.options.max_pages_per_site
        signature = state.renders.signature_to_render(tree, response.final_url, self.options.render, max_pages)
        if signature is not None:
            await self._render(state, node, response.final_url, entry, signature)

    async def _render(self, state: _State, node: str, url: str, entry: FrontierEntry, signature: str) -> None:
        if self.renderer is None:
            return
        state.renders.attempts += 1
        if state.render_budget is None:
            state.render_budget = self.renderer.new_budget()  # one per crawl: a retried site starts afresh
        try:
            page = await self.renderer.render_page(url, budget=state.render_budget)
        except RobotsDisallowed as exc:
            self._record(state, url, exc)
            return
        except RenderBudgetSpent as exc:
            state.renders.spent(self.options.max_pages_per_site)
            state.issues.append(CrawlIssue(url, "render_budget", str(exc)))
            return
        except CrawlError as exc:
            if exc.ours:
                raise  # our browser failed: the sweep tries the site again, then records our failure
            state.issues.append(CrawlIssue(url, "render_error", str(exc), getattr(exc, "status", None)))
            return
        state.rendered_pages += 1
        links = self._take_links(state, node, parse_html(page.html), page.final_url, entry, "rendered")
        state.renders.learn(signature, links, [url for url in links if not state.graph.has_edge(node, url, "static")])

    async def _crawl_pages(self, state: _State, budget: int) -> None:
        """Best-first discovery until `budget` page attempts are spent or the frontier is empty."""
        while state.page_attempts < budget:
            entry = state.frontier.pop()
            if entry is None:
                return
            await self._fetch_entry(state, entry)

    async def _fetch_entry(self, state: _State, entry: FrontierEntry) -> None:
        """Fetch one URL of the site and take what it holds: a document, or a page's links."""
        node = normalize_url(entry.url) or entry.url
        state.page_attempts += 1
        state.frontier.mark_done(entry.url)
        try:
            response = await self.fetcher.fetch(entry.url)
        except CrawlError as exc:
            self._record(state, entry.url, exc)
            if isinstance(exc, RobotsDisallowed):
                state.page_attempts -= 1  # never requested: costs no budget
            return
        state.frontier.mark_done(response.final_url)
        fmt = response.document_format
        if fmt is not None:
            # a document behind an extension-less link (`/dokument/hent?id=7`): not a page, and its bytes are
            # already here, so it is read whatever its link said
            state.page_attempts -= 1
            if response.ok and len(state.documents) < self.options.max_documents_per_site:
                self._keep(state, node, self._document(response, fmt, entry.anchor_text, entry.score))
            return
        state.pages_fetched += 1
        if len(state.pages_read) < MAX_TRAIL_PAGES:
            state.pages_read.append(response.final_url)
        if not response.ok:
            state.issues.append(CrawlIssue(entry.url, "http_status", f"HTTP {response.status}", response.status))
            return
        if not response.is_html or not same_site(response.final_url, state.site_keys):
            return
        await self._visit_page(state, node, response, entry)

    async def _shorten_paths(self, state: _State) -> None:
        """Look for shorter click paths to the likeliest plans, within the page budget.

        Best-first discovery reaches a plan by the most promising path, not always the shortest one, and a plan
        found through the site's search or sitemap may have no link path yet. How many clicks a plan takes is half
        of what Planvakt reports, so before the documents are downloaded: for each of the `PATH_TARGETS` best
        candidates at static depth d (or none), the pages already linked but not yet fetched at depth <= d - 2 are
        fetched, most promising first, until no such page is left, the plan's path cannot get shorter, or the
        budget (at most `MAX_PATH_PAGES` pages) runs out.
        """
        spent = 0
        while state.page_attempts < self.options.max_pages_per_site and spent < MAX_PATH_PAGES:
            depths = state.graph.depths([state.front_key], _STATIC)
            pages = self._unfetched_pages(state, depths)
            if not pages:
                return
            limit = max((self._path_limit(depths.get(t)) for t in self._path_targets(state)), default=-1)
            todo = [(depth, entry) for depth, entry in pages if depth <= limit]
            if not todo:
                return
            todo.sort(key=lambda item: (-item[1].score, item[0], item[1].url))
            _, entry = todo[0]
            before = state.page_attempts
            await self._fetch_entry(state, entry)
            spent += 1 if state.page_attempts > before else 0

    def _path_targets(self, state: _State) -> list[str]:
        ranked = sorted(state.candidates.values(), key=lambda c: (-c.score, c.url))[:PATH_TARGETS]
        keys = [normalize_url(c.url) or c.url for c in ranked]
        fetched = sorted(state.documents.items(), key=lambda item: (-item[1].score, item[0]))[:PATH_TARGETS]
        return keys + [node for node, _ in fetched]

    @staticmethod
    def _path_limit(depth: int | None) -> int:
        """How deep a page may be and still shorten the path of a target at `depth` (None: no link path yet)."""
        return MAX_PATH_DEPTH if depth is None else depth - 2

    def _unfetched_pages(self, state: _State, depths: dict[str, int]) -> list[tuple[int, FrontierEntry]]:
        """Pages linked (statically) from fetched pages but never fetched, with their depth, as frontier entries."""
        result: list[tuple[int, FrontierEntry]] = []
        for node, depth in depths.items():
            if state.frontier.is_done(node) or document_format_of(node) is not None or is_skippable(node):
                continue
            if not same_site(node, state.site_keys):
                continue
            anchor = state.graph.anchor_text(node)
            score = score_link(anchor, node).value + (PLAN_BONUS if looks_like_plan(anchor) else 0.0)
            result.append((depth, FrontierEntry(node, score, depth, "link", anchor)))
        return result

    # -- other discovery -----------------------------------------------------------------------------------

    async def _sitemaps(self, state: _State) -> None:
        rules = await self.fetcher.robots(state.front_url)
        result = await read_sitemaps(self.fetcher, origin_of(state.front_url), rules.sitemaps)
        state.trail = replace(state.trail, sitemaps=result.sitemaps_read, sitemap_entries=len(result.entries))
        for url, detail in result.errors:
            state.issues.append(CrawlIssue(url, "fetch_error", f"sitemap: {detail}"))
        if result.entries:
            state.sitemap_keys = {normalize_url(entry.url) or entry.url for entry in result.entries}
        for entry in result.entries:
            if not same_site(entry.url, state.site_keys) or is_skippable(entry.url):
                continue
            score = score_link("", entry.url)
            fmt = document_format_of(entry.url)
            if fmt is not None:
                # a sitemap lists a site's documents without link text, and plans are often filed as "endelig.pdf":
                # every listed document is a candidate, the plan-like ones first
                bonus = PLAN_BONUS if looks_like_plan(entry.url.replace("-", " ")) else 0.0
                self._add_candidate(state, entry.url, score.value + bonus, "")
            elif may_be_download(entry.url):
                # a listed `/media/<id>/download` has no words to score but may be the plan: read (by its bytes)
                # with the documents, after the ones whose names speak of a plan
                self._add_candidate(state, entry.url, max(score.value, DOWNLOAD_SCORE), "")
            elif score.value > 0:
                state.frontier.push(
                    FrontierEntry(entry.url, score.value, DETACHED_DEPTH, "sitemap", reasons=score.reasons)
                )

    async def _site_search(self, state: _State, front: Response, front_links: set[str]) -> None:
        budget = min(MAX_SEARCH_PAGES, self.options.max_pages_per_site - state.page_attempts)
        outcome = await search_site(self.fetcher, front, front_links, self.options.search_queries, max_pages=budget)
        state.page_attempts += outcome.pages_fetched
        state.pages_fetched += outcome.pages_fetched
        if outcome.endpoint is not None:
            state.trail = replace(
                state.trail,
                search_action=outcome.endpoint.action,
                search_source=outcome.endpoint.source,
                searches=tuple(outcome.asked),
            )
        for url, exc in outcome.errors:
            self._record(state, url, exc)
        for hit in outcome.hits:
            if not same_site(hit.url, state.site_keys) or is_skippable(hit.url):
                continue
            state.search_keys.add(hit.url)
            key = normalize_url(hit.url) or hit.url
            state.search_ranks[key] = min(hit.rank, state.search_ranks.get(key, hit.rank))
            score = score_link(hit.text, hit.url, hit.context)
            fmt = document_format_of(hit.url)
            bonus = PLAN_BONUS if looks_like_plan(hit.text) else 0.0
            if fmt is not None:
                self._add_candidate(state, hit.url, score.value + bonus + 1.0, hit.text)
            else:
                state.frontier.push(
                    FrontierEntry(
                        hit.url, score.value + bonus + 1.0, DETACHED_DEPTH, "site_search", hit.text, hit.context
                    )
                )

    # -- documents -----------------------------------------------------------------------------------------

    async def _download_documents(self, state: _State) -> None:
        seen_final = {doc.final_url for doc in state.documents.values()}
        seen_hash = {doc.sha256 for doc in state.documents.values()}
        ranked = sorted(state.candidates.values(), key=lambda c: (-c.score, c.url))
        for candidate in ranked:
            if len(state.documents) >= self.options.max_documents_per_site:
                break
            if candidate.url in state.documents or candidate.url in state.over_budget:
                continue
            try:
                response = await self.fetcher.fetch(candidate.url)
            except CrawlError as exc:
                self._record(state, candidate.url, exc)
                continue
            if not response.ok:
                state.issues.append(
                    CrawlIssue(candidate.url, "http_status", f"HTTP {response.status}", response.status)
                )
                continue
            fmt = response.document_format
            if fmt is None:
                state.issues.append(
                    CrawlIssue(candidate.url, "not_a_document", f"answered {response.content_type or 'no type'}")
                )
                continue
            document = self._document(response, fmt, candidate.anchor_text, candidate.score)
            if document.final_url in seen_final or document.sha256 in seen_hash:
                continue
            seen_final.add(document.final_url)
            seen_hash.add(document.sha256)
            self._keep(state, candidate.url, document)

    def _attach_paths(self, state: _State) -> tuple[FetchedDocument, ...]:
        static = state.graph.shortest_paths([state.front_key], _STATIC)
        rendered = state.graph.shortest_paths([state.front_key], _ALL)
        searched = state.graph.shortest_paths(sorted(state.search_keys), _ALL)

        def hops(path: tuple[PathStep, ...]) -> tuple[Hop, ...]:
            return tuple(
                Hop(state.front_url if step.url == state.front_key else step.url, step.anchor_text) for step in path
            )

        result: list[FetchedDocument] = []
        for node, doc in state.documents.items():
            found_via: FoundVia
            if node in static:
                path, found_via, depth = static[node], "link", len(static[node]) - 1
            elif node in rendered:
                path, found_via, depth = rendered[node], "rendered", len(rendered[node]) - 1
            elif node in searched:
                path, found_via, depth = searched[node], "site_search", None
            else:
                path, found_via, depth = (), "sitemap", None
            anchor = path[-1].anchor_text if len(path) > 1 and path[-1].anchor_text else doc.anchor_text
            keys = {normalize_url(doc.url) or doc.url, normalize_url(doc.final_url) or doc.final_url}
            ranks = [state.search_ranks[k] for k in keys if k in state.search_ranks]
            result.append(
                replace(
                    doc,
                    found_via=found_via,
                    click_depth=depth,
                    click_path=hops(path),
                    anchor_text=anchor,
                    in_sitemap=None if state.sitemap_keys is None else bool(keys & state.sitemap_keys),
                    search_rank=min(ranks) if ranks else None,
                )
            )
        result.sort(key=lambda d: (-d.score, d.url))
        return tuple(result)

    # -- the whole site ------------------------------------------------------------------------------------

    async def crawl(self, start_url: str) -> SiteCrawl:
        started = self.now()

        def outcome(state: _State | None, **kwargs: object) -> SiteCrawl:
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
                "trail": _trail(state) if state else SearchTrail(),
                "started_at": started,
                "finished_at": self.now(),
            }
            values.update(kwargs)
            return SiteCrawl(**values)  # type: ignore[arg-type]

        start = normalize_url(start_url)
        if start is None:
            return outcome(None, reachable=False, error=f"not an http(s) URL: {start_url!r}")
        try:
            front = await self.fetcher.fetch(start)
        except RobotsDisallowed as exc:
            issue = _issue(start, exc)
            rules = await self.fetcher.robots(start)
            if rules.state == "deny_all":  # robots.txt answered 5xx/429: the site is failing, not refusing us
                return outcome(None, reachable=False, error=rules.detail, issues=(issue,), final_start_url=start)
            return outcome(
                None, error=str(exc), blocked=True, robots_disallowed=1, issues=(issue,), final_start_url=start
            )
        except CrawlError as exc:
            return outcome(None, reachable=False, error=str(exc), issues=(_issue(start, exc),))
        if front.status in (401, 403, 429):
            return outcome(
                None,
                error=f"front page answered HTTP {front.status}",
                blocked=True,
                final_start_url=front.final_url,
                pages_fetched=1,
            )
        if not front.ok:
            return outcome(None, reachable=False, error=f"front page answered HTTP {front.status}", pages_fetched=1)
        keys = frozenset({site_key(host_of(start)), site_key(host_of(front.final_url))})
        state = _State(
            start_url=start,
            front_key=start,
            front_url=front.final_url,
            site_keys=keys,
            frontier=Frontier(self.options.max_visits_per_path_pattern),
            pages_fetched=1,
            page_attempts=1,
            pages_read=[front.final_url],
        )
        for url in (start, front.final_url, *front.redirects):
            state.frontier.mark_done(url)
        root = FrontierEntry(start, 0.0, 0)
        front_links = {link.url for link in extract_links(front.text(), front.final_url)}
        await self._visit_page(state, start, front, root)
        await self._sitemaps(state)
        await self._site_search(state, front, front_links)
        # Discovery leaves a reserve of the budget for shortening the plans' click paths; what shortening does not
        # spend goes back to discovery, and whatever budget is left then shortens the paths of what that found.
        budget = self.options.max_pages_per_site
        await self._crawl_pages(state, budget - min(MAX_PATH_PAGES, budget // 5))
        await self._shorten_paths(state)
        await self._crawl_pages(state, budget)
        await self._shorten_paths(state)
        await self._download_documents(state)
        documents = self._attach_paths(state)
        rules = await self.fetcher.robots(front.final_url)
        logger.info(
            "crawled %s: %d pages, %d documents, %d issues, %d trapped",
            start,
            state.pages_fetched,
            len(documents),
            len(state.issues),
            state.frontier.trapped,
        )
        return outcome(
            state,
            final_start_url=front.final_url,
            documents=documents,
            blocked=rules.disallows_everything,
        )


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
    return await _SiteCrawler(options, fetcher, renderer, now).crawl(start_url)
