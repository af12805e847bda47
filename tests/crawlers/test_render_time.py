"""Our render caps count the browser's own time, and a render cut by them is our failure, never evidence.

The page's cap (`render_page_seconds`) and the site's rendering budget (`render_budget_per_site`) are charged only
while none of the page's requests is in the crawler's hands: a Crawl-delay or slow host sets the wall clock, not
the browser's work.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from crawlers.fetch import Fetcher
from crawlers.render import Renderer
from crawlers.types import CrawlOptions
from tests.crawlers.conftest import serving
from tests.crawlers.test_render import PLAN_LINK, chain_site, server_gaps


@pytest.mark.browser
@pytest.mark.slow
async def test_a_crawl_delay_host_is_rendered_whole_and_its_waits_are_not_charged(options: CrawlOptions) -> None:
    # 6 requests (the page, its script, 4 JSON) one second apart: 6 s on the wall clock, past the page's cap
    site = chain_site("127.66.9.2", delay=0.0, robots="User-agent: *\nCrawl-delay: 1\n")
    capped = replace(options, render_page_seconds=3.5, render_budget_per_site=5.0)
    with serving(site) as server:
        base = server.base_url(site.host)
        async with Fetcher(capped) as fetcher, Renderer(capped, fetcher) as renderer:
            budget = renderer.new_budget()
            page = await renderer.render_page(base + "/", budget=budget)
        entries = server.requests_to(site.host)
    assert page.complete and f'<a href="{PLAN_LINK[1]}">{PLAN_LINK[0]}</a>' in page.html
    assert min(server_gaps(entries)) >= 1.0 - 0.005  # the Crawl-delay was kept
    assert page.elapsed >= 5.0
    # the waits at the gate are the host's pace: the budget is charged the browser's own seconds only
    assert page.charged <= page.elapsed - 4.0
    assert page.charged <= budget.spent < page.charged + 1.0  # (closing the page is charged too)
