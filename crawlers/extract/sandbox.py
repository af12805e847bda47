"""Runs document parsers in worker processes with wall-time and memory limits: owns the pool (the parent's side).

PDF and DOCX parsers are large C/Python code bases fed with bytes from the internet. A hostile or broken file may
hang them, exhaust memory or crash the interpreter. Each worker is a separate Python process in its own session
(so Tesseract children die with it), with RLIMIT_AS set, which dies when the parent dies (PR_SET_PDEATHSIG).
A worker that times out, crashes or runs out of memory fails THAT document with ExtractionError and is replaced
on next use; the pool keeps serving.

The worker's side (its limits, its job loop, the frame protocol over its stdin/stdout) is
`crawlers.extract.worker`; this module is the parent's side, and checks every result the untrusted worker sends.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import signal
import sys
from dataclasses import asdict
from types import TracebackType
from typing import Any

from crawlers.errors import ExtractionError
from crawlers.extract.ocr import OcrOptions
from crawlers.extract.worker import FORMATS, HEADER
from crawlers.types import ExtractedText

logger = logging.getLogger(__name__)

DEFAULT_TIMEOUT_S = 60.0
DEFAULT_OCR_TIMEOUT_S = 300.0
DEFAULT_MEMORY_LIMIT_BYTES = 1536 * 1024 * 1024
#: the largest result a worker may send back (a 2,000-page plan is ~10 MB of JSON)
MAX_RESULT_BYTES = 256 * 1024 * 1024


class Extractor:
    """A pool of sandboxed extraction workers. Use as `async with Extractor() as ex: await ex.extract(body, "pdf")`.

    `timeout_s` bounds one document; a PDF that turns out to need OCR gets `ocr_timeout_s` (from its start) instead.
    `memory_limit_bytes` is the worker's address-space limit (None: unlimited). `workers` defaults to the CPU count.
    """

    def __init__(
        self,
        *,
        workers: int | None = None,
        timeout_s: float = DEFAULT_TIMEOUT_S,
        ocr_timeout_s: float = DEFAULT_OCR_TIMEOUT_S,
        memory_limit_bytes: int | None = DEFAULT_MEMORY_LIMIT_BYTES,
        ocr: OcrOptions | None = None,
        python: str = sys.executable,
    ) -> None:
        self.workers = workers if workers is not None else (os.cpu_count() or 1)
        if self.workers < 1:
            raise ValueError("workers must be at least 1")
        self.timeout_s = timeout_s
        self.ocr_timeout_s = max(ocr_timeout_s, timeout_s)
        self.memory_limit_bytes = memory_limit_bytes
        self.ocr = ocr if ocr is not None else OcrOptions()
        self._python = python
        self._idle: asyncio.Queue[_Worker | None] | None = None
        self._live: set[_Worker] = set()
        #: counters for the caller's run statistics
        self.stats: dict[str, int] = {"documents": 0, "failed": 0, "timeouts": 0, "crashes": 0, "respawns": 0}

    async def __aenter__(self) -> Extractor:
        self._idle = asyncio.Queue()
        started = await asyncio.gather(*(self._spawn() for _ in range(self.workers)), return_exceptions=True)
        for worker in started:
            if isinstance(worker, BaseException):
                await self.aclose()
                raise worker
            self._idle.put_nowait(worker)
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Stop every worker (politely, then SIGKILL to its whole session) and reap it."""
        await asyncio.gather(*(worker.stop() for worker in list(self._live)))
        self._live.clear()
        self._idle = None

    def worker_pids(self) -> tuple[int, ...]:
        """The process ids of the live workers (each is also its session id): for leak checks."""
        return tuple(worker.pid for worker in self._live)

    async def extract(self, body: bytes, fmt: str, *, url: str = "") -> ExtractedText:
        """Extract one document in a worker. Raises ExtractionError for a bad, slow, huge or crashing document."""
        if fmt not in FORMATS:
            raise ExtractionError(f"unknown document format {fmt!r} (expected one of {', '.join(FORMATS)})")
        if self._idle is None:
            raise RuntimeError("Extractor is not open: use `async with Extractor() as extractor`")
        idle = self._idle
        worker = await idle.get()
        try:
            if worker is None or not worker.usable:
                self.stats["respawns"] += 1
                worker = await self._spawn()
            self.stats["documents"] += 1
            return await worker.run(body, fmt, url, self.timeout_s, self.ocr_timeout_s, self.stats)
        except ExtractionError:
            self.stats["failed"] += 1
            raise
        finally:
            if worker is not None and not worker.usable:
                await worker.stop()
                self._live.discard(worker)
                worker = None
            idle.put_nowait(worker)

    async def _spawn(self) -> _Worker:
        config = {"memory_limit_bytes": self.memory_limit_bytes, "ocr": asdict(self.ocr)}
        worker = await _Worker.start(self._python, config)
        self._live.add(worker)
        return worker


def extract_sync(body: bytes, fmt: str, *, url: str = "", **options: Any) -> ExtractedText:
    """Extract one document in a fresh one-worker sandbox and wait (tests, bench, the CLI). Options: see Extractor."""

    async def run() -> ExtractedText:
        async with Extractor(workers=1, **options) as extractor:
            return await extractor.extract(body, fmt, url=url)

    return asyncio.run(run())


