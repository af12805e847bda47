"""The test web itself: the multi-host server, and that every demo site really is what its expected row says."""

from __future__ import annotations

import csv
import ctypes
import hashlib
import io
import time
from collections import deque
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

import docx
import httpx
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from protego import Protego
from selectolax.lexbor import LexborHTMLParser

from crawlers.testweb import (
    DemoWeb,
    MultiHostServer,
    Reply,
    Request,
    Site,
    build_demo_web,
    build_large_web,
    redirect,
)

TODAY = date(2026, 11, 23)


@pytest.fixture(scope="module")
def web() -> Iterator[DemoWeb]:
    with build_demo_web(today=TODAY) as demo:
        yield demo


@pytest.fixture(scope="module")
def client() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=5.0, headers={"User-Agent": "TestwebTest/1.0"}) as c:
        yield c


def _links(html: str, base: str) -> list[str]:
    tree = LexborHTMLParser(html)
    return [urldefrag(urljoin(base, a.attributes.get("href") or ""))[0] for a in tree.css("a[href]")]


def _static_depths(client: httpx.Client, start: str, max_depth: int = 6) -> dict[str, int]:
    """Breadth-first over static <a href> links of one host: final URL path -> clicks from the front page.

    Redirects are followed without counting a click; the calendar is not entered (it never ends).
    """
    host = urlsplit(start).netloc
    depths: dict[str, int] = {}
    queue: deque[tuple[str, int]] = deque([(start, 0)])
    seen = {start}
    while queue:
        url, depth = queue.popleft()
        response = client.get(url, follow_redirects=True)
        path = urlsplit(str(response.url)).path
        depths.setdefault(path, depth)
        if "html" not in response.headers.get("content-type", "") or depth >= max_depth:
            continue
        for link in _links(response.text, str(response.url)):
            parts = urlsplit(link)
            if parts.netloc != host or parts.path.startswith("/kalender") or link in seen:
                continue
            seen.add(link)
            queue.append((link, depth + 1))
    return depths


# --- the server -----------------------------------------------------------------------------------------------


def test_server_serves_routes_changes_them_at_runtime_and_logs_user_agents() -> None:
    site = Site("127.77.1.3", {"/": Reply(body="Forside æøå"), "/gammel": redirect("/")})
    other = Site("127.77.1.4", {"/q": lambda r: Reply(body=f"{r.host} {r.query} {r.headers['user-agent']}")})
    with MultiHostServer([site, other]) as server, httpx.Client(headers={"User-Agent": "Planvakt-test/9"}) as c:
        base = server.base_url(site.host)
        assert base == f"http://127.77.1.3:{server.port}"
        assert server.base_url(other.host).endswith(f":{server.port}")  # one port shared by both hosts
        first = c.get(base + "/")
        assert first.status_code == 200 and first.text == "Forside æøå"
        assert first.headers["content-type"] == "text/html; charset=utf-8"
        head = c.head(base + "/")
        assert head.status_code == 200 and head.content == b"" and head.headers["content-length"] == "14"
        assert c.get(base + "/gammel", follow_redirects=True).url == httpx.URL(base + "/")
        assert c.get(server.base_url(other.host) + "/q?a=1&a=2").text == "127.77.1.4 {'a': ['1', '2']} Planvakt-test/9"
        missing = c.get(base + "/ny")
        assert missing.status_code == 404 and "Siden finnes ikke" in missing.text
        site.set("/ny", Reply(body=b"%PDF-", content_type="application/pdf"))
        assert c.get(base + "/ny").content == b"%PDF-"
        site.remove("/")
        assert c.get(base + "/").status_code == 404
        log = server.requests_to(site.host)
    assert [(r.method, r.path_with_query, r.status) for r in log] == [
        ("GET", "/", 200),
        ("HEAD", "/", 200),
        ("GET", "/gammel", 301),
        ("GET", "/", 200),
        ("GET", "/ny", 404),
        ("GET", "/ny", 200),
        ("GET", "/", 404),
    ]
    assert {r.user_agent for r in server.request_log} == {"Planvakt-test/9"}
    assert all(r.finished >= r.started for r in log)


