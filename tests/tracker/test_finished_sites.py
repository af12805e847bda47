"""A finished site whose kommune has a second known address (`website_alt`) is not called unreachable at once: the
run sweeps the second addresses after the first sweep (`tracker.finished_sites.FinishedSites.unreachable`), and a
kommune without one is stored unreachable. Real loopback sites (the first address: a loopback host nothing listens
on) and a real SQLite database."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from crawlers.extract import Extractor
from crawlers.testweb.server import MultiHostServer
from tests.tracker.test_our_failures import OPTIONS, Recorder, plan_site
from tracker.blobs import EvidenceStore
from tracker.domain import Country, Kommune, Status
from tracker.pipeline import run_crawl
from tracker.site_check import CrawlDependencies
from tracker.store import database
from tracker.store.models import KommuneRow, SiteCheck


async def test_an_unreachable_site_is_tried_at_its_second_address_before_it_is_called_unreachable(
    tmp_path: Path,
) -> None:
    engine = database.make_engine(f"sqlite:///{tmp_path / 'planvakt.sqlite3'}")
    database.upgrade(engine)
    factory = database.make_session_factory(engine)
    site = plan_site("127.79.18.1")
    with MultiHostServer([site]) as server:
        nowhere = f"http://127.79.18.2:{server.port_of(site.host)}"  # same port, a host nobody serves
        second = server.base_url(site.host)
        kommuner = [
            Kommune("9911", "Tovik", Country.NO, nowhere, website_alt=second),
            Kommune("9912", "Ingenvik", Country.NO, nowhere),
        ]
        recorder = Recorder()
        async with Extractor(workers=1) as extractor:
            deps = CrawlDependencies(factory, EvidenceStore(tmp_path / "evidence"), extractor, progress=recorder)
            await run_crawl(kommuner, OPTIONS, deps)
    assert recorder.done == {"9911": Status.ABUSE_SPECIFIC_PLAN, "9912": Status.SITE_UNREACHABLE}
    with factory() as session:
        rows = session.execute(
            select(KommuneRow.kommunenummer, SiteCheck).join(SiteCheck, SiteCheck.kommune_id == KommuneRow.id)
        )
        checks = {number: check for number, check in rows}
    assert checks["9911"].reachable and checks["9911"].start_url.startswith(second)
    assert not checks["9912"].reachable and checks["9912"].start_url.startswith(nowhere)
