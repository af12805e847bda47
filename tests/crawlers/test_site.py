from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import replace
from urllib.parse import urlsplit

from crawlers.fetch import Fetcher
from crawlers.render import RenderBudget, RenderedPage
from crawlers.render_cache import RenderCache
from crawlers.site import crawl_site
from crawlers.sweep import crawl_sites
from crawlers.testweb.server import Reply, Request, Route, Site, redirect
from crawlers.types import CrawlOptions, SiteCrawl
from tests.crawlers.conftest import FIXED_NOW, fixed_now, html_page, pdf_bytes, serving, with_options

PDF = "application/pdf"
PLAN_TITLE = "Handlingsplan mot seksuelle overgrep mot barn 2024-2027"


def page(title: str, body: str = "") -> Reply:
    return Reply(body=html_page(title, body))


def robots(text: str) -> Reply:
    return Reply(body=text, content_type="text/plain")


async def crawl(base: str, options: CrawlOptions) -> SiteCrawl:
    async with Fetcher(options) as fetcher:
        return await crawl_site(base + "/", options, fetcher=fetcher, renderer=None, now=fixed_now)


async def test_menu_plan_with_click_path_and_robots(options: CrawlOptions) -> None:
    plan = pdf_bytes(PLAN_TITLE)
    site = Site(
        "127.66.5.1",
        {
            "/robots.txt": robots("User-agent: *\nDisallow: /intern/\n"),
            "/": page(
                "Forside",
                '<nav><a href="/tjenester">Tjenester</a><a href="/planer">Planer og styringsdokumenter</a>'
                '<a href="/nyheter">Nyheter</a></nav>'
                '<a href="/intern/overgrep.pdf">Handlingsplan mot overgrep (intern)</a>',
            ),
            "/tjenester": page("Tjenester", '<a href="/tjenester/helse">Helse</a>'),
            "/nyheter": page("Nyheter", '<a href="/nyheter/1">Ny barnehage</a>'),
            "/planer": page(
                "Planer",
                "<h2>Planer og styringsdokumenter</h2>"
                f'<ul><li><a href="/dok/plan.pdf">{PLAN_TITLE}</a></li>'
                '<li><a href="/dok/mangler.pdf">Handlingsplan mot vold (gammel lenke)</a></li></ul>',
            ),
            "/dok/plan.pdf": Reply(body=plan, content_type=PDF),
            "/intern/overgrep.pdf": Reply(body=pdf_bytes("intern"), content_type=PDF),
        },
    )
    with serving(site) as server:
        base = server.base_url(site.host)
        result = await crawl(base, options)
    assert result.reachable and not result.blocked and result.error is None
    assert result.final_start_url == base + "/"
    assert result.started_at == FIXED_NOW
    [doc] = result.documents
    assert doc.url == base + "/dok/plan.pdf" and doc.format == "pdf" and doc.status == 200
    assert doc.body == plan and doc.sha256 == hashlib.sha256(plan).hexdigest()
    assert doc.found_via == "link" and doc.click_depth == 2
    assert [(hop.url, hop.anchor_text) for hop in doc.click_path] == [
        (base + "/", ""),
        (base + "/planer", "Planer og styringsdokumenter"),
        (base + "/dok/plan.pdf", PLAN_TITLE),
    ]
    assert doc.anchor_text == PLAN_TITLE
    paths = [e.path_with_query for e in server.request_log]
    assert "/intern/overgrep.pdf" not in paths
    assert result.robots_disallowed == 1
    kinds = {(issue.kind, issue.url.removeprefix(base)) for issue in result.issues}
    assert ("robots_disallowed", "/intern/overgrep.pdf") in kinds
    assert ("http_status", "/dok/mangler.pdf") in kinds
    assert ("http_status", "/tjenester/helse") in kinds
    assert result.pages_fetched == len([p for p in paths if not p.endswith((".pdf", "robots.txt", ".xml"))])


