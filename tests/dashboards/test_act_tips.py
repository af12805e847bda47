"""Tip pages keep the volunteer's note for reviewers; tips share one extraction pool for the app's lifetime."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import Engine, select

from crawlers.testweb.server import MultiHostServer, Reply, Site
from dashboards.app import create_app
from tests.dashboards.act_seed import NORDMYRA, seed_check, sync
from tests.tracker.test_tips import PLAN_PAGE
from tracker.blobs import EvidenceStore
from tracker.config import Settings
from tracker.store import database, volunteer_tips
from tracker.store.models import Tip
from tracker.volunteers.tips import SharedExtractor

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
TOKEN = "correct horse battery staple"
TIP_HOST = "127.81.0.3"
NOTE = "Fant den via Oppvekst › Planer — hilsen Ola, nabo til rådmannen"


@pytest.fixture
def sqlite_engine(tmp_path: Path) -> Iterator[Engine]:
    engine = database.make_engine(f"sqlite:///{tmp_path / 'tips.sqlite3'}")
    database.upgrade(engine)
    yield engine
    engine.dispose()


def _app(engine: Engine, tmp_path: Path) -> FastAPI:
    settings = Settings(var_dir=tmp_path / "var", admin_token=TOKEN, per_host_delay=0.0)
    return create_app(
        settings,
        session_factory=database.make_session_factory(engine),
        evidence=EvidenceStore(tmp_path / "evidence"),
        now=lambda: NOW,
        allow_private_networks=True,
    )


def _client(app: FastAPI) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")


def _csrf(html: str) -> str:
    match = re.search(r'name="csrf" value="([0-9a-f]{64})"', html)
    assert match
    return match.group(1)


async def test_the_note_is_shown_only_to_a_signed_in_reviewer(sqlite_engine: Engine, tmp_path: Path) -> None:
    factory = database.make_session_factory(sqlite_engine)
    ids = sync(factory, NORDMYRA)
    with factory.begin() as session:
        tip_id = volunteer_tips.add_tip(
            session,
            kommune_id=ids["1899"],
            url="https://www.nordmyra.kommune.no/plan.pdf",
            note=NOTE,
            client_key="k",
            now=NOW,
        ).id
    async with _client(_app(sqlite_engine, tmp_path)) as client:
        public = await client.get(f"/act/tips/{tip_id}")
        assert public.status_code == 200
        assert "https://www.nordmyra.kommune.no/plan.pdf" in public.text  # what the tip is about stays public
        assert "hilsen Ola" not in public.text and 'id="tip-note"' not in public.text
        csrf = _csrf((await client.get("/review")).text)
        signed_in = await client.post("/review/login", data={"name": "Kari", "token": TOKEN, "csrf": csrf})
        assert signed_in.status_code == 303
        reviewer = await client.get(f"/act/tips/{tip_id}")
        assert 'id="tip-note"' in reviewer.text and "hilsen Ola, nabo til rådmannen" in reviewer.text


@pytest.mark.slow
async def test_two_tips_share_one_extraction_worker_closed_with_the_app(sqlite_engine: Engine, tmp_path: Path) -> None:
    factory = database.make_session_factory(sqlite_engine)
    seed_check(factory, NORDMYRA, [])
    site = Site(TIP_HOST, {f"/plan-{n}": Reply(body=PLAN_PAGE + f"<!-- {n} -->") for n in range(2)})
    app = _app(sqlite_engine, tmp_path)
    pids: list[tuple[int, ...]] = []
    with MultiHostServer([site]) as server:
        async with app.router.lifespan_context(app), _client(app) as client:
            shared = app.state.extractor
            assert isinstance(shared, SharedExtractor) and shared.worker_pids() == ()  # nothing started yet
            for n in range(2):
                csrf = _csrf((await client.get("/act/1899")).text)
                answer = await client.post(
                    "/act/1899/tips", data={"url": server.url(TIP_HOST, f"/plan-{n}"), "csrf": csrf}
                )
                assert answer.status_code == 303
                pids.append(shared.worker_pids())
    with factory() as session:
        states = list(session.scalars(select(Tip.state).order_by(Tip.id)))
    assert states == ["stored", "stored"]
    assert shared.starts == 1 and len(pids[0]) == 1 and pids[0] == pids[1]
    # the lifespan's end stopped the worker: no extraction process outlives the app
    assert app.state.extractor is None and shared.worker_pids() == ()
    with pytest.raises(ProcessLookupError):
        os.kill(pids[0][0], 0)
