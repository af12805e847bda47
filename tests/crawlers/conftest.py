"""Fixtures for crawler tests: fast polite options and small HTML builders over the loopback test web."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from crawlers.testweb.server import MultiHostServer, Site
from crawlers.types import CrawlOptions

FIXED_NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def fixed_now() -> datetime:
    return FIXED_NOW


@pytest.fixture
def options() -> CrawlOptions:
    """Polite defaults scaled down for loopback: tiny delays and backoffs, private networks allowed."""
    return CrawlOptions(
        per_host_delay=0.01,
        allow_private_networks=True,
        timeout=3.0,
        max_retries=2,
        retry_backoff=0.01,
        render="never",
        max_pages_per_site=60,
        search_queries=("handlingsplan overgrep",),
    )


def with_options(options: CrawlOptions, **changes: object) -> CrawlOptions:
    return replace(options, **changes)  # type: ignore[arg-type]


def html_page(title: str, body: str = "", *, head: str = "") -> str:
    """A small HTML page in the shape of a kommune page."""
    return (
        f'<!DOCTYPE html><html lang="nb"><head><meta charset="utf-8"><title>{title}</title>{head}</head>'
        f"<body><header><a href='/'>Forsiden</a></header><main>{body}</main></body></html>"
    )


def pdf_bytes(title: str) -> bytes:
    """Bytes that look like a PDF (the crawler only downloads and hashes them)."""
    return f"%PDF-1.4\n% {title}\n1 0 obj << /Title ({title}) >> endobj\n%%EOF\n".encode()


@contextmanager
def serving(*sites: Site) -> Iterator[MultiHostServer]:
    with MultiHostServer(sites) as server:
        yield server
