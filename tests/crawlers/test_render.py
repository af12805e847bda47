from __future__ import annotations

import asyncio
import itertools
import json
import logging
import os
import signal
import threading
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Error as PlaywrightError

from crawlers.browser_requests import PageVisit
from crawlers.errors import FetchError, RenderBudgetSpent, RenderCut, RenderError, RobotsDisallowed
from crawlers.fetch import Fetcher
from crawlers.render import RenderBudget, RenderedPage, Renderer
from crawlers.site import crawl_site
from crawlers.testweb.server import LoggedRequest, Reply, Site, redirect
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


@pytest.mark.browser
async def test_chromium_itself_connects_nowhere(options: CrawlOptions) -> None:
    """Every request is made by our Fetcher through the route hook; a page without the hook (as a request the hook
    never saw) reaches nothing, loopback included."""
    site = Site("127.66.7.5", {"/": Reply(body=html_page("Forside"))})
    with serving(site) as server:
        url = server.base_url(site.host) + "/"
        async with Fetcher(options) as fetcher, Renderer(options, fetcher) as renderer:
            browser = await renderer._ensure_browser(url)
            context = await browser.new_context()
            try:
                page = await context.new_page()
                with pytest.raises(PlaywrightError, match="ERR_PROXY_CONNECTION_FAILED"):
                    await page.goto(url)
            finally:
                await context.close()
            assert (await renderer.render_page(url)).complete  # through the hook, it loads
        assert [e.path_with_query for e in server.request_log] == ["/robots.txt", "/"]


# -- menus built from a chain of JSON requests (issue 9, item 5) ----------------------------------------------------

# One request after another, as on the held-out sites: each JSON names the next one.
CHAIN_SCRIPT = """(async () => {
  const nav = document.getElementById("menu");
  let next = "/api/menu.json";
  while (next) {
    const data = await (await fetch(next)).json();
    for (const [text, href] of data.links) {
      const a = document.createElement("a"); a.href = href; a.textContent = text; nav.appendChild(a);
    }
    next = data.next;
  }
})();"""
CHAIN = ("/api/menu.json", "/api/menu/7.json", "/api/menu/7/undermeny.json", "/api/planer.json")
PLAN_LINK = ("Handlingsplan mot vold i nære relasjoner 2024-2028", "/planer/handlingsplan-vold.pdf")


def chain_site(
    host: str,
    *,
    delay: float,
    robots: str = "User-agent: *\nDisallow: /privat/\n",
    script: str = CHAIN_SCRIPT,
    plan_link: tuple[str, str] = PLAN_LINK,
) -> Site:
    """A front page whose menu and plan list come from 4 JSON requests made one after another (by `script`)."""
    routes: dict[str, Reply] = {
        "/robots.txt": Reply(body=robots, content_type="text/plain"),
        "/": Reply(body=html_page("Forside", '<nav id="menu"></nav><script src="/js/meny.js"></script>')),
        "/js/meny.js": Reply(body=script, content_type="text/javascript"),
    }
    for n, path in enumerate(CHAIN):
        last = n == len(CHAIN) - 1
        links = [list(plan_link)] if last else [[f"Meny {n}", f"/meny-{n}"]]
        routes[path] = Reply(
            body=json.dumps({"links": links, "next": None if last else CHAIN[n + 1]}),
            content_type="application/json",
            delay=delay,
        )
    return Site(host, routes)


def server_gaps(entries: list[LoggedRequest]) -> list[float]:
    """Server-side gaps: end of one request to the start of the next, in arrival order (negative: overlap)."""
    ordered = sorted(entries, key=lambda e: e.started)
    return [b.started - a.finished for a, b in itertools.pairwise(ordered)]


