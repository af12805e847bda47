"""Sitemaps: the URLs a site lists about itself (robots.txt `Sitemap:` lines, /sitemap.xml, /sitemap_index.xml).

Sitemap indexes are followed (bounded), gzip is unpacked (bounded), and the XML is read by a tolerant linear
scan for <loc>/<lastmod> rather than an XML parser, so broken markup still yields URLs and no entity is ever
expanded (no XXE, no billion laughs). Plain-text sitemaps (one URL a line) work too.

The scan is linear in the body on purpose (issue 12, item 6): the regex it replaced read a <loc> as
whitespace, optional CDATA, whitespace, lazy text, whitespace, optional CDATA end, whitespace, </loc>, and
backtracked over every way of splitting a whitespace run between those groups, so 319 spaces after an
unclosed <loc> took over 35 s in the event loop. Every pattern here is anchored on a literal tag and can
only scan to the next `<`; the text between tags is cut out with slicing and `str.strip`.
"""

from __future__ import annotations

import asyncio
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

# `[^<>]*` (not `[^>]*`): an open tag whose `>` never comes stops at the next `<`, so a body of unclosed
# `<loc` is scanned once, not once per tag
_LOC_OPEN = re.compile(r"<loc\b[^<>]*>", re.IGNORECASE)
_LOC_CLOSE = re.compile(r"</loc\s*>", re.IGNORECASE)
_LASTMOD_OPEN = re.compile(r"<lastmod\b[^<>]*>", re.IGNORECASE)
_LASTMOD_CLOSE = re.compile(r"</lastmod\s*>", re.IGNORECASE)
_INDEX = re.compile(r"<sitemapindex\b", re.IGNORECASE)
_CDATA_OPEN = "<![CDATA["
_CDATA_CLOSE = "]]>"


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


def _loc_text(raw: str) -> str:
    """The URL inside a <loc>: whitespace and an optional CDATA wrapper taken off, entities unescaped."""
    text = raw.strip()
    if text.startswith(_CDATA_OPEN):
        text = text[len(_CDATA_OPEN) :].lstrip()
    if text.endswith(_CDATA_CLOSE):
        text = text[: -len(_CDATA_CLOSE)].rstrip()
    return html.unescape(text).strip()


def _lastmod(text: str, start: int, end: int) -> str | None:
    """The first <lastmod> text within text[start:end], closed within that span too; None if there is none."""
    opened = _LASTMOD_OPEN.search(text, start, end)
    if opened is None:
        return None
    closed = _LASTMOD_CLOSE.search(text, opened.end(), end)
    if closed is None:
        return None
    return text[opened.end() : closed.start()].strip()


def parse_sitemap(
    body: bytes, *, limit: int | None = None, problems: list[str] | None = None
) -> tuple[bool, list[SitemapEntry]]:
    """Parse a sitemap body: (is_index, entries), at most `limit` entries. Gzip is detected by its magic bytes.

    Each <loc> runs to the next </loc> (an unclosed one ends the scan, and says so in `problems` when given); its
    <lastmod> is the one before the next <loc>, so unclosed <url> blocks still parse. Time is linear in the body.
    Raises ValueError when gzip expands beyond MAX_UNZIPPED_BYTES, zlib.error when it is corrupt.
    """
    if body[:2] == b"\x1f\x8b":
        body = _gunzip(body)
    text = body.decode("utf-8", errors="replace")
    entries: list[SitemapEntry] = []
    if "<" not in text[:2000]:
        for line in text.splitlines():
            line = line.strip()
            if line.startswith(("http://", "https://")):
                entries.append(SitemapEntry(line))
                if limit is not None and len(entries) >= limit:
                    break
        return False, entries
    is_index = _INDEX.search(text) is not None
    locs: list[tuple[int, int, int, int]] = []  # (tag start, text start, text end, close end) per <loc>
    pos = 0
    while limit is None or len(locs) < limit:
        opened = _LOC_OPEN.search(text, pos)
        if opened is None:
            break
        closed = _LOC_CLOSE.search(text, opened.end())
        if closed is None:
            if problems is not None:
                problems.append(f"a <loc> at character {opened.start():,} is never closed: the rest was not read")
            break
        locs.append((opened.start(), opened.end(), closed.start(), closed.end()))
        pos = closed.end()
    # the last <loc> read owns the <lastmod>s up to the next <loc> tag, read or not (cut off by `limit`)
    following = _LOC_OPEN.search(text, pos) if limit is not None and len(locs) >= limit else None
    tail = following.start() if following else len(text)
    for i, (_, start, end, after) in enumerate(locs):
        until = locs[i + 1][0] if i + 1 < len(locs) else tail
        entries.append(SitemapEntry(_loc_text(text[start:end]), _lastmod(text, after, until)))
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
            # a 20 MB sitemap takes about a second even linearly: off the event loop, so other sites go on
            problems: list[str] = []
            is_index, found = await asyncio.to_thread(
                parse_sitemap, response.body, limit=max_entries, problems=problems
            )
        except (ValueError, zlib.error) as exc:
            errors.append((url, f"unreadable sitemap: {exc}"))
            continue
        errors.extend((url, f"broken sitemap: {problem}") for problem in problems)
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
