"""The garbage collector of a process that crawls many sites at once.

A sweep holds every site's crawl state at once (frontier, link graph, candidates, responses in flight), and much of
what a request allocates lives across awaits for a second or more, so it survives the young collections and is
promoted. CPython then ran a full collection, which walks every tracked object of the process, each time the
promoted objects reached a quarter of the old ones: in a 455-site sweep (bench/bench_sweep.py, a probe on
`gc.callbacks`) 7,682 collections took 52 s of the crawl process's 160 s of CPU, 51 of them full ones 35 s, the
longest 2.4 s. During a collection the event loop stands still, so no host's next request can start: the pauses
are what kept the sweep's requests 1.5-1.9 s apart where the per-host delay is 1 s.

So a crawling process, once its modules are imported and before it crawls, moves what exists then (imports,
settings, the registry: alive for the whole process) out of the collector's sight (`gc.freeze`), and collects its
young objects less often. Reference counting still frees everything that is not in a cycle at once; cycles (a
task and its traceback, say) wait for a collection, which still comes, only rarer.
"""

from __future__ import annotations

import gc

#: allocations (less deallocations) between young collections (CPython's default is 700)
YOUNG_THRESHOLD = 50_000
#: young collections between middle ones, middle ones between full ones (CPython's defaults: 10, 10)
MIDDLE_THRESHOLD = 20
OLD_THRESHOLD = 20


def settle_for_crawling() -> None:
    """Freeze what the process holds now and space the collections out (see the module docstring)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(YOUNG_THRESHOLD, MIDDLE_THRESHOLD, OLD_THRESHOLD)
