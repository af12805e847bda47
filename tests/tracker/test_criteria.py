"""Checklist criteria: commitments count, passing mentions do not; nb, nn and da; sentences keep their pages."""

from __future__ import annotations

import pytest

from tracker.domain import DocumentText
from tracker.reading.criteria import CRITERIA, DANISH_CRITERIA, CriterionHit, assess_criteria, criteria_for


def _doc(title: str, *pages: str) -> DocumentText:
    return DocumentText(url="https://example.kommune.no/plan.pdf", title=title, pages=pages)


def _hits(doc: DocumentText, language: str | None) -> dict[str, CriterionHit]:
    return {h.criterion: h for h in assess_criteria(doc, language)}


# (language, criterion, sentence, met)
SENTENCES = [
    ("nb", "children_knowledge", "Alle elever skal få undervisning om kropp, grenser og seksualitet.", True),
    ("nb", "children_knowledge", "Mange barn vet ikke hva kroppen heter.", False),
    ("nb", "children_knowledge", "Ansatte skal lære å snakke med barn om kropp og grenser.", False),
    ("nb", "staff_signs_knowledge", "Alle ansatte skal kjenne tegn på seksuelle overgrep og vold.", True),
    ("nb", "staff_signs_knowledge", "Mange ansatte kjenner ikke tegn på overgrep.", False),
    ("nb", "staff_competence", "Alle ansatte skal få opplæring i å snakke med barn ved mistanke om overgrep.", True),
    ("nb", "staff_competence", "Ansatte trenger mer kompetanse om overgrep.", False),
    ("nb", "routine_drills", "Rutinen ved mistanke om overgrep skal øves i alle personalgrupper hvert år.", True),
    ("nb", "routine_drills", "Kommunen har rutiner ved mistanke om overgrep.", False),
    ("nb", "citizen_information", "Kommunen vil holde temakvelder for foreldre om seksuelle overgrep mot barn.", True),
    ("nb", "citizen_information", "Informasjon om planen finnes på kommunens nettside.", False),
    ("nn", "children_knowledge", "Borna skal lære om kropp og grenser i barnehagen.", True),
    ("nn", "staff_signs_knowledge", "Alle tilsette skal kjenne teikn på seksuelle overgrep.", True),
    ("nn", "staff_signs_knowledge", "Tilsette manglar kunnskap om teikn på overgrep.", False),
    ("nn", "staff_competence", "Tilsette skal få opplæring i samtalar med born ved uro for vald og overgrep.", True),
    ("nn", "routine_drills", "Rutinane ved mistanke om overgrep skal øvast ein gong i året.", True),
    (
        "nn",
        "citizen_information",
        "Kommunen skal ha ein haldningskampanje om vald mot born for alle innbyggjarar.",
        True,
    ),
    ("da", "children_knowledge", "Børn skal lære om krop, grænser og seksualitet i dagtilbud og skole.", True),
    (
        "da",
        "children_knowledge",
        "Beredskabet skal sikre, at medarbejdere har viden om seksuelle overgreb mod børn og unge.",
        False,
    ),
    ("da", "staff_signs_knowledge", "Alle medarbejdere skal kende tegn og signaler på overgreb.", True),
    (
        "da",
        "staff_competence",
        "Medarbejdere skal have kompetence til at tale med børn ved mistanke om overgreb.",
        True,
    ),
    ("da", "routine_drills", "Beredskabet gennemgås årligt på alle arbejdspladser.", True),
    ("da", "citizen_information", "Kommunen afholder hvert år forældremøder om seksuelle overgreb og grooming.", True),
    ("da", "handleveje", "Ved mistanke skal medarbejderen straks kontakte sin leder, som underretter samme dag.", True),
    ("da", "handleveje", "Beredskabet beskriver handleveje.", False),
    ("da", "cross_disciplinary", "Kommunen har et tværfagligt team, som mødes hver måned.", True),
    ("da", "cross_disciplinary", "Tværfagligt samarbejde er vigtigt.", False),
    ("da", "supervision", "Medarbejdere, der har været involveret i en sag, tilbydes supervision.", True),
    ("da", "updating", "Beredskabet revideres mindst hvert andet år.", True),
    ("da", "updating", "Beredskabet blev sidst revideret i 2019.", False),
]


@pytest.mark.parametrize(("language", "criterion", "sentence", "met"), SENTENCES)
def test_one_sentence(language: str, criterion: str, sentence: str, met: bool) -> None:
    hit = _hits(_doc("Plan", "Innledning\n" + sentence), language)[criterion]
    assert hit.met is met
    assert hit.sentences == (((1, sentence),) if met else ())


