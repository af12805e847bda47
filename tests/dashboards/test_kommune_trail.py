"""A kommune page says what the latest check searched and read (issue 13): the pages read, the site-search
queries with their hits, the sitemaps, and each candidate document with why it was or was not taken as the plan;
a plan found only through the site's search says so instead of "None klikk fra forsiden". Over the crawled demo
web, through the real app (HTTP from uvicorn, and Chromium for what a visitor sees)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import unescape

import httpx
import pytest
from playwright.sync_api import Browser, sync_playwright
from sqlalchemy import select

from crawlers.render import CHROMIUM_ARGS
from crawlers.types import DEFAULT_SEARCH_QUERIES
from tests.dashboards.conftest import Crawled
from tracker.catalogue.reasons import localise
from tracker.store.models import ClassificationRow, Document, Finding, KommuneRow, Sighting, SiteCheck

pytestmark = [pytest.mark.slow, pytest.mark.browser]


@pytest.fixture
def http(base_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=base_url, timeout=30) as client:
        yield client


def _section(html: str) -> str:
    return html.split('<section aria-labelledby="trail-heading" id="trail">', 1)[1].split("</section>", 1)[0]


def _pages_read(section: str) -> str:
    return section.split('<details class="pages-read">', 1)[1].split("</details>", 1)[0]


def _latest_check(crawled: Crawled, number: str) -> SiteCheck:
    with crawled.factory() as session:
        check_id = session.scalars(
            select(Finding.check_id)
            .join(KommuneRow, KommuneRow.id == Finding.kommune_id)
            .where(KommuneRow.kommunenummer == number)
            .order_by(Finding.id.desc())
        ).first()
        check = session.get(SiteCheck, check_id)
        assert check is not None
        session.expunge(check)
        return check


def test_no_plan_page_says_what_was_searched_and_why_each_document_was_not_the_plan(
    http: httpx.Client, crawled: Crawled
) -> None:
    number = crawled.number("no_plan")
    check = _latest_check(crawled, number)
    trail = check.trail or {}
    # what the crawl stored: the queries it asked the site's search, with hits, and the sitemaps it read
    assert [query for query, _ in trail["searches"]] == list(DEFAULT_SEARCH_QUERIES)
    assert trail["search_action"] and trail["sitemaps"] and trail["sitemap_entries"] > 0
    assert check.issues == [] or all(issue["kind"] != "trail" for issue in check.issues)
    page = http.get(f"/kommune/{number}").text
    assert "Ingen plan" in page
    section = _section(page)
    pages = re.sub(r"<[^>]+>", "", section.split('id="trail-pages">', 1)[1].split("</dd>", 1)[0])
    assert f"{check.pages_fetched} fra forsiden" in unescape(pages)
    for query, hits in trail["searches"]:
        assert f'<li data-query="{query}">«{query}»: {hits} treff</li>' in section
    for sitemap in trail["sitemaps"]:
        assert f">{sitemap}</a>" in section
    assert f"{trail['sitemap_entries']} adresser i alt" in section
    # the pages opened through links and the sitemap, front page first, each a link (search result pages are
    # counted in pages_fetched and shown by query instead)
    assert trail["pages"][0] == "/" and 1 < len(trail["pages"]) < check.pages_fetched
    listed = re.findall(r'<li><a href="([^"]+)" rel="nofollow noopener" class="mono">', _pages_read(section))
    front = (check.final_url or check.start_url).rstrip("/")
    assert listed == [front + path for path in trail["pages"]]
    assert f"Sidene som ble åpnet via lenker og nettstedskart ({len(listed)})" in section
    # no document on the site looked like a plan: the page says none was read rather than showing an empty table
    assert not _read(crawled, check.id)
    assert "Ingen dokumenter så ut som en plan, så ingen ble lest." in section


def _read(crawled: Crawled, check_id: int) -> list[tuple[str, str | None, str | None, str | None]]:
    """(url, newest reason, category, extraction error) of every document the check read."""
    with crawled.factory() as session:
        rows = session.execute(
            select(Sighting.url, ClassificationRow.reason, ClassificationRow.category, Document.extraction_error)
            .join(Document, Document.id == Sighting.document_id)
            .outerjoin(ClassificationRow, ClassificationRow.document_id == Sighting.document_id)
            .where(Sighting.check_id == check_id)
            .order_by(ClassificationRow.id)
        ).all()
    return list({url: (url, reason, category, error) for url, reason, category, error in rows}.values())


@pytest.mark.parametrize("scenario", ["menu", "broken_pdf", "general_only", "search_only", "sitemap_only"])
def test_every_candidate_read_is_listed_with_the_reason_stored_for_it(
    http: httpx.Client, crawled: Crawled, scenario: str
) -> None:
    number = crawled.number(scenario)
    check = _latest_check(crawled, number)
    read = _read(crawled, check.id)
    assert read, scenario
    page = http.get(f"/kommune/{number}").text
    lang = re.search(r'<html lang="(\w+)">', page).group(1)  # type: ignore[union-attr]
    section = _section(page)
    rows = re.findall(r'<tr data-verdict="(\w+)">(.*?)</tr>', section, re.S)
    assert len(rows) == len(read)
    for url, reason, category, error in read:
        verdict, row = next((v, r) for v, r in rows if f'href="{url}"' in r)
        if category is None:
            assert verdict == "unreadable" and (error or "") in unescape(row)
        else:
            assert unescape(row).count(localise(reason, lang)) >= 1  # the stored reason, in the page's language
            assert (verdict == "not_a_plan") == (category == "other")
    assert [v for v, _ in rows].count("plan") == 1
    if scenario == "broken_pdf":
        assert any(v == "unreadable" for v, _ in rows) and "kunne ikke læses" in section  # a Danish kommune's page


def test_english_trail(http: httpx.Client, crawled: Crawled) -> None:
    section = _section(http.get(f"/kommune/{crawled.number('no_plan')}", params={"lang": "en"}).text)
    assert "What the crawler did" in section and "hits</li>" in section
    assert "No document looked like a plan, so none was read." in section


def test_a_plan_found_only_by_search_says_so(http: httpx.Client, crawled: Crawled) -> None:
    page = http.get(f"/kommune/{crawled.number('search_only')}").text
    best = page.split('<article class="plan" id="plan-1"', 1)[1].split("</article>", 1)[0]
    assert "funnet bare via nettstedets søk" in best
    assert "None" not in best
    section = _section(page)
    assert re.search(r'<tr data-verdict="plan">', section), "the chosen plan is listed among what was read"
    assert "valgt som planen" in section


def test_the_page_with_a_plan_lists_it_first_and_the_rest_with_reasons(http: httpx.Client, crawled: Crawled) -> None:
    section = _section(http.get(f"/kommune/{crawled.number('menu')}").text)
    verdicts = re.findall(r'<tr data-verdict="(\w+)">', section)
    assert verdicts[0] == "plan" and len(verdicts) > 1


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=list(CHROMIUM_ARGS))
        yield browser
        browser.close()


def test_a_visitor_on_a_phone_reads_what_was_searched(browser: Browser, base_url: str, crawled: Crawled) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        page.goto(f"{base_url}/kommune/{crawled.number('no_plan')}")
        trail = page.locator("#trail")
        assert trail.locator("h2").inner_text() == "Hva crawleren gjorde"
        queries = trail.locator("ul.queries li").all_inner_texts()
        assert [q.split("»")[0].lstrip("«") for q in queries] == list(DEFAULT_SEARCH_QUERIES)
        assert all(q.endswith(" treff") for q in queries)
        assert trail.locator("#trail-no-candidates").is_visible()
        page.goto(f"{base_url}/kommune/{crawled.number('broken_pdf')}")
        rows = page.locator("#candidates tbody tr")
        assert rows.count() >= 2 and rows.first.is_visible()
        assert page.locator("#candidates tr[data-verdict=unreadable]").inner_text().count("PDF") >= 1
        box = page.locator("#trail").bounding_box()
        assert box is not None and box["x"] + box["width"] <= 390 + 1, f"the trail is wider than a phone: {box}"
    finally:
        context.close()


def test_a_check_from_before_the_trail_says_it_was_not_recorded(http: httpx.Client, crawled: Crawled) -> None:
    """A check stored before migration 0006 (trail NULL) is "not recorded", never "no search, no sitemap"."""
    number = crawled.number("redirects")
    check = _latest_check(crawled, number)
    with crawled.factory.begin() as session:
        session.get(SiteCheck, check.id).trail = None  # type: ignore[union-attr]
    try:
        section = _section(http.get(f"/kommune/{number}").text)
    finally:
        with crawled.factory.begin() as session:
            session.get(SiteCheck, check.id).trail = check.trail  # type: ignore[union-attr]
    assert "er ikke registrert for denne sjekken" in section
    assert "Fant ikke noe søk" not in section and "Fant ikke noe nettstedskart" not in section
    assert f"{check.pages_fetched} fra forsiden" in re.sub(r"<[^>]+>", "", section)