def _my_chromium_pids() -> list[int]:
    """Main Chromium processes started by this test process (its descendants only, never anyone else's)."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(stat.parent.name)] = int(fields[1])
    mine = {os.getpid()}
    changed = True
    while changed:
        changed = False
        for pid, ppid in parents.items():
            if ppid in mine and pid not in mine:
                mine.add(pid)
                changed = True
    found = []
    for pid in mine - {os.getpid()}:
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if cmdline and cmdline[0].endswith(b"chromium") and not any(a.startswith(b"--type=") for a in cmdline):
            found.append(pid)
    return found


def kill_my_chromium() -> None:
    for pid in _my_chromium_pids():
        os.kill(pid, signal.SIGKILL)


@pytest.mark.browser
@pytest.mark.slow
async def test_a_menu_from_four_sequential_json_requests_renders_completely(options: CrawlOptions) -> None:
    site = chain_site("127.66.8.1", delay=0.8)
    with serving(site) as server:
        base = server.base_url(site.host)
        async with Fetcher(options) as fetcher, Renderer(options, fetcher) as renderer:
            page = await renderer.render_page(base + "/")
    assert page.complete
    assert f'<a href="{PLAN_LINK[1]}">{PLAN_LINK[0]}</a>' in page.html
    assert "Meny 0" in page.html and "Meny 2" in page.html
    assert page.final_url == base + "/" and page.requests == 6  # the page, its script, 4 JSON
    assert 3.2 <= page.elapsed < 10  # 4 x 0.8 s one after another, then a quiet period
    assert [e.path_with_query for e in server.request_log if e.path_with_query.startswith("/api/")] == list(CHAIN)


@pytest.mark.browser
@pytest.mark.slow
async def test_the_browser_keeps_one_request_in_flight_per_host_and_the_delay(options: CrawlOptions) -> None:
    delay = 0.2
    polite = replace(options, per_host_delay=delay)
    site = chain_site("127.66.8.2", delay=0.05)
    library = Site(
        "127.66.8.3",
        {
            "/robots.txt": Reply(body="User-agent: *\nAllow: /\n", content_type="text/plain"),
            "/lib/a.js": Reply(body="window.a = 1;", content_type="text/javascript", delay=0.05),
            "/lib/b.js": Reply(body="window.b = 1;", content_type="text/javascript", delay=0.05),
        },
    )
    with serving(site, library) as server:
        lib = server.base_url(library.host)
        # Several requests wanted at once, to the site and to another host
        site.set(
            "/",
            Reply(
                body=html_page(
                    "Forside",
                    '<nav id="menu"></nav><script src="/js/meny.js"></script>'
                    f'<script src="{lib}/lib/a.js"></script><script src="{lib}/lib/b.js"></script>'
                    '<img src="/bilder/logo.png"><link rel="stylesheet" href="/stil.css">',
                )
            ),
        )
        async with Fetcher(polite) as fetcher, Renderer(polite, fetcher) as renderer:
            page = await renderer.render_page(server.base_url(site.host) + "/")
        on_site = server.requests_to(site.host)
        on_library = server.requests_to(library.host)
    assert page.complete and PLAN_LINK[1] in page.html
    assert [e.path_with_query for e in on_site] == ["/robots.txt", "/", "/js/meny.js", *CHAIN]
    # the other host is gated on its own: robots.txt first, then one at a time
    assert [e.path_with_query for e in on_library] == ["/robots.txt", "/lib/a.js", "/lib/b.js"]
    for entries in (on_site, on_library):
        # never two in flight; the delay counted from the END of the previous response (a few ms of slack for the
        # server thread that stamps `finished` after the client already has the bytes)
        assert min(server_gaps(entries)) >= delay - 0.005
    assert {e.user_agent for e in on_site + on_library} == {polite.user_agent}


@pytest.mark.browser
@pytest.mark.slow
async def test_a_request_on_the_wire_when_the_render_is_cut_keeps_its_hosts_slot(
    options: CrawlOptions, caplog: pytest.LogCaptureFixture
) -> None:
    """The page's JSON reaches the server, which takes 2.5 s to answer; our cap (1.5 s of the page's own time) cuts
    the render first, and the renderer gives the request up. A request of ours to the same host, queued at the gate
    while that JSON is on the server, must not start until the server has answered it: the slot is held."""
    slow = 2.5
    capped = replace(options, render_page_seconds=1.5, per_host_delay=0.05, timeout=slow + 3.0)
    on_the_server = threading.Event()

    def slow_json(request: object) -> Reply:
        on_the_server.set()
        return Reply(body=json.dumps({"links": [], "next": None}), content_type="application/json", delay=slow)

    site = chain_site("127.66.8.14", delay=0.0)
    site.set("/api/menu.json", slow_json)
    with serving(site) as server:
        base = server.base_url(site.host)
        async with Fetcher(capped) as fetcher, Renderer(capped, fetcher) as renderer:
            render = asyncio.create_task(renderer.render_page(base + "/"))
            try:
                assert await asyncio.to_thread(on_the_server.wait, 20.0)
                with caplog.at_level(logging.INFO, logger="crawlers.render"):
                    await fetcher.fetch(base + "/om")  # queued at the host's gate behind the browser's request
                    with pytest.raises(RenderError):  # cut by our cap, twice
                        await render
            finally:
                render.cancel()
        entries = server.requests_to(site.host)
    assert "attempt 1 of 2" in caplog.text  # the renderer gave the first JSON request up ...
    first_json = next(e for e in entries if e.path_with_query == "/api/menu.json")
    om = next(e for e in entries if e.path_with_query == "/om")
    assert first_json.finished - first_json.started >= slow - 0.05  # ... after it had reached the server
    assert om.started >= first_json.finished - 0.005, "the host's next request started while the server answered"
    assert min(server_gaps(entries)) >= -0.005, "two requests of ours were in flight on one host"


@pytest.mark.browser
@pytest.mark.slow
async def test_robots_txt_is_checked_for_every_browser_request(options: CrawlOptions) -> None:
    site = chain_site("127.66.8.4", delay=0.0, robots="User-agent: *\nDisallow: /api/\n")
    with serving(site) as server:
        base = server.base_url(site.host)
        async with Fetcher(options) as fetcher, Renderer(options, fetcher) as renderer:
            page = await renderer.render_page(base + "/")
    assert page.complete
    assert page.disallowed == (base + "/api/menu.json",)
    assert "Meny 0" not in page.html
    assert [e.path_with_query for e in server.request_log] == ["/robots.txt", "/", "/js/meny.js"]


@pytest.mark.browser
@pytest.mark.slow
async def test_each_redirect_hop_of_the_page_is_checked_and_gated(options: CrawlOptions) -> None:
    site = chain_site("127.66.8.5", delay=0.0, robots="User-agent: *\nDisallow: /stengt\n")
    site.set("/gammel", redirect("/"))
    site.set("/flyttet", redirect("/stengt"))
    with serving(site) as server:
        base = server.base_url(site.host)
        async with Fetcher(options) as fetcher, Renderer(options, fetcher) as renderer:
            page = await renderer.render_page(base + "/gammel")
            with pytest.raises(RobotsDisallowed):
                await renderer.render_page(base + "/flyttet")
    assert page.complete and page.final_url == base + "/" and PLAN_LINK[1] in page.html
    assert "/stengt" not in [e.path_with_query for e in server.request_log]


# A page whose script changes its DOM every 100 ms for ever (a ticker): it never settles.
TICKER = html_page(
    "Forside",
    '<p id="klokke">0</p><script>let n = 0; '
    'setInterval(() => { document.getElementById("klokke").textContent = String(++n); }, 100);</script>',
)


@pytest.mark.browser
@pytest.mark.slow
async def test_a_page_that_does_not_settle_by_its_cap_is_tried_again_then_fails_on_our_side(
    options: CrawlOptions, caplog: pytest.LogCaptureFixture
) -> None:
    capped = replace(options, render_page_seconds=2.0)
    site = chain_site("127.66.8.6", delay=0.0)
    site.set("/", Reply(body=TICKER))
    with serving(site) as server:
        async with Fetcher(capped) as fetcher, Renderer(capped, fetcher) as renderer:
            with caplog.at_level(logging.INFO, logger="crawlers.render"), pytest.raises(RenderError) as cut:
                await renderer.render_page(server.base_url(site.host) + "/")
            assert renderer.partial == 2 and renderer.crashes == 0
        # our cap says nothing about the site: ours, never a DOM taken as it is
        assert isinstance(cut.value, RenderCut) and cut.value.ours
        assert "cut by our cap of 2s twice, the last time before it settled" in str(cut.value)
        assert [e.path_with_query for e in server.request_log].count("/") == 2
    assert "attempt 1 of 2" in caplog.text and "attempt 2 of 2" in caplog.text


class StarvedOnce(Renderer):
    """A Renderer whose process is starved of CPU once, as at a sweep's start when hundreds of sites begin at once:
    the event loop does not run for longer than the page's cap, just as the page was opened."""

    starved = False

    async def _render_once(self, browser: Any, visit: PageVisit) -> RenderedPage:
        if not self.starved:
            self.starved = True
            time.sleep(visit.allowance + 0.5)  # noqa: ASYNC251 - the point: our loop does not run
        return await super()._render_once(browser, visit)