def test_server_delay_times_out_a_client_and_stop_refuses_connections() -> None:
    site = Site("127.77.1.5", {"/treg": Reply(body="sakte", delay=0.4)})
    server = MultiHostServer([site])
    server.start()
    url = server.base_url(site.host) + "/treg"
    with pytest.raises(httpx.ReadTimeout):
        httpx.get(url, timeout=0.1)
    started = time.monotonic()
    assert httpx.get(url).text == "sakte"
    assert time.monotonic() - started >= 0.38
    server.stop()
    with pytest.raises(httpx.ConnectError):
        httpx.get(url, timeout=1.0)


def test_site_refuses_non_loopback_addresses_and_ignores_path_parameters() -> None:
    with pytest.raises(ValueError):
        Site("0.0.0.0")
    site = Site("127.77.1.6", {"/kalender": lambda r: Reply(body=r.path)})
    with MultiHostServer([site]) as server:
        answer = httpx.get(server.base_url(site.host) + "/kalender;jsessionid=ABC?dato=2026-01-01")
    assert answer.status_code == 200 and answer.text == "/kalender;jsessionid=ABC"


def test_a_broken_route_answers_500_instead_of_dropping_the_connection(caplog: pytest.LogCaptureFixture) -> None:
    def broken(request: Request) -> Reply:
        raise RuntimeError("bug in a test route")

    site = Site("127.77.1.7", {"/": broken})
    with MultiHostServer([site]) as server:
        assert httpx.get(server.base_url(site.host) + "/").status_code == 500
    assert "bug in a test route" in caplog.text


# --- the demo web ---------------------------------------------------------------------------------------------


def test_registry_lists_every_kommune_with_its_website(web: DemoWeb, tmp_path: Path) -> None:
    path = web.write_registry(tmp_path / "reg" / "registry.csv")
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    assert len(rows) == 17 == len({r["kommunenummer"] for r in rows})
    for row, k in zip(rows, web.kommuner, strict=True):
        assert row["website"] == k.website and row["website"].startswith("http://127.77.0.")
        prefix = "98" if row["country"] == "DK" else "99"
        assert row["kommunenummer"].startswith(prefix) and len(row["kommunenummer"]) == 4
    assert {r["country"] for r in rows} == {"NO", "DK"}


def test_demo_kommuner_have_real_fylker_and_regions(web: DemoWeb, tmp_path: Path) -> None:
    """The demo's map and region tables need places: each invented kommune lies in a real fylke/region, and the
    registry the demo writes carries it through to storage."""
    from tracker.registry import builtin_registry, load_registry_csv

    real = {(k.country.value, k.region_code, k.region) for k in builtin_registry()}
    kommuner = load_registry_csv(web.write_registry(tmp_path / "registry.csv"))
    assert len(kommuner) == 17
    for k in kommuner:
        assert (k.country.value, k.region_code, k.region) in real, k
    assert len({k.region for k in kommuner}) >= 10


def test_front_pages_have_realistic_menus(web: DemoWeb, client: httpx.Client) -> None:
    menu = client.get(web.kommune("menu").website + "/").text
    assert "Hopp til innhold" in menu and "txtSearch" in menu and "Design og utvikling: ACOS AS" in menu
    assert 'href="/planer-og-styringsdokumenter">Planer og styringsdokumenter</a>' in menu
    danish = client.get(web.kommune("robots").website + "/").text
    assert "Gå til indhold" in danish and 'action="/soeg"' in danish and ">Borger</a>" in danish
    for k in web.kommuner:
        if k.scenario in ("down", "slow"):
            continue
        response = client.get(k.website + "/", follow_redirects=True)
        assert response.status_code == 200, k.scenario
        pages = {urlsplit(u).path for u in _links(response.text, str(response.url))}
        assert len(pages) >= (2 if k.scenario == "javascript" else 8), k.scenario


def test_robots_txt_disallows_the_internal_plan_with_a_crawl_delay(web: DemoWeb, client: httpx.Client) -> None:
    k = web.kommune("robots")
    body = client.get(k.website + "/robots.txt").text
    robots = Protego.parse(body)
    (hidden,) = k.expected.never_fetch
    assert not robots.can_fetch(k.website + hidden, "PlanvaktBot")
    assert robots.can_fetch(k.website + k.expected.plan_path, "PlanvaktBot")
    assert robots.crawl_delay("PlanvaktBot") == 0.2
    assert hidden in client.get(k.website + "/").text  # linked from the front page all the same
    assert (
        f"Sitemap: {web.kommune('menu').website}/sitemap.xml"
        in client.get(web.kommune("menu").website + "/robots.txt").text
    )


