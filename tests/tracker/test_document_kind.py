"""The stage verdict: adopted plan, draft, hearing draft, case document or not a plan, in nb, nn and da."""

from __future__ import annotations

import pytest

from tracker.domain import Category, DocumentText
from tracker.reading.classify import classify
from tracker.reading.document_kind import DocumentKind, document_kind, stage_label_only


def _doc(title: str, *pages: str) -> DocumentText:
    return DocumentText(url="https://example.kommune.no/plan.pdf", title=title, pages=pages)


CASES = [
    # (language, title, first page, expected kind, a phrase the evidence must hold)
    (
        "nb",
        "Handlingsplan mot seksuelle overgrep mot barn 2023–2026",
        "Vedtatt i kommunestyret 22. juni 2023, sak 54/23\nAnsatte skal kjenne rutinene.",
        DocumentKind.ADOPTED_PLAN,
        "Vedtatt i kommunestyret",
    ),
    (
        "nb",
        "Høringsutkast",
        "Høringsutkast\nHandlingsplan mot seksuelle overgrep mot barn\nHøringsfrist: 1. mars\nTiltak følger.",
        DocumentKind.HEARING_DRAFT,
        "Høringsutkast",
    ),
    (
        "nb",
        "UTKAST – ikke vedtatt",
        "UTKAST – ikke vedtatt\nHandlingsplan mot vold i nære relasjoner\nAnsatte skal spørre om vold.",
        DocumentKind.DRAFT,
        "UTKAST",
    ),
    (
        "nb",
        "Saksframlegg",
        "Arkivsak: 24/2210  Saksbehandler: Ingrid Lie\nKommunedirektørens innstilling\n"
        "Kommunestyret vedtar handlingsplan mot seksuelle overgrep mot barn.",
        DocumentKind.CASE_DOCUMENT,
        "Saksframlegg",
    ),
    (
        "nb",
        "Ny plan skal beskytte barna mot overgrep",
        "Publisert 03.02.2023\nStrategien ble enstemmig vedtatt i kommunestyret, sier ordfører Lise Aune.",
        DocumentKind.NOT_A_PLAN,
        "skal",
    ),
    (
        "nn",
        "Høyringsutkast: Rettleiar ved mistanke om seksuelle overgrep mot born",
        "Rettleiaren skal hjelpe tilsette i barnehage og skule.",
        DocumentKind.HEARING_DRAFT,
        "Høyringsutkast",
    ),
    (
        "nn",
        "Plan mot vald i nære relasjonar 2025–2028",
        "Kvaleid kommune\nPlanen er under arbeid og er ikkje vedteken.\nTiltak følgjer.",
        DocumentKind.DRAFT,
        "under arbeid",
    ),
    (
        "nn",
        "Særutskrift",
        "Utval: Kommunestyret  Møtedato: 02.02.2023\nVedtak: Kommunestyret vedtek plan mot vald.",
        DocumentKind.CASE_DOCUMENT,
        "Særutskrift",
    ),
    (
        "da",
        "Beredskab ved mistanke om overgreb mod børn og unge",
        "Godkendt af Kommunalbestyrelsen 5. december 2023\nVed mistanke skal medarbejderen kontakte sin leder.",
        DocumentKind.ADOPTED_PLAN,
        "Godkendt af Kommunalbestyrelsen",
    ),
    (
        "da",
        "Udkast til handleplan mod vold i nære relationer",
        "Baggrund\nVold i nære relationer rammer mange familier.",
        DocumentKind.DRAFT,
        "Udkast",
    ),
    (
        "da",
        "Høringsudkast",
        "Høringsudkast\nBeredskab mod vold og seksuelle overgreb mod børn\nHøringsperiode: 1. februar – 15. marts",
        DocumentKind.HEARING_DRAFT,
        "Høringsudkast",
    ),
    (
        "da",
        "Beslutningsprotokol",
        "Mødedato: 4. september 2024  Mødested: Rådhuset\nPunkt 2. Beredskab mod overgreb – status.",
        DocumentKind.CASE_DOCUMENT,
        "Beslutningsprotokol",
    ),
    (
        "da",
        "Høring: Revideret beredskab om overgreb mod børn",
        "Kommunen sender udkast til beredskab i offentlig høring. Høringsfrist: 10. april 2023.",
        DocumentKind.NOT_A_PLAN,
        "Høring",
    ),
    (
        "nb",
        "Er du bekymret for et barn?",
        "Ring barnevernvakten. Seksuelle overgrep mot barn er straffbart.",
        DocumentKind.NOT_A_PLAN,
        None,
    ),
]


@pytest.mark.parametrize(("language", "title", "page", "expected", "phrase"), CASES)
def test_document_kind(language: str, title: str, page: str, expected: DocumentKind, phrase: str | None) -> None:
    kind, evidence = document_kind(_doc(title, page))
    assert kind == expected, (language, evidence)
    if phrase is not None:
        assert any(phrase.lower() in e.phrase.lower() for e in evidence), evidence


def test_adoption_on_the_cover_beats_a_draft_mentioned_in_the_history() -> None:
    page = (
        "Vedtatt i kommunestyret 22. juni 2023\nInnledning\n"
        "Et utkast var på høring høsten 2022, og det kom elleve høringsinnspill."
    )
    kind, evidence = document_kind(_doc("Handlingsplan mot seksuelle overgrep mot barn", page))
    assert kind == DocumentKind.ADOPTED_PLAN
    assert evidence[0].signal == "kind:adopted" and evidence[0].page == 1


def test_watermark_on_a_later_page_marks_a_draft() -> None:
    doc = _doc("Handlingsplan mot vold i nære relasjoner", "Innledning\nVold rammer mange.", "UTKAST\nTiltak")
    kind, evidence = document_kind(doc)
    assert kind == DocumentKind.DRAFT
    assert evidence[0].page == 2


def test_a_plan_with_no_stage_marker_is_taken_as_published() -> None:
    kind, evidence = document_kind(_doc("Handlingsplan mot vold i nære relasjoner", "Vold rammer mange."))
    assert kind == DocumentKind.ADOPTED_PLAN
    assert [e.signal for e in evidence] == ["plan_word"]


def test_kind_and_category_are_separate_verdicts() -> None:
    doc = _doc(
        "Høringsutkast – Handlingsplan mot seksuelle overgrep mot barn",
        "Høringsfrist: 1. mars 2025\nAlle ansatte skal kjenne tegn på seksuelle overgrep mot barn.",
    )
    assert document_kind(doc)[0] == DocumentKind.HEARING_DRAFT
    assert classify(doc).category is Category.ABUSE_SPECIFIC


@pytest.mark.parametrize(
    ("title", "only_label"),
    [("Høringsutkast", True), ("UTKAST – ikke vedtatt", True), ("Udkast", True), ("Utkast til plan mot vold", False)],
)
def test_stage_label_only(title: str, only_label: bool) -> None:
    assert stage_label_only(title) is only_label
