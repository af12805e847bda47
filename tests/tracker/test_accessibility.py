"""Accessibility findings: every check, table-driven, on the facts the extractors really record."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pytest

from tracker.reading.accessibility import CHECKS, AccessibilityFinding, assess_accessibility, is_vague_link_text

#: what crawlers/extract/pdf.py records for an ordinary fpdf2 export (untagged, no /Lang, no /Title)
PLAIN_PDF = {
    "has_text_layer": "true",
    "tagged": "false",
    "declared_language": "",
    "declared_title": "",
    "encrypted": "false",
    "page_count": "4",
    "size_bytes": "5893",
}
ACCESSIBLE_PDF = {**PLAIN_PDF, "tagged": "true", "declared_language": "nb-NO", "declared_title": "Handlingsplan"}
SCANNED_PDF = {**PLAIN_PDF, "has_text_layer": "false", "ocr_pages": "2", "ocr_words": "672"}
HTML = {"content_selector": "main", "size_bytes": "20400", "page_title": "Handlingsplan mot seksuelle overgrep"}
DOCX = {"declared_title": "Handlingsplan mot seksuelle overgrep mot born", "size_bytes": "38000"}


def _assess(**overrides: Any) -> dict[str, AccessibilityFinding]:
    arguments: dict[str, Any] = {
        "format": "pdf",
        "facts": PLAIN_PDF,
        "size_bytes": 5893,
        "anchor_texts": ["Handlingsplan mot seksuelle overgrep mot barn 2024–2027"],
        "found_via": "link",
        "in_sitemap": None,
        "search_rank": None,
    }
    arguments.update(overrides)
    findings = assess_accessibility(**arguments)
    assert tuple(f.check for f in findings) == CHECKS, "every check, always in the same order"
    return {f.check: f for f in findings}


def test_the_checks_are_the_documented_stable_ids() -> None:
    assert CHECKS == (
        "text_layer",
        "tagged_pdf",
        "declared_language",
        "declared_title",
        "size_mb",
        "format",
        "link_text",
        "reachable_by_links",
        "in_sitemap",
        "site_search_rank",
    )


# check, format, facts, expected ok, a phrase the detail must contain
FACT_CASES: list[tuple[str, str, Mapping[str, str], bool | None, str]] = [
    ("text_layer", "pdf", PLAIN_PDF, True, "text layer"),
    ("text_layer", "pdf", SCANNED_PDF, False, "OCR needed (2 pages read by OCR)"),
    ("text_layer", "pdf", {}, None, "not recorded"),
    ("text_layer", "html", HTML, None, "not a PDF"),
    ("tagged_pdf", "pdf", PLAIN_PDF, False, "untagged"),
    ("tagged_pdf", "pdf", ACCESSIBLE_PDF, True, "tagged"),
    ("tagged_pdf", "docx", DOCX, None, "not a PDF (docx)"),
    ("declared_language", "pdf", PLAIN_PDF, False, "no language"),
    ("declared_language", "pdf", ACCESSIBLE_PDF, True, "nb-NO"),
    ("declared_language", "docx", DOCX, None, "not recorded for docx"),
    ("declared_title", "pdf", PLAIN_PDF, False, "no title"),
    ("declared_title", "pdf", ACCESSIBLE_PDF, True, "'Handlingsplan'"),
    ("declared_title", "pdf", {**PLAIN_PDF, "declared_title": "Microsoft Word - plan2024.docx"}, False, "not mean"),
    ("declared_title", "pdf", {**PLAIN_PDF, "declared_title": "Dokument1"}, False, "'Dokument1'"),
    ("declared_title", "pdf", {**PLAIN_PDF, "declared_title": "SKM_C300i25010209.pdf"}, False, "not meaningful"),
    ("declared_title", "docx", DOCX, True, "overgrep mot born"),
    ("declared_title", "html", HTML, True, "Handlingsplan mot seksuelle overgrep"),
    ("declared_title", "html", {**HTML, "page_title": "  "}, False, "no title"),
    ("format", "html", HTML, True, "HTML"),
    ("format", "pdf", PLAIN_PDF, True, "text layer"),
    ("format", "pdf", SCANNED_PDF, False, "scanned"),
    ("format", "PDF", SCANNED_PDF, False, "scanned"),
    ("format", "docx", DOCX, False, "needs Word"),
    ("format", "pdf", {}, None, "PDF"),
    ("format", "odt", {}, None, "unknown format 'odt'"),
]


@pytest.mark.parametrize(("check", "fmt", "facts", "ok", "phrase"), FACT_CASES)
def test_document_facts(check: str, fmt: str, facts: Mapping[str, str], ok: bool | None, phrase: str) -> None:
    finding = _assess(format=fmt, facts=facts)[check]
    assert finding.ok is ok, finding
    assert phrase in finding.detail, finding


@pytest.mark.parametrize(
    ("size_bytes", "ok", "detail"),
    [
        (3_200_000, True, "3.2 MB"),
        (5893, True, "0.0 MB"),
        (10_000_000, True, "10.0 MB"),
        (10_000_001, False, "10.0 MB"),
        (48_600_000, False, "48.6 MB"),
    ],
)
def test_size(size_bytes: int, ok: bool, detail: str) -> None:
    assert _assess(size_bytes=size_bytes)["size_mb"] == AccessibilityFinding("size_mb", ok, detail)


@pytest.mark.parametrize(
    ("anchors", "ok", "phrase"),
    [
        (["Handlingsplan mot seksuelle overgrep mot barn"], True, "names the document"),
        (["Beredskab om vold og seksuelle overgreb mod børn (PDF, 812 kB)"], True, "names"),
        (["Les mer om handlingsplanen"], True, "names"),
        (["Last ned"], False, "'Last ned'"),
        (["  Last\n ned  "], False, "'Last ned'"),
        (["Klikk her"], False, "'Klikk her'"),
        (["Her"], False, "'Her'"),
        (["Les mer"], False, "'Les mer'"),
        (["Download"], False, "'Download'"),
        (["PDF"], False, "'PDF'"),
        (["Hent"], False, "'Hent'"),
        (["Læs mere"], False, "'Læs mere'"),
        (["Klik her"], False, "'Klik her'"),
        (["Last ned (PDF, 1,2 MB)"], False, "'Last ned (PDF, 1,2 MB)'"),
        (["https://www.kommune.no/_f/p1/i2a/handlingsplan.pdf"], False, "https://"),
        ([""], False, "empty"),
        (["Handlingsplan mot vold i nære relasjoner", "Last ned"], False, "vague link text: 'Last ned'"),
        (["Last ned", "Last ned"], False, "vague link text: 'Last ned'"),
        ([], None, "no link"),
    ],
)
def test_link_text(anchors: Sequence[str], ok: bool | None, phrase: str) -> None:
    finding = _assess(anchor_texts=anchors)["link_text"]
    assert finding.ok is ok, finding
    assert phrase in finding.detail, finding
    if len(anchors) == 2 and anchors[0] == anchors[1]:
        assert finding.detail.count("Last ned") == 1, "each vague text is named once"


@pytest.mark.parametrize(
    ("found_via", "ok", "phrase"),
    [
        ("link", True, "following links"),
        ("rendered", True, "JavaScript"),
        ("site_search", False, "only via the site search"),
        ("sitemap", False, "only via the sitemap"),
        ("", None, "unknown"),
    ],
)
def test_reachable_by_links(found_via: str, ok: bool | None, phrase: str) -> None:
    finding = _assess(found_via=found_via)["reachable_by_links"]
    assert (finding.ok, phrase in finding.detail) == (ok, True), finding


@pytest.mark.parametrize(("in_sitemap", "ok"), [(True, True), (False, False), (None, None)])
def test_in_sitemap(in_sitemap: bool | None, ok: bool | None) -> None:
    assert _assess(in_sitemap=in_sitemap)["in_sitemap"].ok is ok


@pytest.mark.parametrize(
    ("rank", "ok", "phrase"),
    [(1, True, "rank 1 "), (10, True, "first page"), (11, False, "beyond the first 10"), (None, None, "not")],
)
def test_site_search_rank(rank: int | None, ok: bool | None, phrase: str) -> None:
    finding = _assess(search_rank=rank)["site_search_rank"]
    assert finding.ok is ok and phrase in finding.detail, finding


def test_search_rank_is_one_based() -> None:
    with pytest.raises(ValueError, match="1-based"):
        _assess(search_rank=0)


@pytest.mark.parametrize(
    ("text", "vague"),
    [
        ("Last ned", True),
        ("last ned pdf", True),
        ("Laste ned vedlegget", True),
        ("Se dokumentet", True),
        ("Åbn bilag (PDF 2 MB)", True),
        ("www.kommune.dk/plan.pdf", True),
        ("", True),
        ("Handlingsplan 2024–2027", False),
        ("Beredskab (PDF)", False),
        ("Hent beredskabsplanen", False),
    ],
)
def test_vague_link_text(text: str, vague: bool) -> None:
    assert is_vague_link_text(text) is vague


def test_scanned_plan_found_only_in_the_sitemap_collects_its_findings() -> None:
    """The worst case a volunteer can meet, as one document: each failing check is reported, nothing else."""
    findings = assess_accessibility(
        format="pdf",
        facts=SCANNED_PDF,
        size_bytes=12_400_000,
        anchor_texts=[],
        found_via="sitemap",
        in_sitemap=True,
        search_rank=None,
    )
    failing = [f.check for f in findings if f.ok is False]
    assert failing == [
        "text_layer",
        "tagged_pdf",
        "declared_language",
        "declared_title",
        "size_mb",
        "format",
        "reachable_by_links",
    ]
    assert [f.check for f in findings if f.ok is True] == ["in_sitemap"]
