"""The crawler's errors, one hierarchy.

    CrawlError
     ├── FetchError            a URL could not be fetched (network, timeout, HTTP status after retries)
     │    ├── TooLarge         the body passed the byte cap
     │    ├── RefusedAddress   the host resolves to a private/loopback/link-local address
     │    └── RenderError      our browser failed (would not launch, crashed twice, protocol error): ours=True
     │         └── RenderCut    our cap on a page's own time hit before it loaded or settled
     ├── RenderBudgetSpent     the site's rendering time is used up; the page was not rendered
     ├── RobotsDisallowed      robots.txt forbids the URL; it was not fetched
     └── ExtractionError       a document's bytes could not be turned into text (broken, encrypted, too big, too slow)

An error with `ours=True` is Planvakt's own failure (a parser that timed out, a worker that would not start, OCR
missing, a browser that crashed): it says nothing about the document or site, so it is retried and never turned into
a finding. `CrawlError.ours` is False unless a subclass or instance says otherwise.

httpx, playwright and pdfminer exceptions are wrapped at the boundary (`raise FetchError(...) from exc`).
"""

from __future__ import annotations


class CrawlError(Exception):
    """Base class of everything the crawler raises on purpose."""

    #: True when the failure is our own (see the module docstring), never evidence about the site
    ours: bool = False


class FetchError(CrawlError):
    def __init__(self, url: str, detail: str, status: int | None = None) -> None:
        super().__init__(f"{url}: {detail}")
        self.url = url
        self.detail = detail
        self.status = status


class TooLarge(FetchError):
    pass


class RefusedAddress(FetchError):
    pass


class RenderError(FetchError):
    """Our browser failed while rendering `url`: a failed check on our side, not a finding about the site."""

    ours = True


class RenderCut(RenderError):
    """Our cap on one page's own time hit before the page loaded or settled: ours, and worth one more try (the
    cap is hit when our machine is starved, at a sweep's start, far more often than a page is endless)."""


class RenderBudgetSpent(CrawlError):
    """The site's rendering budget (seconds) is used up, so `url` was not rendered (nothing was requested)."""

    def __init__(self, url: str, budget_seconds: float) -> None:
        super().__init__(f"{url}: render budget of {budget_seconds:g}s for this site is spent")
        self.url = url
        self.budget_seconds = budget_seconds


class RobotsDisallowed(CrawlError):
    def __init__(self, url: str) -> None:
        super().__init__(f"{url}: disallowed by robots.txt")
        self.url = url


class ExtractionError(CrawlError):
    def __init__(self, reason: str, *, ours: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        #: True when the failure is our own (timeout, worker trouble, OCR missing), not the document's
        self.ours = ours
