"""HEAD, conditional GET and the response cache for every route, as one pure ASGI middleware.

- HEAD is answered on every GET route: the route runs as a GET and the body is dropped, so the headers are the
  GET's (FastAPI's routes answer only the methods they declare; HEAD would be 405).
- The shared pages and downloads (the routes `create_app` passes as `versioned`: overview, kommune, changes,
  health, data, the API) get a strong ETag from the data version (`tracker.store.database.data_version`, bumped by
  database triggers on every write), the UTC day, the app instance and the request's host, path, query and chosen
  language; `Last-Modified` is when the data last changed (or the day began, or the app started, whichever is
  latest); `Cache-Control: no-cache` so browsers revalidate every time and get `304 Not Modified` while nothing
  changed. Their complete 200 responses are kept in the `ResponseCache` under the same key: a page is rendered
  once per data version, then served from memory.
- Every other route keeps what it does, and a 200 that carries its own ETag or Last-Modified (archived evidence,
  the favicon, static files) is turned into a 304 when the request's validators match.

Pages with a per-user part (CSRF tokens in forms, a reviewer's session: act, review, subscriptions) are never in
`versioned`, so they are neither cached nor given a shared ETag; as a second guard a response that sets any
cookie but the language cookie is never stored.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, time
from email.utils import format_datetime, parsedate_to_datetime

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.routing import BaseRoute, Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from dashboards.i18n import UI_LANGUAGES
from dashboards.rendering import LANG_COOKIE
from dashboards.response_cache import CachedResponse, CacheKey, ResponseCache
from tracker.store.database import DataVersionStamp

#: headers a 304 repeats from the 200 it stands for (RFC 9110, 15.4.5)
_NOT_MODIFIED_KEEPS = frozenset({b"etag", b"last-modified", b"cache-control", b"vary", b"expires", b"content-location"})
_DROPPED_FROM_CACHE = frozenset({b"content-length", b"transfer-encoding", b"date", b"server"})


def not_modified(request: Headers, etag: str | None, last_modified: str | None) -> bool:
    """Whether the request's If-None-Match (first) or If-Modified-Since matches the response's validators."""
    if_none_match = request.get("if-none-match")
    if if_none_match is not None:
        if etag is None:
            return False
        tags = [tag.strip().removeprefix("W/") for tag in if_none_match.split(",")]
        return "*" in tags or etag.removeprefix("W/") in tags
    if_modified_since = request.get("if-modified-since")
    if if_modified_since is None or last_modified is None:
        return False
    try:
        return parsedate_to_datetime(last_modified) <= parsedate_to_datetime(if_modified_since)
    except (TypeError, ValueError):
        return False  # a malformed date is ignored (RFC 9110, 13.1.3)


def http_date(moment: datetime) -> str:
    return format_datetime(moment.astimezone(UTC).replace(microsecond=0), usegmt=True)


async def _send_whole(send: Send, status: int, headers: Sequence[tuple[bytes, bytes]], body: bytes) -> None:
    await send({"type": "http.response.start", "status": status, "headers": list(headers)})
    await send({"type": "http.response.body", "body": body})


def _not_modified_headers(headers: Sequence[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    return [(name, value) for name, value in headers if name.lower() in _NOT_MODIFIED_KEEPS]


class ConditionalMiddleware:
    """HEAD everywhere, 304s everywhere a validator allows, and the data-versioned response cache.

    `read_version` is a blocking call. `version_in_thread=False` runs it on the event loop: right for SQLite (a
    primary-key read of a local file, which WAL readers never wait for; two thread hops cost more than the
    read, measured 0.54 against 0.81 ms of CPU per cached overview), wrong for a database across a socket.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        cache: ResponseCache,
        read_version: Callable[[], DataVersionStamp],
        versioned: Sequence[BaseRoute],
        now: Callable[[], datetime],
        instance: str,
        started_at: datetime,
        version_in_thread: bool = True,
    ) -> None:
        self.app = app
        self.cache = cache
        self.read_version = read_version
        self.versioned = tuple(versioned)
        self.now = now
        self.instance = instance
        self.started_at = started_at
        self.version_in_thread = version_in_thread

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        head = scope["method"] == "HEAD"
        get_scope = {**scope, "method": "GET"}
        if any(route.matches(get_scope)[0] == Match.FULL for route in self.versioned):
            await self._versioned(get_scope, receive, send, head)
        else:
            await self._plain(get_scope, receive, send, head)

    # -- every other route: HEAD, and a 304 when the route's own validators match ------------------------------

    async def _plain(self, scope: Scope, receive: Receive, send: Send, head: bool) -> None:
        request = Headers(scope=scope)
        replaced = False  # the body is being swallowed (a 304, or a HEAD)

        async def send_checked(message: Message) -> None:
            nonlocal replaced
            if message["type"] == "http.response.start":
                own = Headers(raw=message.get("headers", []))
                if message["status"] == 200 and not_modified(request, own.get("etag"), own.get("last-modified")):
                    message = {**message, "status": 304, "headers": _not_modified_headers(message["headers"])}
                    replaced = True
                replaced = replaced or head
            elif message["type"] == "http.response.body" and replaced:
                message = {**message, "body": b""}
            await send(message)

        await self.app(scope, receive, send_checked)

    # -- the shared pages: data-versioned ETag, 304, and the response cache --------------------------------------

    def _key(self, scope: Scope, version: int) -> CacheKey:
        headers = Headers(scope=scope)
        cookie_lang = _cookie(headers.get("cookie", ""), LANG_COOKIE)
        return (
            version,
            self.now().date().isoformat(),
            f"{scope['scheme']}://{headers.get('host', '')}",
            scope["path"],
            scope["query_string"].decode("latin-1"),
            cookie_lang if cookie_lang in UI_LANGUAGES else "",
            self.instance,
        )

    def _validators(self, key: CacheKey, stamp: DataVersionStamp) -> list[tuple[bytes, bytes]]:
        digest = hashlib.blake2b(repr(key).encode(), digest_size=12).hexdigest()
        day_began = datetime.combine(self.now().date(), time(), UTC)
        modified = max(stamp.changed_at, day_began, self.started_at)
        return [
            (b"etag", f'"{stamp.number}-{digest}"'.encode()),
            (b"last-modified", http_date(modified).encode()),
            (b"cache-control", b"no-cache"),
            (b"vary", b"Cookie"),
        ]

    async def _versioned(self, scope: Scope, receive: Receive, send: Send, head: bool) -> None:
        stamp = await run_in_threadpool(self.read_version) if self.version_in_thread else self.read_version()
        current = self.cache.observe_version(stamp.number)
        key = self._key(scope, stamp.number)
        validators = self._validators(key, stamp)
        found = Headers(raw=validators)
        # a 304 only stands for a 200 (RFC 9110, 13.2.1): known from the cache, else once the route has answered
        unchanged = not_modified(Headers(scope=scope), found["etag"], found["last-modified"])
        entry = self.cache.get(key) if current else None
        if entry is None and current and (pending := self.cache.building(key)) is not None:
            entry = await pending
        if entry is not None and unchanged:
            await _send_whole(send, 304, _not_modified_headers(entry.headers), b"")
            return
        if entry is not None:
            await _send_whole(send, entry.status, entry.headers, b"" if head else entry.body)
            return
        builds = current and self.cache.building(key) is None
        if builds:
            self.cache.start_building(key)
        built: CachedResponse | None = None
        try:
            built = await self._build(scope, receive, send, head, validators, unchanged)
        finally:
            if builds:
                if built is not None:
                    self.cache.put(key, built)
                self.cache.finish_building(key, built)

    async def _build(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        head: bool,
        validators: list[tuple[bytes, bytes]],
        unchanged: bool,
    ) -> CachedResponse | None:
        """Run the route, stream its response to the client (a 304 if it is a 200 the client has: `unchanged`),
        and return it whole if it may be kept."""
        swallow = head
        status = 0
        headers: list[tuple[bytes, bytes]] = []
        chunks: list[bytes] = []
        size = 0
        keep = True
        limit = self.cache.max_entry_bytes

        async def send_and_copy(message: Message) -> None:
            nonlocal status, headers, size, keep, swallow
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = list(message.get("headers", []))
                if status == 200:
                    headers += validators
                    message = {**message, "headers": headers}
                    if unchanged:
                        message = {**message, "status": 304, "headers": _not_modified_headers(headers)}
                        swallow = True
                keep = status == 200 and _only_language_cookie(headers)
            elif message["type"] == "http.response.body":
                body = message.get("body", b"")
                size += len(body)
                keep = keep and size <= limit
                if keep:
                    chunks.append(body)
                if swallow:
                    message = {**message, "body": b""}
            await send(message)

        await self.app(scope, receive, send_and_copy)
        if not keep or status != 200:
            return None
        body = b"".join(chunks)
        kept = [(n, v) for n, v in headers if n.lower() not in _DROPPED_FROM_CACHE]
        kept.append((b"content-length", str(len(body)).encode()))
        return CachedResponse(status, tuple(kept), body)


def _only_language_cookie(headers: Sequence[tuple[bytes, bytes]]) -> bool:
    """No cookie but the language choice (which the query selects, so it is the same for everyone) is set."""
    prefix = f"{LANG_COOKIE}=".encode()
    return all(value.startswith(prefix) for name, value in headers if name.lower() == b"set-cookie")


def _cookie(header: str, name: str) -> str:
    for part in header.split(";"):
        key, _, value = part.strip().partition("=")
        if key == name:
            return value
    return ""
