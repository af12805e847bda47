"""A site's renders are answered from what its earlier renders (and the crawler's own fetch of the page) got."""

from __future__ import annotations

import pytest

from crawlers.fetch import Fetcher
from crawlers.render import Renderer
from crawlers.render_cache import MAX_ENTRY_BYTES, RenderCache
from crawlers.response import Response
from crawlers.testweb.server import Reply
from crawlers.types import CrawlOptions
from tests.crawlers.conftest import html_page, serving
from tests.crawlers.test_render import CHAIN, PLAN_LINK, chain_site


def answer(url: str, body: bytes = b"{}", *, status: int = 200, cache_control: str = "") -> Response:
    headers = {"cache-control": cache_control} if cache_control else {}
    return Response(url, url, status, headers, "application/json", body, (), 0.01)


def test_only_whole_200_answers_to_get_that_allow_storing_are_kept() -> None:
    cache = RenderCache()
    cache.keep("GET", "http://a.no/menu.json", answer("http://a.no/menu.json"))
    cache.keep("POST", "http://a.no/sok", answer("http://a.no/sok"))
    cache.keep("GET", "http://a.no/mangler", answer("http://a.no/mangler", status=404))
    cache.keep("GET", "http://a.no/ny", answer("http://a.no/ny", cache_control="no-store"))
    cache.keep("GET", "http://a.no/sjekk", answer("http://a.no/sjekk", cache_control="max-age=0, no-cache"))
    cache.keep("GET", "http://a.no/stor", answer("http://a.no/stor", b"x" * (MAX_ENTRY_BYTES + 1)))
    assert cache.get("GET", "http://a.no/menu.json") is not None
    assert cache.get("POST", "http://a.no/menu.json") is None  # a POST is always made
    for url in ("http://a.no/sok", "http://a.no/mangler", "http://a.no/ny", "http://a.no/sjekk", "http://a.no/stor"):
        assert cache.get("GET", url) is None, url
    assert cache.hits == 1 and cache.held == 2


def test_a_site_s_cache_is_bounded_in_bytes() -> None:
    cache = RenderCache(max_bytes=10)
    cache.keep("GET", "http://a.no/1", answer("http://a.no/1", b"123456"))
    cache.keep("GET", "http://a.no/2", answer("http://a.no/2", b"123456"))  # would pass 10 bytes: not kept
    cache.keep("GET", "http://a.no/3", answer("http://a.no/3", b"1234"))
    assert [cache.get("GET", f"http://a.no/{n}") is not None for n in (1, 2, 3)] == [True, False, True]


@pytest.mark.browser
@pytest.mark.slow
async def test_later_renders_of_a_site_ask_it_only_for_what_they_have_not_had(options: CrawlOptions) -> None:
    site = chain_site("127.66.9.1", delay=0.0)
    site.set("/skole", Reply(body=html_page("Skole", '<nav id="menu"></nav><script src="/js/meny.js"></script>')))
    with serving(site) as server:
        base = server.base_url(site.host)
        async with Fetcher(options) as fetcher, Renderer(options, fetcher) as renderer:
            cache = RenderCache()
            front = await fetcher.fetch(base + "/")  # the crawler's own fetch, a moment before the render
            cache.keep_page(front)
            first = await renderer.render_page(base + "/", cache=cache)
            after_first = [e.path_with_query for e in server.request_log]
            school = await fetcher.fetch(base + "/skole")
            cache.keep_page(school)
            second = await renderer.render_page(base + "/skole", cache=cache)
            after_second = [e.path_with_query for e in server.request_log]
    assert first.complete and second.complete
    for page in (first, second):  # the menu is built whole both times
        assert f'<a href="{PLAN_LINK[1]}">{PLAN_LINK[0]}</a>' in page.html and "Meny 2" in page.html
    # the front page is not asked for twice: the render was given the crawler's fetch of it
    assert after_first == ["/robots.txt", "/", "/js/meny.js", *CHAIN]
    # the second page's script and its four JSON answers came from the cache: the site was asked for nothing more
    assert after_second == [*after_first, "/skole"]
    assert first.requests == 5 and second.requests == 0
    assert cache.hits == 1 + 6


@pytest.mark.browser
@pytest.mark.slow
async def test_without_a_cache_every_render_asks_the_site(options: CrawlOptions) -> None:
    site = chain_site("127.66.9.2", delay=0.0)
    with serving(site) as server:
        base = server.base_url(site.host)
        async with Fetcher(options) as fetcher, Renderer(options, fetcher) as renderer:
            await renderer.render_page(base + "/")
            await renderer.render_page(base + "/")
    assert [e.path_with_query for e in server.request_log].count("/js/meny.js") == 2
