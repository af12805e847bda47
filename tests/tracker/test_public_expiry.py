"""Public subscriptions never confirmed are deleted once their confirmation window has passed (issue 13), by the
scheduler's minute job and by `planvakt alerts send`, on SQLite and PostgreSQL; confirmed, stopped and younger ones
stay, and an expired confirmation link then confirms nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from planvakt.cli import app
from tracker.alerts import public_subscribe as flow
from tracker.alerts.subscription_links import CONFIRM_FOR, WEBHOOK_CODE_FOR, BadToken, LinkSigner
from tracker.config import Settings
from tracker.schedule import JobContext, Runtime, alerts_job
from tracker.secretbox import SecretKeys
from tracker.store import database, public_subscriptions
from tracker.store.models import KommuneRow, Subscription

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _settings(engine: Engine, tmp_path: Path) -> Settings:
    url = engine.url.render_as_string(hide_password=False)
    return Settings(var_dir=tmp_path / "var", database_url=url, secret_key_file=tmp_path / "secret.key")


def _request(
    factory: sessionmaker[Session], settings: Settings, at: datetime, channel: str = "email", who: str = "ngo"
) -> flow.Pending:
    target = f"{who}@example.org" if channel == "email" else f"https://hooks.example.org/{who}"
    wanted = flow.PublicRequest(channel, target, secret="s" * 20 if channel == "webhook" else None, kommuner=("4601",))
    pending = flow.request_subscription(factory, wanted, now=at, keys=SecretKeys.from_settings(settings))
    assert pending is not None
    return pending


def _states(factory: sessionmaker[Session]) -> dict[int, str]:
    with factory() as session:
        return {row.id: public_subscriptions.state_of(row) for row in session.scalars(select(Subscription))}


@pytest.fixture
def factory(engine: Engine) -> sessionmaker[Session]:
    factory = database.make_session_factory(engine)
    with factory.begin() as session:
        session.add(KommuneRow(kommunenummer="4601", country="NO", name="Bergen", website="https://bergen.example"))
    return factory


def test_the_minute_job_deletes_pending_subscriptions_past_their_window(
    engine: Engine, factory: sessionmaker[Session], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    settings = _settings(engine, tmp_path)
    old_mail = _request(factory, settings, T0, who="old")
    old_hook = _request(factory, settings, T0, channel="webhook")
    confirmed = _request(factory, settings, T0, who="kept")
    stopped = _request(factory, settings, T0, who="stopped")
    young_mail = _request(factory, settings, T0 + CONFIRM_FOR - timedelta(hours=1), who="young")
    young_hook = _request(factory, settings, T0 + CONFIRM_FOR, channel="webhook", who="young")
    with factory.begin() as session:
        assert public_subscriptions.confirm_subscription(session, confirmed.subscription_id, T0 + timedelta(hours=1))
        assert public_subscriptions.stop_subscription(session, stopped.subscription_id, T0 + timedelta(hours=1))
    signer = LinkSigner.from_box(SecretKeys.from_settings(settings).box())
    link = signer.token("confirm", old_mail.subscription_id, old_mail.created_at, T0 + CONFIRM_FOR)

    later = T0 + CONFIRM_FOR + timedelta(minutes=1)
    runtime = Runtime(settings, instance="test", now=lambda: later)
    with caplog.at_level("INFO", logger="tracker.alerts.public_subscribe"):
        alerts_job(context=JobContext(runtime, later))
    runtime.close()
    assert _states(factory) == {
        confirmed.subscription_id: "confirmed",
        stopped.subscription_id: "unsubscribed",
        young_mail.subscription_id: "pending",  # its link is still good for an hour
        young_hook.subscription_id: "pending",  # its code form still for an hour
    }
    assert old_hook.subscription_id not in _states(factory)
    assert "deleted 2 public subscription(s)" in caplog.text and "old@example.org" not in caplog.text
    with pytest.raises(BadToken):  # the link of a deleted one confirms nothing (nor another row with its id)
        flow.confirm_by_link(factory, link, signer, later)

    assert flow.expire_unconfirmed(factory, later) == 0  # a second pass (another scheduler) finds nothing
    assert flow.expire_unconfirmed(factory, T0 + CONFIRM_FOR + WEBHOOK_CODE_FOR + timedelta(seconds=1)) == 1
    assert young_hook.subscription_id not in _states(factory)


def test_alerts_send_deletes_them_too(engine: Engine, factory: sessionmaker[Session], tmp_path: Path) -> None:
    settings = _settings(engine, tmp_path)
    long_ago = datetime.now(UTC) - CONFIRM_FOR - timedelta(minutes=5)
    _request(factory, settings, long_ago)
    kept = _request(factory, settings, datetime.now(UTC), who="fresh")
    env = {"PLANVAKT_SECRET_KEY_FILE": str(tmp_path / "secret.key"), "PLANVAKT_VAR_DIR": str(tmp_path / "var")}
    result = CliRunner().invoke(app, ["alerts", "send", "--db", settings.database_url], env=env)
    assert result.exit_code == 0, result.output
    assert "deleted 1 public subscription(s) not confirmed in time" in result.output
    assert _states(factory) == {kept.subscription_id: "pending"}