@pytest.mark.browser
@pytest.mark.slow
async def test_a_page_our_starved_machine_did_not_load_by_its_cap_is_tried_again(
    options: CrawlOptions, caplog: pytest.LogCaptureFixture
) -> None:
    capped = replace(options, render_page_seconds=3.0)
    site = js_site("127.66.8.21")
    with serving(site) as server:
        async with Fetcher(capped) as fetcher, StarvedOnce(capped, fetcher) as renderer:
            with caplog.at_level(logging.INFO, logger="crawlers.render"):
                page = await renderer.render_page(server.base_url(site.host) + "/")
            assert renderer.starved and renderer.partial == 1
    # the cut was ours and cost one more render, not the site's check: the menu is read whole the second time
    assert page.complete and 'href="/born-og-unge"' in page.html
    assert "before it loaded" in caplog.text and "attempt 1 of 2" in caplog.text


@pytest.mark.browser
@pytest.mark.slow
async def test_rendering_is_budgeted_per_site(options: CrawlOptions) -> None:
    site = chain_site("127.66.8.7", delay=0.0)
    site.set("/", Reply(body=TICKER))
    other = chain_site("127.66.8.8", delay=0.0)
    warm_up = chain_site("127.66.8.20", delay=0.0)
    budgeted = replace(options, render_budget_per_site=2.5)
    with serving(site, other, warm_up) as server:
        base = server.base_url(site.host)
        async with Fetcher(budgeted) as fetcher, Renderer(budgeted, fetcher) as renderer:
            # Chromium's launch and first navigation are not the budgets' business (seconds on a loaded machine)
            assert (await renderer.render_page(server.base_url(warm_up.host) + "/")).complete
            # an explicit budget, as a site crawl passes one: the page is cut when it is spent
            budget = RenderBudget(2.0)
            with pytest.raises(RenderBudgetSpent):
                await renderer.render_page(base + "/", budget=budget)
            assert budget.remaining < 1.0
            seen = len(server.requests_to(site.host))
            with pytest.raises(RenderBudgetSpent):
                await renderer.render_page(base + "/meny-0", budget=budget)
            assert len(server.requests_to(site.host)) == seen  # nothing requested
            # without one, each host of the page URL gets `render_budget_per_site` seconds
            with pytest.raises(RenderBudgetSpent):
                await renderer.render_page(base + "/")
            assert len(server.requests_to(site.host)) > seen  # the default budget's first render did run
            seen = len(server.requests_to(site.host))
            with pytest.raises(RenderBudgetSpent):
                await renderer.render_page(base + "/")
            assert len(server.requests_to(site.host)) == seen
            # ... and another site still has its own
            assert (await renderer.render_page(server.base_url(other.host) + "/")).complete
    assert renderer.rendered == 4


