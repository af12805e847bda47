"""Sitemaps: the URLs a site lists about itself (robots.txt `Sitemap:` lines, /sitemap.xml, /sitemap_index.xml).

Sitemap indexes are followed (bounded), gzip is unpacked (bounded), and the XML is read with a tolerant regex
over <loc>/<lastmod> rather than an XML parser, so broken markup still yields URLs and no entity is ever
expanded (no XXE, no billion laughs). Plain-text sitemaps (one URL a line) work too.
"""

from __future__ import annotations

import html
import logging
import re
import zlib
from dataclasses import dataclass
from urllib.parse import urljoin

from crawlers.errors import CrawlError
from crawlers.fetch import Fetcher
from crawlers.urls import normalize_url

logger = logging.getLogger(__name__)

MAX_SITEMAP_BYTES = 20_000_000
MAX_UNZIPPED_BYTES = 60_000_000

_LOC = re.compile(r"<loc\b[^>]*>\s*(?:<!\[CDATA\[)?\s*(.*?)\s*(?:\]\]>)?\s*</loc\s*>", re.IGNORECASE | re.DOTALL)
_LASTMOD = re.compile(r"<lastmod\b[^>]*>\s*(.*?)\s*</lastmod\s*>", re.IGNORECASE | re.DOTALL)
_INDEX = re.compile(r"<sitemapindex\b", re.IGNORECASE)


@dataclass(frozen=True)
class SitemapEntry:
    """One URL a sitemap lists, with its <lastmod> text when given."""

    url: str
    lastmod: str | None = None


@dataclass(frozen=True)
class SitemapResult:
    """What the sitemaps gave: entries, the sitemap URLs read, and the problems met (never silent)."""

    entries: tuple[SitemapEntry, ...]
    sitemaps_read: tuple[str, ...]
    errors: tuple[tuple[str, str], ...]


def _gunzip(body: bytes) -> bytes:
    decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
    data = decompressor.decompress(body, MAX_UNZIPPED_BYTES)
    if decompressor.unconsumed_tail:
        raise ValueError("gzip sitemap expands beyond the cap")
    return data


def parse_sitemap(body: bytes) -> tuple[bool, list[SitemapEntry]]:
    """Parse a sitemap body: (is_index, entries). Gzip is detected by its magic bytes."""
    if body[:2] == b"\x1f\x8b":
        body = _gunzip(body)
    text = body.decode("utf-8", errors="replace")
    entries: list[SitemapEntry] = []
    if "<" not in text[:2000]:
        for line in text.splitlines():
            line = line.strip()
            if line.startswith(("http://", "https://")):
                entries.append(SitemapEntry(line))
        return False, entries
    is_index = bool(_INDEX.search(text))
    # each <loc> on its own, its <lastmod> being the one before the next <loc>: unclosed blocks still parse
    locs = list(_LOC.finditer(text))
    for i, loc in enumerate(locs):
        end = locs[i + 1].start() if i + 1 < len(locs) else len(text)
        lastmod = _LASTMOD.search(text, loc.end(), end)
        entries.append(SitemapEntry(html.unescape(loc.group(1)).strip(), lastmod.group(1).strip() if lastmod else None))
    return is_index, entries


async def read_sitemaps(
    fetcher: Fetcher,
    origin: str,
    listed: tuple[str, ...] | list[str] = (),
    *,
    max_sitemaps: int = 25,
    max_entries: int = 50_000,
) -> SitemapResult:
    """Read the sitemaps listed in robots.txt, else /sitemap.xml and /sitemap_index.xml, recursing into indexes.

    At most `max_sitemaps` sitemap files are fetched and `max_entries` URLs returned. Fetch problems are
    returned in `errors` as (url, detail); robots-disallowed sitemaps are skipped like any other URL.
    """
    listed = [urljoin(origin + "/", url.strip()) for url in listed]  # robots.txt may list relative paths
    guesses = [f"{origin}/sitemap.xml", f"{origin}/sitemap_index.xml"]
    queue: list[str] = list(dict.fromkeys(listed)) or list(guesses)
    seen: set[str] = set()
    read: list[str] = []
    errors: list[tuple[str, str]] = []
    entries: dict[str, SitemapEntry] = {}
    while queue and len(read) < max_sitemaps and len(entries) < max_entries:
        url = queue.pop(0)
        key = normalize_url(url)
        if key is None:
            errors.append((url, "not an http(s) URL"))
            continue
        if key in seen:
            continue
        seen.add(key)
        try:
            response = await fetcher.fetch(url, max_bytes=MAX_SITEMAP_BYTES)
        except CrawlError as exc:
            errors.append((url, str(exc)))
            continue
        if not response.ok:
            if response.status != 404 or url not in guesses:  # a missing guess is no problem
                errors.append((url, f"HTTP {response.status}"))
            continue
        read.append(url)
        try:
            is_index, found = parse_sitemap(response.body)
        except (ValueError, zlib.error) as exc:
            errors.append((url, f"unreadable sitemap: {exc}"))
            continue
        if is_index:
            queue.extend(entry.url for entry in found)
            continue
        for entry in found:
            normal = normalize_url(entry.url)
            if normal is not None and normal not in entries:
                entries[normal] = SitemapEntry(normal, entry.lastmod)
                if len(entries) >= max_entries:
                    break
    return SitemapResult(tuple(entries.values()), tuple(read), tuple(errors))
