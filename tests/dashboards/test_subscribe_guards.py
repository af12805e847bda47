"""The public subscribe form's guards (issue 13): CSRF, the per-client limit, the address guard for webhook URLs,
no telling who is subscribed, at most three confirmation mails a day to one address, and links that cannot be
forged, moved to another subscription, or used after they expire. Through the real app (ASGI) over a real database,
with a real aiosmtpd server receiving the mails."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine, func, select

from dashboards.app import create_app
from dashboards.subscribe import SUBMISSIONS
from tests.receivers import SmtpSink, running_smtp
from tracker.blobs import EvidenceStore
from tracker.config import Settings
from tracker.store import database
from tracker.store.models import KommuneRow, Subscription

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.current = START

    def __call__(self) -> datetime:
        return self.current


@pytest.fixture
def smtp() -> Iterator[SmtpSink]:
    with running_smtp() as sink:
        yield sink


@pytest.fixture
def clock() -> Clock:
    return Clock()


def _client(engine: Engine, tmp_path: Path, smtp: SmtpSink, clock: Clock, *, private: bool) -> httpx.AsyncClient:
    factory = database.make_session_factory(engine)
    with factory.begin() as session:
        if not session.scalar(select(func.count()).select_from(KommuneRow)):
            session.add(
                KommuneRow(kommunenummer="4601", country="NO", name="Bergen", website="https://bergen.example",
                           region_code="46", region="Vestland")
            )  # fmt: skip
    settings = Settings(
        var_dir=tmp_path / "var",
        database_url=engine.url.render_as_string(hide_password=False),
        secret_key_file=tmp_path / "secret.key",
        smtp_host="127.0.0.1",
        smtp_port=smtp.port,
        public_url="http://testserver",
    )
    app = create_app(
        settings,
        session_factory=factory,
        evidence=EvidenceStore(tmp_path / "evidence"),
        now=clock,
        allow_private_networks=private,
    )
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")


@pytest.fixture
async def client(engine: Engine, tmp_path: Path, smtp: SmtpSink, clock: Clock) -> AsyncIterator[httpx.AsyncClient]:
    async with _client(engine, tmp_path, smtp, clock, private=False) as client:
        yield client


async def _csrf(client: httpx.AsyncClient) -> str:
    found = re.search(r'name="csrf" value="([0-9a-f]{64})"', (await client.get("/subscribe")).text)
    assert found
    return found.group(1)


def _email(csrf: str, address: str = "ngo@example.org") -> dict[str, str]:
    return {"channel": "email", "email": address, "scope": "all", "csrf": csrf}


def _count(engine: Engine) -> int:
    with database.make_session_factory(engine)() as session:
        return int(session.scalar(select(func.count()).select_from(Subscription)) or 0)


async def test_a_form_without_its_csrf_token_is_refused(client: httpx.AsyncClient, engine: Engine) -> None:
    await _csrf(client)  # the cookie is set, but the field is not sent
    answer = await client.post("/subscribe", data={"channel": "email", "email": "ngo@example.org"})
    assert answer.status_code == 403 and _count(engine) == 0


async def test_a_webhook_on_a_private_address_is_refused(client: httpx.AsyncClient, engine: Engine) -> None:
    data = {"channel": "webhook", "url": "http://127.0.0.1:9/hook?token=abcdef", "secret": "s" * 20, "scope": "all"}
    answer = await client.post("/subscribe", data={**data, "csrf": await _csrf(client)})
    assert answer.status_code == 400 and "peker inn i et privat nettverk" in answer.text  # said in the page's Bokmål
    assert "token=abcdef" not in answer.text and _count(engine) == 0


async def test_the_answer_is_the_same_whoever_is_subscribed_and_an_address_gets_three_mails_a_day(
    client: httpx.AsyncClient, smtp: SmtpSink, engine: Engine, clock: Clock
) -> None:
    csrf = await _csrf(client)
    addresses = ["ngo@example.org", "NGO@example.org", "ngo@example.org", "Ngo@Example.org", "ngo@example.org"]
    pages = [await client.post("/subscribe", data=_email(csrf, address)) for address in addresses]
    assert {page.status_code for page in pages} == {200}
    steps = {re.search(r'data-step="(\w+)"', page.text).group(1) for page in pages}  # type: ignore[union-attr]
    assert steps == {"check_mail"}
    assert len(smtp.messages) == 3 and _count(engine) == 3
    clock.current += timedelta(days=1, minutes=1)
    await client.post("/subscribe", data=_email(csrf))
    assert len(smtp.messages) == 4


async def test_one_client_gets_a_limited_number_of_submissions(client: httpx.AsyncClient, smtp: SmtpSink) -> None:
    csrf = await _csrf(client)
    for number in range(SUBMISSIONS):
        assert (await client.post("/subscribe", data=_email(csrf, f"ngo{number}@example.org"))).status_code == 200
    limited = await client.post("/subscribe", data=_email(csrf, "one-more@example.org"))
    assert limited.status_code == 429 and int(limited.headers["Retry-After"]) > 0
    assert not any("one-more@example.org" in mail.rcpt_tos for mail in smtp.messages)


def _confirm_token(smtp: SmtpSink) -> str:
    body = smtp.messages[-1].parsed().get_content()
    found = re.search(r"/subscribe/confirm\?token=([\w.\-]+)", body)
    assert found
    return found.group(1)


async def test_links_cannot_be_forged_moved_or_used_late(
    client: httpx.AsyncClient, smtp: SmtpSink, engine: Engine, clock: Clock
) -> None:
    csrf = await _csrf(client)
    await client.post("/subscribe", data=_email(csrf, "first@example.org"))
    first = _confirm_token(smtp)
    await client.post("/subscribe", data=_email(csrf, "second@example.org"))
    second = _confirm_token(smtp)
    sub_id, expires, signature = first.split(".")
    moved = f"{second.split('.')[0]}.{expires}.{signature}"  # first's signature on second's id
    for bad in (moved, f"{sub_id}.{expires}.{'A' * 43}", "garbage"):
        answer = await client.post("/subscribe/confirm", data={"token": bad, "csrf": csrf})
        assert answer.status_code == 400 and 'data-step="bad_link"' in answer.text
    unsubscribe = await client.post(f"/unsubscribe?token={first}")  # a confirm link is no unsubscribe link
    assert unsubscribe.status_code == 400
    clock.current += timedelta(hours=49)
    late = await client.post("/subscribe/confirm", data={"token": first, "csrf": csrf})
    assert late.status_code == 400
    with database.make_session_factory(engine)() as session:
        assert not any(row.active for row in session.scalars(select(Subscription)))


async def test_a_confirmation_link_works_once(client: httpx.AsyncClient, smtp: SmtpSink, engine: Engine) -> None:
    csrf = await _csrf(client)
    await client.post("/subscribe", data=_email(csrf))
    token = _confirm_token(smtp)
    page = await client.get("/subscribe/confirm", params={"token": token})
    assert page.status_code == 200 and _count(engine) == 1
    with database.make_session_factory(engine)() as session:
        assert not session.scalars(select(Subscription)).one().active, "a GET confirms nothing"
    first = await client.post("/subscribe/confirm", data={"token": token, "csrf": csrf})
    again = await client.post("/subscribe/confirm", data={"token": token, "csrf": csrf})
    assert 'data-step="confirmed"' in first.text and 'data-step="already"' in again.text
    with database.make_session_factory(engine)() as session:
        row = session.scalars(select(Subscription)).one()
        assert row.active and row.origin == "public" and row.confirmed_at == START


@pytest.mark.parametrize("lang", ["nb", "en"])
async def test_the_form_speaks_the_visitors_language(client: httpx.AsyncClient, lang: str) -> None:
    page = (await client.get("/subscribe", params={"lang": lang})).text
    assert ("Abonner på varsler" if lang == "nb" else "Subscribe to alerts") in page
    assert "Vestland (NO)" in page and 'name="secret"' in page and "pub." not in page