class _Worker:
    """One worker process and the parent's end of its pipes."""

    def __init__(self, process: asyncio.subprocess.Process, memory_limit_bytes: int | None) -> None:
        self.process = process
        self.pid = process.pid
        self.memory_limit_bytes = memory_limit_bytes
        #: False once the worker died, was killed, or asked to be retired
        self.usable = True

    @classmethod
    async def start(cls, python: str, config: dict[str, Any]) -> _Worker:
        code = "from crawlers.extract.worker import worker_main; worker_main()"
        process = await asyncio.create_subprocess_exec(
            python,
            "-c",
            code,
            json.dumps(config),
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            start_new_session=True,
        )
        worker = cls(process, config["memory_limit_bytes"])
        try:
            ready = await asyncio.wait_for(worker._read_frame(), timeout=60)
        except (asyncio.IncompleteReadError, TimeoutError, ExtractionError) as exc:
            await worker.stop()
            raise ExtractionError(f"extraction worker failed to start: {exc!r}", ours=True) from exc
        if ready.get("kind") != "ready":
            await worker.stop()
            raise ExtractionError(f"extraction worker failed to start: {ready.get('reason', ready)}", ours=True)
        return worker

    async def run(
        self, body: bytes, fmt: str, url: str, timeout_s: float, ocr_timeout_s: float, stats: dict[str, int]
    ) -> ExtractedText:
        assert self.process.stdin is not None
        loop = asyncio.get_running_loop()
        started = loop.time()
        limit = timeout_s
        try:
            async with asyncio.timeout(timeout_s) as deadline:
                header = json.dumps({"fmt": fmt, "url": url, "size": len(body)}).encode()
                self.process.stdin.write(HEADER.pack(len(header)) + header)
                self.process.stdin.write(body)
                await self.process.stdin.drain()
                while True:
                    frame = await self._read_frame()
                    if frame.get("kind") == "ocr":
                        limit = ocr_timeout_s
                        deadline.reschedule(started + ocr_timeout_s)
                        continue
                    break
        except TimeoutError:
            stats["timeouts"] += 1
            await self.kill()
            raise ExtractionError(f"timed out after {limit:g} s", ours=True) from None
        except (asyncio.IncompleteReadError, BrokenPipeError, ConnectionResetError):
            stats["crashes"] += 1
            raise ExtractionError(await self._death_reason()) from None
        except BaseException:
            # Cancelled mid-document: the worker's state is unknown, so it goes.
            await self.kill()
            raise
        if frame.get("retire"):
            self.usable = False
        if frame.get("kind") == "error":
            raise ExtractionError(str(frame.get("reason", "extraction failed")), ours=bool(frame.get("ours")))
        if frame.get("kind") != "ok":
            await self.kill()
            raise ExtractionError("extraction worker sent an unexpected reply", ours=True)
        return _result_from_json(frame.get("result"))

    async def _read_frame(self) -> dict[str, Any]:
        assert self.process.stdout is not None
        (size,) = HEADER.unpack(await self.process.stdout.readexactly(HEADER.size))
        if size > MAX_RESULT_BYTES:
            await self.kill()
            raise ExtractionError(f"extraction worker sent {size} bytes, more than the {MAX_RESULT_BYTES} allowed")
        payload = await self.process.stdout.readexactly(size)
        try:
            frame = json.loads(payload)
        except ValueError as exc:
            await self.kill()
            raise ExtractionError("extraction worker sent a malformed reply", ours=True) from exc
        if not isinstance(frame, dict):
            await self.kill()
            raise ExtractionError("extraction worker sent a malformed reply", ours=True)
        return frame

    async def _death_reason(self) -> str:
        self.usable = False
        try:
            code = await asyncio.wait_for(self.process.wait(), timeout=5)
        except TimeoutError:
            await self.kill()
            return "extraction worker stopped answering"
        self._kill_session()
        limit = f"{self.memory_limit_bytes / 2**30:.2g} GB" if self.memory_limit_bytes else "none"
        if code < 0:
            name = signal.Signals(-code).name if -code in signal.valid_signals() else str(-code)
            return f"extraction worker crashed ({name}); the document may exceed the memory limit ({limit})"
        return f"extraction worker exited with status {code}"

    async def kill(self) -> None:
        """SIGKILL the worker's whole session (it and any Tesseract it started) and reap it."""
        self.usable = False
        self._kill_session()
        with contextlib.suppress(ProcessLookupError):
            await self.process.wait()

    def _kill_session(self) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.pid, signal.SIGKILL)

    async def stop(self) -> None:
        """Close stdin so the worker exits on its own; kill it if it does not within two seconds."""
        self.usable = False
        if self.process.returncode is None and self.process.stdin is not None:
            self.process.stdin.close()
            try:
                await asyncio.wait_for(self.process.wait(), timeout=2)
            except TimeoutError:
                pass
        await self.kill()


def _result_from_json(data: object) -> ExtractedText:
    """Rebuild an ExtractedText from a worker's JSON, checking every field's type (the worker is untrusted)."""
    if not isinstance(data, dict):
        raise ExtractionError("extraction worker sent a malformed result", ours=True)
    try:
        source = data["text_source"]
        if source not in ("text_layer", "ocr", "html"):
            raise ValueError(source)
        confidence = data.get("ocr_confidence")
        return ExtractedText(
            text_source=source,
            title=_str(data["title"]),
            pages=tuple(_str(page) for page in data["pages"]),
            page_count=int(data["page_count"]),
            headings=tuple(_str(heading) for heading in data["headings"]),
            language=None if data.get("language") is None else _str(data["language"]),
            metadata=tuple((_str(key), _str(value)) for key, value in data["metadata"]),
            extractor=_str(data["extractor"]),
            ocr_confidence=None if confidence is None else float(confidence),
            facts=tuple((_str(key), _str(value)) for key, value in data["facts"]),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ExtractionError("extraction worker sent a malformed result", ours=True) from exc


def _str(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected a string, got {type(value).__name__}")
    return value
