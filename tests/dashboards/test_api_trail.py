"""The check trail and the first-check marks the pages show are in the JSON API and the typed downloads too (issue
13): /api/kommuner/{nr} carries what the latest check searched and read, /api/events and /data/events.* say which
events came from a kommune's first check, and /data/findings.* carry the sitemaps and site-search queries of each
kommune's latest check. Over the crawled demo web, fetched over HTTP from uvicorn, compared with the database."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import urljoin

import httpx
import pytest
from sqlalchemy import func, select

from tests.dashboards.conftest import Crawled
from tests.json_types import assert_typed
from tracker.export import EVENTS_COLUMNS, FINDINGS_COLUMNS
from tracker.store.models import Finding, KommuneRow, Sighting, SiteCheck
from tracker.store.watch import latest_events

pytestmark = [pytest.mark.slow, pytest.mark.browser]


@pytest.fixture
def http(base_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=base_url, timeout=30) as client:
        yield client


def _latest(crawled: Crawled, number: str) -> tuple[dict[str, Any], int]:
    """(stored trail, candidate documents read) of the kommune's latest check."""
    with crawled.factory() as session:
        check_id = session.scalars(
            select(Finding.check_id)
            .join(KommuneRow, KommuneRow.id == Finding.kommune_id)
            .where(KommuneRow.kommunenummer == number)
            .order_by(Finding.id.desc())
        ).first()
        check = session.get(SiteCheck, check_id)
        assert check is not None and check.trail is not None
        read = session.scalar(select(func.count(Sighting.id)).where(Sighting.check_id == check_id))
        return dict(check.trail), int(read or 0)


def test_the_api_says_what_the_latest_check_searched(http: httpx.Client, crawled: Crawled) -> None:
    number = crawled.number("no_plan")
    stored, _ = _latest(crawled, number)
    trail = http.get(f"/api/kommuner/{number}").json()["trail"]
    assert trail["recorded"] is True
    assert [(s["query"], s["hits"]) for s in trail["searches"]] == [tuple(pair) for pair in stored["searches"]]
    assert trail["sitemaps"] == stored["sitemaps"] and trail["sitemap_entries"] == stored["sitemap_entries"]
    assert trail["search_action"] == stored["search_action"]
    assert trail["pages"] == [urljoin(trail["front_page"], page) for page in stored["pages"]]
    assert len(trail["pages"]) > 1 and trail["candidates"] == []
    documented = http.get("/api/openapi.json").json()["components"]["schemas"]
    assert {"TrailOut", "CandidateOut", "SiteSearchOut"} <= set(documented)


@pytest.mark.parametrize("scenario", ["menu", "broken_pdf", "search_only"])
def test_the_api_lists_every_candidate_with_its_verdict(http: httpx.Client, crawled: Crawled, scenario: str) -> None:
    number = crawled.number(scenario)
    _, read = _latest(crawled, number)
    detail = http.get(f"/api/kommuner/{number}").json()
    candidates = detail["trail"]["candidates"]
    assert len(candidates) == read > 0
    assert [c["verdict"] for c in candidates].count("plan") == 1
    chosen = next(c for c in candidates if c["verdict"] == "plan")
    assert chosen["url"] == detail["plan_url"] and isinstance(chosen["confidence"], float)
    if scenario == "broken_pdf":
        broken = next(c for c in candidates if c["verdict"] == "unreadable")
        assert broken["category"] is None and broken["confidence"] is None and broken["reason"]
    if scenario == "search_only":
        assert chosen["found_via"] == "site_search"


def test_first_check_marks_in_the_api_and_the_event_downloads(http: httpx.Client, crawled: Crawled) -> None:
    with crawled.factory() as session:
        stored = {e.event_id: e.first_check for e in latest_events(session, limit=500)}
    assert any(stored.values()) and not all(stored.values()), "the demo has first-check events and later ones"
    api = {e["event_id"]: e["first_check"] for e in http.get("/api/events", params={"limit": 500}).json()}
    assert api == stored
    as_json = http.get("/data/events.json").json()
    assert_typed(as_json, EVENTS_COLUMNS)
    assert {e["event_id"]: e["first_check"] for e in as_json} == stored
    as_csv = list(csv.DictReader(io.StringIO(http.get("/data/events.csv").text)))
    assert {e["event_id"]: e["first_check"] == "true" for e in as_csv} == stored
    assert "<code>first_check</code>" in http.get("/data").text


def test_findings_downloads_carry_the_trail_of_the_latest_check(http: httpx.Client, crawled: Crawled) -> None:
    findings = {r["kommunenummer"]: r for r in http.get("/data/findings.json").json()}
    assert_typed(list(findings.values()), FINDINGS_COLUMNS)
    as_csv = {r["kommunenummer"]: r for r in csv.DictReader(io.StringIO(http.get("/data/findings.csv").text))}
    for scenario in ("no_plan", "menu", "sitemap_only"):
        number = crawled.number(scenario)
        stored, read = _latest(crawled, number)
        row = findings[number]
        assert row["sitemaps"] == stored["sitemaps"] and row["sitemap_entries"] == stored["sitemap_entries"]
        assert row["site_searches"] == {query: hits for query, hits in stored["searches"]}
        assert row["candidates_read"] == read
        assert as_csv[number]["sitemaps"] == " ".join(stored["sitemaps"])
        assert json.loads(as_csv[number]["site_searches"]) == row["site_searches"]
    assert findings[crawled.number("no_plan")]["site_searches"], "the no-plan site's search was asked"
    page = http.get("/data").text
    for column in ("candidates_read", "sitemaps", "sitemap_entries", "site_searches"):
        assert f"<code>{column}</code>" in page
