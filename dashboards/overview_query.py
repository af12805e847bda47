"""The overview's filters, sorting and counts: pure functions over `KommuneStatus` rows (no I/O).

Filters and sort order live in the URL query (`?country=NO&status=no_plan_found&sort=click_depth&order=desc`),
so a link shows the same view. 455 rows are filtered in memory; the database query stays one join.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Final

from tracker import domain
from tracker.domain import NOT_CHECKED
from tracker.store.statuses import KommuneStatus

STATUSES: Final[tuple[str, ...]] = (*domain.STATUSES, NOT_CHECKED)
SORT_KEYS: Final[tuple[str, ...]] = (
    "kommunenummer",
    "name",
    "country",
    "region",
    "status",
    "current",
    "click_depth",
    "criteria",
    "checked_at",
)
CURRENT_VALUES: Final[tuple[str, ...]] = ("true", "false", "unknown")
STANDINGS: Final = domain.STANDINGS
_PLAN_STANDING: Final = {"true": "plan_current", "false": "plan_expired"}


def standing(status: str, plan_current: str | None) -> str:
    """The overview's category for a status: `abuse_specific_plan` becomes current, expired or undated."""
    if status == "abuse_specific_plan":
        return _PLAN_STANDING.get(plan_current or "", "plan_undated")
    return status


@dataclass(frozen=True)
class OverviewFilter:
    """What the visitor asked to see; every field maps to one query parameter of the same name."""

    country: str = ""
    region: str = ""
    status: str = ""
    current: str = ""
    max_depth: int | None = None
    min_criteria: int | None = None
    #: least share of its country's checklist the plan meets, in percent (NO has 6 items, DK 10: never raw counts)
    min_share: int | None = None
    q: str = ""
    sort: str = "kommunenummer"
    order: str = "asc"

    @property
    def active(self) -> bool:
        return self != replace(OverviewFilter(), sort=self.sort, order=self.order)


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except ValueError:
        return None


def parse_filter(params: Mapping[str, str]) -> OverviewFilter:
    """Read a filter from query parameters; unknown or malformed values are ignored, never an error page."""
    country = (params.get("country") or "").upper()
    status = params.get("status") or ""
    current = params.get("current") or ""
    sort = params.get("sort") or "kommunenummer"
    return OverviewFilter(
        country=country if country in domain.COUNTRIES else "",
        region=(params.get("region") or "").strip(),
        status=status if status in STATUSES else "",
        current=current if current in CURRENT_VALUES else "",
        max_depth=_int(params.get("max_depth")),
        min_criteria=_int(params.get("min_criteria")),
        min_share=_int(params.get("min_share")),
        q=(params.get("q") or "").strip()[:100],
        sort=sort if sort in SORT_KEYS else "kommunenummer",
        order="desc" if params.get("order") == "desc" else "asc",
    )


def _matches(row: KommuneStatus, f: OverviewFilter) -> bool:
    if f.country and row.country != f.country:
        return False
    if f.region and f.region not in (row.region, row.region_code):
        return False
    if f.status and row.status != f.status:
        return False
    if f.current and (row.plan_current or "") != f.current:
        return False
    if f.max_depth is not None and (row.click_depth is None or row.click_depth > f.max_depth):
        return False
    if f.min_criteria is not None and (row.criteria_met or 0) < f.min_criteria:
        return False
    if f.min_share is not None and (criteria_share(row) or 0.0) * 100 < f.min_share:
        return False
    if f.q:
        needle = f.q.casefold()
        if needle not in row.name.casefold() and not row.kommunenummer.startswith(f.q):
            return False
    return True


def criteria_share(row: KommuneStatus) -> float | None:
    """Met / total of the plan's checklist (0..1), None without a plan: comparable across NO (6) and DK (10)."""
    if not row.criteria_total:
        return None
    return (row.criteria_met or 0) / row.criteria_total


def _sort_value(row: KommuneStatus, key: str) -> Any:
    values: dict[str, Any] = {
        "kommunenummer": row.kommunenummer,
        "name": row.name.casefold(),
        "country": row.country,
        "region": (row.region or "").casefold(),
        "status": STATUSES.index(row.status) if row.status in STATUSES else len(STATUSES),
        "current": row.plan_current,
        "click_depth": row.click_depth,
        "criteria": criteria_share(row),
        "checked_at": row.checked_at,
    }
    return values[key]


def apply_filter(rows: Iterable[KommuneStatus], f: OverviewFilter) -> list[KommuneStatus]:
    """The rows the filter keeps, sorted; rows without a value for the sort key go last in either order."""
    kept = [row for row in rows if _matches(row, f)]
    with_value = [row for row in kept if _sort_value(row, f.sort) is not None]
    without = [row for row in kept if _sort_value(row, f.sort) is None]
    with_value.sort(key=lambda row: (_sort_value(row, f.sort), row.country != "NO", row.kommunenummer))
    if f.order == "desc":
        with_value.reverse()
    return with_value + without


@dataclass(frozen=True)
class StatusCount:
    status: str  # one of STANDINGS
    count: int
    share: float  # 0..1 of the group's kommuner


@dataclass(frozen=True)
class GroupCounts:
    """Counts per standing (STANDINGS) for one group of kommuner (everything, or one fylke/region)."""

    label: str
    country: str
    total: int
    counts: tuple[StatusCount, ...]

    def count(self, status: str) -> int:
        return next((c.count for c in self.counts if c.status == status), 0)


def count_statuses(rows: Sequence[KommuneStatus], label: str = "", country: str = "") -> GroupCounts:
    total = len(rows)
    tally = {name: 0 for name in STANDINGS}
    for row in rows:
        key = standing(row.status, row.plan_current)
        tally[key] = tally.get(key, 0) + 1
    counts = tuple(StatusCount(s, n, n / total if total else 0.0) for s, n in tally.items())
    return GroupCounts(label, country, total, counts)


def counts_by_region(rows: Sequence[KommuneStatus]) -> list[GroupCounts]:
    """One GroupCounts per (country, fylke/region), Norway first, regions by code then name."""
    groups: dict[tuple[str, str], list[KommuneStatus]] = {}
    codes: dict[tuple[str, str], str] = {}
    for row in rows:
        key = (row.country, row.region or "")
        groups.setdefault(key, []).append(row)
        codes.setdefault(key, row.region_code or "")
    ordered = sorted(groups, key=lambda key: (key[0] != "NO", codes[key] or "~", key[1]))
    return [count_statuses(groups[key], key[1], key[0]) for key in ordered]
