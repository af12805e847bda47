"""The link graph of a generated site and the truth derived from it by BFS (never set by hand).

Nodes are canonical paths. Edges of a page: its chrome (logo, top menu unless a script builds it, footer,
breadcrumb), its content links and its "?print=1" duplicate; a print duplicate has the page's content links.
Rendered edges add what the page script builds (top menu from /api/menu.json, the page's children and
documents). Redirects are followed (a link to a redirect source is a link to its target); links to paths
robots.txt disallows for `*` are dropped, because a polite crawler cannot follow them.
Dynamic spaces (search results, the event calendar, news facets) are not nodes: by construction they link
only chrome, other dynamic pages and news items without documents, so they cannot shorten a path to a plan.
"""

from __future__ import annotations

from collections import deque

from .model import Link, Page, Site, TruthPaths

CRAWLER_UA = "PlanvaktBot/0.1"


def print_path(path: str) -> str:
    return path + ("&" if "?" in path else "?") + "print=1"


def chrome_links(site: Site, page: Page, *, rendered: bool) -> list[Link]:
    if not page.chrome:
        return []
    out = [Link("/", "home")]
    if not site.js_menu or rendered:
        out += site.top_menu
    out += [lk for lk in site.footer if not lk.external]
    out += page.breadcrumb
    return out


def page_edges(site: Site, page: Page, *, rendered: bool) -> list[str]:
    links = chrome_links(site, page, rendered=rendered) + page.content_links()
    if rendered:
        links += page.js_links
    targets = [lk.target for lk in links if not lk.external]
    if page.printable:
        targets.append(print_path(page.path))
    return targets


def resolve(site: Site, target: str) -> str | None:
    seen = 0
    while target in site.redirects and seen < 5:
        target = site.redirects[target]
        seen += 1
    if target in site.pages or target in site.doc_paths:
        return target
    if target.endswith("print=1"):
        base = target[: -len("print=1")].rstrip("?&")
        if base in site.pages and site.pages[base].printable:
            return target
    return None


def allowed(site: Site, target: str) -> bool:
    return site.robots.allows(target, CRAWLER_UA) if site.robots else True


def bfs(site: Site, *, rendered: bool) -> dict[str, int]:
    """Clicks from the front page to every reachable page and document."""
    depth: dict[str, int] = {"/": 0}
    queue: deque[str] = deque(["/"])
    while queue:
        node = queue.popleft()
        if node in site.doc_paths:
            continue
        if node.endswith("print=1") and node not in site.pages:
            base = node[: -len("print=1")].rstrip("?&")
            page = site.pages[base]
            targets = [lk.target for lk in page.content_links() if not lk.external]
        else:
            targets = page_edges(site, site.pages[node], rendered=rendered)
        for t in targets:
            r = resolve(site, t)
            if r is None or r in depth or not allowed(site, t) or not allowed(site, r):
                continue
            depth[r] = depth[node] + 1
            queue.append(r)
    return depth


def accepted_paths(site: Site) -> tuple[str, ...]:
    if not site.plan_doc:
        return ()
    if site.plan_is_page:
        paths = [site.plan_doc]
        if site.pages[site.plan_doc].printable:
            paths.append(print_path(site.plan_doc))
    else:
        paths = list(site.documents[site.doc_paths[site.plan_doc]].paths)
    paths += [src for src in site.redirects if resolve(site, src) in paths]
    return tuple(paths)


def derive_truth(site: Site) -> TruthPaths:
    if site.unreachable != "none":
        return TruthPaths("site_unreachable", None, (), None, None)
    if not site.plan_doc:
        return TruthPaths("no_plan_found", None, (), None, None)
    status = "abuse_specific_plan" if site.plan_kind == "abuse" else "general_violence_plan_only"
    accepted = accepted_paths(site)
    for rendered, via in ((False, "link"), (True, "rendered")):
        d = bfs(site, rendered=rendered)
        hits = [d[p] for p in accepted if p in d]
        if hits:
            return TruthPaths(status, site.plan_doc, accepted, min(hits), via)
    search_ok = allowed(site, site.search_path + "?" + site.search_param + "=x")
    if search_ok and any(path in accepted for _, path, _ in site.search_index):
        return TruthPaths(status, site.plan_doc, accepted, None, "site_search")
    if site.sitemap_style != "none" and any(p in accepted for p in site.sitemap_paths):
        return TruthPaths(status, site.plan_doc, accepted, None, "sitemap")
    raise AssertionError(f"{site.kommunenummer}: plan {site.plan_doc} is not reachable at all")
