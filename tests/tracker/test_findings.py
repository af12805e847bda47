from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import date

from tracker.domain import Category, Status
from tracker.findings import ClassifiedSighting, PlanTier, decide, plan_rank, plan_tier

TODAY = date(2026, 11, 23)

ABUSE = ClassifiedSighting(
    sighting_key=0,
    url="https://k.no/plan.pdf",
    sha256="a" * 64,
    format="pdf",
    title="Handlingsplan mot overgrep",
    text_source="text_layer",
    found_via="link",
    click_depth=2,
    category=Category.ABUSE_SPECIFIC,
    confidence=0.9,
    year_start=2024,
    year_end=2027,
)
GENERAL = replace(
    ABUSE,
    sighting_key=1,
    url="https://k.no/vold.pdf",
    sha256="b" * 64,
    category=Category.GENERAL_VIOLENCE,
    title="Handlingsplan mot vold i nære relasjoner",
)
OTHER = replace(ABUSE, sighting_key=2, url="https://k.no/budsjett.pdf", sha256="c" * 64, category=Category.OTHER)


def test_unreachable_site_is_never_no_plan() -> None:
    decision = decide(False, [], TODAY)
    assert decision.status is Status.SITE_UNREACHABLE
    assert decision.plan is None


def test_a_site_that_turned_the_crawler_away_is_not_a_site_without_a_plan() -> None:
    decision = decide(True, [], TODAY, blocked=True)
    assert decision.status is Status.SITE_UNREACHABLE and "turned the crawler away" in decision.reason
    assert decide(True, [ABUSE], TODAY, blocked=True).status is Status.ABUSE_SPECIFIC_PLAN  # what it did let us read


def test_abuse_plan_beats_general_plan() -> None:
    decision = decide(True, [GENERAL, OTHER, ABUSE], TODAY)
    assert decision.status is Status.ABUSE_SPECIFIC_PLAN
    assert decision.plan == ABUSE
    assert decision.plan_current == "true"


def test_general_only_and_nothing() -> None:
    assert decide(True, [GENERAL, OTHER], TODAY).status is Status.GENERAL_VIOLENCE_PLAN_ONLY
    nothing = decide(True, [OTHER], TODAY)
    assert nothing.status is Status.NO_PLAN_FOUND
    assert nothing.plan_current == ""
    assert "1 candidate" in nothing.reason


def test_current_plan_beats_easier_expired_one_and_link_beats_sitemap() -> None:
    expired = replace(
        ABUSE, sighting_key=5, url="https://k.no/gammel.pdf", year_start=2013, year_end=2016, click_depth=1
    )
    in_sitemap = replace(ABUSE, sighting_key=6, found_via="sitemap", click_depth=None)
    decision = decide(True, [expired, in_sitemap], TODAY)
    assert decision.plan == in_sitemap
    linked = replace(in_sitemap, sighting_key=7, found_via="link", click_depth=4)
    assert decide(True, [in_sitemap, linked, expired], TODAY).plan == linked
    only_expired = decide(True, [expired], TODAY)
    assert only_expired.status is Status.ABUSE_SPECIFIC_PLAN
    assert only_expired.plan_current == "false"
    undated = decide(True, [replace(ABUSE, year_start=None, year_end=None)], TODAY)
    assert undated.plan_current == "unknown"


def test_a_draft_or_hearing_version_is_not_a_plan() -> None:
    draft = replace(ABUSE, kind="hearing_draft")
    decision = decide(True, [draft, OTHER], TODAY)
    assert decision.status is Status.NO_PLAN_FOUND
    assert "hearing draft" in decision.reason
    assert decide(True, [draft, GENERAL], TODAY).status is Status.GENERAL_VIOLENCE_PLAN_ONLY
    case = replace(ABUSE, kind="case_document")
    assert decide(True, [case, ABUSE], TODAY).plan == ABUSE


def test_the_document_beats_the_page_that_leads_to_it() -> None:
    """A landing page read as a plan (depth 1) loses to the PDF it links (depth 2): the document is the plan."""
    landing = replace(ABUSE, sighting_key=7, url="https://k.no/planer/overgrep", format="html", click_depth=1)
    decision = decide(True, [landing, ABUSE], TODAY)
    assert decision.plan == ABUSE
    expired_pdf = replace(ABUSE, sighting_key=8, year_start=2012, year_end=2015)
    assert decide(True, [landing, expired_pdf], TODAY).plan == landing  # a current plan still beats an expired one


