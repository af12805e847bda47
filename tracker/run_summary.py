"""Pure: what one crawl run came to, as the paragraph `planvakt crawl` ends with.

Sites checked (of those planned), how many per status, how many failed on our side (nothing stored about them),
and the unreachable ones by cause ("refused by the private-address guard", "connection refused", "HTTP 503"), so an
operator sees at once a crawl that reached nothing, and why. `unreachable_cause` names the cause from a check's
error, in the crawler's own words (`crawlers.netguard`, `crawlers.fetch.network_failure`, `crawlers.site`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from tracker.domain import Status

_HTTP_STATUS = re.compile(r"answered (?:HTTP )?(\d{3})\b")

#: (words in a check's error, the cause they name), first match wins
_CAUSES = (
    ("private-address guard", "refused by the private-address guard"),
    ("connection refused", "connection refused"),
    ("host name not found", "host name not found"),
    ("timed out", "timed out"),
    ("timeout", "timed out"),
    ("not an http(s) url", "not an http(s) address"),
    ("redirects", "too many redirects"),
)


def unreachable_cause(error: str | None) -> str:
    """A few words for why a site could not be reached, from its check's error; "other network error" if unknown."""
    text = (error or "").lower()
    for words, cause in _CAUSES:
        if words in text:
            return cause
    status = _HTTP_STATUS.search(error or "")
    if status:
        return f"HTTP {status.group(1)}"
    return "other network error" if text else "no reason recorded"


@dataclass(frozen=True)
class RunSummary:
    """Counts of one run: its planned kommuner, the statuses of those checked, our failures, unreachable causes."""

    run_id: int
    state: str
    planned: int
    by_status: Mapping[str, int] = field(default_factory=dict)
    failed_on_our_side: int = 0
    unreachable: Mapping[str, int] = field(default_factory=dict)

    @property
    def checked(self) -> int:
        return sum(self.by_status.values())

    @property
    def reached(self) -> int:
        """Sites that answered (a site that turned the crawler away answered too)."""
        return self.checked - sum(self.unreachable.values())

    @property
    def nothing_reached(self) -> bool:
        """True when the run had sites to check and reached none of them."""
        return self.planned > 0 and self.reached == 0

    def paragraph(self) -> str:
        """The summary in one paragraph of plain sentences."""
        statuses = ", ".join(f"{n} {status}" for status, n in sorted(self.by_status.items())) or "none"
        text = (
            f"Crawl run {self.run_id} ({self.state}): {self.checked} of {self.planned} sites checked "
            f"({statuses}); {self.failed_on_our_side} failed on our side (nothing stored)"
        )
        unreachable = sum(self.unreachable.values())
        if unreachable:
            causes = ", ".join(f"{n} {cause}" for cause, n in sorted(self.unreachable.items(), key=_most_first))
            text += f"; {unreachable} unreachable: {causes}"
        else:
            text += "; none unreachable"
        if self.nothing_reached:
            text += ". No site could be reached"
        return text + "."


def summarize(
    run_id: int,
    state: str,
    planned: int,
    checks: Iterable[tuple[str, bool, str | None]],
    failed_on_our_side: int,
) -> RunSummary:
    """The summary of a run from its checks as (status, blocked, error) and the count of our own failures."""
    by_status: Counter[str] = Counter()
    unreachable: Counter[str] = Counter()
    for status, blocked, error in checks:
        by_status[status] += 1
        if status == Status.SITE_UNREACHABLE.value and not blocked:
            unreachable[unreachable_cause(error)] += 1
    return RunSummary(run_id, state, planned, dict(by_status), failed_on_our_side, dict(unreachable))


def _most_first(item: tuple[str, int]) -> tuple[int, str]:
    return (-item[1], item[0])