def calendar(request: Request) -> Reply:
    day = int((request.query.get("dato") or ["2026-01-01"])[0][-2:] or 1) % 28 + 1
    return page(
        "Kalender",
        f'<a href="/kalender?dato=2026-01-{day:02d}">Neste dag</a>'
        f'<a href="/kalender;jsessionid=A{day}?dato=2026-02-{day:02d}">Neste månad</a>'
        f'<a href="/arrangement/{day}?sid={day}">Konsert</a>',
    )


def news(request: Request) -> Reply:
    number = int(request.path.rsplit("/", 1)[-1])
    return page(f"Nyheit {number}", f'<a href="/nyheiter/{number + 1}">Neste nyheit</a>')


async def test_best_first_reaches_a_deep_plan_within_a_small_budget_despite_traps(options: CrawlOptions) -> None:
    plan = pdf_bytes("Handlingsplan mot vald og seksuelle overgrep mot born 2025-2028")
    routes = {
        "/": page(
            "Forside",
            '<a href="/kalender?dato=2026-01-01">Kalender</a><a href="/nyheiter/1">Nyheiter</a>'
            '<a href="/kultur">Kultur</a><a href="/naering">Næring</a><a href="/tenester">Tenester</a>',
        ),
        "/kalender": calendar,
        "/tenester": page("Tenester", '<a href="/tenester/helse">Helse</a><a href="/tenester/vatn">Vatn</a>'),
        "/tenester/helse": page("Helse", '<a href="/tenester/helse/barn-og-unge">Barn og unge</a>'),
        "/tenester/helse/barn-og-unge": page("Barn og unge", '<a href="/tenester/helse/vald">Vald og overgrep</a>'),
        "/tenester/helse/vald": page(
            "Vald og overgrep", '<h2>Handlingsplan</h2><a href="/f/2025-77.pdf">Les meir (PDF)</a>'
        ),
        "/f/2025-77.pdf": Reply(body=plan, content_type=PDF),
    }
    site = Site("127.66.5.2", routes)
    for number in range(1, 200):
        site.set(f"/nyheiter/{number}", news)
    for i in range(30):
        site.set(f"/arrangement/{i}", page("Konsert"))
    tight = replace(options, max_pages_per_site=15, max_visits_per_path_pattern=3)
    with serving(site) as server:
        base = server.base_url(site.host)
        result = await crawl(base, tight)
    # the page headed "Vald og overgrep" is read too (the classifier tells a plan page from a page about one)
    assert {d.url.removeprefix(base) for d in result.documents if d.format == "html"} == {"/tenester/helse/vald"}
    [doc] = [d for d in result.documents if d.format == "pdf"]
    assert doc.body == plan and doc.found_via == "link" and doc.click_depth == 5
    assert [hop.anchor_text for hop in doc.click_path] == [
        "",
        "Tenester",
        "Helse",
        "Barn og unge",
        "Vald og overgrep",
        "Les meir (PDF)",
    ]
    paths = [e.path_with_query for e in server.request_log]
    assert result.pages_fetched <= 15
    assert sum(p.startswith("/kalender") for p in paths) <= 3
    assert sum(p.startswith("/nyheiter") for p in paths) <= 3


