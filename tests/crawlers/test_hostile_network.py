"""Hostile sites (issue 12): broken charset labels, addresses hidden in IPv6, huge or UTF-16 robots.txt,
compression bombs and DNS rebinding, each against a real loopback server."""

from __future__ import annotations

from crawlers.fetch import Fetcher
from crawlers.recheck import recheck_urls
from crawlers.testweb.server import Reply, Site
from crawlers.types import CrawlOptions
from tests.crawlers.conftest import html_page, serving

# -- item 7: charset labels that name no usable codec ------------------------------------------------------------


async def test_charset_labels_that_are_not_web_charsets_fall_back(options: CrawlOptions) -> None:
    """`charset=undefined` and `charset=punycode` made `bytes.decode` raise a bare UnicodeError in the re-check."""
    page = html_page("Bærum kommune", "<p>Handlingsplan mot vold</p>")
    site = Site(
        "127.91.1.1",
        {
            "/undefined": Reply(body=page, content_type="text/html; charset=undefined"),
            "/punycode": Reply(body=page, content_type="text/html; charset=punycode"),
            "/quoted": Reply(body=page, content_type='text/html; charset="punycode"'),
            "/meta": Reply(body=page.replace('charset="utf-8"', 'charset="undefined"'), content_type="text/html"),
        },
    )
    with serving(site) as server:
        async with Fetcher(options) as fetcher:
            for path in ("/undefined", "/punycode", "/quoted", "/meta"):
                response = await fetcher.fetch(server.url(site.host, path))
                assert "Bærum kommune" in response.text(), path


async def test_recheck_survives_a_robots_txt_and_document_with_an_undefined_charset(options: CrawlOptions) -> None:
    site = Site(
        "127.91.1.2",
        {
            "/": Reply(body=html_page("Forside")),
            "/robots.txt": Reply(
                body="User-agent: *\nDisallow: /intern/\n", content_type="text/plain; charset=undefined"
            ),
            "/plan": Reply(body=html_page("Handlingsplan"), content_type="text/html; charset=punycode"),
            "/intern/plan": Reply(body=html_page("Intern")),
        },
    )
    with serving(site) as server:
        async with Fetcher(options) as fetcher:
            checks = await recheck_urls(
                [server.url(site.host, "/plan"), server.url(site.host, "/intern/plan")],
                fetcher=fetcher,
                front_page_url=server.url(site.host, "/"),
            )
    assert len(checks) == 2
    assert "/intern/plan" not in [e.path_with_query for e in server.requests_to(site.host)]
