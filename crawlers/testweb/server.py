"""A multi-host HTTP server for tests: one `ThreadingHTTPServer` per loopback address, routes per site.

Every kommune in the test web gets its own host (127.x.y.z) so the crawler sees separate sites with their own
robots.txt and per-host politeness, just as on the internet. Routes can be swapped while serving, replies can
be delayed, and every request is logged (with its User-Agent and timing) so tests can assert what the crawler
did and did not fetch.
"""

from __future__ import annotations

import ipaddress
import logging
import selectors
import socket
import socketserver
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

logger = logging.getLogger(__name__)

NOT_FOUND_HTML = (
    '<!DOCTYPE html><html lang="nb"><head><meta charset="utf-8"><title>Siden finnes ikke</title></head>'
    "<body><h1>Siden finnes ikke</h1><p>Beklager, vi fant ikke siden du leter etter.</p>"
    '<p><a href="/">Til forsiden</a></p></body></html>'
)


class _Headers(Mapping[str, str]):
    """Request headers with case-insensitive lookup (`headers["host"]` and `headers["Host"]` both work)."""

    def __init__(self, items: Iterable[tuple[str, str]]) -> None:
        self._items = list(items)
        self._lower = {k.lower(): v for k, v in self._items}

    def __getitem__(self, key: str) -> str:
        return self._lower[key.lower()]

    def __iter__(self) -> Iterator[str]:
        return iter(k for k, _ in self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __repr__(self) -> str:
        return f"Headers({self._items!r})"


@dataclass(frozen=True)
class Request:
    """What a route handler sees of one request."""

    host: str
    path: str  # percent-decoded, without the query
    query: dict[str, list[str]]
    headers: Mapping[str, str]
    method: str
    raw_target: str = ""  # the request target exactly as sent (path and query, still encoded)


@dataclass
class Reply:
    """What a route answers. A `str` body is sent UTF-8 encoded."""

    status: int = 200
    body: bytes | str = b""
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to wait before answering (slow pages, timeouts)


Route = Reply | Callable[[Request], Reply]


def redirect(location: str, status: int = 301) -> Reply:
    """A redirect reply (301 by default) to `location` (absolute path or URL)."""
    return Reply(status=status, body=b"", headers={"Location": location})


@dataclass(frozen=True)
class LoggedRequest:
    """One served request. `started`/`finished` are `time.monotonic()` seconds; `finished` is when the answer was
    handed to the socket."""

    host: str
    path_with_query: str
    method: str
    started: float
    finished: float
    user_agent: str
    status: int = 0


class Site:
    """One host of the test web: a loopback address and its routes (path without query -> Route)."""

    def __init__(self, host: str, routes: dict[str, Route] | None = None, name: str = "") -> None:
        if not ipaddress.ip_address(host).is_loopback:
            raise ValueError(f"test sites must use a loopback address, not {host!r}")
        self.host = host
        self.name = name or host
        self._routes: dict[str, Route] = dict(routes or {})
        self._lock = threading.Lock()

    def set(self, path: str, route: Route) -> None:
        """Add or replace a route; safe while serving."""
        with self._lock:
            self._routes[path] = route

    def remove(self, path: str) -> None:
        """Drop a route (it answers 404 from then on); a missing path is ignored."""
        with self._lock:
            self._routes.pop(path, None)

    def get(self, path: str) -> Route | None:
        """The route for a path; `;jsessionid=...` style path parameters are ignored as servlet containers do."""
        with self._lock:
            route = self._routes.get(path)
            if route is None and ";" in path:
                route = self._routes.get(path.split(";", 1)[0])
            return route

    def paths(self) -> list[str]:
        """All routed paths (a snapshot)."""
        with self._lock:
            return list(self._routes)

    def __repr__(self) -> str:
        return f"Site({self.host!r}, name={self.name!r}, routes={len(self._routes)})"


class _HostServer(ThreadingHTTPServer):
    """A ThreadingHTTPServer that remembers its open connections so `stop()` can cut keep-alive ones."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], site: Site, owner: MultiHostServer) -> None:
        self.site = site
        self.owner = owner
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        super().__init__(address, _Handler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind does a reverse DNS lookup (getfqdn) per address: ~0.1 s each, skip it.
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name = str(host)
        self.server_port = int(port)

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._connections_lock:
            self._connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._connections_lock:
            self._connections.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        with self._connections_lock:
            connections = list(self._connections)
            self._connections.clear()
        for conn in connections:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Clients hanging up mid-reply (timeouts in tests) are expected; keep stderr quiet.
        logger.debug("error while serving %s on %s", client_address, self.site.host, exc_info=True)


class _Handler(BaseHTTPRequestHandler):
    server: _HostServer
    protocol_version = "HTTP/1.1"
    server_version = "PlanvaktTestweb/1.0"
    sys_version = ""
    timeout = 30  # idle keep-alive connections give up after this
    disable_nagle_algorithm = True  # headers and body go out in two writes: avoid the 40 ms delayed-ACK stall

    def do_GET(self) -> None:
        self._serve(send_body=True)

    def do_HEAD(self) -> None:
        self._serve(send_body=False)

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        self._serve(send_body=True)

    def _serve(self, send_body: bool) -> None:
        started = time.monotonic()
        site = self.server.site
        split = urlsplit(self.path)
        path = unquote(split.path) or "/"
        request = Request(
            host=site.host,
            path=path,
            query=parse_qs(split.query, keep_blank_values=True),
            headers=_Headers(self.headers.items()),
            method=self.command,
            raw_target=self.path,
        )
        route = site.get(path)
        if route is None:
            reply = Reply(status=404, body=NOT_FOUND_HTML)
        elif isinstance(route, Reply):
            reply = route
        else:
            try:
                reply = route(request)
            except Exception:  # a broken test route must show as a 500, not a dropped connection
                logger.exception("route %s on %s failed", path, site.host)
                reply = Reply(status=500, body="<h1>Intern feil</h1>")
        status = reply.status
        if reply.delay > 0:
            time.sleep(reply.delay)
        body = reply.body.encode("utf-8") if isinstance(reply.body, str) else reply.body
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in reply.headers.items():
            self.send_header(name, value)
        # Logged before the first byte leaves (headers are buffered until end_headers): a client that has the
        # answer always finds its request in the log, and `finished` is never later than the answer.
        self.server.owner._log(
            LoggedRequest(
                host=site.host,
                path_with_query=self.path,
                method=self.command,
                started=started,
                finished=time.monotonic(),
                user_agent=self.headers.get("User-Agent", ""),
                status=status,
            )
        )
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        logger.debug("%s %s", self.server.site.host, format % args)


class MultiHostServer:
    """Serves many `Site`s, each bound to its own loopback address, sharing one port where possible."""

    def __init__(self, sites: Iterable[Site], port: int = 0) -> None:
        self.sites: list[Site] = list(sites)
        hosts = [s.host for s in self.sites]
        if len(set(hosts)) != len(hosts):
            raise ValueError("two sites share a host address")
        self._by_host = {s.host: s for s in self.sites}
        self._port = port
        self._servers: dict[str, _HostServer] = {}
        self._threads: list[threading.Thread] = []
        self._stopping = threading.Event()
        self._selector: selectors.BaseSelector | None = None
        self._wake_r: socket.socket | None = None
        self._wake_w: socket.socket | None = None
        self._log_lock = threading.Condition()
        self.request_log: list[LoggedRequest] = []
        self.port: int = port

    def start(self) -> None:
        """Bind every site and serve: one accept thread, a daemon thread per connection.

        With port 0 one free port is picked and reused for all hosts.
        """
        if self._servers:
            return
        port = self._port
        try:
            for site in self.sites:
                server = self._bind(site, port)
                if port == 0:
                    port = server.server_address[1]
                    self.port = port
                self._servers[site.host] = server
        except BaseException:
            self._close_all()
            raise
        # One accept loop for all hosts (a thread per listening socket makes thousands of hosts crawl).
        self._selector = selectors.DefaultSelector()
        self._wake_r, self._wake_w = socket.socketpair()
        self._selector.register(self._wake_r, selectors.EVENT_READ, None)
        for server in self._servers.values():
            self._selector.register(server.socket, selectors.EVENT_READ, server)
        self._stopping.clear()
        thread = threading.Thread(target=self._accept_loop, name="testweb-accept", daemon=True)
        thread.start()
        self._threads.append(thread)
        logger.debug("test web serving %d sites on port %d", len(self._servers), self.port)

    def _accept_loop(self) -> None:
        selector = self._selector
        assert selector is not None
        while not self._stopping.is_set():
            for key, _ in selector.select(timeout=1.0):
                if key.data is None:
                    continue  # woken by stop()
                key.data._handle_request_noblock()  # accept, then a handler thread (ThreadingMixIn)

    def _bind(self, site: Site, port: int) -> _HostServer:
        try:
            return _HostServer((site.host, port), site, self)
        except OSError:
            if self._port != 0 or port == 0:
                raise
            # The shared port is taken on this address: fall back to a port of its own.
            return _HostServer((site.host, 0), site, self)

    def stop(self) -> None:
        """Stop serving, close listening sockets and cut open connections."""
        self._stopping.set()
        if self._wake_w is not None:
            self._wake_w.send(b"x")
        for thread in self._threads:
            thread.join(timeout=5)
        self._threads.clear()
        self._close_all()
        if self._selector is not None:
            self._selector.close()
            self._selector = None
        for sock in (self._wake_r, self._wake_w):
            if sock is not None:
                sock.close()
        self._wake_r = self._wake_w = None

    def _close_all(self) -> None:
        for server in self._servers.values():
            server.server_close()
            server.close_connections()
        self._servers.clear()

    def __enter__(self) -> MultiHostServer:
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def site(self, host: str) -> Site:
        return self._by_host[host]

    def port_of(self, host: str) -> int:
        """The port a host is served on (the shared port unless it had to fall back)."""
        server = self._servers.get(host)
        if server is None:
            raise KeyError(f"{host} is not served (server not started?)")
        return int(server.server_address[1])

    def base_url(self, host: str) -> str:
        """`http://HOST:PORT` without a trailing slash."""
        return f"http://{host}:{self.port_of(host)}"

    def url(self, host: str, path: str = "/") -> str:
        return self.base_url(host) + path

    def _log(self, entry: LoggedRequest) -> None:
        with self._log_lock:
            self.request_log.append(entry)
            self._log_lock.notify_all()

    def wait_for_requests(self, count: int, timeout: float = 5.0) -> list[LoggedRequest]:
        """The log once it holds `count` requests (or after `timeout`), for requests whose answers the client
        may not have waited for (a render cut short, a client that hung up)."""
        with self._log_lock:
            self._log_lock.wait_for(lambda: len(self.request_log) >= count, timeout)
            return list(self.request_log)

    def requests_to(self, host: str) -> list[LoggedRequest]:
        """Logged requests for one host (a snapshot)."""
        with self._log_lock:
            return [r for r in self.request_log if r.host == host]

    def clear_log(self) -> None:
        with self._log_lock:
            self.request_log.clear()
