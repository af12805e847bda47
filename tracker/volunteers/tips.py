"""A second, one-URL pipeline: a volunteer's tip -> fetch -> extract -> read -> a sighting with `found_via="tip"`.

A volunteer who finds a plan the crawler missed submits its address. Planvakt checks the address (http/https only,
never a private, loopback or link-local host unless the deployment allows private networks), fetches it as politely
as the crawler does (robots.txt, User-Agent, per-host delay, byte cap: `crawlers.fetch.Fetcher`), extracts it in the
sandbox (`crawlers.extract.Extractor`), and stores and reads it as the crawl does (`tracker.ingest`) in one transaction:
a crawl run marked as a tip run (options `{"source": "tip"}`), one site check, the document, its reading and one
sighting. It writes no finding: a tip is evidence beside the crawl, it does not replace the kommune's status. The
Tip row records whether the crawler had ever found the same bytes for that kommune (`crawler_had_it`).

Rate limiting counts a client's tips in the last hour by a keyed hash of its address, so the count survives
restarts and the address itself is never stored.

Errors:
    TrackerError
     └── TipRejected   the URL or the client was refused before anything was fetched (`status` says which: 400, 429)
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from sqlalchemy.orm import Session, sessionmaker

from crawlers.errors import CrawlError, ExtractionError, RefusedAddress, RobotsDisallowed, TooLarge
from crawlers.extract import Extractor
from crawlers.fetch import Fetcher, Response
from crawlers.netguard import check_host
from crawlers.types import CrawlOptions, ExtractedText
from tracker import ingest
from tracker.blobs import EvidenceStore
from tracker.config import Settings
from tracker.errors import TrackerError
from tracker.store import documents, runs, volunteer_tips
from tracker.store.models import Tip

logger = logging.getLogger(__name__)

MAX_URL_LENGTH = 2000
MAX_NOTE_LENGTH = 1000
RATE_WINDOW = timedelta(hours=1)
#: a tip is one document: a PDF of a few hundred pages is well under this
TIP_MAX_BYTES = 40_000_000


class TipRejected(TrackerError):
    """A tip refused before anything was fetched; `status` is the HTTP status the dashboard answers with."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


# -- checks before anything is stored ----------------------------------------------------------------------------


async def validate_tip_url(raw: str, *, allow_private_networks: bool) -> str:
    """The URL, trimmed, if Planvakt may fetch it; raise TipRejected otherwise.

    Only http and https with a host name; no user name or password in the URL; no control characters; the host
    must not resolve to a private, loopback, link-local, multicast or reserved address (`crawlers.netguard`) unless
    `allow_private_networks`. A host that does not resolve is accepted here: fetching it will fail and say so.
    """
    url = raw.strip()
    if not url:
        raise TipRejected("the address is empty")
    if len(url) > MAX_URL_LENGTH:
        raise TipRejected(f"the address is longer than {MAX_URL_LENGTH} characters")
    if any(ord(c) < 33 or ord(c) == 127 for c in url):
        raise TipRejected("the address contains spaces or control characters")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise TipRejected(f"not a valid address: {exc}") from exc
    if parts.scheme.lower() not in ("http", "https"):
        raise TipRejected("only http and https addresses are accepted")
    if not parts.hostname:
        raise TipRejected("the address has no host name")
    if parts.username is not None or parts.password is not None:
        raise TipRejected("the address must not contain a user name or password")
    try:
        await check_host(
            url,
            parts.hostname,
            port or (443 if parts.scheme.lower() == "https" else 80),
            allow_private_networks=allow_private_networks,
        )
    except RefusedAddress as exc:
        raise TipRejected(f"the address points into a private network ({exc.detail})") from exc
    return url


def client_key(secret: bytes, client_address: str) -> str:
    """A keyed hash of the client's address: counts its tips without storing the address."""
    return hmac.new(secret, b"tip-client\x00" + client_address.encode("utf-8"), hashlib.sha256).hexdigest()


