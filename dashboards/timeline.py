"""A kommune's history as one timeline: its checks (with the status each gave) and its change events, newest first.

Pure: merges what the read model returned. Consecutive checks with the same status and no event between them are
folded into one entry ("12 checks, 2025-01-06 – 2025-03-24"), so two years of weekly checks stay readable.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tracker.store.kommune_detail import CheckSummary, EventSummary, KommuneDetail


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    kind: str  # "checks" | "event"
    #: for checks: the status; for events: the event kind
    label: str
    first_at: datetime | None = None  # the oldest check folded into this entry
    count: int = 1
    url: str | None = None
    previous_url: str | None = None
    sha256: str | None = None
    pages_fetched: int | None = None
    error: str | None = None


def timeline(detail: KommuneDetail) -> list[TimelineEntry]:
    items: list[tuple[datetime, int, CheckSummary | EventSummary]] = [(c.checked_at, 0, c) for c in detail.checks] + [
        (e.detected_at, 1, e) for e in detail.events
    ]
    items.sort(key=lambda item: (item[0], item[1]), reverse=True)
    entries: list[TimelineEntry] = []
    for at, _, item in items:
        if isinstance(item, EventSummary):
            entries.append(
                TimelineEntry(at, "event", item.kind, url=item.url, previous_url=item.previous_url, sha256=item.sha256)
            )
            continue
        last = entries[-1] if entries else None
        if last is not None and last.kind == "checks" and last.label == item.status and not item.error:
            entries[-1] = TimelineEntry(
                last.at,
                "checks",
                last.label,
                first_at=at,
                count=last.count + 1,
                pages_fetched=last.pages_fetched,
                error=last.error,
            )
            continue
        entries.append(
            TimelineEntry(at, "checks", item.status, first_at=at, pages_fetched=item.pages_fetched, error=item.error)
        )
    return entries
