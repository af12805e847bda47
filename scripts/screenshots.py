"""Take README's screenshots of the map and the trends over the demo data, with real Chromium.

    .venv/bin/python scripts/screenshots.py [FOLDER]   # writes docs/map.png, docs/trends.png, docs/phone-map.png

With FOLDER, the crawled database is kept there and reused by the next run (only the pictures are retaken).

Crawls the demo web (crawlers.testweb, the same seventeen kommuner as `planvakt demo`) three times with the real
pipeline into a throwaway SQLite database, so the trend has three sweeps. In the first two sweeps some demo sites
are switched off (their registry entry points at a loopback address where nothing listens), as a kommune's site
sometimes is; the third sweep reaches them all. Then serves the dashboard with uvicorn on 127.0.0.1 and takes the
pictures with Debian's Chromium through Playwright. Takes a few minutes on the shared 2-core machine.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from crawlers.extract import Extractor  # noqa: E402
from crawlers.render import CHROMIUM_ARGS  # noqa: E402
from crawlers.testweb import DemoWeb, build_demo_web  # noqa: E402
from crawlers.types import CrawlOptions  # noqa: E402
from dashboards.app import create_app  # noqa: E402
from tests.dashboards.serving import serve_in_thread  # noqa: E402
from tracker.blobs import EvidenceStore  # noqa: E402
from tracker.config import Settings  # noqa: E402
from tracker.domain import Country, Kommune  # noqa: E402
from tracker.pipeline import run_crawl  # noqa: E402
from tracker.site_check import CrawlDependencies  # noqa: E402
from tracker.store.database import make_engine, make_session_factory, upgrade  # noqa: E402

DOCS = ROOT / "docs"
#: scenarios whose site is switched off in sweeps 1 and 2 (sweep 3 reaches every site)
OFF = (
    ("menu", "deep", "javascript", "general_only", "html_plan", "robots", "docx_plan", "scanned", "slow"),
    ("javascript", "html_plan", "scanned", "slow"),
    (),
)
NOBODY_HOME = "http://127.77.9.9:9"  # a loopback address and port where nothing listens


def registry(web: DemoWeb, off: tuple[str, ...]) -> list[Kommune]:
    return [
        Kommune(
            k.kommunenummer,
            k.name,
            Country(k.country),
            NOBODY_HOME if k.scenario in off else k.website,
            region_code=k.region_code,
            region=k.region,
        )
        for k in web.kommuner
    ]


def crawl(settings: Settings) -> None:
    engine = make_engine(settings.resolved_database_url)
    upgrade(engine)
    factory = make_session_factory(engine)
    evidence = EvidenceStore(settings.resolved_evidence_dir)
    options = CrawlOptions(per_host_delay=0.02, concurrency=16, max_pages_per_site=120, allow_private_networks=True)
    with build_demo_web() as web:
        for sweep, off in enumerate(OFF, start=1):
            kommuner = registry(web, off)

            async def run(kommuner: list[Kommune] = kommuner) -> None:
                async with Extractor(workers=2) as extractor:
                    await run_crawl(kommuner, options, CrawlDependencies(factory, evidence, extractor))

            asyncio.run(run())
            print(f"sweep {sweep} done ({len(off)} sites off)")
    engine.dispose()


def photograph(settings: Settings) -> None:
    engine = make_engine(settings.resolved_database_url)
    app = create_app(settings, session_factory=make_session_factory(engine))
    with serve_in_thread(app) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=list(CHROMIUM_ARGS))
        desktop = browser.new_page(viewport={"width": 1100, "height": 900})
        desktop.goto(url + "/")
        desktop.locator("section[aria-labelledby=map-heading]").screenshot(path=str(DOCS / "map.png"))
        desktop.goto(url + "/trends")
        desktop.locator("main").screenshot(path=str(DOCS / "trends.png"))
        phone = browser.new_page(viewport={"width": 390, "height": 844}, device_scale_factor=1, is_mobile=True)
        phone.goto(url + "/")
        phone.locator("section[aria-labelledby=map-heading]").screenshot(path=str(DOCS / "phone-map.png"))
        browser.close()
    engine.dispose()


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tmp)
        database = folder / "demo.sqlite3"
        settings = Settings(var_dir=folder / "var", database_url=f"sqlite:///{database}")
        if not database.exists():
            crawl(settings)
        photograph(settings)
    for name in ("map.png", "trends.png", "phone-map.png"):
        print(f"wrote docs/{name} ({(DOCS / name).stat().st_size // 1024} kB)")


if __name__ == "__main__":
    main()
