"""Links out of an HTML page (selectolax/lexbor), and the guess that a page builds its menu with JavaScript.

Each link carries its anchor text (img alt, aria-label and title count when the text is empty) and its context:
the nearest heading before it, which on kommune sites names the section ("Planer og styringsdokumenter").

Every page goes through `crawlers.htmlguard.parse_html`, which first bounds the parser's work: lexbor is quadratic
in nesting depth, so a hostile page of unclosed tags is flattened to 512 levels and a huge one is cut.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin

from selectolax.lexbor import LexborHTMLParser, LexborNode

from crawlers.htmlguard import parse_html
from crawlers.urls import host_of, normalize_url, site_key

_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_SKIP_SCHEMES = ("mailto:", "tel:", "javascript:", "data:", "sms:", "ftp:", "file:")
_WS = re.compile(r"\s+")
#: root elements of single-page-app frameworks
_APP_ROOTS = ("#root", "#app", "#__next", "#__nuxt", "[ng-app]", "[data-reactroot]", "app-root", "#svelte")


@dataclass(frozen=True)
class PageLink:
    """One link on a page: absolute URL (normalised), anchor text and the nearest preceding heading."""

    url: str
    text: str
    context: str


def _clean(text: str | None) -> str:
    return _WS.sub(" ", text or "").strip()


def _clean_head(text: str, limit: int) -> str:
    """`_clean(text)[:limit]`, cleaning only as much of `text` as that needs (a heading may hold a whole page)."""
    window = 4 * limit
    while window < len(text):
        head = _clean(text[:window])
        if len(head) >= limit:  # whitespace collapses locally: this prefix is the whole text's prefix
            return head[:limit]
        window *= 4
    return _clean(text)[:limit]


def base_href(tree: LexborHTMLParser, page_url: str) -> str:
    """The URL relative links resolve against: <base href> when present, else the page's own URL."""
    base = tree.css_first("base[href]")
    href = base.attributes.get("href") if base is not None else None
    if href:
        try:
            return urljoin(page_url, href.strip())
        except ValueError:
            return page_url
    return page_url


def _anchor_text(node: LexborNode) -> str:
    text = _clean(node.text(separator=" "))
    if text:
        return text
    for img in node.css("img[alt]"):
        alt = _clean(img.attributes.get("alt"))
        if alt:
            return alt
    for attr in ("aria-label", "title"):
        value = _clean(node.attributes.get(attr))
        if value:
            return value
    return ""


def extract_links(html: str | LexborHTMLParser, page_url: str) -> list[PageLink]:
    """All http(s) links of a page, in document order, deduplicated on the normalised URL (first wins).

    mailto:, tel:, javascript: and bare fragments are skipped.
    """
    tree = html if isinstance(html, LexborHTMLParser) else parse_html(html)
    base = base_href(tree, page_url)
    heading = ""
    seen: set[str] = set()
    links: list[PageLink] = []
    for node in tree.css("h1, h2, h3, h4, h5, h6, a[href], area[href]"):
        if node.tag in _HEADINGS:
            heading = _clean_head(node.text(separator=" "), 200)
            continue
        href = (node.attributes.get("href") or "").strip()
        if not href or href.startswith("#") or href.lower().startswith(_SKIP_SCHEMES):
            continue
        url = normalize_url(href, base)
        if url is None or url in seen:
            continue
        seen.add(url)
        links.append(PageLink(url=url, text=_anchor_text(node)[:300], context=heading))
    return links


def page_title(html: str | LexborHTMLParser) -> str:
    """The <title> of a page ("" when absent)."""
    tree = html if isinstance(html, LexborHTMLParser) else parse_html(html)
    node = tree.css_first("title")
    return _clean(node.text()) if node is not None else ""


def page_h1(html: str | LexborHTMLParser) -> str:
    """The first <h1> of a page ("" when absent)."""
    tree = html if isinstance(html, LexborHTMLParser) else parse_html(html)
    node = tree.css_first("h1")
    return _clean(node.text(separator=" ")) if node is not None else ""


#: landmarks whose headings are the site's, not the page's ("Snarveier" in a menu, "Kontakt oss" in a footer)
_CHROME = frozenset({"nav", "header", "footer", "aside"})


def section_headings(html: str | LexborHTMLParser, limit: int = 40) -> tuple[str, ...]:
    """The page's own chapter headings (<h2>, <h3>; those inside <nav>, <header>, <footer> or <aside> belong to the
    site), at most `limit`: a plan page with a vague title ("Veileder", "Trygge barn") names its subject there."""
    tree = html if isinstance(html, LexborHTMLParser) else parse_html(html)
    found: list[str] = []
    for node in tree.css("h2, h3"):
        if len(found) >= limit:
            break
        parent = node.parent
        while parent is not None and parent.tag not in _CHROME:
            parent = parent.parent
        text = _clean_head(node.text(separator=" "), 200)
        if parent is None and text:
            found.append(text)
    return tuple(found)


def _is_inside(node: LexborNode, ancestor: LexborNode) -> bool:
    """Whether `node` is a descendant of `ancestor` (walks up from `node`: cost its depth, at most MAX_DEPTH)."""
    parent = node.parent
    while parent is not None:
        if parent.mem_id == ancestor.mem_id:
            return True
        parent = parent.parent
    return False


def links_built_by_script(html: str | LexborHTMLParser, page_url: str) -> bool:
    """Whether a page likely builds its menu with JavaScript, so its static links under-report the site.

    Signs: scripts present and very few static same-site links; or an empty <nav>/menu container; or an empty
    framework root (<div id="root">, #app, #__next ...).
    """
    tree = html if isinstance(html, LexborHTMLParser) else parse_html(html)
    scripts = tree.css("script")
    if not scripts:
        return False
    keys = {site_key(host_of(page_url))}
    same_site = [link for link in extract_links(tree, page_url) if site_key(host_of(link.url)) in keys]
    if len(same_site) < 5:
        return True
    containers = tree.css("nav, [role=navigation], #menu, .menu, #nav, .nav, .main-menu, #main-menu")
    for i, container in enumerate(containers):
        # a container holding another is empty only if that one is: test the innermost only, so nested menus
        # are read once, not once per level (500 nested <nav> over 2 MB of text took 35 s)
        if i + 1 < len(containers) and _is_inside(containers[i + 1], container):
            continue
        if not container.css("a[href]") and not container.text().strip():
            return True
    for selector in _APP_ROOTS:
        root = tree.css_first(selector)
        if root is not None and not root.css("a[href]"):
            return True
    return False
