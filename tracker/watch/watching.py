"""Watching a kommune's known plans across checks: which known URLs to re-check, and recording what changed.

Before a site check is stored, every URL where one of the kommune's known plans was seen (vanished plans too) is
asked again, unless the crawl itself fetched it in this check. The answers and the check's documents go to the pure
change detector (`tracker.watch.change_detector`); its events and the kommune's new watch state are written in the
caller's transaction, the one that stores the check, so a kill loses nothing and a resumed run never writes an event
twice.

This module knows no HTTP: the caller (`tracker.pipeline`, the only tracker module that imports `crawlers`) lends it
a `Recheck` callable, and crawled documents and re-check answers come in as the small protocols below
(`crawlers.types.FetchedDocument` and `crawlers.recheck.UrlCheck` fit them).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from sqlalchemy.orm import Session, sessionmaker

from tracker.domain import NOT_YET_A_PLAN, Category, Kommune
from tracker.store import watch
from tracker.store.models import ClassificationRow, Document
from tracker.watch.change_detector import detect_changes
from tracker.watch.changes import Check, SeenDocument, UrlOutcome, UrlRecheck
from tracker.watch.text_identity import page_hashes, text_fingerprint, text_sketch

logger = logging.getLogger(__name__)


class UrlAnswer(Protocol):
    """What one known plan URL answered (`crawlers.recheck.UrlCheck` fits): outcome as in `changes.UrlOutcome`."""

    @property
    def url(self) -> str: ...
    @property
    def outcome(self) -> str: ...
    @property
    def status(self) -> int | None: ...
    @property
    def final_url(self) -> str | None: ...
    @property
    def sha256(self) -> str | None: ...
    @property
    def detail(self) -> str: ...
    @property
    def content_type(self) -> str: ...
    @property
    def body(self) -> bytes: ...


class CrawledDocument(Protocol):
    """A document the crawl fetched in this check (`crawlers.types.FetchedDocument` fits)."""

    @property
    def url(self) -> str: ...
    @property
    def final_url(self) -> str: ...
    @property
    def status(self) -> int: ...
    @property
    def sha256(self) -> str: ...
    @property
    def redirects(self) -> tuple[str, ...]: ...


#: re-check these URLs of a site whose front page is the second argument; one answer per URL, in order
Recheck = Callable[[Sequence[str], str], Awaitable[Sequence[UrlAnswer]]]


@dataclass(frozen=True)
class CrawledAnswer:
    """A known URL the crawl fetched as a document in this check, taken as its re-check answer (no bytes: the
    crawled document itself is stored and read)."""

    url: str
    outcome: str
    status: int | None
    final_url: str | None
    sha256: str | None
    detail: str
    content_type: str = ""
    body: bytes = b""


def known_urls(session_factory: sessionmaker[Session], kommune_id: int) -> list[str]:
    """Every URL where one of the kommune's known plans was seen (suspected-missing and vanished plans too)."""
    with session_factory() as session:
        state = watch.load_state(session, kommune_id)
    return list(dict.fromkeys(url for plan in state.plans for url in plan.urls))


async def recheck_known_urls(
    session_factory: sessionmaker[Session],
    kommune_id: int,
    *,
    reachable: bool,
    blocked: bool,
    front_page_url: str,
    crawled: Sequence[CrawledDocument],
    recheck: Recheck,
) -> list[UrlAnswer]:
    """What every known plan URL of the kommune answers now; URLs the crawl fetched are taken from the crawl.

    Nothing is re-checked when the site was unreachable or blocked: that check changes no plan anyway.
    """
    if not reachable or blocked:
        return []
    known = known_urls(session_factory, kommune_id)
    by_url = {doc.url: doc for doc in crawled}
    by_url.update({doc.final_url: doc for doc in crawled if doc.final_url not in by_url})
    reused: list[UrlAnswer] = [crawled_answer(url, by_url[url]) for url in known if url in by_url]
    todo = [url for url in known if url not in by_url]
    fresh = await recheck(todo, front_page_url) if todo else ()
    return [*reused, *fresh]


def crawled_answer(url: str, doc: CrawledDocument) -> CrawledAnswer:
    """A known URL the crawl fetched as a document in this check, as if it had been re-checked."""
    moved = doc.url == url and doc.final_url != url
    return CrawledAnswer(
        url=url,
        outcome="moved" if moved else "served",
        status=doc.status,
        final_url=doc.final_url,
        sha256=doc.sha256,
        detail=f"fetched by the crawl (HTTP {doc.status})",
    )


def seen_document(url: str, final_url: str, row: Document, reading: ClassificationRow | None) -> SeenDocument:
    """A stored document as the change detector sees it: its normalised-text identity and its category.

    Drafts, hearing drafts and case documents about a plan count as `other`: a draft put out for hearing is not the
    kommune's plan (as in `findings.decide`), so it never raises `plan_appeared`; its adoption later does.
    """
    pages = [str(page) for page in row.pages] if row.extraction_error is None else []
    if reading is None or (reading.document_kind or "") in NOT_YET_A_PLAN:
        category = Category.OTHER
    else:
        category = Category(reading.category)
    return SeenDocument(
        url=url,
        sha256=row.sha256,
        fingerprint=text_fingerprint(pages),
        category=category,
        final_url="" if final_url == url else final_url,
        year_start=reading.year_start if reading else None,
        year_end=reading.year_end if reading else None,
        page_count=row.page_count,
        title=row.title,
        page_hashes=page_hashes(pages),
        sketch=text_sketch(pages),
    )


@dataclass(frozen=True)
class CheckSeen:
    """One stored site check as the detector needs it."""

    check_id: int
    run_id: int
    reachable: bool
    blocked: bool
    detail: str
    documents: Sequence[SeenDocument]
    answers: Sequence[UrlAnswer]


def detect_and_record(
    session: Session,
    kommune_id: int,
    seen: CheckSeen,
    *,
    kommune: Kommune,
    confirmations: int,
    unreachable_alert_after: int,
    now: datetime,
) -> None:
    """Compare this check with the kommune's known plans; write the events and the new state (caller's transaction).

    `kommune` (the row `kommune_id`) names it in log lines by kommunenummer and name, never by database id.
    The kommune's watch row is taken FOR UPDATE first, so two processes checking one kommune compare in turn.
    """
    previous = watch.load_state(session, kommune_id, lock=True)
    previous_check_id = watch.last_check_id(session, kommune_id)
    result = detect_changes(
        previous,
        Check(
            check_id=str(seen.check_id),
            reachable=seen.reachable,
            blocked=seen.blocked,
            detail=seen.detail,
            documents=tuple(seen.documents),
            rechecks=tuple(
                UrlRecheck(a.url, UrlOutcome(a.outcome), a.status, a.final_url, a.sha256, a.detail)
                for a in seen.answers
            ),
        ),
        confirmations=confirmations,
        unreachable_alert_after=unreachable_alert_after,
    )
    context: dict[str, object] = {"run_id": seen.run_id, "previous_check_id": previous_check_id}
    watch.add_events(session, kommune_id, seen.check_id, result.events, now=now, context=context)
    watch.save_state(session, kommune_id, result.state, check_id=seen.check_id, now=now)
    for event in result.events:
        logger.info(
            "%s %s: %s%s",
            kommune.kommunenummer,
            kommune.name,
            event.kind.value,
            f" {event.url}" if event.url else "",
            extra={"kommunenummer": kommune.kommunenummer, "kommune_id": kommune_id},
        )
