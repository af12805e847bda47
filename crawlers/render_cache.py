"""What a site's renders fetched already: a repeated GET is answered from memory, as a browser's own cache would.

A site whose menu is built by script runs the same script and fetches the same JSON on every page it renders, and
each request waits its host's delay (1 s by default): four renders of pages asking for five resources each cost
twenty seconds of politeness, during which each render holds one of the few browser pages of the whole sweep
(`crawlers.render.MAX_PARALLEL_PAGES`). In the 455-site sweep bench the 33 scripted sites were the sweep's tail for
that reason: their renders queued for a browser page for 20-40 s at each of their four renders.

So within one site's crawl (minutes) an answer the browser got with GET and status 200 is handed to later renders
of the site from memory, unless it said `Cache-Control: no-store` or `no-cache`; and the page about to be rendered
is answered with the crawler's own fetch of it a moment before (`keep_page`). Fewer requests is politer, and a
render holds its browser page for less. Bounded per answer and per site; the cache goes with the site's crawl.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from crawlers.response import Response

#: the largest answer kept (scripts and menu JSON are kilobytes; a big one is rarely asked for twice)
MAX_ENTRY_BYTES = 1_000_000
#: the bytes one site's cache may hold
MAX_SITE_BYTES = 4_000_000
_NOT_STORED = ("no-store", "no-cache")


@dataclass
class RenderCache:
    """One site's cache of answers to its renders' GET requests, keyed by the URL the browser asked for."""

    max_bytes: int = MAX_SITE_BYTES
    #: answers handed out from the cache (requests the site was spared)
    hits: int = 0
    #: bytes of the bodies in `_answers` (the pages handed over once are not counted: they are let go when used)
    held: int = 0
    _answers: dict[str, Response] = field(default_factory=dict)
    #: the crawler's own fetches of pages about to be rendered, each handed out once (`keep_page`)
    _pages: dict[str, Response] = field(default_factory=dict)

    def get(self, method: str, url: str) -> Response | None:
        """The kept answer to `method url`, or None (only GET requests are answered from the cache)."""
        if method != "GET":
            return None
        answer = self._pages.pop(url, None) or self._answers.get(url)
        if answer is not None:
            self.hits += 1
        return answer

    def keep(self, method: str, url: str, answer: Response) -> None:
        """Keep `answer` to `method url` when it may be reused: a whole 200 answer to a GET that allows storing."""
        if method != "GET" or answer.status != 200 or answer.truncated or url in self._answers:
            return
        cache_control = answer.headers.get("cache-control", "").lower()
        if any(word in cache_control for word in _NOT_STORED):
            return
        size = len(answer.body)
        if size > MAX_ENTRY_BYTES or self.held + size > self.max_bytes:
            return
        self._answers[url] = answer
        self.held += size

    def keep_page(self, page: Response) -> None:
        """Hand the crawler's own fetch of a page to its render, which is about to ask for it (once: a page is
        rendered once, so it is not held after)."""
        if page.status == 200 and not page.truncated:
            self._pages[page.final_url] = page
