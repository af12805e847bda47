"""Data model of the held-out kommune web: pages, documents, sites, ground truth and the request log.

Everything here is plain data produced by `generator.build_web`; the server (`server.py`) only reads it.
Paths are canonical: path plus query exactly as the site itself links them, without session ids or
tracking parameters (see `canonical_target`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

from .robots import RobotsRules

# Query parameters the servers ignore: session ids and tracking parameters.
IGNORED_PARAMS: frozenset[str] = frozenset(
    {"sid", "utm_source", "utm_medium", "utm_campaign", "utm_content", "utm_term", "fbclid"}
)


def canonical_target(target: str) -> str:
    """Strip `;jsessionid=...`, `sid` and `utm_*` parameters from a path+query (or a full URL's target)."""
    parts = urlsplit(target)
    path = parts.path or "/"
    if ";" in path:
        path = path.split(";", 1)[0]
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in IGNORED_PARAMS]
    return path + ("?" + urlencode(query) if query else "")


@dataclass(frozen=True)
class Link:
    """One `<a href>` on a page. `target` is a canonical site path or an absolute external URL."""

    target: str
    text: str
    external: bool = False
    track: bool = False  # decorated with utm_* parameters when rendered


@dataclass
class Block:
    """A block of page content: kind is h2, h3, p, ul, links, table, raw, linkp (paragraph ending in a link)."""

    kind: str
    text: str = ""
    items: list[str] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)


@dataclass
class Page:
    """An HTML page of a site. `links` are the static content links; chrome links are added by the CMS."""

    path: str
    title: str
    kind: str
    blocks: list[Block] = field(default_factory=list)
    breadcrumb: list[Link] = field(default_factory=list)
    menu_node: str | None = None  # JavaScript sites: the node whose children the page script loads
    js_links: list[Link] = field(default_factory=list)  # links built by the page script (rendered only)
    chrome: bool = True  # False for print versions and the like
    printable: bool = False  # has a "?print=1" duplicate
    search_text: str = ""  # what the site search indexes besides title and blocks
    date: str = ""

    def content_links(self) -> list[Link]:
        out: list[Link] = []
        for b in self.blocks:
            out.extend(b.links)
        return out


@dataclass
class Document:
    """A downloadable document (PDF with text, scanned PDF, DOCX). Bytes are built lazily by `build`."""

    doc_id: str
    fmt: str  # pdf | pdf_scan | docx
    title: str
    filename: str
    genre: str  # abuse_plan, general_plan, hearing_draft, minutes, other_plan, budget, ...
    paths: list[str]
    octet: bool = False  # served as application/octet-stream with Content-Disposition
    build: Callable[[], bytes] | None = None
    search_text: str = ""
    size_hint: str = ""


@dataclass
class Site:
    """One kommune website."""

    index: int
    kommunenummer: str
    name: str
    short: str
    country: str
    language: str
    cms: str
    host: str
    scenarios: list[str]
    pages: dict[str, Page] = field(default_factory=dict)
    documents: dict[str, Document] = field(default_factory=dict)  # doc_id -> Document
    doc_paths: dict[str, str] = field(default_factory=dict)  # canonical path -> doc_id
    redirects: dict[str, str] = field(default_factory=dict)  # canonical path -> canonical target path
    json: dict[str, bytes] = field(default_factory=dict)  # canonical path -> JSON body (JS menus)
    static: dict[str, tuple[str, bytes]] = field(default_factory=dict)  # path -> (content type, body)
    robots_txt: str = ""
    robots: RobotsRules | None = None
    sitemap_paths: list[str] = field(default_factory=list)
    sitemap_style: str = "none"  # none | plain | index_gz
    search_path: str = "/sok"
    search_param: str = "q"
    search_index: list[tuple[str, str, str]] = field(default_factory=list)  # (title, path, text)
    top_menu: list[Link] = field(default_factory=list)
    footer: list[Link] = field(default_factory=list)
    js_menu: bool = False
    session_style: str = "none"  # none | sid | jsessionid
    absolute_links: bool = False
    slow: bool = False
    unreachable: str = "none"  # none | refused | 503
    calendar: bool = False
    facets: bool = False
    facet_news: list[Link] = field(default_factory=list)
    plan_doc: str | None = None  # doc id or page path of THE plan
    plan_kind: str | None = None  # abuse | general
    plan_is_page: bool = False
    status: str = "no_plan_found"
    rng_seed: int = 0


