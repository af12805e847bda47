"""Byte builders for documents: PDF with a text layer (fpdf2), scanned PDF (Pillow image, no text), DOCX.

A document is described by a list of `Item`s (cover, h1, h2, p, li, table, break). Every builder is
deterministic: fixed creation dates, fixed ZIP timestamps, no randomness of its own.
"""

from __future__ import annotations

import datetime as dt
import io
import textwrap
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FIXED_DATE = dt.datetime(2024, 1, 15, 10, 0, 0, tzinfo=dt.UTC)


@dataclass
class Item:
    kind: str  # cover | h1 | h2 | p | li | table | break
    text: str = ""
    rows: list[list[str]] = field(default_factory=list)


def plain_text(items: list[Item]) -> str:
    """The text a reader of the document sees, in order (used for the site search index and tests)."""
    out: list[str] = []
    for it in items:
        if it.kind == "table":
            out.extend(" | ".join(r) for r in it.rows)
        elif it.text:
            out.append(it.text)
    return "\n".join(out)


def _new_pdf() -> object:
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    return pdf


# (font size pt, bold, line height mm, characters per line, space before mm) per item kind
_STYLE: dict[str, tuple[float, bool, float, int, float]] = {
    "cover": (22, True, 11, 34, 0),
    "h1": (15, True, 8, 52, 5),
    "h2": (12.5, True, 7, 64, 4),
    "p": (10.5, False, 5.4, 86, 0),
    "li": (10.5, False, 5.4, 82, 0),
    "table": (9.5, False, 5.0, 0, 2),
}


def build_pdf(items: list[Item], *, title: str | None, lang: str | None, author: str) -> bytes:
    pdf = _new_pdf()
    pdf.set_creation_date(FIXED_DATE)  # type: ignore[attr-defined]
    pdf.set_producer("Microsoft® Word for Microsoft 365")  # type: ignore[attr-defined]
    if title:
        pdf.set_title(title)  # type: ignore[attr-defined]
    if lang:
        pdf.set_lang(lang)  # type: ignore[attr-defined]
    pdf.set_author(author)  # type: ignore[attr-defined]
    pdf.set_auto_page_break(False)  # type: ignore[attr-defined]
    left, top, bottom = 22.0, 22.0, 275.0
    state = {"y": top, "page": 0}

    def new_page() -> None:
        style, size = pdf.font_style, pdf.font_size_pt  # type: ignore[attr-defined]
        pdf.add_page()  # type: ignore[attr-defined]
        state["page"] += 1
        pdf.set_font("DejaVu", "", 8)  # type: ignore[attr-defined]
        pdf.text(105, 288, str(state["page"]))  # type: ignore[attr-defined]
        pdf.set_font("DejaVu", style, size)  # type: ignore[attr-defined]
        state["y"] = top

    def line(x: float, text: str, step: float) -> None:
        if state["y"] + step > bottom:
            new_page()
        state["y"] += step
        pdf.text(x, state["y"], text)  # type: ignore[attr-defined]

    new_page()
    for it in items:
        if it.kind == "break":
            new_page()
            continue
        size, bold, step, width, before = _STYLE.get(it.kind, _STYLE["p"])
        pdf.set_font("DejaVu", "B" if bold else "", size)  # type: ignore[attr-defined]
        if it.kind == "cover":
            state["y"] = 90.0
        state["y"] += before
        if it.kind == "table":
            cols = (left, left + 92, left + 140)
            widths = (50, 26, 14)
            for r_i, row in enumerate(it.rows):
                pdf.set_font("DejaVu", "B" if r_i == 0 else "", size)  # type: ignore[attr-defined]
                wrapped = [textwrap.wrap(c, w) or [""] for c, w in zip(row, widths, strict=False)]
                for k in range(max(len(w) for w in wrapped)):
                    if state["y"] + step > bottom:
                        new_page()
                    state["y"] += step
                    for x, cell in zip(cols, wrapped, strict=False):
                        if k < len(cell):
                            pdf.text(x, state["y"], cell[k])  # type: ignore[attr-defined]
                state["y"] += 1.5
            state["y"] += 3
            continue
        for text_line in it.text.split("\n"):
            wrapped = textwrap.wrap(text_line, width) or [""]
            for k, part in enumerate(wrapped):
                if it.kind == "li":
                    line(left + (0 if k == 0 else 5), ("•  " if k == 0 else "") + part, step)
                else:
                    line(left, part, step)
        state["y"] += 2.5 if it.kind in ("p", "li") else 1.5
    return bytes(pdf.output())  # type: ignore[attr-defined]


