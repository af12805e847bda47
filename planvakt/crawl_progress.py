"""A crawl's progress on a terminal (`tracker.progress.Progress` drawn by rich), for `planvakt crawl` and `demo`."""

from __future__ import annotations

import logging
import sys
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from planvakt.wiring import console
from tracker.domain import Kommune, Status


class RichProgress:
    """A live progress bar on a terminal: sites done of planned, sites in flight and pages fetched.

    While the bar is live, the log's stream handlers write through rich's redirected standard error, so log lines
    are printed above the bar instead of running into it.
    """

    def __init__(self, on: Console = console) -> None:
        self.bar = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("sites done · {task.fields[in_flight]} in flight · {task.fields[pages]:,} pages"),
            TimeElapsedColumn(),
            console=on,
            # its own thread redraws it, holding the GIL the crawl needs: 10 redraws a second (rich's default)
            # cost 11 ms of CPU per second, 2 (as often as the crawl reports progress) 3 ms
            refresh_per_second=2,
        )
        self.task: Any = None
        self._streams: list[tuple[logging.StreamHandler[Any], Any]] = []

    def __enter__(self) -> RichProgress:
        self.bar.start()
        for handler in logging.getLogger().handlers:
            if isinstance(handler, logging.StreamHandler) and handler.stream in (sys.__stderr__, sys.__stdout__):
                live = sys.stderr if handler.stream is sys.__stderr__ else sys.stdout  # rich's proxies while live
                self._streams.append((handler, handler.stream))
                handler.setStream(live)
        return self

    def __exit__(self, *exc: object) -> None:
        for handler, stream in self._streams:
            handler.setStream(stream)
        self._streams.clear()
        self.bar.stop()

    def planned(self, total: int) -> None:
        self.task = self.bar.add_task("crawling", total=total, in_flight=0, pages=0)

    def crawling(self, pages: int, in_flight: int) -> None:
        self.bar.update(self.task, pages=pages, in_flight=in_flight)

    def site_done(self, kommune: Kommune, status: Status, pages: int) -> None:
        self.bar.console.log(f"{kommune.kommunenummer} {kommune.name}: {status.value} ({pages} pages)")
        self.bar.advance(self.task)

    def site_failed(self, kommune: Kommune, reason: str) -> None:
        self.bar.console.log(f"{kommune.kommunenummer} {kommune.name}: check failed on our side, not stored: {reason}")
        self.bar.advance(self.task)
