from __future__ import annotations

from dataclasses import replace

import pytest

from crawlers.errors import RobotsDisallowed
from crawlers.fetch import Fetcher
from crawlers.render import Renderer
from crawlers.site import crawl_site
from crawlers.testweb.server import Reply, Site
from crawlers.types import CrawlOptions
from tests.crawlers.conftest import fixed_now, html_page, pdf_bytes, serving

MENU_SCRIPT = """<script>
const items = [["Børn og unge", "/born-og-unge"], ["Kultur", "/kultur"]];
const nav = document.getElementById("menu");
for (const [text, href] of items) {
  const a = document.createElement("a"); a.href = href; a.textContent = text; nav.appendChild(a);
}
</script>"""


def js_site(host: str) -> Site:
    return Site(
        host,
        {
            "/robots.txt": Reply(body="User-agent: *\nDisallow: /privat/\n", content_type="text/plain"),
            "/": Reply(body=html_page("Forside", f'<nav id="menu"></nav>{MENU_SCRIPT}')),
            "/born-og-unge": Reply(
                body=html_page(
                    "Børn og unge",
                    '<a href="/filer/beredskab.pdf">Beredskab om vold og seksuelle overgreb mod børn og unge</a>',
                )
            ),
            "/filer/beredskab.pdf": Reply(body=pdf_bytes("beredskab"), content_type="application/pdf"),
            "/privat/": Reply(body=html_page("Privat")),
        },
    )


async def test_robots_is_checked_before_the_browser_starts(options: CrawlOptions) -> None:
    site = js_site("127.66.7.1")
    with serving(site) as server:
        async with Fetcher(options) as fetcher, Renderer(options, fetcher) as renderer:
            with pytest.raises(RobotsDisallowed):
                await renderer.render(server.base_url(site.host) + "/privat/")
            assert not renderer.launched
    assert [e.path_with_query for e in server.request_log] == ["/robots.txt"]


@pytest.mark.browser
async def test_script_built_menu_is_rendered_and_its_plan_found(options: CrawlOptions) -> None:
    site = js_site("127.66.7.2")
    auto = replace(options, render="auto")
    with serving(site) as server:
        base = server.base_url(site.host)
        async with Fetcher(auto) as fetcher, Renderer(auto, fetcher) as renderer:
            # a static crawl cannot see the menu
            static = await crawl_site(base + "/", auto, fetcher=fetcher, renderer=None, now=fixed_now)
            assert static.documents == ()
            result = await crawl_site(base + "/", auto, fetcher=fetcher, renderer=renderer, now=fixed_now)
            assert renderer.launched
    assert result.rendered_pages >= 1
    [doc] = result.documents
    assert doc.found_via == "rendered" and doc.click_depth == 2
    assert [hop.anchor_text for hop in doc.click_path] == [
        "",
        "Børn og unge",
        "Beredskab om vold og seksuelle overgreb mod børn og unge",
    ]
    user_agents = {e.user_agent for e in server.request_log}
    assert user_agents == {auto.user_agent}  # the browser says who it is too


@pytest.mark.browser
async def test_the_browser_cannot_be_steered_into_private_addresses(options: CrawlOptions) -> None:
    """A page allowed by name may not make Chromium fetch from another, non-public host (SSRF through the browser)."""
    internal = Site("127.66.7.4", {"/admin.js": Reply(body="window.leaked = true;", content_type="text/javascript")})
    public = Site("127.66.7.3", {})
    guarded = replace(options, allow_private_networks=False)
    with serving(public, internal) as server:
        internal_script = server.base_url(internal.host) + "/admin.js"
        public.set(
            "/",
            Reply(body=html_page("Forside", f'<script src="{internal_script}"></script><p id="x">Velkommen</p>')),
        )
        async with (
            Fetcher(guarded, allowed_hosts=frozenset({public.host})) as fetcher,
            Renderer(guarded, fetcher) as renderer,
        ):
            html = await renderer.render(server.base_url(public.host) + "/")
        assert "Velkommen" in html
        assert renderer.refused == [internal_script]
        assert server.requests_to(internal.host) == []
