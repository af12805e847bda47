"""What change detection over time takes and gives: a kommune's known plans and one new check in (`KnownPlan`,
`Check` with its `SeenDocument`s and `UrlRecheck`s, `WatchState`), events and the plans' new state out (`ChangeEvent`,
`ChangeResult`). The detector is `tracker.watch.change_detector`; a document's text identity is
`tracker.watch.text_identity`.

Pure: frozen dataclasses, no I/O, no clock (the caller stamps `detected_at`).

A plan's identity is the kommune plus its normalised text (`text_fingerprint`), not its URL: URLs and byte
hashes are observations of a plan.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from tracker.domain import Category, EventKind

#: prefix of the identity of documents without text (scans without OCR): their bytes are all we have
BYTES_IDENTITY_PREFIX = "bytes:"


class PlanState(StrEnum):
    ACTIVE = "active"
    SUSPECTED_MISSING = "suspected_missing"
    VANISHED = "vanished"


class UrlOutcome(StrEnum):
    """What a known URL answered when re-checked (mirrors `crawlers.recheck.RecheckOutcome`)."""

    SERVED = "served"
    MOVED = "moved"
    GONE = "gone"
    SOFT_404 = "soft_404"
    FAILED = "failed"
    BLOCKED = "blocked"


# -- inputs ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class KnownPlan:
    """A plan of the kommune as known after the previous checks.

    `key` is stable for the plan's life (its fingerprint when first seen); `fingerprint` is its current text.
    `missing_checks` are the ids of the consecutive checks that confirmed its absence (suspected_missing(n)).
    """

    key: str
    fingerprint: str
    urls: tuple[str, ...]
    sha256s: tuple[str, ...]
    category: Category
    year_start: int | None = None
    year_end: int | None = None
    page_count: int | None = None
    title: str = ""
    state: PlanState = PlanState.ACTIVE
    missing_checks: tuple[str, ...] = ()
    page_hashes: tuple[str, ...] = ()
    sketch: tuple[int, ...] = ()

    @property
    def missing_count(self) -> int:
        return len(self.missing_checks)


@dataclass(frozen=True)
class SeenDocument:
    """A document seen in this check (by the crawl or by re-checking a known URL), extracted and classified.

    `url` is the URL asked for, `final_url` where the bytes came from (after redirects; "" = same as url).
    `fingerprint` is `text_fingerprint(pages)`, or "" when the document has no text (then its sha256 is used).
    """

    url: str
    sha256: str
    fingerprint: str
    category: Category
    final_url: str = ""
    year_start: int | None = None
    year_end: int | None = None
    page_count: int | None = None
    title: str = ""
    page_hashes: tuple[str, ...] = ()
    sketch: tuple[int, ...] = ()

    @property
    def identity(self) -> str:
        return self.fingerprint or f"{BYTES_IDENTITY_PREFIX}{self.sha256}"

    @property
    def where(self) -> str:
        return self.final_url or self.url


@dataclass(frozen=True)
class UrlRecheck:
    """What a previously known URL answered in this check (from `crawlers.recheck.UrlCheck`)."""

    url: str
    outcome: UrlOutcome
    status: int | None = None
    final_url: str | None = None
    sha256: str | None = None
    detail: str = ""


@dataclass(frozen=True)
class Check:
    """One check of the kommune's site: could we see it, and what did we see."""

    check_id: str
    reachable: bool
    blocked: bool = False
    detail: str = ""
    documents: tuple[SeenDocument, ...] = ()
    rechecks: tuple[UrlRecheck, ...] = ()


@dataclass(frozen=True)
class WatchState:
    """Everything the detector remembers about one kommune between checks."""

    plans: tuple[KnownPlan, ...] = ()
    unreachable_checks: int = 0  # consecutive checks where the site could not be reached
    blocked_checks: int = 0  # consecutive checks where something blocked our crawler
    checks: int = 0  # checks compared so far


# -- outputs -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChangeEvent:
    """One immutable event with its evidence (JSON-ready: str, int, bool, None, lists and dicts of them)."""

    kind: EventKind
    plan_key: str | None
    url: str | None = None
    previous_url: str | None = None
    sha256: str | None = None
    previous_sha256: str | None = None
    evidence: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class ChangeResult:
    events: tuple[ChangeEvent, ...]
    state: WatchState
