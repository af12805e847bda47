"""Re-checking previously known plan URLs: what does each one answer now?

The change detector (`tracker/watch/change_detector.py`) must tell a plan that is gone from one we could not see. This
module fetches each known URL through the same polite `Fetcher` as the crawl (robots.txt, netguard, per-host gate,
bounded retries) and sorts the answer into one outcome:

    served    200 with the document; sha256 of the body
    moved     redirected to another URL that serves a document (the detector compares the content)
    gone      404 / 410
    soft_404  a 200 "Siden finnes ikke"-style page, a redirect to the front page or to a search page, or an
              HTML page where a .pdf/.docx used to be
    blocked   our sight is blocked: 401/403, robots.txt disallow, a challenge page (Cloudflare "Just a moment...",
              "Attention Required", captcha), or a 429 wall
    failed    timeout, connection error, DNS, 5xx, a plain 429, other 4xx: says nothing about the plan

Only `gone` and `soft_404` are evidence of absence; `failed` and `blocked` never are.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal
from urllib.parse import parse_qsl, unquote, urlsplit

from crawlers.errors import CrawlError, FetchError, RefusedAddress, RobotsDisallowed, TooLarge
from crawlers.fetch import Fetcher, Response
from crawlers.htmlguard import parse_html
from crawlers.links import page_h1, page_title
from crawlers.urls import document_format_of, normalize_url

logger = logging.getLogger(__name__)

RecheckOutcome = Literal["served", "gone", "soft_404", "moved", "failed", "blocked"]

#: phrases of "not found" pages on Norwegian (nb/nn), Danish and English kommune sites, lower-case
SOFT_404_PHRASES: tuple[str, ...] = (
    "siden finnes ikke",
    "siden finst ikkje",
    "sida finst ikkje",
    "fant ikke siden",
    "finner ikke siden",
    "fann ikkje sida",
    "side ikke funnet",
    "siden ble ikke funnet",
    "siden blev ikke fundet",
    "siden kunne ikke findes",
    "siden findes ikke",
    "siden eksisterer ikke",
    "vi kan ikke finde siden",
    "dokumentet finnes ikke",
    "dokumentet findes ikke",
    "filen finnes ikke",
    "filen findes ikke",
    "page not found",
    "404 not found",
    "error 404",
    "feil 404",
    "fejl 404",
)
#: titles of bot-protection and challenge pages, lower-case
CHALLENGE_TITLES: tuple[str, ...] = (
    "just a moment",
    "attention required",
    "checking your browser",
    "captcha",
    "access denied",
    "are you a robot",
    "er du en robot",
    "er du et menneske",
    "ddos-guard",
    "pardon our interruption",
    "security check",
    "bot verification",
)
#: body markers of challenge pages, trusted only on non-2xx answers (normal pages embed recaptcha forms and
#: Cloudflare's challenge-platform script too)
CHALLENGE_MARKERS: tuple[str, ...] = (
    "cf-challenge",
    "cf_chl_",
    "challenge-platform",
    "g-recaptcha",
    "h-captcha",
    "hcaptcha.com",
    "captcha-delivery",
    "px-captcha",
    "_incapsula_resource",
    "incapsula incident",
    "ddos-guard",
)
#: the first bytes scanned for soft-404 and challenge markers
SCAN_BYTES = 64_000
#: visible text shorter than this is scanned whole for soft-404 phrases (beyond title and headings)
SHORT_PAGE_CHARS = 1_500

_FRONT_PATHS = frozenset(
    {"", "/", "/index.html", "/index.htm", "/index.php", "/index.aspx", "/default.aspx", "/forside", "/forsiden",
     "/nb", "/nn", "/no", "/da", "/en", "/home"}
)  # fmt: skip
_SEARCH_SEGMENT = re.compile(
    r"^(s[øo]k|s[øo]keresultat|search|search-?results|s[øo]g|soeg|s[øo]geresultat|soegeresultat|find)"
    r"(\.\w{2,5})?$"
)
_SEARCH_PARAMS = frozenset({"q", "query", "search", "searchquery", "searchtext", "sok", "soeg", "term", "text"})


@dataclass(frozen=True)
class UrlCheck:
    """What one previously known plan URL answers now.

    `sha256`, `content_type` and `body` are set when the outcome is `served` or `moved` (the bytes to extract
    and fingerprint); `status` is the final HTTP status (None when no answer came); `redirects` the hops.
    """

    url: str
    outcome: RecheckOutcome
    status: int | None
    final_url: str | None
    sha256: str | None
    redirects: tuple[str, ...]
    detail: str
    content_type: str = ""
    body: bytes = field(default=b"", repr=False)

    @property
    def is_absence(self) -> bool:
        """True only for answers that say the document is not there (never for failures or blocks)."""
        return self.outcome in ("gone", "soft_404")


def _scan_text(response: Response) -> str:
    return response.body[:SCAN_BYTES].decode("utf-8", errors="replace").lower()


def is_challenge_page(response: Response) -> bool:
    """A bot-protection interstitial (Cloudflare, Incapsula, captcha...) instead of the page asked for."""
    if response.headers.get("cf-mitigated", "").lower() == "challenge":
        return True
    if not response.is_html:
        return False
    head = _scan_text(response)
    title = page_title(head)
    if any(marker in title for marker in CHALLENGE_TITLES):
        return True
    return not response.ok and any(marker in head for marker in CHALLENGE_MARKERS)


def is_soft_404_page(response: Response) -> bool:
    """An HTML page that says "not found" in its title or headings (or anywhere, when it is short)."""
    if not response.is_html:
        return False
    tree = parse_html(response.body[:SCAN_BYTES].decode("utf-8", errors="replace"))
    parts = [page_title(tree), page_h1(tree)]
    parts.extend(node.text(separator=" ") for node in tree.css("h2")[:3])
    body = tree.body
    visible = body.text(separator=" ") if body is not None else ""
    if len(" ".join(visible.split())) < SHORT_PAGE_CHARS:
        parts.append(visible)
    text = " ".join(" ".join(parts).lower().split())
    return any(phrase in text for phrase in SOFT_404_PHRASES)


def _is_front_page(url: str, front_page: str | None) -> bool:
    normal = normalize_url(url)
    if normal is not None and normal == front_page:
        return True
    parts = urlsplit(url)
    return not parts.query and unquote(parts.path).rstrip("/").lower() in _FRONT_PATHS


def _is_search_page(url: str) -> bool:
    parts = urlsplit(url)
    segments = [s for s in unquote(parts.path).lower().split("/") if s]
    if any(_SEARCH_SEGMENT.match(segment) for segment in segments):
        return True
    return any(key.lower() in _SEARCH_PARAMS for key, _ in parse_qsl(parts.query, keep_blank_values=True))


def classify_answer(url: str, response: Response, *, front_page_url: str) -> UrlCheck:
    """Sort one fetched answer into a `UrlCheck` (see the module docstring for the rules)."""

    def check(outcome: RecheckOutcome, detail: str, *, with_body: bool = False) -> UrlCheck:
        return UrlCheck(
            url=url,
            outcome=outcome,
            status=response.status,
            final_url=response.final_url,
            sha256=hashlib.sha256(response.body).hexdigest() if with_body else None,
            redirects=response.redirects,
            detail=detail,
            content_type=response.content_type if with_body else "",
            body=response.body if with_body else b"",
        )

    status = response.status
    if is_challenge_page(response):
        return check("blocked", f"challenge page (HTTP {status})")
    if status in (401, 403):
        return check("blocked", f"HTTP {status}")
    if status in (404, 410):
        return check("gone", f"HTTP {status}")
    if status == 429:
        return check("failed", "HTTP 429 after retries (rate limited)")
    if not 200 <= status < 300:
        return check("failed", f"HTTP {status}")
    redirected = normalize_url(response.final_url) != normalize_url(url)
    if redirected and _is_front_page(response.final_url, normalize_url(front_page_url)):
        return check("soft_404", "redirected to the front page")
    if redirected and _is_search_page(response.final_url):
        return check("soft_404", "redirected to a search page")
    if is_soft_404_page(response):
        return check("soft_404", "a 'page not found' page answered 200")
    expected = document_format_of(url)
    if expected is not None and response.document_format is None and response.is_html:
        return check("soft_404", f"an HTML page answered where a {expected} document was")
    if not response.body:
        return check("failed", "empty body")
    if redirected:
        return check("moved", f"redirected to {response.final_url}", with_body=True)
    return check("served", f"HTTP {status}", with_body=True)


def _failure(url: str, exc: CrawlError) -> UrlCheck:
    if isinstance(exc, RobotsDisallowed):
        return UrlCheck(url, "blocked", None, None, None, (), "disallowed by robots.txt")
    if isinstance(exc, TooLarge):
        return UrlCheck(url, "failed", exc.status, None, None, (), f"too large: {exc.detail}")
    if isinstance(exc, RefusedAddress):
        return UrlCheck(url, "failed", None, None, None, (), f"refused address: {exc.detail}")
    if isinstance(exc, FetchError):
        return UrlCheck(url, "failed", exc.status, None, None, (), exc.detail)
    return UrlCheck(url, "failed", None, None, None, (), str(exc))


async def recheck_url(url: str, *, fetcher: Fetcher, front_page_url: str) -> UrlCheck:
    """Fetch one known plan URL and say what it answers now; never raises for the site's failures."""
    try:
        response = await fetcher.fetch(url)
    except CrawlError as exc:
        result = _failure(url, exc)
    else:
        result = classify_answer(url, response, front_page_url=front_page_url)
    logger.debug("recheck %s: %s (%s)", url, result.outcome, result.detail)
    return result


async def recheck_urls(urls: Sequence[str], *, fetcher: Fetcher, front_page_url: str) -> tuple[UrlCheck, ...]:
    """Re-check previously known plan URLs; one `UrlCheck` per input URL, in input order.

    `front_page_url` is the site's front page (a redirect there is a soft 404). Duplicates are fetched once.
    Requests go through `fetcher`, so robots.txt and the per-host delay apply as in the crawl.
    """
    unique = list(dict.fromkeys(urls))
    results = await asyncio.gather(
        *(recheck_url(url, fetcher=fetcher, front_page_url=front_page_url) for url in unique)
    )
    by_url: Mapping[str, UrlCheck] = dict(zip(unique, results, strict=True))
    return tuple(by_url[url] for url in urls)
