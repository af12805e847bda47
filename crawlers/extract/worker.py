"""The worker process's side of the extraction sandbox: its limits, its job loop and the frame protocol.

A worker (started by `crawlers.extract.sandbox.Extractor`) sets RLIMIT_AS, asks Linux to kill it with its parent,
loads the parsers, then answers jobs from stdin on stdout until stdin closes. Frames are a 4-byte big-endian length
and a UTF-8 JSON header; a job header is followed by the raw document bytes. Results go back as JSON, never pickle:
a parser exploited by a hostile PDF must not be able to run code in the parent through deserialisation.
`extract_document` is what a job runs, and may also be called in-process (no limits).
"""

from __future__ import annotations

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
from typing import IO, Any

from crawlers.errors import ExtractionError
from crawlers.extract.ocr import OcrOptions
from crawlers.types import ExtractedText

logger = logging.getLogger(__name__)

#: a frame's length prefix (both directions)
HEADER = struct.Struct(">I")
#: the document formats a worker extracts
FORMATS = ("pdf", "html", "docx")
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
    raise ExtractionError(f"unknown document format {fmt!r} (expected one of {', '.join(FORMATS)})")


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
    raw = jobs.read(HEADER.size)
    if len(raw) < HEADER.size:
        return False
    job: dict[str, Any] = {}
    try:
        (size,) = HEADER.unpack(raw)
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
    channel.write(HEADER.pack(len(payload)) + payload)
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