def check_rate(session: Session, key: str, limit: int, now: datetime) -> None:
    """Raise TipRejected (status 429) when this client already sent `limit` tips in the last hour."""
    if volunteer_tips.tips_since(session, key, now - RATE_WINDOW) >= limit:
        raise TipRejected(f"at most {limit} tips per hour; please try again later", status=429)


def submit_tip(session: Session, *, kommune_id: int, url: str, note: str, key: str, limit: int, now: datetime) -> Tip:
    """Check the client's rate and record a pending tip (the URL was validated by `validate_tip_url`)."""
    check_rate(session, key, limit, now)
    return volunteer_tips.add_tip(
        session, kommune_id=kommune_id, url=url, note=note.strip()[:MAX_NOTE_LENGTH], client_key=key, now=now
    )


# -- processing ---------------------------------------------------------------------------------------------------


class SharedExtractor:
    """One sandboxed extraction pool for every tip an app processes, started on the first tip that needs it.

    Starting a sandbox worker costs a Python process and its imports; paying that per tip made every tip slow and
    let a burst of tips start a burst of processes. The owner (the dashboard's lifespan) calls `aclose` on
    shutdown. `starts` counts how often a pool was started (once, unless it was closed and used again).
    """

    def __init__(self, workers: int = 1) -> None:
        self.workers = workers
        self.starts = 0
        self._extractor: Extractor | None = None
        self._lock: asyncio.Lock | None = None

    async def _open(self) -> Extractor:
        if self._lock is None:
            self._lock = asyncio.Lock()
        async with self._lock:  # two first tips at once start one pool, not two
            if self._extractor is None:
                extractor = Extractor(workers=self.workers)
                await extractor.__aenter__()
                self._extractor = extractor
                self.starts += 1
            return self._extractor

    async def extract(self, body: bytes, fmt: str, *, url: str = "") -> ExtractedText:
        """Extract in the shared pool (started now if it is not running). Raises ExtractionError."""
        extractor = self._extractor or await self._open()
        return await extractor.extract(body, fmt, url=url)

    def worker_pids(self) -> tuple[int, ...]:
        """The live workers' process ids (empty before the first tip and after `aclose`)."""
        return self._extractor.worker_pids() if self._extractor is not None else ()

    async def aclose(self) -> None:
        """Stop the pool's workers; a later tip would start a new pool."""
        extractor, self._extractor = self._extractor, None
        if extractor is not None:
            await extractor.aclose()


@dataclass
class TipDependencies:
    """What processing a tip needs, built by the dashboard's composition root."""

    session_factory: sessionmaker[Session]
    evidence: EvidenceStore
    settings: Settings
    now: Callable[[], datetime]
    allow_private_networks: bool = False
    #: a running extractor to share; None starts a one-worker sandbox for this tip
    extractor: ingest.TextExtractor | None = None


def crawl_options(settings: Settings, *, allow_private_networks: bool) -> CrawlOptions:
    base = CrawlOptions()
    return replace(
        base,
        user_agent=settings.user_agent or base.user_agent,
        per_host_delay=settings.per_host_delay,
        allow_private_networks=allow_private_networks,
        max_response_bytes=TIP_MAX_BYTES,
        chromium_path=settings.chromium_path,
    )


def _format_of(response: Response) -> str | None:
    return response.document_format or ("html" if response.is_html else None)


async def process_tip(tip_id: int, deps: TipDependencies) -> str:
    """Fetch, read and store a pending tip; returns its final state (`stored` or `failed`, with the error kept).

    Never raises for what the tipped site does (404, robots.txt, a broken PDF): that is recorded on the tip, so a
    volunteer sees why it failed.
    """
    with deps.session_factory() as session:
        tip = volunteer_tips.get_tip_row(session, tip_id)
        url, kommune_id = tip.url, tip.kommune_id
    started = deps.now()
    try:
        response, fmt, extracted = await _fetch_and_extract(url, deps)
    except _TipFailed as exc:
        logger.info("tip %d failed: %s", tip_id, exc.reason)
        with deps.session_factory.begin() as session:
            volunteer_tips.mark_tip_failed(session, tip_id, exc.reason, deps.now())
        return "failed"
    _store(tip_id, kommune_id, url, response, fmt, extracted, started, deps)
    return "stored"


