"""Document extraction: bytes of a PDF, HTML page or DOCX file -> `crawlers.types.ExtractedText`.

Use `Extractor` (an async pool of sandboxed worker processes with time and memory limits) for anything fetched
from the internet; `extract_document` runs the same parsers in the calling process, without limits.

    pdf.py      pypdfium2 page text, pdfminer.six title/headings, PDF facts
    ocr.py      scanned PDFs: pypdfium2 rendering + Tesseract (nor+dan)
    html.py     selectolax: main content, title, headings, chunked pages
    docx.py     python-docx: paragraphs, tables, headings, title
    sandbox.py  the worker pool (Extractor), extract_sync: the parent's side
    worker.py   a worker process: limits, job loop, frame protocol; extract_document
"""

from __future__ import annotations

from crawlers.extract.ocr import OcrOptions
from crawlers.extract.sandbox import Extractor, extract_sync
from crawlers.extract.worker import extract_document

__all__ = ["Extractor", "OcrOptions", "extract_document", "extract_sync"]
