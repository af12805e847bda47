"""The read pages over a real crawl of the demo web, fetched over HTTP from uvicorn."""

from __future__ import annotations

import re
from html import unescape

import httpx
import pytest

from dashboards.overview_query import standing
from tests.dashboards.conftest import HOSTILE_NUMBER, LEFT_OUT, SCRIPT, Crawled

pytestmark = [pytest.mark.slow, pytest.mark.browser]  # the crawl renders the JavaScript scenario with Chromium


@pytest.fixture(scope="module")
def http(base_url: str) -> httpx.Client:
    with httpx.Client(base_url=base_url, timeout=30) as client:
        yield client


def _count(html: str, status: str) -> int:
    match = re.search(rf'data-status="{status}"><span class="n">(\d+)</span>', html)
    assert match, status
    return int(match.group(1))


def _table_numbers(html: str) -> list[str]:
    body = html.split('<table id="kommuner"', 1)[1].split("</table>", 1)[0]
    return re.findall(r'<tr data-kommune="(\d{4})"', body)


def test_overview_counts_match_the_crawl(http: httpx.Client, crawled: Crawled) -> None:
    page = http.get("/")
    assert page.status_code == 200
    expected: dict[str, int] = {}
    for k in crawled.web.kommuner:
        if k.scenario not in LEFT_OUT:
            kind = standing(k.expected.status, k.expected.plan_current)
            expected[kind] = expected.get(kind, 0) + 1
    expected["plan_current"] += 1  # Skriptvik
    assert expected["plan_expired"] == 1  # the expired plan (2013-2016) is not counted as a current plan
    for status, n in expected.items():
        assert _count(page.text, status) == n, status
    assert _count(page.text, "not_checked") == 0
    assert len(_table_numbers(page.text)) == len(crawled.kommuner)
    dots = re.findall(r'<a href="/kommune/(\d{4})" tabindex="-1" aria-label="[^"]+" data-kommune', page.text)
    assert sorted(dots) == sorted(k.kommunenummer for k in crawled.kommuner)
    assert "Ukjent fylke/region" not in page.text


def test_overview_compares_criteria_as_shares(http: httpx.Client, crawled: Crawled) -> None:
    """NO plans have 6 checklist items, DK plans 10: the table shows met/total with its share, and the filter
    takes a share."""
    page = http.get("/")
    cells = re.findall(r'<span class="criteria">(\d+)/(\d+)</span> <span class="muted">\((\d+)\s%\)</span>', page.text)
    assert {total for _, total, _ in cells} == {"6", "10"}
    for met, total, share in cells:
        assert int(share) == round(100 * int(met) / int(total))
    half = http.get("/", params={"min_share": "50"}).text
    kept = re.findall(r'<span class="criteria">(\d+)/(\d+)</span>', half.split('<table id="kommuner"', 1)[1])
    assert kept and all(int(met) * 2 >= int(total) for met, total in kept)
    assert len(kept) == len(_table_numbers(half)) == sum(1 for met, total, _ in cells if int(met) * 2 >= int(total))


def test_overview_filters_and_sorting_live_in_the_url(http: httpx.Client, crawled: Crawled) -> None:
    only_dk = _table_numbers(http.get("/", params={"country": "DK"}).text)
    assert only_dk and all(n.startswith("98") for n in only_dk)
    unreachable = _table_numbers(http.get("/", params={"status": "site_unreachable"}).text)
    assert unreachable == [crawled.number("down")]
    shallow = _table_numbers(http.get("/", params={"max_depth": "2", "status": "abuse_specific_plan"}).text)
    assert crawled.number("menu") in shallow and crawled.number("deep") not in shallow
    by_depth = http.get("/", params={"sort": "click_depth", "order": "desc"}).text
    assert _table_numbers(by_depth)[0] == crawled.number("deep")  # depth 5, the deepest
    region = _table_numbers(http.get("/", params={"region": "Nordland"}).text)
    assert region and len(region) < len(crawled.kommuner)
    assert 'aria-sort="descending"' in by_depth


