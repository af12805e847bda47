"""DOCX bytes -> ExtractedText with python-docx: owns reading paragraphs and tables in order, headings and title.

Word headings are recognised by style name in English and Norwegian/Danish ("Heading 1", "Overskrift 1"); plans
keep much of their substance in tables (who does what), so table rows are text too.
"""

from __future__ import annotations

import io
import logging
import re
import zipfile
from collections.abc import Iterator

from docx import Document
from docx.document import Document as DocxDocument
from docx.opc.exceptions import OpcError
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml.etree import LxmlError

from crawlers.errors import ExtractionError
from crawlers.extract.html import split_pages
from crawlers.extract.pdf import is_junk_title
from crawlers.types import ExtractedText

logger = logging.getLogger(__name__)

_HEADING_STYLE = re.compile(r"^(heading|overskrift)\s*[1-3]\b", re.IGNORECASE)
_TITLE_STYLE = re.compile(r"^(title|tittel|titel)$", re.IGNORECASE)
_WS = re.compile(r"\s+")


def extract_docx(body: bytes) -> ExtractedText:
    """Extract paragraphs and tables (in document order), headings, title and language from a DOCX file.

    Raises ExtractionError when the bytes are not a readable DOCX package.
    """
    try:
        document = Document(io.BytesIO(body))
        blocks, headings, styled_title = _read_body(document)
        properties = document.core_properties
        declared_title = _clean(properties.title or "")
        language = _clean(properties.language or "") or _default_language(document)
        metadata = [
            ("Title", declared_title),
            ("Author", _clean(properties.author or "")),
            ("CreationDate", properties.created.isoformat() if properties.created else ""),
            ("ModDate", properties.modified.isoformat() if properties.modified else ""),
        ]
    except (OpcError, zipfile.BadZipFile, KeyError, ValueError, LxmlError) as exc:
        raise ExtractionError(f"DOCX is broken or not a DOCX: {exc}") from exc

    if declared_title and not is_junk_title(declared_title):
        title = declared_title
    else:
        title = styled_title or (headings[0] if headings else "") or (blocks[0][:200] if blocks else "")
    pages = split_pages(blocks)
    return ExtractedText(
        text_source="text_layer",
        title=title,
        pages=pages,
        page_count=len(pages),
        headings=tuple(dict.fromkeys(headings)),
        language=language or None,
        metadata=tuple((key, value) for key, value in metadata if value),
        extractor="python-docx",
        facts=(("declared_title", declared_title), ("size_bytes", str(len(body)))),
    )


def _read_body(document: DocxDocument) -> tuple[list[str], list[str], str]:
    """Text blocks in order, h1-h3 headings, and the first paragraph set in the Title style."""
    blocks: list[str] = []
    headings: list[str] = []
    styled_title = ""
    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            text = _clean(item.text)
            if not text:
                continue
            style = item.style.name if item.style is not None and item.style.name else ""
            if _TITLE_STYLE.match(style) and not styled_title:
                styled_title = text
            elif _HEADING_STYLE.match(style):
                headings.append(text)
            blocks.append(text)
        elif isinstance(item, Table):
            blocks.extend(_table_rows(item))
    return blocks, headings, styled_title


def _table_rows(table: Table) -> Iterator[str]:
    for row in table.rows:
        cells: list[str] = []
        for cell in row.cells:
            text = _clean(cell.text)
            # Merged cells repeat in python-docx: keep each text once per row.
            if text and (not cells or cells[-1] != text):
                cells.append(text)
        if cells:
            yield " | ".join(cells)


def _default_language(document: DocxDocument) -> str:
    """The document-wide language from the styles part (w:docDefaults), where Word records it."""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    if defaults is None:
        return ""
    lang = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}")
    return (lang.get(qn("w:val")) or "") if lang is not None else ""


def _clean(text: str) -> str:
    return _WS.sub(" ", text).strip()
