"""The best-first frontier of one site crawl: which URL to fetch next.

Highest score first, then the shallowest, then first come. URLs are deduplicated on their normalised form,
and each path pattern (see `urls.path_pattern`) is admitted at most `max_per_pattern` times so an endless
calendar or query-string trap cannot eat the page budget. Pages a CMS addresses by an id (`urls.is_content_id_url`:
WordPress "/?page_id=5994") all share one pattern although each is a real page of the site, so that pattern is
admitted `CONTENT_ID_FACTOR` times as often (the page budget bounds it): on a held-out WordPress site the plan page
was refused as the 19th "/?page_id" URL.

The query variants of one path also share a cap, `FAMILY_FACTOR` times the pattern's, whatever their keys: a news
archive's filters and sort orders (`?aar=2024&sortering=eldste`, `?tema=helse&aar=2023`, `?sortering=populaer`)
combine into a URL space that each key set's cap alone let eat 45-60 pages of a tuning site, to list the same
articles again. A calendar (a day or a month in the query: `?month=2026-01`, `?dato=02.01.2026`) lists events, never
a plan, and gets a third of a pattern's cap.
"""

from __future__ import annotations

import heapq
import itertools
from dataclasses import dataclass, field

from crawlers.types import FoundVia
from crawlers.urls import is_calendar_url, is_content_id_url, normalize_url, path_pattern

#: how many times more often a pattern of CMS page ids is admitted than another pattern
CONTENT_ID_FACTOR = 10
#: how many times a pattern's cap the query variants of one path may have together (all their key sets)
FAMILY_FACTOR = 2
#: a calendar's pattern (a day or a month in the query) is admitted this share of a pattern's cap
CALENDAR_SHARE = 1 / 3


@dataclass(frozen=True)
class FrontierEntry:
    """A URL waiting to be fetched, with why it is there."""

    url: str
    score: float
    depth: int
    found_via: FoundVia = "link"
    anchor_text: str = ""
    context: str = ""
    reasons: tuple[str, ...] = ()


@dataclass(order=True)
class _Item:
    key: tuple[float, int, int]
    entry: FrontierEntry = field(compare=False)


class Frontier:
    """Best-first queue with dedupe and a per-path-pattern admission cap."""

    def __init__(self, max_per_pattern: int) -> None:
        self._heap: list[_Item] = []
        self._best: dict[str, float] = {}  # normalised url -> best score queued so far
        self._done: set[str] = set()
        self._pattern_counts: dict[str, int] = {}
        self._family_counts: dict[str, int] = {}
        self._max_per_pattern = max_per_pattern
        self._seq = itertools.count()
        #: URLs refused because their pattern was full (counted for the crawl's record)
        self.trapped = 0

    def push(self, entry: FrontierEntry) -> bool:
        """Queue a URL; returns False when it is a duplicate, already fetched or its pattern is full.

        A URL found again with a higher score moves up (the old heap item is skipped when popped).
        """
        key = normalize_url(entry.url)
        if key is None or key in self._done:
            return False
        previous = self._best.get(key)
        if previous is not None:
            if entry.score <= previous:
                return False
        elif not self._admit(key):
            self.trapped += 1
            return False
        self._best[key] = entry.score
        heapq.heappush(self._heap, _Item((-entry.score, entry.depth, next(self._seq)), entry))
        return True

    def admits(self, url: str) -> bool:
        """Whether `url` is or could still be queued: fetched or waiting, or its pattern and path not yet full. Path
        shortening (`site_paths`) asks, so it does not fetch the trap URLs the caps refused."""
        key = normalize_url(url)
        if key is None:
            return False
        return key in self._done or key in self._best or self._room(key) is not None

    def _admit(self, key: str) -> bool:
        """Count a new URL against its pattern's cap and its path's (for a query variant); False when either is full."""
        room = self._room(key)
        if room is None:
            return False
        pattern, family = room
        self._pattern_counts[pattern] = self._pattern_counts.get(pattern, 0) + 1
        if family is not None:
            self._family_counts[family] = self._family_counts.get(family, 0) + 1
        return True

    def _room(self, key: str) -> tuple[str, str | None] | None:
        """The URL's pattern and its path when it is a query variant (None for a CMS page id), when both have room
        under their caps; None when either is full."""
        pattern = path_pattern(key)
        content_id = is_content_id_url(key)
        if content_id:
            cap = self._max_per_pattern * CONTENT_ID_FACTOR
        elif is_calendar_url(key):
            cap = max(1, round(self._max_per_pattern * CALENDAR_SHARE))
        else:
            cap = self._max_per_pattern
        if self._pattern_counts.get(pattern, 0) >= cap:
            return None
        family = pattern.split("?", 1)[0] if "?" in key and not content_id else None
        if family is not None and self._family_counts.get(family, 0) >= self._max_per_pattern * FAMILY_FACTOR:
            return None
        return pattern, family

    def pop(self) -> FrontierEntry | None:
        """The best waiting entry, or None when the frontier is empty."""
        while self._heap:
            item = heapq.heappop(self._heap)
            key = normalize_url(item.entry.url)
            if key is None or key in self._done or self._best.get(key) != item.entry.score:
                continue
            self._done.add(key)
            return item.entry
        return None

    def mark_done(self, url: str) -> None:
        """Record a URL as fetched by other means (a redirect target, the front page) so it is not queued."""
        key = normalize_url(url)
        if key is not None:
            self._done.add(key)

    def is_done(self, url: str) -> bool:
        """True when the URL was fetched (or taken off the queue to be fetched)."""
        return (normalize_url(url) or url) in self._done

    def __len__(self) -> int:
        return sum(1 for item in self._heap if self._best.get(normalize_url(item.entry.url) or "") == item.entry.score)