def test_sitemap_index_leads_to_a_child_sitemap_listing_the_unlinked_plan(web: DemoWeb, client: httpx.Client) -> None:
    k = web.kommune("sitemap_only")
    index = client.get(k.website + "/sitemap.xml").text
    assert "<sitemapindex" in index
    children = [loc.split("</loc>")[0] for loc in index.split("<loc>")[1:]]
    listed = "".join(client.get(child).text for child in children)
    assert k.website + k.expected.plan_path in listed
    assert k.expected.plan_path not in _static_depths(client, k.website + "/")


def test_site_search_is_the_only_way_to_the_search_only_plan(web: DemoWeb, client: httpx.Client) -> None:
    k = web.kommune("search_only")
    front = client.get(k.website + "/").text
    assert 'action="/sok"' in front and 'name="q"' in front
    results = client.get(k.website + "/sok", params={"q": "handlingsplan seksuelle overgrep"}).text
    assert k.expected.plan_path in results
    assert k.expected.plan_path not in client.get(k.website + "/sok", params={"q": "barnehage"}).text
    assert "Ingen treff" in client.get(k.website + "/sok", params={"q": "xylofon"}).text
    assert k.expected.plan_path not in _static_depths(client, k.website + "/")
    assert k.expected.plan_path not in client.get(k.website + "/sitemap.xml").text


def test_javascript_site_has_no_static_link_towards_the_plan(web: DemoWeb, client: httpx.Client) -> None:
    k = web.kommune("javascript")
    front = client.get(k.website + "/").text
    nav = LexborHTMLParser(front).css_first("nav#main-nav")
    assert nav is not None and nav.css("a") == []
    assert "/planer-og-strategier" in front  # only inside the inline menu script
    reachable = _static_depths(client, k.website + "/")
    assert "/planer-og-strategier" not in reachable and k.expected.plan_path not in reachable
    plans_page = client.get(k.website + "/planer-og-strategier").text
    assert k.expected.plan_path in plans_page and not any(
        urlsplit(link).path == k.expected.plan_path for link in _links(plans_page, k.website + "/")
    )
    assert "/planer-og-strategier" not in client.get(k.website + "/sitemap.xml").text


@pytest.mark.parametrize(
    "scenario",
    [
        "menu",
        "deep",
        "general_only",
        "expired",
        "robots",
        "redirects",
        "calendar_trap",
        "broken_pdf",
        "html_plan",
        "docx_plan",
        "scanned",
    ],
)
def test_expected_click_depth_is_the_shortest_static_path(web: DemoWeb, client: httpx.Client, scenario: str) -> None:
    k = web.kommune(scenario)
    depths = _static_depths(client, k.website + "/")
    assert depths[k.expected.plan_path] == k.expected.click_depth
    assert k.expected.found_via == "link"


def _declared_language(pdf: pdfium.PdfDocument) -> str:
    size = pdfium_c.FPDFCatalog_GetLanguage(pdf, None, 0)
    buffer = ctypes.create_string_buffer(max(size, 2))
    pdfium_c.FPDFCatalog_GetLanguage(pdf, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort)), size)
    return buffer.raw[: max(size - 2, 0)].decode("utf-16-le")


def test_plan_pdfs_open_and_carry_their_title(web: DemoWeb, client: httpx.Client) -> None:
    """Every text plan shows its title on page one; only `menu`'s declares /Title and /Lang; none is tagged."""
    checked = 0
    for k in web.kommuner:
        e = k.expected
        if e.plan_format != "pdf" or k.scenario in ("slow", "scanned"):
            continue
        body = client.get(k.website + e.plan_path).content
        pdf = pdfium.PdfDocument(body)
        try:
            declared = k.scenario == "menu"
            assert pdf.get_metadata_dict().get("Title", "") == (e.plan_title if declared else ""), k.scenario
            assert _declared_language(pdf) == ("nb-NO" if declared else ""), k.scenario
            assert not pdf.is_tagged()
            assert 3 <= len(pdf) <= 8, (k.scenario, len(pdf))
            page = pdf[0]
            text = page.get_textpage().get_text_range().replace("\r\n", " ").replace("\n", " ")
            page.close()
        finally:
            pdf.close()
        assert " ".join(e.plan_title.split()) in " ".join(text.split()), k.scenario
        checked += 1
    assert checked == 11