async def test_plan_only_in_a_sitemap_index(options: CrawlOptions) -> None:
    site = Site("127.66.5.3", {"/": page("Forside", '<a href="/om">Om kommunen</a>'), "/om": page("Om")})
    with serving(site) as server:
        base = server.base_url(site.host)
        site.set("/robots.txt", robots(f"User-agent: *\nAllow: /\nSitemap: {base}/kart/index.xml\n"))
        site.set(
            "/kart/index.xml",
            Reply(body=f"<sitemapindex><sitemap><loc>{base}/kart/dok.xml</loc></sitemap></sitemapindex>"),
        )
        site.set(
            "/kart/dok.xml",
            Reply(
                body=f"<urlset><url><loc>{base}/filer/beredskab-om-vold-og-seksuelle-overgreb.pdf</loc></url>"
                f"<url><loc>{base}/filer/budget-2026.pdf</loc></url></urlset>"
            ),
        )
        site.set("/filer/beredskab-om-vold-og-seksuelle-overgreb.pdf", Reply(body=pdf_bytes("b"), content_type=PDF))
        site.set("/filer/budget-2026.pdf", Reply(body=pdf_bytes("budget"), content_type=PDF))
        result = await crawl(base, options)
    # every document a sitemap lists is read (plans are often filed as "endelig.pdf"), the plan-like one first
    doc, budget = result.documents
    assert doc.url.endswith("/filer/beredskab-om-vold-og-seksuelle-overgreb.pdf") and doc.score > budget.score
    assert doc.found_via == "sitemap" and doc.click_depth is None and doc.click_path == ()
    assert budget.url.endswith("/filer/budget-2026.pdf") and budget.found_via == "sitemap"


async def test_a_file_script_a_plain_sitemap_lists_is_read_by_its_bytes(options: CrawlOptions) -> None:
    # Tuning seed 4 (OS2web): the scanned plan was only in a plain-text sitemap as /media/44311/download, served as
    # application/octet-stream; with no words in the URL it was never requested.
    download = Reply(
        body=pdf_bytes("beredskab"),
        content_type="application/octet-stream",
        headers={"Content-Disposition": 'attachment; filename="scan0042.pdf"'},
    )
    site = Site("127.66.5.8", {"/": page("Forside", '<a href="/om">Om kommunen</a>'), "/om": page("Om")})
    with serving(site) as server:
        base = server.base_url(site.host)
        site.set("/robots.txt", robots(f"User-agent: *\nAllow: /\nSitemap: {base}/sitemap.txt\n"))
        site.set(
            "/sitemap.txt", Reply(body=f"{base}/\n{base}/om\n{base}/media/44311/download\n", content_type="text/plain")
        )
        site.set("/media/44311/download", download)
        result = await crawl(base, options)
    (doc,) = result.documents
    assert doc.url.endswith("/media/44311/download") and doc.format == "pdf"
    assert doc.found_via == "sitemap" and doc.click_depth is None


async def test_plan_only_through_the_site_search(options: CrawlOptions) -> None:
    def results(request: Request) -> Reply:
        query = request.query.get("q", [""])[0]
        hits = '<a href="/dokument/991">Handlingsplan mot seksuelle overgrep</a>' if "overgrep" in query else ""
        return page("Søk", f"<h1>Resultat</h1>{hits}")

    site = Site(
        "127.66.5.4",
        {
            "/": page("Forside", '<form action="/sok"><input name="q"></form><a href="/om">Om</a>'),
            "/sok": results,
            "/dokument/991": Reply(body=pdf_bytes("plan"), content_type=PDF),
        },
    )
    with serving(site) as server:
        result = await crawl(server.base_url(site.host), options)
    [doc] = result.documents
    assert doc.url.endswith("/dokument/991") and doc.format == "pdf"  # by content type: no extension
    assert doc.found_via == "site_search" and doc.click_depth is None
    assert doc.anchor_text == "Handlingsplan mot seksuelle overgrep"


async def test_redirected_front_page_and_moved_plan(options: CrawlOptions) -> None:
    site = Site(
        "127.66.5.5",
        {
            "/": redirect("/forside"),
            "/forside": page("Forside", '<a href="/planer">Planer og strategier</a><a href="/">Hjem</a>'),
            "/planer": page("Planer", f'<a href="/gammel/plan.pdf">{PLAN_TITLE}</a>'),
            "/gammel/plan.pdf": redirect("/dok/ny-plan.pdf"),
            "/dok/ny-plan.pdf": Reply(body=pdf_bytes("ny"), content_type=PDF),
        },
    )
    with serving(site) as server:
        base = server.base_url(site.host)
        result = await crawl(base, options)
    assert result.final_start_url == base + "/forside"
    [doc] = result.documents
    assert (doc.url, doc.final_url) == (base + "/gammel/plan.pdf", base + "/dok/ny-plan.pdf")
    assert doc.redirects == (base + "/gammel/plan.pdf",)
    assert doc.click_depth == 2 and doc.click_path[0].url == base + "/forside"
    assert [e.path_with_query for e in server.request_log].count("/") == 1  # the "Hjem" link is the front page


