"""Our own failures are never findings: a crawl that crashes, or a document our parser could not read in time, is a
failed check on our side: tried again, counted in the run's errors, told to the operator, and nothing is stored
about the kommune (no check, no "no plan", no event), so its last finding stands.

Real loopback sites, a real SQLite database and the real extraction sandbox.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import func, select

from crawlers.errors import RenderError
from crawlers.extract import Extractor
from crawlers.fetch import Fetcher
from crawlers.render import RenderBudget, RenderedPage
from crawlers.render_cache import RenderCache
from crawlers.sweep import SITE_ATTEMPTS, crawl_sites
from crawlers.testweb.documents import pdf_bytes
from crawlers.testweb.plantexts import abuse_plan
from crawlers.testweb.server import MultiHostServer, Reply, Site
from crawlers.types import CrawlOptions, SiteCrawl
from tests.crawlers.conftest import html_page
from tracker.blobs import EvidenceStore
from tracker.domain import Country, Kommune, Status
from tracker.pipeline import run_crawl
from tracker.site_check import CrawlDependencies
from tracker.store import database
from tracker.store.models import CrawlRun, Finding, SiteCheck

PLAN = pdf_bytes(abuse_plan("nb", "Feilvik", 2025, 2028))
OPTIONS = CrawlOptions(
    per_host_delay=0.0,
    max_pages_per_site=10,
    render="never",
    allow_private_networks=True,
    timeout=3.0,
    retry_backoff=0.01,
    search_queries=("handlingsplan seksuelle overgrep",),
)


class Recorder:
    def __init__(self) -> None:
        self.done: dict[str, Status] = {}
        self.failed: dict[str, str] = {}

    def planned(self, total: int) -> None:
        return None

    def crawling(self, pages: int, in_flight: int) -> None:
        return None

    def site_done(self, kommune: Kommune, status: Status, pages: int) -> None:
        self.done[kommune.kommunenummer] = status

    def site_failed(self, kommune: Kommune, reason: str) -> None:
        self.failed[kommune.kommunenummer] = reason


def plan_site(host: str) -> Site:
    return Site(
        host,
        {
            "/": Reply(body=html_page("Forside", '<a href="/plan.pdf">Handlingsplan mot seksuelle overgrep</a>')),
            "/plan.pdf": Reply(body=PLAN, content_type="application/pdf"),
        },
    )


async def test_a_parser_that_times_out_is_our_failure_not_no_plan(tmp_path: Path) -> None:
    engine = database.make_engine(f"sqlite:///{tmp_path / 'planvakt.sqlite3'}")
    database.upgrade(engine)
    factory = database.make_session_factory(engine)
    site = plan_site("127.79.9.1")
    with MultiHostServer([site]) as server:
        kommuner = [Kommune("9901", "Feilvik", Country.NO, server.base_url(site.host))]
        recorder = Recorder()
        # a deadline no parser can meet: both tries time out, on our side
        async with Extractor(workers=1, timeout_s=0.0001) as extractor:
            deps = CrawlDependencies(factory, EvidenceStore(tmp_path / "evidence"), extractor, progress=recorder)
            failed_run = await run_crawl(kommuner, OPTIONS, deps)
        assert recorder.done == {} and "could not be read on our side" in recorder.failed["9901"]
        with factory() as session:
            assert session.scalar(select(func.count()).select_from(SiteCheck)) == 0
            assert session.scalar(select(func.count()).select_from(Finding)) == 0
            run = session.get(CrawlRun, failed_run)
            assert run is not None and run.errors == 1 and run.state == "finished"

        recorder = Recorder()
        async with Extractor(workers=1) as extractor:
            deps = CrawlDependencies(factory, EvidenceStore(tmp_path / "evidence"), extractor, progress=recorder)
            await run_crawl(kommuner, OPTIONS, deps)
        assert recorder.done == {"9901": Status.ABUSE_SPECIFIC_PLAN} and recorder.failed == {}


class CrashingRenderer:
    """A browser that keeps dying: `RenderError` is ours (the renderer already relaunched once)."""

    def __init__(self) -> None:
        self.calls = 0

    def new_budget(self) -> RenderBudget:
        return RenderBudget(60.0)

    async def render_page(
        self, url: str, *, budget: RenderBudget | None = None, cache: RenderCache | None = None
    ) -> RenderedPage:
        self.calls += 1
        raise RenderError(url, "Browser.new_page: Target page, context or browser has been closed")


async def test_a_crashing_crawl_is_retried_then_delivered_as_our_failure() -> None:
    site = plan_site("127.79.9.2")
    results: dict[str, SiteCrawl] = {}
    renderer = CrashingRenderer()
    with MultiHostServer([site]) as server:
        url = server.base_url(site.host) + "/"
        always = CrawlOptions(**{**OPTIONS.__dict__, "render": "always"})
        async with Fetcher(always) as fetcher:
            await crawl_sites(
                [url],
                always,
                lambda u, c: results.__setitem__(u, c),
                fetcher=fetcher,
                renderer=renderer,  # type: ignore[arg-type]
            )
    crawl = results[url]
    assert renderer.calls == SITE_ATTEMPTS
    assert crawl.our_failure is not None and "RenderError" in crawl.our_failure
    assert crawl.documents == () and crawl.pages_fetched == 0


@pytest.mark.browser
@pytest.mark.slow
async def test_a_render_cut_by_our_cap_is_our_failure_not_a_finding(tmp_path: Path) -> None:
    """A front page whose script never lets its DOM rest is cut by our per-page cap on every try: the check fails on
    our side and nothing about the kommune is stored (no "no plan" from half a page)."""
    engine = database.make_engine(f"sqlite:///{tmp_path / 'planvakt.sqlite3'}")
    database.upgrade(engine)
    factory = database.make_session_factory(engine)
    ticker = (
        '<a href="/plan.pdf">Handlingsplan mot seksuelle overgrep</a><p id="klokke">0</p><script>let n = 0; '
        'setInterval(() => { document.getElementById("klokke").textContent = String(++n); }, 100);</script>'
    )
    site = plan_site("127.79.9.3")
    site.set("/", Reply(body=html_page("Forside", ticker)))
    capped = replace(OPTIONS, render="always", render_page_seconds=1.5, max_pages_per_site=3)
    with MultiHostServer([site]) as server:
        kommuner = [Kommune("9903", "Tikkvik", Country.NO, server.base_url(site.host))]
        recorder = Recorder()
        async with Extractor(workers=1) as extractor:
            deps = CrawlDependencies(factory, EvidenceStore(tmp_path / "evidence"), extractor, progress=recorder)
            run_id = await run_crawl(kommuner, capped, deps)
        front_page_renders = [e for e in server.request_log if e.path_with_query == "/" and e.user_agent]
    assert (
        recorder.done == {}
        and "cut by our cap of 1.5s twice, the last time before it settled" in recorder.failed["9903"]
    )
    with factory() as session:
        assert session.scalar(select(func.count()).select_from(SiteCheck)) == 0
        assert session.scalar(select(func.count()).select_from(Finding)) == 0
        run = session.get(CrawlRun, run_id)
        assert run is not None and run.errors == 1
    # each site attempt fetched the page and rendered it twice (tried once more when cut): the first render was
    # handed the fetch (crawlers.render_cache), the second asked the site again
    assert len(front_page_renders) == SITE_ATTEMPTS * 2


async def test_no_plan_is_never_a_verdict_when_our_rendering_budget_left_script_pages_unread(tmp_path: Path) -> None:
    """A site whose menu is built by script, crawled with no rendering time left: "no plan" would be a guess about
    the pages behind the menu, so the check fails on our side. The same budget on a site that links its plan in
    plain HTML still gives its verdict: the cut only matters when the plan was not found."""
    engine = database.make_engine(f"sqlite:///{tmp_path / 'planvakt.sqlite3'}")
    database.upgrade(engine)
    factory = database.make_session_factory(engine)
    menu_script = (
        '<nav id="meny"></nav><script>const a = document.createElement("a"); a.href = "/planer"; '
        'a.textContent = "Planer"; document.getElementById("meny").appendChild(a);</script>'
    )
    scripted = plan_site("127.79.9.4")
    scripted.set("/", Reply(body=html_page("Forside", menu_script)))
    scripted.set("/planer", Reply(body=html_page("Planer", '<a href="/plan.pdf">Handlingsplan</a>')))
    plain = plan_site("127.79.9.5")
    plain.set("/", Reply(body=html_page("Forside", '<a href="/plan.pdf">Handlingsplan</a>' + menu_script)))
    no_time = replace(OPTIONS, render="auto", render_budget_per_site=0.1, max_pages_per_site=5)
    with MultiHostServer([scripted, plain]) as server:
        kommuner = [
            Kommune("9904", "Skriptvik", Country.NO, server.base_url(scripted.host)),
            Kommune("9905", "Lenkevik", Country.NO, server.base_url(plain.host)),
        ]
        recorder = Recorder()
        async with Extractor(workers=1) as extractor:
            deps = CrawlDependencies(factory, EvidenceStore(tmp_path / "evidence"), extractor, progress=recorder)
            run_id = await run_crawl(kommuner, no_time, deps)
    assert set(recorder.failed) == {"9904"} and "rendering budget spent before" in recorder.failed["9904"]
    assert recorder.done == {"9905": Status.ABUSE_SPECIFIC_PLAN}
    with factory() as session:
        assert session.scalar(select(func.count()).select_from(Finding)) == 1
        assert session.scalar(select(func.count()).select_from(SiteCheck)) == 1  # the failed one wrote nothing
        run = session.get(CrawlRun, run_id)
        assert run is not None and run.kommuner_checked == 1
