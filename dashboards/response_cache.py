"""Rendered responses of the shared pages, kept per data version: the overview is derived once per version, not
once per visitor.

A `ResponseCache` is built in `create_app` and lives in `app.state` (no module-level cache). It holds complete
responses (status, headers, body) under a key that starts with the data version (`tracker.store.database.data_version`),
so a new check, override or tip makes every old entry unreachable; entries of older versions are dropped as soon as
a newer version is seen. It is bounded in entries and bytes (least recently used out first) and lets one request
build a missing entry while the others asking for the same key wait for it (no stampede of 8 identical renders
after a crawl). Only the event loop touches it, so it needs no lock.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from dataclasses import dataclass
from typing import Final

DEFAULT_MAX_ENTRIES: Final = 4096
DEFAULT_MAX_BYTES: Final = 64 * 1024 * 1024
#: a body larger than this is served but not kept (a large export would crowd out every page)
DEFAULT_MAX_ENTRY_BYTES: Final = 4 * 1024 * 1024

#: (data version, then whatever else selects the response: day, host, path, query, language)
CacheKey = tuple[int, str, str, str, str, str, str]


@dataclass(frozen=True)
class CachedResponse:
    status: int
    headers: tuple[tuple[bytes, bytes], ...]
    body: bytes


class ResponseCache:
    """A bounded LRU of `CachedResponse` per key, with single flight for keys being built."""

    def __init__(
        self,
        *,
        max_entries: int = DEFAULT_MAX_ENTRIES,
        max_bytes: int = DEFAULT_MAX_BYTES,
        max_entry_bytes: int = DEFAULT_MAX_ENTRY_BYTES,
    ) -> None:
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self.max_entry_bytes = min(max_entry_bytes, max_bytes)
        self._entries: OrderedDict[CacheKey, CachedResponse] = OrderedDict()
        self._building: dict[CacheKey, asyncio.Future[CachedResponse | None]] = {}
        self._bytes = 0
        self._version = 0
        self.hits = 0
        self.misses = 0

    def __len__(self) -> int:
        return len(self._entries)

    def keys(self) -> list[CacheKey]:
        return list(self._entries)

    @property
    def size_bytes(self) -> int:
        return self._bytes

    def observe_version(self, version: int) -> bool:
        """Note the data version a request saw; a newer one drops every entry. False: the request's version is
        older than one already seen (its response must not be stored)."""
        if version > self._version:
            self._version = version
            self._entries.clear()
            self._bytes = 0
        return version == self._version

    def get(self, key: CacheKey) -> CachedResponse | None:
        entry = self._entries.get(key)
        if entry is None:
            self.misses += 1
            return None
        self._entries.move_to_end(key)
        self.hits += 1
        return entry

    def put(self, key: CacheKey, entry: CachedResponse) -> bool:
        """Keep `entry` unless it is too large or of an old version; evict the least recently used to fit."""
        if key[0] != self._version or len(entry.body) > self.max_entry_bytes:
            return False
        old = self._entries.pop(key, None)
        if old is not None:
            self._bytes -= len(old.body)
        self._entries[key] = entry
        self._bytes += len(entry.body)
        while len(self._entries) > self.max_entries or self._bytes > self.max_bytes:
            _, evicted = self._entries.popitem(last=False)
            self._bytes -= len(evicted.body)
        return True

    def building(self, key: CacheKey) -> asyncio.Future[CachedResponse | None] | None:
        """The future of a request already building `key`, or None (then the caller builds: `start_building`)."""
        return self._building.get(key)

    def start_building(self, key: CacheKey) -> asyncio.Future[CachedResponse | None]:
        future: asyncio.Future[CachedResponse | None] = asyncio.get_running_loop().create_future()
        self._building[key] = future
        return future

    def finish_building(self, key: CacheKey, entry: CachedResponse | None) -> None:
        """Hand the built entry (None: not cacheable, build your own) to every request waiting for `key`."""
        future = self._building.pop(key, None)
        if future is not None and not future.done():
            future.set_result(entry)
