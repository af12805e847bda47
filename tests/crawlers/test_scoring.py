from __future__ import annotations

from crawlers.scoring import is_candidate_document, looks_like_plan, score_link


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
