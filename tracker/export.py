"""CSV and JSON exports for journalists. Rows are streamed: a million rows never sit in memory at once."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from typing import Literal, TextIO

from tracker.accessibility import CHECKS
from tracker.criteria import CRITERIA
from tracker.findings import current_label
from tracker.storage import FindingRow, PlanRow

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
)


def plan_years(year_start: int | None, year_end: int | None) -> str:
    if year_start is None:
        return ""
    if year_end is None or year_end == year_start:
        return str(year_start)
    return f"{year_start}-{year_end}"


def finding_record(row: FindingRow) -> dict[str, str]:
    """One export row, every value a string, exactly FINDINGS_COLUMNS in order."""
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


def finding_records(rows: Iterable[FindingRow]) -> Iterator[dict[str, str]]:
    return (finding_record(row) for row in rows)


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
)


def _flag(value: object) -> str:
    return "" if value is None else ("true" if value else "false")


def plan_record(row: PlanRow) -> dict[str, str]:
    """One plans-export row: the reading, one column per checklist criterion and per accessibility check.

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
        "shared_with": " ".join(row.shared_with),
        "checked_at": row.checked_at.isoformat().replace("+00:00", "Z"),
    }
    for criterion in CRITERIA_COLUMNS:
        record[criterion] = _flag(criteria.get(criterion))
    for check, column in zip(CHECKS, ACCESSIBILITY_COLUMNS, strict=True):
        record[column] = _flag(access.get(check, {}).get("ok"))
    return record


def plan_records(rows: Iterable[PlanRow]) -> Iterator[dict[str, str]]:
    return (plan_record(row) for row in rows)
