"""Leads besides links: the URLs a site's sitemaps list and its own search answers, fed into one site crawl.

`sitemap.py` and `site_search.py` read them; this module decides what the crawl makes of them: documents become
candidates, pages go on the frontier at `DETACHED_DEPTH` (for ordering only: their click paths come from the link
graph), and where the crawler looked is written to the check's trail. A search hit scores one more than its words
alone (the site itself answered our query); a sitemap lists documents without link text, so every listed document
is a candidate.
"""

from __future__ import annotations

from dataclasses import replace

from crawlers.fetch import Response
from crawlers.frontier import FrontierEntry
from crawlers.scoring import looks_like_plan, score_link
from crawlers.site_search import search_site
from crawlers.site_state import PLAN_BONUS, SiteCrawler, SiteState, add_candidate, record
from crawlers.sitemap import read_sitemaps
from crawlers.types import CrawlIssue
from crawlers.urls import document_format_of, is_skippable, may_be_download, normalize_url, origin_of, same_site

#: fetches the site search may spend (form/probes plus one per query)
MAX_SEARCH_PAGES = 10
#: depth given to URLs that come from sitemaps or search (ordering only; paths come from the graph)
DETACHED_DEPTH = 50
#: candidate score of a sitemap URL that looks like a file script (no words to score): after the named documents
DOWNLOAD_SCORE = 0.5


async def take_sitemaps(crawler: SiteCrawler, state: SiteState) -> None:
    """Read the site's sitemaps (robots.txt's, or the usual places) and take their URLs as leads."""
    rules = await crawler.fetcher.robots(state.front_url)
    result = await read_sitemaps(crawler.fetcher, origin_of(state.front_url), rules.sitemaps)
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
            add_candidate(state, entry.url, score.value + bonus, "")
        elif may_be_download(entry.url):
            # a listed `/media/<id>/download` has no words to score but may be the plan: read (by its bytes)
            # with the documents, after the ones whose names speak of a plan
            add_candidate(state, entry.url, max(score.value, DOWNLOAD_SCORE), "")
        elif score.value > 0:
            state.frontier.push(FrontierEntry(entry.url, score.value, DETACHED_DEPTH, "sitemap", reasons=score.reasons))


async def take_site_search(crawler: SiteCrawler, state: SiteState, front: Response, front_links: set[str]) -> None:
    """Ask the site's own search our queries (within the page budget) and take its hits as leads."""
    budget = min(MAX_SEARCH_PAGES, crawler.options.max_pages_per_site - state.page_attempts)
    outcome = await search_site(crawler.fetcher, front, front_links, crawler.options.search_queries, max_pages=budget)
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
        record(state, url, exc)
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
            add_candidate(state, hit.url, score.value + bonus + 1.0, hit.text)
        else:
            state.frontier.push(
                FrontierEntry(hit.url, score.value + bonus + 1.0, DETACHED_DEPTH, "site_search", hit.text, hit.context)
            )