@pytest.mark.browser
@pytest.mark.slow
async def test_the_sites_failures_are_fetch_errors_not_ours(options: CrawlOptions) -> None:
    site = chain_site("127.66.8.9", delay=0.0)
    site.set("/treg", Reply(body=html_page("Treg"), delay=4.0))
    # the Fetcher gives up on the slow page after 3 s (options.timeout), under the page's cap: its failure, not ours
    capped = replace(options, render_page_seconds=6.0)
    with serving(site) as server:
        base = server.base_url(site.host)
        async with Fetcher(capped) as fetcher, Renderer(capped, fetcher) as renderer:
            with pytest.raises(FetchError) as missing:
                await renderer.render_page(base + "/finnes-ikke")
            with pytest.raises(FetchError) as slow:
                await renderer.render_page(base + "/treg")
            assert (await renderer.render_page(base + "/")).complete  # the browser is fine
    assert missing.value.status == 404 and not missing.value.ours
    assert not isinstance(slow.value, RenderError) and not slow.value.ours


@pytest.mark.browser
@pytest.mark.slow
async def test_a_document_slower_than_our_cap_but_answered_in_the_fetchers_time_is_our_cut(
    options: CrawlOptions,
) -> None:
    site = chain_site("127.66.8.22", delay=0.0)
    site.set("/treg", Reply(body=html_page("Treg"), delay=2.0))
    # the page's cap (1.2 s) runs out while the document is on the wire; the Fetcher (3 s) would have had it
    capped = replace(options, render_page_seconds=1.2)
    with serving(site) as server:
        async with Fetcher(capped) as fetcher, Renderer(capped, fetcher) as renderer:
            with pytest.raises(RenderCut) as cut:
                await renderer.render_page(server.base_url(site.host) + "/treg")
            assert renderer.partial == 2
    assert cut.value.ours and "no answer to its request yet" in str(cut.value)


