"""The outbox against real databases (SQLite and PostgreSQL) and real receivers (HTTP server, aiosmtpd)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from tests.receivers import ReceiverScript, running_receiver, running_smtp
from tracker.alerts.notify import verify_signature
from tracker.alerts.outbox import LEASE, DeliveryReport, digest_due_at, materialise, preview_due, send_due
from tracker.alerts.subscriptions import SubscriptionRequest, subscribe, unsubscribe
from tracker.config import Settings
from tracker.store import database
from tracker.store.deliveries import claim, next_due
from tracker.store.models import Delivery, Event, KommuneRow

pytestmark = pytest.mark.filterwarnings("ignore:.imghdr. is deprecated:DeprecationWarning")

ROOT = Path(__file__).resolve().parents[2]
START = datetime(2025, 3, 10, 9, 0, tzinfo=UTC)  # a Monday
SECRET = "hemmelig-nøkkel"


class Clock:
    """The injected `now`: time moves only when the test says so."""

    def __init__(self, start: datetime = START) -> None:
        self.current = start

    def __call__(self) -> datetime:
        return self.current

    def advance(self, **delta: float) -> None:
        self.current += timedelta(**delta)


@dataclass
class World:
    factory: sessionmaker[Session]
    engine: Engine
    kommuner: dict[str, int]

    def event(self, number: str, kind: str = "plan_appeared", at: datetime = START, **values: object) -> str:
        """Insert an event (as the change detector does) and return its uuid, the idempotency key."""
        event_uuid = str(uuid.uuid4())
        with self.factory.begin() as session:
            session.add(
                Event(
                    uuid=event_uuid,
                    kind=kind,
                    kommune_id=self.kommuner[number],
                    url=str(values.get("url", f"https://kommune-{number}.example/plan.pdf")),
                    previous_url=values.get("previous_url"),
                    sha256="a" * 64,
                    detected_at=at,
                    evidence=dict(values.get("evidence", {"statuses": [200]})),  # type: ignore[call-overload]
                )
            )
        return event_uuid

    def subscribe(
        self, channel: str, target: str, *, at: datetime = START - timedelta(days=1), **options: object
    ) -> int:
        request = SubscriptionRequest(channel=channel, target=target, **options)  # type: ignore[arg-type]
        return subscribe(self.factory, request, now=at, allow_private_networks=True).id  # receivers are on loopback

    def deliveries(self) -> list[Delivery]:
        with self.factory() as session:
            return list(session.scalars(select(Delivery).order_by(Delivery.id)))


@pytest.fixture
def world(engine: Engine) -> World:
    """Three kommuner: Oslo (Bokmål), Volda (Nynorsk), København (Danish)."""
    factory = database.make_session_factory(engine)
    rows = [
        KommuneRow(
            kommunenummer="0301", country="NO", name="Oslo", website="https://oslo.example", written_standard="Bokmål"
        ),
        KommuneRow(
            kommunenummer="1577",
            country="NO",
            name="Volda",
            website="https://volda.example",
            written_standard="Nynorsk",
        ),
        KommuneRow(kommunenummer="0101", country="DK", name="København", website="https://kk.example"),
    ]
    with factory.begin() as session:
        session.add_all(rows)
        session.flush()
        ids = {row.kommunenummer: row.id for row in rows}
    return World(factory, engine, ids)


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url, smtp_host="127.0.0.1", alert_max_attempts=4)


def run(world: World, settings: Settings, clock: Clock) -> DeliveryReport:
    return send_due(world.factory, settings, now=clock, allow_private_networks=True)


# ---------------------------------------------------------------------------------------------------------------
# Webhooks


def test_webhook_gets_the_event_signed_once(world: World, settings: Settings) -> None:
    clock = Clock()
    with running_receiver() as receiver:
        world.subscribe("webhook", receiver.url, secret=SECRET)
        key = world.event("0301", "plan_vanished", evidence={"statuses": [404, 404], "checks": [7, 8]})
        report = run(world, settings, clock)
        again = run(world, settings, clock)
    assert report == DeliveryReport(sent=1, retried=0, dead=0, pending=0, created=1, messages=1)
    assert again == DeliveryReport()
    [request] = receiver.accepted()
    assert verify_signature(request.body, request.headers["X-Planvakt-Signature"], SECRET)
    assert request.headers["Idempotency-Key"] == key
    payload = json.loads(request.body)
    assert payload["id"] == key and payload["kind"] == "plan_vanished" and payload["kommunenummer"] == "0301"
    assert payload["evidence"] == {"statuses": [404, 404], "checks": [7, 8]}
    [row] = world.deliveries()
    assert (row.state, row.attempts, row.sent_at) == ("sent", 1, START)


def test_readme_verification_snippet_accepts_our_signature_and_nothing_else(world: World, settings: Settings) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    snippet = next(block for block in readme.split("```python")[1:] if "planvakt_signature_ok" in block)
    namespace: dict[str, object] = {}
    exec(snippet.split("```")[0], namespace)  # the documented code, as a receiver would paste it
    verify = namespace["planvakt_signature_ok"]
    assert callable(verify)
    with running_receiver() as receiver:
        world.subscribe("webhook", receiver.url, secret=SECRET)
        world.event("0101", "plan_moved", previous_url="https://kk.example/gammel.pdf")
        run(world, settings, Clock())
    [request] = receiver.accepted()
    header = request.headers["X-Planvakt-Signature"]
    assert verify(request.body, header, SECRET)
    assert not verify(request.body.replace(b"plan_moved", b"plan_vanished"), header, SECRET)
    assert not verify(request.body, header, "wrong")
    assert not verify(request.body, None, SECRET)
    assert not verify(request.body, "sha256=ø", SECRET)


def test_receiver_failing_twice_then_ok_gets_the_event_exactly_once(world: World, settings: Settings) -> None:
    clock = Clock()
    with running_receiver(ReceiverScript(fail_times=2, fail_status=500)) as receiver:
        world.subscribe("webhook", receiver.url, secret=SECRET)
        key = world.event("0301")
        first = run(world, settings, clock)
        early = run(world, settings, clock.__class__(clock.current + timedelta(seconds=10)))  # before the backoff
        clock.advance(seconds=31)
        second = run(world, settings, clock)
        clock.advance(seconds=61)
        third = run(world, settings, clock)
    assert (first.retried, early.messages, second.retried, third.sent) == (1, 0, 1, 1)
    assert [r.status for r in receiver.requests] == [500, 500, 200]
    assert receiver.delivered_keys() == [key]
    [row] = world.deliveries()
    assert (row.state, row.attempts, row.last_status) == ("sent", 3, None)


def test_dead_letter_after_max_attempts(world: World, settings: Settings) -> None:
    clock = Clock()
    with running_receiver(ReceiverScript(status=503)) as receiver:
        world.subscribe("webhook", receiver.url)
        world.event("1577")
        reports = []
        for _ in range(settings.alert_max_attempts + 2):
            reports.append(run(world, settings, clock))
            clock.advance(hours=2)  # past any backoff
    assert len(receiver.requests) == settings.alert_max_attempts == 4
    assert [r.dead for r in reports] == [0, 0, 0, 1, 0, 0]
    [row] = world.deliveries()
    assert (row.state, row.attempts, row.last_status) == ("dead", 4, 503)
    assert "503" in (row.last_error or "")


def test_permanent_failure_is_dead_at_once_and_retry_after_is_honoured(world: World, settings: Settings) -> None:
    clock = Clock()
    with (
        running_receiver(ReceiverScript(status=410)) as gone,
        running_receiver(ReceiverScript(fail_times=1, fail_status=429)) as busy,
    ):
        world.subscribe("webhook", gone.url)
        world.subscribe("webhook", busy.url)
        world.event("0301")
        report = run(world, settings, clock)
        rows = {row.subscription_id: row for row in world.deliveries()}
    assert (report.dead, report.retried) == (1, 1)
    assert rows[1].state == "dead" and rows[1].last_status == 410
    assert rows[2].state == "pending" and rows[2].last_status == 429
    assert rows[2].next_attempt_at == START + timedelta(seconds=30)  # nominal backoff for attempt 1


def test_retry_after_longer_than_backoff_wins(world: World, settings: Settings) -> None:
    clock = Clock()
    with running_receiver(ReceiverScript(status=429, headers={"Retry-After": "900"})) as receiver:
        world.subscribe("webhook", receiver.url)
        world.event("0301")
        run(world, settings, clock)
    [row] = world.deliveries()
    assert row.state == "pending" and row.next_attempt_at == START + timedelta(seconds=900)


def test_subscription_filters_kinds_kommuner_and_time(world: World, settings: Settings) -> None:
    clock = Clock()
    with running_receiver() as receiver:
        oslo = world.subscribe("webhook", receiver.url, kommuner=("0301",))
        operator = world.subscribe("webhook", receiver.url + "?operator=1", kinds=("crawler_blocked",))
        world.event("0301", "plan_changed", at=START - timedelta(days=2))  # before the subscriptions: never sent
        wanted = world.event("0301", "plan_changed")
        world.event("1577", "plan_changed")  # other kommune
        blocked = world.event("1577", "crawler_blocked")  # only the operator asked for it
        run(world, settings, clock)
    by_sub: dict[int, list[str]] = {}
    for request in receiver.accepted():
        sub = operator if "operator" in request.path else oslo
        by_sub.setdefault(sub, []).append(request.headers["Idempotency-Key"])
    assert by_sub == {oslo: [wanted], operator: [blocked]}


def test_removed_subscription_gets_nothing_more(world: World, settings: Settings) -> None:
    clock = Clock()
    with running_receiver(ReceiverScript(fail_times=1)) as receiver:
        sub = world.subscribe("webhook", receiver.url)
        world.event("0301")
        run(world, settings, clock)  # fails once, waits for a retry
        assert unsubscribe(world.factory, sub, now=clock()) == 1
        world.event("0101")
        clock.advance(hours=1)
        report = run(world, settings, clock)
    assert report == DeliveryReport()
    assert len(receiver.requests) == 1
    assert [row.state for row in world.deliveries()] == ["dead"]


def test_a_delivery_that_keeps_killing_its_sender_is_given_up(world: World, settings: Settings) -> None:
    clock = Clock()
    with running_receiver() as receiver:
        world.subscribe("webhook", receiver.url)
        world.event("0301")
        assert preview_due(world.factory, now=clock()) != []
        materialise(world.factory, now=clock())
        for _ in range(settings.alert_max_attempts):  # each time: claimed, then the sender died before the outcome
            with world.factory.begin() as session:
                row = next_due(session, clock(), ())
                assert row is not None
                assert claim(session, row, clock(), clock() + LEASE)
            clock.advance(seconds=LEASE.total_seconds() + 1)
        report = run(world, settings, clock)
    assert (report.dead, report.sent, receiver.requests) == (1, 0, [])
    [row] = world.deliveries()
    assert row.state == "dead" and "gave up" in (row.last_error or "")


def test_two_senders_at_once_send_each_event_once(world: World, settings: Settings) -> None:
    clock = Clock()
    with running_receiver(ReceiverScript(delay=0.05)) as receiver:
        world.subscribe("webhook", receiver.url)
        keys = {world.event(number) for number in ("0301", "1577", "0101") for _ in range(3)}
        reports: list[DeliveryReport] = []
        errors: list[BaseException] = []

        def sender() -> None:
            try:
                reports.append(run(world, settings, clock))
            except BaseException as exc:  # surfaced below: a thread's exception is otherwise lost
                errors.append(exc)

        threads = [threading.Thread(target=sender) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    assert errors == []
    assert sum(r.sent for r in reports) == 9
    assert sorted(r.headers["Idempotency-Key"] for r in receiver.accepted()) == sorted(keys)
    assert {row.state for row in world.deliveries()} == {"sent"}


# ---------------------------------------------------------------------------------------------------------------
# E-mail and digests


def test_email_in_the_kommunes_language(world: World, settings: Settings) -> None:
    clock = Clock()
    with running_smtp() as sink:
        settings = Settings(database_url=settings.database_url, smtp_host="127.0.0.1", smtp_port=sink.port)
        world.subscribe("email", "varsel@ngo.example")
        danish = world.event("0101", "plan_vanished")
        nynorsk = world.event("1577", "plan_appeared")
        report = run(world, settings, clock)
    assert (report.sent, report.messages) == (2, 2)
    mails = {mail.parsed()["X-Planvakt-Events"]: mail.parsed() for mail in sink.messages}
    assert mails[danish]["Subject"] == "Planvakt: Planen for København kan ikke længere findes"
    assert mails[danish]["Content-Language"] == "da"
    assert "Kommunekode: 0101 København" in mails[danish].get_content()
    assert mails[nynorsk]["Subject"] == "Planvakt: Ny plan funnen for Volda"
    assert all(mail["To"] == "varsel@ngo.example" for mail in mails.values())


def test_apprise_one_message_per_event_in_the_kommunes_or_the_chosen_language(world: World, settings: Settings) -> None:
    with running_receiver() as own, running_receiver() as chosen:
        world.subscribe("apprise", own.url.replace("http://", "json://"))
        world.subscribe("apprise", chosen.url.replace("http://", "json://"), language="nb")
        world.event("0101", "plan_reappeared")
        world.event("1577", "plan_vanished")
        report = run(world, settings, Clock())
    assert (report.sent, report.messages) == (4, 4)
    own_titles = sorted(json.loads(r.body)["title"] for r in own.accepted())
    chosen_titles = sorted(json.loads(r.body)["title"] for r in chosen.accepted())
    assert own_titles == [
        "Planvakt: Planen for København er tilbage",
        "Planvakt: Planen til Volda er ikkje lenger å finne",
    ]
    assert chosen_titles == [
        "Planvakt: Planen til København er tilbake",
        "Planvakt: Planen til Volda er ikke lenger å finne",
    ]


def test_daily_digest_is_one_message_with_all_events_at_six_utc(world: World, settings: Settings) -> None:
    clock = Clock()
    with running_smtp() as sink:
        settings = Settings(database_url=settings.database_url, smtp_host="127.0.0.1", smtp_port=sink.port)
        world.subscribe("email", "digest@ngo.example", digest="daily", language="nb")
        keys = [world.event(n, at=START + timedelta(hours=i)) for i, n in enumerate(("0301", "1577", "0101"))]
        before = run(world, settings, clock)
        clock.current = datetime(2025, 3, 11, 5, 59, tzinfo=UTC)
        still_before = run(world, settings, clock)
        clock.current = datetime(2025, 3, 11, 6, 0, tzinfo=UTC)
        at_six = run(world, settings, clock)
    assert (before.sent, before.pending, still_before.sent) == (0, 3, 0)
    assert (at_six.sent, at_six.messages) == (3, 1)
    [mail] = [m.parsed() for m in sink.messages]
    assert mail["Subject"] == "Planvakt: 3 endringer"
    assert mail["X-Planvakt-Events"].split(", ") == keys
    body = mail.get_content()
    assert all(name in body for name in ("Oslo", "Volda", "København"))
    assert {row.state for row in world.deliveries()} == {"sent"}


def test_digest_failure_retries_all_rows_together(world: World, settings: Settings) -> None:
    clock = Clock(datetime(2025, 3, 11, 7, 0, tzinfo=UTC))
    with running_receiver(ReceiverScript(fail_times=1)) as receiver:
        world.subscribe("apprise", receiver.url.replace("http://", "json://"), digest="daily")
        for number in ("0301", "0101"):
            world.event(number, at=START)
        first = run(world, settings, clock)
        clock.advance(minutes=5)
        second = run(world, settings, clock)
    assert (first.retried, first.messages, second.sent, second.messages) == (2, 1, 2, 1)
    assert len(receiver.accepted()) == 1
    body = json.loads(receiver.accepted()[0].body)
    assert "2" in body["title"]


@pytest.mark.parametrize(
    ("digest", "detected", "due"),
    [
        ("none", datetime(2025, 3, 10, 9, 0, tzinfo=UTC), START),
        ("daily", datetime(2025, 3, 10, 5, 0, tzinfo=UTC), datetime(2025, 3, 10, 6, 0, tzinfo=UTC)),
        ("daily", datetime(2025, 3, 10, 6, 0, tzinfo=UTC), datetime(2025, 3, 11, 6, 0, tzinfo=UTC)),
        ("weekly", datetime(2025, 3, 10, 4, 0, tzinfo=UTC), datetime(2025, 3, 11, 6, 0, tzinfo=UTC)),  # Mon sweep
        ("weekly", datetime(2025, 3, 11, 7, 0, tzinfo=UTC), datetime(2025, 3, 18, 6, 0, tzinfo=UTC)),
    ],
)
def test_digest_periods_end_at_six_utc_and_on_tuesdays(digest: str, detected: datetime, due: datetime) -> None:
    assert digest_due_at(digest, detected, START) == due


def test_dry_run_preview_writes_nothing(world: World, settings: Settings) -> None:
    with running_receiver() as receiver:
        world.subscribe("webhook", receiver.url + "?token=geheim", secret=SECRET)
        world.subscribe("email", "digest@ngo.example", digest="weekly")
        key = world.event("0301")
        planned = preview_due(world.factory, now=START)
    assert [(p.channel, p.event_ids) for p in planned] == [("webhook", (key,))]
    assert "geheim" not in planned[0].target and SECRET not in repr(planned)
    assert world.deliveries() == [] and receiver.requests == []


# ---------------------------------------------------------------------------------------------------------------
# A sender killed mid-delivery


@pytest.mark.slow
def test_sender_killed_mid_delivery_loses_nothing(world: World, settings: Settings, tmp_path: Path) -> None:
    with running_receiver(ReceiverScript(stall_times=1, stall=30)) as receiver:
        world.subscribe("webhook", receiver.url, secret=SECRET)
        keys = [world.event("0301"), world.event("0101")]
        env = {k: v for k, v in os.environ.items() if not k.startswith("PLANVAKT_")}
        sender = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "planvakt",
                "alerts",
                "send",
                "--allow-private-networks",
                "--db",
                settings.database_url,
            ],
            cwd=tmp_path,
            env={**env, "PYTHONPATH": str(ROOT)},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        try:
            assert receiver.arrived.wait(timeout=60), "the sender never reached the receiver"
            os.kill(sender.pid, signal.SIGKILL)
            sender.wait(timeout=10)
        finally:
            if sender.poll() is None:
                sender.kill()
                sender.wait()
        assert sender.returncode == -signal.SIGKILL
        assert sorted(row.state for row in world.deliveries()) == ["pending", "sending"]
        # A restarted sender leaves the leased row alone until its lease has run out, then sends both.
        real_now = datetime.now(UTC)
        during_lease = send_due(world.factory, settings, now=lambda: real_now, allow_private_networks=True)
        after_lease = send_due(
            world.factory, settings, now=lambda: real_now + LEASE + timedelta(seconds=1), allow_private_networks=True
        )
    assert (during_lease.sent, during_lease.pending) == (1, 1)
    assert (after_lease.sent, after_lease.pending) == (1, 0)
    assert sorted(receiver.delivered_keys()) == sorted(keys)
    assert {row.state for row in world.deliveries()} == {"sent"}
    assert all(verify_signature(r.body, r.headers["X-Planvakt-Signature"], SECRET) for r in receiver.accepted())
