from __future__ import annotations

from crawlers.fetch import Fetcher
from crawlers.links import extract_links
from crawlers.site_search import find_search_forms, search_site
from crawlers.testweb.server import Reply, Request, Site
from crawlers.types import CrawlOptions
from tests.crawlers.conftest import html_page, serving

MENU = '<nav><a href="/tjenester">Tjenester</a><a href="/nyheter">Nyheter</a></nav>'


def test_finds_get_forms_and_ignores_post_forms() -> None:
    html = """<html><body>
    <form method="post" action="/x"><input name="ctl00$txtSearch" type="text"></form>
    <form action="/sok" class="search"><input type="hidden" name="lang" value="nb">
      <input type="text" name="fornavn"><input name="ctl00$main$txtSearch" type="text"
      placeholder="Hva leter du etter?"><button>Søk</button></form></body></html>"""
    forms = find_search_forms(html, "https://x.no/forside")
    assert len(forms) == 1
    assert forms[0].param == "ctl00$main$txtSearch"
    assert (
        forms[0].url_for("handlingsplan vold") == "https://x.no/sok?lang=nb&ctl00%24main%24txtSearch=handlingsplan+vold"
    )


def results_page(request: Request) -> Reply:
    query = (request.query.get("q") or request.query.get("txtSearch") or [""])[0]
    hits = ""
    if "handlingsplan" in query:
        hits = '<li><a href="/dok/handlingsplan-overgrep.pdf">Handlingsplan mot seksuelle overgrep</a></li>'
    if "vold" in query:
        hits += '<li><a href="/helse/vold">Vold i nære relasjoner</a></li>'
    return Reply(body=html_page("Søk", MENU + f"<h1>Søkeresultat</h1><ul>{hits}</ul>"))


async def test_search_through_the_front_page_form(options: CrawlOptions) -> None:
    form = '<form action="/finn"><input type="search" name="txtSearch"></form>'
    site = Site("127.66.4.1", {"/": Reply(body=html_page("Forside", MENU + form)), "/finn": results_page})
    with serving(site) as server:
        base = server.base_url(site.host)
        async with Fetcher(options) as fetcher:
            front = await fetcher.fetch(base + "/")
            front_links = {link.url for link in extract_links(front.text(), front.final_url)}
            outcome = await search_site(fetcher, front, front_links, ("handlingsplan", "vold"), max_pages=5)
    assert outcome.endpoint is not None and outcome.endpoint.source == "form"
    assert [(hit.url, hit.query) for hit in outcome.hits] == [
        (f"{base}/dok/handlingsplan-overgrep.pdf", "handlingsplan"),
        (f"{base}/helse/vold", "vold"),
    ]
    assert [e.path_with_query for e in server.request_log if e.path_with_query.startswith("/finn")] == [
        "/finn?txtSearch=handlingsplan",
        "/finn?txtSearch=vold",
    ]


async def test_probes_common_search_urls_when_there_is_no_form(options: CrawlOptions) -> None:
    site = Site("127.66.4.2", {"/": Reply(body=html_page("Forside", MENU)), "/search": results_page})
    with serving(site) as server:
        base = server.base_url(site.host)
        async with Fetcher(options) as fetcher:
            front = await fetcher.fetch(base + "/")
            outcome = await search_site(fetcher, front, set(), ("handlingsplan",), max_pages=10)
            none = await search_site(fetcher, front, set(), ("handlingsplan",), max_pages=1)
    assert outcome.endpoint is not None and outcome.endpoint.action == base + "/search"
    # the result page's own menu is not a hit when the front page has it; here front_links was empty
    assert f"{base}/dok/handlingsplan-overgrep.pdf" in [hit.url for hit in outcome.hits]
    assert outcome.pages_fetched == 2  # /sok 404, then /search
    assert none.endpoint is None and none.pages_fetched == 1  # budget respected


async def test_each_query_asked_is_recorded_with_its_hits(options: CrawlOptions) -> None:
    """What the check's trail shows (issue 13): every query in order, with its result links; a failed one as None."""
    form = '<form action="/finn"><input type="search" name="txtSearch"></form>'

    def results_or_failure(request: Request) -> Reply:
        if (request.query.get("txtSearch") or [""])[0] == "feiler":
            return Reply(status=500, body="feil")
        return results_page(request)

    site = Site("127.66.4.3", {"/": Reply(body=html_page("Forside", MENU + form)), "/finn": results_or_failure})
    with serving(site) as server:
        async with Fetcher(options) as fetcher:
            front = await fetcher.fetch(server.base_url(site.host) + "/")
            front_links = {link.url for link in extract_links(front.text(), front.final_url)}
            queries = ("handlingsplan vold", "feiler", "ingenting", "vold")
            outcome = await search_site(fetcher, front, front_links, queries, max_pages=10)
    # "vold" finds the page "handlingsplan vold" found already: hits are per query, deduplicated only as candidates
    assert outcome.asked == [("handlingsplan vold", 2), ("feiler", None), ("ingenting", 0), ("vold", 1)]
    assert len(outcome.hits) == 2
