"""PDF bytes -> ExtractedText: owns the split of work between pypdfium2, pdfminer.six and OCR.

pypdfium2 does the bulk page text (about 30x faster than pdfminer here); pdfminer.six reads font sizes on the
first few pages only, where it is the better tool: the title when /Title is missing or junk, and the headings.
A PDF whose pages have almost no text layer goes to OCR (`crawlers.extract.ocr`), bounded in pages.
"""

from __future__ import annotations

import ctypes
import io
import logging
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from pdfminer.high_level import extract_pages
from pdfminer.layout import LAParams, LTChar, LTTextBox, LTTextLine
from pdfminer.psparser import PSException

from crawlers.errors import ExtractionError
from crawlers.extract.ocr import OcrOptions, is_sparse, looks_scanned, ocr_pdf_pages
from crawlers.types import ExtractedText, TextSource

logger = logging.getLogger(__name__)

#: pdfminer reads only this many leading pages (title and headings live there; it is ~30x slower than pdfium)
LAYOUT_PAGES = 3
#: ... and about this many characters (pdfminer lays out ~80,000 chars/s here; a dense page costs seconds)
LAYOUT_CHAR_BUDGET = 8_000
_METADATA_KEYS = ("Title", "Author", "Creator", "Producer", "CreationDate", "ModDate")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_WS = re.compile(r"\s+")
#: metadata titles that say nothing about the document (word processor defaults, file names, placeholders)
_JUNK_TITLE = re.compile(
    r"^(microsoft (word|powerpoint|excel)\s*-.*|untitled.*|uten tittel.*|unavngivet.*|dokument\d*|document\d*"
    r"|presentation\d*|presentasjon\d*|præsentation\d*|title|tittel|titel|no title|new document|pdf"
    r"|.*\.(docx?|pdf|odt|rtf|indd|pptx?|xlsx?|txt)|[\W\d_]*)$",
    re.IGNORECASE,
)
# pdfminer raises its own PSException family, and plain Python errors on malformed streams.
_PDFMINER_ERRORS = (PSException, ValueError, KeyError, TypeError, IndexError, AssertionError, AttributeError)


@dataclass(frozen=True)
class _Line:
    page: int
    text: str
    size: float
    box: int


def extract_pdf(
    body: bytes,
    *,
    ocr: OcrOptions | None = None,
    on_ocr_start: Callable[[int], None] | None = None,
) -> ExtractedText:
    """Extract text, title, headings, metadata and accessibility facts from a PDF.

    `ocr` (default `OcrOptions()`) steers OCR of scanned PDFs; `on_ocr_start(pages)` is called before OCR begins so a
    sandbox can grant the longer time limit. Raises ExtractionError for encrypted (password-needed), broken or
    truncated files.
    """
    options = ocr if ocr is not None else OcrOptions()
    document = _open(body)
    try:
        page_count = len(document)
        if page_count == 0:
            raise ExtractionError("PDF has no pages")
        pages = [_page_text(document, index) for index in range(page_count)]
        metadata = _metadata(document)
        language = _language(document)
        tagged = bool(document.is_tagged())
        encrypted = pdfium_c.FPDF_GetSecurityHandlerRevision(document) != -1
        has_text_layer = not looks_scanned(pages)
        facts: list[tuple[str, str]] = [
            ("has_text_layer", _flag(has_text_layer)),
            ("tagged", _flag(tagged)),
            ("declared_language", language or ""),
            ("declared_title", dict(metadata).get("Title", "")),
            ("encrypted", _flag(encrypted)),
            ("page_count", str(page_count)),
            ("size_bytes", str(len(body))),
        ]
        text_source: TextSource = "text_layer"
        confidence: float | None = None
        extractor = "pypdfium2+pdfminer.six"
        if not has_text_layer and options.enabled:
            confidence, ocr_facts = _ocr(document, pages, options, on_ocr_start)
            text_source, extractor = "ocr", "pypdfium2+tesseract"
            facts += ocr_facts
    finally:
        document.close()

    layout_pages = _layout_page_count(pages) if text_source == "text_layer" else 0
    lines = _layout_lines(body, layout_pages) if layout_pages else []
    title = _choose_title(dict(metadata).get("Title", ""), lines, pages)
    return ExtractedText(
        text_source=text_source,
        title=title,
        pages=tuple(pages),
        page_count=page_count,
        headings=_headings(lines),
        language=language,
        metadata=tuple(metadata),
        extractor=extractor,
        ocr_confidence=confidence,
        facts=tuple(facts),
    )


