"""Hostile inputs for the crawler's parsers (issue 12): each must come back in bounded time.

The bounds are generous hang checks, not benchmarks: the inputs used to take 20-35 s or more (super-linear
regex backtracking or parsing), and now take well under a second on a shared CI core.
"""

from __future__ import annotations

import gzip
import time
from collections.abc import Callable
from typing import TypeVar

import pytest

from crawlers.extract.html import extract_html
from crawlers.htmlguard import MAX_DEPTH, MAX_PARSE_CHARS, guard_html, parse_html
from crawlers.links import extract_links, links_built_by_script
from crawlers.sitemap import SitemapEntry, parse_sitemap

T = TypeVar("T")
BOUND_SECONDS = 2.0


def timed(call: Callable[[], T]) -> T:
    """Run `call`, failing if it takes more CPU than the hang bound (CPU, not wall time: other jobs on the shared
    cores must not make a linear reader look quadratic)."""
    start = time.process_time()
    result = call()
    elapsed = time.process_time() - start
    assert elapsed < BOUND_SECONDS, f"took {elapsed:.2f} s of CPU"
    return result


# the 370-byte sitemap of issue 12, item 6: 319 bytes of whitespace after <loc>, no </loc> (over 35 s before)
SMALL_HANG = b'<?xml version="1.0" encoding="UTF-8"?><urlset><url><loc>' + b" " * 319 + b"</url></urlset>"

SITEMAP_HANGS = {
    "unclosed loc, 319 spaces": SMALL_HANG,
    "unclosed loc, 100k spaces": b"<urlset><url><loc>" + b" " * 100_000,
    "unclosed loc, 100k mixed whitespace": b"<urlset><url><loc>" + b" \t\r\n" * 25_000,
    "cdata and 100k spaces": b"<urlset><url><loc><![CDATA[" + b" " * 100_000 + b"]]" + b" " * 100_000,
    "25k unclosed loc tags": b"<urlset>" + b"<url><loc>x" * 25_000,
    "25k loc without >": b"<urlset>" + b"<loc " * 25_000,
    "unclosed lastmod, 100k spaces": b"<urlset><url><loc>https://x.no/a</loc><lastmod>" + b" " * 100_000,
    "25k unclosed lastmod": b"<urlset><url><loc>https://x.no/a</loc>" + b"<lastmod>" * 25_000,
    "100k spaces inside loc": b"<urlset><url><loc>" + b" " * 100_000 + b"https://x.no/a" + b" " * 100_000 + b"</loc>",
}


@pytest.mark.parametrize("body", SITEMAP_HANGS.values(), ids=SITEMAP_HANGS.keys())
def test_hostile_sitemap_parses_in_bounded_time(body: bytes) -> None:
    timed(lambda: parse_sitemap(body))
    timed(lambda: parse_sitemap(gzip.compress(body)))


def test_hostile_sitemap_keeps_what_can_be_read() -> None:
    assert parse_sitemap(SMALL_HANG) == (False, [])
    body = SITEMAP_HANGS["100k spaces inside loc"]
    assert timed(lambda: parse_sitemap(body)) == (False, [SitemapEntry("https://x.no/a")])
    body = SITEMAP_HANGS["unclosed lastmod, 100k spaces"]
    assert timed(lambda: parse_sitemap(body)) == (False, [SitemapEntry("https://x.no/a")])


def test_sitemap_reading_unchanged_for_ordinary_markup() -> None:
    """The linear scan reads what the old regex read: CDATA, entities, whitespace, lastmod per <loc>."""
    body = (
        b'<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        b'<sitemap><LOC class="x">\n  https://x.no/a.xml\n</LOC ><lastmod> 2025-02-01 </lastmod></sitemap>'
        b"<sitemap><loc> <![CDATA[ https://x.no/b.xml?x=1&y=2 ]]> </loc></sitemap>"
        b"<sitemap><loc>https://x.no/c.xml?x=1&amp;y=2</loc><lastmod>2025-03-01</lastmod>"
        b"<sitemap><loc>https://x.no/d.xml</loc></sitemap><location>https://x.no/no</location>"
        b"</sitemapindex>"
    )
    assert parse_sitemap(body) == (
        True,
        [
            SitemapEntry("https://x.no/a.xml", "2025-02-01"),
            SitemapEntry("https://x.no/b.xml?x=1&y=2"),
            SitemapEntry("https://x.no/c.xml?x=1&y=2", "2025-03-01"),
            SitemapEntry("https://x.no/d.xml"),
        ],
    )
    assert parse_sitemap(body, limit=2)[1] == [
        SitemapEntry("https://x.no/a.xml", "2025-02-01"),
        SitemapEntry("https://x.no/b.xml?x=1&y=2"),
    ]
    assert parse_sitemap(b"https://x.no/a\nhttps://x.no/b\nhttps://x.no/c\n", limit=2)[1] == [
        SitemapEntry("https://x.no/a"),
        SitemapEntry("https://x.no/b"),
    ]


