from __future__ import annotations

import pytest

from crawlers.errors import FetchError, RefusedAddress, TooLarge
from crawlers.fetch import Fetcher
from crawlers.testweb.server import Reply, Request, Site, redirect
from crawlers.types import CrawlOptions
from tests.crawlers.conftest import html_page, serving, with_options


async def test_retries_on_503_then_succeeds(options: CrawlOptions) -> None:
    calls = {"n": 0}

    def flaky(request: Request) -> Reply:
        calls["n"] += 1
        if calls["n"] < 3:
            return Reply(status=503, body="opptatt")
        return Reply(body=html_page("Endelig"))

    site = Site("127.66.2.1", {"/": flaky})
    with serving(site) as server:
        async with Fetcher(options) as fetcher:
            response = await fetcher.fetch(server.base_url(site.host) + "/")
            assert fetcher.stats.retries == 2
    assert response.status == 200 and "Endelig" in response.text()
    assert [e.status for e in server.requests_to(site.host) if e.path_with_query == "/"] == [503, 503, 200]


async def test_non_2xx_after_retries_is_returned_not_raised(options: CrawlOptions) -> None:
    site = Site("127.66.2.2", {"/": Reply(status=503, body="nede", headers={"Retry-After": "0"})})
    with serving(site) as server:
        async with Fetcher(with_options(options, max_retries=1)) as fetcher:
            response = await fetcher.fetch(server.base_url(site.host) + "/")
    assert response.status == 503
    assert len([e for e in server.request_log if e.path_with_query == "/"]) == 2


async def test_redirect_chain_is_recorded(options: CrawlOptions) -> None:
    site = Site(
        "127.66.2.3",
        {
            "/": redirect("/forside"),
            "/forside": redirect("/forside/", status=302),
            "/forside/": Reply(body=html_page("Forside")),
        },
    )
    with serving(site) as server:
        base = server.base_url(site.host)
        async with Fetcher(options) as fetcher:
            response = await fetcher.fetch(base + "/")
    assert response.url == base + "/"
    assert response.final_url == base + "/forside/"
    assert response.redirects == (base + "/", base + "/forside")
    assert response.status == 200


async def test_private_addresses_are_refused_on_every_hop(options: CrawlOptions) -> None:
    inside = Site("127.66.2.5", {"/secret": Reply(body="hemmelig")})
    entry = Site("127.66.2.4", {"/": Reply(body=html_page("x"))})
    strict = with_options(options, allow_private_networks=False)
    with serving(entry, inside) as server:
        entry.set("/go", redirect(server.base_url(inside.host) + "/secret"))
        async with Fetcher(strict) as fetcher:
            with pytest.raises(RefusedAddress):
                await fetcher.fetch(server.base_url(entry.host) + "/")
        # one host explicitly allowed (as a local demo web would be): its redirect into another is still stopped
        async with Fetcher(strict, allowed_hosts=frozenset({entry.host})) as fetcher:
            assert (await fetcher.fetch(server.base_url(entry.host) + "/")).status == 200
            with pytest.raises(RefusedAddress, match="127.66.2.5"):
                await fetcher.fetch(server.base_url(entry.host) + "/go")
    assert server.requests_to(inside.host) == []
    assert "/go" in [e.path_with_query for e in server.requests_to(entry.host)]


async def test_byte_cap(options: CrawlOptions) -> None:
    site = Site("127.66.2.6", {"/stor.pdf": Reply(body=b"x" * 5000, content_type="application/pdf")})
    with serving(site) as server:
        async with Fetcher(with_options(options, max_response_bytes=1000)) as fetcher:
            with pytest.raises(TooLarge):
                await fetcher.fetch(server.base_url(site.host) + "/stor.pdf")
            small = await fetcher.fetch(server.base_url(site.host) + "/stor.pdf", max_bytes=10_000)
    assert len(small.body) == 5000
    assert [e.path_with_query for e in server.request_log].count("/stor.pdf") == 2  # too large is not retried


async def test_connection_refused_and_timeout_become_fetch_errors(options: CrawlOptions) -> None:
    site = Site("127.66.2.7", {"/treg": Reply(body="sent", delay=0.6), "/robots.txt": Reply(status=404)})
    quick = with_options(options, timeout=0.2, max_retries=1)
    with serving(site) as server:
        async with Fetcher(quick) as fetcher:
            with pytest.raises(FetchError, match="Timeout"):
                await fetcher.fetch(server.base_url(site.host) + "/treg")
            assert fetcher.stats.retries == 1
            with pytest.raises(FetchError, match="robots.txt unreachable"):
                await fetcher.fetch(f"http://127.66.2.8:{server.port}/")
            assert fetcher.stats.retries == 2  # the refused robots.txt was retried once too


async def test_text_decoding_follows_declared_charset(options: CrawlOptions) -> None:
    latin = "<html><head><title>Bærum</title></head><body>Søk</body></html>".encode("latin-1")
    site = Site("127.66.2.9", {"/": Reply(body=latin, content_type="text/html; charset=iso-8859-1")})
    with serving(site) as server:
        async with Fetcher(options) as fetcher:
            response = await fetcher.fetch(server.base_url(site.host) + "/")
    assert "Bærum" in response.text() and response.is_html


async def test_concurrent_eviction_of_idle_clients_is_safe() -> None:
    """Regression: two tasks evicting the same idle per-host clients raised KeyError in a 455-site sweep."""
    import asyncio

    sites = [Site(f"127.66.9.{n + 1}", {"/": Reply(body=html_page("Forside"))}) for n in range(6)]
    options = CrawlOptions(allow_private_networks=True, per_host_delay=0.0)
    with serving(*sites) as server:
        async with Fetcher(options) as fetcher:
            for site in sites:  # open a kept-alive connection per host, so closing a client really awaits
                assert (await fetcher.fetch(server.base_url(site.host) + "/")).status == 200
            assert fetcher.pool.open == len(sites)
            await asyncio.gather(*(fetcher.pool.close_idle(older_than=0.0) for _ in range(5)))
            assert fetcher.pool.open == 0
