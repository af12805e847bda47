"""Click paths of one site crawl: shortened before the documents are downloaded, attached to each at the end.

Best-first finds a plan by its most promising path, not always its shortest, and a plan the site's search or
sitemap found first may have no link path yet; how many clicks a plan takes is half of what Planvakt reports. So a
reserve of the page budget fetches the shallow pages that could shorten the paths of the likeliest plans
(`shorten_paths`). At the end each document gets the shortest click path from the front page (`attach_paths`):
static links only -> found_via "link" (click_depth = clicks); with rendered links -> "rendered"; reachable from
a site-search result -> "site_search" (depth None); else "sitemap" (depth None).
"""

from __future__ import annotations

from dataclasses import replace

from crawlers.frontier import FrontierEntry
from crawlers.graph import EdgeKind, PathStep
from crawlers.scoring import looks_like_plan, score_link
from crawlers.site_pages import fetch_entry
from crawlers.site_state import PLAN_BONUS, SiteCrawler, SiteState
from crawlers.types import FetchedDocument, FoundVia, Hop
from crawlers.urls import document_format_of, is_skippable, normalize_url, same_site

#: the best candidate documents whose click paths are shortened after discovery (see `shorten_paths`)
PATH_TARGETS = 6
#: pages the path shortening may fetch per site (within the page budget)
MAX_PATH_PAGES = 40
#: how deep path shortening looks for a link path to a plan found only through search or sitemap
MAX_PATH_DEPTH = 4

_STATIC: frozenset[EdgeKind] = frozenset({"static"})
_ALL: frozenset[EdgeKind] = frozenset({"static", "rendered"})


async def shorten_paths(crawler: SiteCrawler, state: SiteState) -> None:
    """Look for shorter click paths to the likeliest plans, within the page budget.

    Best-first discovery reaches a plan by the most promising path, not always the shortest one, and a plan
    found through the site's search or sitemap may have no link path yet. How many clicks a plan takes is half
    of what Planvakt reports, so before the documents are downloaded: for each of the `PATH_TARGETS` best
    candidates at static depth d (or none), the pages already linked but not yet fetched at depth <= d - 2 are
    fetched, most promising first, until no such page is left, the plan's path cannot get shorter, or the
    budget (at most `MAX_PATH_PAGES` pages) runs out.
    """
    spent = 0
    while state.page_attempts < crawler.options.max_pages_per_site and spent < MAX_PATH_PAGES:
        depths = state.graph.depths([state.front_key], _STATIC)
        pages = _unfetched_pages(state, depths)
        if not pages:
            return
        limit = max((_path_limit(depths.get(t)) for t in _path_targets(state)), default=-1)
        todo = [(depth, entry) for depth, entry in pages if depth <= limit]
        if not todo:
            return
        todo.sort(key=lambda item: (-item[1].score, item[0], item[1].url))
        _, entry = todo[0]
        before = state.page_attempts
        await fetch_entry(crawler, state, entry)
        spent += 1 if state.page_attempts > before else 0


def _path_targets(state: SiteState) -> list[str]:
    ranked = sorted(state.candidates.values(), key=lambda c: (-c.score, c.url))[:PATH_TARGETS]
    keys = [normalize_url(c.url) or c.url for c in ranked]
    fetched = sorted(state.documents.items(), key=lambda item: (-item[1].score, item[0]))[:PATH_TARGETS]
    return keys + [node for node, _ in fetched]


def _path_limit(depth: int | None) -> int:
    """How deep a page may be and still shorten the path of a target at `depth` (None: no link path yet)."""
    return MAX_PATH_DEPTH if depth is None else depth - 2


def _unfetched_pages(state: SiteState, depths: dict[str, int]) -> list[tuple[int, FrontierEntry]]:
    """Pages linked (statically) from fetched pages but never fetched, with their depth, as frontier entries; not
    the URLs the frontier refused as a trap."""
    result: list[tuple[int, FrontierEntry]] = []
    for node, depth in depths.items():
        if state.frontier.is_done(node) or document_format_of(node) is not None or is_skippable(node):
            continue
        if not state.frontier.admits(node):  # a trap URL the frontier's caps refused (a calendar, facets)
            continue
        if not same_site(node, state.site_keys):
            continue
        anchor = state.graph.anchor_text(node)
        score = score_link(anchor, node).value + (PLAN_BONUS if looks_like_plan(anchor) else 0.0)
        result.append((depth, FrontierEntry(node, score, depth, "link", anchor)))
    return result


def attach_paths(state: SiteState) -> tuple[FetchedDocument, ...]:
    """The kept documents, best first, each with its shortest click path, found_via, sitemap and search rank."""
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
