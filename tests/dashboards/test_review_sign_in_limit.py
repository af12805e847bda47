"""Review sign-in is rate-limited per client: failed attempts count, the 11th answers 429 with Retry-After."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import Engine

from dashboards.app import create_app
from dashboards.reviewer import SIGN_IN_ATTEMPTS, SIGN_IN_WINDOW, SignInLimiter
from tracker.blobs import EvidenceStore
from tracker.config import Settings
from tracker.store import database

TOKEN = "correct horse battery staple"
START = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def sqlite_engine(tmp_path: Path) -> Iterator[Engine]:
    engine = database.make_engine(f"sqlite:///{tmp_path / 'limit.sqlite3'}")
    database.upgrade(engine)
    yield engine
    engine.dispose()


def _app(engine: Engine, tmp_path: Path, clock: Clock) -> FastAPI:
    settings = Settings(var_dir=tmp_path / "var", admin_token=TOKEN)
    return create_app(
        settings,
        session_factory=database.make_session_factory(engine),
        evidence=EvidenceStore(tmp_path / "e"),
        now=clock,
    )


def _client(app: FastAPI, host: str = "127.0.0.1") -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=(host, 50000))
    return httpx.AsyncClient(transport=transport, base_url="http://testserver")


def _csrf(html: str) -> str:
    match = re.search(r'name="csrf" value="([0-9a-f]{64})"', html)
    assert match
    return match.group(1)


async def _attempt(client: httpx.AsyncClient, token: str) -> httpx.Response:
    csrf = _csrf((await client.get("/review")).text)
    return await client.post("/review/login", data={"name": "Mallory", "token": token, "csrf": csrf})


async def test_failed_sign_ins_are_limited_per_client_and_the_window_slides(
    sqlite_engine: Engine, tmp_path: Path
) -> None:
    clock = Clock()
    async with _client(_app(sqlite_engine, tmp_path, clock)) as client:
        statuses = []
        for n in range(SIGN_IN_ATTEMPTS):
            clock.now = START + timedelta(seconds=n)
            statuses.append((await _attempt(client, f"guess-{n}")).status_code)
        assert statuses == [401] * SIGN_IN_ATTEMPTS
        # the 11th is refused before the token is compared: even the right token does not get in
        limited = await _attempt(client, TOKEN)
        assert limited.status_code == 429
        assert int(limited.headers["retry-after"]) == int(SIGN_IN_WINDOW.total_seconds()) - (SIGN_IN_ATTEMPTS - 1)
        assert 'id="sign-in-limited"' in limited.text and "planvakt_review" not in limited.headers.get("set-cookie", "")
        # once the first failure leaves the window, one more attempt is allowed
        clock.now = START + SIGN_IN_WINDOW + timedelta(seconds=0.5)
        assert (await _attempt(client, TOKEN)).status_code == 303
        assert "Innlogget som Mallory" in (await client.get("/review")).text


async def test_successful_sign_ins_do_not_count_and_other_clients_are_not_blocked(
    sqlite_engine: Engine, tmp_path: Path
) -> None:
    app = _app(sqlite_engine, tmp_path, Clock())
    async with _client(app) as client:
        for _ in range(SIGN_IN_ATTEMPTS + 2):
            assert (await _attempt(client, TOKEN)).status_code == 303
        for n in range(SIGN_IN_ATTEMPTS):
            await _attempt(client, f"guess-{n}")
        assert (await _attempt(client, TOKEN)).status_code == 429
    # another client of the same app is not affected: the limiter counts per client address
    async with _client(app, host="127.0.0.9") as other:
        assert (await _attempt(other, TOKEN)).status_code == 303


def test_the_limiter_forgets_the_stalest_clients_beyond_its_bound() -> None:
    limiter = SignInLimiter(attempts=1, max_clients=3)
    for n in range(5):
        limiter.record_failure(f"client-{n}", START + timedelta(seconds=n))
    later = START + timedelta(seconds=10)
    assert [limiter.retry_after(f"client-{n}", later) > 0 for n in range(5)] == [False, False, True, True, True]
