"""The generated web (`crawlers.testweb.build_large_web`) served from a process of its own, for the benchmarks.

Its server threads then do not count against the crawler's CPU and memory. `served_web` writes the web's registry
CSV and, per kommune, the status it was built to have (`expected.csv`: kommunenummer,status), and stops the server
when the block ends.
"""

from __future__ import annotations

import csv
import multiprocessing
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from crawlers.testweb import build_large_web


def _serve(sites: int, pages: int, registry: str, expected: str, ready: Any, stop: Any) -> None:
    with build_large_web(sites, pages) as web:
        web.write_registry(registry)
        with open(expected, "w", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerows([k.kommunenummer, k.expected.status] for k in web.kommuner)
        ready.set()
        stop.wait()


@contextmanager
def served_web(sites: int, pages: int, folder: Path, *, ready_within: float = 60) -> Iterator[tuple[Path, Path]]:
    """Serve a web of `sites` kommune sites of `pages` ordinary pages each; yields (registry CSV, expected CSV)."""
    registry, expected = folder / "registry.csv", folder / "expected.csv"
    ready, stop = multiprocessing.Event(), multiprocessing.Event()
    server = multiprocessing.Process(
        target=_serve, args=(sites, pages, str(registry), str(expected), ready, stop), daemon=True
    )
    server.start()
    ready.wait(ready_within)
    try:
        yield registry, expected
    finally:
        stop.set()
        server.join(10)
