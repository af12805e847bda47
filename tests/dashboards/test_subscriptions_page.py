"""The Subscriptions page: only a signed-in reviewer lists, adds and removes subscriptions; secrets never shown."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from cryptography.fernet import Fernet
from sqlalchemy import Engine, func, select

from dashboards.app import create_app
from tests.dashboards.act_seed import KILDEBY, NORDMYRA, sync
from tracker.alerts import public_subscribe as flow
from tracker.alerts.subscriptions import SubscriptionRequest, validate
from tracker.blobs import EvidenceStore
from tracker.catalogue import CATALOGUE
from tracker.catalogue.errors import say
from tracker.config import Settings
from tracker.errors import ConfigError, SecretError
from tracker.secretbox import SecretKeys
from tracker.store import database, public_subscriptions
from tracker.store.models import Subscription

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
TOKEN = "correct horse battery staple"
HOOK = "https://hooks.example.org/planvakt?token=hunter2-query-token"
HOOK_SECRET = "s3cret-signing-key"
#: Apprise imports the deprecated imghdr (as in tests/tracker/test_notify.py)
pytestmark = pytest.mark.filterwarnings("ignore:.imghdr. is deprecated:DeprecationWarning")
APPRISE = "slack://TokenA1/TokenB2/TokenC3zzzzzzzzzz/#barnevern"


def _app(engine: Engine, tmp_path: Path, admin_token: str = TOKEN, secret_key: str = "") -> httpx.AsyncClient:
    app = create_app(
        Settings(
            var_dir=tmp_path / "var",
            admin_token=admin_token,
            database_url=engine.url.render_as_string(hide_password=False),
            secret_key=secret_key,
        ),
        session_factory=database.make_session_factory(engine),
        evidence=EvidenceStore(tmp_path / "evidence"),
        now=lambda: NOW,
    )
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")


@pytest.fixture
async def client(engine: Engine, tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    sync(database.make_session_factory(engine), NORDMYRA, KILDEBY)
    async with _app(engine, tmp_path) as client:
        yield client


def _csrf(html: str) -> str:
    match = re.search(r'name="csrf" value="([0-9a-f]{64})"', html)
    assert match
    return match.group(1)


async def _sign_in(client: httpx.AsyncClient) -> str:
    token = _csrf((await client.get("/review")).text)
    answer = await client.post("/review/login", data={"name": "Kari", "token": TOKEN, "csrf": token})
    assert answer.status_code == 303
    return token


def _count(engine: Engine) -> int:
    with database.make_session_factory(engine)() as session:
        return int(session.scalar(select(func.count()).select_from(Subscription)) or 0)


async def test_without_the_admin_token_nobody_sees_or_writes_subscriptions(
    client: httpx.AsyncClient, engine: Engine, tmp_path: Path
) -> None:
    page = await client.get("/review/subscriptions")
    assert page.status_code == 303 and page.headers["location"] == "/review"
    csrf = _csrf((await client.get("/review")).text)  # a valid form token, but nobody signed in
    added = await client.post("/review/subscriptions", data={"channel": "email", "target": "a@b.no", "csrf": csrf})
    assert added.status_code == 403
    assert (await client.post("/review/subscriptions/1/remove", data={"csrf": csrf})).status_code == 403
    async with _app(engine, tmp_path, admin_token="") as off:
        assert (await off.get("/review/subscriptions")).status_code == 403
        csrf = _csrf((await off.get("/act/1899")).text)  # the tip form's token: valid, so only review is off
        assert (await off.post("/review/subscriptions", data={"channel": "email", "csrf": csrf})).status_code == 403
    assert _count(engine) == 0


async def test_a_reviewer_adds_lists_and_removes_subscriptions_without_seeing_secrets(
    client: httpx.AsyncClient, engine: Engine
) -> None:
    csrf = await _sign_in(client)
    review = await client.get("/review")
    assert 'href="/review/subscriptions"' in review.text
    assert (
        await client.post("/review/subscriptions", data={"channel": "email", "target": "a@b.no"})
    ).status_code == 403

    forms = [
        {"channel": "webhook", "target": HOOK, "secret": HOOK_SECRET, "kommuner": "1899", "kinds": ["plan_vanished"]},
        {"channel": "email", "target": "varsel@redd-barna.example", "digest": "weekly", "kommuner": "799, 1899"},
        {"channel": "apprise", "target": APPRISE, "language": "nn", "kinds": ["plan_appeared", "check_failed"]},
    ]
    for form in forms:
        answer = await client.post("/review/subscriptions", data={**form, "csrf": csrf})
        assert answer.status_code == 303, answer.text
    page = await client.get("/review/subscriptions")
    assert page.status_code == 200
    rows = re.findall(r'<tr data-subscription="(\d+)">', page.text)
    assert len(rows) == 3
    for secret in ("hunter2-query-token", HOOK_SECRET, "TokenA1", "TokenB2", "TokenC3"):
        assert secret not in page.text
    assert "https://hooks.example.org/planvakt?…" in page.text and "varsel@redd-barna.example" in page.text
    with database.make_session_factory(engine)() as session:
        stored = {row.channel: row for row in session.scalars(select(Subscription))}
    # sealed at rest (tracker.secretbox), with the default key of the bound database
    box = SecretKeys.from_settings(Settings(database_url=engine.url.render_as_string(hide_password=False))).box()
    assert stored["webhook"].sealed_secret is not None and HOOK_SECRET not in stored["webhook"].sealed_secret
    assert box.open(stored["webhook"].sealed_secret) == HOOK_SECRET
    assert box.open(stored["webhook"].sealed_target) == HOOK
    assert stored["webhook"].kommuner == ["1899"] and stored["webhook"].kinds == ["plan_vanished"]
    assert stored["email"].kommuner == ["0799", "1899"] and stored["email"].digest == "weekly"  # padded as the CLI
    assert stored["apprise"].language == "nn" and stored["apprise"].kinds == ["plan_appeared", "check_failed"]

    removed = await client.post(f"/review/subscriptions/{stored['webhook'].id}/remove", data={"csrf": csrf})
    assert removed.status_code == 303
    again = await client.post(f"/review/subscriptions/{stored['webhook'].id}/remove", data={"csrf": csrf})
    refusal = CATALOGUE.text("nb", "subs_error.no_active", id=stored["webhook"].id)  # in the page's language
    assert again.status_code == 400 and refusal in again.text
    page = await client.get("/review/subscriptions")
    assert len(re.findall(r"<tr data-subscription=", page.text)) == 2
    with database.make_session_factory(engine)() as session:
        assert session.get(Subscription, stored["webhook"].id).active is False  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("form", "request_"),
    [
        (
            {"channel": "webhook", "target": HOOK, "digest": "daily"},
            SubscriptionRequest("webhook", HOOK, digest="daily"),
        ),
        (
            {"channel": "email", "target": "not-an-address"},
            SubscriptionRequest("email", "not-an-address"),
        ),
        (
            {"channel": "email", "target": "a@b.no", "secret": HOOK_SECRET},
            SubscriptionRequest("email", "a@b.no", secret=HOOK_SECRET),
        ),
        (
            {"channel": "webhook", "target": HOOK, "kinds": ["plan_exploded"]},
            SubscriptionRequest("webhook", HOOK, kinds=("plan_exploded",)),
        ),
        (
            {"channel": "email", "target": "a@b.no", "kommuner": "12345"},
            SubscriptionRequest("email", "a@b.no", kommuner=("12345",)),
        ),
        (
            {"channel": "email", "target": "a@b.no", "language": "sv"},
            SubscriptionRequest("email", "a@b.no", language="sv"),
        ),
    ],
)
async def test_refused_forms_say_what_the_cli_says(
    client: httpx.AsyncClient, engine: Engine, form: dict[str, object], request_: SubscriptionRequest
) -> None:
    with pytest.raises(ConfigError) as expected:
        validate(request_)
    csrf = await _sign_in(client)
    answer = await client.post("/review/subscriptions", data={**form, "csrf": csrf})
    assert answer.status_code == 400
    error = answer.text.split('id="subs-error"')[1].split("</p>")[0]
    if HOOK not in str(expected.value):  # the CLI's error, said in the page's language (Bokmål here)
        assert say(expected.value, "nb").replace("'", "&#39;").replace('"', "&#34;") in error
    assert "hunter2-query-token" not in answer.text and HOOK_SECRET not in answer.text
    assert _count(engine) == 0


async def test_unknown_kommune_and_unknown_apprise_scheme_are_refused(
    client: httpx.AsyncClient, engine: Engine
) -> None:
    csrf = await _sign_in(client)
    unknown = await client.post(
        "/review/subscriptions", data={"channel": "email", "target": "a@b.no", "kommuner": "0301", "csrf": csrf}
    )
    assert unknown.status_code == 400 and "ingen kommune 0301 i databasen" in unknown.text
    bad = await client.post(
        "/review/subscriptions", data={"channel": "apprise", "target": "nosuch://secret-token-xyz", "csrf": csrf}
    )
    assert bad.status_code == 400 and "Apprise forstår ikke adressen" in bad.text
    assert "secret-token-xyz" not in bad.text
    assert _count(engine) == 0


async def test_the_form_seals_with_the_configured_key_not_a_key_file(engine: Engine, tmp_path: Path) -> None:
    key = Fernet.generate_key().decode("ascii")
    sync(database.make_session_factory(engine), NORDMYRA, KILDEBY)
    async with _app(engine, tmp_path, secret_key=key) as client:
        csrf = await _sign_in(client)
        form = {"channel": "webhook", "target": HOOK, "secret": HOOK_SECRET, "csrf": csrf}
        assert (await client.post("/review/subscriptions", data=form)).status_code == 303
    with database.make_session_factory(engine)() as session:
        stored = session.scalars(select(Subscription)).one()
    assert SecretKeys(key, tmp_path / "unused.key").box().open(stored.sealed_target) == HOOK
    other_key = Fernet.generate_key().decode("ascii")  # e.g. the database's default key file: not what sealed it
    with pytest.raises(SecretError):
        SecretKeys(other_key, tmp_path / "unused.key").box().open(stored.sealed_target)


def _public(engine: Engine, channel: str, who: str) -> int:
    """A subscription made on the public form (pending), as `/subscribe` stores it."""
    settings = Settings(database_url=engine.url.render_as_string(hide_password=False))
    target = f"{who}@barnevakten.example" if channel == "email" else f"https://hooks.example.org/{who}?token=tok-{who}"
    wanted = flow.PublicRequest(channel, target, secret="s" * 20, kommuner=("1899",))
    keys = SecretKeys.from_settings(settings)
    pending = flow.request_subscription(database.make_session_factory(engine), wanted, now=NOW, keys=keys)
    assert pending is not None
    return pending.subscription_id


async def test_a_reviewer_sees_public_subscriptions_by_state_and_removes_them(
    client: httpx.AsyncClient, engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    pending, confirmed, stopped = (_public(engine, "email", who) for who in ("venter", "aktiv", "avmeldt"))
    hook = _public(engine, "webhook", "krok")
    factory = database.make_session_factory(engine)
    with factory.begin() as session:
        for number in (confirmed, hook):
            assert public_subscriptions.confirm_subscription(session, number, NOW)
        assert public_subscriptions.stop_subscription(session, stopped, NOW)
    csrf = await _sign_in(client)
    page = await client.get("/review/subscriptions", params={"lang": "en"})
    states = dict(re.findall(r'<tr data-public="(\d+)" data-state="(\w+)">', page.text))
    assert states == {str(pending): "pending", str(confirmed): "confirmed", str(stopped): "unsubscribed",
                      str(hook): "confirmed"}  # fmt: skip
    counts = page.text.split('id="public-counts"')[1].split("</table>")[0]
    email_row = counts.split('data-channel="email"')[1].split("</tr>")[0]
    assert re.findall(r'data-state="(\w+)">(\d+)<', email_row) == [("pending", "1"), ("confirmed", "1"),
                                                                     ("unsubscribed", "1")]  # fmt: skip
    assert "awaiting confirmation" in page.text and "v…@barnevakten.example" in page.text
    for secret in ("venter@", "aktiv@", "tok-krok"):
        assert secret not in page.text  # addresses masked, webhook tokens too
    assert not re.findall(r'<tr data-subscription="', page.text)  # public ones are not listed as the operator's

    with caplog.at_level("INFO"):
        for number in (pending, confirmed):
            removed = await client.post(f"/review/subscriptions/public/{number}/remove", data={"csrf": csrf})
            assert removed.status_code == 303
    again = await client.post(f"/review/subscriptions/public/{confirmed}/remove", data={"csrf": csrf})
    assert again.status_code == 400 and CATALOGUE.text("en", "subs_error.unsubscribed", id=confirmed) in again.text
    unknown = await client.post("/review/subscriptions/public/9999/remove", data={"csrf": csrf})
    assert unknown.status_code == 400
    with factory() as session:
        assert session.get(Subscription, pending) is None  # a pending one is deleted, its address with it
        kept = session.get(Subscription, confirmed)
        assert kept is not None and kept.active is False  # a confirmed one is stopped, its history kept
    assert "reviewer Kari deleted public subscription" in caplog.text and "reviewer Kari stopped" in caplog.text
    assert "venter@" not in caplog.text and "aktiv@" not in caplog.text and "a…@barnevakten.example" in caplog.text
