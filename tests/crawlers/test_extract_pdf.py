"""crawlers/extract/pdf.py against real PDFs made with fpdf2 (nb/da text with æøå), in this process.

The PDF builders here are imported by test_ocr.py and test_sandbox.py too.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from fpdf import FPDF
from PIL import Image, ImageDraw, ImageFont

from crawlers.errors import ExtractionError
from crawlers.extract.ocr import OcrOptions
from crawlers.extract.pdf import LAYOUT_CHAR_BUDGET, _layout_page_count, extract_pdf, is_junk_title, normalize_text

HEADING = "Handlingsplan mot seksuelle overgrep mot barn"
BODY_NB = (
    "Kommunen skal gi barn og unge kunnskap om kropp, grenser og seksualitet. Ansatte i barnehager og skoler "
    "får opplæring i å se tegn på overgrep og vet hva de skal gjøre ved mistanke. "
)
BODY_DA = "Børn og unge skal høres. Beredskabet beskriver handleveje ved mistanke om seksuelle overgreb. "
DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
NO_OCR = OcrOptions(enabled=False)


def make_pdf(
    *,
    pages: int = 3,
    title: str | None = None,
    lang: str | None = None,
    heading: str = HEADING,
    sections: tuple[str, ...] = ("1. Forebygging", "2. Avdekking"),
    author: str | None = None,
    owner_password: str | None = None,
    user_password: str | None = None,
    image_alt: str | None = None,
) -> bytes:
    """A text PDF: a large heading on page 1, section headings in 16 pt, body text in 11 pt on every page."""
    pdf = FPDF()
    if title is not None:
        pdf.set_title(title)
    if lang is not None:
        pdf.set_lang(lang)
    if author is not None:
        pdf.set_author(author)
    pdf.set_creator("Planvakt tests")
    if owner_password is not None:
        pdf.set_encryption(owner_password=owner_password, user_password=user_password)
    for number in range(pages):
        pdf.add_page()
        if number == 0:
            pdf.set_font("Helvetica", style="B", size=24)
            pdf.multi_cell(0, 11, text=heading, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(4)
        if number < len(sections):
            pdf.set_font("Helvetica", style="B", size=16)
            pdf.multi_cell(0, 8, text=sections[number], new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", size=11)
        pdf.multi_cell(0, 6, text=(BODY_NB + BODY_DA) * 4 + f"Side {number + 1}.", new_x="LMARGIN", new_y="NEXT")
        if image_alt is not None and number == 0:
            pdf.image(png_image(["bilde"]), x=10, y=250, w=30, alt_text=image_alt)
    return bytes(pdf.output())


def png_image(lines: list[str], size: tuple[int, int] = (2066, 2924), font_size: int = 44) -> io.BytesIO:
    """Text drawn into a white greyscale image (A4 at 250 dpi by default), as PNG."""
    image = Image.new("L", size, 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(DEJAVU), font_size)
    y = 200
    for line in lines:
        draw.text((180, y), line, font=font, fill=0)
        y += int(font_size * 1.8)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    buffer.seek(0)
    return buffer


def make_scanned_pdf(pages: list[list[str]]) -> bytes:
    """A PDF whose pages are images of text only: no text layer, as a scanner makes."""
    pdf = FPDF()
    for lines in pages:
        pdf.add_page()
        pdf.image(png_image(lines), x=0, y=0, w=210, h=297)
    return bytes(pdf.output())


def facts(result: object) -> dict[str, str]:
    return dict(result.facts)  # type: ignore[attr-defined]


def test_text_title_language_and_facts() -> None:
    body = make_pdf(title="Handlingsplan 2024–2027", lang="nb-NO", author="Bergen kommune")

    result = extract_pdf(body)

    assert result.text_source == "text_layer"
    assert result.title == "Handlingsplan 2024–2027"
    assert result.page_count == 3 and len(result.pages) == 3
    assert "får opplæring i å se tegn på overgrep" in result.pages[0]
    assert "Børn og unge skal høres" in result.pages[2]
    assert "Side 3." in result.pages[2]
    assert all("\r" not in page for page in result.pages)
    assert result.language == "nb-NO"
    found = facts(result)
    assert found["has_text_layer"] == "true"
    assert found["tagged"] == "false"
    assert found["declared_language"] == "nb-NO"
    assert found["declared_title"] == "Handlingsplan 2024–2027"
    assert found["encrypted"] == "false"
    assert found["page_count"] == "3"
    assert found["size_bytes"] == str(len(body))
    metadata = dict(result.metadata)
    assert metadata["Author"] == "Bergen kommune"
    assert metadata["Creator"] == "Planvakt tests"
    assert metadata["CreationDate"].startswith("D:")
    assert "Subject" not in metadata


def test_junk_metadata_title_gives_way_to_the_largest_text_on_page_one() -> None:
    result = extract_pdf(make_pdf(title="Microsoft Word - plan_v3_endelig.docx"))

    assert result.title == HEADING
    assert facts(result)["declared_title"] == "Microsoft Word - plan_v3_endelig.docx"


def test_missing_title_and_headings_from_font_sizes() -> None:
    result = extract_pdf(make_pdf(pages=4, sections=("1. Forebygging", "2. Avdekking", "3. Oppfølging", "4. Øving")))

    assert result.title == HEADING
    assert result.language is None
    assert result.headings[:3] == (HEADING, "1. Forebygging", "2. Avdekking")
    # pdfminer only reads the first pages: the section on page 4 is not looked for.
    assert "4. Øving" not in result.headings
    assert not any("Kommunen skal" in heading for heading in result.headings)


def test_tagged_pdf_is_reported() -> None:
    result = extract_pdf(make_pdf(pages=1, image_alt="Logo"))

    assert facts(result)["tagged"] == "true"


def test_owner_password_only_is_encrypted_but_readable() -> None:
    result = extract_pdf(make_pdf(owner_password="eier"))

    assert facts(result)["encrypted"] == "true"
    assert "seksuelle overgrep" in result.pages[0]


def test_user_password_raises() -> None:
    with pytest.raises(ExtractionError, match="encrypted and needs a password"):
        extract_pdf(make_pdf(owner_password="eier", user_password="bruker"))


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (make_pdf()[:1500], "broken or truncated"),
        (b"%PDF-1.7\n" + bytes(range(256)) * 20, "broken or truncated"),
        (b"<html>not a pdf</html>", "not a PDF"),
        (b"", "not a PDF"),
    ],
    ids=["truncated", "garbage-after-header", "html", "empty"],
)
def test_broken_files_raise(body: bytes, reason: str) -> None:
    with pytest.raises(ExtractionError, match=reason):
        extract_pdf(body)


def test_scanned_pdf_without_ocr_reports_no_text_layer() -> None:
    result = extract_pdf(make_scanned_pdf([["Handlingsplan"], ["Side to"]]), ocr=NO_OCR)

    assert facts(result)["has_text_layer"] == "false"
    assert result.text_source == "text_layer"
    assert result.ocr_confidence is None
    assert all(page == "" for page in result.pages)


@pytest.mark.parametrize(
    ("title", "junk"),
    [
        ("Microsoft Word - Handlingsplan.docx", True),
        ("untitled", True),
        ("Uten tittel", True),
        ("Dokument1", True),
        ("plan_2024.pdf", True),
        ("   ", True),
        ("2024", True),
        ("Handlingsplan mot vold i nære relasjoner", False),
        ("Beredskab mod overgreb", False),
    ],
)
def test_is_junk_title(title: str, junk: bool) -> None:
    assert is_junk_title(title) is junk


def test_normalize_text_handles_pdfium_line_ends() -> None:
    assert normalize_text("over-\r\ngrep\r\nbarn\x00") == "over-\ngrep\nbarn"


@pytest.mark.parametrize(
    ("sizes", "expected"),
    [
        ((3000, 3000, 3000, 3000), 2),
        ((500, 500, 500, 500), 3),
        ((LAYOUT_CHAR_BUDGET + 1, 10), 1),
        ((LAYOUT_CHAR_BUDGET * 2, 10), 0),
        ((), 0),
    ],
    ids=["normal", "sparse", "one-dense-page", "huge-first-page", "empty"],
)
def test_pdfminer_reads_a_bounded_number_of_pages(sizes: tuple[int, ...], expected: int) -> None:
    assert _layout_page_count(["x" * size for size in sizes]) == expected
