"""Reading a hostile document takes time linear in its size (issue 12, item 9).

Each input below used to take 15-60 s: a PDF /Title of 40k characters in the plan-year noise filter (a URL
regex retried from every character), a 400k-character page of theme words in the classifier's overlap test
(every phrase compared with every phrase taken). The bounds are generous hang checks, not benchmarks.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date
from typing import TypeVar

import pytest

from tracker.domain import DocumentText
from tracker.reading.classify import _scan, classify
from tracker.reading.plan_years import _clean, find_plan_years

T = TypeVar("T")
BOUND_SECONDS = 5.0


def timed(call: Callable[[], T]) -> T:
    start = time.monotonic()
    result = call()
    elapsed = time.monotonic() - start
    assert elapsed < BOUND_SECONDS, f"took {elapsed:.2f} s"
    return result


HOSTILE_TITLES = {
    "40k letters": "a" * 40_000,
    "40k dotted": "a." * 20_000,
    "40k digits": "1" * 40_000,
    "40k slashes and years": "2021/" * 8_000,
    "40k law words": "lova" * 10_000,
    "URLs without spaces": "https://x.no/" * 3_000 + "plan.pdf",
    "vedtatt repeated": "vedtatt " * 5_000,
}


@pytest.mark.parametrize("title", HOSTILE_TITLES.values(), ids=HOSTILE_TITLES.keys())
def test_hostile_title_reads_in_bounded_time(title: str) -> None:
    timed(lambda: find_plan_years(title, [title]))


def test_address_filter_unchanged() -> None:
    """URLs and file names still go, word by word, as with the single regex the filter replaced."""
    assert _clean("se https://x.no/plan-2019 og plan2020.pdf") == "se   og  "
    assert _clean("(https://x) www.y kilde:www.z x.no/a") == "(    kilde:   "
    assert _clean("node.nodes 2021.ok") == "node.nodes 2021.ok"
    assert find_plan_years("Handlingsplan 2021–2024 https://x.no/2010-2012.pdf", []) == (2021, 2024)


def test_theme_page_scans_in_bounded_time() -> None:
    page = ("vold i nære relasjoner seksuelle overgrep mot barn trafikk " * 7_000)[:400_000]
    hits = timed(lambda: _scan(page, 1, "body"))
    assert {hit.phrase for hit in hits} == {"vold i nære relasjoner", "seksuelle overgrep mot barn", "trafikk"}
    doc = DocumentText("https://x.no/plan.pdf", "Handlingsplan", (page,))
    timed(lambda: classify(doc, today=date(2026, 3, 1)))


def test_longest_phrase_still_wins() -> None:
    hits = _scan("seksuelle overgrep mot barn og vold", 1, "body")
    assert [(h.phrase, h.theme) for h in hits] == [("seksuelle overgrep mot barn", "abuse"), ("vold", "violence")]


def test_ordinary_plan_reads_as_before() -> None:
    doc = DocumentText(
        "https://x.no/plan.pdf",
        "Handlingsplan mot vold og seksuelle overgrep mot barn",
        ("Planen gjelder for perioden 2022 til 2025. Se https://x.no/2010-2012.pdf.",),
    )
    result = classify(doc, today=date(2026, 3, 1))
    assert (result.year_start, result.year_end) == (2022, 2025)