async def test_robots_disallow_all_blocks_without_requesting_anything(options: CrawlOptions) -> None:
    site = Site("127.66.5.6", {"/robots.txt": robots("User-agent: *\nDisallow: /\n"), "/": page("Forside")})
    with serving(site) as server:
        result = await crawl(server.base_url(site.host), options)
    assert result.blocked and result.reachable and result.robots_disallowed == 1
    assert [e.path_with_query for e in server.request_log] == ["/robots.txt"]


async def test_a_robots_txt_that_answers_503_is_a_failing_site_not_a_site_without_a_plan(options: CrawlOptions) -> None:
    # Held-out seed 3: a site answering 503 to everything was stored as no_plan_found (0 pages).
    failing = Reply(status=503, body="Service Unavailable", content_type="text/plain")
    site = Site("127.66.5.7", {"/robots.txt": failing, "/": page("Forside")})
    with serving(site) as server:
        result = await crawl(server.base_url(site.host), with_options(options, max_retries=0))
    assert not result.reachable and not result.blocked
    assert "503" in (result.error or "")
    assert "/" not in [e.path_with_query for e in server.request_log]


async def test_a_plan_page_with_a_vague_title_is_read_when_its_address_names_the_plan(options: CrawlOptions) -> None:
    slug = "/plan-for-forebygging-avdekking-og-handtering-av-seksuelle-overgrep-mot-barn/"
    routes = {
        "/": page("Forside", '<a href="/helse">Helse</a><a href="/om">Om kommunen</a>'),
        "/helse": page("Helse", f'<a href="{slug}">Trygge barn</a><a href="/helse/tannlege">Tannlege</a>'),
        slug: page("Trygge barn", "<h1>Trygge barn</h1><h2>1. Innledning</h2><h2>5. Forebygging</h2>"),
        "/helse/tannlege": page("Tannlege", "<h1>Tannlege</h1>"),
        "/om": page("Om kommunen", "<h1>Om kommunen</h1>"),
    }
    site = Site("127.66.6.9", routes)
    with serving(site) as server:
        base = server.base_url(site.host)
        result = await crawl(base, options)
    assert [d.url.removeprefix(base) for d in result.documents] == [slug]
    assert result.documents[0].click_depth == 2


async def test_a_plan_page_with_a_vague_title_and_address_is_read_when_its_chapters_name_the_subject(
    options: CrawlOptions,
) -> None:
    # WordPress: "/?page_id=N" says nothing and the title only "Veileder"; the chapters give the subject. A page that
    # names the subject only in the site's footer, on every page, is not read.
    footer = "<footer><h2>Vold og overgrep – få hjelp</h2></footer>"
    chapters = "<h2>1. Innledning</h2><h2>4. Hva er seksuelle overgrep?</h2><h2>5. Forebygging</h2>"
    pages = {
        "": page("Forside", f'<a href="/?page_id=20">Helse og omsorg</a><a href="/?page_id=30">Kontakt</a>{footer}'),
        "20": page("Helse og omsorg", f'<a href="/?page_id=21">Veileder</a>{footer}'),
        "21": page("Veileder", f"<h1>Veileder</h1>{chapters}{footer}"),
        "30": page("Veileder for søknader", f"<h1>Veileder for søknader</h1><h2>Frister</h2>{footer}"),
    }
    routes: dict[str, Route] = {"/": lambda request: pages.get((request.query.get("page_id") or [""])[0], Reply(404))}
    site = Site("127.66.6.10", routes)
    with serving(site) as server:
        base = server.base_url(site.host)
        result = await crawl(base, options)
    assert [d.url.removeprefix(base) for d in result.documents] == ["/?page_id=21"]
    assert (result.documents[0].found_via, result.documents[0].click_depth) == ("link", 2)


