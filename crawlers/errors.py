"""The crawler's errors, one hierarchy.

    CrawlError
     ├── FetchError            a URL could not be fetched (network, timeout, HTTP status after retries)
     │    ├── TooLarge         the body passed the byte cap
     │    └── RefusedAddress   the host resolves to a private/loopback/link-local address
     ├── RobotsDisallowed      robots.txt forbids the URL; it was not fetched
     └── ExtractionError       a document's bytes could not be turned into text (broken, encrypted, too big, too slow)

An `ExtractionError` with `ours=True` is Planvakt's own failure (a parser that timed out, a worker that would not
start, OCR missing): it says nothing about the document, so it is retried and never turned into a finding.

httpx, playwright and pdfminer exceptions are wrapped at the boundary (`raise FetchError(...) from exc`).
"""

from __future__ import annotations


class CrawlError(Exception):
    """Base class of everything the crawler raises on purpose."""


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
