from __future__ import annotations

import gzip

from crawlers.fetch import Fetcher
from crawlers.sitemap import parse_sitemap, read_sitemaps
from crawlers.testweb.server import Reply, Site
from crawlers.types import CrawlOptions
from tests.crawlers.conftest import serving

XML = "application/xml"


def urlset(*locs: str) -> str:
    items = "".join(f"<url><loc>{loc}</loc><lastmod>2025-01-0{i + 1}</lastmod></url>" for i, loc in enumerate(locs))
    return f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{items}</urlset>'


def index(*locs: str) -> str:
    items = "".join(f"<sitemap><loc>{loc}</loc></sitemap>" for loc in locs)
    return (
        f'<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{items}</sitemapindex>'
    )


def test_tolerant_parse_without_entity_expansion() -> None:
    broken = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        b"<urlset><url><loc> https://x.no/a?b=1&amp;c=2 </loc></url><url><loc>https://x.no/&xxe;</loc>"
        b"<url><loc><![CDATA[https://x.no/cdata]]></loc></url>"
    )
    is_index, entries = parse_sitemap(broken)
    assert not is_index
    assert [e.url for e in entries] == ["https://x.no/a?b=1&c=2", "https://x.no/&xxe;", "https://x.no/cdata"]
    assert parse_sitemap(b"https://x.no/a\nhttps://x.no/b\n")[1][1].url == "https://x.no/b"


def test_an_unclosed_loc_keeps_what_came_before_and_is_a_problem_not_silence() -> None:
    problems: list[str] = []
    body = b"<urlset><url><loc>https://x.no/a</loc></url><url><loc>" + b" " * 319
    assert [e.url for e in parse_sitemap(body, problems=problems)[1]] == ["https://x.no/a"]
    assert problems == ["a <loc> at character 49 is never closed: the rest was not read"]
    problems.clear()
    parse_sitemap(b"<urlset><url><loc>https://x.no/a</loc></url></urlset>", problems=problems)
    assert problems == []


async def test_index_recursion_gzip_and_robots_listed(options: CrawlOptions) -> None:
    site = Site("127.66.3.1", {})
    with serving(site) as server:
        base = server.base_url(site.host)
        site.set("/kart/index.xml", Reply(body=index(f"{base}/kart/a.xml", f"{base}/kart/b.xml.gz"), content_type=XML))
        site.set("/kart/a.xml", Reply(body=urlset(f"{base}/planer", f"{base}/nyheter"), content_type=XML))
        gz = gzip.compress(urlset(f"{base}/dok/beredskab.pdf", f"{base}/planer").encode())
        site.set("/kart/b.xml.gz", Reply(body=gz, content_type="application/gzip"))
        site.set("/sitemap.xml", Reply(body=urlset(f"{base}/ikke-lest"), content_type=XML))
        async with Fetcher(options) as fetcher:
            result = await read_sitemaps(fetcher, base, ["/kart/index.xml"])
    assert [e.url for e in result.entries] == [f"{base}/planer", f"{base}/nyheter", f"{base}/dok/beredskab.pdf"]
    assert result.entries[0].lastmod == "2025-01-01"
    assert result.sitemaps_read == (f"{base}/kart/index.xml", f"{base}/kart/a.xml", f"{base}/kart/b.xml.gz")
    assert "/sitemap.xml" not in [e.path_with_query for e in server.request_log]  # robots listed its own
    assert result.errors == ()


async def test_default_locations_and_bounded_recursion(options: CrawlOptions) -> None:
    site = Site("127.66.3.2", {})
    with serving(site) as server:
        base = server.base_url(site.host)
        # an index that lists itself and a missing child: read once, the 404 child is an error
        site.set(
            "/sitemap_index.xml",
            Reply(body=index(f"{base}/sitemap_index.xml", f"{base}/mangler.xml"), content_type=XML),
        )
        async with Fetcher(options) as fetcher:
            result = await read_sitemaps(fetcher, base)
    assert result.entries == ()
    assert result.sitemaps_read == (f"{base}/sitemap_index.xml",)
    assert result.errors == ((f"{base}/mangler.xml", "HTTP 404"),)
    assert [e.path_with_query for e in server.request_log].count("/sitemap_index.xml") == 1