async def test_sweep_delivers_every_site_and_never_stops_on_one(options: CrawlOptions) -> None:
    html_plan = page(
        "Handlingsplan mot seksuelle overgrep mot barn og unge 2024-2028",
        "<h1>Handlingsplan mot seksuelle overgrep mot barn og unge 2024-2028</h1><p>Formål ...</p>",
    )
    good = Site(
        "127.66.6.1",
        {"/": page("Forside", '<a href="/handlingsplan">Handlingsplan mot overgrep</a>'), "/handlingsplan": html_plan},
    )
    walled = Site("127.66.6.2", {"/": Reply(status=403, body="Forbudt")})
    delivered: dict[str, SiteCrawl] = {}

    async def store(start_url: str, result: SiteCrawl) -> None:
        delivered[start_url] = result

    with serving(good, walled) as server:
        urls = [server.base_url(good.host), server.base_url(walled.host), f"http://127.66.6.3:{server.port}", "ftp://x"]
        await crawl_sites(urls, replace(options, concurrency=2), store, now=fixed_now)
    assert set(delivered) == set(urls)
    [doc] = delivered[urls[0]].documents
    assert doc.format == "html" and doc.click_depth == 1 and doc.found_via == "link"
    assert "Formål".encode() in doc.body
    assert delivered[urls[1]].blocked and delivered[urls[1]].reachable
    assert not delivered[urls[2]].reachable and "robots.txt unreachable" in (delivered[urls[2]].error or "")
    assert not delivered[urls[3]].reachable
    assert delivered[urls[2]].finished_at == FIXED_NOW


async def test_documents_behind_script_urls_are_typed_by_their_bytes(options: CrawlOptions) -> None:
    """`/dokument/hent?id=7` and `/media/812/download` answer octet-stream: the bytes say PDF, so they are read."""
    plan, other = pdf_bytes(PLAN_TITLE), pdf_bytes("Referat")
    octet, disposition = "application/octet-stream", 'attachment; filename="plan-endelig-versjon.pdf"'
    site = Site(
        "127.66.5.9",
        {
            "/": page("Forside", '<a href="/planer">Planer</a>'),
            "/planer": page(
                "Planer",
                "<h2>Handlingsplan mot seksuelle overgrep</h2><p>Planen ble vedtatt i 2024.</p>"
                '<a href="/dokument/hent?id=7">Last ned</a> <a href="/media/812/download">Referat</a>',
            ),
            "/dokument/hent": lambda request: (
                Reply(body=plan, content_type=octet, headers={"Content-Disposition": disposition})
                if request.query.get("id") == ["7"]
                else Reply(status=404, body="Finnes ikke")
            ),
            "/media/812/download": Reply(body=other, content_type=octet),
        },
    )
    with serving(site) as server:
        base = server.base_url(site.host)
        result = await crawl(base, options)
    by_url = {doc.url.removeprefix(base): doc for doc in result.documents}
    assert set(by_url) == {"/dokument/hent?id=7", "/media/812/download"}
    doc = by_url["/dokument/hent?id=7"]
    assert doc.format == "pdf" and doc.body == plan and doc.found_via == "link" and doc.click_depth == 2