async def process_tip_in_background(tip_id: int, deps: TipDependencies) -> None:
    """`process_tip` for a background task: whatever goes wrong ends as a failed tip, never a tip pending forever.

    Nothing waits on a background task to report its error to, so the catch is wide on purpose: the error is
    logged with its traceback and the volunteer sees that processing failed.
    """
    try:
        await process_tip(tip_id, deps)
    except Exception as exc:  # noqa: BLE001 - the last line of a background task (see the docstring)
        logger.exception("processing tip %d failed", tip_id)
        with deps.session_factory.begin() as session:
            volunteer_tips.mark_tip_failed(session, tip_id, f"internal error: {type(exc).__name__}", deps.now())


class _TipFailed(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


async def _fetch_and_extract(url: str, deps: TipDependencies) -> tuple[Response, str, ExtractedText]:
    options = crawl_options(deps.settings, allow_private_networks=deps.allow_private_networks)
    try:
        async with Fetcher(options) as fetcher:
            response = await fetcher.fetch(url)
    except RobotsDisallowed as exc:
        raise _TipFailed("the site's robots.txt does not allow Planvakt to fetch this address") from exc
    except RefusedAddress as exc:
        raise _TipFailed(f"the address points into a private network ({exc.detail})") from exc
    except TooLarge as exc:
        raise _TipFailed(f"the document is too large ({exc.detail})") from exc
    except CrawlError as exc:
        raise _TipFailed(f"could not fetch the address: {exc}") from exc
    if not response.ok:
        raise _TipFailed(f"the site answered HTTP {response.status}")
    fmt = _format_of(response)
    if fmt is None:
        raise _TipFailed(f"not a PDF, Word document or web page ({response.content_type or 'no content type'})")
    try:
        if deps.extractor is not None:
            extracted = await deps.extractor.extract(response.body, fmt)
        else:
            async with Extractor(workers=1) as extractor:
                extracted = await extractor.extract(response.body, fmt)
    except ExtractionError as exc:
        raise _TipFailed(f"could not read the document: {exc.reason}") from exc
    return response, fmt, extracted


def _store(
    tip_id: int,
    kommune_id: int,
    url: str,
    response: Response,
    fmt: str,
    extracted: ExtractedText,
    started: datetime,
    deps: TipDependencies,
) -> None:
    sha = deps.evidence.put(response.body)
    now = deps.now()
    with deps.session_factory.begin() as session:
        tip = volunteer_tips.get_tip_row(session, tip_id)
        crawler_had_it = volunteer_tips.crawler_had_document(session, kommune_id, sha)
        run = runs.start_run(session, {"source": "tip", "tip_id": tip_id}, 1, started)
        # the volunteer's note is read with the text, as a crawled link's words are
        fetched = ingest.Fetched(url, response.final_url, fmt, response.content_type, response.body, tip.note)
        document = ingest.ingest_document(session, sha, fetched, extracted, today=now.date(), now=now).document
        seen = documents.Seen(
            url=url,
            final_url=response.final_url,
            http_status=response.status,
            found_via=volunteer_tips.TIP_FOUND_VIA,
            seen_at=now,
            redirects=tuple(response.redirects),
        )
        sighting = ingest.sighting_row(document, seen)
        check = runs.add_tip_check(
            session,
            run,
            kommune_id=kommune_id,
            url=url,
            final_url=response.final_url,
            sighting=sighting,
            started=started,
            now=now,
        )
        runs.finish_run(session, run, now)
        volunteer_tips.mark_tip_stored(
            session, tip, check_id=check.id, sighting_id=sighting.id, crawler_had_it=crawler_had_it, now=now
        )
