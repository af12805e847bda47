"""`planvakt subscribe`, `subscriptions` and `alerts` through Typer's CliRunner, on real databases and receivers."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, select
from typer.testing import CliRunner

from planvakt.cli import app
from tests.receivers import ReceiverScript, running_receiver
from tracker.config import Settings
from tracker.secretbox import SecretKeys
from tracker.store import database
from tracker.store.models import Delivery, Event, KommuneRow, Subscription

pytestmark = pytest.mark.filterwarnings("ignore:.imghdr. is deprecated:DeprecationWarning")

runner = CliRunner()
SECRET = "s3cret-do-not-print"


@pytest.fixture
def db(engine: Engine, database_url: str) -> str:
    """A migrated database holding Oslo and København."""
    with database.make_session_factory(engine).begin() as session:
        session.add_all(
            [
                KommuneRow(kommunenummer="0301", country="NO", name="Oslo", website="https://oslo.example"),
                KommuneRow(kommunenummer="0101", country="DK", name="København", website="https://kk.example"),
            ]
        )
    return database_url


def add_event(engine: Engine, number: str, kind: str = "plan_appeared") -> str:
    key = str(uuid.uuid4())
    with database.make_session_factory(engine).begin() as session:
        kommune = session.scalars(select(KommuneRow).where(KommuneRow.kommunenummer == number)).one()
        session.add(
            Event(
                uuid=key, kind=kind, kommune_id=kommune.id, url="https://x.example/p.pdf", detected_at=datetime.now(UTC)
            )
        )
    return key


def invoke(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def test_subscribe_list_and_remove_never_print_secrets(db: str, engine: Engine) -> None:
    code, out = invoke(
        "subscribe", "webhook", "https://hooks.example/planvakt?token=tok123", "--secret", SECRET,
        "--kommune", "301", "--kinds", "plan_vanished,plan_moved", "--db", db,
    )  # fmt: skip
    assert code == 0, out
    assert "subscription 1: webhook https://hooks.example/planvakt?…" in out
    code, out = invoke("subscribe", "email", "varsel@ngo.example", "--digest", "weekly", "--language", "nn", "--db", db)
    assert code == 0, out
    code, out = invoke("subscriptions", "list", "--db", db)
    assert code == 0, out
    assert SECRET not in out and "tok123" not in out
    assert "hooks.example" in out and "varsel@ngo.example" in out and "weekly" in out
    with database.make_session_factory(engine)() as session:
        webhook = session.get(Subscription, 1)
        assert webhook is not None
        assert (webhook.kommuner, webhook.kinds) == (["0301"], ["plan_vanished", "plan_moved"])
        assert webhook.sealed_secret is not None and SECRET not in webhook.sealed_secret  # sealed at rest
        assert SecretKeys.from_settings(Settings(database_url=db)).box().open(webhook.sealed_secret) == SECRET
    code, out = invoke("subscriptions", "remove", "1", "--db", db)
    assert code == 0 and "subscription 1 removed" in out
    code, out = invoke("subscriptions", "list", "--db", db)
    assert "hooks.example" not in out and "varsel@ngo.example" in out
    code, out = invoke("subscriptions", "remove", "1", "--db", db)
    assert code == 2 and "no active subscription 1" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["webhook", "ftp://hooks.example/x"], "must be http:// or https://"),
        (["webhook", "https://hooks.example/x", "--digest", "daily"], "one signed POST per event"),
        (["webhook", "https://hooks.example/x", "--kinds", "plan_vanished,plan_exploded"], "plan_exploded"),
        (["webhook", "https://hooks.example/x", "--kommune", "9999"], "no kommune 9999"),
        (["webhook", "https://hooks.example/x", "--kommune", "oslo"], "not a kommunenummer"),
        (["email", "not-an-address"], "not an e-mail address"),
        (["email", "a@ngo.example", "--secret", "x"], "No such option"),
        (["email", "a@ngo.example", "--digest", "hourly"], "--digest must be one of"),
        (["email", "a@ngo.example", "--language", "sv"], "--language must be one of"),
        (["apprise", "nosuchscheme://whatever"], "Apprise does not understand"),
    ],
)
def test_subscribe_rejects_bad_input_and_writes_nothing(db: str, engine: Engine, args: list[str], message: str) -> None:
    code, out = invoke("subscribe", *args, "--db", db)
    assert code == 2
    assert message in out
    with database.make_session_factory(engine)() as session:
        assert session.scalars(select(Subscription)).all() == []


def test_alerts_send_dry_run_then_send_then_list(db: str, engine: Engine) -> None:
    with (
        running_receiver(ReceiverScript(fail_times=1, fail_status=503)) as good,
        running_receiver(ReceiverScript(status=404)) as gone,
    ):
        loopback = "--allow-private-networks"  # the receivers run on 127.0.0.1
        assert invoke("subscribe", "webhook", good.url, "--secret", SECRET, loopback, "--db", db)[0] == 0
        assert invoke("subscribe", "webhook", gone.url, loopback, "--db", db)[0] == 0
        key = add_event(engine, "0101", "plan_vanished")
        add_event(engine, "0301", "crawler_blocked")  # nobody asked for operator events

        code, out = invoke("alerts", "send", "--dry-run", "--db", db)
        assert code == 0, out
        assert "dry run: 2 message(s) due" in out and f"plan_vanished {key}" in out
        assert good.requests == [] and gone.requests == []

        code, out = invoke("alerts", "send", loopback, "--db", db)
        assert code == 0, out
        assert "sent 0, retried 1, dead 1, pending 1" in out

        code, out = invoke("alerts", "list", "--db", db)
        assert code == 0, out
        assert "pending" in out and "dead" in out and "503" in out and "404" in out
        assert SECRET not in out
        code, out = invoke("alerts", "list", "--state", "dead", "--db", db)
        assert "1 deliveries shown" in out
        code, out = invoke("alerts", "list", "--state", "lost", "--db", db)
        assert code == 2 and "--state must be one of" in out

    assert len(good.requests) == 1 and len(gone.requests) == 1
    assert json.loads(good.requests[0].body)["id"] == key
    with database.make_session_factory(engine)() as session:
        states = sorted(session.scalars(select(Delivery.state)))
    assert states == ["dead", "pending"]


def test_alert_commands_refuse_an_unmigrated_database(tmp_path: object) -> None:
    code, out = invoke("alerts", "send", "--db", f"sqlite:///{tmp_path}/new.sqlite3")
    assert code == 2 and "planvakt db upgrade" in out
