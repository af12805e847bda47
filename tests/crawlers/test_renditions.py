"""Rendition parameters (`?print=1`) are learned from what the site's pages show, never from their names."""

from __future__ import annotations

from crawlers.graph import LinkGraph
from crawlers.renditions import MIN_AGREEING, SiteRenditions, heading_key

SITE = "http://kommune.test"


class Pages:
    """Pages read so far, as the site crawl holds them: heading keys by node and the link graph."""

    def __init__(self) -> None:
        self.headings: dict[str, int] = {}
        self.graph = LinkGraph()
        self.renditions = SiteRenditions()

    def read(self, path: str, heading: str, links: list[str]) -> None:
        node = SITE + path
        urls = [SITE + link for link in links]
        for url in urls:
            self.graph.add(node, url, "", "static")
        self.renditions.observe(node, heading_key(heading), urls, self.headings, self.graph.targets)
        self.headings[node] = heading_key(heading)


def test_a_print_version_seen_on_two_pages_is_learned() -> None:
    pages = Pages()
    pages.read("/helse", "Helse og omsorg", ["/helse/legevakt", "/helse?print=1", "/"])
    pages.read("/helse?print=1", "Helse  og OMSORG", ["/helse/legevakt"])
    assert pages.renditions.learned == frozenset()  # one page is not yet a habit of the site
    pages.read("/skole", "Skole", ["/skole/sfo", "/skole?print=1"])
    pages.read("/skole?print=1", "Skole", ["/skole/sfo"])
    assert MIN_AGREEING == 2
    assert pages.renditions.learned == frozenset({"print"})


def test_a_print_version_that_links_the_print_versions_of_other_pages_adds_nothing() -> None:
    pages = Pages()
    for path in ("/a", "/b"):
        pages.read(path, path, [f"{path}/x", "/c"])
        pages.read(f"{path}?print=1", path, [f"{path}/x?print=1", "/c?print=1", path])
    assert pages.renditions.learned == frozenset({"print"})


def test_paging_brings_new_links_and_is_never_learned() -> None:
    pages = Pages()
    pages.read("/nyheter", "Nyheter", ["/nyheter/1", "/nyheter/2", "/nyheter?side=2"])
    pages.read("/nyheter?side=2", "Nyheter", ["/nyheter/3", "/nyheter/4", "/nyheter?side=3"])
    pages.read("/arkiv", "Arkiv", ["/arkiv/1", "/arkiv?side=2"])
    pages.read("/arkiv?side=2", "Arkiv", ["/arkiv/1"])  # a second page that happens to add nothing
    pages.read("/hendelser", "Hendelser", ["/hendelser/1"])
    pages.read("/hendelser?side=2", "Hendelser", [])
    assert "side" not in pages.renditions.learned
    assert "side" in pages.renditions.changing


def test_another_heading_is_another_page() -> None:
    pages = Pages()
    for path in ("/a", "/b"):
        pages.read(path, f"Side {path}", [])
        pages.read(f"{path}?lang=en", f"Page {path}", [])
    assert pages.renditions.learned == frozenset()


def test_a_parameter_is_only_compared_with_the_page_fetched_without_it() -> None:
    pages = Pages()
    pages.read("/a?print=1", "A", [])  # the page itself was never read: nothing to compare with
    pages.read("/b?print=1", "B", [])
    assert pages.renditions.learned == frozenset() and not pages.renditions.agreeing
