"""Secrets at rest (issue 12, item 13): sealed in the database, opened only to deliver, on SQLite and PostgreSQL.

Rows are read back with plain SQL, as someone holding a copy of the database file would; webhooks go to a real
HTTP receiver on 127.0.0.1.
"""

from __future__ import annotations

import logging
import stat
import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from cryptography.fernet import Fernet
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from planvakt.cli import app
from tests.receivers import running_receiver
from tracker.alerts.notify import verify_signature
from tracker.alerts.outbox import DeliveryReport, send_due
from tracker.alerts.subscriptions import SubscriptionRequest, subscribe
from tracker.config import Settings, load_settings
from tracker.errors import SecretError
from tracker.secretbox import SecretBox, SecretKeys, is_sealed
from tracker.store import alerts, deliveries
from tracker.store.database import MIGRATIONS_DIR, check_migrated, make_engine, make_session_factory, upgrade
from tracker.store.models import Delivery, Event, KommuneRow

pytestmark = pytest.mark.filterwarnings("ignore:.imghdr. is deprecated:DeprecationWarning")

NOW = datetime(2026, 12, 4, 18, 0, tzinfo=UTC)
HMAC_KEY = "hmac-nøkkel-7f3a"
APPRISE = "json://planvakt:apprise-passord-91@hooks.example.org/varsel?token=apprise-token-55"
HOOK_TOKEN = "webhook-query-token-23"


def fernet_key() -> str:
    return Fernet.generate_key().decode()


@pytest.fixture
def factory(engine: Engine) -> sessionmaker[Session]:
    factory = make_session_factory(engine)
    with factory.begin() as session:
        session.add(KommuneRow(kommunenummer="0301", country="NO", name="Oslo", website="https://oslo.example"))
    return factory


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url, secret_key=fernet_key(), alert_max_attempts=4)


def add_event(factory: sessionmaker[Session], at: datetime = NOW) -> str:
    key = str(uuid.uuid4())
    with factory.begin() as session:
        kommune = session.scalars(select(KommuneRow)).one()
        session.add(Event(uuid=key, kind="plan_appeared", kommune_id=kommune.id, url="https://o.example/p.pdf",
                          sha256="a" * 64, detected_at=at))  # fmt: skip
    return key


def raw_rows(engine: Engine) -> list[tuple[object, ...]]:
    with engine.connect() as connection:
        return [tuple(row) for row in connection.execute(text("SELECT * FROM subscription"))]


def subscribe_all(factory: sessionmaker[Session], settings: Settings, hook_url: str) -> None:
    keys = SecretKeys.from_settings(settings)
    for request in (
        SubscriptionRequest("webhook", f"{hook_url}?token={HOOK_TOKEN}", secret=HMAC_KEY),
        SubscriptionRequest("apprise", APPRISE),
    ):
        subscribe(factory, request, now=NOW - timedelta(days=1), allow_private_networks=True, keys=keys)


def test_the_raw_rows_hold_no_secret_and_the_webhook_still_arrives_signed(
    factory: sessionmaker[Session], engine: Engine, settings: Settings
) -> None:
    with running_receiver() as receiver:
        subscribe_all(factory, settings, receiver.url)
        rows = raw_rows(engine)
        dump = repr(rows)
        for secret in (HMAC_KEY, "apprise-passord-91", "apprise-token-55", HOOK_TOKEN):
            assert secret not in dump
        assert sum(is_sealed(value) for row in rows for value in row if isinstance(value, str)) == 3
        # the listings show the masked form only, and need no key
        with factory() as session:
            shown = [view.target for view in alerts.subscriptions(session)]
        assert shown == [f"{receiver.url}?…", "json://planvakt:****@hooks.example.org/varsel"]
        key = add_event(factory)
        report = send_due(factory, settings, now=lambda: NOW, allow_private_networks=True)
    assert report.sent >= 1  # the webhook (the Apprise host does not exist: that one is retried)
    [request] = receiver.accepted()
    assert request.headers["Idempotency-Key"] == key
    assert f"token={HOOK_TOKEN}" in request.path  # the opened URL, query and all
    assert verify_signature(request.body, request.headers["X-Planvakt-Signature"], HMAC_KEY)


