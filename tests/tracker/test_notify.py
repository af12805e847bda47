"""Delivery channels against real receivers: a loopback HTTP server (webhook, Apprise json://) and aiosmtpd."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from tests.receivers import ReceiverScript, SmtpSink, free_port, running_receiver, running_smtp
from tracker.alerts.messages import AlertEvent, webhook_payload
from tracker.alerts.notify import (
    MAX_ATTEMPTS,
    AppriseChannel,
    DeliveryFailed,
    EmailChannel,
    WebhookChannel,
    backoff_delay,
    next_attempt_at,
    sign,
    verify_signature,
)
from tracker.errors import ConfigError

pytestmark = pytest.mark.filterwarnings("ignore:.imghdr. is deprecated:DeprecationWarning")

SECRET = "hemmelig-nøkkel"
WHEN = datetime(2025, 3, 12, 14, 5, tzinfo=UTC)


def event(id: str = "evt-1", **overrides: object) -> AlertEvent:
    values: dict[str, object] = {
        "id": id,
        "kind": "plan_vanished",
        "kommunenummer": "3201",
        "name": "Bærum",
        "country": "NO",
        "url": "https://www.baerum.kommune.no/handlingsplan-mot-overgrep.pdf",
        "previous_url": None,
        "sha256": "c" * 64,
        "previous_sha256": None,
        "detected_at": WHEN,
        "evidence": {"statuses": [404, 404], "checks": [7, 8], "searched": "https://www.baerum.kommune.no/sok"},
        "language": "nb",
    }
    values.update(overrides)
    return AlertEvent(**values)  # type: ignore[arg-type]


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=2.0, trust_env=False) as client:
        yield client


# ---------------------------------------------------------------------------------------------------------------
# Signatures


def test_signature_round_trip_and_tampering() -> None:
    body = webhook_payload(event())
    header = sign(body, SECRET)
    assert header.startswith("sha256=") and len(header) == len("sha256=") + 64
    assert verify_signature(body, header, SECRET)
    assert verify_signature(body, f"  {header} ", SECRET)
    assert not verify_signature(body + b" ", header, SECRET)
    assert not verify_signature(body, header, "another secret")
    assert not verify_signature(body, header.replace("sha256=", "sha1="), SECRET)
    assert not verify_signature(body, None, SECRET)
    assert not verify_signature(body, "sha256=ø", SECRET)  # non-ASCII header: False, not an exception


def test_signature_matches_an_independent_hmac() -> None:
    import hashlib
    import hmac

    body = b'{"id":"x"}'
    assert sign(body, "s") == "sha256=" + hmac.new(b"s", body, hashlib.sha256).hexdigest()


# ---------------------------------------------------------------------------------------------------------------
# Webhook


def test_webhook_posts_signed_json_with_idempotency_key(client: httpx.Client) -> None:
    with running_receiver() as receiver:
        WebhookChannel(client, receiver.url, secret=SECRET).send(event())
        [request] = receiver.accepted()
    assert request.path == "/hook"
    assert verify_signature(request.body, request.headers["X-Planvakt-Signature"], SECRET)
    assert request.headers["Idempotency-Key"] == "evt-1"
    assert request.headers["Content-Type"].startswith("application/json")
    assert request.body == webhook_payload(event())
    assert json.loads(request.body)["name"] == "Bærum"


def test_webhook_without_secret_sends_no_signature(client: httpx.Client) -> None:
    with running_receiver() as receiver:
        WebhookChannel(client, receiver.url).send(event())
        [request] = receiver.accepted()
    assert "X-Planvakt-Signature" not in request.headers
    assert request.headers["Idempotency-Key"] == "evt-1"


def test_receiver_failing_twice_gets_the_event_exactly_once_by_idempotency_key(client: httpx.Client) -> None:
    with running_receiver(ReceiverScript(fail_times=2, fail_status=500)) as receiver:
        channel = WebhookChannel(client, receiver.url, secret=SECRET)
        failures: list[DeliveryFailed] = []
        for _attempt in range(1, MAX_ATTEMPTS + 1):  # the outbox's loop, without the sleeping
            try:
                channel.send(event("evt-42"))
                break
            except DeliveryFailed as failure:
                failures.append(failure)
        requests = list(receiver.requests)
        keys = receiver.delivered_keys()
    assert [f.status for f in failures] == [500, 500]
    assert all(f.retryable for f in failures)
    assert [r.status for r in requests] == [500, 500, 200]
    assert {r.headers["Idempotency-Key"] for r in requests} == {"evt-42"}
    assert all(verify_signature(r.body, r.headers["X-Planvakt-Signature"], SECRET) for r in requests)
    assert keys == ["evt-42"]


def test_deliver_posts_each_event_in_order(client: httpx.Client) -> None:
    with running_receiver() as receiver:
        WebhookChannel(client, receiver.url, secret=SECRET).deliver([event("a"), event("b"), event("c")])
        assert receiver.delivered_keys() == ["a", "b", "c"]


@pytest.mark.parametrize(
    ("status", "retryable"),
    [(400, False), (401, False), (404, False), (410, False), (408, True), (429, True), (500, True), (503, True)],
)
def test_webhook_status_decides_whether_to_retry(client: httpx.Client, status: int, retryable: bool) -> None:
    with running_receiver(ReceiverScript(status=status)) as receiver:
        with pytest.raises(DeliveryFailed) as caught:
            WebhookChannel(client, receiver.url, secret=SECRET).send(event())
    assert caught.value.retryable is retryable
    assert caught.value.status == status
    assert str(status) in caught.value.detail


def test_webhook_redirect_is_not_success(client: httpx.Client) -> None:
    with running_receiver(ReceiverScript(status=301, headers={"Location": "/elsewhere"})) as receiver:
        with pytest.raises(DeliveryFailed) as caught:
            WebhookChannel(client, receiver.url).send(event())
    assert caught.value.retryable and caught.value.status == 301


def test_webhook_429_reports_retry_after(client: httpx.Client) -> None:
    with running_receiver(ReceiverScript(status=429, headers={"Retry-After": "7200"})) as receiver:
        with pytest.raises(DeliveryFailed) as caught:
            WebhookChannel(client, receiver.url).send(event())
    assert caught.value.retry_after == 7200.0
    when = next_attempt_at(1, caught.value, WHEN)
    assert when == WHEN + timedelta(seconds=7200)


def test_webhook_timeout_and_refused_connection_are_retryable() -> None:
    with httpx.Client(timeout=0.2, trust_env=False) as quick:
        with running_receiver(ReceiverScript(delay=0.6)) as receiver:
            with pytest.raises(DeliveryFailed, match="timeout") as caught:
                WebhookChannel(quick, receiver.url).send(event())
        assert caught.value.retryable and caught.value.status is None
        with pytest.raises(DeliveryFailed) as refused:
            WebhookChannel(quick, f"http://127.0.0.1:{free_port()}/hook").send(event())
        assert refused.value.retryable and isinstance(refused.value.__cause__, httpx.ConnectError)


def test_webhook_url_must_be_http(client: httpx.Client) -> None:
    with pytest.raises(ConfigError):
        WebhookChannel(client, "file:///etc/passwd")


def test_webhook_errors_hide_tokens_and_unencodable_events_are_permanent(client: httpx.Client) -> None:
    with running_receiver(ReceiverScript(status=403)) as receiver:
        secret_url = receiver.url.replace("http://", "http://user:pw@") + "?token=s3cret"
        with pytest.raises(DeliveryFailed) as refused:
            WebhookChannel(client, secret_url).send(event())
        assert receiver.requests[0].path == "/hook?token=s3cret"
        with pytest.raises(DeliveryFailed) as unencodable:
            WebhookChannel(client, receiver.url).send(event(evidence={"bad": object()}))
        assert len(receiver.requests) == 1
    assert "s3cret" not in str(refused.value) and "pw" not in str(refused.value)
    assert not unencodable.value.retryable


# ---------------------------------------------------------------------------------------------------------------
# Retry arithmetic


def test_backoff_grows_exponentially_to_the_cap() -> None:
    assert [backoff_delay(n) for n in range(1, 9)] == [30, 60, 120, 240, 480, 960, 1920, 3600]
    assert backoff_delay(500) == 3600
    assert backoff_delay(3, base=1, cap=10) == 4
    with pytest.raises(ValueError):
        backoff_delay(0)


def test_backoff_jitter_is_reproducible_and_within_half_to_full_delay() -> None:
    draws = [backoff_delay(4, rng=random.Random(seed)) for seed in range(200)]
    assert all(120 <= d <= 240 for d in draws)
    assert max(draws) - min(draws) > 60  # actually spread out, not a constant
    assert backoff_delay(4, rng=random.Random(1)) == backoff_delay(4, rng=random.Random(1))


def test_next_attempt_dead_letters_after_max_attempts_or_permanent_failure() -> None:
    transient = DeliveryFailed("webhook", "500", retryable=True, status=500)
    permanent = DeliveryFailed("webhook", "410", retryable=False, status=410)
    assert next_attempt_at(1, transient, WHEN) == WHEN + timedelta(seconds=30)
    assert next_attempt_at(MAX_ATTEMPTS - 1, transient, WHEN) == WHEN + timedelta(seconds=1920)
    assert next_attempt_at(MAX_ATTEMPTS, transient, WHEN) is None
    assert next_attempt_at(1, permanent, WHEN) is None


# ---------------------------------------------------------------------------------------------------------------
# E-mail


def test_email_single_event_in_bokmaal_keeps_aeoeaa() -> None:
    with running_smtp() as sink:
        EmailChannel("127.0.0.1", sink.port, "planvakt@example.org").send("ngo@example.org", [event()])
        [mail] = sink.messages
    message = mail.parsed()
    assert mail.rcpt_tos == ("ngo@example.org",)
    assert mail.mail_from == "planvakt@example.org"
    assert message["Subject"] == "Planvakt: Planen til Bærum er ikke lenger å finne"
    assert message["To"] == "ngo@example.org"
    assert message["Content-Language"] == "nb"
    body = message.get_content()
    assert "Kommunenummer: 3201 Bærum" in body
    assert "https://www.baerum.kommune.no/handlingsplan-mot-overgrep.pdf" in body
    assert "https://www.baerum.kommune.no/sok" in body  # evidence link
    assert "statuses: 404, 404" in body


def test_email_in_nynorsk_for_a_nynorsk_kommune() -> None:
    nynorsk = event(kind="plan_appeared", kommunenummer="1577", name="Volda", language="nn")
    with running_smtp() as sink:
        EmailChannel("127.0.0.1", sink.port, "planvakt@example.org").send("lag@example.org", [nynorsk])
        [mail] = sink.messages
    message = mail.parsed()
    assert message["Subject"] == "Planvakt: Ny plan funnen for Volda"
    assert "Oppdaga: 12. mars 2025 15:05 CET" in message.get_content()
    assert "Planvakt har funne ein plan på nettstaden til kommunen for første gong." in message.get_content()


def test_email_digest_of_several_danish_events_is_one_message() -> None:
    events = [
        event("d1", kind="plan_appeared", country="DK", kommunenummer="0492", name="Ærø", language="da"),
        event("d2", kind="plan_moved", country="DK", kommunenummer="0550", name="Tønder", language="da"),
        event("d3", kind="plan_changed", country="DK", kommunenummer="0101", name="København", language="da"),
    ]
    with running_smtp() as sink:
        EmailChannel("127.0.0.1", sink.port, "planvakt@example.org").to("boern@example.dk").deliver(events)
        assert len(sink.messages) == 1
        message = sink.messages[0].parsed()
    assert message["Subject"] == "Planvakt: 3 ændringer"
    body = message.get_content()
    for expected in ("Ny plan fundet for Ærø", "Planen for Tønder er flyttet", "Planen for København er ændret"):
        assert expected in body
    assert message["Message-ID"].startswith("<") and message["Date"] is not None


def test_email_refused_recipient_permanent_or_temporary() -> None:
    channel_for = lambda port: EmailChannel("127.0.0.1", port, "planvakt@example.org")  # noqa: E731
    with running_smtp(SmtpSink(rcpt_reply="550 5.1.1 No such user")) as sink:
        with pytest.raises(DeliveryFailed) as permanent:
            channel_for(sink.port).send("gone@example.org", [event()])
        assert sink.messages == []
    assert not permanent.value.retryable
    with running_smtp(SmtpSink(rcpt_reply="451 4.3.0 Try again later")) as sink:
        with pytest.raises(DeliveryFailed) as temporary:
            channel_for(sink.port).send("busy@example.org", [event()])
    assert temporary.value.retryable


@pytest.mark.parametrize("password", ["plain-ascii", "blåbærsyltetøy"])  # smtplib alone refuses non-ASCII
def test_email_login_and_failed_login(password: str) -> None:
    with running_smtp(SmtpSink(credentials=("planvakt", password))) as sink:
        EmailChannel("127.0.0.1", sink.port, "planvakt@example.org", "planvakt", password).send("a@b.no", [event()])
        with pytest.raises(DeliveryFailed) as caught:
            EmailChannel("127.0.0.1", sink.port, "planvakt@example.org", "planvakt", "wrong").send("a@b.no", [event()])
        assert sink.logins == ["planvakt"] and len(sink.messages) == 1
    assert not caught.value.retryable and caught.value.status == 535


def test_email_unreachable_server_is_retryable_and_missing_starttls_is_not() -> None:
    with pytest.raises(DeliveryFailed) as unreachable:
        EmailChannel("127.0.0.1", free_port(), "planvakt@example.org", timeout=2).send("a@b.no", [event()])
    assert unreachable.value.retryable
    with running_smtp() as sink:
        with pytest.raises(DeliveryFailed) as no_tls:
            EmailChannel("127.0.0.1", sink.port, "planvakt@example.org", starttls=True).send("a@b.no", [event()])
        assert sink.messages == []
    assert not no_tls.value.retryable


# ---------------------------------------------------------------------------------------------------------------
# Apprise


def apprise_url(receiver_url: str) -> str:
    return receiver_url.replace("http://", "json://")


def test_apprise_json_reaches_the_receiver_with_title_and_text() -> None:
    events = [event("x1"), event("x2", kind="plan_appeared", name="Asker")]
    with running_receiver() as receiver:
        AppriseChannel(apprise_url(receiver.url)).deliver(events)
        [request] = receiver.accepted()
    payload = json.loads(request.body)
    assert request.path == "/hook"
    assert payload["title"] == "Planvakt: 2 endringer"
    assert "Planen til Bærum er ikke lenger å finne" in payload["message"]
    assert "Ny plan funnet for Asker" in payload["message"]
    assert payload["type"] == "warning"  # a vanished plan in the batch colours the whole notification


def test_apprise_failure_is_retryable_and_bad_url_is_a_config_error() -> None:
    with running_receiver(ReceiverScript(status=500)) as receiver:
        with pytest.raises(DeliveryFailed) as caught:
            AppriseChannel(apprise_url(receiver.url)).send([event(kind="plan_appeared")])
        assert len(receiver.requests) == 1
    assert caught.value.retryable
    with pytest.raises(ConfigError):
        AppriseChannel("nosuchscheme://token@host")


def test_next_attempt_takes_the_configured_maximum() -> None:
    transient = DeliveryFailed("webhook", "503", retryable=True, status=503)
    assert next_attempt_at(2, transient, WHEN, max_attempts=3) == WHEN + timedelta(seconds=60)
    assert next_attempt_at(3, transient, WHEN, max_attempts=3) is None
    assert next_attempt_at(MAX_ATTEMPTS, transient, WHEN, max_attempts=MAX_ATTEMPTS + 5) is not None
