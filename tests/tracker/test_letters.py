"""The letter to a kommune's politicians: language, what was found, what is missing, what to ask for."""

from __future__ import annotations

from datetime import date

import pytest

from tracker.volunteers.letters import LetterFacts, PlanFact, missing_criteria, write_letter

ON = date(2026, 3, 2)
ALL_NB = ("children_knowledge", "staff_signs_knowledge", "staff_competence", "routine_drills", "citizen_information")


def _plan(**changes: object) -> PlanFact:
    values: dict[str, object] = {
        "title": "Handlingsplan mot seksuelle overgrep mot barn 2024–2027",
        "url": "https://www.fjellvik.kommune.no/plan.pdf",
        "category": "abuse_specific",
        "current": "true",
        "year_start": 2024,
        "year_end": 2027,
        "found_via": "link",
        "click_depth": 2,
        "criteria": tuple((c, True) for c in ALL_NB) + (("arena_coverage", False),),
    }
    values.update(changes)
    return PlanFact(**values)  # type: ignore[arg-type]


def _facts(**changes: object) -> LetterFacts:
    values: dict[str, object] = {
        "kommune_name": "Fjellvik",
        "country": "NO",
        "language": "nb",
        "website": "https://www.fjellvik.kommune.no",
        "status": "abuse_specific_plan",
        "checked_on": ON,
        "plan": _plan(),
    }
    values.update(changes)
    return LetterFacts(**values)  # type: ignore[arg-type]


def test_bokmal_letter_names_the_plan_and_the_missing_criterion() -> None:
    letter = write_letter(_facts())
    text = letter.text()
    assert letter.language == "nb"
    assert letter.greeting == "Til ordføreren og kommunestyret i Fjellvik"
    assert "«Handlingsplan mot seksuelle overgrep mot barn 2024–2027» (2024–2027), og den gjelder fortsatt" in text
    assert "lett å finne: den ligger 2 klikk fra forsiden" in text
    # only the unmet criterion is listed, in Bokmål
    assert letter.missing == ("gjelde barnehager, skoler, fritidsarenaer og alle tjenester som møter barn",)
    assert "Jeg finner ikke at planen forplikter kommunen til å:" in text
    assert any("utvides" in ask for ask in letter.asks)
    assert "Med vennlig hilsen" in text


def test_nynorsk_letter_for_an_expired_plan_found_only_through_search() -> None:
    facts = _facts(
        kommune_name="Vikøy",
        language="nn",
        plan=_plan(current="false", year_start=2015, year_end=2019, found_via="site_search", click_depth=None),
    )
    letter = write_letter(facts)
    text = letter.text()
    assert letter.greeting == "Til ordføraren og kommunestyret i Vikøy"
    assert "for perioden 2015–2019. Den perioden er over" in text
    assert "berre gjennom søket på nettstaden" in text
    assert "at planen vert rullert og vedteken på nytt, med ein ny planperiode" in letter.asks
    assert any("lenkja frå framsida" in ask for ask in letter.asks)
    assert "Med venleg helsing" in text
    # no Bokmål leaks into a Nynorsk letter
    assert "Jeg " not in text and "ikke " not in text


def test_danish_letter_without_a_plan_lists_the_whole_beredskab_checklist_and_the_duty() -> None:
    facts = _facts(kommune_name="Kildeby", country="DK", language="da", status="no_plan_found", plan=None)
    letter = write_letter(facts)
    text = letter.text()
    assert letter.subject == "Beredskab mod seksuelle overgreb mod børn i Kildeby"
    assert letter.greeting == "Til borgmesteren og kommunalbestyrelsen i Kildeby"
    assert "kan hverken finde et beredskab" in text
    assert "pligt til at have et skriftligt beredskab" in text
    # the Danish checklist includes the beredskab items
    assert len(letter.missing) == 10
    assert "beskrive konkrete handleveje: hvem gør hvad, når der er mistanke om overgreb" in letter.missing
    assert letter.missing_heading == "Et godt beredskab forpligter kommunen til at"
    assert any("udarbejder og vedtager et beredskab" in ask for ask in letter.asks)
    assert "Med venlig hilsen" in text


def test_general_violence_plan_only_asks_for_a_dedicated_plan() -> None:
    plan = _plan(
        category="general_violence", title="Handlingsplan mot vold i nære relasjoner 2021–2024", current="false"
    )
    letter = write_letter(_facts(status="general_violence_plan_only", plan=plan))
    text = letter.text()
    assert "bare en plan mot vold i nære relasjoner" in text
    assert "perioden for den er dessuten over" in text
    assert "Opptrappingsplanen mot vold og overgrep" in text
    assert letter.asks[0].startswith("at kommunen lager og vedtar en egen handlingsplan")
    assert letter.missing_heading == "En god plan forplikter kommunen til å"
    assert len(letter.missing) == 6


def test_unreachable_site_is_never_called_planless() -> None:
    letter = write_letter(_facts(status="site_unreachable", plan=None))
    text = letter.text()
    assert "nettstedet svarte ikke da det ble sjekket 2. mars 2026" in text
    assert "finner verken" not in text
    assert letter.missing == ()
    assert letter.asks[0].startswith("at dere svarer meg på om kommunen har en slik plan")


def test_draft_only_and_deep_plan_and_volunteer_find() -> None:
    draft = _plan(kind="hearing_draft", title="Høringsutkast: plan mot overgrep")
    letter = write_letter(_facts(status="no_plan_found", plan=None, drafts=(draft,)))
    assert "bare en høringsversjon av en plan, «Høringsutkast: plan mot overgrep»" in letter.text()
    assert letter.asks[0].startswith("at planen blir ferdigbehandlet og vedtatt")

    deep = write_letter(_facts(plan=_plan(click_depth=5)))
    assert "vanskelig å finne: den ligger 5 klikk fra forsiden" in deep.text()

    tipped = write_letter(_facts(plan=_plan(found_via="tip", click_depth=None), found_by_volunteer=True))
    assert "funnet av en frivillig, men ikke ved å følge lenkene fra forsiden" in tipped.text()