def test_a_wrong_key_blocks_only_its_subscriptions_and_loses_nothing(
    factory: sessionmaker[Session], engine: Engine, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    with running_receiver() as good, running_receiver() as other:
        subscribe_all(factory, settings, good.url)
        add_event(factory)
        wrong = replace(settings, secret_key=fernet_key())
        with caplog.at_level(logging.ERROR, logger="tracker.alerts.outbox"):
            report = send_due(factory, wrong, now=lambda: NOW, allow_private_networks=True)
        assert report == DeliveryReport(pending=2, created=2, blocked=2)
        assert not good.accepted()
        assert "not attempted: sealed with key" in caplog.text and "PLANVAKT_SECRET_KEY" in caplog.text
        with factory() as session:
            rows = list(session.scalars(select(Delivery)))
        assert {(row.state, row.attempts) for row in rows} == {("pending", 0)}  # no attempt burnt
        assert all("does not hold" in (row.last_error or "") for row in rows)
        # a process with the wrong key may not add to the database either: it would leave two keys in it
        with pytest.raises(SecretError, match="sealed with key"):
            subscribe(factory, SubscriptionRequest("webhook", other.url), now=NOW, allow_private_networks=True,
                      keys=SecretKeys.from_settings(wrong))  # fmt: skip
        # the right key again (here rotated: new first, old after): the waiting webhook goes out
        rotated = replace(settings, secret_key=f"{fernet_key()},{settings.secret_key}")
        later = send_due(factory, rotated, now=lambda: NOW + timedelta(minutes=1), allow_private_networks=True)
    assert later.sent == 1 and later.blocked == 0
    [request] = good.accepted()
    assert verify_signature(request.body, request.headers["X-Planvakt-Signature"], HMAC_KEY)


def test_without_a_key_the_first_subscription_makes_a_0600_key_file_beside_the_database(tmp_path: Path) -> None:
    database = tmp_path / "var" / "planvakt.sqlite3"
    engine = make_engine(f"sqlite:///{database}")
    upgrade(engine)
    factory = make_session_factory(engine)
    settings = Settings(database_url=f"sqlite:///{database}")  # no PLANVAKT_SECRET_KEY
    key_file = database.with_name("planvakt.sqlite3.key")
    assert settings.resolved_secret_key_file == key_file and not key_file.exists()
    subscribe(factory, SubscriptionRequest("email", "varsel@ngo.example"), now=NOW)  # default keys: the same file
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    with factory() as session:
        [view] = alerts.subscriptions(session)
    assert SecretKeys.from_settings(settings).box().open(view.sealed_target) == "varsel@ngo.example"
    key_file.unlink()  # lost key: opening reports it, and never makes a new one
    with pytest.raises(SecretError, match="does not exist"):
        SecretKeys.from_settings(settings).box()
    assert not key_file.exists()
    with pytest.raises(SecretError, match="does not exist"):  # nor does adding to a database with secrets
        subscribe(factory, SubscriptionRequest("email", "b@ngo.example"), now=NOW)
    engine.dispose()


def test_a_key_that_is_not_a_fernet_key_is_a_clear_error() -> None:
    with pytest.raises(SecretError, match="does not hold Fernet keys"):
        SecretKeys("not-a-key", Path("unused")).box()
    box = SecretBox([Fernet.generate_key()], "a test key")
    with pytest.raises(SecretError, match="not a sealed value"):
        box.open("plain text")


def test_the_key_never_prints() -> None:
    key = fernet_key()
    settings = load_settings({"PLANVAKT_SECRET_KEY": key}, env_file="/nonexistent")
    assert settings.secret_key == key
    assert key not in repr(settings) and key not in repr(SecretKeys.from_settings(settings))
    sealed = SecretBox([key.encode()], "k").seal(HMAC_KEY)
    assert HMAC_KEY not in repr(sealed) and sealed.stored not in repr(sealed)


def test_alerts_list_and_subscriptions_list_show_no_secret(
    factory: sessionmaker[Session], database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PLANVAKT_SECRET_KEY", fernet_key())
    runner = CliRunner()
    result = runner.invoke(app, ["subscribe", "apprise", APPRISE, "--allow-private-networks", "--db", database_url])
    assert result.exit_code == 0, result.output
    add_event(factory, at=datetime.now(UTC) + timedelta(minutes=1))  # after the CLI's subscription
    with factory.begin() as session:  # a delivery row, as a pass makes it
        subscription = alerts.subscriptions(session)[0]
        [candidate] = deliveries.undelivered_events(session, subscription)
        deliveries.insert_deliveries(session, [{"subscription_id": subscription.id, "event_id": candidate.event_id,
                                                 "next_attempt_at": NOW, "created_at": NOW}])  # fmt: skip
    outputs = [
        runner.invoke(app, ["subscriptions", "list", "--db", database_url]).output,
        runner.invoke(app, ["alerts", "list", "--db", database_url]).output,
        runner.invoke(app, ["alerts", "send", "--dry-run", "--db", database_url]).output,
    ]
    for output in outputs:
        assert "hooks.example.org" in output
        assert "apprise-passord-91" not in output and "apprise-token-55" not in output and "fernet:" not in output


def _alembic(connection: object, keys: SecretKeys) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    config.attributes["secret_keys"] = keys
    return config


def test_migration_0004_seals_the_plain_secrets_of_an_older_database(database_url: str) -> None:
    engine = make_engine(database_url)
    keys = SecretKeys(fernet_key(), Path("unused"))
    with engine.begin() as connection:
        command.upgrade(_alembic(connection, keys), "0003")
        connection.execute(
            text(
                "INSERT INTO subscription (channel, target, secret, kommuner, kinds, digest, active, created_at) "
                "VALUES ('webhook', :hook, :secret, '[]', '[]', 'none', true, :at), "
                "('apprise', :apprise, NULL, '[]', '[]', 'daily', true, :at)"
            ),
            {"hook": f"https://hooks.example.org/p?token={HOOK_TOKEN}", "secret": HMAC_KEY, "apprise": APPRISE,
             "at": NOW},
        )  # fmt: skip
    with engine.begin() as connection:
        command.upgrade(_alembic(connection, keys), "head")
    dump = repr(raw_rows(engine))
    for secret in (HMAC_KEY, "apprise-passord-91", "apprise-token-55", HOOK_TOKEN):
        assert secret not in dump
    check_migrated(engine)
    box = keys.box()
    with make_session_factory(engine)() as session:
        webhook, apprise = alerts.subscriptions(session)
    assert webhook.secret is not None and box.open(webhook.secret) == HMAC_KEY
    assert box.open(webhook.sealed_target) == f"https://hooks.example.org/p?token={HOOK_TOKEN}"
    assert (webhook.target, apprise.target) == (
        "https://hooks.example.org/p?…",
        "json://planvakt:****@hooks.example.org/varsel",
    )
    assert box.open(apprise.sealed_target) == APPRISE and apprise.secret is None
    # and back: downgrade opens them into the old columns
    with engine.begin() as connection:
        command.downgrade(_alembic(connection, keys), "0003")
    with engine.connect() as connection:
        assert set(connection.execute(text("SELECT target, secret FROM subscription"))) == {
            (f"https://hooks.example.org/p?token={HOOK_TOKEN}", HMAC_KEY),
            (APPRISE, None),
        }
    engine.dispose()


def test_alerts_send_with_a_key_that_does_not_fit_says_so_and_exits_1(
    factory: sessionmaker[Session], database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    runner = CliRunner()
    monkeypatch.setenv("PLANVAKT_SECRET_KEY", fernet_key())
    with running_receiver() as receiver:
        args = ["subscribe", "webhook", receiver.url, "--secret", HMAC_KEY, "--allow-private-networks"]
        assert runner.invoke(app, [*args, "--db", database_url]).exit_code == 0
        add_event(factory, at=datetime.now(UTC) + timedelta(minutes=1))
        monkeypatch.setenv("PLANVAKT_SECRET_KEY", fernet_key())  # not the one it was sealed with
        result = runner.invoke(app, ["alerts", "send", "--allow-private-networks", "--db", database_url])
        assert not receiver.accepted()
    assert result.exit_code == 1, result.output
    assert "1 due deliveries not attempted" in result.output and HMAC_KEY not in result.output
    listed = runner.invoke(app, ["alerts", "list", "--db", database_url]).output
    assert "pending" in listed and "not attempted: sealed with key" in listed
