"""A page is rendered only when its render can teach something the site's earlier renders did not.

Pages that run the same scripts on the same empty containers (a script signature) build the same links: once two
renders of a signature in a row built nothing new, its pages are not rendered again, while a page with a script of
its own, or a container that names its own node, is.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from typing import Any
from urllib.parse import urlsplit

import pytest
from selectolax.lexbor import LexborHTMLParser

from crawlers.fetch import Fetcher
from crawlers.render import RenderedPage, Renderer
from crawlers.render_policy import MAX_CONTAINERS, MENU_ONLY_AFTER, SiteRenders, script_signature
from crawlers.site import crawl_site
from crawlers.testweb.server import Reply, Site
from crawlers.types import CrawlOptions, SiteCrawl
from tests.crawlers.conftest import fixed_now, html_page, pdf_bytes, serving

PLAN_TITLE = "Beredskabsplan om vold og seksuelle overgreb mod børn og unge"
MENU_PAGES = ["/borger", "/erhverv", "/kultur", "/natur", "/om-kommunen"]
#: the same inline script on every page, building the same menu into an empty <nav>
MENU_SCRIPT = (
    "<script>const items = "
    + str([[path, path.strip("/").capitalize()] for path in [*MENU_PAGES, "/planer"]])
    + ';const nav = document.getElementById("menu");'
    + "for (const [href, text] of items) {"
    + 'const a = document.createElement("a"); a.href = href; a.textContent = text; nav.appendChild(a); }</script>'
)
LIST_SCRIPT = (
    '<script>const ul = document.getElementById("dokumenter"); const li = document.createElement("li");'
    + f'const a = document.createElement("a"); a.href = "/filer/plan.pdf"; a.textContent = "{PLAN_TITLE}";'
    + "li.appendChild(a); ul.appendChild(li);</script>"
)
#: one external script on every page: the menu, then the children of the node the page's <nav> names
NODE_SCRIPT = """const nav = document.getElementById("menu");
for (const n of [1, 2, 3, 4, 5]) {
  const a = document.createElement("a"); a.href = "/side/" + n; a.textContent = "Side " + n; nav.appendChild(a);
}
if (nav.dataset.node === "5") {
  const a = document.createElement("a"); a.href = "/filer/plan.pdf"; a.textContent = "PLAN_TITLE"; nav.appendChild(a);
}""".replace("PLAN_TITLE", PLAN_TITLE)


def shell(title: str, extra: str = "") -> str:
    return html_page(title, f'<nav id="menu"></nav>{MENU_SCRIPT}{extra}')


def page_requests(log: list[str]) -> Counter[str]:
    """Requests per page path (a render is handed the crawler's fetch of its page: each page is asked for once)."""
    return Counter(path for path in log if not path.startswith(("/filer/", "/robots.txt", "/sitemap", "/side.js")))


class NotingRenderer(Renderer):
    """The real Renderer, noting the paths of the pages it was asked to render."""

    def __init__(self, options: CrawlOptions, fetcher: Fetcher) -> None:
        super().__init__(options, fetcher)
        self.paths: Counter[str] = Counter()

    async def render_page(self, url: str, **kwargs: Any) -> RenderedPage:
        self.paths[urlsplit(url).path] += 1
        return await super().render_page(url, **kwargs)


async def crawl_noted(site: Site, options: CrawlOptions) -> tuple[SiteCrawl, Counter[str], list[str]]:
    """Crawl `site` in render="auto" (no site search): the result, the paths rendered, and the paths the server was
    asked for."""
    auto = replace(options, render="auto", search_queries=())
    with serving(site) as server:
        async with Fetcher(auto) as fetcher, NotingRenderer(auto, fetcher) as renderer:
            result = await crawl_site(
                server.base_url(site.host) + "/", auto, fetcher=fetcher, renderer=renderer, now=fixed_now
            )
        log = [e.path_with_query for e in server.request_log]
    return result, renderer.paths, log


@pytest.mark.browser
async def test_pages_of_a_menu_only_script_are_not_rendered_but_a_page_with_its_own_list_script_is(
    options: CrawlOptions,
) -> None:
    # the front page's HTML has a shortcut to a section its menu also links: not news when a script builds it
    routes: dict[str, Reply] = {"/": Reply(body=shell("Forside", '<a href="/kultur">Kultur</a>'))}
    routes |= {path: Reply(body=shell(path)) for path in MENU_PAGES}
    routes["/planer"] = Reply(body=shell("Planer og strategier", f'<ul id="dokumenter"></ul>{LIST_SCRIPT}'))
    routes["/filer/plan.pdf"] = Reply(body=pdf_bytes(PLAN_TITLE), content_type="application/pdf")
    result, paths, log = await crawl_noted(Site("127.66.12.1", routes), options)
    assert page_requests(log) == dict.fromkeys(["/", "/planer", *MENU_PAGES], 1)  # every page was read, once
    rendered = set(paths)
    # the front page's render built the menu; two more renders of its signature built nothing new; no more
    assert "/" in rendered and "/planer" in rendered
    assert len(rendered & set(MENU_PAGES)) == MENU_ONLY_AFTER
    assert result.rendered_pages == 2 + MENU_ONLY_AFTER
    [doc] = result.documents
    assert doc.found_via == "rendered" and doc.click_depth == 2


@pytest.mark.browser
async def test_pages_whose_container_names_their_own_node_are_each_rendered(options: CrawlOptions) -> None:
    """One external script on every page, and a <nav> that names the page's node (the held-out web's menus)."""
    routes: dict[str, Reply] = {"/side.js": Reply(body=NODE_SCRIPT, content_type="application/javascript")}
    for n in range(6):
        body = f'<nav id="menu" data-node="{n}"></nav><script src="/side.js"></script>'
        routes["/" if n == 0 else f"/side/{n}"] = Reply(body=html_page(f"Side {n}", body))
    routes["/filer/plan.pdf"] = Reply(body=pdf_bytes(PLAN_TITLE), content_type="application/pdf")
    result, paths, log = await crawl_noted(Site("127.66.12.2", routes), options)
    requests = page_requests(log)
    # renders of nodes 1-4 built nothing new, yet each node is its own signature: all six pages were rendered
    assert result.rendered_pages == 6 and paths == requests and set(requests.values()) == {1}, requests
    assert log.count("/side.js") == 1  # the site's script was asked for by the first render only (render_cache)
    [doc] = result.documents
    assert doc.found_via == "rendered" and doc.click_depth == 2


def signature(body: str) -> str:
    return script_signature(LexborHTMLParser(html_page("Side", body)))


def test_the_signature_is_the_scripts_and_the_empty_containers_with_their_attributes() -> None:
    menu = '<nav id="menu"><!-- filled by script --> </nav><script>build()</script><script src="/m.js"></script>'
    assert signature(menu) == signature(menu + "<p>Other text on another page</p>")
    assert signature(menu) != signature(menu.replace("build()", "build(); list()"))  # an inline script of its own
    assert signature(menu) != signature(menu.replace("/m.js", "/n.js"))
    assert signature(menu) != signature(menu.replace('id="menu"', 'id="menu" data-node="7"'))  # its own node
    assert signature(menu) != signature(menu + '<ul id="dokumenter"></ul>')  # a new place to fill
    assert signature(menu) == signature(menu + '<ul class="x"><li>filled</li></ul>')  # not empty: not a place
    # a page of many empty containers is read up to a bound
    many = "".join(f'<div id="d{i}"></div>' for i in range(MAX_CONTAINERS + 5))
    assert signature(many) == signature(many + '<div id="last"></div>')


def test_a_signature_is_menu_only_after_unproductive_renders_in_a_row() -> None:
    tree = LexborHTMLParser(html_page("Side", f'<nav id="menu"></nav>{MENU_SCRIPT}'))
    renders = SiteRenders()
    sig = renders.signature_to_render(tree, "http://127.0.0.1/", "auto", 60)
    assert sig is not None
    menu, shortcut = "http://127.0.0.1/borger", "http://127.0.0.1/kultur"
    renders.learn(sig, [menu, shortcut], [menu])  # the front page had a shortcut to /kultur in its HTML
    assert renders.scripted_links
    renders.learn(sig, [menu, shortcut], [menu, shortcut])  # another page's script built both: nothing new
    renders.learn(sig, [menu, "http://127.0.0.1/ny"], ["http://127.0.0.1/ny"])  # something new: count again
    for _ in range(MENU_ONLY_AFTER):
        assert renders.signature_to_render(tree, "http://127.0.0.1/x", "auto", 60) == sig
        renders.learn(sig, [menu], [menu])
    assert renders.signature_to_render(tree, "http://127.0.0.1/x", "auto", 60) is None
    assert renders.signature_to_render(tree, "http://127.0.0.1/x", "always", 60) == ""  # "always" renders all
    assert renders.signature_to_render(tree, "http://127.0.0.1/x", "never", 60) is None
    plain = LexborHTMLParser(html_page("Side", '<nav><a href="/a">A</a></nav>'))  # no script: nothing to render
    assert SiteRenders().signature_to_render(plain, "http://127.0.0.1/", "auto", 60) is None
    renders.spent(60)
    assert renders.signature_to_render(tree, "http://127.0.0.1/x", "always", 60) is None
