"""crawlers/extract/ocr.py: scanned PDFs OCR'd for real with Tesseract (nor+dan); TSV parsing and the scan test."""

from __future__ import annotations

import pytest

from crawlers.errors import ExtractionError
from crawlers.extract.ocr import OcrOptions, looks_scanned, parse_tsv
from crawlers.extract.pdf import extract_pdf
from tests.crawlers.test_extract_pdf import make_pdf, make_scanned_pdf

SCANNED_PAGE = [
    "Handlingsplan mot seksuelle overgrep mot barn",
    "Ansatte får opplæring i å se tegn på overgrep.",
    "Børn og unge skal høres.",
]


@pytest.mark.ocr
def test_scanned_pdf_is_ocrd_with_nordic_letters() -> None:
    body = make_scanned_pdf([SCANNED_PAGE, ["Side to: øving på rutiner ved mistanke"]])

    result = extract_pdf(body)

    assert result.text_source == "ocr"
    assert result.extractor == "pypdfium2+tesseract"
    assert "Handlingsplan mot seksuelle overgrep mot barn" in result.pages[0]
    assert "opplæring i å se tegn på overgrep" in result.pages[0]
    assert "Børn og unge skal høres" in result.pages[0]
    assert "øving på rutiner" in result.pages[1]
    assert result.title == "Handlingsplan mot seksuelle overgrep mot barn"
    assert result.ocr_confidence is not None and 70 <= result.ocr_confidence <= 100
    found = dict(result.facts)
    assert found["has_text_layer"] == "false"
    assert found["ocr_pages"] == "2"
    assert found["ocr_truncated"] == "false"
    assert int(found["ocr_words"]) >= 20


@pytest.mark.ocr
def test_ocr_is_bounded_in_pages_and_says_so() -> None:
    body = make_scanned_pdf([["Første side med tekst"], ["Andre side"], ["Tredje side"]])
    started: list[int] = []

    result = extract_pdf(body, ocr=OcrOptions(max_pages=1, dpi=150), on_ocr_start=started.append)

    assert started == [1]
    assert "Første side" in result.pages[0]
    assert result.pages[1:] == ("", "")
    found = dict(result.facts)
    assert (found["ocr_pages"], found["ocr_page_limit"], found["ocr_truncated"]) == ("1", "1", "true")


def test_missing_tesseract_is_an_extraction_error() -> None:
    body = make_scanned_pdf([["Handlingsplan"]])

    with pytest.raises(ExtractionError, match="OCR unavailable"):
        extract_pdf(body, ocr=OcrOptions(tesseract="/nonexistent/tesseract", dpi=72))


def test_text_pdf_is_not_sent_to_ocr() -> None:
    started: list[int] = []

    result = extract_pdf(make_pdf(pages=2), on_ocr_start=started.append)

    assert started == []
    assert result.text_source == "text_layer"
    assert "ocr_pages" not in dict(result.facts)


LONG = "Et langt avsnitt med mer enn tjuefem tegn i seg."


@pytest.mark.parametrize(
    ("pages", "scanned"),
    [
        ((), False),
        (("",), True),
        (("", "  12  ", LONG), True),
        (("12", LONG, LONG), False),
        (("", LONG), False),
    ],
    ids=["no-pages", "one-empty", "most-sparse", "most-text", "half-sparse"],
)
def test_looks_scanned(pages: tuple[str, ...], scanned: bool) -> None:
    assert looks_scanned(pages) is scanned


def test_parse_tsv_rebuilds_lines_paragraphs_and_confidences() -> None:
    header = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"
    rows = [
        "1\t1\t0\t0\t0\t0\t0\t0\t100\t100\t-1\t",
        "5\t1\t1\t1\t1\t1\t0\t0\t10\t10\t90.5\tBørn",
        "5\t1\t1\t1\t1\t2\t0\t0\t10\t10\t80.5\tog",
        "5\t1\t1\t1\t2\t1\t0\t0\t10\t10\t70\tunge",
        "5\t1\t2\t1\t1\t1\t0\t0\t10\t10\t60\tberedskab",
        "5\t1\t2\t1\t1\t2\t0\t0\t10\t10\t-1\t ",
    ]

    text, confidences = parse_tsv("\n".join([header, *rows]))

    assert text == "Børn og\nunge\n\nberedskab"
    assert confidences == [90.5, 80.5, 70.0, 60.0]