def test_all_criteria_met_is_praised_and_nothing_listed() -> None:
    plan = _plan(criteria=tuple((c, True) for c in (*ALL_NB, "arena_coverage")))
    letter = write_letter(_facts(plan=plan, evidence_url="http://127.0.0.1:8000/kommune/3901"))
    assert letter.missing == ()
    assert "dekker alle punktene" in letter.text()
    assert "http://127.0.0.1:8000/kommune/3901" in letter.text()


@pytest.mark.parametrize(("language", "expected"), [("nb", 6), ("nn", 6), ("da", 10)])
def test_missing_criteria_follow_the_letter_language(language: str, expected: int) -> None:
    assert len(missing_criteria(None, language)) == expected  # type: ignore[arg-type]
    assert missing_criteria(_plan(), language)[0] == "arena_coverage"  # type: ignore[arg-type]


# the "no plan found" sentence of each language, and the reviewer-confirmed one
NONE_WORDING = {"nb": "finner verken en plan", "nn": "finn verken ein plan", "da": "kan hverken finde et beredskab"}
REVIEWED_PLAN = {
    "nb": "Planvakt har registrert at kommunen har en egen plan mot seksuelle overgrep mot barn",
    "nn": "Planvakt har registrert at kommunen har ein eigen plan mot seksuelle overgrep mot born",
    "da": "Planvakt har registreret, at kommunen har et beredskab mod overgreb mod børn",
}
ASK_SHARE = {
    "nb": "at dere sender meg planen og forteller hvor den er publisert",
    "nn": "at de sender meg planen og fortel kvar han er publisert",
    "da": "at I sender mig beredskabet og fortæller, hvor det er offentliggjort",
}


@pytest.mark.parametrize("language", ["nb", "nn", "da"])
def test_a_reviewer_status_with_a_plan_never_gets_the_no_plan_wording(language: str) -> None:
    country = "DK" if language == "da" else "NO"
    # the crawler found nothing (or only a draft); a reviewer's override in force says there is a plan
    draft = _plan(kind="draft", title="Utkast")
    for drafts in ((), (draft,)):
        facts = _facts(language=language, country=country, status="abuse_specific_plan", plan=None, drafts=drafts)
        letter = write_letter(facts)
        text = letter.text()
        assert NONE_WORDING[language] not in text
        assert REVIEWED_PLAN[language] in text
        assert "Utkast" not in text  # not "only a draft was found" either
        assert letter.asks[0] == ASK_SHARE[language]
        assert len(letter.asks) == 3  # share it, link it visibly, report yearly: not "make a plan"
        assert "pligt til at have" not in text and "Opptrappingsplanen" not in text


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("nb", "Planvakt har registrert at kommunen bare har en plan mot vold i nære relasjoner"),
        ("nn", "Planvakt har registrert at kommunen berre har ein plan mot vald i nære relasjonar"),
        ("da", "Planvakt har registreret, at kommunen kun har en plan om vold i nære relationer"),
    ],
)
def test_a_reviewer_status_of_a_general_plan_asks_for_a_dedicated_one(language: str, expected: str) -> None:
    country = "DK" if language == "da" else "NO"
    letter = write_letter(_facts(language=language, country=country, status="general_violence_plan_only", plan=None))
    text = letter.text()
    assert expected in text and NONE_WORDING[language] not in text
    assert len(letter.missing) == (10 if language == "da" else 6)
    assert letter.asks[0] == write_letter(_facts(language=language, status="no_plan_found", plan=None)).asks[1]


def test_a_reviewer_status_of_no_plan_outranks_the_document() -> None:
    # the machine took a document for the plan; the reviewer's status in force says it is none
    letter = write_letter(_facts(status="no_plan_found", plan=_plan(click_depth=1)))
    text = letter.text()
    assert NONE_WORDING["nb"] in text
    assert "Handlingsplan mot seksuelle overgrep mot barn 2024–2027" not in text
    assert "Planen er lett å finne" not in text


def test_english_letter_for_a_reader_who_reads_no_norwegian() -> None:
    """The same letter in English: the Norwegian checklist for a Norwegian kommune, the date in words, no keys."""
    letter = write_letter(_facts(language="en", plan=_plan(current="false", found_via="site_search")))
    text = letter.text()
    assert letter.language == "en"
    assert letter.subject == "Plan against sexual abuse of children in Fjellvik"
    assert letter.greeting == "To the mayor and the municipal council of Fjellvik"
    assert "for the period 2024–2027. That period is over" in text
    assert "only through the website's search" in text
    assert letter.missing == ("cover kindergartens, schools, leisure arenas and every service that meets children",)
    assert "Prop. 12 S (2016–2017)" not in text  # an expired abuse plan: no lecture on the law
    danish = write_letter(_facts(language="en", country="DK", status="no_plan_found", plan=None))
    assert len(danish.missing) == 10 and "preparedness plan (beredskab)" in danish.text()
    assert not any(ch in text for ch in "æøå") and "letter." not in text


def test_nynorsk_letter_dates_in_words() -> None:
    letter = write_letter(_facts(language="nn", status="site_unreachable", plan=None, evidence_url="https://p/k/1"))
    assert "nettstaden svara ikkje då han vart sjekka 2. mars 2026" in letter.text()
    assert "Opplysningane er frå Planvakt, sjekka 2. mars 2026: https://p/k/1" in letter.text()
