"""CSV and JSON exports for journalists. Rows are streamed: a million rows never sit in memory at once."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime
from typing import Literal, TextIO

from tracker.accessibility import CHECKS
from tracker.criteria import CRITERIA
from tracker.findings import current_label
from tracker.review_store import FindingReview
from tracker.storage import FindingRow, PlanRow
from tracker.watch_store import EventRow

ExportFormat = Literal["csv", "json"]

FINDINGS_COLUMNS = (
    "kommunenummer",
    "name",
    "country",
    "website",
    "status",
    "plan_url",
    "plan_title",
    "plan_category",
    "plan_format",
    "plan_years",
    "plan_current",
    "click_depth",
    "found_via",
    "text_source",
    "pages_fetched",
    "checked_at",
    # a reviewer's verdict and the volunteers' catches, beside the machine's (never replacing it)
    "override_status",
    "override_reason",
    "overridden_by",
    "overridden_at",
    "missed_by_crawler",
)


def plan_years(year_start: int | None, year_end: int | None) -> str:
    if year_start is None:
        return ""
    if year_end is None or year_end == year_start:
        return str(year_start)
    return f"{year_start}-{year_end}"


def _iso(moment: datetime | None) -> str:
    return "" if moment is None else moment.isoformat().replace("+00:00", "Z")


NO_REVIEW = FindingReview()


def finding_record(row: FindingRow, review: FindingReview = NO_REVIEW) -> dict[str, str]:
    """One export row, every value a string, exactly FINDINGS_COLUMNS in order.

    `review` (from `tracker.review_store.finding_reviews`) fills the override columns: the reviewer's status in
    force, why, who and when; and `missed_by_crawler` (`true` when a volunteer's tip found a plan the crawler never
    found on that site). `status` stays the machine's.
    """
    return {
        "kommunenummer": row.kommunenummer,
        "name": row.name,
        "country": row.country,
        "website": row.website,
        "status": row.status,
        "plan_url": row.plan_url or "",
        "plan_title": row.plan_title or "",
        "plan_category": row.plan_category or "",
        "plan_format": row.plan_format or "",
        "plan_years": plan_years(row.year_start, row.year_end) if row.plan_url else "",
        "plan_current": row.plan_current or "",
        "click_depth": "" if row.click_depth is None else str(row.click_depth),
        "found_via": row.found_via or "",
        "text_source": row.text_source or "",
        "pages_fetched": str(row.pages_fetched),
        "checked_at": row.checked_at.isoformat().replace("+00:00", "Z"),
        "override_status": review.override_status,
        "override_reason": review.override_reason,
        "overridden_by": review.overridden_by,
        "overridden_at": _iso(review.overridden_at),
        "missed_by_crawler": "true" if review.missed_by_crawler else "",
    }


def write_records(records: Iterable[dict[str, str]], columns: tuple[str, ...], out: TextIO, fmt: ExportFormat) -> int:
    """Write records as CSV (header first) or as a JSON array, one record at a time; return the count."""
    count = 0
    if fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        for record in records:
            writer.writerow(record)
            count += 1
        return count
    out.write("[")
    for record in records:
        out.write(",\n" if count else "\n")
        out.write(json.dumps({c: record[c] for c in columns}, ensure_ascii=False))
        count += 1
    out.write("\n]\n" if count else "]\n")
    return count


def finding_records(
    rows: Iterable[FindingRow], reviews: Mapping[tuple[str, str], FindingReview] | None = None
) -> Iterator[dict[str, str]]:
    """Export rows; `reviews` keyed by (country, kommunenummer), from `tracker.review_store.finding_reviews`."""
    reviews = reviews or {}
    return (finding_record(row, reviews.get((row.country, row.kommunenummer), NO_REVIEW)) for row in rows)


CRITERIA_COLUMNS = tuple(criterion for criterion, _ in CRITERIA)
ACCESSIBILITY_COLUMNS = tuple(f"access_{check}" for check in CHECKS)
PLANS_COLUMNS = (
    "kommunenummer",
    "name",
    "country",
    "url",
    "sha256",
    "category",
    "document_kind",
    "language",
    "years",
    "current",
    "pages",
    "format",
    "size_bytes",
    "text_source",
    "ocr_confidence",
    "found_via",
    "click_depth",
    "link_text",
    *CRITERIA_COLUMNS,
    *ACCESSIBILITY_COLUMNS,
    "search_rank",
    "shared_with",
    "checked_at",
    # a reviewer's category for the document, beside the machine's `category`
    "override_category",
)


def _flag(value: object) -> str:
    return "" if value is None else ("true" if value else "false")


def plan_record(row: PlanRow, override_category: str = "") -> dict[str, str]:
    """One plans-export row: the reading, one column per checklist criterion and per accessibility check.

    `override_category` is a reviewer's category in force for the document (`category` stays the machine's).

    A criterion that does not apply (the Danish beredskab items on a Norwegian plan) and an accessibility check
    that does not apply (a tagged-PDF check on HTML) are empty, never "false".
    """
    criteria = {hit["criterion"]: hit["met"] for hit in row.criteria}
    access = {finding["check"]: finding for finding in row.accessibility}
    record = {
        "kommunenummer": row.kommunenummer,
        "name": row.name,
        "country": row.country,
        "url": row.url,
        "sha256": row.sha256,
        "category": row.category,
        "document_kind": row.document_kind or "",
        "language": row.language or "",
        "years": plan_years(row.year_start, row.year_end),
        "current": current_label(row.year_start, row.year_end, row.checked_at.date()),
        "pages": "" if row.page_count is None else str(row.page_count),
        "format": row.format,
        "size_bytes": str(row.size_bytes),
        "text_source": row.text_source or "",
        "ocr_confidence": "" if row.ocr_confidence is None else f"{row.ocr_confidence:.1f}",
        "found_via": row.found_via,
        "click_depth": "" if row.click_depth is None else str(row.click_depth),
        "link_text": row.anchor_text,
        "search_rank": "" if row.search_rank is None else str(row.search_rank),
        "override_category": override_category,
        "shared_with": " ".join(row.shared_with),
        "checked_at": row.checked_at.isoformat().replace("+00:00", "Z"),
    }
    for criterion in CRITERIA_COLUMNS:
        record[criterion] = _flag(criteria.get(criterion))
    for check, column in zip(CHECKS, ACCESSIBILITY_COLUMNS, strict=True):
        record[column] = _flag(access.get(check, {}).get("ok"))
    return record


def plan_records(rows: Iterable[PlanRow], reviews: Mapping[str, str] | None = None) -> Iterator[dict[str, str]]:
    """Export rows; `reviews` maps a document's SHA-256 to a reviewer's category (`review_store.plan_reviews`)."""
    reviews = reviews or {}
    return (plan_record(row, reviews.get(row.sha256, "")) for row in rows)


# -- change events (issue 4) ---------------------------------------------------------------------------------

EVENTS_COLUMNS = (
    "event_id",
    "kind",
    "kommunenummer",
    "name",
    "url",
    "previous_url",
    "sha256",
    "previous_sha256",
    "detected_at",
    "details",
)


def event_record(row: EventRow) -> dict[str, str]:
    """One events-export row: `event_id` is the event's public uuid, `details` its evidence as a JSON object."""
    return {
        "event_id": row.event_id,
        "kind": row.kind,
        "kommunenummer": row.kommunenummer,
        "name": row.name,
        "url": row.url or "",
        "previous_url": row.previous_url or "",
        "sha256": row.sha256 or "",
        "previous_sha256": row.previous_sha256 or "",
        "detected_at": row.detected_at.isoformat().replace("+00:00", "Z"),
        "details": json.dumps(row.evidence, ensure_ascii=False, sort_keys=True),
    }


def event_records(rows: Iterable[EventRow]) -> Iterator[dict[str, str]]:
    return (event_record(row) for row in rows)