@dataclass(frozen=True)
class SiteTruth:
    """Exact ground truth for one kommune (see README: export columns)."""

    kommunenummer: str
    name: str
    country: str
    language: str
    cms: str
    scenarios: tuple[str, ...]
    status: str
    plan_url: str | None
    plan_urls_accepted: tuple[str, ...]
    click_depth: int | None
    found_via: str | None


@dataclass(frozen=True)
class RequestRecord:
    """One request a site server answered (`time.monotonic()` seconds, comparable across processes).

    `answered` is stamped just before the last bytes of the answer are handed to the socket: the client cannot have
    the whole answer earlier. `finished` is stamped after that write returns, when the handler thread has the GIL
    back, which on a loaded machine can be long after the client had every byte and moved on; in-flight counts use
    `answered` (issue 9: a 0.2 s lag there showed two requests of ours in flight that never were).
    """

    host: str
    port: int
    method: str
    target: str
    user_agent: str
    started: float
    finished: float
    status: int
    answered: float


@dataclass
class TruthPaths:
    """Truth before a port is known: accepted paths instead of URLs."""

    status: str
    plan_path: str | None
    accepted_paths: tuple[str, ...]
    click_depth: int | None
    found_via: str | None


@dataclass
class HeldoutWeb:
    """A generated web: sites, their truth, and lazily built document bytes (cached, thread-safe)."""

    seed: int
    sites: list[Site]
    truth_paths: dict[str, TruthPaths]
    _cache: dict[tuple[str, str], bytes] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def site_by_host(self, host: str) -> Site | None:
        h = host.split(":", 1)[0]
        for s in self.sites:
            if s.host == h:
                return s
        return None

    def robots_allows(self, host: str, target: str, user_agent: str) -> bool:
        """Whether the site's robots.txt allows `user_agent` to fetch `target` (path+query)."""
        site = self.site_by_host(host)
        if site is None or site.robots is None:
            return True
        return site.robots.allows(target, user_agent)

    def document_bytes(self, site: Site, doc_id: str) -> bytes:
        key = (site.host, doc_id)
        with self._lock:
            cached = self._cache.get(key)
        if cached is not None:
            return cached
        doc = site.documents[doc_id]
        assert doc.build is not None
        data = doc.build()
        with self._lock:
            self._cache.setdefault(key, data)
            return self._cache[key]

    def truth(self, port: int) -> dict[str, SiteTruth]:
        """Truth with absolute URLs for sites served on `port`."""
        out: dict[str, SiteTruth] = {}
        for s in self.sites:
            t = self.truth_paths[s.kommunenummer]
            base = f"http://{s.host}:{port}"
            out[s.kommunenummer] = SiteTruth(
                kommunenummer=s.kommunenummer,
                name=s.name,
                country=s.country,
                language=s.language,
                cms=s.cms,
                scenarios=tuple(s.scenarios),
                status=t.status,
                plan_url=base + t.plan_path if t.plan_path else None,
                plan_urls_accepted=tuple(base + p for p in t.accepted_paths),
                click_depth=t.click_depth,
                found_via=t.found_via,
            )
        return out

    def accepts(self, kommunenummer: str, url: str) -> bool:
        """Whether `url` (any host form, session ids and tracking parameters allowed) is the truth plan."""
        t = self.truth_paths[kommunenummer]
        site = next(s for s in self.sites if s.kommunenummer == kommunenummer)
        parts = urlsplit(url)
        if parts.hostname and parts.hostname != site.host:
            return False
        target = parts.path + ("?" + parts.query if parts.query else "")
        # "/a,b" and "/a%2Cb" are one resource: a crawler may export either form
        return unquote(canonical_target(target)) in {unquote(p) for p in t.accepted_paths}