HTML_HANGS = {
    # issue 12, item 9: 19 s in lexbor before, which scans the open elements for a <p> at every block tag
    "100k unclosed div": "<html><body>" + "<div>" * 100_000 + "<a href='/plan.pdf'>Plan</a>",
    "100k unclosed section": "<body>" + "<section>" * 100_000,
    "40k spans then divs": "<body>" + "<span>" * 40_000 + "<div></div>" * 40_000,
    "40k distinct <b>": "<body>" + "".join(f"<b x={i}>" for i in range(40_000)),
    "40k section and li": "<body>" + "<section><li>" * 40_000,
    "100k self-closed div in svg": "<body><svg>" + "<div/>" * 100_000,
    "100k svg groups": "<body><svg>" + "<g>" * 100_000 + "</svg><div>" * 100,
    "tag never closed, 1M chars": "<body><div " + "a" * 1_000_000,
    "100k divs in a comment": "<body><!--" + "<div>" * 100_000,
    # every list item, cell or heading is read for its text: nested, that was depth x text (9.5 s, 2.4 s)
    "256 nested list items over 1 MB": "<body>" + "<ul><li>" * 256 + "ord " * 250_000,
    "256 nested cells over 1 MB": "<body>" + "<table><td>" * 256 + "ord " * 250_000,
    "256 nested headings over 1 MB": "<body>" + "<h2><div>" * 256 + "ord " * 250_000,
    # the title separator regex retried from every character of a whitespace run (40k: 13 s)
    "title of 100k line separators": "<html><head><title>a" + "\u2028" * 100_000 + "b</title></head><body>x",
    # each menu container was read for links and text: 35 s
    "500 nested menus over 2 MB": "<body><script></script>"
    + "".join(f"<a href='/s{i}'>s</a>" for i in range(6))
    + "<nav>" * 500
    + "ord " * 500_000,
}


@pytest.mark.parametrize("html", HTML_HANGS.values(), ids=HTML_HANGS.keys())
def test_hostile_html_parses_in_bounded_time(html: str) -> None:
    tree = timed(lambda: parse_html(html))
    timed(lambda: extract_links(tree, "https://x.no/"))
    timed(lambda: links_built_by_script(tree, "https://x.no/"))
    timed(lambda: extract_html(html.encode(), "https://x.no/"))


def test_self_nested_items_are_flattened_and_noted() -> None:
    guarded = guard_html(HTML_HANGS["256 nested list items over 1 MB"])
    assert guarded.cut == "246 list items, cells or headings nested over 10 in themselves dropped"
    assert guarded.html.count("<li>") == 10


def test_an_empty_menu_inside_a_full_one_still_counts() -> None:
    links = "".join(f"<a href='/s{i}'>s</a>" for i in range(6))
    page = "<body><script></script>" + links + "<nav><p>Meny</p><div class=menu></div></nav>"
    assert links_built_by_script(page, "https://x.no/")
    assert not links_built_by_script(page.replace("<div class=menu></div>", ""), "https://x.no/")


def test_deep_nesting_is_flattened_and_noted() -> None:
    html = HTML_HANGS["100k unclosed div"]
    guarded = guard_html(html)
    assert guarded.cut == f"{100_000 - MAX_DEPTH} start tags nested deeper than {MAX_DEPTH} levels dropped"
    # the text and the links under the dropped tags are kept
    assert [link.url for link in extract_links(parse_html(html), "https://x.no/")] == ["https://x.no/plan.pdf"]
    assert dict(extract_html(html.encode(), "https://x.no/").facts)["html_cut"] == guarded.cut


def test_oversized_html_is_cut_and_noted() -> None:
    html = "<body><p>" + "plan " * (MAX_PARSE_CHARS // 5)
    guarded = guard_html(html)
    assert len(guarded.html) == MAX_PARSE_CHARS
    assert guarded.cut == f"only the first {MAX_PARSE_CHARS} of {len(html)} characters parsed"


ORDINARY_HTML = (
    "<!doctype html><html><head><title>Planer</title><script>var s = '<div>' + '<div>';</script></head><body>"
    + "<!-- <div> -->"
    + "<ul>"
    + "<li><div class=item><a href='/a'>a</a>" * 600
    + "</ul>"  # unclosed divs in list items
    + "<table>"
    + "<tr><td><div>x<td><span>y" * 600
    + "</table>"  # unclosed cells, divs and spans
    + "<p>a<p>b<br><img src=x.png>" * 600
    + "<svg><g><path d='M0'/></g></svg>" * 600
    + "<a href='/b'>b<a href='/c'>c" * 600
    + "<div>" * 500
    + "</div>" * 500
    + "</body></html>"
)


def test_ordinary_pages_are_not_touched() -> None:
    """Unclosed items, cells, paragraphs and links auto-close in HTML: they do not count towards the depth."""
    guarded = guard_html(ORDINARY_HTML)
    assert guarded.cut == ""
    assert guarded.html is ORDINARY_HTML
