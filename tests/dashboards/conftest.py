"""One crawl of the demo web (plus a hostile site) per test session, and the dashboard served over it.

The demo web's kommuner are crawled by the real pipeline (fetch, discover, render, extract, classify, store) into
a SQLite file. `scanned` (OCR, seconds of CPU) and `slow` (0.8 s a page) are left out: they add nothing the
dashboard shows that other scenarios do not. A hostile site, Skriptvik, carries `<script>` in its plan's title and
in the link text; the pages must show it as text.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from crawlers.extract import Extractor
from crawlers.testweb import DemoWeb, MultiHostServer, build_demo_web
from crawlers.testweb.pages import Look, article_html, link_list
from crawlers.testweb.plantexts import abuse_plan
from crawlers.testweb.sitebuilder import SiteBuilder
from crawlers.types import CrawlOptions
from dashboards.app import create_app
from tests.dashboards.serving import serve_in_thread
from tracker.blobs import EvidenceStore
from tracker.config import Settings
from tracker.domain import Country, Kommune
from tracker.pipeline import run_crawl
from tracker.site_check import CrawlDependencies
from tracker.store import database
from tracker.store.models import Event, KommuneRow

LEFT_OUT = ("scanned", "slow")
HOSTILE_HOST = "127.79.0.1"
HOSTILE_NUMBER = "9950"
SCRIPT = "<script>document.title='pwned'</script>"
#: fylke/region given to the demo kommuner so region filters have something to filter
REGIONS = {"NO": [("46", "Vestland"), ("18", "Nordland")], "DK": [("1083", "Region Syddanmark")]}


@dataclass
class Crawled:
    web: DemoWeb
    settings: Settings
    factory: sessionmaker[Session]
    evidence: EvidenceStore
    kommuner: list[Kommune]
    hostile_title: str

    def number(self, scenario: str) -> str:
        return self.web.kommune(scenario).kommunenummer


def _hostile_site(year: int) -> tuple[SiteBuilder, str]:
    look = Look(kommune="Skriptvik", lang="nb", menu=(("Tjenester", "/tjenester"),), search_action="/sok")
    builder = SiteBuilder(HOSTILE_HOST, look)
    builder.add_page("/tjenester", "Tjenester", "<p>Tjenester i Skriptvik.</p>")
    title = f"{SCRIPT}Handlingsplan mot seksuelle overgrep mot barn {year - 1}–{year + 2}"
    doc = abuse_plan("nb", "Skriptvik", year - 1, year + 2, title=title)
    path = "/tjenester/handlingsplan-overgrep"
    builder.add_page(path, title, article_html(doc), parent="/tjenester", in_sitemap=False, searchable=False)
    builder.front(link_list([(f"{SCRIPT}Handlingsplan mot seksuelle overgrep", path)]))
    return builder, title


def _registry(web: DemoWeb, hostile_url: str) -> list[Kommune]:
    kommuner = []
    for index, k in enumerate(x for x in web.kommuner if x.scenario not in LEFT_OUT):
        code, region = REGIONS[k.country][index % len(REGIONS[k.country])]
        kommuner.append(
            Kommune(k.kommunenummer, k.name, Country(k.country), k.website, region_code=code, region=region)
        )
    kommuner.append(Kommune(HOSTILE_NUMBER, "Skriptvik", Country.NO, hostile_url, region_code="46", region="Vestland"))
    return kommuner


def _add_events(factory: sessionmaker[Session], web: DemoWeb, now: datetime) -> None:
    """Events as the change detector writes them (a few of each kind the pages must show)."""
    with factory.begin() as session:
        ids = {row.kommunenummer: row.id for row in session.scalars(select(KommuneRow))}
        for offset, (scenario, kind) in enumerate(
            [
                ("menu", "plan_changed"),
                ("expired", "plan_vanished"),
                ("robots", "plan_moved"),
                ("down", "crawler_blocked"),
            ]
        ):
            number = web.kommune(scenario).kommunenummer
            session.add(
                Event(
                    uuid=str(uuid.uuid4()),
                    kind=kind,
                    kommune_id=ids[number],
                    url=f"https://example.test/{scenario}/plan.pdf",
                    previous_url=f"https://example.test/{scenario}/old.pdf" if kind == "plan_moved" else None,
                    detected_at=now + timedelta(minutes=offset + 1),
                    evidence={"test": scenario},
                )
            )


@pytest.fixture(scope="session")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crawled]:
    tmp = tmp_path_factory.mktemp("dashboard")
    settings = Settings(var_dir=tmp / "var", database_url=f"sqlite:///{tmp / 'planvakt.sqlite3'}")
    engine = database.make_engine(settings.resolved_database_url)
    database.upgrade(engine)
    factory = database.make_session_factory(engine)
    evidence = EvidenceStore(settings.resolved_evidence_dir)
    hostile, hostile_title = _hostile_site(datetime.now(UTC).year)
    with build_demo_web() as web, MultiHostServer([hostile.build()]) as hostile_server:
        kommuner = _registry(web, hostile_server.base_url(HOSTILE_HOST))
        options = CrawlOptions(per_host_delay=0.02, concurrency=16, max_pages_per_site=120, allow_private_networks=True)

        async def crawl() -> None:
            async with Extractor(workers=2) as extractor:
                await run_crawl(kommuner, options, CrawlDependencies(factory, evidence, extractor))

        asyncio.run(crawl())
        _add_events(factory, web, datetime.now(UTC))
        yield Crawled(web, settings, factory, evidence, kommuner, hostile_title)
    engine.dispose()


@pytest.fixture(scope="session")
def base_url(crawled: Crawled) -> Iterator[str]:
    """The dashboard over the crawled database, served by uvicorn on 127.0.0.1."""
    app = create_app(crawled.settings, session_factory=crawled.factory, evidence=crawled.evidence)
    with serve_in_thread(app) as url:
        yield url
