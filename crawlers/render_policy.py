"""Which pages of a site are worth a render: a browser page costs seconds of CPU and about 50 plain fetches.

In render="auto" a page is rendered only when its static HTML looks built by script (`links_built_by_script`) and
its render can teach something the site's earlier renders did not. Pages are grouped by their *script signature*:
the scripts they run (the text of each inline script, the src of each external one) and the empty containers a
script may fill, with all their attributes (`<nav data-node="p17">`: what a script reads to know what to build).
Two pages with the same signature run the same code on the same inputs, unless the script reads the URL.

A render is *productive* when it built a link its page's HTML lacked and no earlier rendered page of the site held
(a menu link that the front page's HTML already had is not news when another page's script builds it).
When a signature's renders were unproductive `MENU_ONLY_AFTER` times in a row, it is "menu-only": its script
builds the menu every render has already shown, so its pages are not rendered again. A site that repeats one
inline menu script on every page (an empty <nav> on each) then costs three renders, not one per page, while a page
with a script of its own (a plan list's script, a container naming its own node) is still rendered. One
unproductive render is not enough: a script that reads the URL builds nothing new on a leaf page and something on
the next section page, and a second render in a row is cheap beside sixty.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field

from selectolax.lexbor import LexborHTMLParser, LexborNode

from crawlers.links import links_built_by_script
from crawlers.types import RenderMode
from crawlers.urls import is_news_item

#: in render="auto", at most this many pages of a site are rendered (a browser page costs ~50 plain fetches) ...
MAX_AUTO_RENDERS = 5
#: ... unless rendering proved to build links the HTML lacks: a site whose pages build their menu and lists by
#: script gets this many, within its rendering time budget (`CrawlOptions.render_budget_per_site`)
MAX_SCRIPTED_RENDERS = 60
#: unproductive renders in a row after which a script signature is menu-only (not rendered again)
MENU_ONLY_AFTER = 2
#: elements that may be a container a script fills (an empty one is part of the signature)
_CONTAINERS = "nav, menu, ul, ol, div, section, main, aside, [id], [role]"
#: empty containers read per page: a bound on the signature's cost (a page of 10,000 empty divs)
MAX_CONTAINERS = 200


def _is_empty(node: LexborNode) -> bool:
    """No child element and no text: a place a script fills."""
    for child in node.iter(include_text=True):
        if child.tag == "-comment":
            continue
        if child.tag != "-text" or (child.text_content or "").strip():
            return False
    return True


def script_signature(tree: LexborHTMLParser) -> str:
    """A digest of a page's scripts (inline text, external src) and the empty containers they may fill."""
    parts: list[str] = []
    for script in tree.css("script"):
        src = script.attributes.get("src")
        if src is not None:
            parts.append(f"src {src.strip()}")
        else:
            parts.append("inline " + hashlib.sha1(script.text(deep=True).encode(), usedforsecurity=False).hexdigest())
    seen: set[int] = set()  # a node that matches two selectors comes once
    for node in tree.css(_CONTAINERS):
        if len(seen) >= MAX_CONTAINERS:
            break
        if node.mem_id not in seen and _is_empty(node):
            seen.add(node.mem_id)
            attributes = sorted((name, value or "") for name, value in node.attributes.items())
            parts.append(f"empty {node.tag} {attributes}")
    return hashlib.sha1("\n".join(parts).encode(), usedforsecurity=False).hexdigest()


@dataclass
class SiteRenders:
    """One site's renders: how many, whether rendering proved to build links, and what each signature taught."""

    attempts: int = 0
    #: True once a rendered page had links its static HTML lacks (the site builds its links by script)
    scripted_links: bool = False
    #: links (normalised URLs) that earlier rendered pages held
    seen: set[str] = field(default_factory=set)
    #: script signature -> its unproductive renders since its last productive one
    unproductive: dict[str, int] = field(default_factory=dict)

    def cap(self, mode: RenderMode, max_pages: int) -> int:
        if mode == "always":
            return max_pages
        return MAX_SCRIPTED_RENDERS if self.scripted_links else MAX_AUTO_RENDERS

    def signature_to_render(self, tree: LexborHTMLParser, url: str, mode: RenderMode, max_pages: int) -> str | None:
        """The page's script signature when it is to be rendered, None when not (`mode` "never" renders nothing)."""
        if mode == "never" or not self.worth_rendering("", url, mode, max_pages):
            return None
        if mode == "always":
            return ""
        if not links_built_by_script(tree, url):
            return None
        signature = script_signature(tree)
        return signature if self.worth_rendering(signature, url, mode, max_pages) else None

    def worth_rendering(self, signature: str, url: str, mode: RenderMode, max_pages: int) -> bool:
        """Whether a page of `signature` at `url`, found worth a render, still is by what the site's renders
        taught since (renders run beside the page walk, so a page may wait while others of its kind are rendered)."""
        if self.attempts >= self.cap(mode, max_pages):
            return False
        if mode == "always":
            return True
        if self.scripted_links and is_news_item(url):
            # the site's script-built menu is known by now, and a news article or a facet of the archive builds
            # nothing else: its render (seconds, and the site's rendering budget) is spent where plans are filed
            return False
        return self.unproductive.get(signature, 0) < MENU_ONLY_AFTER

    def spent(self, max_pages: int) -> None:
        """The site's rendering time is spent: no more renders."""
        self.attempts = max_pages

    def learn(self, signature: str, links: Iterable[str], built: Iterable[str]) -> None:
        """Record a render of `signature`: the rendered page's `links`, of which it `built` those its HTML lacked."""
        new = set(built)
        if new:
            self.scripted_links = True
        new -= self.seen
        self.seen.update(links)
        self.unproductive[signature] = 0 if new else self.unproductive.get(signature, 0) + 1
