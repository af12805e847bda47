from __future__ import annotations

from crawlers.scoring import is_candidate_document, looks_like_plan, page_may_be_plan, score_link


def test_plan_links_outscore_menus_and_menus_outscore_traps() -> None:
    plan = score_link("Handlingsplan mot seksuelle overgrep mot barn", "https://x.no/dok/plan.pdf")
    plans_menu = score_link("Planer og styringsdokumenter", "https://x.no/planer-og-styringsdokumenter")
    health = score_link("Helse og omsorg", "https://x.no/helse")
    neutral = score_link("Kart", "https://x.no/kart")
    calendar = score_link("Neste dag", "https://x.no/kalender?dato=2026-01-02")
    assert plan.value > plans_menu.value > health.value > neutral.value == 0 > calendar.value
    assert "anchor:handlingsplan+3.0" in plan.reasons
    assert any(reason.startswith("url:kalender") for reason in calendar.reasons)


def test_scores_read_nynorsk_and_danish() -> None:
    assert score_link("Beredskab om vold og seksuelle overgreb mod børn", "https://x.dk/b").value >= 12
    assert score_link("Vald og overgrep", "https://x.no/vald-og-overgrep").value >= 6
    # a word inside another word does not count: "vern" is not in "moderne"
    assert score_link("Moderne", "https://x.no/m").value == 0


def test_context_counts_less_than_anchor() -> None:
    in_anchor = score_link("Handlingsplan", "https://x.no/a")
    in_context = score_link("Last ned", "https://x.no/a", context="Handlingsplan")
    assert in_anchor.value > in_context.value > 0


def test_plan_likeness() -> None:
    assert looks_like_plan("Handlingsplan mot vold i nære relasjoner 2021–2024")
    assert looks_like_plan("Beredskab om vold og seksuelle overgreb mod børn og unge")
    assert not looks_like_plan("Handlingsplan for klima")
    assert not looks_like_plan("Seksuelle overgrep: nyhet")
    assert is_candidate_document("Last ned (PDF)", "https://x.no/f/123.pdf", "Planer og styringsdokumenter")
    assert is_candidate_document("Handlingsplan", "https://x.no/f/123.pdf", "")
    assert not is_candidate_document("Meny for uke 12", "https://x.no/f/meny.pdf", "Skolemat")


def test_a_kindergarten_is_not_the_subject_although_it_starts_with_barn() -> None:
    # "barnehage" / "børnehave" hold opening hours and prices; "barnevern" and "barn og unge" are where plans live
    assert score_link("Barnehage og skole", "https://x.no/barnehage-og-skole").value == 0
    assert score_link("Børnehaver", "https://x.dk/boernehaver").value == 0
    assert score_link("Barnevern", "https://x.no/barnevern").value >= 5
    assert score_link("Børn og familie", "https://x.dk/boern-og-familie").value >= 3


def test_the_linking_pages_own_path_is_not_scored_again() -> None:
    # the crawler passes a share of a page's score to its links: the section's words in a child URL count once
    section = "https://x.no/tjenester/familie-og-barn"
    child = score_link("Avlastning", f"{section}/avlastning", linked_from=section)
    assert child.value == 0 and not child.reasons
    assert score_link("Avlastning", f"{section}/avlastning").value > 0  # linked from elsewhere, the path speaks
    # only whole shared segments are left out; the child's own words still count
    plan = score_link("Rutiner", f"{section}/vold-og-overgrep", linked_from=f"{section}/")
    assert "url:vold+2.0" in plan.reasons and not any("barn" in r for r in plan.reasons)
    other = score_link("Side", "https://x.no/tjenester/familie-og-barnevern", linked_from=section)
    assert any(r.startswith("url:barn") for r in other.reasons)


def test_a_page_with_a_vague_title_is_read_when_its_chapters_name_the_subject() -> None:
    wordpress = "https://x.no/?page_id=3463"
    chapters = ("1. Innledning", "4. Hva er seksuelle overgrep?", "5. Forebygging", "Tiltak")
    # a kind of plan in the title, the subject in one chapter: read (the classifier decides what it is)
    assert page_may_be_plan("Veileder - X kommune", "Veileder", wordpress, chapters)
    assert page_may_be_plan("Handlingsplan", "", wordpress, ("Vold i nære relasjoner",))
    # neither kind nor subject in the title: two chapters on the subject are needed
    assert page_may_be_plan("Trygge barn", "Trygge barn", wordpress, (*chapters, "Ved mistanke om vold"))
    assert not page_may_be_plan("Helsestasjon", "Helsestasjon", wordpress, ("Vold i nære relasjoner", "Åpningstider"))
    # a kind of plan with chapters on something else, or no chapters at all: not read
    assert not page_may_be_plan("Veileder", "Veileder", wordpress, ("1. Innledning", "2. Søknad om barnehageplass"))
    assert not page_may_be_plan("Veileder", "Veileder", wordpress, ())
    # the title, h1 or the address alone still suffice, as before
    assert page_may_be_plan("Beredskab", "", "https://x.dk/a", ())
    assert page_may_be_plan("Trygge barn", "", "https://x.no/plan-mot-seksuelle-overgrep/", ())
