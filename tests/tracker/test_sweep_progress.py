"""Progress of a crawl in pages and sites (issue 10): the pipeline reports the requests made and the sites in flight
while it runs, and the terminal display keeps log lines above its bar.

Real loopback sites, a real SQLite database and the real extraction sandbox; a real rich console on a terminal.
"""

from __future__ import annotations

import io
import logging
import sys
from pathlib import Path

from rich.console import Console

from crawlers.extract import Extractor
from crawlers.testweb.server import MultiHostServer, Reply, Site
from crawlers.types import CrawlOptions
from planvakt.crawl_progress import RichProgress
from tests.crawlers.conftest import html_page
from tracker.blobs import EvidenceStore
from tracker.domain import Country, Kommune, Status
from tracker.pipeline import run_crawl
from tracker.site_check import CrawlDependencies
from tracker.store import database

OPTIONS = CrawlOptions(
    per_host_delay=0.1,
    max_pages_per_site=10,
    render="never",
    allow_private_networks=True,
    timeout=3.0,
    retry_backoff=0.01,
    search_queries=("handlingsplan seksuelle overgrep",),
)


def site(host: str, pages: int) -> Site:
    links = "".join(f'<li><a href="/side/{i}">Side {i}</a></li>' for i in range(pages))
    routes = {"/": Reply(body=html_page("Forside", f"<ul>{links}</ul>"))}
    routes.update({f"/side/{i}": Reply(body=html_page(f"Side {i}")) for i in range(pages)})
    return Site(host, routes)


class Recorder:
    def __init__(self) -> None:
        self.total = 0
        self.ticks: list[tuple[int, int]] = []
        self.done: list[int] = []

    def planned(self, total: int) -> None:
        self.total = total

    def crawling(self, pages: int, in_flight: int) -> None:
        self.ticks.append((pages, in_flight))

    def site_done(self, kommune: Kommune, status: Status, pages: int) -> None:
        self.done.append(pages)

    def site_failed(self, kommune: Kommune, reason: str) -> None:
        raise AssertionError(reason)


async def test_progress_counts_every_request_and_the_sites_in_flight(tmp_path: Path) -> None:
    engine = database.make_engine(f"sqlite:///{tmp_path / 'planvakt.sqlite3'}")
    database.upgrade(engine)
    sites = [site(f"127.79.10.{n}", 4) for n in range(1, 4)]
    recorder = Recorder()
    with MultiHostServer(sites) as server:
        kommuner = [
            Kommune(f"990{n}", f"Framvik {n}", Country.NO, server.base_url(s.host)) for n, s in enumerate(sites, 1)
        ]
        async with Extractor(workers=1) as extractor:
            deps = CrawlDependencies(
                database.make_session_factory(engine),
                EvidenceStore(tmp_path / "evidence"),
                extractor,
                progress=recorder,
            )
            await run_crawl(kommuner, OPTIONS, deps)
        served = len(server.wait_for_requests(len(server.request_log)))
    assert recorder.total == 3 and len(recorder.done) == 3
    pages, in_flight = recorder.ticks[-1]
    assert pages == served  # every request the sites answered, robots.txt included
    assert in_flight == 0
    assert max(flight for _, flight in recorder.ticks) == 3  # all three sites at once
    assert [p for p, _ in recorder.ticks] == sorted(p for p, _ in recorder.ticks)  # pages only grow
    assert sum(recorder.done) <= pages


def test_log_lines_go_above_the_bar_not_into_it() -> None:
    screen = io.StringIO()
    terminal = Console(file=screen, force_terminal=True, width=120, color_system=None)
    handler = logging.StreamHandler(sys.__stderr__)
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        with RichProgress(terminal) as progress:
            progress.planned(455)
            progress.crawling(12_345, 455)
            progress.bar.refresh()
            logging.getLogger("crawlers.site").warning("crawled 127.0.0.1: 120 pages")
            progress.bar.refresh()
        assert handler.stream is sys.__stderr__  # given back when the bar stops
    finally:
        root.removeHandler(handler)
    lines = screen.getvalue().replace("\r", "\n").splitlines()
    logged = [line for line in lines if "crawled 127.0.0.1: 120 pages" in line]
    assert logged and all("━" not in line and "in flight" not in line for line in logged)
    assert any("0/455 sites done · 455 in flight · 12,345 pages" in line for line in lines)
