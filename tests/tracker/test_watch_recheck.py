"""Re-checks of known plan URLs never hold a store slot: a plan URL that times out delays its own site only.

Real loopback sites and a real SQLite database: STORE_AHEAD + 1 kommuner whose known plan URL (link removed, URL
answering after the timeout) times out, crawled together with kommuner that answer at once. Every quick kommune is
stored before the first timing-out one, and a re-check is tried twice at most whatever the crawl's `max_retries`.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from crawlers.extract import Extractor
from crawlers.testweb.changing import ChangingSite, slow
from crawlers.testweb.documents import pdf_bytes
from crawlers.testweb.plantexts import abuse_plan
from crawlers.testweb.server import MultiHostServer
from crawlers.types import CrawlOptions
from tracker.blobs import EvidenceStore
from tracker.domain import Country, Kommune, Status
from tracker.finished_sites import STORE_AHEAD
from tracker.pipeline import RECHECK_RETRIES, run_crawl
from tracker.site_check import CrawlDependencies
from tracker.store import database, watch
from tracker.store.models import KommuneRow

pytestmark = pytest.mark.slow

PLAN = pdf_bytes(abuse_plan("nb", "Tregvik", 2025, 2028))
P1 = "/_f/p1/i3c1d9e0a7b/handlingsplan-mot-seksuelle-overgrep-mot-barn.pdf"
TIMEOUT = 2.0  # generous: the quick sites must all be stored within two timeouts, even on a loaded machine
DELAY = 4.5  # the timing-out plan URL answers after this long: every try times out


class Recorder:
    """A `Progress` that notes when each kommune was stored."""

    def __init__(self) -> None:
        self.done: dict[str, float] = {}

    def planned(self, total: int) -> None:
        return None

    def crawling(self, pages: int, in_flight: int) -> None:
        return None

    def site_done(self, kommune: Kommune, status: Status, pages: int) -> None:
        self.done[kommune.kommunenummer] = time.monotonic()

    def site_failed(self, kommune: Kommune, reason: str) -> None:
        raise AssertionError(f"{kommune.kommunenummer} failed on our side: {reason}")


async def test_a_timing_out_plan_url_does_not_delay_storing_other_sites(tmp_path: Path) -> None:
    engine = database.make_engine(f"sqlite:///{tmp_path / 'planvakt.sqlite3'}")
    database.upgrade(engine)
    factory = database.make_session_factory(engine)
    slow_sites = [ChangingSite(f"127.79.6.{i + 1}", f"Tregvik {9801 + i}") for i in range(STORE_AHEAD + 1)]
    quick_sites = [ChangingSite(f"127.79.7.{i + 1}", f"Snøggvik {9851 + i}") for i in range(6)]
    for site in [*slow_sites, *quick_sites]:
        site.publish(P1, PLAN, "Handlingsplan mot seksuelle overgrep mot barn 2025-2028")
    slow_numbers = [str(9801 + i) for i in range(len(slow_sites))]
    quick_numbers = [str(9851 + i) for i in range(len(quick_sites))]
    options = CrawlOptions(
        per_host_delay=0.0,
        max_pages_per_site=8,
        concurrency=16,
        render="never",
        allow_private_networks=True,
        timeout=TIMEOUT,
        max_retries=2,  # the crawl's; a re-check is capped at RECHECK_RETRIES
        retry_backoff=0.01,
        search_queries=("handlingsplan seksuelle overgrep",),
    )
    sites = [*slow_sites, *quick_sites]
    with MultiHostServer([s.site for s in sites]) as server:
        kommuner = [
            Kommune(number, site.name, Country.NO, server.base_url(site.host))
            for number, site in zip([*slow_numbers, *quick_numbers], sites, strict=True)
        ]
        async with Extractor(workers=1) as extractor:
            deps = CrawlDependencies(factory, EvidenceStore(tmp_path / "evidence"), extractor)
            await run_crawl(kommuner, options, deps)  # baseline: every kommune has its plan

            for site in slow_sites:
                site.unlink(P1)  # the crawl no longer fetches it, so only the re-check asks the URL
                site.answer(P1, slow(DELAY, body=PLAN))
            server.clear_log()
            recorder = Recorder()
            deps.progress = recorder
            started = time.monotonic()
            await run_crawl(kommuner, options, deps)
            ended = time.monotonic()

        first_slow = min(recorder.done[n] for n in slow_numbers)
        last_quick = max(recorder.done[n] for n in quick_numbers)
        assert last_quick < first_slow, "a quick site waited for a timing-out re-check"
        assert first_slow - started >= TIMEOUT * (1 + RECHECK_RETRIES) * 0.9, (
            "the slow sites' plan URLs were re-checked"
        )
        assert last_quick - started < TIMEOUT * (1 + RECHECK_RETRIES)

        # Every try answers after DELAY: wait until a third try (were there one) would have been logged.
        time.sleep(max(0.0, ended + DELAY + 0.5 - time.monotonic()))
        tries = [len([r for r in server.requests_to(s.host) if r.path_with_query == P1]) for s in slow_sites]
        assert tries == [1 + RECHECK_RETRIES] * len(slow_sites)

    with factory() as session:
        ids = dict(session.query(KommuneRow.kommunenummer, KommuneRow.id).all())
        kinds = {
            n: [e.kind for e in watch.iter_events(session, kommuner=[n]) if e.kind != "plan_appeared"]
            for n in [*slow_numbers, *quick_numbers]
        }
        states = {n: [p.state for p in watch.watched_plans(session, ids[n])] for n in slow_numbers}
    assert kinds == {**{n: ["check_failed"] for n in slow_numbers}, **{n: [] for n in quick_numbers}}
    assert states == {n: ["active"] for n in slow_numbers}, "a timeout never makes a plan suspected"
    engine.dispose()
