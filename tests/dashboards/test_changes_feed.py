"""/changes shows plans by title and marks first-check events; /changes.atom carries the same events as an Atom
feed (issue 13). Over the crawled demo web, fetched over HTTP from uvicorn; the feed is parsed as XML."""

from __future__ import annotations

import re
from datetime import datetime
from html import unescape
from xml.etree import ElementTree

import httpx
import pytest

from tests.dashboards.conftest import HOSTILE_NUMBER, SCRIPT, Crawled
from tracker.store.watch import EventRow, latest_events

pytestmark = [pytest.mark.slow, pytest.mark.browser]  # the crawl renders the JavaScript scenario with Chromium

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def http(base_url: str) -> httpx.Client:
    """A fresh client per test: a `?lang=en` choice is remembered in a cookie."""
    with httpx.Client(base_url=base_url, timeout=30) as client:
        yield client


@pytest.fixture(scope="module")
def events(crawled: Crawled) -> list[EventRow]:
    with crawled.factory() as session:
        return latest_events(session, limit=200)


def _rows(html: str) -> list[str]:
    body = html.split('<table id="events">', 1)[1].split("</table>", 1)[0]
    return re.findall(r"<tr data-event=.*?</tr>", body, re.S)


def _feed(http: httpx.Client, **params: str) -> ElementTree.Element:
    response = http.get("/changes.atom", params=params)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/atom+xml; charset=utf-8"
    root = ElementTree.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    return root


def test_changes_show_plan_titles_linked_to_their_url(http: httpx.Client, events: list[EventRow]) -> None:
    page = http.get("/changes").text
    rows = _rows(page)
    assert len(rows) == len(events)
    appeared = next(e for e in events if e.kind == "plan_appeared" and e.plan_title)
    row = next(r for r in rows if f'title="{appeared.url}"' in r)
    link = re.search(r'<a class="plan" href="([^"]+)"[^>]*>([^<]+)</a>', row)
    assert link and unescape(link.group(1)) == appeared.url
    assert unescape(link.group(2)) == appeared.plan_title
    # an event without a stored document shows its URL shortened, the full URL only as href and tooltip
    assert ">example.test/…/plan.pdf</a>" in page
    assert not re.search(r">https?://[^<]+</a>", page.split('<table id="events">', 1)[1])
    moved = next(r for r in rows if 'data-event="plan_moved"' in r)
    assert "flyttet fra" in moved and ">example.test/…/old.pdf</a>" in moved


def test_first_check_events_are_marked(http: httpx.Client, events: list[EventRow]) -> None:
    first = [e for e in events if e.first_check]
    assert first and all(e.kind == "plan_appeared" for e in first), "the crawl is every kommune's first check"
    assert any(not e.first_check for e in events)
    page = http.get("/changes").text
    rows = _rows(page)
    marked = [r for r in rows if "data-first-check" in r]
    assert len(marked) == len(first)
    assert all('<span class="tag first-check">første kontroll</span>' in r for r in marked)
    assert not any("første kontroll" in r for r in rows if "data-first-check" not in r)
    assert "planen fantes allerede da Planvakt sjekket kommunen første gang" in page
    english = http.get("/changes", params={"lang": "en"}).text
    assert '<span class="tag first-check">first check</span>' in english
    # the English page links the English feed (a feed reader carries no language cookie)
    assert 'href="/changes.atom?lang=en"' in english.split("</head>", 1)[0]


def test_changes_link_their_atom_feed_with_the_same_filters(http: httpx.Client) -> None:
    page = http.get("/changes").text
    head = page.split("</head>", 1)[0]
    assert '<link rel="alternate" type="application/atom+xml"' in head and 'href="/changes.atom"' in head
    filtered = http.get("/changes", params={"kind": "plan_moved", "region": "Nordland"}).text.split("</head>", 1)[0]
    assert 'href="/changes.atom?kind=plan_moved&amp;region=Nordland"' in filtered


def test_atom_feed_has_one_entry_per_event(
    http: httpx.Client, events: list[EventRow], crawled: Crawled, base_url: str
) -> None:
    feed = _feed(http)
    assert feed.findtext(f"{ATOM}id", "").endswith("/changes.atom")
    assert feed.findtext(f"{ATOM}title") == "Planvakt: siste endringer"
    assert feed.find(f"{ATOM}author/{ATOM}name") is not None
    self_link = feed.find(f"{ATOM}link[@rel='self']")
    assert self_link is not None and self_link.get("href") == f"{base_url}/changes.atom"
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}id") for e in entries] == [f"urn:uuid:{e.event_id}" for e in events]
    newest = datetime.fromisoformat(feed.findtext(f"{ATOM}updated", "").replace("Z", "+00:00"))
    assert newest.replace(microsecond=0) == events[0].detected_at.replace(microsecond=0)
    for entry, event in zip(entries, events, strict=True):
        title = entry.findtext(f"{ATOM}title", "")
        assert title.startswith(("Plan ", "Crawleren ", "Sjekk ")) and f"{event.kommunenummer} {event.name}" in title
        assert ("(første kontroll)" in title) == event.first_check
        link = entry.find(f"{ATOM}link")
        assert link is not None and link.get("href", "").endswith(f"/kommune/{event.kommunenummer}")
        assert link.get("href", "").startswith("http://127.0.0.1:")
        updated = datetime.fromisoformat(entry.findtext(f"{ATOM}updated", "").replace("Z", "+00:00"))
        assert updated == event.detected_at.replace(microsecond=0)
    # a crawled title with markup travels as text, escaped by the writer
    hostile = next(e for e in entries if f"{HOSTILE_NUMBER} Skriptvik" in e.findtext(f"{ATOM}title", ""))
    assert SCRIPT in hostile.findtext(f"{ATOM}title", "")
    assert crawled.hostile_title


def test_atom_feed_takes_the_changes_filters(http: httpx.Client, events: list[EventRow]) -> None:
    moved = _feed(http, kind="plan_moved")
    ids = [e.findtext(f"{ATOM}id") for e in moved.findall(f"{ATOM}entry")]
    assert ids == [f"urn:uuid:{e.event_id}" for e in events if e.kind == "plan_moved"] and ids
    assert moved.findtext(f"{ATOM}title") == "Planvakt: siste endringer · Plan flyttet"
    in_region = _feed(http, region="Region Syddanmark", lang="en")
    titles = [e.findtext(f"{ATOM}title", "") for e in in_region.findall(f"{ATOM}entry")]
    expected = [e for e in events if e.region == "Region Syddanmark"]
    assert len(titles) == len(expected) > 0
    assert in_region.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    assert all(" (first check)" in t for t, e in zip(titles, expected, strict=True) if e.first_check)


def test_kommune_timeline_names_event_urls_shortly(http: httpx.Client, crawled: Crawled) -> None:
    timeline = http.get(f"/kommune/{crawled.number('robots')}").text.split('id="timeline"', 1)[1].split("</ol>", 1)[0]
    moved = next(li for li in timeline.split("<li ") if 'data-event="plan_moved"' in li)
    assert 'title="https://example.test/robots/plan.pdf"' in moved and ">example.test/…/plan.pdf</a>" in moved
    assert "flyttet fra" in moved and ">example.test/…/old.pdf</a>" in moved
    assert not re.search(r">https?://[^<]+</a>", timeline)
