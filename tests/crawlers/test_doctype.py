"""A document's type comes from its bytes first: octet-stream PDFs are PDFs, HTML labelled PDF is not a PDF."""

from __future__ import annotations

import io
import zipfile

import docx
from fpdf import FPDF

from crawlers.doctype import disposition_filename, served_format, sniff_bytes

OCTET = "application/octet-stream"


def real_pdf() -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text="Handlingsplan mot seksuelle overgrep mot barn")
    return bytes(pdf.output())


def real_docx() -> bytes:
    document = docx.Document()
    document.add_heading("Beredskab mod overgreb", level=1)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_bytes_decide_over_labels() -> None:
    pdf, word = real_pdf(), real_docx()
    assert sniff_bytes(pdf) == "pdf" and sniff_bytes(word) == "docx"
    assert served_format(pdf, OCTET, 'attachment; filename="x.bin"', "https://k.no/dokument/hent?id=7") == "pdf"
    assert served_format(word, OCTET, "", "https://k.dk/media/812/download") == "docx"
    assert served_format(pdf, "text/html; charset=utf-8", "", "https://k.no/side") == "pdf"
    error_page = b"<!DOCTYPE html><html><body>Siden finnes ikke</body></html>"
    assert served_format(error_page, "application/pdf", "", "https://k.no/plan.pdf") is None
    assert served_format(b"\n  <html><head></head></html>", OCTET, "", "https://k.no/plan.pdf") is None


def test_other_zips_and_unknown_bytes() -> None:
    xlsx = io.BytesIO()
    with zipfile.ZipFile(xlsx, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    assert served_format(xlsx.getvalue(), OCTET, 'attachment; filename="plan.docx"', "https://k.no/x") is None
    assert served_format(b"PK\x03\x04broken", OCTET, "", "https://k.no/plan.docx") is None
    # bytes that prove nothing: the labels decide (a truncated PDF is then a recorded extraction error)
    assert served_format(b"\x00\x01", "application/pdf", "", "https://k.no/x") == "pdf"
    assert served_format(b"\x00\x01", OCTET, 'attachment; filename="Beredskab.pdf"', "https://k.no/x") == "pdf"
    assert served_format(b"\x00\x01", OCTET, "", "https://k.no/files/plan.pdf") == "pdf"
    assert served_format(b"\x00\x01", "image/png", "", "https://k.no/files/plan.pdf") is None


def test_disposition_filename() -> None:
    assert disposition_filename('attachment; filename="Handlingsplan mot vold.pdf"') == "Handlingsplan mot vold.pdf"
    assert disposition_filename("attachment; filename*=UTF-8''Beredskab%20mod%20overgreb%20b%C3%B8rn.pdf") == (
        "Beredskab mod overgreb børn.pdf"
    )
    assert disposition_filename("inline") == ""
    assert disposition_filename("") == ""
