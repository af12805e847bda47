"""An NGO subscribes itself from the dashboard, confirms, gets an alert, unsubscribes with one click, and gets
nothing more (issue 13). Driven as a user would: real Chromium on the form, the app under uvicorn, a real aiosmtpd
server receiving the confirmation mail and the alert, a real loopback HTTP receiver for the webhook's signed test
delivery and its alerts, and the real outbox (`send_due`) between them."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, sync_playwright
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from crawlers.render import CHROMIUM_ARGS
from dashboards.app import create_app
from tests.dashboards.serving import serve_in_thread
from tests.receivers import Receiver, SmtpSink, running_receiver, running_smtp
from tracker.alerts.notify import verify_signature
from tracker.alerts.outbox import send_due
from tracker.blobs import EvidenceStore
from tracker.config import Settings
from tracker.store import database
from tracker.store.models import Event, KommuneRow, Subscription

pytestmark = [pytest.mark.slow, pytest.mark.browser]

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
ADDRESS = "varsler@barnevakten.example"


class Clock:
    def __init__(self) -> None:
        self.current = START

    def __call__(self) -> datetime:
        return self.current

    def advance(self, **delta: float) -> None:
        self.current += timedelta(**delta)


@dataclass
class Site:
    base_url: str
    settings: Settings
    factory: sessionmaker[Session]
    clock: Clock
    smtp: SmtpSink
    kommuner: dict[str, int]

    def event(self, number: str) -> str:
        """A plan event for one kommune, detected now (as the change detector stores it)."""
        self.clock.advance(minutes=1)
        event_uuid = str(uuid.uuid4())
        with self.factory.begin() as session:
            session.add(
                Event(
                    uuid=event_uuid,
                    kind="plan_appeared",
                    kommune_id=self.kommuner[number],
                    url=f"https://kommune-{number}.example/plan.pdf",
                    sha256="b" * 64,
                    detected_at=self.clock(),
                    evidence={"first_check": False},
                )
            )
        return event_uuid

    def send(self) -> None:
        """One outbox pass, as the scheduler runs it every minute."""
        self.clock.advance(minutes=1)
        send_due(self.factory, self.settings, now=self.clock, allow_private_networks=True)


def _seed(factory: sessionmaker[Session]) -> dict[str, int]:
    rows = [
        KommuneRow(kommunenummer="4601", country="NO", name="Bergen", website="https://bergen.example",
                   region_code="46", region="Vestland", written_standard="Bokmål"),
        KommuneRow(kommunenummer="1577", country="NO", name="Volda", website="https://volda.example",
                   region_code="15", region="Møre og Romsdal", written_standard="Nynorsk"),
        KommuneRow(kommunenummer="0301", country="NO", name="Oslo", website="https://oslo.example",
                   region_code="03", region="Oslo", written_standard="Bokmål"),
    ]  # fmt: skip
    with factory.begin() as session:
        session.add_all(rows)
        session.flush()
        return {row.kommunenummer: row.id for row in rows}


@pytest.fixture
def site(engine: Engine, tmp_path: Path) -> Iterator[Site]:
    factory = database.make_session_factory(engine)
    kommuner = _seed(factory)
    clock = Clock()
    with running_smtp() as smtp:
        settings = Settings(
            var_dir=tmp_path / "var",
            database_url=engine.url.render_as_string(hide_password=False),
            secret_key="",
            secret_key_file=tmp_path / "secret.key",
            smtp_host="127.0.0.1",
            smtp_port=smtp.port,
        )
        app = create_app(
            settings,
            session_factory=factory,
            evidence=EvidenceStore(tmp_path / "evidence"),
            now=clock,
            allow_private_networks=True,  # the webhook receiver is on loopback
        )
        with serve_in_thread(app) as base_url:
            settings = replace(settings, public_url=base_url)
            app.state.settings = settings  # links in mails point at the served app
            yield Site(base_url, settings, factory, clock, smtp, kommuner)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=list(CHROMIUM_ARGS))
        yield browser
        browser.close()


def _mails_to(smtp: SmtpSink, address: str) -> list[str]:
    return [mail.raw.decode("utf-8", "replace") for mail in smtp.messages if address in mail.rcpt_tos]


def _link(text: str, path: str) -> str:
    found = re.search(rf"(http://127\.0\.0\.1:\d+{re.escape(path)}\?token=[\w.\-]+)", text)
    assert found, text
    return found.group(1)


def test_an_ngo_subscribes_by_email_confirms_gets_an_alert_and_unsubscribes(site: Site, browser: Browser) -> None:
    page = browser.new_page()
    try:
        page.goto(f"{site.base_url}/subscribe")
        page.locator("input[name=channel][value=email]").check()
        page.fill("#pub-email", ADDRESS)
        page.locator("input[name=scope][value=region]").check()
        page.select_option("#pub-region", "46")
        page.locator("#subscribe-form button[type=submit]").click()
        assert page.locator("#step").get_attribute("data-step") == "check_mail"
        assert "48 timer" in page.locator("#step").inner_text()
        # exactly one message went to the address: the confirmation, in the form's language, naming the scope
        (confirmation,) = [mail.parsed() for mail in site.smtp.messages]
        assert confirmation["To"] == ADDRESS and confirmation["Subject"].startswith("Bekreft")
        body = confirmation.get_content()
        assert "Vestland" in body
        link = _link(body, "/subscribe/confirm")
        # pending: an event now reaches nobody, the address gets nothing but that one mail
        site.event("4601")
        site.send()
        assert len(site.smtp.messages) == 1
        page.goto(link)  # following the link alone confirms nothing (mail scanners open links)
        assert page.locator("#step").get_attribute("data-step") == "confirm"
        site.event("4601")
        site.send()
        assert len(site.smtp.messages) == 1
        page.get_by_role("button", name="Bekreft").click()
        assert page.locator("#step").get_attribute("data-step") == "confirmed"
        # an event in the chosen fylke arrives, one elsewhere does not
        site.event("0301")
        wanted = site.event("4601")
        site.send()
        (alert,) = [mail.parsed() for mail in site.smtp.messages[1:]]
        assert alert["X-Planvakt-Events"] == wanted and alert["To"] == ADDRESS
        stop = alert["List-Unsubscribe"].strip("<>")
        assert alert["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert stop in alert.get_content(), "the body carries the same link"
        # RFC 8058: the mail client POSTs once, without cookies or a login
        answer = httpx.post(stop, data={"List-Unsubscribe": "One-Click"}, timeout=30)
        assert answer.status_code == 200 and 'data-step="unsubscribed"' in answer.text
        site.event("4601")
        site.send()
        assert len(site.smtp.messages) == 2, "nothing more after unsubscribing"
    finally:
        page.close()


def _test_delivery(receiver: Receiver) -> tuple[dict[str, object], dict[str, str], bytes]:
    (request,) = receiver.requests
    return json.loads(request.body), dict(request.headers), request.body


def _fill_webhook(page: Page, site: Site, url: str) -> str:
    page.goto(f"{site.base_url}/subscribe?lang=en")
    page.locator("input[name=channel][value=webhook]").check()
    page.fill("#pub-url", url)
    secret = page.input_value("#pub-secret")
    assert len(secret) >= 16, "the form offers a fresh signing secret"
    page.locator("input[name=scope][value=kommuner]").check()
    page.fill("#pub-kommuner", "1577")
    page.locator("#subscribe-form button[type=submit]").click()
    return secret


def test_a_webhook_is_switched_on_by_the_code_its_signed_test_delivery_carried(site: Site, browser: Browser) -> None:
    page = browser.new_page()
    try:
        with running_receiver() as receiver:
            secret = _fill_webhook(page, site, receiver.url)
            assert page.locator("#step").get_attribute("data-step") == "enter_code"
            test, headers, raw = _test_delivery(receiver)
            assert test["kind"] == "subscription_test"
            assert verify_signature(raw, headers["X-Planvakt-Signature"], secret)
            code = str(test["confirmation_code"])
            assert code not in page.content(), "the browser never sees the code"
            page.fill("#pub-code", "AAAA-AAAA")
            page.get_by_role("button", name="Switch on").click()
            assert page.locator("#code-wrong").is_visible()
            site.event("1577")
            site.send()
            assert len(receiver.requests) == 1, "nothing is delivered before the code is typed"
            page.fill("#pub-code", code.lower())
            page.get_by_role("button", name="Switch on").click()
            assert page.locator("#step").get_attribute("data-step") == "confirmed"
            site.event("0301")  # not one of the chosen kommuner
            wanted = site.event("1577")
            site.send()
            alerts = receiver.accepted()[1:]
            assert [request.headers["Idempotency-Key"] for request in alerts] == [wanted]
            alert = json.loads(alerts[0].body)
            assert verify_signature(alerts[0].body, alerts[0].headers["X-Planvakt-Signature"], secret)
            assert alert["unsubscribe_url"] == test["unsubscribe_url"]
            page.goto(str(alert["unsubscribe_url"]))
            page.get_by_role("button", name="Stop the alerts").click()
            assert page.locator("#step").get_attribute("data-step") == "unsubscribed"
            site.event("1577")
            site.send()
            assert len(receiver.requests) == 2, "nothing more after unsubscribing"
    finally:
        page.close()


def test_a_receiver_that_refuses_the_test_delivery_is_never_switched_on(site: Site, browser: Browser) -> None:
    page = browser.new_page()
    try:
        with running_receiver() as receiver:
            receiver.script.status = 500
            _fill_webhook(page, site, receiver.url)
            assert page.locator("#step").get_attribute("data-step") == "test_failed"
            assert "answered 500" in page.locator("#test-detail").inner_text()
            with site.factory() as session:
                (row,) = session.scalars(select(Subscription)).all()
            assert not row.active and row.confirmed_at is not None, "stopped: it can never be confirmed"
    finally:
        page.close()
