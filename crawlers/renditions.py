"""Query parameters that only give another rendition of a page, learned per site: dropped like session ids.

Many kommune sites link a print version of every page ("Skriv ut": `?print=1`, `?printable=true`,
`?format=utskrift`), and some a text-only or high-contrast one. Each is the same page: fetching them doubled a
site's page count (941 of the 6,323 pages of a tuning web were print versions) and spent politeness time on nothing.
No list of names covers every CMS, so the site teaches it: a page fetched with a parameter that has the heading of
the page fetched without it, and links nothing that page did not, is a rendition of it. A parameter seen so on
`MIN_AGREEING` different pages, and never seen to change a page (a new heading: another language; new links:
paging, a year filter), is learned; its links are then taken without it, so they are the pages already fetched.

The test is about discovery, not identity: a filter whose pages only show items the unfiltered page already
linked adds nothing to find, and may be learned too. One page it changed rules the parameter out for the site.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlsplit

from crawlers.urls import normalize_url, without_params

#: different pages on which a parameter must have changed nothing before it is dropped from the site's URLs
MIN_AGREEING = 2


def heading_key(heading: str) -> int:
    """What two pages' headings are compared by: without case and spacing (a hash: a site crawl keeps one per page)."""
    return hash(" ".join(heading.lower().split()))


@dataclass
class SiteRenditions:
    """The rendition parameters one site crawl has learned, and the evidence it holds for and against others."""

    #: parameter (lower-case) -> the pages (without it) whose rendition it gave
    agreeing: dict[str, set[str]] = field(default_factory=dict)
    #: parameters that changed a page's heading or links at least once: never learned on this site
    changing: set[str] = field(default_factory=set)
    learned: frozenset[str] = frozenset()

    def observe(
        self,
        url: str,
        heading: int,
        links: Collection[str],
        headings: Mapping[str, int],
        links_of: Callable[[str], Collection[str]],
    ) -> None:
        """Compare the page fetched at `url` (normalised; its `heading_key` and the site links it gave) with each
        page fetched at `url` less one of its query parameters: `headings` holds the fetched pages' heading keys,
        `links_of` gives a fetched page's links."""
        for param in _query_keys(url):
            if param in self.learned or param in self.changing:
                continue
            base = normalize_url(without_params(url, frozenset({param})))
            if base is None or base not in headings:
                continue
            known = {*links_of(base), base, url}
            if heading == headings[base] and _links_nothing_new(links, known, param):
                self.agreeing.setdefault(param, set()).add(base)
                if len(self.agreeing[param]) >= MIN_AGREEING:
                    self.learned |= {param}
            else:
                self.changing.add(param)
                self.agreeing.pop(param, None)


def _query_keys(url: str) -> set[str]:
    return {key.lower() for key, _ in parse_qsl(urlsplit(url).query, keep_blank_values=True)}


def _links_nothing_new(links: Collection[str], base_links: Collection[str], param: str) -> bool:
    """Whether every link is one the base page has, taken without `param` (a print version may link the print
    versions of other pages)."""
    dropped = frozenset({param})
    return all(link in base_links or _without(link, dropped) in base_links for link in links)


def _without(url: str, params: frozenset[str]) -> str:
    return normalize_url(without_params(url, params)) or url
