"""The dashboard in a real browser (Playwright + Debian Chromium) over the crawled demo web.

Checks what a visitor sees: the overview's counts, a filter that narrows the table and survives a reload, a kommune
page's breadcrumb and checklist, a CSV download's header, and axe-core finding no serious or critical accessibility
violation on any page. Screenshots of every page go to tests/artifacts/ (git-ignored).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from crawlers.render import CHROMIUM_ARGS
from tests.dashboards.conftest import LEFT_OUT, Crawled
from tracker.export import FINDINGS_COLUMNS

pytestmark = [pytest.mark.slow, pytest.mark.browser]

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / ".axe" / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "tests" / "artifacts"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=list(CHROMIUM_ARGS))
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    # bypass_csp: the page's own CSP (rightly) forbids the injected axe script; the app is not changed for tests
    context = browser.new_context(bypass_csp=True, accept_downloads=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


def _screenshot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"dashboard-{name}.png"), full_page=True)


def test_overview_shows_the_right_counts(page: Page, base_url: str, crawled: Crawled) -> None:
    page.goto(base_url + "/")
    unreachable = sum(
        1 for k in crawled.web.kommuner if k.scenario not in LEFT_OUT and k.expected.status == "site_unreachable"
    )
    assert page.locator('[data-status="site_unreachable"] .n').inner_text() == str(unreachable)
    assert page.locator("#total-count").inner_text() == str(len(crawled.kommuner))
    assert page.locator("#kommuner tbody tr").count() == len(crawled.kommuner)
    assert page.locator("svg.dotmap a[data-kommune]").count() == len(crawled.kommuner)
    _screenshot(page, "overview")


def test_a_dot_on_the_map_is_a_link_to_its_kommune(page: Page, base_url: str, crawled: Crawled) -> None:
    number = crawled.number("expired")
    page.goto(base_url + "/")
    dot = page.locator(f'svg.dotmap a[data-kommune="{number}"]')
    assert dot.get_attribute("data-standing") == "plan_expired"  # an expired plan is not shown as a current one
    assert "Solhaug" in (dot.locator("title").text_content() or "")
    box = dot.bounding_box()
    assert box is not None and box["width"] > 4  # drawn, not collapsed
    dot.click()
    page.wait_for_url(f"**/kommune/{number}")
    assert page.locator("#history-strip rect").count() >= 1


PHONE_PAGES = ("/", "/trends", "/kommune/{menu}", "/?country=NO&sort=criteria&order=desc")


@pytest.mark.parametrize("path", PHONE_PAGES)
def test_pages_fit_a_390_px_phone(browser: Browser, base_url: str, crawled: Crawled, path: str) -> None:
    """At 390 px wide (an iPhone 12-15) the page never scrolls sideways: the map and charts scale, the tables turn
    into one card per row."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True)
    page = context.new_page()
    try:
        page.goto(base_url + path.format(menu=crawled.number("menu")))
        overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls {overflow} px sideways"
        if path.startswith("/?") or path == "/":
            for country in ("NO", "DK"):
                box = page.locator(f"#map-{country}").bounding_box()
                assert box is not None and 250 < box["width"] <= 390
            cells = page.locator("#kommuner tbody tr").first.locator("td")
            assert cells.first.evaluate("td => getComputedStyle(td, '::before').content").strip('"') != "none"
        name = "phone-" + ("overview" if path.startswith("/?") or path == "/" else path.strip("/").split("/")[0])
        _screenshot(page, name)
    finally:
        context.close()


def test_a_filter_narrows_the_table_and_survives_a_reload(page: Page, base_url: str, crawled: Crawled) -> None:
    page.goto(base_url + "/")
    page.select_option("select[name=country]", "DK")
    page.select_option("select[name=status]", "abuse_specific_plan")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**/?*country=DK*")
    expected = {
        k.kommunenummer
        for k in crawled.web.kommuner
        if k.scenario not in LEFT_OUT and k.country == "DK" and k.expected.status == "abuse_specific_plan"
    }
    shown = set(page.locator("#kommuner tbody tr").evaluate_all("rows => rows.map(r => r.dataset.kommune)"))
    assert shown == expected and 0 < len(shown) < len(crawled.kommuner)
    page.reload()
    assert set(page.locator("#kommuner tbody tr").evaluate_all("rows => rows.map(r => r.dataset.kommune)")) == expected
    assert page.locator("select[name=country]").input_value() == "DK"
    _screenshot(page, "overview-filtered")


def test_kommune_page_shows_breadcrumb_and_checklist(page: Page, base_url: str, crawled: Crawled) -> None:
    page.goto(f"{base_url}/kommune/{crawled.number('deep')}")
    crumbs = page.locator("article.plan").first.locator("nav.breadcrumb a")
    assert crumbs.count() == 6
    assert crumbs.last.get_attribute("aria-current") == "location"
    assert page.locator("ul.checklist li").count() >= 6
    assert page.locator("ul.checklist li.met").count() >= 1
    _screenshot(page, "kommune")


def test_a_kommune_page_leads_to_its_letter_tip_form_and_alerts(page: Page, base_url: str, crawled: Crawled) -> None:
    number = crawled.number("menu")
    page.goto(f"{base_url}/kommune/{number}")
    page.click("#subscribe-link")
    page.wait_for_url(f"**/subscribe?kommune={number}")
    assert page.locator("#pub-kommuner").input_value() == number
    assert page.locator('input[name="scope"][value="kommuner"]').is_checked()
    page.go_back()
    page.click("#letter-link")
    page.wait_for_url(f"**/act/{number}#letter")
    assert page.locator("#letter").is_visible() and page.locator("#tip-url").is_visible()


def test_csv_download_has_the_documented_header(page: Page, base_url: str) -> None:
    page.goto(base_url + "/data")
    with page.expect_download() as info:
        page.click('a[href="/data/findings.csv"]')
    download = info.value
    assert download.suggested_filename.startswith("planvakt-findings-")
    text = Path(download.path()).read_text(encoding="utf-8")
    assert tuple(next(csv.reader(io.StringIO(text)))) == FINDINGS_COLUMNS
    _screenshot(page, "data")


def test_crawled_script_never_runs(page: Page, base_url: str) -> None:
    from tests.dashboards.conftest import HOSTILE_NUMBER

    page.goto(f"{base_url}/kommune/{HOSTILE_NUMBER}")
    assert page.title() != "pwned"
    assert "<script>" in page.locator("article.plan h3").first.inner_text()


PAGES = {
    "overview": "/",
    "trends": "/trends",
    "trends-region": "/trends?region=Vestland",
    "kommune-no": "/kommune/{menu}",
    "kommune-dk": "/kommune/{sitemap_only}",
    "changes": "/changes",
    "health": "/health",
    "data": "/data",
    "subscribe": "/subscribe",
    "subscribe-en": "/subscribe?lang=en",
    "subscribe-kommune": "/subscribe?kommune={menu}",
}


@pytest.mark.parametrize("name", list(PAGES))
def test_axe_finds_no_serious_violations(page: Page, base_url: str, crawled: Crawled, name: str) -> None:
    assert AXE.is_file(), "axe-core is missing: run `make axe` (npm install axe-core into .axe/)"
    path = PAGES[name].format(menu=crawled.number("menu"), sitemap_only=crawled.number("sitemap_only"))
    page.goto(base_url + path)
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes'][:3]]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert result["passes"] is not None
    assert serious == []
    _screenshot(page, name)
