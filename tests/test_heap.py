"""A crawling process freezes what it holds before it crawls and collects its young objects less often
(planvakt/heap.py: full collections stalled a 455-site sweep's event loop for up to 2.4 s)."""

from __future__ import annotations

import gc

from planvakt import heap


def test_a_crawling_process_freezes_what_it_holds_and_collects_less_often() -> None:
    before = gc.get_threshold()
    held = [[n] for n in range(1000)]  # objects alive when the crawl starts
    try:
        heap.settle_for_crawling()
        assert gc.get_freeze_count() >= len(held)  # out of every later collection's walk
        assert gc.get_threshold() == (heap.YOUNG_THRESHOLD, heap.MIDDLE_THRESHOLD, heap.OLD_THRESHOLD)
        assert heap.YOUNG_THRESHOLD > 700  # CPython's default (a crawl run in this process may have set ours)
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)