def _ocr(
    document: pdfium.PdfDocument,
    pages: list[str],
    options: OcrOptions,
    on_ocr_start: Callable[[int], None] | None,
) -> tuple[float | None, list[tuple[str, str]]]:
    """OCR of a scanned PDF's sparse pages (at most `options.max_pages`), their text written into `pages`: the mean
    confidence, and the facts on how much was read."""
    sparse = [index for index, text in enumerate(pages) if is_sparse(text)]
    chosen = sparse[: options.max_pages]
    if on_ocr_start is not None:
        on_ocr_start(len(chosen))
    result = ocr_pdf_pages(document, chosen, options)
    for index, text in result.texts.items():
        pages[index] = text
    return result.confidence, [
        ("ocr_pages", str(len(chosen))),
        ("ocr_page_limit", str(options.max_pages)),
        ("ocr_truncated", _flag(len(sparse) > len(chosen))),
        ("ocr_words", str(result.words)),
    ]


def _open(body: bytes) -> pdfium.PdfDocument:
    if not body.lstrip()[:5].startswith(b"%PDF"):
        raise ExtractionError("not a PDF (no %PDF header)")
    try:
        return pdfium.PdfDocument(body)
    except pdfium.PdfiumError as exc:
        message = str(exc)
        if "password" in message.lower():
            raise ExtractionError("PDF is encrypted and needs a password") from exc
        raise ExtractionError(f"PDF is broken or truncated: {message}") from exc


def _page_text(document: pdfium.PdfDocument, index: int) -> str:
    try:
        page = document[index]
    except pdfium.PdfiumError as exc:
        logger.warning("PDF page %d could not be loaded: %s", index + 1, exc)
        return ""
    try:
        textpage = page.get_textpage()
        try:
            raw = textpage.get_text_range()
        finally:
            textpage.close()
    finally:
        page.close()
    return normalize_text(raw)


def normalize_text(raw: str) -> str:
    """pdfium ends lines with \\r\\n and marks soft hyphens with control characters: make it plain text."""
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\x02\n", "").replace("\x02", "-")
    return _CONTROL.sub("", text).strip()


def _metadata(document: pdfium.PdfDocument) -> list[tuple[str, str]]:
    found = document.get_metadata_dict(skip_empty=True)
    return [(key, _clean(found[key])) for key in _METADATA_KEYS if _clean(found.get(key, ""))]


def _language(document: pdfium.PdfDocument) -> str | None:
    """The catalog's /Lang (pdfium gives UTF-16LE with a terminating NUL)."""
    size = pdfium_c.FPDFCatalog_GetLanguage(document, None, 0)
    if size <= 2:
        return None
    buffer = ctypes.create_string_buffer(size)
    pdfium_c.FPDFCatalog_GetLanguage(document, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort)), size)
    value = buffer.raw[: size - 2].decode("utf-16-le", "replace").strip()
    return value or None


