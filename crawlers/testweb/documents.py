"""Document bytes for the test web: text PDFs (fpdf2), scanned PDFs (text as images, no text layer), DOCX and
broken PDFs.

Text PDFs are untagged and, unless asked (`declare=True`), carry neither /Lang nor /Title, as most PDFs
exported by ordinary tools; so the web shows real accessibility variety. Scanned PDFs are what a copier sends:
page images (Pillow, DejaVu Sans for æøå) wrapped by fpdf2, with no text at all, to exercise OCR.

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
from PIL import Image, ImageDraw, ImageFont

from crawlers.testweb.plantexts import DocText

PDF_TYPE = "application/pdf"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_FIXED_DATE = datetime(2025, 1, 2, 9, 0, 0, tzinfo=UTC)
_ZIP_DATE = (2025, 1, 2, 9, 0, 0)
_LANG_TAGS = {"nb": "nb-NO", "nn": "nn-NO", "da": "da-DK"}
_FONT_DIR = "/usr/share/fonts/truetype/dejavu/"
#: scan geometry: A4 at 150 dpi (a copier's default is 200-300; 150 keeps the file small and OCR quick)
SCAN_DPI = 150
_SCAN_SIZE = (1240, 1754)
_SCAN_MARGIN = 150
#: pages a scan has at most: the text that does not fit is left out (a scanned excerpt of the plan)
SCAN_PAGES = 2


@functools.cache
def pdf_bytes(doc: DocText, *, declare: bool = False, created: datetime = _FIXED_DATE, producer: str = "") -> bytes:
    """A text PDF: a cover page, then the sections in two halves that each start a new page (>= 3 pages).

    `declare` writes the document language (/Lang) and title (/Title) into the PDF, as an accessible export does.
    `created` and `producer` re-export the same text as other bytes (a new timestamp or PDF tool: the same plan).
    """
    pdf = FPDF(format="A4")
    pdf.core_fonts_encoding = "windows-1252"  # core fonts then cover æøå, en dash and «»
    pdf.set_creation_date(created)
    if producer:
        pdf.set_producer(producer)
    if declare:
        pdf.set_title(doc.title)
        pdf.set_lang(_LANG_TAGS[doc.lang])
    pdf.set_author(doc.cover_lines[0] if doc.cover_lines else doc.kommune)
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
def scanned_pdf_bytes(doc: DocText) -> bytes:
    """A scanned plan: the document typeset onto at most SCAN_PAGES greyscale page images, embedded as JPEG.

    No text layer, no /Title or /Lang: only the scanner's /Creator, as a copier's scan-to-PDF leaves it.
    """
    pdf = FPDF(format="A4")
    pdf.set_creation_date(_FIXED_DATE)
    pdf.set_creator("KONICA MINOLTA bizhub C300i")
    pdf.set_margins(0, 0, 0)
    pdf.set_auto_page_break(False)
    for image in _scan_pages(doc):
        raw = io.BytesIO()
        image.save(raw, format="JPEG", quality=80)
        pdf.add_page()
        pdf.image(raw, x=0, y=0, w=pdf.w, h=pdf.h)
    return bytes(pdf.output())


def _scan_pages(doc: DocText) -> list[Image.Image]:
    """Typeset title, cover lines and sections (wrapped, DejaVu Sans) onto off-white A4 page images."""
    title_font = ImageFont.truetype(_FONT_DIR + "DejaVuSans-Bold.ttf", 40)
    heading_font = ImageFont.truetype(_FONT_DIR + "DejaVuSans-Bold.ttf", 28)
    body_font = ImageFont.truetype(_FONT_DIR + "DejaVuSans.ttf", 23)
    blocks: list[tuple[str, ImageFont.FreeTypeFont, int]] = [(doc.title, title_font, 30)]
    blocks += [(line, body_font, 10) for line in doc.cover_lines]
    for section in doc.sections:
        blocks.append((section.heading, heading_font, 12))
        blocks += [(paragraph, body_font, 14) for paragraph in section.paragraphs]
    width, height = _SCAN_SIZE
    text_width = width - 2 * _SCAN_MARGIN
    images: list[Image.Image] = []
    draw: ImageDraw.ImageDraw | None = None
    y = height
    for text, font, gap in blocks:
        line_height = int(font.size * 1.4)
        for line in _wrap(text, font, text_width):
            if y + line_height > height - _SCAN_MARGIN:
                if len(images) == SCAN_PAGES:
                    return images
                images.append(Image.new("L", _SCAN_SIZE, 246))
                draw = ImageDraw.Draw(images[-1])
                y = _SCAN_MARGIN
            assert draw is not None
            draw.text((_SCAN_MARGIN, y), line, font=font, fill=28)
            y += line_height
        y += gap
    return images


def _wrap(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if current and font.getlength(candidate) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    return [*lines, current] if current else lines


@functools.cache
def docx_bytes(doc: DocText) -> bytes:
    """A Word document with the title in its core properties and real Heading styles."""
    document = docx.Document()
    props = document.core_properties
    props.title = doc.title
    props.author = doc.cover_lines[0] if doc.cover_lines else doc.kommune
    props.language = _LANG_TAGS[doc.lang]
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
