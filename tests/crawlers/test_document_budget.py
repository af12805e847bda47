"""Memory per site and per sweep (issue 12, item 11): one site could hold 40 x 39 MB documents at once (1.87 GB).

A site crawl holds at most `max_document_bytes_per_site` of document bodies (the rest are recorded as
"document_budget" issues), and a sweep holds at most `concurrency` sites' results, none after delivery.
"""

from __future__ import annotations

import asyncio
import gc
import time
import tracemalloc
import weakref

from crawlers.fetch import Fetcher
from crawlers.site import crawl_site
from crawlers.sweep import crawl_sites
from crawlers.testweb.server import Reply, Site
from crawlers.types import CrawlOptions, FetchedDocument, SiteCrawl
from tests.crawlers.conftest import fixed_now, html_page, serving, with_options

PDF = "application/pdf"
MB = 1_000_000


def big_pdf(title: str, size: int) -> bytes:
    head = f"%PDF-1.4\n1 0 obj << /Title ({title}) >> endobj\n".encode()
    return head + b"0" * (size - len(head) - 6) + b"%%EOF\n"


def plan_site(host: str, count: int, size: int) -> Site:
    """A front page linking `count` PDFs of `size` bytes, the first ones named most like a plan."""
    names = [
        f"Handlingsplan mot seksuelle overgrep mot barn, del {i}" if i < count // 2 else f"Handlingsplan, vedlegg {i}"
        for i in range(count)
    ]
    links = "".join(f'<li><a href="/dok/{i}.pdf">{name}</a></li>' for i, name in enumerate(names))
    routes: dict[str, Reply] = {"/": Reply(body=html_page("Forside", f"<ul>{links}</ul>"))}
    for i, name in enumerate(names):
        routes[f"/dok/{i}.pdf"] = Reply(body=big_pdf(name, size), content_type=PDF)
    return Site(host, routes)


async def test_a_site_keeps_documents_up_to_its_byte_budget_and_records_the_rest(options: CrawlOptions) -> None:
    count, size, cap = 12, 3 * MB, 10 * MB
    options = with_options(options, max_document_bytes_per_site=cap)
    site = plan_site("127.93.1.1", count, size)
    with serving(site) as server:
        async with Fetcher(options) as fetcher:
            tracemalloc.start()
            try:
                crawl = await crawl_site(
                    server.url(site.host, "/"), options, fetcher=fetcher, renderer=None, now=fixed_now
                )
                _, peak = tracemalloc.get_traced_memory()
            finally:
                tracemalloc.stop()
    kept = [d for d in crawl.documents if d.format == "pdf"]
    over = [i for i in crawl.issues if i.kind == "document_budget"]
    assert len(kept) == cap // size == 3
    assert sum(len(d.body) for d in crawl.documents) <= cap
    assert len(over) == count - len(kept)  # every document let go is named, never silent
    assert all(f"{cap:,} bytes" in i.detail for i in over)
    assert {i.url for i in over}.isdisjoint(d.url for d in kept)
    # the likeliest plans are kept: those whose link text names a plan
    assert all("overgrep" in d.anchor_text for d in kept), [(d.anchor_text, d.score) for d in kept]
    # all twelve documents held would be 36 MB; the cap plus a few responses in flight is the bound
    assert peak < cap + 5 * size, f"peak {peak / MB:.1f} MB"


async def test_a_likelier_document_found_later_takes_the_place_of_a_less_likely_one(options: CrawlOptions) -> None:
    """A document reached during discovery (an extension-less link) is held before the ranked downloads: when the
    budget is spent, a likelier one found later pushes it out (and the drop is recorded), not the other way."""
    size = 3 * MB
    options = with_options(options, max_document_bytes_per_site=4 * MB)
    site = Site(
        "127.93.1.2",
        {
            "/": Reply(
                body=html_page(
                    "Forside",
                    '<a href="/hent?id=1">Vedlegg</a> <a href="/dok/plan.pdf">Handlingsplan mot seksuelle overgrep</a>',
                )
            ),
            "/hent": Reply(body=big_pdf("Vedlegg", size), content_type=PDF),
            "/dok/plan.pdf": Reply(body=big_pdf("Handlingsplan", size), content_type=PDF),
        },
    )
    with serving(site) as server:
        async with Fetcher(options) as fetcher:
            crawl = await crawl_site(server.url(site.host, "/"), options, fetcher=fetcher, renderer=None, now=fixed_now)
    assert [d.url.rsplit("/", 1)[-1] for d in crawl.documents] == ["plan.pdf"]
    (issue,) = [i for i in crawl.issues if i.kind == "document_budget"]
    assert issue.url.endswith("/hent?id=1") and "made way for" in issue.detail


async def test_a_sweep_holds_no_more_sites_than_its_concurrency_and_releases_delivered_ones(
    options: CrawlOptions,
) -> None:
    """A slow consumer (the pipeline waiting for a store slot) must not let finished sites pile up with their
    documents while new ones start; once delivered, a site's documents are kept by nobody but the consumer."""
    options = with_options(options, concurrency=1, max_document_bytes_per_site=8 * MB)
    sites = [plan_site(f"127.93.2.{n}", 4, 2 * MB) for n in range(1, 4)]
    delivering: list[tuple[float, float]] = []
    crawls: list[weakref.ref[SiteCrawl]] = []
    documents: list[weakref.ref[FetchedDocument]] = []

    async def slow_consumer(url: str, crawl: SiteCrawl) -> None:
        start = time.monotonic()
        crawls.append(weakref.ref(crawl))
        documents.extend(weakref.ref(d) for d in crawl.documents)
        await asyncio.sleep(0.3)
        delivering.append((start, time.monotonic()))

    with serving(*sites) as server:
        await crawl_sites([server.url(s.host, "/") for s in sites], options, slow_consumer, now=fixed_now)
        log = server.wait_for_requests(len(server.request_log))
    assert len(crawls) == 3 and len(documents) == 3 * 4
    for start, end in delivering:
        assert not [r for r in log if start < r.started < end], "a site crawled while another waited for delivery"
    gc.collect()
    assert [c for c in crawls if c() is not None] == []
    assert [d for d in documents if d() is not None] == []