async def test_the_shortest_link_path_is_sought_when_the_budget_is_tight(options: CrawlOptions) -> None:
    """Best-first discovery follows the plan-like chain of news pages (the plan at depth 4) and spends the budget;
    path shortening then fetches the plain menu page that links the plan at depth 2."""
    plan = pdf_bytes(PLAN_TITLE)
    chain = {
        f"/nyheter/{i}": page(
            f"Nyhet {i}",
            f'<a href="/nyheter/{i + 1}">Mer om handlingsplan mot overgrep</a>'
            + ('<a href="/dok/plan.pdf">Handlingsplan mot seksuelle overgrep</a>' if i == 3 else ""),
        )
        for i in range(1, 30)
    }
    site = Site(
        "127.66.5.10",
        {
            "/": page(
                "Forside",
                '<a href="/nyheter/1">Handlingsplan mot overgrep: arbeidet er i gang</a><a href="/om">Om kommunen</a>',
            ),
            "/om": page("Om kommunen", f'<a href="/dok/plan.pdf">{PLAN_TITLE}</a>'),
            "/dok/plan.pdf": Reply(body=plan, content_type=PDF),
            **chain,
        },
    )
    with serving(site) as server:
        base = server.base_url(site.host)
        result = await crawl(base, with_options(options, max_pages_per_site=15))
    [doc] = [d for d in result.documents if d.url.endswith("/dok/plan.pdf")]
    assert doc.found_via == "link" and doc.click_depth == 2
    assert [hop.url.removeprefix(base) for hop in doc.click_path] == ["/", "/om", "/dok/plan.pdf"]
    assert result.pages_fetched <= 15


async def test_a_session_in_every_link_is_learned_and_dropped(options: CrawlOptions) -> None:
    """Every page puts a fresh `?vid=<token>` on all its links (the server ignores it): each page is fetched once."""
    counter = iter(range(10_000))

    def with_session(title: str, links: list[tuple[str, str]]) -> Callable[[Request], Reply]:
        def route(request: Request) -> Reply:
            token = f"s{next(counter):04d}x9k2m"
            body = "".join(f'<a href="{href}?vid={token}">{text}</a>' for href, text in links)
            return page(title, body)

        return route

    site = Site(
        "127.66.5.11",
        {
            "/": with_session("Forside", [("/tjenester", "Tjenester"), ("/nyheter", "Nyheter"), ("/om", "Om")]),
            "/tjenester": with_session("Tjenester", [("/planer", "Planer"), ("/", "Forside"), ("/om", "Om")]),
            "/nyheter": with_session("Nyheter", [("/", "Forside"), ("/tjenester", "Tjenester"), ("/om", "Om")]),
            "/om": with_session("Om", [("/", "Forside"), ("/nyheter", "Nyheter"), ("/tjenester", "Tjenester")]),
            "/planer": page("Planer", f'<a href="/dok/plan.pdf">{PLAN_TITLE}</a>'),
            "/dok/plan.pdf": Reply(body=pdf_bytes(PLAN_TITLE), content_type=PDF),
        },
    )
    with serving(site) as server:
        base = server.base_url(site.host)
        result = await crawl(base, options)
        paths = [urlsplit(e.path_with_query).path for e in server.request_log]
    [doc] = [d for d in result.documents if d.format == "pdf"]
    assert doc.click_depth == 3 and doc.found_via == "link"
    pages = [p for p in paths if p in ("/", "/tjenester", "/nyheter", "/om", "/planer")]
    assert len(pages) == len(set(pages)), f"pages fetched more than once: {sorted(pages)}"


class ScriptedMenus:
    """A renderer double for a site whose every page builds its child links by script (real Chromium is tested in
    test_render.py): rendering a page adds the links its script would build."""

    def __init__(self, children: dict[str, list[tuple[str, str]]]) -> None:
        self.children = children
        self.rendered: list[str] = []

    def new_budget(self) -> RenderBudget:
        return RenderBudget(60.0)

    async def render_page(
        self, url: str, *, budget: RenderBudget | None = None, cache: RenderCache | None = None
    ) -> RenderedPage:
        path = urlsplit(url).path
        self.rendered.append(path)
        links = "".join(f'<a href="{href}">{text}</a>' for href, text in self.children.get(path, []))
        html = html_page(path, f'<nav class="main-menu">{links}</nav>')
        return RenderedPage(url, url, html, True, 0.1, 1)