def _layout_page_count(pages: list[str]) -> int:
    """How many leading pages pdfminer may read: up to LAYOUT_PAGES within LAYOUT_CHAR_BUDGET characters."""
    count = total = 0
    for text in pages[:LAYOUT_PAGES]:
        total += len(text)
        if total > LAYOUT_CHAR_BUDGET and (count or total > LAYOUT_CHAR_BUDGET * 3 // 2):
            break
        count += 1
    return count


def _layout_lines(body: bytes, max_pages: int) -> list[_Line]:
    """Text lines with their font size from the first `max_pages` pages (pdfminer). Empty when pdfminer fails."""
    try:
        return list(_iter_lines(body, max_pages))
    except _PDFMINER_ERRORS as exc:
        logger.warning("pdfminer could not lay out the first pages: %s", exc)
        return []


def _iter_lines(body: bytes, max_pages: int) -> Iterator[_Line]:
    box_id = 0
    for page_index, layout in enumerate(extract_pages(io.BytesIO(body), maxpages=max_pages, laparams=LAParams())):
        for element in layout:
            if not isinstance(element, LTTextBox):
                continue
            box_id += 1
            for line in element:
                if not isinstance(line, LTTextLine):
                    continue
                sizes = [round(ch.size, 1) for ch in line if isinstance(ch, LTChar) and ch.get_text().strip()]
                text = _clean(line.get_text())
                if sizes and text:
                    yield _Line(page=page_index, text=text, size=Counter(sizes).most_common(1)[0][0], box=box_id)


def _body_size(lines: list[_Line]) -> float:
    weights: Counter[float] = Counter()
    for line in lines:
        weights[line.size] += len(line.text)
    return weights.most_common(1)[0][0] if weights else 0.0


def _merged(lines: list[_Line]) -> list[_Line]:
    """Join wrapped heading lines: neighbours in the same text box with the same font size."""
    merged: list[_Line] = []
    for line in lines:
        last = merged[-1] if merged else None
        if last is not None and last.box == line.box and abs(last.size - line.size) < 0.5:
            merged[-1] = _Line(last.page, f"{last.text} {line.text}", last.size, last.box)
        else:
            merged.append(line)
    return merged


def _headings(lines: list[_Line]) -> tuple[str, ...]:
    """Lines set clearly larger than the body text, in reading order, without repeats (running heads)."""
    body = _body_size(lines)
    if not body:
        return ()
    big = [line for line in lines if line.size >= body * 1.15]
    seen: set[str] = set()
    headings: list[str] = []
    for line in _merged(big):
        text = line.text[:200]
        if 3 <= len(text) and any(ch.isalpha() for ch in text) and text.casefold() not in seen:
            seen.add(text.casefold())
            headings.append(text)
    return tuple(headings)


def _choose_title(declared: str, lines: list[_Line], pages: list[str]) -> str:
    """Metadata /Title when it is meaningful, else the largest text on the first page with text, else line one."""
    if declared and not is_junk_title(declared):
        return declared
    for page in range(LAYOUT_PAGES):
        on_page = [line for line in lines if line.page == page and any(ch.isalpha() for ch in line.text)]
        if on_page:
            largest = max(line.size for line in on_page)
            top = _merged([line for line in on_page if abs(line.size - largest) < 0.5])
            return top[0].text[:200]
    for text in pages:
        paragraph = _first_paragraph(text)
        if paragraph:
            return paragraph
    return ""


#: lines of a title block without layout (OCR text): a wrapped title rarely takes more
TITLE_BLOCK_LINES = 3


def _first_paragraph(text: str) -> str:
    """The first block of text up to a blank line (at most TITLE_BLOCK_LINES lines): a title wrapped over lines.

    OCR output has no font sizes, but Tesseract separates blocks by blank lines, so "Beredskab om vold og seksuelle /
    overgreb mod børn og unge 2024-2028" stays one title instead of losing its second half. A line that ends a
    sentence is body text, not title.
    """
    block: list[str] = []
    for line in text.splitlines():
        cleaned = _clean(line)
        if not block:
            if any(ch.isalpha() for ch in cleaned):
                block.append(cleaned)
            continue
        sentence = cleaned.endswith((".", "!", "?", ":")) or block[-1].endswith((".", "!", "?", ":"))
        if not cleaned or sentence or len(block) == TITLE_BLOCK_LINES or len(" ".join(block)) + len(cleaned) > 150:
            break
        block.append(cleaned)
    return " ".join(block)[:200]


def is_junk_title(title: str) -> bool:
    """True for titles a word processor made up ("Microsoft Word - plan.docx", "Untitled", "Dokument1")."""
    return bool(_JUNK_TITLE.match(_clean(title)))


def _clean(text: str) -> str:
    return _WS.sub(" ", _CONTROL.sub("", text)).strip()


def _flag(value: bool) -> str:
    return "true" if value else "false"
