"""Document bytes for the test web: PDF (fpdf2, with a text layer and title metadata), DOCX and broken PDFs.

Generation is deterministic (fixed creation dates, fixed zip timestamps) so a document's sha256 is stable
between runs, and the bytes of each distinct document are built once per process (`functools.cache` over
frozen inputs) so a whole demo web, or a large benchmark web that reuses the same texts, builds in well under
a second.
"""

from __future__ import annotations

import functools
import io
import random
import zipfile
from datetime import UTC, datetime

import docx
from fpdf import FPDF

from crawlers.testweb.plantexts import DocText

PDF_TYPE = "application/pdf"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_FIXED_DATE = datetime(2025, 1, 2, 9, 0, 0, tzinfo=UTC)
_ZIP_DATE = (2025, 1, 2, 9, 0, 0)


@functools.cache
def pdf_bytes(doc: DocText) -> bytes:
    """A text PDF: a cover page, then the sections in two halves that each start a new page (>= 3 pages)."""
    pdf = FPDF(format="A4")
    pdf.core_fonts_encoding = "windows-1252"  # core fonts then cover æøå, en dash and «»
    pdf.set_creation_date(_FIXED_DATE)
    pdf.set_title(doc.title)
    pdf.set_author(doc.cover_lines[0] if doc.cover_lines else doc.kommune)
    pdf.set_lang({"nb": "nb-NO", "nn": "nn-NO", "da": "da-DK"}[doc.lang])
    pdf.set_margins(22, 22, 22)
    pdf.set_auto_page_break(True, margin=22)

    pdf.add_page()
    pdf.set_font("helvetica", "B", 22)
    pdf.ln(50)
    pdf.multi_cell(0, 11, doc.title, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(10)
    pdf.set_font("helvetica", "", 13)
    for line in doc.cover_lines:
        pdf.multi_cell(0, 8, line, new_x="LMARGIN", new_y="NEXT")

    half = max(1, (len(doc.sections) + 1) // 2)
    for index, section in enumerate(doc.sections):
        if index in (0, half):
            pdf.add_page()
        pdf.set_font("helvetica", "B", 14)
        pdf.ln(4)
        pdf.multi_cell(0, 8, section.heading, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("helvetica", "", 11)
        for paragraph in section.paragraphs:
            pdf.ln(2)
            pdf.multi_cell(0, 6, paragraph, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


@functools.cache
def docx_bytes(doc: DocText) -> bytes:
    """A Word document with the title in its core properties and real Heading styles."""
    document = docx.Document()
    props = document.core_properties
    props.title = doc.title
    props.author = doc.cover_lines[0] if doc.cover_lines else doc.kommune
    props.language = {"nb": "nb-NO", "nn": "nn-NO", "da": "da-DK"}[doc.lang]
    props.created = _FIXED_DATE.replace(tzinfo=None)
    props.modified = _FIXED_DATE.replace(tzinfo=None)
    document.add_heading(doc.title, level=0)
    for line in doc.cover_lines:
        document.add_paragraph(line)
    for section in doc.sections:
        document.add_heading(section.heading, level=1)
        for paragraph in section.paragraphs:
            document.add_paragraph(paragraph)
    raw = io.BytesIO()
    document.save(raw)
    return _restamp_zip(raw.getvalue())


def _restamp_zip(data: bytes) -> bytes:
    """Rewrite a zip with fixed timestamps: python-docx stamps members with the current time."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=_ZIP_DATE)
            member.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(member, source.read(info.filename))
    return out.getvalue()


@functools.cache
def broken_pdf_bytes(seed: int = 0) -> bytes:
    """A "PDF" that starts like one and then turns to garbage: no objects, no xref, no trailer.

    It models a truncated upload or a server that sends an error page body with a PDF name; neither pdfium nor
    pdfminer can open it.
    """
    rng = random.Random(seed)
    garbage = bytes(rng.randrange(256) for _ in range(6000)).replace(b"obj", b"ob_").replace(b"trailer", b"")
    return b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + garbage.replace(b"%%EOF", b"")
