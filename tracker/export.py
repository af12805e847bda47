"""CSV and JSON exports for journalists. Rows are streamed: a million rows never sit in memory at once.

A record holds typed values (str, int, float, bool, None, list, dict), and `COLUMN_TYPES` below is the one place
that says which type each column has: the JSON export writes the values as they are (`true`, `2`, `null`, an
object), the CSV writes them as text (`true`/`false`, `2`, empty for null, JSON text for an object), and the
data dictionary (dashboards/dictionary.py) shows the type beside each column's meaning.

Three formats: `csv` (UTF-8, `,`, LF: for programs), `excel-csv` (UTF-8 with a byte-order mark, `;`, CRLF: opens in
columns with æøå intact in Excel set to a Norwegian or Danish locale, whose list separator is `;` and which reads a
file without a BOM as Windows-1252) and `json` (an array of typed objects).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime
from typing import Any, Literal, TextIO

from tracker.domain import years_text
from tracker.findings import current_label
from tracker.reading.accessibility import CHECKS
from tracker.reading.criteria import CRITERIA
from tracker.store.latest import FindingRow, PlanRow
from tracker.store.reviews import FindingReview
from tracker.store.watch import EventRow

ExportFormat = Literal["csv", "excel-csv", "json"]
EXPORT_FORMATS: tuple[ExportFormat, ...] = ("csv", "excel-csv", "json")

#: a JSON Schema type name; "datetime" is an ISO 8601 UTC string; `| null` when the value may be missing
ColumnType = Literal["string", "integer", "number", "boolean", "datetime", "array", "object"]
Record = dict[str, Any]

FINDINGS_COLUMNS = (
    "kommunenummer",
    "name",
    "country",
    "region_code",
    "region",
    "website",
    "status",
    "reason",
    "plan_url",
    "plan_title",
    "plan_category",
    "plan_confidence",
    "plan_format",
    "plan_years",
    "plan_current",
    # Norway's checklist has 6 criteria, Denmark's 10: compare kommuner across the border by criteria_share
    "criteria_met",
    "criteria_total",
    "criteria_share",
    "click_depth",
    "found_via",
    "text_source",
    "pages_fetched",
    # what the check searched (the kommune page's "what was searched"): a "no plan found" says where it looked
    "candidates_read",
    "sitemaps",
    "sitemap_entries",
    "site_searches",
    "checked_at",
    # a reviewer's verdict and the volunteers' catches, beside the machine's (never replacing it)
    "override_status",
    "override_reason",
    "overridden_by",
    "overridden_at",
    "missed_by_crawler",
)
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
    # the event came from the kommune's first check: the plan was there before Planvakt looked, it is not new
    "first_check",
    "details",
)

#: column -> (JSON type, may be null). A column name means the same in every dataset. kommunenummer stays a string:
#: "0301" is not the number 301.
COLUMN_TYPES: dict[str, tuple[ColumnType, bool]] = {
    "kommunenummer": ("string", False),
    "name": ("string", False),
    "country": ("string", False),
    "website": ("string", False),
    "region_code": ("string", True),
    "region": ("string", True),
    "status": ("string", False),
    "reason": ("string", False),
    "plan_confidence": ("number", True),
    "criteria_met": ("integer", True),
    "criteria_total": ("integer", True),
    "criteria_share": ("number", True),
    "plan_url": ("string", True),
    "plan_title": ("string", True),
    "plan_category": ("string", True),
    "plan_format": ("string", True),
    "plan_years": ("string", True),
    # null: no plan, or a plan whose period could not be read (the CSV says "unknown" for the latter)
    "plan_current": ("boolean", True),
    "click_depth": ("integer", True),
    "found_via": ("string", True),
    "text_source": ("string", True),
    "pages_fetched": ("integer", False),
    "candidates_read": ("integer", False),
    # null for a check stored before the trail was recorded (revision 0006)
    "sitemaps": ("array", True),
    "sitemap_entries": ("integer", True),
    "site_searches": ("object", True),
    "checked_at": ("datetime", False),
    "override_status": ("string", True),
    "override_reason": ("string", True),
    "overridden_by": ("string", True),
    "overridden_at": ("datetime", True),
    "missed_by_crawler": ("boolean", False),
    "url": ("string", True),
    "sha256": ("string", True),
    "category": ("string", False),
    "document_kind": ("string", True),
    "language": ("string", True),
    "years": ("string", True),
    "current": ("boolean", True),
    "pages": ("integer", True),
    "format": ("string", False),
    "size_bytes": ("integer", False),
    "ocr_confidence": ("number", True),
    "link_text": ("string", True),
    **{column: ("boolean", True) for column in (*CRITERIA_COLUMNS, *ACCESSIBILITY_COLUMNS)},
    "search_rank": ("integer", True),
    "shared_with": ("array", False),
    "override_category": ("string", True),
    "event_id": ("string", False),
    "kind": ("string", False),
    "previous_url": ("string", True),
    "previous_sha256": ("string", True),
    "detected_at": ("datetime", False),
    "first_check": ("boolean", False),
    "details": ("object", False),
}


def current_flag(label: str | None) -> bool | None:
    """A stored current label ("true" | "false" | "unknown" | "" | None) as a JSON boolean, None when not known."""
    return {"true": True, "false": False}.get(label or "")


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat().replace("+00:00", "Z")


def _or_none(text: str | None) -> str | None:
    return text or None


def csv_text(column: str, value: Any, record: Mapping[str, Any]) -> str:
    """A typed value as CSV text: empty for null, true/false, JSON for an object, space-separated for an array.

    Two exceptions keep the CSV as journalists have had it: a document whose period could not be read is
    `unknown` in `plan_current`/`current` (null in JSON), and `missed_by_crawler` is empty rather than `false`.
    """
    if value is None:
        if column == "current" or (column == "plan_current" and record.get("plan_url")):
            return "unknown"
        return ""
    if isinstance(value, bool):
        if column == "missed_by_crawler":
            return "true" if value else ""
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)  # the record rounds it already: 0.97 stays 0.97, 87.5 stays 87.5
    if isinstance(value, list):
        return " ".join(str(item) for item in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


NO_REVIEW = FindingReview()


def criteria_counts(criteria: list[Any] | None) -> tuple[int | None, int | None]:
    """(met, total) of a plan's checklist hits; total is the criteria that apply to its language (6 for a
    Norwegian plan, 10 for a Danish one); (None, None) when the reading has no checklist."""
    if not criteria:
        return None, None
    return sum(1 for hit in criteria if hit.get("met")), len(criteria)


def finding_record(row: FindingRow, review: FindingReview = NO_REVIEW) -> Record:
    """One export row with typed values (see COLUMN_TYPES), exactly FINDINGS_COLUMNS in order.

    `review` (from `tracker.store.reviews.finding_reviews`) fills the override columns: the reviewer's status in
    force, why, who and when; and `missed_by_crawler` (true when a volunteer's tip found a plan the crawler never
    found on that site). `status` stays the machine's.
    """
    has_plan = bool(row.plan_url)
    met, total = criteria_counts(row.criteria) if has_plan else (None, None)
    return {
        "kommunenummer": row.kommunenummer,
        "name": row.name,
        "country": row.country,
        "region_code": _or_none(row.region_code),
        "region": _or_none(row.region),
        "website": row.website,
        "status": row.status,
        "reason": row.reason,
        "plan_url": _or_none(row.plan_url),
        "plan_title": _or_none(row.plan_title),
        "plan_category": _or_none(row.plan_category),
        "plan_confidence": round(float(row.plan_confidence), 2)
        if has_plan and row.plan_confidence is not None
        else None,
        "criteria_met": met,
        "criteria_total": total,
        "criteria_share": None if not total or met is None else round(met / total, 2),
        "plan_format": _or_none(row.plan_format),
        "plan_years": _or_none(years_text(row.year_start, row.year_end)) if row.plan_url else None,
        "plan_current": current_flag(row.plan_current) if row.plan_url else None,
        "click_depth": row.click_depth,
        "found_via": _or_none(row.found_via),
        "text_source": _or_none(row.text_source),
        "pages_fetched": row.pages_fetched,
        **trail_columns(row.trail, row.candidates_read),
        "checked_at": _iso(row.checked_at),
        "override_status": _or_none(review.override_status),
        "override_reason": _or_none(review.override_reason),
        "overridden_by": _or_none(review.overridden_by),
        "overridden_at": _iso(review.overridden_at),
        "missed_by_crawler": bool(review.missed_by_crawler),
    }


def trail_columns(trail: Mapping[str, Any] | None, candidates_read: int) -> Record:
    """The check trail's export columns: sitemaps read, their entries, and each site-search query with its hits
    (null hits: the search answered but its results could not be counted); null before the trail was recorded."""
    if trail is None:
        return {"candidates_read": candidates_read, "sitemaps": None, "sitemap_entries": None, "site_searches": None}
    searches = {str(query): None if hits is None else int(hits) for query, hits in trail.get("searches") or ()}
    return {
        "candidates_read": candidates_read,
        "sitemaps": [str(url) for url in trail.get("sitemaps") or ()],
        "sitemap_entries": int(trail.get("sitemap_entries") or 0),
        "site_searches": searches,
    }


def write_records(records: Iterable[Record], columns: tuple[str, ...], out: TextIO, fmt: ExportFormat) -> int:
    """Write records as CSV (header first), Excel CSV or a JSON array, one record at a time; return the count.

    Open `out` with `newline=""` for the CSV formats: the writer chooses the line endings.
    """
    count = 0
    if fmt in ("csv", "excel-csv"):
        excel = fmt == "excel-csv"
        if excel:
            out.write("\ufeff")
        writer = csv.writer(out, delimiter=";" if excel else ",", lineterminator="\r\n" if excel else "\n")
        writer.writerow(columns)
        for record in records:
            writer.writerow([csv_text(c, record[c], record) for c in columns])
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
) -> Iterator[Record]:
    """Export rows; `reviews` keyed by (country, kommunenummer), from `tracker.store.reviews.finding_reviews`."""
    reviews = reviews or {}
    return (finding_record(row, reviews.get((row.country, row.kommunenummer), NO_REVIEW)) for row in rows)


def plan_record(row: PlanRow, override_category: str = "") -> Record:
    """One plans-export row: the reading, one column per checklist criterion and per accessibility check.

    `override_category` is a reviewer's category in force for the document (`category` stays the machine's).

    A criterion that does not apply (the Danish beredskab items on a Norwegian plan) and an accessibility check
    that does not apply (a tagged-PDF check on HTML) are null (empty in CSV), never false.
    """
    criteria = {hit["criterion"]: hit["met"] for hit in row.criteria}
    access = {finding["check"]: finding for finding in row.accessibility}
    record: Record = {
        "kommunenummer": row.kommunenummer,
        "name": row.name,
        "country": row.country,
        "url": row.url,
        "sha256": row.sha256,
        "category": row.category,
        "document_kind": _or_none(row.document_kind),
        "language": _or_none(row.language),
        "years": _or_none(years_text(row.year_start, row.year_end)),
        "current": current_flag(current_label(row.year_start, row.year_end, row.checked_at.date())),
        "pages": row.page_count,
        "format": row.format,
        "size_bytes": row.size_bytes,
        "text_source": _or_none(row.text_source),
        "ocr_confidence": None if row.ocr_confidence is None else round(float(row.ocr_confidence), 1),
        "found_via": row.found_via,
        "click_depth": row.click_depth,
        "link_text": _or_none(row.anchor_text),
        "search_rank": row.search_rank,
        "override_category": _or_none(override_category),
        "shared_with": list(row.shared_with),
        "checked_at": _iso(row.checked_at),
    }
    for criterion in CRITERIA_COLUMNS:
        met = criteria.get(criterion)
        record[criterion] = None if met is None else bool(met)
    for check, column in zip(CHECKS, ACCESSIBILITY_COLUMNS, strict=True):
        ok = access.get(check, {}).get("ok")
        record[column] = None if ok is None else bool(ok)
    return record


def plan_records(rows: Iterable[PlanRow], reviews: Mapping[str, str] | None = None) -> Iterator[Record]:
    """Export rows; `reviews` maps a SHA-256 to a reviewer's category (`tracker.store.reviews.plan_reviews`)."""
    reviews = reviews or {}
    return (plan_record(row, reviews.get(row.sha256, "")) for row in rows)


# -- change events (issue 4) ---------------------------------------------------------------------------------


def event_record(row: EventRow) -> Record:
    """One events-export row: `event_id` is the event's public uuid, `details` its evidence as an object."""
    return {
        "event_id": row.event_id,
        "kind": row.kind,
        "kommunenummer": row.kommunenummer,
        "name": row.name,
        "url": _or_none(row.url),
        "previous_url": _or_none(row.previous_url),
        "sha256": _or_none(row.sha256),
        "previous_sha256": _or_none(row.previous_sha256),
        "detected_at": _iso(row.detected_at),
        "first_check": row.first_check,
        "details": dict(row.evidence or {}),
    }


def event_records(rows: Iterable[EventRow]) -> Iterator[Record]:
    return (event_record(row) for row in rows)
