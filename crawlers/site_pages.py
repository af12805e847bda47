"""The page walk of one site crawl: best-first discovery through the site's pages and their links.

`crawl_pages` pops the frontier (`frontier.py`) until a page budget is spent; `fetch_entry` fetches one URL and
takes what it holds: a document behind an extension-less link is kept, a page is read (`visit_page`): kept when it
is headed like a plan, its links added to the link graph, the frontier and the document candidates, and rendered
when the render policy (`render_policy.py`) says its script may build links its HTML lacks. Query parameters the
site is learned to use for sessions or for other renditions of a page (`?print=1`, `renditions.py`) are taken off
its URLs, so a page is fetched once. A link's score inherits part of its page's, and links into a section that
already led to plan material (a hub) get a bonus, so the frontier learns where this site files its plans.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace

from selectolax.lexbor import LexborHTMLParser

from crawlers.errors import CrawlError, RenderBudgetSpent, RobotsDisallowed
from crawlers.fetch import Response
from crawlers.frontier import FrontierEntry
from crawlers.graph import EdgeKind
from crawlers.htmlguard import guard_html, parse_html
from crawlers.links import extract_links, page_h1, page_title, section_headings
from crawlers.renditions import heading_key
from crawlers.scoring import is_candidate_document, looks_like_plan, page_may_be_plan, score_link
from crawlers.site_documents import keep, new_document
from crawlers.site_state import (
    MAX_TRAIL_PAGES,
    PLAN_BONUS,
    QueuedRender,
    SiteCrawler,
    SiteState,
    add_candidate,
    record,
)
from crawlers.types import CrawlIssue
from crawlers.urls import (
    document_format_of,
    is_skippable,
    normalize_url,
    same_site,
    section_of,
    session_like_params,
    without_params,
)

logger = logging.getLogger(__name__)

#: share of a parent's score a child link inherits, so the subtree of a promising page is explored first
INHERIT = 0.5
#: bonus for links into a section of this site that already led to plan material (the frontier learns the site)
HUB_BONUS = 1.5
#: HTML pages per site kept as candidate plan documents (pages headed like a plan or about the topic)
MAX_HTML_DOCUMENTS = 25


def take_links(
    state: SiteState,
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
    void = state.void_params
    for link in links:
        if void:
            link = replace(link, url=without_params(link.url, void))
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
                add_candidate(state, link.url, score.value + bonus, link.text)
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


async def visit_page(
    crawler: SiteCrawler, state: SiteState, node: str, response: Response, entry: FrontierEntry
) -> None:
    """Read a fetched HTML page: keep it when it may be a plan, take its links, render it when that may pay."""
    guarded = guard_html(response.text())
    if guarded.cut:  # a page built to make parsing slow (issue 12, item 9): what was cut is the site's problem
        state.issues.append(CrawlIssue(response.final_url, "html_guarded", guarded.cut))
    tree = LexborHTMLParser(guarded.html)
    title, h1 = page_title(tree), page_h1(tree)
    # a vague title ("Veileder", "Trygge barn"): the address or the chapter headings may name the subject
    plan_like = page_may_be_plan(title, h1, response.final_url, section_headings(tree))
    if node != state.front_key and plan_like:
        # read by the classifier, which tells a plan page from a news item or a landing page that mentions one
        if state.html_documents < MAX_HTML_DOCUMENTS and len(state.documents) < crawler.options.max_documents_per_site:
            state.html_documents += 1
            keep(crawler, state, node, new_document(crawler, response, "html", entry.anchor_text or h1, entry.score))
    links = take_links(state, node, tree, response.final_url, entry, "static", f"{title} {h1}")
    _learn_renditions(state, node, h1 or title, links)
    if crawler.renderer is None:
        return
    max_pages = crawler.options.max_pages_per_site
    signature = state.renders.signature_to_render(tree, response.final_url, crawler.options.render, max_pages)
    if signature is not None:
        _queue_render(crawler, state, QueuedRender(node, response, entry, signature))


def _learn_renditions(state: SiteState, node: str, heading: str, links: list[str]) -> None:
    """Remember the page's heading, and learn from it whether a query parameter of its URL gives only another
    rendition of the page without it (`crawlers.renditions`): such a parameter is dropped from the site's URLs."""
    known = state.renditions.learned
    key = heading_key(heading)
    state.renditions.observe(node, key, links, state.headings, state.graph.targets)
    state.headings[node] = key
    if state.renditions.learned != known:
        logger.info("%s: %s give other renditions of its pages", state.front_url, sorted(state.renditions.learned))


def _queue_render(crawler: SiteCrawler, state: SiteState, page: QueuedRender) -> None:
    """Have `page` rendered beside the page walk: a render waits seconds for a browser page and its settling, in
    which the walk fetches the site's next pages instead of idling (one request in flight per host all the same:
    the render's requests pass the host's gate too). One render of a site at a time, in order, so each is decided
    by what the earlier ones taught (`render_policy`)."""
    raise_render_failure(state)
    state.render_queue.append(page)
    if state.render_worker is None or state.render_worker.done():
        state.render_worker = asyncio.create_task(_render_queued(crawler, state))


