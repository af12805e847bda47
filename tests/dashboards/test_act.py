"""The Act pages through the real app (httpx ASGI transport) over a real database: letters, tips, CSRF, limits."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from crawlers.testweb.server import MultiHostServer, Reply, Site
from dashboards.app import create_app
from tests.dashboards.act_seed import FJELLVIK, KILDEBY, NORDMYRA, VIKOY, SeedDoc, seed_check
from tests.tracker.test_tips import PLAN
from tracker.blobs import EvidenceStore
from tracker.config import Settings
from tracker.domain import Category
from tracker.store import database
from tracker.store.models import Sighting, Tip

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
TIP_HOST = "127.81.0.2"


@dataclass
class Dashboard:
    client: httpx.AsyncClient
    factory: sessionmaker[Session]
    evidence: EvidenceStore


async def _dashboard(engine: Engine, tmp_path: Path, **settings: object) -> AsyncIterator[Dashboard]:
    factory = database.make_session_factory(engine)
    evidence = EvidenceStore(tmp_path / "evidence")
    config = Settings(var_dir=tmp_path / "var", per_host_delay=0.0, **settings)  # type: ignore[arg-type]
    app = create_app(config, session_factory=factory, evidence=evidence, now=lambda: NOW, allow_private_networks=True)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield Dashboard(client, factory, evidence)


@pytest.fixture
async def dash(engine: Engine, tmp_path: Path) -> AsyncIterator[Dashboard]:
    async for dashboard in _dashboard(engine, tmp_path, tip_rate_limit=2):
        yield dashboard


@pytest.fixture
def sqlite_engine(tmp_path: Path) -> Iterator[Engine]:
    """One backend is enough for what the page does; the store functions run on both in tests/tracker."""
    engine = database.make_engine(f"sqlite:///{tmp_path / 'pages.sqlite3'}")
    database.upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def refusing_site() -> Iterator[MultiHostServer]:
    """A site that answers 404 to everything: tips to it fail at once (no retries, unlike a closed port)."""
    with MultiHostServer([Site(TIP_HOST, {})]) as server:
        yield server


def _csrf(html: str) -> str:
    match = re.search(r'name="csrf" value="([0-9a-f]{64})"', html)
    assert match, "the form carries no CSRF token"
    return match.group(1)


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("&#34;", '"').replace("&#39;", "'")


async def test_letters_come_in_the_kommune_language_with_missing_criteria(dash: Dashboard) -> None:
    seed_check(
        dash.factory,
        FJELLVIK,
        [SeedDoc("Handlingsplan mot seksuelle overgrep mot barn 2024–2027", criteria={"children_knowledge": True})],
    )
    seed_check(dash.factory, VIKOY, [SeedDoc("Plan mot vald i nære relasjonar", category=Category.GENERAL_VIOLENCE)])
    seed_check(dash.factory, KILDEBY, [], reachable=True)

    nb = await dash.client.get("/act/3901")
    assert nb.status_code == 200
    assert 'lang="nb"' in nb.text and "Til ordføreren og kommunestyret i Fjellvik" in nb.text
    assert "gi de ansatte kunnskap om tegnene på overgrep" in nb.text  # a missing criterion, named
    assert "gi barn og unge kunnskap om kropp" not in nb.text  # the met one is not listed
    assert "script-src 'self'" in nb.headers["content-security-policy"]
    assert '<script src="/static/act.js"' in nb.text and "<script>" not in nb.text

    nn = await dash.client.get("/act/4699")
    assert 'lang="nn"' in nn.text and "Til ordføraren og kommunestyret i Vikøy" in nn.text
    assert "Eg finn berre ein plan mot vald i nære relasjonar" in nn.text

    da = await dash.client.get("/act/0799")
    assert 'lang="da"' in da.text and "Til borgmesteren og kommunalbestyrelsen i Kildeby" in da.text
    assert "beskrive konkrete handleveje" in da.text
    assert "Har du fundet planen?" in da.text  # a Danish kommune's page is in Danish

    assert (await dash.client.get("/act/0000")).status_code == 404
    static = await dash.client.get("/static/act.css")
    assert static.status_code == 200 and "@media print" in static.text


async def test_tip_without_or_with_a_bad_csrf_token_is_refused(sqlite_engine: Engine, tmp_path: Path) -> None:
    async for dash in _dashboard(sqlite_engine, tmp_path):
        await _csrf_refusals(dash)


async def _csrf_refusals(dash: Dashboard) -> None:
    seed_check(dash.factory, NORDMYRA, [])
    page = await dash.client.get("/act/1899")
    token = _csrf(page.text)
    url = "https://www.nordmyra.kommune.no/plan.pdf"
    missing = await dash.client.post("/act/1899/tips", data={"url": url})
    assert missing.status_code == 403
    forged = await dash.client.post("/act/1899/tips", data={"url": url, "csrf": "0" * 64})
    assert forged.status_code == 403
    # the right field without the cookie it signs (another site's form) is refused too
    async with httpx.AsyncClient(transport=dash.client._transport, base_url="http://testserver") as stranger:
        assert (await stranger.post("/act/1899/tips", data={"url": url, "csrf": token})).status_code == 403
    with dash.factory() as session:
        assert session.scalar(select(func.count()).select_from(Tip)) == 0


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.org/plan.pdf",
        "javascript:alert(1)",
        "http://127.0.0.1/plan.pdf",
        "http://10.0.0.7/",
        "http://169.254.169.254/",
    ],
)
async def test_tip_urls_are_validated(sqlite_engine: Engine, tmp_path: Path, url: str) -> None:
    factory = database.make_session_factory(sqlite_engine)
    seed_check(factory, NORDMYRA, [])
    config = Settings(var_dir=tmp_path / "var")
    app = create_app(config, session_factory=factory, evidence=EvidenceStore(tmp_path / "e"), now=lambda: NOW)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as client:
        token = _csrf((await client.get("/act/1899")).text)
        answer = await client.post("/act/1899/tips", data={"url": url, "csrf": token})
    assert answer.status_code == 400
    assert "Tipset ble avvist" in answer.text
    with factory() as session:
        assert session.scalar(select(func.count()).select_from(Tip)) == 0


async def test_the_rate_limit_answers_429_and_survives_a_restart(
    engine: Engine, tmp_path: Path, refusing_site: MultiHostServer
) -> None:
    factory = database.make_session_factory(engine)
    seed_check(factory, NORDMYRA, [])
    statuses = []
    for _restart in range(2):  # a new app over the same database and var folder: the count holds
        async for dash in _dashboard(engine, tmp_path, tip_rate_limit=2):
            token = _csrf((await dash.client.get("/act/1899")).text)
            for n in range(2 if _restart == 0 else 1):
                answer = await dash.client.post(
                    "/act/1899/tips", data={"url": refusing_site.url(TIP_HOST, f"/missing-{n}.pdf"), "csrf": token}
                )
                statuses.append(answer.status_code)
    assert statuses == [303, 303, 429]
    with factory() as session:
        keys = set(session.scalars(select(Tip.client_key)))
    assert len(keys) == 1 and "127.0.0.1" not in next(iter(keys))


@pytest.mark.slow
async def test_a_tip_end_to_end_is_stored_and_marked_missed_by_the_crawler(dash: Dashboard) -> None:
    seed_check(dash.factory, NORDMYRA, [SeedDoc("Nyheter fra Nordmyra", category=Category.OTHER)])
    site = Site(TIP_HOST, {"/oppvekst/plan.pdf": Reply(body=PLAN, content_type="application/pdf")})
    with MultiHostServer([site]) as server:
        token = _csrf((await dash.client.get("/act/1899")).text)
        answer = await dash.client.post(
            "/act/1899/tips",
            data={"url": server.url(TIP_HOST, "/oppvekst/plan.pdf"), "note": "Oppvekst › Planer", "csrf": token},
        )
        assert answer.status_code == 303
        tip_page = await dash.client.get(answer.headers["location"])
    # the ASGI transport returns after the background task, so the tip is processed here
    assert tip_page.status_code == 200
    assert "Lagret som bevis" in tip_page.text
    assert "Funnet av en frivillig, oversett av crawleren" in tip_page.text
    with dash.factory() as session:
        tip = session.scalars(select(Tip)).one()
        sighting = session.get(Sighting, tip.sighting_id)
        assert sighting is not None and sighting.found_via == "tip" and tip.crawler_had_it is False
        sha256 = sighting.document.sha256
    act = await dash.client.get("/act/1899")
    assert "Funnet av en frivillig, oversett av crawleren" in act.text
    # the letter now speaks of the plan the volunteer found
    assert "Planen ble funnet av en frivillig" in _text(act.text)
    assert sha256 in dash.evidence


async def test_detective_tasks_link_to_the_kommune_and_the_tip_form(sqlite_engine: Engine, tmp_path: Path) -> None:
    async for dash in _dashboard(sqlite_engine, tmp_path):
        await _tasks_page(dash)


async def _tasks_page(dash: Dashboard) -> None:
    seed_check(dash.factory, FJELLVIK, [SeedDoc("Plan for oppvekst", confidence=0.35)])
    seed_check(dash.factory, NORDMYRA, [], reachable=False)
    page = await dash.client.get("/act/tasks")
    assert page.status_code == 200
    rows = re.findall(r'data-kommune="(\d+)" data-kind="(\w+)"', page.text)
    assert rows == [("1899", "site_unreachable"), ("3901", "low_confidence")]
    assert 'href="/kommune/3901"' in page.text and 'href="/act/3901#tip"' in page.text
    only = await dash.client.get("/act/tasks", params={"kind": "low_confidence"})
    assert re.findall(r'data-kommune="(\d+)"', only.text) == ["3901"]
    index = await dash.client.get("/act")
    assert "Detektivoppgaver" in index.text and '<option value="3901">Fjellvik (3901)</option>' in index.text
    redirect = await dash.client.get("/act", params={"nr": "3901"})
    assert redirect.status_code == 303 and redirect.headers["location"] == "/act/3901"
