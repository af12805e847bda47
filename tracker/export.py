"""CSV and JSON exports for journalists. Rows are streamed: a million rows never sit in memory at once."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from typing import Literal, TextIO

from tracker.storage import FindingRow

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