def test_plan_categories_and_currency_match_the_documents(web: DemoWeb) -> None:
    by = {k.scenario: k.expected for k in web.kommuner}
    assert by["menu"].plan_title == "Handlingsplan mot seksuelle overgrep mot barn 2024–2027"
    assert by["deep"].plan_title == "Handlingsplan mot vald og seksuelle overgrep mot born 2025–2028"
    assert by["general_only"].plan_title == "Handlingsplan mot vold i nære relasjoner 2023–2026"
    assert by["robots"].plan_title == "Handlingsplan mod vold i nære relationer 2024-2027"
    assert (by["general_only"].status, by["general_only"].plan_category) == (
        "general_violence_plan_only",
        "general_violence",
    )
    assert (by["expired"].plan_current, by["menu"].plan_current) == ("false", "true")
    assert by["no_plan"].status == "no_plan_found" and by["no_plan"].plan_path == ""
    assert by["down"].status == "site_unreachable"
    assert by["html_plan"].plan_title == "Handlingsplan mot seksuelle overgrep mot barn og unge 2024–2028"
    assert (by["scanned"].plan_title, by["scanned"].text_source) == (
        "Handlingsplan mot seksuelle overgrep mot barn 2025–2028",
        "ocr",
    )
    assert {e.text_source for e in by.values()} == {"text_layer", "html", "ocr", ""}
    later = {k.scenario: k.expected for k in build_demo_web(today=date(2031, 3, 1)).kommuner}
    assert later["menu"].plan_current == "true" and "2029–2032" in later["menu"].plan_title


def test_docx_and_html_plans(web: DemoWeb, client: httpx.Client) -> None:
    k = web.kommune("docx_plan")
    answer = client.get(k.website + k.expected.plan_path)
    assert answer.headers["content-type"].startswith("application/vnd.openxmlformats")
    document = docx.Document(io.BytesIO(answer.content))
    assert document.core_properties.title == k.expected.plan_title
    assert sum("Vedteken i kommunestyret" in p.text for p in document.paragraphs) >= 1
    h = web.kommune("html_plan")
    tree = LexborHTMLParser(client.get(h.website + h.expected.plan_path).text)
    assert tree.css_first("h1").text() == h.expected.plan_title
    assert len(tree.css("main h2")) >= 6


def test_general_only_links_its_plan_only_as_last_ned(web: DemoWeb, client: httpx.Client) -> None:
    k = web.kommune("general_only")
    page = client.get(k.website + "/tjenester/vold-i-naere-relasjoner")
    anchors = {
        urlsplit(urljoin(str(page.url), a.attributes.get("href") or "")).path: a.text(strip=True)
        for a in LexborHTMLParser(page.text).css("main a, .documents a")
    }
    assert anchors[k.expected.plan_path] == "Last ned"
    assert k.expected.plan_title in page.text  # the title is on the page, just not in the link


def test_scanned_plan_has_no_text_layer_and_no_metadata(web: DemoWeb, client: httpx.Client) -> None:
    k = web.kommune("scanned")
    listing = client.get(k.website + "/planer").text
    assert k.expected.plan_path in listing and "PDF, skannet" in listing
    answer = client.get(k.website + k.expected.plan_path)
    assert answer.headers["content-type"] == "application/pdf"
    assert 100_000 < len(answer.content) < 1_500_000
    pdf = pdfium.PdfDocument(answer.content)
    try:
        assert len(pdf) == 2
        metadata = pdf.get_metadata_dict()
        assert metadata["Title"] == "" and metadata["Creator"].startswith("KONICA MINOLTA")
        assert _declared_language(pdf) == "" and not pdf.is_tagged()
        for index in range(len(pdf)):
            page = pdf[index]
            textpage = page.get_textpage()
            assert textpage.get_text_range().strip() == ""
            kinds = [obj.type for obj in page.get_objects()]
            assert kinds == [pdfium_c.FPDF_PAGEOBJ_IMAGE]
            textpage.close()
            page.close()
    finally:
        pdf.close()