async def test_a_site_that_builds_every_list_by_script_gets_more_renders(options: CrawlOptions) -> None:
    """Five renders would stop at depth 5: once rendering has proved to build links, the site gets more."""
    shell = '<script src="/menu.js"></script><nav class="main-menu" data-menu-src="/api/menu.json"></nav>'
    chain = [f"/tjenester/{'/'.join(str(j) for j in range(i + 1))}/" for i in range(7)]
    children = {"/": [(chain[0], "Tjenester")]}
    children |= {chain[i]: [(chain[i + 1], f"Niva {i + 1}")] for i in range(len(chain) - 1)}
    children[chain[-1]] = [("/getfile.aspx?fileid=77", PLAN_TITLE)]
    routes: dict[str, Reply] = {path: page("Side", shell) for path in ["/", *chain]}
    routes["/getfile.aspx"] = Reply(body=pdf_bytes(PLAN_TITLE), content_type="application/octet-stream")
    site = Site("127.66.5.12", routes)
    renderer = ScriptedMenus(children)
    auto = with_options(options, render="auto")
    with serving(site) as server:
        base = server.base_url(site.host)
        async with Fetcher(auto) as fetcher:
            result = await crawl_site(base + "/", auto, fetcher=fetcher, renderer=renderer, now=fixed_now)  # type: ignore[arg-type]
    [doc] = [d for d in result.documents if d.format == "pdf"]
    assert doc.found_via == "rendered" and doc.click_depth == len(chain) + 1
    assert len(renderer.rendered) > 5


async def test_news_articles_are_not_rendered_once_the_scripted_menu_is_known(options: CrawlOptions) -> None:
    """A news article or a facet of the archive builds no more than the menu: its render is spent on the sections."""
    shell = '<script src="/menu.js"></script><nav class="main-menu" data-menu-src="/api/menu.json"></nav>'
    news = [f"/aktuelt/handlingsplan-mot-vold-{i}" for i in range(4)] + ["/aktuelt?tema=vold"]
    children = {
        "/": [("/aktuelt", "Aktuelt"), ("/tjenester/vold", "Vold og overgrep")]
        + [(path, f"Ny handlingsplan mot vold og overgrep {i}") for i, path in enumerate(news)],
        "/tjenester/vold": [("/getfile.aspx?fileid=77", PLAN_TITLE)],
    }
    routes: dict[str, Reply] = {path: page("Side", shell) for path in ["/", "/aktuelt", "/tjenester/vold"]}
    routes |= {urlsplit(path).path: page("Nyhet", shell) for path in news}
    routes["/getfile.aspx"] = Reply(body=pdf_bytes(PLAN_TITLE), content_type="application/octet-stream")
    site = Site("127.66.5.14", routes)
    renderer = ScriptedMenus(children)
    auto = with_options(options, render="auto")
    with serving(site) as server:
        base = server.base_url(site.host)
        async with Fetcher(auto) as fetcher:
            result = await crawl_site(base + "/", auto, fetcher=fetcher, renderer=renderer, now=fixed_now)  # type: ignore[arg-type]
    assert not [path for path in renderer.rendered if path.startswith("/aktuelt/")]
    assert "/aktuelt" in renderer.rendered and "/tjenester/vold" in renderer.rendered
    [doc] = [d for d in result.documents if d.format == "pdf"]
    assert doc.found_via == "rendered" and doc.click_depth == 2


