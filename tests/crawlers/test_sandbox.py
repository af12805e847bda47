"""crawlers/extract/sandbox.py: real worker processes, real time and memory limits, real crashes, no leaks."""

from __future__ import annotations

import asyncio
import os
import signal
from collections.abc import Iterable

import pytest

from crawlers.errors import ExtractionError
from crawlers.extract import Extractor, extract_document, extract_sync
from crawlers.extract.sandbox import _result_from_json
from tests.crawlers.test_extract_docx import make_docx
from tests.crawlers.test_extract_pdf import make_pdf, make_scanned_pdf

SMALL_HTML = b"<html lang='nb'><body><main><h1>Plan mot vold</h1><p>Barn skal h\xc3\xb8res.</p></main></body></html>"


def dense_pdf(text_objects: int) -> bytes:
    """A one-page PDF with a huge content stream (one text object per glyph run): slow to parse, fast to build."""
    ops = b"".join(
        b"1 0 0 1 %d %d Tm (overgrep) Tj " % (20 + (i % 28) * 20, 20 + (i // 28) % 200 * 4) for i in range(text_objects)
    )
    stream = b"BT /F1 4 Tf " + ops + b"ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >>"
        b" /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def processes_in_sessions(session_ids: Iterable[int]) -> list[int]:
    """Every live process whose session id is one of ours: a worker or anything a worker started."""
    wanted = set(session_ids)
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) in wanted and fields[0] != "Z":
            found.append(int(entry))
    return found


def child_processes() -> list[int]:
    children: list[int] = []
    for task in os.listdir("/proc/self/task"):
        with open(f"/proc/self/task/{task}/children", encoding="ascii") as handle:
            children += [int(pid) for pid in handle.read().split()]
    return children


async def test_pool_extracts_every_format_in_parallel() -> None:
    pdf, docx = make_pdf(title="Handlingsplan", lang="nb-NO"), make_docx(title="Beredskab")
    async with Extractor(workers=2) as extractor:
        assert len(set(extractor.worker_pids())) == 2
        results = await asyncio.gather(
            extractor.extract(pdf, "pdf"),
            extractor.extract(SMALL_HTML, "html", url="https://x.no/plan"),
            extractor.extract(docx, "docx"),
            extractor.extract(pdf, "pdf"),
        )
        sessions = extractor.worker_pids()

    assert results[0] == extract_document(pdf, "pdf") == results[3]
    assert results[0].title == "Handlingsplan" and results[0].language == "nb-NO"
    assert results[1].title == "Plan mot vold" and results[1].pages == ("Plan mot vold\n\nBarn skal høres.",)
    assert results[2].title == "Beredskab"
    assert processes_in_sessions(sessions) == []
    assert child_processes() == []


async def test_slow_document_times_out_and_the_pool_keeps_serving() -> None:
    async with Extractor(workers=1, timeout_s=0.3) as extractor:
        first = extractor.worker_pids()
        with pytest.raises(ExtractionError, match=r"timed out after 0.3 s"):
            await extractor.extract(dense_pdf(200_000), "pdf")

        result = await extractor.extract(SMALL_HTML, "html")

        assert result.title == "Plan mot vold"
        assert extractor.stats["timeouts"] == 1 and extractor.stats["respawns"] == 1
        assert extractor.worker_pids() != first
        sessions = first + extractor.worker_pids()
    assert processes_in_sessions(sessions) == []


async def test_memory_limit_exceeded_fails_the_document_only() -> None:
    huge_html = b"<html><body><main>" + b"<div><p>x</p></div>" * 3_000_000 + b"</main></body></html>"
    async with Extractor(workers=1, memory_limit_bytes=400 * 2**20) as extractor:
        first = extractor.worker_pids()
        with pytest.raises(ExtractionError, match=r"memory limit exceeded"):
            await extractor.extract(huge_html, "html")

        result = await extractor.extract(make_pdf(pages=2), "pdf")

        assert result.page_count == 2
        sessions = first + extractor.worker_pids()
    assert processes_in_sessions(sessions) == []


async def test_crashed_worker_fails_the_document_and_is_replaced() -> None:
    async with Extractor(workers=1, timeout_s=30) as extractor:
        (pid,) = extractor.worker_pids()
        job = asyncio.create_task(extractor.extract(dense_pdf(200_000), "pdf"))
        await asyncio.sleep(0.2)
        os.kill(pid, signal.SIGSEGV)

        with pytest.raises(ExtractionError, match=r"crashed \(SIGSEGV\)"):
            await job

        assert (await extractor.extract(SMALL_HTML, "html")).title == "Plan mot vold"
        assert extractor.stats["crashes"] == 1
        sessions = [pid, *extractor.worker_pids()]
    assert processes_in_sessions(sessions) == []


async def test_cancelled_extraction_kills_its_worker() -> None:
    async with Extractor(workers=1, timeout_s=30) as extractor:
        (pid,) = extractor.worker_pids()
        job = asyncio.create_task(extractor.extract(dense_pdf(200_000), "pdf"))
        await asyncio.sleep(0.2)
        job.cancel()
        with pytest.raises(asyncio.CancelledError):
            await job

        assert processes_in_sessions([pid]) == []
        assert (await extractor.extract(SMALL_HTML, "html")).language == "nb"


@pytest.mark.ocr
@pytest.mark.slow
async def test_ocr_gets_the_longer_limit_and_its_own_timeout() -> None:
    scan = make_scanned_pdf([["Handlingsplan mot seksuelle overgrep"]])
    async with Extractor(workers=1, timeout_s=0.4, ocr_timeout_s=30) as extractor:
        result = await extractor.extract(scan, "pdf")
    assert result.text_source == "ocr" and "overgrep" in result.pages[0]

    long_scan = make_scanned_pdf([["Side en"], ["Side to"], ["Side tre"], ["Side fire"]])
    async with Extractor(workers=1, timeout_s=0.4, ocr_timeout_s=0.8) as extractor:
        sessions = extractor.worker_pids()
        with pytest.raises(ExtractionError, match=r"timed out after 0.8 s"):
            await extractor.extract(long_scan, "pdf")
        # the killed worker's Tesseract went with it
        assert processes_in_sessions(sessions) == []


async def test_bad_documents_and_formats_are_extraction_errors() -> None:
    async with Extractor(workers=1) as extractor:
        with pytest.raises(ExtractionError, match="unknown document format 'xlsx'"):
            await extractor.extract(b"x", "xlsx")
        with pytest.raises(ExtractionError, match="encrypted and needs a password"):
            await extractor.extract(make_pdf(owner_password="a", user_password="b"), "pdf")
        with pytest.raises(ExtractionError, match="broken or truncated"):
            await extractor.extract(make_pdf()[:1000], "pdf")
        with pytest.raises(ExtractionError, match="DOCX is broken"):
            await extractor.extract(b"PK\x03\x04", "docx")
        # ordinary failures do not cost a worker
        assert extractor.stats["respawns"] == 0


async def test_extract_needs_an_open_pool() -> None:
    with pytest.raises(RuntimeError, match="not open"):
        await Extractor(workers=1).extract(SMALL_HTML, "html")


def test_extract_sync() -> None:
    result = extract_sync(make_pdf(pages=1, title="Plan"), "pdf")

    assert result.title == "Plan" and result.page_count == 1
    assert child_processes() == []


@pytest.mark.parametrize(
    "data",
    [
        None,
        {"text_source": "exec", "title": "", "pages": [], "page_count": 0},
        {
            "text_source": "html",
            "title": 1,
            "pages": [],
            "page_count": 0,
            "headings": [],
            "metadata": [],
            "extractor": "",
            "facts": [],
        },
    ],
    ids=["not-a-dict", "bad-source", "bad-title"],
)
def test_malformed_worker_results_are_rejected(data: object) -> None:
    with pytest.raises(ExtractionError, match="malformed result"):
        _result_from_json(data)