# -- the ranking's tiers: period and format together (tracker.findings.PlanTier) ------------------------------------

CURRENT_PDF = ABUSE  # 2024-2027, current on TODAY
EXPIRED_PDF = replace(ABUSE, sighting_key=20, url="https://k.no/gammel-plan.pdf", year_start=2014, year_end=2018)
UNDATED_PDF = replace(ABUSE, sighting_key=21, url="https://k.no/plan-endelig.pdf", year_start=None, year_end=None)
CURRENT_PAGE = replace(ABUSE, sighting_key=22, url="https://k.no/handlingsplan", format="html", click_depth=1)
UNDATED_PAGE = replace(CURRENT_PAGE, sighting_key=23, url="https://k.no/om-planen", year_start=None, year_end=None)
EXPIRED_PAGE = replace(CURRENT_PAGE, sighting_key=24, url="https://k.no/gammel-side", year_start=2012, year_end=2015)


def test_an_expired_plan_document_beats_an_undated_page_and_a_current_document_beats_both() -> None:
    """Undated is unknown, not current: an undated HTML page (easier to reach) does not hide that the kommune's plan
    document has run out."""
    expired = decide(True, [UNDATED_PAGE, EXPIRED_PDF], TODAY)
    assert expired.plan == EXPIRED_PDF and expired.plan_current == "false"
    assert decide(True, [UNDATED_PAGE, EXPIRED_PDF, CURRENT_PDF], TODAY).plan == CURRENT_PDF
    assert decide(True, [EXPIRED_PDF, CURRENT_PDF, UNDATED_PAGE], TODAY).plan_current == "true"


def test_the_tiers_in_order() -> None:
    assert [plan_tier(s, TODAY) for s in (CURRENT_PDF, UNDATED_PDF, CURRENT_PAGE)] == [
        PlanTier.CURRENT_DOCUMENT,
        PlanTier.UNDATED_DOCUMENT,
        PlanTier.CURRENT_PAGE,
    ]
    assert [plan_tier(s, TODAY) for s in (EXPIRED_PDF, UNDATED_PAGE, EXPIRED_PAGE)] == [
        PlanTier.EXPIRED_DOCUMENT,
        PlanTier.UNDATED_PAGE,
        PlanTier.EXPIRED_PAGE,
    ]
    everything = [EXPIRED_PAGE, UNDATED_PAGE, EXPIRED_PDF, CURRENT_PAGE, UNDATED_PDF, CURRENT_PDF]
    ranked = sorted(everything, key=lambda s: plan_rank(s, TODAY))
    assert ranked == [CURRENT_PDF, UNDATED_PDF, CURRENT_PAGE, EXPIRED_PDF, UNDATED_PAGE, EXPIRED_PAGE]
    # each tier beats every later one whatever the path: the later one one click from the front page, the earlier
    # only in the sitemap
    for better, worse in itertools.pairwise(ranked):
        hidden = replace(better, found_via="sitemap", click_depth=None, confidence=0.5)
        easy = replace(worse, found_via="link", click_depth=1, confidence=0.99)
        assert decide(True, [easy, hidden], TODAY).plan == hidden


def test_a_page_that_is_the_plan_is_acceptable_and_a_current_one_beats_an_expired_document() -> None:
    assert decide(True, [CURRENT_PAGE, OTHER], TODAY).plan == CURRENT_PAGE
    assert decide(True, [EXPIRED_PDF, CURRENT_PAGE], TODAY).plan == CURRENT_PAGE
    # the document is the plan unless it is known to have run out: an undated PDF beats a current landing page
    assert decide(True, [CURRENT_PAGE, UNDATED_PDF], TODAY).plan == UNDATED_PDF
    # within a tier the easiest path wins
    deeper = replace(CURRENT_PDF, sighting_key=25, url="https://k.no/dypt/plan.pdf", click_depth=5)
    assert decide(True, [deeper, CURRENT_PDF], TODAY).plan == CURRENT_PDF