@pytest.mark.browser
@pytest.mark.slow
async def test_a_browser_crash_is_ours_and_the_browser_is_relaunched_once(options: CrawlOptions) -> None:
    site = chain_site("127.66.8.10", delay=0.3)
    reached = threading.Event()
    kills = {"left": 1}

    def menu(request: object) -> Reply:
        reached.set()
        return Reply(body=json.dumps({"links": [list(PLAN_LINK)], "next": None}), content_type="application/json")

    site.set("/api/menu.json", menu)

    async def render_killing_the_browser(renderer: Renderer, url: str) -> RenderedPage:
        async def killer() -> None:
            while True:
                await asyncio.to_thread(reached.wait)
                reached.clear()
                if kills["left"] > 0:
                    kills["left"] -= 1
                    kill_my_chromium()

        task = asyncio.create_task(killer())
        try:
            return await renderer.render_page(url)
        finally:
            task.cancel()
            reached.set()  # let the thread end
            await asyncio.gather(task, return_exceptions=True)

    with serving(site) as server:
        url = server.base_url(site.host) + "/"
        async with Fetcher(options) as fetcher, Renderer(options, fetcher) as renderer:
            page = await render_killing_the_browser(renderer, url)
            assert page.complete and PLAN_LINK[1] in page.html
            assert renderer.crashes == 1 and renderer.launches == 2
            kills["left"] = 2  # it dies on the retry too: our failure, never a finding about the site
            with pytest.raises(RenderError) as failed:
                await render_killing_the_browser(renderer, url)
            assert failed.value.ours and renderer.crashes == 3
            assert (await renderer.render_page(url)).complete  # and the next page gets a fresh browser


@pytest.mark.browser
async def test_a_browser_that_will_not_launch_is_ours(options: CrawlOptions) -> None:
    site = chain_site("127.66.8.11", delay=0.0)
    broken = replace(options, chromium_path="/nonexistent/chromium")
    with serving(site) as server:
        async with Fetcher(broken) as fetcher, Renderer(broken, fetcher) as renderer:
            with pytest.raises(RenderError) as failed:
                await renderer.render(server.base_url(site.host) + "/")
    assert failed.value.ours and not renderer.launched


@pytest.mark.browser
@pytest.mark.slow
async def test_a_redirect_cannot_steer_the_browser_into_private_addresses(options: CrawlOptions) -> None:
    """Chromium follows a redirect without asking the route hook: the hook follows it instead, hop by hop."""
    internal = Site("127.66.8.13", {"/admin.js": Reply(body="window.leaked = true;", content_type="text/javascript")})
    public = Site("127.66.8.12", {})
    guarded = replace(options, allow_private_networks=False)
    with serving(public, internal) as server:
        internal_script = server.base_url(internal.host) + "/admin.js"
        public.set("/js/app.js", redirect(internal_script, 302))
        public.set("/", Reply(body=html_page("Forside", '<script src="/js/app.js"></script><p>Velkommen</p>')))
        async with (
            Fetcher(guarded, allowed_hosts=frozenset({public.host})) as fetcher,
            Renderer(guarded, fetcher) as renderer,
        ):
            page = await renderer.render_page(server.base_url(public.host) + "/")
        assert page.complete and "Velkommen" in page.html
        assert renderer.refused == [internal_script]
        assert server.requests_to(internal.host) == []