def _scan_pages(items: list[Item]) -> list[object]:
    from PIL import Image, ImageDraw, ImageFont

    w, h = 1654, 2339  # A4 at 200 dpi
    body = ImageFont.truetype(str(FONT_DIR / "DejaVuSerif.ttf"), 31)
    bold = ImageFont.truetype(str(FONT_DIR / "DejaVuSerif-Bold.ttf"), 40)
    big = ImageFont.truetype(str(FONT_DIR / "DejaVuSerif-Bold.ttf"), 56)
    pages: list[object] = []
    img = Image.new("L", (w, h), 250)
    draw = ImageDraw.Draw(img)
    y = 170

    def new_page() -> None:
        nonlocal img, draw, y
        pages.append(img)
        img = Image.new("L", (w, h), 250)
        draw = ImageDraw.Draw(img)
        y = 170

    for it in items:
        if it.kind == "break":
            new_page()
            continue
        if it.kind == "table":
            lines = [" – ".join(r) for r in it.rows]
            font, _width, step = body, 80, 46
        elif it.kind == "cover":
            lines, font, _width, step = textwrap.wrap(it.text, 40), big, 40, 80
            y += 500
        elif it.kind in ("h1", "h2"):
            lines, font, _width, step = textwrap.wrap(it.text, 58), bold, 58, 60
            y += 20
        else:
            prefix = "•  " if it.kind == "li" else ""
            lines, font, _width, step = textwrap.wrap(prefix + it.text, 82), body, 82, 46
        for line in lines:
            if y > h - 200:
                new_page()
            draw.text((150, y), line, fill=25, font=font)
            y += step
        y += 26
    pages.append(img)
    return pages


def build_scanned_pdf(items: list[Item], *, author: str) -> bytes:
    """A PDF whose pages are only images of text (no text layer), legible for Tesseract at 200 dpi."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_creation_date(FIXED_DATE)
    pdf.set_producer("Canon iR-ADV C5535 PDF")
    pdf.set_author(author)
    for page in _scan_pages(items):
        pdf.add_page()
        buf = io.BytesIO()
        page.save(buf, format="JPEG", quality=75)  # type: ignore[attr-defined]
        buf.seek(0)
        pdf.image(buf, x=0, y=0, w=210, h=297)
    return bytes(pdf.output())


def build_docx(items: list[Item], *, title: str | None, author: str) -> bytes:
    from docx import Document as DocxDocument

    doc = DocxDocument()
    props = doc.core_properties
    props.author = author
    props.title = title or ""
    props.created = FIXED_DATE.replace(tzinfo=None)
    props.modified = FIXED_DATE.replace(tzinfo=None)
    props.last_modified_by = author
    props.revision = 3
    for it in items:
        if it.kind == "cover":
            doc.add_heading(it.text, level=0)
        elif it.kind == "h1":
            doc.add_heading(it.text, level=1)
        elif it.kind == "h2":
            doc.add_heading(it.text, level=2)
        elif it.kind == "li":
            doc.add_paragraph(it.text, style="List Bullet")
        elif it.kind == "table":
            table = doc.add_table(rows=0, cols=len(it.rows[0]) if it.rows else 3)
            for row in it.rows:
                cells = table.add_row().cells
                for i, cell in enumerate(row):
                    cells[i].text = cell
        elif it.kind == "break":
            doc.add_page_break()
        else:
            doc.add_paragraph(it.text)
    raw = io.BytesIO()
    doc.save(raw)
    # Re-pack with fixed timestamps so the bytes are the same for the same seed.
    src = zipfile.ZipFile(io.BytesIO(raw.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in sorted(src.infolist(), key=lambda i: (i.filename != "[Content_Types].xml", i.filename)):
            zi = zipfile.ZipInfo(info.filename, date_time=(2024, 1, 15, 10, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(zi, src.read(info.filename))
    return out.getvalue()
