"""Webhook delivery connects only to the address the guard checked (issue 12, item 3, for alerts).

The outbox checked a target's name (`guard_target`) and then let httpx resolve it again, so a name that answers
public to the check and 127.0.0.x to the connection (DNS rebinding) was posted to. Here the resolver is injected and
rebinds on its second answer; the receiver is a real server on that loopback address and records every hit.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterator, Sequence
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import Engine

from crawlers.errors import RefusedAddress
from crawlers.netguard import IPAddress, SyncGuardedBackend, sync_transport
from tests.receivers import Receiver, running_receiver
from tests.tracker.test_outbox import START, Clock, World
from tracker.alerts.channels import Channels
from tracker.alerts.outbox import DeliveryReport, send_due
from tracker.config import Settings
from tracker.store import database
from tracker.store.models import KommuneRow

pytestmark = pytest.mark.filterwarnings("ignore:.imghdr. is deprecated:DeprecationWarning")

PUBLIC = ipaddress.ip_address("93.184.215.14")
RECEIVER_HOST = "127.0.0.77"
NAME = "hooks.rebind.test"  # not in any DNS: only the injected resolver knows it


class Rebinding:
    """Answers `first` to the first look-up and `then` afterwards; an OSError in `then` is raised (no answer)."""

    def __init__(self, first: Sequence[IPAddress], then: Sequence[IPAddress] | OSError) -> None:
        self.first = first
        self.then = then
        self.calls: list[str] = []

    def __call__(self, host: str, port: int) -> Sequence[IPAddress]:
        self.calls.append(host)
        if len(self.calls) == 1:
            return self.first
        if isinstance(self.then, OSError):
            raise self.then
        return self.then


@pytest.fixture
def world(engine: Engine) -> World:
    factory = database.make_session_factory(engine)
    row = KommuneRow(kommunenummer="0301", country="NO", name="Oslo", website="https://oslo.example")
    with factory.begin() as session:
        session.add(row)
        session.flush()
        ids = {"0301": row.id}
    return World(factory, engine, ids)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with running_receiver(host=RECEIVER_HOST) as running:
        yield running


def _pass(world: World, database_url: str, resolver: Rebinding, *, allow_private_networks: bool) -> DeliveryReport:
    settings = Settings(database_url=database_url, alert_max_attempts=4)
    with Channels.from_settings(settings, allow_private_networks=allow_private_networks, resolver=resolver) as built:
        return send_due(world.factory, settings, now=Clock(START + timedelta(minutes=1)), channels=built)


def test_a_name_that_rebinds_to_loopback_after_the_check_gets_nothing(
    world: World, database_url: str, receiver: Receiver
) -> None:
    world.subscribe("webhook", f"http://{NAME}:{receiver.port}/hook")
    world.event("0301")
    resolver = Rebinding([PUBLIC], [ipaddress.ip_address(RECEIVER_HOST)])
    report = _pass(world, database_url, resolver, allow_private_networks=False)
    assert receiver.requests == [] and not receiver.arrived.is_set()
    assert resolver.calls == [NAME, NAME]  # the guard's look-up passed; the connection's own was refused
    assert (report.sent, report.retried, report.dead) == (0, 0, 1)
    (row,) = world.deliveries()
    assert row.state == "dead"
    assert "private network" in (row.last_error or "") and RECEIVER_HOST in (row.last_error or "")


def test_a_name_that_stops_resolving_is_retried_and_nothing_is_sent(
    world: World, database_url: str, receiver: Receiver
) -> None:
    world.subscribe("webhook", f"http://{NAME}:{receiver.port}/hook")
    world.event("0301")
    resolver = Rebinding([PUBLIC], socket.gaierror(socket.EAI_NONAME, "Name or service not known"))
    report = _pass(world, database_url, resolver, allow_private_networks=False)
    assert receiver.requests == [] and not receiver.arrived.is_set()
    assert (report.sent, report.retried, report.dead) == (0, 1, 0)
    (row,) = world.deliveries()
    assert row.state == "pending" and "could not resolve" in (row.last_error or "")


def test_a_name_that_never_resolves_passes_the_check_but_is_never_connected(
    world: World, database_url: str, receiver: Receiver
) -> None:
    world.subscribe("webhook", f"http://{NAME}:{receiver.port}/hook")
    world.event("0301")
    resolver = Rebinding([], socket.gaierror(socket.EAI_NONAME, "Name or service not known"))
    report = _pass(world, database_url, resolver, allow_private_networks=False)
    assert receiver.requests == [] and not receiver.arrived.is_set()
    assert report.retried == 1


def test_with_private_networks_allowed_the_post_goes_to_the_looked_up_address(
    world: World, database_url: str, receiver: Receiver
) -> None:
    """The name is in no DNS: the receiver is reached only because the client connects to the resolver's answer."""
    world.subscribe("webhook", f"http://{NAME}:{receiver.port}/hook")
    world.event("0301")
    resolver = Rebinding([ipaddress.ip_address(RECEIVER_HOST)], [ipaddress.ip_address(RECEIVER_HOST)])
    report = _pass(world, database_url, resolver, allow_private_networks=True)
    assert report.sent == 1
    (hit,) = receiver.accepted()
    assert hit.headers["Host"] == f"{NAME}:{receiver.port}"


def test_the_sync_backend_refuses_any_private_answer_and_sends_nothing(receiver: Receiver) -> None:
    """A mixed answer (public and loopback) or an IPv6 address embedding loopback (6to4) is refused outright."""
    for answer in ([PUBLIC, ipaddress.ip_address(RECEIVER_HOST)], [ipaddress.ip_address("2002:7f00:4d::")]):
        backend = SyncGuardedBackend(allow_private_networks=False, resolver=lambda host, port, a=answer: a)
        with httpx.Client(transport=sync_transport(backend, httpx.Limits()), trust_env=False) as client:
            with pytest.raises(RefusedAddress, match="non-public"):
                client.post(f"http://{NAME}:{receiver.port}/hook", content=b"{}")
    assert receiver.requests == [] and not receiver.arrived.is_set()
