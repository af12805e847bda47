"""Alert targets go through the crawler's address guard, and a receiver's reply never lands in our errors (issue 12,
item 4).

Webhook and Apprise (`json://`, `form://`, `xml://`) targets on loopback were accepted and delivered to, and 200
characters of the internal reply were kept in the delivery error that `alerts list` shows. Real receivers on
127.0.0.1, a real database, the real CLI.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine, select
from typer.testing import CliRunner

from planvakt.cli import app
from tests.tracker.test_notify import event
from tests.tracker.test_outbox import START, Clock, World
from tracker.alerts.notify import DeliveryFailed, WebhookChannel
from tracker.alerts.outbox import send_due
from tracker.alerts.subscriptions import SubscriptionRequest, guard_target, subscribe
from tracker.config import Settings
from tracker.errors import ConfigError
from tracker.store import database
from tracker.store.models import KommuneRow, Subscription

pytestmark = pytest.mark.filterwarnings("ignore:.imghdr. is deprecated:DeprecationWarning")

INTERNAL = "internal-admin-token-7f3a"


@contextmanager
def internal_service(status: int = 500) -> Iterator[tuple[str, list[bytes]]]:
    """An 'internal' HTTP service on loopback that answers every POST with a secret in its body and reason phrase."""
    received: list[bytes] = []

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
            received.append(self.rfile.read(int(self.headers.get("Content-Length", "0"))))
            reply = f'{{"secret": "{INTERNAL}", "users": ["root"]}}'.encode() * 5
            self.send_response(status, f"Leaky {INTERNAL}")
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/admin", received
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def sqlite(tmp_path: Path) -> Iterator[tuple[str, Engine]]:
    url = f"sqlite:///{tmp_path / 'alerts.sqlite3'}"
    engine = database.make_engine(url)
    database.upgrade(engine)
    yield url, engine
    engine.dispose()


@pytest.fixture
def world(sqlite: tuple[str, Engine]) -> World:
    _, engine = sqlite
    factory = database.make_session_factory(engine)
    row = KommuneRow(kommunenummer="0301", country="NO", name="Oslo", website="https://oslo.example")
    with factory.begin() as session:
        session.add(row)
        session.flush()
        ids = {"0301": row.id}
    return World(factory, engine, ids)


def _subscriptions(world: World) -> list[Subscription]:
    with world.factory() as session:
        return list(session.scalars(select(Subscription)))


PRIVATE_TARGETS = [
    ("webhook", "http://127.0.0.1:8080/"),
    ("webhook", "https://10.1.2.3/hook?token=abc"),
    ("webhook", "http://[::1]:9000/hook"),
    ("webhook", "http://169.254.169.254/latest/meta-data/"),
    ("webhook", "http://localhost:8080/hook"),
    ("webhook", "http://[::ffff:127.0.0.1]/hook"),
    ("apprise", "json://127.0.0.1:8080/hook"),
    ("apprise", "jsons://192.168.1.10/hook"),
    ("apprise", "form://localhost/hook"),
    ("apprise", "xml://[::1]:99/"),
    ("apprise", "ntfy://10.0.0.1/topic"),
]


@pytest.mark.parametrize(("channel", "target"), PRIVATE_TARGETS)
def test_a_private_target_is_refused_with_a_clear_error(world: World, channel: str, target: str) -> None:
    with pytest.raises(ConfigError) as refused:
        subscribe(world.factory, SubscriptionRequest(channel, target), now=START)
    message = str(refused.value)
    assert "private network" in message and "--allow-private-networks" in message
    assert "token=abc" not in message
    assert _subscriptions(world) == []


@pytest.mark.parametrize(("channel", "target"), PRIVATE_TARGETS)
def test_the_explicit_switch_allows_private_targets(world: World, channel: str, target: str) -> None:
    subscribe(world.factory, SubscriptionRequest(channel, target), now=START, allow_private_networks=True)
    assert len(_subscriptions(world)) == 1


def test_public_addresses_and_service_tokens_pass() -> None:
    guard_target("webhook", "https://93.184.215.14/hook", allow_private_networks=False)
    guard_target("apprise", "json://93.184.215.14/hook", allow_private_networks=False)
    # a service whose "host" is a token is not looked up (and not refused)
    guard_target("apprise", "slack://TokenA/TokenB/TokenC/", allow_private_networks=False)
    guard_target("email", "varsel@ngo.example", allow_private_networks=False)


def test_the_cli_refuses_a_loopback_webhook_unless_allowed(world: World, sqlite: tuple[str, Engine]) -> None:
    db, _ = sqlite
    runner = CliRunner()
    refused = runner.invoke(app, ["subscribe", "webhook", "http://127.0.0.1:8080/hook", "--db", db])
    assert refused.exit_code == 2
    assert "private network" in refused.output and "127.0.0.1" in refused.output
    assert _subscriptions(world) == []
    allowed = runner.invoke(
        app, ["subscribe", "apprise", "json://127.0.0.1:8080/hook", "--allow-private-networks", "--db", db]
    )
    assert allowed.exit_code == 0, allowed.output
    assert len(_subscriptions(world)) == 1


def test_delivery_to_a_private_target_is_refused_when_not_allowed(world: World, sqlite: tuple[str, Engine]) -> None:
    db, _ = sqlite
    with internal_service(status=200) as (url, received):
        # stored while allowed (or before the guard existed, or a name that resolved elsewhere back then)
        world.subscribe("webhook", url)
        world.subscribe("apprise", url.replace("http://", "json://"))
        world.event("0301")
        report = send_due(world.factory, Settings(database_url=db), now=Clock(START + timedelta(minutes=1)))
    assert received == []
    assert (report.sent, report.dead) == (0, 2)
    rows = world.deliveries()
    assert {row.state for row in rows} == {"dead"}
    assert all("private network" in (row.last_error or "") for row in rows)


def test_a_stored_error_keeps_the_status_code_and_no_reply(world: World, sqlite: tuple[str, Engine]) -> None:
    db, _ = sqlite
    with internal_service(status=500) as (url, received):
        world.subscribe("webhook", url + "?token=geheim")
        world.event("0301")
        report = send_due(
            world.factory,
            Settings(database_url=db),
            now=Clock(START + timedelta(minutes=1)),
            allow_private_networks=True,
        )
        listed = CliRunner().invoke(app, ["alerts", "list", "--db", db])
    assert len(received) == 1 and report.retried == 1
    (row,) = world.deliveries()
    assert row.last_status == 500
    assert "500" in (row.last_error or "")
    for leaked in (INTERNAL, "users", "root", "Leaky", "geheim"):
        assert leaked not in (row.last_error or "")
        assert leaked not in listed.output
    assert row.last_error == f"{url} answered 500 Internal Server Error"


def test_the_webhook_channel_reports_the_status_only() -> None:
    with internal_service(status=404) as (url, _), httpx.Client() as client:
        with pytest.raises(DeliveryFailed) as caught:
            WebhookChannel(client, url).send(event())
    assert caught.value.status == 404 and not caught.value.retryable
    assert INTERNAL not in str(caught.value) and "Leaky" not in str(caught.value)
    assert caught.value.detail == f"{url} answered 404 Not Found"
