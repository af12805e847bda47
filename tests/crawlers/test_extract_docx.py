"""crawlers/extract/docx.py against real DOCX files built with python-docx."""

from __future__ import annotations

import io

import pytest
from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn

from crawlers.errors import ExtractionError
from crawlers.extract.docx import extract_docx

INTRO = "Planen beskriver hvordan kommunen forebygger, avdekker og følger opp seksuelle overgrep mot barn."


def make_docx(
    *, title: str | None = None, language: str | None = None, paragraphs: int = 3, default_lang: str | None = None
) -> bytes:
    document = Document()
    if title is not None:
        document.core_properties.title = title
    if language is not None:
        document.core_properties.language = language
    if default_lang is not None:
        r_pr = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
        lang = r_pr.find(qn("w:lang"))
        lang.set(qn("w:val"), default_lang)
    document.add_heading("Handlingsplan mot seksuelle overgrep", level=0)
    document.add_heading("1. Forebygging", level=1)
    document.add_paragraph(INTRO)
    overskrift = document.styles.add_style("Overskrift 2", WD_STYLE_TYPE.PARAGRAPH)
    document.add_paragraph("Rutiner i barnehagen", style=overskrift)
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Tiltak", "Ansvar"
    table.cell(1, 0).text, table.cell(1, 1).text = "Opplæring av ansatte", "Oppvekstsjef"
    for number in range(paragraphs):
        document.add_paragraph(f"Avsnitt {number}: ansatte får kunnskap om tegn på overgrep og øver på rutiner.")
    document.add_paragraph("   ")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_paragraphs_tables_headings_in_order() -> None:
    result = extract_docx(make_docx())

    text = "\n\n".join(result.pages)
    assert result.text_source == "text_layer"
    assert result.extractor == "python-docx"
    assert text.index("1. Forebygging") < text.index(INTRO) < text.index("Tiltak | Ansvar")
    assert "Opplæring av ansatte | Oppvekstsjef" in text
    assert text.index("Tiltak | Ansvar") < text.index("Avsnitt 0:")
    assert result.headings == ("1. Forebygging", "Rutiner i barnehagen")
    assert result.title == "Handlingsplan mot seksuelle overgrep"


def test_core_properties_title_and_language() -> None:
    result = extract_docx(make_docx(title="Beredskabsplan 2025", language="da-DK"))

    assert result.title == "Beredskabsplan 2025"
    assert result.language == "da-DK"
    metadata = dict(result.metadata)
    assert metadata["Title"] == "Beredskabsplan 2025"
    assert "ModDate" in metadata
    assert dict(result.facts)["declared_title"] == "Beredskabsplan 2025"


def test_junk_title_falls_back_to_title_style_and_default_language_is_read() -> None:
    result = extract_docx(make_docx(title="Dokument1", default_lang="nb-NO"))

    assert result.title == "Handlingsplan mot seksuelle overgrep"
    assert result.language == "nb-NO"


def test_long_document_is_chunked_into_pages() -> None:
    result = extract_docx(make_docx(paragraphs=200))

    assert result.page_count == len(result.pages) >= 5
    assert all(len(page) <= 3000 for page in result.pages)
    assert "Avsnitt 199:" in result.pages[-1]


@pytest.mark.parametrize(
    "body",
    [b"", b"PK\x03\x04 not really a zip", b"%PDF-1.7 a pdf", make_docx()[:2000]],
    ids=["empty", "fake-zip", "pdf", "truncated"],
)
def test_broken_docx_raises(body: bytes) -> None:
    with pytest.raises(ExtractionError, match="DOCX is broken"):
        extract_docx(body)
