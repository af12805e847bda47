"""Every hostile input of corpus.py goes through the readers a crawl runs it through, each within BOUND_SECONDS.

A hang check, not a benchmark: the inputs took from seconds to hours before their fixes and now take about a second
at most, so the generous bound holds and a regression to super-linear time still trips it. The time is this
process's CPU time: every reader here is CPU-bound in-process, and other jobs on a shared CI machine do not count.
"""

from __future__ import annotations

import time
import zlib
from datetime import date

import pytest

from crawlers.extract.html import extract_html
from crawlers.htmlguard import parse_html
from crawlers.links import extract_links, links_built_by_script, page_h1, page_title
from crawlers.sitemap import parse_sitemap
from tests.hostile.corpus import CASES, KNOWN_SLOW, Case
from tracker.domain import DocumentText
from tracker.reading.classify import classify
from tracker.reading.plan_years import find_plan_years

BOUND_SECONDS = 5.0
URL = "https://hostile.example.no/side"
TODAY = date(2026, 3, 1)


def _read(case: Case, data: bytes | str) -> None:
    """Run `data` through every reader a crawl would use for it."""
    if case.reader == "sitemap":
        assert isinstance(data, bytes)
        try:
            parse_sitemap(data)
        except (ValueError, zlib.error):
            pass  # refused (a gzip bomb): refusing in time is the point
    elif case.reader == "html":
        assert isinstance(data, str)
        tree = parse_html(data)
        page_title(tree), page_h1(tree)
        extract_links(tree, URL)
        links_built_by_script(tree, URL)
        extract_html(data.encode(), URL)
    elif case.reader == "title":
        assert isinstance(data, str)
        find_plan_years(data, [data])
        classify(DocumentText(URL, data, ("Handlingsplan",)), today=TODAY)
    else:
        assert isinstance(data, str)
        find_plan_years("Handlingsplan", [data])
        classify(DocumentText(URL, "Handlingsplan", (data,)), today=TODAY)


def _params() -> list[object]:
    params: list[object] = []
    for case in CASES:
        marks = [pytest.mark.skip(reason=KNOWN_SLOW[case.name])] if case.name in KNOWN_SLOW else []
        params.append(pytest.param(case, id=case.name, marks=marks))
    return params


@pytest.mark.parametrize("case", _params())
def test_hostile_input_is_read_in_bounded_time(case: Case) -> None:
    data = case.make()
    start = time.process_time()
    _read(case, data)
    elapsed = time.process_time() - start
    assert elapsed < BOUND_SECONDS, f"{case.name}: {elapsed:.1f} s of CPU (before its fix: {case.before})"
