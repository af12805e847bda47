"""Benchmark of document extraction: pypdfium2 vs pdfminer.six, extract_pdf as built, OCR, and the sandbox pool.

Run: .venv/bin/python bench/bench_extract.py   (about a minute on 2 cores; prints a table)
All PDFs are generated here with fpdf2 (text PDFs in Norwegian/Danish with æøå; scans as images of text).
"""

from __future__ import annotations

import asyncio
import io
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pypdfium2 as pdfium
from fpdf import FPDF
from pdfminer.high_level import extract_text
from PIL import Image, ImageDraw, ImageFont

from crawlers.extract import Extractor
from crawlers.extract.pdf import extract_pdf, normalize_text

BODY = (
    "Kommunen skal gi barn og unge kunnskap om kropp, grenser og seksualitet. Ansatte i barnehager og skoler "
    "får opplæring i å se tegn på overgrep. Børn og unge skal høres, og beredskabet beskriver handleveje. "
)
DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def text_pdf(pages: int, title: str) -> bytes:
    pdf = FPDF()
    pdf.set_title(title)
    pdf.set_lang("nb-NO")
    for number in range(pages):
        pdf.add_page()
        pdf.set_font("Helvetica", style="B", size=18)
        pdf.multi_cell(0, 9, text=f"{number + 1}. {title}", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", size=10)
        pdf.multi_cell(0, 5, text=BODY * 14, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def scanned_pdf(pages: int) -> bytes:
    font = ImageFont.truetype(str(DEJAVU), 36)
    pdf = FPDF()
    for number in range(pages):
        image = Image.new("L", (2066, 2924), 255)
        draw = ImageDraw.Draw(image)
        words = (BODY * 3).split()
        lines = [" ".join(words[i : i + 8]) for i in range(0, len(words), 8)]
        for row, line in enumerate([f"Side {number + 1}: Handlingsplan mot overgrep", *lines]):
            draw.text((160, 200 + row * 70), line, font=font, fill=0)
        buffer = io.BytesIO()
        image.save(buffer, format="PNG")
        pdf.add_page()
        pdf.image(buffer, x=0, y=0, w=210, h=297)
    return bytes(pdf.output())


def timed(run: Callable[[], object]) -> float:
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


def pdfium_text(body: bytes) -> int:
    document = pdfium.PdfDocument(body)
    try:
        for index in range(len(document)):
            page = document[index]
            textpage = page.get_textpage()
            normalize_text(textpage.get_text_range())
            textpage.close()
            page.close()
        return len(document)
    finally:
        document.close()


async def through_pool(workers: int, documents: list[bytes]) -> None:
    async with Extractor(workers=workers) as extractor:
        await asyncio.gather(*(extractor.extract(body, "pdf") for body in documents))


def main() -> None:
    started = time.perf_counter()
    print("generating PDFs with fpdf2 ...", file=sys.stderr)
    big = text_pdf(50, "Handlingsplan mot seksuelle overgrep mot barn")
    mixed = [text_pdf(pages, f"Plan {pages}") for pages in (2, 5, 10, 20, 40)] * 4
    scans = [scanned_pdf(2) for _ in range(3)]
    mixed_pages = sum(len(pdfium.PdfDocument(body)) for body in mixed)
    rows: list[tuple[str, int, int, float]] = []

    seconds = timed(lambda: [pdfium_text(big) for _ in range(10)])
    rows.append(("pypdfium2 text (50-page PDF x10)", 500, 10, seconds))
    seconds = timed(lambda: extract_text(io.BytesIO(big), maxpages=20))
    rows.append(("pdfminer.six full text (20 pages)", 20, 1, seconds))
    seconds = timed(lambda: [extract_pdf(big) for _ in range(10)])
    rows.append(("extract_pdf, 50-page PDF x10", 500, 10, seconds))
    seconds = timed(lambda: [extract_pdf(body) for body in mixed])
    rows.append(("extract_pdf, mixed 2-40 pages", mixed_pages, len(mixed), seconds))
    seconds = timed(lambda: [extract_pdf(body) for body in scans])
    rows.append(("extract_pdf OCR (scans, 250 dpi)", 2 * len(scans), len(scans), seconds))
    for workers in (1, 2):
        seconds = timed(lambda: asyncio.run(through_pool(workers, mixed)))  # noqa: B023 - called at once
        rows.append((f"Extractor {workers} worker(s), mixed (+startup)", mixed_pages, len(mixed), seconds))
        seconds = timed(lambda: asyncio.run(through_pool(workers, scans * 2)))  # noqa: B023 - called at once
        rows.append((f"Extractor {workers} worker(s), OCR scans", 4 * len(scans), 2 * len(scans), seconds))

    print(f"{'case':<44} {'pages':>6} {'docs':>5} {'seconds':>8} {'pages/s':>9} {'docs/s':>8}")
    for name, pages, docs, secs in rows:
        print(f"{name:<44} {pages:>6} {docs:>5} {secs:>8.2f} {pages / secs:>9.1f} {docs / secs:>8.2f}")
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak RSS: this process {own:.0f} MB, largest worker/tesseract child {children:.0f} MB")
    print(f"total bench time {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
