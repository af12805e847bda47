"""Real receivers for alert tests: an HTTP server that records every POST, and an aiosmtpd SMTP sink.

The HTTP receiver is a threaded server on a loopback address, port 0. It can be told to fail first (`fail_times`
answers of `fail_status`, e.g. 500 twice, then 200), to answer a fixed status with headers (410, 429 with
Retry-After), or to stall longer than the client's timeout. `accepted()` gives the requests it answered 2xx, and
`delivered_keys()` the idempotency keys as a receiver that deduplicates sees them.
The SMTP sink keeps each message's raw bytes; it can refuse recipients with a given reply and check a login.
"""

from __future__ import annotations

import email
import email.policy
import socket
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


@dataclass(frozen=True)
class ReceivedRequest:
    method: str
    path: str
    headers: Mapping[str, str]
    body: bytes
    status: int  # what the receiver answered


@dataclass
class ReceiverScript:
    """What the receiver answers; mutable so a test can change it between deliveries."""

    fail_times: int = 0
    fail_status: int = 500
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    #: the first `stall_times` requests wait `stall` seconds before answering (a receiver hanging mid-delivery)
    stall_times: int = 0
    stall: float = 0.0


class Receiver:
    """Handle on a running receiver: its URL, its script and what it recorded."""

    def __init__(self, server: ThreadingHTTPServer, script: ReceiverScript) -> None:
        self._server = server
        self.script = script
        self.requests: list[ReceivedRequest] = []
        self.lock = threading.Lock()
        #: set as soon as a request has arrived (before it is answered)
        self.arrived = threading.Event()

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/hook"

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    def accepted(self) -> list[ReceivedRequest]:
        with self.lock:
            return [request for request in self.requests if 200 <= request.status < 300]

    def delivered_keys(self) -> list[str]:
        """Idempotency keys of accepted requests, each once, as a deduplicating receiver would process them."""
        keys: list[str] = []
        for request in self.accepted():
            key = request.headers.get("Idempotency-Key", "")
            if key not in keys:
                keys.append(key)
        return keys

    def _answer(self) -> tuple[int, dict[str, str], float]:
        with self.lock:
            script = self.script
            delay = script.delay
            if script.stall_times > 0:
                script.stall_times -= 1
                delay = max(delay, script.stall)
            if script.fail_times > 0:
                script.fail_times -= 1
                return script.fail_status, {}, delay
            return script.status, dict(script.headers), delay


def _handler(receiver_ref: list[Receiver]) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # Headers and body go out as two writes: with Nagle on, the body waits for the client's delayed ACK (40 ms).
        disable_nagle_algorithm = True

        def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
            receiver = receiver_ref[0]
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            receiver.arrived.set()
            status, headers, delay = receiver._answer()
            if delay:
                time.sleep(delay)
            with receiver.lock:
                receiver.requests.append(
                    ReceivedRequest("POST", self.path, {k: v for k, v in self.headers.items()}, body, status)
                )
            reply = b"ok" if status < 300 else b"no"
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            try:
                self.wfile.write(reply)
            except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout tests)
                pass

        def log_message(self, format: str, *args: object) -> None:  # keep test output quiet
            pass

    return Handler


@contextmanager
def running_receiver(script: ReceiverScript | None = None, host: str = "127.0.0.1") -> Iterator[Receiver]:
    """Start a receiver on `host`, port 0 (the OS picks a free one); stop it on exit."""
    ref: list[Receiver] = []
    server = ThreadingHTTPServer((host, 0), _handler(ref))
    server.daemon_threads = True
    receiver = Receiver(server, script or ReceiverScript())
    ref.append(receiver)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@dataclass(frozen=True)
class ReceivedMail:
    mail_from: str
    rcpt_tos: tuple[str, ...]
    raw: bytes

    def parsed(self) -> EmailMessage:
        """Parse the raw bytes as bytes: decoding to str first would mangle æøå."""
        return email.message_from_bytes(self.raw, policy=email.policy.default)


class SmtpSink:
    """aiosmtpd handler recording messages; `rcpt_reply` (e.g. "550 5.1.1 no such user") refuses recipients."""

    def __init__(self, rcpt_reply: str | None = None, credentials: tuple[str, str] | None = None) -> None:
        self.messages: list[ReceivedMail] = []
        self.rcpt_reply = rcpt_reply
        self.credentials = credentials
        self.logins: list[str] = []
        self.port = 0

    async def handle_RCPT(  # noqa: N802 (aiosmtpd's hook names)
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        if self.rcpt_reply:
            return self.rcpt_reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.messages.append(ReceivedMail(envelope.mail_from, tuple(envelope.rcpt_tos), bytes(envelope.content)))
        return "250 Message accepted for delivery"

    def authenticate(self, server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> AuthResult:
        if isinstance(auth_data, LoginPassword) and self.credentials is not None:
            login, password = auth_data.login.decode(), auth_data.password.decode()
            if (login, password) == self.credentials:
                self.logins.append(login)
                return AuthResult(success=True)
        return AuthResult(success=False, handled=False)


def free_port(host: str = "127.0.0.1") -> int:
    """A port free right now (aiosmtpd's Controller cannot report the port it got from port 0)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


@contextmanager
def running_smtp(sink: SmtpSink | None = None, host: str = "127.0.0.1") -> Iterator[SmtpSink]:
    """Start an aiosmtpd server for `sink` on `host`; login is offered (without TLS) when the sink has credentials."""
    sink = sink or SmtpSink()
    auth: dict[str, Any] = {}
    if sink.credentials is not None:
        auth = {"authenticator": sink.authenticate, "auth_require_tls": False}
    controller = Controller(sink, hostname=host, port=free_port(host), **auth)
    controller.start()
    sink.port = controller.port
    try:
        yield sink
    finally:
        controller.stop()
