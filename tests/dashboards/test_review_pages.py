"""The Review pages through the real app: sign-in with the admin token, overrides beside the machine, history."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine

from dashboards.app import create_app
from tests.dashboards.act_seed import FJELLVIK, NORDMYRA, SeedDoc, seed_check
from tracker.blobs import EvidenceStore
from tracker.config import Settings
from tracker.domain import Category
from tracker.export import FINDINGS_COLUMNS, PLANS_COLUMNS, finding_records, plan_records, write_records
from tracker.store import database, latest, reviews

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
TOKEN = "correct horse battery staple"


def _app(engine: Engine, tmp_path: Path, admin_token: str = TOKEN) -> httpx.AsyncClient:
    settings = Settings(var_dir=tmp_path / "var", admin_token=admin_token)
    app = create_app(
        settings,
        session_factory=database.make_session_factory(engine),
        evidence=EvidenceStore(tmp_path / "evidence"),
        now=lambda: NOW,
    )
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")


@pytest.fixture
async def client(engine: Engine, tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    async with _app(engine, tmp_path) as client:
        yield client


def _csrf(html: str) -> str:
    match = re.search(r'name="csrf" value="([0-9a-f]{64})"', html)
    assert match
    return match.group(1)


async def _sign_in(client: httpx.AsyncClient, name: str = "Kari Nordmann") -> str:
    token = _csrf((await client.get("/review")).text)
    answer = await client.post("/review/login", data={"name": name, "token": TOKEN, "csrf": token})
    assert answer.status_code == 303
    return token


async def test_review_is_off_without_an_admin_token(engine: Engine, tmp_path: Path) -> None:
    async with _app(engine, tmp_path, admin_token="") as client:
        page = await client.get("/review")
        assert page.status_code == 403 and "PLANVAKT_ADMIN_TOKEN" in page.text
        assert 'name="token"' not in page.text
        assert (await client.post("/review/1899/findings/1", data={"value": "x", "reason": "y"})).status_code == 403


async def test_sign_in_needs_the_token_and_gives_a_strict_signed_cookie(client: httpx.AsyncClient) -> None:
    page = await client.get("/review")
    assert page.status_code == 200 and 'name="token"' in page.text
    token = _csrf(page.text)
    wrong = await client.post("/review/login", data={"name": "Mallory", "token": "guess", "csrf": token})
    assert wrong.status_code == 401 and "Feil nøkkel." in wrong.text
    no_csrf = await client.post("/review/login", data={"name": "Mallory", "token": TOKEN})
    assert no_csrf.status_code == 403
    right = await client.post("/review/login", data={"name": "Kari Nordmann", "token": TOKEN, "csrf": token})
    assert right.status_code == 303
    cookie = next(h for h in right.headers.get_list("set-cookie") if h.startswith("planvakt_review="))
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie
    signed_in = await client.get("/review")
    assert "Innlogget som Kari Nordmann" in signed_in.text

    # a forged or altered cookie is worth nothing
    value = client.cookies["planvakt_review"]
    issued, name, signature = value.split(".")
    client.cookies.set("planvakt_review", f"{issued}.{'T2xh'}.{signature}")
    assert 'name="token"' in (await client.get("/review")).text


async def test_finding_override_is_shown_beside_the_verdict_kept_and_exported(
    client: httpx.AsyncClient, engine: Engine
) -> None:
    factory = database.make_session_factory(engine)
    finding_id = seed_check(factory, NORDMYRA, [SeedDoc("Nyheter fra Nordmyra", category=Category.OTHER)])
    token = await _sign_in(client)
    url = f"/review/1899/findings/{finding_id}"
    reason = "Planen ligger under Oppvekst › Planer, seks klikk inn"
    without_csrf = await client.post(url, data={"value": "abuse_specific_plan", "reason": reason})
    assert without_csrf.status_code == 403
    saved = await client.post(url, data={"value": "abuse_specific_plan", "reason": reason, "csrf": token})
    assert saved.status_code == 303
    page = (await client.get("/review/1899")).text
    machine = page.split('id="finding-machine"')[1].split('id="finding-override"')[0]
    reviewer = page.split('id="finding-override"')[1].split("</div>")[0]
    assert "Ingen plan funnet" in machine  # the machine's verdict stays, beside
    assert "Egen plan mot seksuelle overgrep" in reviewer
    assert "Planen ligger under Oppvekst" in reviewer and "Kari Nordmann" in reviewer

    # a second override withdraws the first; both stay in the history
    second = await client.post(
        url, data={"value": "general_violence_plan_only", "reason": "Bare voldsplan", "csrf": token}
    )
    assert second.status_code == 303
    history = (await client.get("/review/1899")).text.split('id="history-heading"')[1]
    assert history.count("data-override=") == 2 and history.count('class="withdrawn"') == 1

    with factory() as session:
        out = io.StringIO()
        write_records(
            finding_records(latest.iter_latest_findings(session), reviews.finding_reviews(session)),
            FINDINGS_COLUMNS,
            out,
            "csv",
        )
    row = next(csv.DictReader(io.StringIO(out.getvalue())))
    assert (row["status"], row["override_status"], row["overridden_by"]) == (
        "no_plan_found",
        "general_violence_plan_only",
        "Kari Nordmann",
    )
    assert row["override_reason"] == "Bare voldsplan" and row["overridden_at"] == "2026-03-02T12:00:00Z"

    # an override of a finding that is not the latest, or of a value that is no status, is refused
    stale = await client.post(
        f"/review/1899/findings/{finding_id + 99}", data={"value": "no_plan_found", "reason": "x", "csrf": token}
    )
    assert stale.status_code == 400
    bogus = await client.post(url, data={"value": "splendid", "reason": "x", "csrf": token})
    assert bogus.status_code == 400 and "not a status" in bogus.text


async def test_category_override_and_withdrawal(client: httpx.AsyncClient, engine: Engine) -> None:
    factory = database.make_session_factory(engine)
    seed_check(factory, FJELLVIK, [SeedDoc("Plan for trygt barnehagemiljø", confidence=0.41)])
    assert (await client.get("/review/3901")).status_code == 303  # not signed in: to the sign-in page
    token = await _sign_in(client)
    queue = (await client.get("/review")).text
    assert 'data-kommune="3901" data-kind="low_confidence"' in queue
    page = (await client.get("/review/3901")).text
    classification_id = int(re.search(r'/review/3901/classifications/(\d+)"', page).group(1))  # type: ignore[union-attr]
    saved = await client.post(
        f"/review/3901/classifications/{classification_id}",
        data={"value": "other", "reason": "Barnehagemiljø, ikke en overgrepsplan", "csrf": token},
    )
    assert saved.status_code == 303
    page = (await client.get("/review/3901")).text
    assert 'class="machine-category">Plan mot seksuelle overgrep' in page
    assert 'class="override-category">Annet' in page
    with factory() as session:
        out = io.StringIO()
        write_records(
            plan_records(latest.iter_latest_plans(session), reviews.plan_reviews(session)),
            PLANS_COLUMNS,
            out,
            "csv",
        )
    row = next(csv.DictReader(io.StringIO(out.getvalue())))
    assert (row["category"], row["override_category"]) == ("abuse_specific", "other")
    assert 'data-kind="low_confidence"' not in (await client.get("/review")).text

    override_id = int(re.search(r"/overrides/(\d+)/withdraw", page).group(1))  # type: ignore[union-attr]
    withdrawn = await client.post(f"/review/3901/overrides/{override_id}/withdraw", data={"csrf": token})
    assert withdrawn.status_code == 303
    page = (await client.get("/review/3901")).text
    assert 'class="override-category"' not in page and 'class="withdrawn"' in page

    logout = await client.post("/review/logout", data={"csrf": token})
    assert logout.status_code == 303
    assert 'name="token"' in (await client.get("/review")).text