def _printable(title: str, links: list[tuple[str, str]]) -> Callable[[Request], Reply]:
    """A page with a menu, its content links and a "Skriv ut" link; with `?print=1` its content alone."""

    def route(request: Request) -> Reply:
        content = "".join(f'<a href="{href}">{text}</a>' for href, text in links)
        if "print" in request.query:
            return page(title, f"<main><h1>{title}</h1>{content}</main>")
        menu = '<nav><a href="/">Forside</a><a href="/tjenester">Tjenester</a><a href="/nyheter">Nyheter</a></nav>'
        here = request.path
        return page(title, f'{menu}<main><h1>{title}</h1>{content}<a href="{here}?print=1">Skriv ut</a></main>')

    return route


async def test_print_versions_are_learned_as_the_same_pages_and_not_fetched_again(options: CrawlOptions) -> None:
    """Every page links its print version: two are fetched, the site is learned to print with `?print=1`, and the
    others are never asked for; the news archive's `?side=2` brings new links and is still followed."""
    services = [(f"/tjenester/t{n}", f"Tjeneste {n}") for n in range(8)]
    routes: dict[str, Route] = {
        "/": _printable("Forside", [("/tjenester", "Tjenester"), ("/nyheter", "Nyheter")]),
        "/tjenester": _printable("Tjenester", services),
        "/nyheter": _printable("Nyheter", [("/nyheter/a", "Sak A"), ("/nyheter?side=2", "Eldre saker")]),
        "/nyheter/a": _printable("Sak A", []),
        "/nyheter/b": _printable("Sak B", [("/planer", "Planer og styringsdokumenter")]),
        "/planer": _printable("Planer", [("/dok/plan.pdf", PLAN_TITLE)]),
        "/dok/plan.pdf": Reply(body=pdf_bytes(PLAN_TITLE), content_type=PDF),
    }
    routes.update({path: _printable(text, []) for path, text in services})
    side_2 = _printable("Nyheter", [("/nyheter/b", "Sak B")])
    archive = routes["/nyheter"]
    routes["/nyheter"] = lambda request: side_2(request) if request.query.get("side") == ["2"] else archive(request)
    site = Site("127.66.5.12", routes)
    with serving(site) as server:
        result = await crawl(server.base_url(site.host), options)
        targets = [e.path_with_query for e in server.request_log]
    prints = [t for t in targets if "print=1" in t]
    assert len(prints) <= 3, f"print versions fetched: {prints}"
    assert "/nyheter?side=2" in targets
    [doc] = [d for d in result.documents if d.format == "pdf"]
    assert doc.found_via == "link" and doc.click_depth == 5


async def test_path_shortening_does_not_fetch_the_trap_urls_the_frontier_refused(options: CrawlOptions) -> None:
    """A plan only in the sitemap has no link path, so every shallow page is worth a look for one, but not the pages
    of a listing beyond the pattern's cap: those were refused as a trap and stay refused."""
    days = "".join(f'<a href="/kalender?side={n}">Side {n}</a>' for n in range(1, 29))
    site = Site(
        "127.66.5.13",
        {
            "/": page("Forside", '<a href="/kalender">Kalender</a><a href="/om">Om kommunen</a>'),
            "/kalender": page("Kalender", days),
            "/om": page("Om"),
        },
    )
    with serving(site) as server:
        base = server.base_url(site.host)
        site.set("/robots.txt", robots(f"User-agent: *\nAllow: /\nSitemap: {base}/sitemap.xml\n"))
        plan = f"{base}/filer/handlingsplan-mot-vold-og-overgrep.pdf"
        site.set("/sitemap.xml", Reply(body=f"<urlset><url><loc>{plan}</loc></url></urlset>"))
        site.set("/filer/handlingsplan-mot-vold-og-overgrep.pdf", Reply(body=pdf_bytes(PLAN_TITLE), content_type=PDF))
        result = await crawl(base, with_options(options, max_visits_per_path_pattern=5))
        listing = [e.path_with_query for e in server.request_log if e.path_with_query.startswith("/kalender?")]
    [doc] = result.documents
    assert doc.found_via == "sitemap"
    assert len(listing) == 5, listing