@pytest.mark.ocr
@pytest.mark.slow
def test_scanned_plan_reads_back_through_ocr(web: DemoWeb, client: httpx.Client) -> None:
    from crawlers.extract.pdf import extract_pdf

    k = web.kommune("scanned")
    extracted = extract_pdf(client.get(k.website + k.expected.plan_path).content)
    assert extracted.text_source == "ocr" and extracted.ocr_confidence is not None and extracted.ocr_confidence > 80
    text = " ".join(" ".join(extracted.pages).split())
    assert "Handlingsplan mot seksuelle overgrep mot barn 2025" in text
    assert "Steinvåg kommune" in text and "overgrep" in text.split("Steinvåg kommune", 1)[1]
    assert dict(extracted.facts)["has_text_layer"] == "false"


def test_broken_pdf_does_not_open(web: DemoWeb, client: httpx.Client) -> None:
    k = web.kommune("broken_pdf")
    (broken,) = k.expected.error_paths
    body = client.get(k.website + broken).content
    assert body.startswith(b"%PDF-")
    with pytest.raises(pdfium.PdfiumError):
        pdfium.PdfDocument(body)
    assert broken in client.get(k.website + "/politik/planer-og-politikker").text


def test_down_site_refuses_connections(web: DemoWeb) -> None:
    k = web.kommune("down")
    assert k.site is None
    with pytest.raises(httpx.ConnectError):
        httpx.get(k.website + "/", timeout=2.0)


def test_redirects_front_page_and_old_plan_url(web: DemoWeb, client: httpx.Client) -> None:
    k = web.kommune("redirects")
    front = client.get(k.website + "/")
    assert (front.status_code, front.headers["location"]) == (301, "/forside")
    (old,) = k.expected.alternate_paths
    moved = client.get(k.website + old)
    assert (moved.status_code, moved.headers["location"]) == (301, k.expected.plan_path)


def test_calendar_never_ends_and_carries_session_ids(web: DemoWeb, client: httpx.Client) -> None:
    k = web.kommune("calendar_trap")
    url = k.website + "/kalender?dato=2026-11-23"
    for _ in range(5):
        page = client.get(url)
        assert page.status_code == 200
        links = _links(page.text, url)
        assert any(";jsessionid=" in link for link in links) and any("sid=" in link for link in links)
        url = next(link for link in links if ";jsessionid=" in link and link != url)  # "Neste dag"
    assert "dato=2026-11-28" in url


def test_slow_site_answers_late(web: DemoWeb, client: httpx.Client) -> None:
    started = time.monotonic()
    assert client.get(web.kommune("slow").website + "/").status_code == 200
    assert time.monotonic() - started >= 0.75


def test_build_is_deterministic_per_seed() -> None:
    def fingerprint(demo: DemoWeb, scenario: str) -> str:
        site = demo.kommune(scenario).site
        assert site is not None
        return hashlib.sha256("\n".join(sorted(site.paths())).encode()).hexdigest()

    a, b, c = (
        build_demo_web(seed=3, today=TODAY),
        build_demo_web(seed=3, today=TODAY),
        build_demo_web(seed=4, today=TODAY),
    )
    assert fingerprint(a, "menu") == fingerprint(b, "menu") != fingerprint(c, "menu")


def test_large_web_mixes_scenarios_on_its_own_addresses(client: httpx.Client) -> None:
    started = time.monotonic()
    large = build_large_web(30, pages_per_site=20, today=TODAY)
    assert time.monotonic() - started < 5
    scenarios = {k.scenario for k in large.kommuner}
    assert "down" not in scenarios and "slow" not in scenarios and len(scenarios) == 14
    with large:
        for k in large.kommuner[:6]:
            assert k.website.startswith("http://127.78.")
            site = k.site
            assert site is not None
            assert sum(p.count("/") == 2 and not p.startswith(("/_f", "/media")) for p in site.paths()) >= 20
            if k.expected.plan_path:
                assert client.get(k.website + k.expected.plan_path).status_code == 200


@pytest.mark.browser
def test_javascript_site_shows_the_plan_two_clicks_deep_once_rendered(web: DemoWeb) -> None:
    from playwright.sync_api import sync_playwright

    k = web.kommune("javascript")
    args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=args)
        try:
            page = browser.new_page()
            page.goto(k.website + "/")
            menu = {a.inner_text(): a.get_attribute("href") for a in page.query_selector_all("nav#main-nav a")}
            assert menu["Planer og strategier"] == "/planer-og-strategier"
            page.goto(k.website + menu["Planer og strategier"])
            documents = [a.get_attribute("href") for a in page.query_selector_all("#dokumenter a")]
        finally:
            browser.close()
    assert documents[0] == k.expected.plan_path and k.expected.click_depth == 2
