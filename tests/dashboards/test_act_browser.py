"""The write side in a real browser (Playwright + Debian Chromium): a volunteer submits a tip through the form and
sees it show up; a reviewer signs in and overrides a finding; axe-core finds no serious accessibility violation on
the Act, tip, task and Review pages. Screenshots go to tests/artifacts/ (git-ignored).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from crawlers.render import CHROMIUM_ARGS
from crawlers.testweb.server import MultiHostServer, Reply, Site
from dashboards.app import create_app
from tests.dashboards.act_seed import FJELLVIK, KILDEBY, NORDMYRA, SeedDoc, seed_check
from tests.dashboards.serving import serve_in_thread
from tests.tracker.test_tips import PLAN
from tracker.blobs import EvidenceStore
from tracker.config import Settings
from tracker.domain import Category
from tracker.store import database

pytestmark = [pytest.mark.slow, pytest.mark.browser]

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / ".axe" / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "tests" / "artifacts"
TIP_HOST = "127.81.0.3"
TOKEN = "browser-review-token"


@dataclass
class Served:
    url: str
    tip_site: MultiHostServer


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    tmp = tmp_path_factory.mktemp("act-browser")
    settings = Settings(var_dir=tmp / "var", database_url=f"sqlite:///{tmp / 'act.sqlite3'}", admin_token=TOKEN)
    engine = database.make_engine(settings.resolved_database_url)
    database.upgrade(engine)
    factory = database.make_session_factory(engine)
    seed_check(factory, NORDMYRA, [SeedDoc("Nyheter fra Nordmyra", category=Category.OTHER)])
    seed_check(factory, FJELLVIK, [SeedDoc("Plan for oppvekst", confidence=0.35)])
    seed_check(factory, KILDEBY, [], reachable=False)
    app = create_app(
        settings, session_factory=factory, evidence=EvidenceStore(tmp / "evidence"), allow_private_networks=True
    )
    site = Site(TIP_HOST, {"/oppvekst/handlingsplan.pdf": Reply(body=PLAN, content_type="application/pdf")})
    with MultiHostServer([site]) as tip_site, serve_in_thread(app) as url:
        yield Served(url, tip_site)
    engine.dispose()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=list(CHROMIUM_ARGS))
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    # bypass_csp only so axe can be injected; the app's own pages run under their strict CSP
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


def _screenshot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"dashboard-{name}.png"), full_page=True)


def test_a_volunteer_submits_a_tip_and_sees_it_show_up(page: Page, served: Served) -> None:
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(served.url + "/act/1899")
    expect(page.locator("article.letter")).to_contain_text("Til ordføreren og kommunestyret i Nordmyra")
    expect(page.locator("button.copy-letter")).to_be_visible()  # act.js ran under the CSP
    page.fill("#tip-url", served.tip_site.url(TIP_HOST, "/oppvekst/handlingsplan.pdf"))
    page.fill("#tip-note", "Oppvekst › Planer og styringsdokumenter")
    page.click("form.tip button[type=submit]")
    page.wait_for_url("**/act/tips/*")
    # the page refreshes itself until the background task is done
    expect(page.locator("#tip-state")).to_have_text("Lagret som bevis", timeout=30_000)
    expect(page.locator("p.missed")).to_have_text("Funnet av en frivillig, oversett av crawleren")
    expect(page.locator(".tip-category")).to_have_text("Plan mot seksuelle overgrep")
    _screenshot(page, "act-tip")
    page.goto(served.url + "/act/1899")
    expect(page.locator("ul.tips li").first).to_contain_text("Funnet av en frivillig, oversett av crawleren")
    expect(page.locator("article.letter")).to_contain_text("Planen ble funnet av en frivillig")
    assert errors == []


def test_a_reviewer_overrides_a_finding_beside_the_machine(page: Page, served: Served) -> None:
    page.goto(served.url + "/review")
    page.fill("#review-name", "Kari Nordmann")
    page.fill("#review-token", TOKEN)
    page.click("form.review button[type=submit]")
    expect(page.locator("#reviewer")).to_have_text("Innlogget som Kari Nordmann")
    page.goto(served.url + "/review/0799")
    page.select_option("#finding-value", "no_plan_found")
    page.fill("#finding-reason", "Hjemmesiden er oppe igen; intet beredskab fundet manuelt")
    page.click("#finding-heading ~ form button[type=submit]")
    expect(page.locator("#finding-machine")).to_contain_text("Nettstedet svarte ikke")
    expect(page.locator("#finding-override")).to_contain_text("Ingen plan funnet")
    expect(page.locator("#finding-override")).to_contain_text("Kari Nordmann")
    _screenshot(page, "review-kommune")


PAGES = {"act": "/act", "act-kommune": "/act/3901", "act-da": "/act/0799", "tasks": "/act/tasks", "review": "/review"}
#: pages only a signed-in reviewer sees
REVIEWER_PAGES = {
    "review-signed-in": "/review",
    "review-kommune-form": "/review/3901",
    "subscriptions": "/review/subscriptions",
}


def _sign_in(page: Page, served: Served) -> None:
    page.goto(served.url + "/review")
    page.fill("#review-name", "Axe Reviewer")
    page.fill("#review-token", TOKEN)
    page.click("form.review button[type=submit]")
    expect(page.locator("#reviewer")).to_have_text("Innlogget som Axe Reviewer")


@pytest.mark.parametrize("name", [*PAGES, *REVIEWER_PAGES])
def test_axe_finds_no_serious_violations_on_the_write_side(page: Page, served: Served, name: str) -> None:
    assert AXE.is_file(), "axe-core is missing: run `make axe` (npm install axe-core into .axe/)"
    if name in REVIEWER_PAGES:
        _sign_in(page, served)
    page.goto(served.url + {**PAGES, **REVIEWER_PAGES}[name])
    assert page.url.endswith({**PAGES, **REVIEWER_PAGES}[name]), "redirected away: not signed in?"
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes'][:3]]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []
    _screenshot(page, name)
