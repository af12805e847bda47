"""Runs document parsers in worker processes with wall-time and memory limits: owns the pool and its protocol.

PDF and DOCX parsers are large C/Python code bases fed with bytes from the internet. A hostile or broken file may
hang them, exhaust memory or crash the interpreter. Each worker is a separate Python process in its own session
(so Tesseract children die with it), with RLIMIT_AS set, which dies when the parent dies (PR_SET_PDEATHSIG).
A worker that times out, crashes or runs out of memory fails THAT document with ExtractionError and is replaced
on next use; the pool keeps serving.

Protocol over the worker's stdin/stdout: frames of a 4-byte big-endian length and a UTF-8 JSON header; a job
header is followed by the raw document bytes. Results come back as JSON, never pickle: a parser exploited by a
hostile PDF must not be able to run code in the parent through deserialisation.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import json
import logging
import os
import resource
import signal
import struct
import sys
from collections.abc import Callable
from dataclasses import asdict
from types import TracebackType
from typing import IO, Any

from crawlers.errors import ExtractionError
from crawlers.extract.ocr import OcrOptions
from crawlers.types import ExtractedText

logger = logging.getLogger(__name__)

DEFAULT_TIMEOUT_S = 60.0
DEFAULT_OCR_TIMEOUT_S = 300.0
DEFAULT_MEMORY_LIMIT_BYTES = 1536 * 1024 * 1024
#: the largest result a worker may send back (a 2,000-page plan is ~10 MB of JSON)
MAX_RESULT_BYTES = 256 * 1024 * 1024
_HEADER = struct.Struct(">I")
_FORMATS = ("pdf", "html", "docx")
_PR_SET_PDEATHSIG = 1


def extract_document(
    body: bytes,
    fmt: str,
    *,
    url: str = "",
    ocr: OcrOptions | None = None,
    on_ocr_start: Callable[[int], None] | None = None,
) -> ExtractedText:
    """Extract in THIS process (no limits): what a worker runs. Raises ExtractionError."""
    # Imported here so the parent process never loads pdfium, pdfminer or python-docx.
    if fmt == "pdf":
        from crawlers.extract.pdf import extract_pdf

        return extract_pdf(body, ocr=ocr, on_ocr_start=on_ocr_start)
    if fmt == "html":
        from crawlers.extract.html import extract_html

        return extract_html(body, url)
    if fmt == "docx":
        from crawlers.extract.docx import extract_docx

        return extract_docx(body)
    raise ExtractionError(f"unknown document format {fmt!r} (expected one of {', '.join(_FORMATS)})")


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
        if fmt not in _FORMATS:
            raise ExtractionError(f"unknown document format {fmt!r} (expected one of {', '.join(_FORMATS)})")
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
        code = "from crawlers.extract.sandbox import worker_main; worker_main()"
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
                self.process.stdin.write(_HEADER.pack(len(header)) + header)
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
        (size,) = _HEADER.unpack(await self.process.stdout.readexactly(_HEADER.size))
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


# ---------------------------------------------------------------------------------------------- worker side


def worker_main() -> None:
    """Entry point of a worker process: set limits, load the parsers, then serve jobs until stdin closes."""
    config = json.loads(sys.argv[1])
    _die_with_parent()
    channel = os.fdopen(os.dup(1), "wb", buffering=0)
    os.dup2(2, 1)  # stray prints from C libraries must not corrupt the protocol
    jobs = sys.stdin.buffer
    ocr = OcrOptions(**config["ocr"])
    # Load the parsers before the limit: their import cost must not count against a document.
    import crawlers.extract.docx  # noqa: F401
    import crawlers.extract.html  # noqa: F401
    import crawlers.extract.pdf  # noqa: F401

    limit = config["memory_limit_bytes"]
    if limit:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    _send(channel, {"kind": "ready", "pid": os.getpid()})
    while _serve_one(jobs, channel, ocr, limit):
        pass


def _serve_one(jobs: IO[bytes], channel: IO[bytes], ocr: OcrOptions, limit: int | None) -> bool:
    """Read one job and answer it. False when the worker should exit (stdin closed, or out of memory)."""
    raw = jobs.read(_HEADER.size)
    if len(raw) < _HEADER.size:
        return False
    job: dict[str, Any] = {}
    try:
        (size,) = _HEADER.unpack(raw)
        job = json.loads(jobs.read(size))
        body = jobs.read(int(job["size"]))
        result = extract_document(
            body,
            str(job["fmt"]),
            url=str(job.get("url", "")),
            ocr=ocr,
            on_ocr_start=lambda pages: _send(channel, {"kind": "ocr", "pages": pages}),
        )
        reply: dict[str, Any] = {"kind": "ok", "result": asdict(result)}
    except MemoryError:
        reply = _out_of_memory(limit)
    except ExtractionError as exc:
        # C parsers report a failed allocation as "cannot parse": the peak address space tells the truth.
        reply = (
            _out_of_memory(limit) if _near_limit(limit) else {"kind": "error", "reason": exc.reason, "ours": exc.ours}
        )
    except RecursionError:
        reply = {"kind": "error", "reason": "document is nested too deeply to parse", "retire": True}
    except Exception as exc:  # noqa: BLE001 - the sandbox boundary: a parser bug fails one document, not the run
        if _near_limit(limit):
            reply = _out_of_memory(limit)
        else:
            logger.exception("unexpected error while extracting a %s document", job.get("fmt", "?"))
            reply = {"kind": "error", "reason": f"parser failed: {type(exc).__name__}: {exc}", "retire": True}
    _send(channel, reply)
    return not reply.get("retire")


def _out_of_memory(limit: int | None) -> dict[str, Any]:
    limit_text = f"{limit / 2**30:.2g} GB" if limit else "none"
    return {"kind": "error", "reason": f"memory limit exceeded ({limit_text})", "retire": True}


def _near_limit(limit: int | None) -> bool:
    """True when this worker's peak address space came within 10% of its limit (VmPeak, /proc)."""
    if not limit:
        return False
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmPeak:"):
                    return int(line.split()[1]) * 1024 >= limit * 0.9
    except (OSError, ValueError, IndexError):
        return False
    return False


def _send(channel: IO[bytes], frame: dict[str, Any]) -> None:
    payload = json.dumps(frame, ensure_ascii=False).encode("utf-8")
    channel.write(_HEADER.pack(len(payload)) + payload)
    channel.flush()


def _die_with_parent() -> None:
    """Ask Linux to SIGKILL this worker when its parent dies, so a crashed crawler leaves no orphans."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        logger.debug("PR_SET_PDEATHSIG unavailable")
    if os.getppid() == 1:  # the parent died before prctl took effect
        os._exit(1)
