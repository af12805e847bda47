"""The map, the trends page and a kommune's history over the full registry with weekly sweeps, on SQLite and
PostgreSQL, fetched over HTTP from uvicorn."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from html import unescape

import httpx
import pytest

from bench.bench_dashboard import fill
from dashboards.app import create_app
from tests.dashboards.serving import serve_in_thread
from tracker.catalogue import CATALOGUE, LOCALES, formats
from tracker.config import Settings
from tracker.store import database

WEEKS = 3


@pytest.fixture
def http(database_url: str, tmp_path) -> Iterator[httpx.Client]:  # type: ignore[no-untyped-def]
    fill(database_url, WEEKS)
    engine = database.make_engine(database_url)
    settings = Settings(var_dir=tmp_path / "var", database_url=database_url)
    app = create_app(settings, session_factory=database.make_session_factory(engine))
    with serve_in_thread(app) as url, httpx.Client(base_url=url, timeout=30) as client:
        yield client
    engine.dispose()


def _bars(html: str) -> list[dict[str, int]]:
    """Each bar's counts per standing, oldest first."""
    bars = []
    for group in re.findall(r'<g class="bar" data-run="\d+" data-started="[^"]+">(.*?)</g>', html, re.S):
        bars.append({s: int(n) for s, n in re.findall(r'data-standing="(\w+)" data-count="(\d+)"', group)})
    return bars


def test_every_kommune_is_a_dot_at_its_own_point(http: httpx.Client) -> None:
    html = http.get("/").text
    dots = re.findall(r'<a href="/kommune/(\d{4})" tabindex="-1" aria-label="([^"]+)"', html)
    assert len(dots) == 455 == len({n for n, _ in dots})
    assert 'id="map-approximate"' not in html and 'id="map-unplaced"' not in html
    assert html.count('<svg class="dotmap"') == 2
    oslo = re.search(r'data-kommune="0301" data-standing="(\w+)"><(circle|rect|path) class="dot \1"', html)
    assert oslo, "Oslo's dot carries its standing as a class"
    assert re.search(r"<title>0301 Oslo[^<]*\(Oslo\): ", html)


def test_trends_show_one_bar_per_sweep_and_filter_by_region(http: httpx.Client) -> None:
    page = http.get("/trends")
    assert page.status_code == 200
    bars = _bars(page.text)
    assert len(bars) == WEEKS
    assert all(sum(bar.values()) == 455 for bar in bars)
    assert len(re.findall(r'<tr data-run="\d+">', page.text)) == WEEKS
    vestland = _bars(http.get("/trends", params={"region": "Vestland"}).text)
    assert len(vestland) == WEEKS and all(sum(bar.values()) == 43 for bar in vestland)
    denmark = _bars(http.get("/trends", params={"country": "DK"}).text)
    assert all(sum(bar.values()) == 98 for bar in denmark)
    unknown = http.get("/trends", params={"region": "Atlantis"}).text  # an unknown region: everything, not nothing
    assert all(sum(bar.values()) == 455 for bar in _bars(unknown))
    english = http.get("/trends", params={"lang": "en"}).text
    assert "Trends over time" in english and "Specific plan, current" in english
    for lang in LOCALES:
        _axes_speak(http.get("/trends", params={"lang": lang}).text, lang)


def _axes_speak(html: str, lang: str) -> None:
    """The chart's axes in `lang`: shares and dates as Babel writes them there, titles from the catalogue."""
    svg = html.split('<svg class="trendchart"', 1)[1].split("</svg>", 1)[0]
    texts = [unescape(t) for t in re.findall(r'<text class="axis"[^>]*>([^<]*)</text>', svg)]
    assert texts == [formats.percent(share, lang) for share in (0.0, 0.5, 1.0)]
    last = datetime.fromisoformat(re.findall(r'data-started="([^"]+)"', svg)[-1])
    ticks = [unescape(t) for t in re.findall(r'<text class="axis tick"[^>]*>([^<]*)</text>', svg)]
    assert ticks and ticks[-1] in {
        formats.clock(last, lang),
        formats.month_day(last, lang),
        formats.numeric_day(last, lang),
    }
    assert not re.search(r"\d{4}-\d\d|\d\d-\d\d", " ".join(ticks))  # no ISO dates on any axis
    for key in ("trends.axis_share", "trends.axis_sweeps"):
        assert f">{CATALOGUE.text(lang, key)}</text>" in svg


def test_kommune_page_draws_its_history(http: httpx.Client) -> None:
    html = http.get("/kommune/4601").text
    strip = html.split('id="history-strip"', 1)[1].split("</svg>", 1)[0]
    cells = re.findall(r'<rect class="seg (\w+)"', strip)
    assert len(cells) == WEEKS
    tally = html.split('id="history-tally"', 1)[1].split("</ul>", 1)[0]
    counted = {name: int(n) for name, n in re.findall(r'data-standing="(\w+)">.*?: (\d+) sjekker', tally)}
    assert counted == {name: cells.count(name) for name in set(cells)}