@pytest.mark.parametrize(
    ("language", "title", "pages", "met", "missed"),
    [
        (
            "nb",
            "Handlingsplan mot seksuelle overgrep mot barn",
            (
                "Formål\nPlanen gjelder barnehager, skoler og fritidsklubber i kommunen.",
                "3. Tiltak\n- Elevene får undervisning om kropp og grenser etter Jeg vet.\n"
                "- Årlig kurs for ansatte om tegn på seksuelle overgrep.",
            ),
            {"children_knowledge", "staff_signs_knowledge", "arena_coverage"},
            {"staff_competence", "routine_drills", "citizen_information"},
        ),
        (
            "nn",
            "Rettleiar ved mistanke om vald og seksuelle overgrep mot born",
            (
                "Kvifor ein rettleiar\nMange born fortel ikkje om overgrep. Tilsette i barnehage og skule ser borna "
                "kvar dag.",
                "Opplæring\nAlle tilsette skal få opplæring i samtalar med born ved uro for seksuelle overgrep. "
                "Rutinane skal øvast kvart år.",
            ),
            {"staff_competence", "routine_drills"},
            {"children_knowledge", "staff_signs_knowledge", "citizen_information", "arena_coverage"},
        ),
        (
            "da",
            "Beredskab mod vold og seksuelle overgreb mod børn og unge",
            (
                "Formål\nBeredskabet gælder dagtilbud, skoler og fritidstilbud.",
                "Handleveje\nVed mistanke skal medarbejderen kontakte sin leder samme dag.",
                "Opfølgning\nBeredskabet revideres hvert andet år.",
            ),
            {"arena_coverage", "handleveje", "updating"},
            {"children_knowledge", "staff_signs_knowledge", "supervision", "cross_disciplinary", "routine_drills"},
        ),
    ],
)
def test_a_plan_meets_some_and_misses_others(
    language: str, title: str, pages: tuple[str, ...], met: set[str], missed: set[str]
) -> None:
    hits = _hits(_doc(title, *pages), language)
    assert {c for c, h in hits.items() if h.met} == met
    assert missed <= {c for c, h in hits.items() if not h.met}


def test_sentences_carry_page_numbers_and_a_measures_heading_makes_a_commitment() -> None:
    doc = _doc(
        "Handlingsplan mot seksuelle overgrep mot barn",
        "Innledning\nSeksuelle overgrep mot barn skjer i alle lokalsamfunn.",
        "Tiltak i barnehagene\nBarna lærer om kropp og grenser gjennom Kroppen min.",
    )
    hit = _hits(doc, "nb")["children_knowledge"]
    assert hit.met
    assert hit.sentences == ((2, "Barna lærer om kropp og grenser gjennom Kroppen min."),)


def test_wrapped_pdf_lines_are_joined_into_one_sentence() -> None:
    page = "Mål\nAlle ansatte i barnehage og skole skal kjen-\nne tegn på seksuelle overgrep og\nvold mot barn."
    hit = _hits(_doc("Plan", page), "nb")["staff_signs_knowledge"]
    assert hit.sentences == (
        (1, "Alle ansatte i barnehage og skole skal kjenne tegn på seksuelle overgrep og vold mot barn."),
    )


def test_danish_items_only_for_danish_and_language_detected_when_none() -> None:
    assert criteria_for("nb") == criteria_for("nn") == tuple(c for c, _ in CRITERIA[:6])
    assert set(criteria_for("da")) - set(criteria_for("nb")) == DANISH_CRITERIA
    danish = _doc("Beredskab", "Ved mistanke om overgreb mod børn skal medarbejderen kontakte sin leder samme dag.")
    hits = _hits(danish, None)
    assert set(hits) == {c for c, _ in CRITERIA}
    assert hits["handleveje"].met
    norwegian = _hits(_doc("Plan", "Ansatte skal kjenne tegn på overgrep mot barn."), "nb")
    assert not DANISH_CRITERIA & set(norwegian)


def test_criterion_ids_are_stable_export_columns() -> None:
    assert [c for c, _ in CRITERIA] == [
        "children_knowledge",
        "staff_signs_knowledge",
        "staff_competence",
        "routine_drills",
        "citizen_information",
        "arena_coverage",
        "handleveje",
        "cross_disciplinary",
        "supervision",
        "updating",
    ]
    assert all(description and description[0].isupper() for _, description in CRITERIA)


def test_empty_document() -> None:
    hits = assess_criteria(DocumentText(url="u", title="", pages=()), "nb")
    assert [h.met for h in hits] == [False] * 6