def test_kommune_page_shows_verdict_breadcrumb_checklist_and_timeline(http: httpx.Client, crawled: Crawled) -> None:
    page = http.get(f"/kommune/{crawled.number('deep')}")
    assert page.status_code == 200
    html = page.text
    verdict = re.search(r'<p class="verdict abuse_specific_plan" id="verdict">([^<]+)</p>', html)
    assert verdict and "Djupedal" in verdict.group(1)
    crumbs = html.split('<nav class="breadcrumb"', 1)[1].split("</nav>", 1)[0]
    links = re.findall(r'<a href="([^"]+)"', crumbs)
    assert len(links) == 6  # front page + 5 clicks
    assert links[0].rstrip("/") == crawled.web.kommune("deep").website.rstrip("/")
    assert 'class="checklist"' in html and 'data-criterion="children_knowledge"' in html
    assert "<blockquote>" in html
    assert 'id="timeline"' in html and 'class="check-entry"' in html
    assert re.search(r'<code class="sha256">[0-9a-f]{64}</code>', html)


def test_danish_kommune_page_is_in_danish_unless_english_is_chosen(http: httpx.Client, crawled: Crawled) -> None:
    number = crawled.number("sitemap_only")
    danish = http.get(f"/kommune/{number}").text
    assert '<html lang="da">' in danish and "Planer fundet" in danish
    english = http.get(f"/kommune/{number}", params={"lang": "en"})
    assert '<html lang="en">' in english.text and "Plans found" in english.text
    assert english.cookies.get("planvakt_lang") == "en"
    norwegian = http.get(f"/kommune/{crawled.number('menu')}", params={"lang": "nb"}).text
    assert '<html lang="nb">' in norwegian and "Planer funnet" in norwegian


def test_unreachable_site_is_never_called_no_plan(http: httpx.Client, crawled: Crawled) -> None:
    html = http.get(f"/kommune/{crawled.number('down')}").text
    assert 'class="verdict site_unreachable"' in html
    assert "betyr ikke at planen mangler" in html


def test_timeline_shows_events(http: httpx.Client, crawled: Crawled) -> None:
    html = http.get(f"/kommune/{crawled.number('expired')}").text
    assert 'data-event="plan_vanished"' in html


def test_changes_filter_by_kind_and_region(http: httpx.Client, crawled: Crawled) -> None:
    everything = http.get("/changes").text
    assert 'data-event="plan_moved"' in everything and 'data-event="crawler_blocked"' in everything
    moved = http.get("/changes", params={"kind": "plan_moved"}).text
    assert set(re.findall(r'<tr data-event="(\w+)"', moved)) == {"plan_moved"}
    region = crawled.kommuner[0].region
    assert region
    in_region = http.get("/changes", params={"region": "Region Syddanmark"}).text
    kommuner_shown = set(re.findall(r'href="/kommune/(\d{4})"', in_region.split('id="events"', 1)[-1]))
    danish = {k.kommunenummer for k in crawled.kommuner if k.country.value == "DK"}
    assert kommuner_shown and kommuner_shown <= danish


def test_crawler_health_shows_blind_spots(http: httpx.Client, crawled: Crawled) -> None:
    html = http.get("/health").text
    assert re.search(r'id="unreachable-count">1<', html)
    blind = html.split('id="blind-spots"', 1)[1].split("</ul>", 1)[0]
    assert crawled.number("down") in blind
    assert crawled.number("menu") not in blind


def test_crawled_script_is_shown_as_text_never_as_markup(http: httpx.Client, crawled: Crawled) -> None:
    for path in (f"/kommune/{HOSTILE_NUMBER}", "/", "/health", "/data"):
        body = http.get(path).text
        assert "<script>document.title" not in body, path
    api = http.get("/api/plans", params={"kommune": HOSTILE_NUMBER})  # data, not markup: JSON, never sniffed
    assert api.headers["content-type"] == "application/json"
    assert api.headers["x-content-type-options"] == "nosniff"
    assert api.json()[0]["link_text"].startswith(SCRIPT)
    html = http.get(f"/kommune/{HOSTILE_NUMBER}").text
    assert "&lt;script&gt;document.title" in html  # the title is shown, escaped
    assert unescape(SCRIPT) in unescape(html)
    assert "<script" not in html.lower().replace("<script src=", "")


def test_every_page_carries_a_strict_csp(http: httpx.Client, crawled: Crawled) -> None:
    for path in ("/", f"/kommune/{crawled.number('menu')}", "/changes", "/health", "/data", "/api/kommuner"):
        response = http.get(path)
        assert response.status_code == 200, path
        csp = response.headers["content-security-policy"]
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "'unsafe-inline'" not in csp
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"] == "no-referrer"


def test_unknown_kommune_is_404(http: httpx.Client) -> None:
    assert http.get("/kommune/0000").status_code == 404
    assert http.get("/api/kommuner/0000").status_code == 404
