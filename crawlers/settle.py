"""When a rendered page is done: its requests answered *and acted on*, its DOM still, for a window scaled by lag.

Menus on independently built sites come from JSON fetched one request after another: the page's script fetches
/api/menu.json, reads it, draws that level and only then asks for /api/menu/<id>.json. Between the moment the
route hook fulfils one answer and the moment the script issues the next request there is a gap in which nothing is
in flight on the wire. On a loaded machine that gap grows (the renderer waits for CPU, the script is slow), and a
rule that looks only at the network and at the DOM (as this module's predecessor did) declares the page settled in
it and loses the rest of the click path. So:

- The page counts its own requests (`WATCH_PAGE`, installed before any script of the page): a `fetch`, a body read
  (`.json()`, `.text()` ...) and an `XMLHttpRequest` count as pending from the moment the script makes them until a
  task *after* their answer was handed to the script has run (a `setTimeout(0)` queued when the promise settles or
  `loadend` fires), so a script that asks for the next request when it reads an answer never leaves a gap.
- The quiet window is measured in the page from the later of its last DOM change and its last request acted on, and
  in the crawler from the last request the browser saw start or end; both must be quiet, `document.readyState`
  "complete" and no request pending, and nothing on the wire may have started or ended while the page was asked.
- The window grows with measured lag (`Lag`): how late our event loop wakes from a poll, and how long the page takes
  to answer when asked its state (a busy or starved renderer answers late). Under load, quiet is demanded for
  longer, as the page's script runs later.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Callable

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page

from crawlers.browser_requests import PageVisit

#: how often the settle loop looks at the network and the DOM
POLL_SECONDS = 0.05
#: the quiet window is `render_quiet_seconds` plus this many times the longest lag seen lately
LAG_FACTOR = 3.0
#: how long a lag measurement counts as "lately" (seconds)
LAG_MEMORY_SECONDS = 3.0

# Installed in every document before its own scripts: stamps the last DOM change, and counts the requests the page's
# script made and has not yet had a turn to act on (see the module docstring). Never breaks a page: any failure
# leaves the page's own functions as they were.
WATCH_PAGE = """(() => {
  const w = window;
  w.__planvaktDomChanged = performance.now();
  w.__planvaktNetDone = 0;
  w.__planvaktPending = 0;
  new MutationObserver(() => { w.__planvaktDomChanged = performance.now(); }).observe(document, {
    childList: true, subtree: true, characterData: true, attributes: true, attributeFilter: ["href", "src"],
  });
  const start = () => {
    w.__planvaktPending += 1;
    let done = false;
    return () => {
      if (done) return;
      done = true;
      setTimeout(() => { w.__planvaktPending -= 1; w.__planvaktNetDone = performance.now(); }, 0);
    };
  };
  const counted = (original) => function (...args) {
    const end = start();
    let result;
    try { result = original.apply(this, args); } catch (error) { end(); throw error; }
    Promise.resolve(result).then(end, end);
    return result;
  };
  try {
    if (typeof w.fetch === "function") w.fetch = counted(w.fetch);
    for (const name of ["json", "text", "arrayBuffer", "blob", "formData"]) {
      const original = w.Response && w.Response.prototype[name];
      if (typeof original === "function") w.Response.prototype[name] = counted(original);
    }
    const send = w.XMLHttpRequest && w.XMLHttpRequest.prototype.send;
    if (typeof send === "function") {
      w.XMLHttpRequest.prototype.send = function (...args) {
        const end = start();
        this.addEventListener("loadend", end);
        try { return send.apply(this, args); } catch (error) { end(); throw error; }
      };
    }
  } catch (error) { /* the page keeps its own functions; the network and DOM windows still apply */ }
})();"""
#: [readyState, ms since the later of the last DOM change and the last request acted on, requests pending]
PAGE_STATE = """() => [
  document.readyState,
  performance.now() - Math.max(window.__planvaktDomChanged || 0, window.__planvaktNetDone || 0),
  window.__planvaktPending || 0,
]"""


class BrowserCrashed(Exception):
    """The browser or the page's renderer died mid-render (internal: the Renderer relaunches it)."""


class Lag:
    """The longest delay seen lately in being served: our event loop waking late, the page answering late."""

    def __init__(self) -> None:
        self._seen: deque[tuple[float, float]] = deque()

    def saw(self, seconds: float) -> None:
        now = time.monotonic()
        self._seen.append((now, max(0.0, seconds)))
        while self._seen and self._seen[0][0] < now - LAG_MEMORY_SECONDS:
            self._seen.popleft()

    @property
    def recent(self) -> float:
        return max((seconds for _, seconds in self._seen), default=0.0)


async def settle(page: Page, visit: PageVisit, quiet: float, crashed: Callable[[], bool]) -> bool:
    """Wait until the page's requests are answered and acted on, its DOM is still and it has loaded, for `quiet`
    seconds plus `LAG_FACTOR` times the recent lag: True, or False when the page's time ran out."""
    lag = Lag()
    while True:
        if crashed():
            raise BrowserCrashed("the page's renderer died")
        left = visit.time_left()
        if left <= 0:
            return False
        window = quiet + LAG_FACTOR * lag.recent
        if not visit.inflight and time.monotonic() - visit.last_network >= window:
            seen, asked = visit.last_network, time.monotonic()
            try:
                async with asyncio.timeout(left):
                    ready, idle_ms, pending = await page.evaluate(PAGE_STATE)
            except TimeoutError:
                return False  # the page's script holds its thread: take what there is
            except PlaywrightError as exc:
                if crashed():
                    raise BrowserCrashed(exc.message) from exc
                ready, idle_ms, pending = "loading", 0.0, 1  # a script navigation replaced the document
            lag.saw(time.monotonic() - asked)
            window = quiet + LAG_FACTOR * lag.recent
            untouched = not visit.inflight and visit.last_network == seen
            if ready == "complete" and not pending and idle_ms >= window * 1000 and untouched:
                return True
        slept = time.monotonic()
        await asyncio.sleep(POLL_SECONDS)
        lag.saw(time.monotonic() - slept - POLL_SECONDS)