async def _render_queued(crawler: SiteCrawler, state: SiteState) -> None:
    while state.render_queue:
        page = state.render_queue.popleft()
        mode, max_pages = crawler.options.render, crawler.options.max_pages_per_site
        if state.renders.worth_rendering(page.signature, page.response.final_url, mode, max_pages):
            await _render(crawler, state, page)


def raise_render_failure(state: SiteState) -> None:
    """Raise what ended the site's renders, if they failed on our side (the crawl fails with it, to be retried)."""
    worker = state.render_worker
    if worker is not None and worker.done() and not worker.cancelled() and worker.exception() is not None:
        raise worker.exception()  # type: ignore[misc]


async def renders_done(state: SiteState) -> bool:
    """Wait for the site's queued renders; False when none was running. Raises what failed them on our side."""
    worker = state.render_worker
    if worker is None or (worker.done() and not state.render_queue):
        raise_render_failure(state)
        return False
    await worker
    return True


async def stop_renders(state: SiteState) -> None:
    """Cancel the site's renders (its crawl ended otherwise) and wait until they are let go."""
    worker, state.render_worker = state.render_worker, None
    state.render_queue.clear()
    if worker is not None and not worker.done():
        worker.cancel()
        await asyncio.gather(worker, return_exceptions=True)


async def _render(crawler: SiteCrawler, state: SiteState, queued: QueuedRender) -> None:
    if crawler.renderer is None:
        return
    node, response, entry, signature = queued.node, queued.response, queued.entry, queued.signature
    state.renders.attempts += 1
    if state.render_budget is None:
        state.render_budget = crawler.renderer.new_budget()  # one per crawl: a retried site starts afresh
    url = response.final_url
    state.render_cache.keep_page(response)  # the page was fetched a moment ago: the render need not ask again
    try:
        page = await crawler.renderer.render_page(url, budget=state.render_budget, cache=state.render_cache)
    except RobotsDisallowed as exc:
        record(state, url, exc)
        return
    except RenderBudgetSpent as exc:
        state.renders.spent(crawler.options.max_pages_per_site)
        state.issues.append(CrawlIssue(url, "render_budget", str(exc)))
        return
    except CrawlError as exc:
        if exc.ours:
            raise  # our browser failed: the sweep tries the site again, then records our failure
        state.issues.append(CrawlIssue(url, "render_error", str(exc), getattr(exc, "status", None)))
        return
    state.rendered_pages += 1
    links = take_links(state, node, parse_html(page.html), page.final_url, entry, "rendered")
    state.renders.learn(signature, links, [url for url in links if not state.graph.has_edge(node, url, "static")])


async def crawl_pages(crawler: SiteCrawler, state: SiteState, budget: int) -> None:
    """Best-first discovery until `budget` page attempts are spent or the frontier is empty with no render left."""
    while state.page_attempts < budget:
        raise_render_failure(state)
        entry = state.frontier.pop()
        if entry is None:
            if await renders_done(state):
                continue  # the renders may have found more pages
            return
        await fetch_entry(crawler, state, entry)


async def fetch_entry(crawler: SiteCrawler, state: SiteState, entry: FrontierEntry) -> None:
    """Fetch one URL of the site and take what it holds: a document, or a page's links. A URL queued before the
    site taught us that one of its parameters is void is fetched without it, or not at all when that page is done."""
    void = without_params(entry.url, state.void_params)
    if void != entry.url:  # queued before the site taught us its parameter: the page itself, or nothing new
        state.frontier.mark_done(entry.url)
        if state.frontier.is_done(void):
            return
        entry = replace(entry, url=void)
    node = normalize_url(entry.url) or entry.url
    state.page_attempts += 1
    state.frontier.mark_done(entry.url)
    try:
        response = await crawler.fetcher.fetch(entry.url)
    except CrawlError as exc:
        record(state, entry.url, exc)
        if isinstance(exc, RobotsDisallowed):
            state.page_attempts -= 1  # never requested: costs no budget
        return
    state.frontier.mark_done(response.final_url)
    fmt = response.document_format
    if fmt is not None:
        # a document behind an extension-less link (`/dokument/hent?id=7`): not a page, and its bytes are
        # already here, so it is read whatever its link said
        state.page_attempts -= 1
        if response.ok and len(state.documents) < crawler.options.max_documents_per_site:
            keep(crawler, state, node, new_document(crawler, response, fmt, entry.anchor_text, entry.score))
        return
    state.pages_fetched += 1
    if len(state.pages_read) < MAX_TRAIL_PAGES:
        state.pages_read.append(response.final_url)
    if not response.ok:
        state.issues.append(CrawlIssue(entry.url, "http_status", f"HTTP {response.status}", response.status))
        return
    if not response.is_html or not same_site(response.final_url, state.site_keys):
        return
    await visit_page(crawler, state, node, response, entry)
