"""Filter values a person types (a status, a kommunenummer, a fylke/region, an event kind), checked against the
values that exist: a typo is an error that lists the valid values, never a silently unfiltered or empty answer
(issue 13: `/api/kommuner?status=bogus` returned everything, `export events --kommune 1234` an empty file).

Pure: the caller passes the valid values (from a constant or from the database). The dashboard's HTML overview
stays lenient on purpose (a stale link shows the unfiltered page); the API and the CLI use this.
"""

from __future__ import annotations

from collections.abc import Iterable

from tracker.domain import PLAN_CATEGORIES
from tracker.errors import FilterError

CATEGORIES: tuple[str, ...] = tuple(category.value for category in PLAN_CATEGORIES)


def check_values(parameter: str, values: Iterable[str | None], valid: Iterable[str | None]) -> None:
    """Raise `FilterError` naming `parameter`, the unknown values and the sorted valid ones; empty values pass."""
    known = sorted({v for v in valid if v})
    unknown = [v for v in dict.fromkeys(values) if v and v not in known]
    if unknown:
        raise FilterError(parameter, unknown, known)
