from __future__ import annotations

from crawlers.frontier import FAMILY_FACTOR, Frontier, FrontierEntry


def drain(frontier: Frontier) -> list[str]:
    urls = []
    while (entry := frontier.pop()) is not None:
        urls.append(entry.url)
    return urls


def test_best_score_first_then_shallowest() -> None:
    frontier = Frontier(max_per_pattern=10)
    frontier.push(FrontierEntry("https://x.no/deep", 1.0, 3))
    frontier.push(FrontierEntry("https://x.no/shallow", 1.0, 1))
    frontier.push(FrontierEntry("https://x.no/best", 5.0, 4))
    frontier.push(FrontierEntry("https://x.no/zero", 0.0, 1))
    assert drain(frontier) == ["https://x.no/best", "https://x.no/shallow", "https://x.no/deep", "https://x.no/zero"]


def test_dedupe_on_normalised_url_and_done() -> None:
    frontier = Frontier(max_per_pattern=10)
    assert frontier.push(FrontierEntry("https://X.no/a#top", 1.0, 1))
    assert not frontier.push(FrontierEntry("https://x.no/a", 1.0, 2))
    assert not frontier.push(FrontierEntry("https://x.no/a;jsessionid=1", 0.5, 2))
    frontier.mark_done("https://x.no/b")
    assert not frontier.push(FrontierEntry("https://x.no/b", 9.0, 1))
    assert drain(frontier) == ["https://X.no/a#top"]
    assert not frontier.push(FrontierEntry("https://x.no/a", 9.0, 1))  # already fetched


def test_better_score_moves_a_waiting_url_up() -> None:
    frontier = Frontier(max_per_pattern=10)
    frontier.push(FrontierEntry("https://x.no/a", 0.0, 1))
    frontier.push(FrontierEntry("https://x.no/b", 1.0, 1))
    assert frontier.push(FrontierEntry("https://x.no/a", 4.0, 2, anchor_text="Handlingsplan"))
    first = frontier.pop()
    assert first is not None and first.url == "https://x.no/a" and first.anchor_text == "Handlingsplan"
    assert drain(frontier) == ["https://x.no/b"]
    assert len(frontier) == 0


def test_path_pattern_cap_stops_a_calendar_trap() -> None:
    """A calendar (a day in the query) gets a third of a pattern's cap; paging keeps the whole cap."""
    frontier = Frontier(max_per_pattern=9)
    admitted = [
        frontier.push(FrontierEntry(f"https://x.no/kalender?dato=2026-01-{day:02d}", 0.0, day)) for day in range(1, 31)
    ]
    assert admitted.count(True) == 3
    assert frontier.trapped == 27
    months = [frontier.push(FrontierEntry(f"https://x.no/hendelser?month=2026-{m:02d}", 0.0, 2)) for m in range(1, 13)]
    paging = [frontier.push(FrontierEntry(f"https://x.no/nyheter?side={n}", 0.0, 2)) for n in range(1, 13)]
    assert months.count(True) == 3 and paging.count(True) == 9
    assert frontier.push(FrontierEntry("https://x.no/planer", 0.0, 1))


def test_pages_a_cms_addresses_by_id_are_not_a_trap() -> None:
    """A WordPress site with plain permalinks has every page under one pattern ("/?page_id"): they are real pages."""
    frontier = Frontier(max_per_pattern=3)
    pages = [frontier.push(FrontierEntry(f"https://x.no/?page_id={5650 + n}", 0.0, 2)) for n in range(25)]
    posts = [frontier.push(FrontierEntry(f"https://x.no/?p={6000 + n}", 0.0, 2)) for n in range(25)]
    assert all(pages) and all(posts) and frontier.trapped == 0
    # ... while a generated URL space keeps the cap: paging, a number that is no page id, a second parameter
    paging = [frontier.push(FrontierEntry(f"https://x.no/nyheter?side={n}", 0.0, 2)) for n in range(10)]
    replies = [frontier.push(FrontierEntry(f"https://x.no/?p=6001&replytocom={n}", 0.0, 2)) for n in range(10)]
    words = [frontier.push(FrontierEntry(f"https://x.no/?id=sak{n}", 0.0, 2)) for n in range(10)]
    assert paging.count(True) == replies.count(True) == words.count(True) == 3
    # and the id pattern has a cap too, only higher (the page budget bounds it)
    more = [frontier.push(FrontierEntry(f"https://x.no/?page_id={7000 + n}", 0.0, 2)) for n in range(10)]
    assert more.count(True) == 3 * 10 - 25


def test_the_filters_and_sort_orders_of_one_listing_share_a_cap() -> None:
    """Each key set of a news archive's facets stays under the pattern cap, but together they are one URL space."""
    frontier = Frontier(max_per_pattern=3)
    facets = [
        frontier.push(FrontierEntry(f"https://x.no/nyheter?{query}", 0.0, 2))
        for year in (2023, 2024, 2025)
        for query in (f"aar={year}", f"aar={year}&sortering=eldste", f"tema=helse&aar={year}", f"side={year}")
    ]
    assert facets.count(True) == 3 * FAMILY_FACTOR
    assert frontier.trapped == len(facets) - 3 * FAMILY_FACTOR
    # another listing has its own cap; a CMS's page ids are pages, not variants of "/"
    assert all(frontier.push(FrontierEntry(f"https://x.no/arrangementer?side={n}", 0.0, 2)) for n in range(3))
    assert all(frontier.push(FrontierEntry(f"https://x.no/?page_id={n}", 0.0, 2)) for n in range(20))
    assert frontier.push(FrontierEntry("https://x.no/?s=vold", 0.0, 2))
