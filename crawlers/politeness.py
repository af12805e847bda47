"""Politeness: robots.txt rules per origin and the per-host gate (one request in flight, a delay between them).

robots.txt decisions (documented choice, close to Google's):
- 2xx: parsed with protego (only the first 500 KiB, as Google; a byte order mark decides the encoding, so a
  UTF-16 file is obeyed); our User-Agent's group applies; `Crawl-delay` raises the host's delay to
  max(per_host_delay, crawl_delay); `Sitemap:` lines are kept for discovery.
- 404 and other 4xx (except 429): no robots.txt, everything allowed.
- 429, 5xx: the site is telling us to back off; treat as disallow-all for this run (counted as blocked).
- network failure (refused, timeout, DNS): the origin is unreachable for this run; fetches raise `FetchError`.

The gate stamps a host's delay from when the previous response ENDED (body read), not from when the next
request was queued, so the server never sees a gap shorter than the delay. With `SharedSlots` (the queue's
workers: `tracker.store.host_leases`) a host's slot is also taken across processes, for every host a request goes to.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Literal, Protocol

from protego import Protego

RobotsState = Literal["parsed", "allow_all", "deny_all", "unreachable"]


@dataclass
class RobotsRules:
    """What one origin's robots.txt says for our User-Agent."""

    state: RobotsState
    user_agent: str
    parser: Protego | None = None
    crawl_delay: float | None = None
    sitemaps: tuple[str, ...] = ()
    #: why the rules are what they are ("robots.txt answered 503", connection error text ...)
    detail: str = ""

    def allows(self, url: str) -> bool:
        """Whether robots.txt lets our User-Agent fetch `url` (an unreachable origin allows nothing)."""
        if self.state == "allow_all":
            return True
        if self.state in ("deny_all", "unreachable") or self.parser is None:
            return False
        return bool(self.parser.can_fetch(url, self.user_agent))

    @property
    def disallows_everything(self) -> bool:
        return self.state == "deny_all"


def _product_token(user_agent: str) -> str:
    """The product token robots.txt groups match against ("PlanvaktBot/0.1 (+...)" -> "PlanvaktBot")."""
    return user_agent.split("/", 1)[0].split(" ", 1)[0] or user_agent


def rules_from_response(status: int, text: str, user_agent: str, *, truncated: bool = False) -> RobotsRules:
    """Turn a robots.txt answer into rules (see the module docstring for the choices).

    `truncated`: `text` is only the start of a longer file (the fetcher reads 500 KiB); its last, possibly cut
    line is dropped, since "Allow: /a" cut from "Allow: /admin-only/public" would allow more than the site did.
    """
    token = _product_token(user_agent)
    if truncated:
        text = text[: text.rfind("\n") + 1]
    if 200 <= status < 300:
        parser = Protego.parse(text)
        delay = parser.crawl_delay(token)
        return RobotsRules(
            state="parsed",
            user_agent=token,
            parser=parser,
            crawl_delay=float(delay) if delay is not None else None,
            sitemaps=tuple(parser.sitemaps),
            detail=f"robots.txt {status}" + (" (only its first part read)" if truncated else ""),
        )
    if status == 429 or status >= 500:
        return RobotsRules(state="deny_all", user_agent=token, detail=f"robots.txt answered {status}")
    return RobotsRules(state="allow_all", user_agent=token, detail=f"robots.txt answered {status}")


def unreachable_rules(user_agent: str, detail: str) -> RobotsRules:
    return RobotsRules(state="unreachable", user_agent=_product_token(user_agent), detail=detail)


@dataclass(frozen=True)
class SlotUse:
    """One use of a host's slot, for a `HostGate` recorder: when it was taken and let go (`time.monotonic()`, the
    clock a loopback server in another process stamps too), what for, and whether its body ended with an error."""

    host: str
    what: str
    acquired: float
    released: float
    error: str = ""


#: called with each slot use as it ends (a bench or test compares them with a server's request log)
SlotRecorder = Callable[[SlotUse], None]


class SharedSlots(Protocol):
    """Host slots shared with other processes. `acquire` returns once no other process has a request in flight to
    the host and `delay` has passed since the end of the last one (whichever process made it); `release` stamps
    that end. The gate calls them inside its own slot, so a process asks for one host once at a time."""

    async def acquire(self, host: str, delay: float) -> None: ...

    async def release(self, host: str) -> None: ...


@dataclass
class _HostState:
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    last_end: float | None = None
    delay: float = 0.0


class HostGate:
    """One request in flight per host, and at least `delay` seconds from the end of one to the start of the next."""

    def __init__(
        self, default_delay: float, *, recorder: SlotRecorder | None = None, shared: SharedSlots | None = None
    ) -> None:
        self._default_delay = default_delay
        self._hosts: dict[str, _HostState] = {}
        self._recorder = recorder
        self._shared = shared

    def _state(self, host: str) -> _HostState:
        state = self._hosts.get(host)
        if state is None:
            state = self._hosts[host] = _HostState(delay=self._default_delay)
        return state

    def set_delay(self, host: str, delay: float) -> None:
        """Raise (never lower below the default) the delay for one host, e.g. from robots.txt Crawl-delay."""
        state = self._state(host)
        state.delay = max(self._default_delay, delay)

    def delay_of(self, host: str) -> float:
        return self._state(host).delay

    @asynccontextmanager
    async def slot(self, host: str, what: str = "") -> AsyncIterator[None]:
        """Hold the host's only slot: wait for the previous request to end plus the delay, then run the body.

        The end is stamped when the block exits, so read the whole response inside it. `what` (a URL) is only
        for the recorder.
        """
        state = self._state(host)
        async with state.lock:
            if state.last_end is not None:
                wait = state.last_end + state.delay - time.monotonic()
                if wait > 0:
                    await asyncio.sleep(wait)
            if self._shared is not None:
                await self._shared.acquire(host, state.delay)
            acquired, error = time.monotonic(), ""
            try:
                yield
            except BaseException as exc:
                error = type(exc).__name__
                raise
            finally:
                state.last_end = time.monotonic()
                if self._shared is not None:
                    await self._shared.release(host)
                if self._recorder is not None:
                    self._recorder(SlotUse(host, what, acquired, state.last_end, error))
