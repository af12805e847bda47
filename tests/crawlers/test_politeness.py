from __future__ import annotations

import asyncio

import pytest

from crawlers.errors import FetchError, RobotsDisallowed
from crawlers.fetch import Fetcher
from crawlers.politeness import rules_from_response
from crawlers.testweb.server import Reply, Site
from crawlers.types import CrawlOptions
from tests.crawlers.conftest import html_page, serving, with_options

UA = "PlanvaktBot/0.1 (+https://planvakt.no/om-crawleren)"


def robots(text: str, status: int = 200) -> Reply:
    return Reply(status=status, body=text, content_type="text/plain")


def gaps(entries: list) -> list[float]:
    """Server-side gaps: end of one request to the start of the next, in arrival order."""
    ordered = sorted(entries, key=lambda e: e.started)
    return [b.started - a.finished for a, b in zip(ordered, ordered[1:], strict=False)]


def test_robots_rules_choices() -> None:
    parsed = rules_from_response(200, "User-agent: PlanvaktBot\nDisallow: /intern/\nCrawl-delay: 2\n", UA)
    assert parsed.allows("https://x.no/planer") and not parsed.allows("https://x.no/intern/plan.pdf")
    assert parsed.crawl_delay == 2.0
    assert rules_from_response(404, "", UA).allows("https://x.no/intern/")
    for status in (429, 500, 503):
        rules = rules_from_response(status, "", UA)
        assert not rules.allows("https://x.no/") and rules.disallows_everything


async def test_disallowed_url_is_never_requested(options: CrawlOptions) -> None:
    site = Site(
        "127.66.1.1",
        {
            "/robots.txt": robots("User-agent: *\nDisallow: /intern/\n"),
            "/": Reply(body=html_page("Forside")),
            "/intern/plan.pdf": Reply(body=b"%PDF-1.4", content_type="application/pdf"),
        },
    )
    with serving(site) as server:
        base = server.base_url(site.host)
        async with Fetcher(options) as fetcher:
            assert (await fetcher.fetch(base + "/")).status == 200
            with pytest.raises(RobotsDisallowed):
                await fetcher.fetch(base + "/intern/plan.pdf")
            with pytest.raises(RobotsDisallowed):
                await fetcher.fetch(base + "/intern/plan.pdf")
        paths = [e.path_with_query for e in server.request_log]
        assert paths == ["/robots.txt", "/"]  # robots fetched once; the PDF never
        assert all(e.user_agent == options.user_agent for e in server.request_log)


async def test_robots_5xx_denies_everything_and_unreachable_robots_is_a_fetch_error(
    options: CrawlOptions,
) -> None:
    site = Site("127.66.1.2", {"/robots.txt": robots("", status=503), "/": Reply(body=html_page("Forside"))})
    with serving(site) as server:
        async with Fetcher(with_options(options, max_retries=0)) as fetcher:
            with pytest.raises(RobotsDisallowed):
                await fetcher.fetch(server.base_url(site.host) + "/")
            with pytest.raises(FetchError, match="robots.txt unreachable"):
                await fetcher.fetch(f"http://127.66.1.3:{server.port}/")
        assert [e.path_with_query for e in server.request_log] == ["/robots.txt"]


async def test_crawl_delay_raises_the_gap_between_requests(options: CrawlOptions) -> None:
    routes = {f"/side{i}": Reply(body=html_page(f"Side {i}")) for i in range(4)}
    site = Site("127.66.1.4", {"/robots.txt": robots("User-agent: *\nCrawl-delay: 0.15\n"), **routes})
    with serving(site) as server:
        base = server.base_url(site.host)
        async with Fetcher(options) as fetcher:
            await asyncio.gather(*(fetcher.fetch(f"{base}/side{i}") for i in range(4)))
            assert fetcher.gate.delay_of(site.host) == pytest.approx(0.15)
        measured = gaps(server.wait_for_requests(5))  # robots.txt and four pages
    assert len(measured) == 4
    assert min(measured) >= 0.15


async def test_per_host_delay_and_one_request_in_flight_per_host(options: CrawlOptions) -> None:
    slow = {f"/p{i}": Reply(body=html_page(f"P {i}"), delay=0.05) for i in range(5)}
    a = Site("127.66.1.5", dict(slow))
    b = Site("127.66.1.6", dict(slow))
    polite = with_options(options, per_host_delay=0.05)
    with serving(a, b) as server:
        async with Fetcher(polite) as fetcher:
            await asyncio.gather(
                *(fetcher.fetch(f"{server.base_url(host)}/p{i}") for i in range(5) for host in (a.host, b.host))
            )
        server.wait_for_requests(12)  # two robots.txt and ten pages
        for host in (a.host, b.host):
            entries = [e for e in server.request_log if e.host == host and e.path_with_query != "/robots.txt"]
            assert len(entries) == 5
            assert min(gaps(server.requests_to(host))) >= 0.05  # never overlapping, delay from the END
        # the two hosts ran side by side (a request to one was in flight while the other's was), not in turn
        on_a, on_b = server.requests_to(a.host), server.requests_to(b.host)
        assert any(x.started < y.finished and y.started < x.finished for x in on_a for y in on_b)
