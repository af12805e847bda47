"""OCR of scanned PDF pages: owns the "is this a scan?" test, page rendering and the Tesseract call.

Pages are rendered with pypdfium2 and piped to the `tesseract` CLI (`-l nor+dan`: English mangles æøå) with TSV
output, which gives a confidence per word. Only a bounded number of pages is OCR'd; the caller records the bound.
"""

from __future__ import annotations

import csv
import io
import logging
import os
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass

import pypdfium2 as pdfium

from crawlers.errors import ExtractionError

logger = logging.getLogger(__name__)

#: a page with fewer non-blank characters than this in its text layer counts as "no text"
SPARSE_PAGE_CHARS = 25
#: rendering cap, so a giant page (posters, maps at 5 m x 5 m) cannot eat the worker's memory
MAX_PIXELS_PER_PAGE = 40_000_000


@dataclass(frozen=True)
class OcrOptions:
    """How OCR runs. `max_pages` bounds the work per document; the rest keeps its (empty) text layer."""

    enabled: bool = True
    max_pages: int = 30
    dpi: int = 250
    languages: str = "nor+dan"
    page_timeout_s: float = 120.0
    tesseract: str = "tesseract"


@dataclass(frozen=True)
class OcrResult:
    """Text per OCR'd page (by page index) and the mean word confidence (0..100) over all of them."""

    texts: dict[int, str]
    confidence: float | None
    words: int


def is_sparse(text: str) -> bool:
    """True when a page's text layer holds (almost) no text."""
    return sum(1 for ch in text if not ch.isspace()) < SPARSE_PAGE_CHARS


def looks_scanned(pages: Sequence[str]) -> bool:
    """True when most pages have (almost) no text layer: a scan, or an image-only export."""
    if not pages:
        return False
    sparse = sum(1 for page in pages if is_sparse(page))
    return sparse * 2 > len(pages)


def ocr_pdf_pages(document: pdfium.PdfDocument, indices: Sequence[int], options: OcrOptions) -> OcrResult:
    """OCR the given pages of an open document. Raises ExtractionError when Tesseract is missing or fails."""
    texts: dict[int, str] = {}
    confidences: list[float] = []
    for index in indices:
        image = _render_page(document, index, options.dpi)
        text, page_confidences = ocr_image(image, options)
        texts[index] = text
        confidences.extend(page_confidences)
    mean = sum(confidences) / len(confidences) if confidences else None
    return OcrResult(texts=texts, confidence=mean, words=len(confidences))


def _render_page(document: pdfium.PdfDocument, index: int, dpi: int) -> bytes:
    """Render one page to a greyscale PGM (raw: no PNG encode/decode cost on either side)."""
    page = document[index]
    try:
        width, height = page.get_size()
        scale = dpi / 72
        pixels = width * scale * height * scale
        if pixels > MAX_PIXELS_PER_PAGE:
            scale *= (MAX_PIXELS_PER_PAGE / pixels) ** 0.5
        bitmap = page.render(scale=scale, grayscale=True)
        try:
            image = bitmap.to_pil()
            buffer = io.BytesIO()
            image.convert("L").save(buffer, format="PPM")
            return buffer.getvalue()
        finally:
            bitmap.close()
    finally:
        page.close()


def ocr_image(image: bytes, options: OcrOptions) -> tuple[str, list[float]]:
    """Run Tesseract on one encoded image (PNG, PGM, TIFF ...): its text and the confidence of every word."""
    # One thread per Tesseract: the sandbox already runs one worker per core.
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    command = [options.tesseract, "stdin", "stdout", "-l", options.languages, "tsv"]
    try:
        completed = subprocess.run(
            command, input=image, capture_output=True, timeout=options.page_timeout_s, env=env, check=False
        )
    except FileNotFoundError as exc:
        raise ExtractionError(f"OCR unavailable: {options.tesseract!r} not found", ours=True) from exc
    except subprocess.TimeoutExpired as exc:
        raise ExtractionError(f"OCR of one page timed out after {options.page_timeout_s:g} s", ours=True) from exc
    if completed.returncode != 0:
        detail = completed.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no message"]
        raise ExtractionError(f"OCR failed (tesseract exit {completed.returncode}): {detail[0]}")
    return parse_tsv(completed.stdout.decode("utf-8", "replace"))


def parse_tsv(tsv: str) -> tuple[str, list[float]]:
    """Rebuild text from Tesseract TSV (words -> lines -> paragraphs) and collect word confidences."""
    lines: dict[tuple[int, int, int], list[str]] = {}
    confidences: list[float] = []
    reader = csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE)
    for row in reader:
        word = (row.get("text") or "").strip()
        if row.get("level") != "5" or not word:
            continue
        try:
            confidence = float(row["conf"])
            key = (int(row["block_num"]), int(row["par_num"]), int(row["line_num"]))
        except (KeyError, ValueError):
            continue
        if confidence >= 0:
            confidences.append(confidence)
        lines.setdefault(key, []).append(word)
    paragraphs: list[str] = []
    current: tuple[int, int] | None = None
    for (block, par, _line), words in lines.items():
        if current != (block, par):
            paragraphs.append("")
            current = (block, par)
        paragraphs[-1] += (" ".join(words)) + "\n"
    return "\n\n".join(p.rstrip("\n") for p in paragraphs), confidences
