"""Hostile inputs seen or built for issue 12 ("Hostile sites"), as generators: small in the repository, full size
when run.

Each case names the reader it attacks and what it cost before its fix (CPU seconds measured 2026-12-04 on the
shared 2-core machine, some extrapolated from half the size: every one was quadratic or worse). A new slow input
found in the wild goes here with its reader, so CI keeps timing it.
"""

from __future__ import annotations

import gzip
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

Reader = Literal["sitemap", "html", "title", "page"]


@dataclass(frozen=True)
class Case:
    """One hostile input: `make()` builds it; `reader` says which entry point reads it (see test_corpus.py)."""

    name: str
    reader: Reader
    make: Callable[[], bytes | str]
    before: str  # what it cost before its fix


def _sitemap_cases() -> list[Case]:
    head = b'<?xml version="1.0" encoding="UTF-8"?><urlset><url><loc>'
    return [
        Case("sitemap: 319 spaces after an unclosed <loc>", "sitemap", lambda: head + b" " * 319, "over 35 s"),
        Case("sitemap: 100k spaces after an unclosed <loc>", "sitemap", lambda: head + b" " * 100_000, "hang"),
        Case(
            "sitemap: gzip, unclosed <loc>",
            "sitemap",
            lambda: gzip.compress(head + b" \t\n" * 30_000),
            "hang",
        ),
        Case("sitemap: 25k <loc> never closed", "sitemap", lambda: b"<urlset>" + b"<url><loc>x" * 25_000, "hang"),
        Case(
            "sitemap: unclosed <lastmod>, 100k spaces",
            "sitemap",
            lambda: b"<urlset><url><loc>https://x.no/a</loc><lastmod>" + b" " * 100_000,
            "hang",
        ),
        Case("sitemap: gzip bomb", "sitemap", lambda: gzip.compress(b"\0" * 70_000_000), "refused at 60 MB"),
    ]


def _repeated(unit: str, times: int = 40_000) -> Callable[[], str]:
    return lambda: "<body>" + unit * times


def _html_cases() -> list[Case]:
    text = "ord " * 250_000  # 1 MB of text
    links = "".join(f"<a href='/side{i}'>Side {i}</a>" for i in range(6))
    return [
        Case("html: 100k unclosed <div>", "html", lambda: "<html><body>" + "<div>" * 100_000, "21 s"),
        Case("html: 40k <span> then 40k <div>", "html", lambda: "<body>" + "<span>" * 40_000 + "<div>" * 40_000, "4 s"),
        Case(
            "html: 40k <b> with distinct attributes",
            "html",
            lambda: "<body>" + "".join(f"<b x={i}>" for i in range(40_000)),
            "7 s",
        ),
        Case("html: 40k <section><li>", "html", lambda: "<body>" + "<section><li>" * 40_000, "2 s"),
        Case("html: 256 nested list items over 1 MB", "html", lambda: "<body>" + "<ul><li>" * 256 + text, "9.5 s"),
        Case("html: 256 nested headings over 1 MB", "html", lambda: "<body>" + "<h2><div>" * 256 + text, "9 s"),
        Case(
            "html: 500 nested menus over 2 MB",
            "html",
            lambda: "<body><script></script>" + links + "<nav>" * 500 + text * 2,
            "35 s",
        ),
        Case(
            "html: <title> of 100k line separators",
            "html",
            lambda: "<html><head><title>a" + "\u2028" * 100_000 + "b</title></head><body>x",
            "80 s",
        ),
        Case("html: 9 MB page", "html", lambda: "<body><p>" + "plan " * 1_800_000, "cut at 8M characters"),
        # tag soups a fuzzer found nesting past the first depth guard (tree depth in thousands at 6,000 tags)
        *(
            Case(f"html: 40k x {unit}", "html", _repeated(unit), "quadratic")
            for unit in (
                "<li><dd>",
                "<math><iframe><div>",
                "<math><tbody>x",
                "<option><address>",
                "<pre><a/>x",
                "<tr><dl><x-y><form/>x",
                "<svg><foreignObject><div/>",
                "<li><ul></li>",
            )
        ),
    ]


def _text_cases() -> list[Case]:
    return [
        Case("title: 40k dotted letters", "title", lambda: "a." * 20_000, "15 s"),
        Case("title: 40k letters", "title", lambda: "a" * 40_000, "2 s"),
        Case(
            "title: URLs without spaces",
            "title",
            lambda: "https://x.no/" * 3_000 + "plan.pdf",
            "fast: guards the rewrite",
        ),
        Case(
            "page: 400k characters of theme words",
            "page",
            lambda: ("vold i nære relasjoner seksuelle overgrep mot barn trafikk " * 7_000)[:400_000],
            "20 s",
        ),
        Case("page: 200k dotted letters", "page", lambda: "a." * 100_000, "over 120 s at 80k, quadratic"),
    ]


#: known slow in code outside issue 12's fixes, kept here so they are timed once fixed (see test_corpus.py)
#: cases whose reader is known to be too slow, with the reason (skipped until fixed); empty: every case holds
KNOWN_SLOW: dict[str, str] = {}


def _number_run_cases() -> list[Case]:
    return [Case("page: 40k characters of numbers", "page", lambda: "2021 " * 8_000, "minutes (genre)")]


CASES: tuple[Case, ...] = (*_sitemap_cases(), *_html_cases(), *_text_cases(), *_number_run_cases())
