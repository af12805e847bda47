"""Assemble one kommune site of the test web: a page tree, documents, robots.txt, sitemaps and site search.

A scenario says what goes where (`add_page`, `add_document`, `front`); `build()` turns that into a `Site` whose
routes render every page in the site's look, with breadcrumbs and child lists, a robots.txt, optional sitemaps
(plain or an index with child sitemaps) and a working search at the look's search action. Sitemaps and robots
name absolute URLs, taken from the request's Host header because the port is only known once serving.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from html import escape
from typing import Literal

from crawlers.testweb import pages
from crawlers.testweb.pages import Link, Look
from crawlers.testweb.server import Reply, Request, Route, Site

SitemapMode = Literal["plain", "index", "none"]
CSS = "body{font-family:sans-serif;max-width:60rem;margin:auto}nav ul,footer ul{list-style:none;display:flex;gap:1rem}"


@dataclass
class _Page:
    path: str
    title: str
    content: str
    parent: str | None
    in_sitemap: bool
    searchable: bool
    script: str = ""
    list_children: bool = True
    children: list[str] = field(default_factory=list)


@dataclass
class _Document:
    path: str
    body: bytes
    content_type: str
    title: str
    searchable: bool
    in_sitemap: bool


class SiteBuilder:
    """Collects one site's pages and documents, then builds its `Site`."""

    def __init__(self, host: str, look: Look, name: str = "", delay: float = 0.0) -> None:
        self.host = host
        self.look = look
        self.name = name or look.kommune
        self.delay = delay
        self.front_path = "/"
        self.robots_extra = ""
        self.sitemap: SitemapMode = "plain"
        self.sitemap_extra_docs: list[str] = []  # document paths listed only in the documents sitemap
        self._pages: dict[str, _Page] = {}
        self._documents: dict[str, _Document] = {}
        self._routes: dict[str, Route] = {}
        self._front_blocks: list[str] = []
        self._front_script = ""

    # --- content --------------------------------------------------------------------------------------------

    def add_page(
        self,
        path: str,
        title: str,
        content: str = "",
        *,
        parent: str | None = None,
        in_sitemap: bool = True,
        searchable: bool = True,
        script: str = "",
        list_children: bool = True,
    ) -> str:
        """Add an HTML page; `parent` makes it a child listed on the parent page (and sets breadcrumbs)."""
        if path in self._pages or path in self._documents:
            raise ValueError(f"{self.host}: {path} added twice")
        self._pages[path] = _Page(path, title, content, parent, in_sitemap, searchable, script, list_children)
        if parent is not None:
            self._pages[parent].children.append(path)
        return path

    def has_page(self, path: str) -> bool:
        return path in self._pages

    def add_document(
        self,
        path: str,
        body: bytes,
        content_type: str,
        title: str,
        *,
        searchable: bool = False,
        in_sitemap: bool = False,
    ) -> str:
        if path in self._pages or path in self._documents:
            raise ValueError(f"{self.host}: {path} added twice")
        self._documents[path] = _Document(path, body, content_type, title, searchable, in_sitemap)
        return path

    def add_route(self, path: str, route: Route) -> None:
        """A raw route (redirects, calendars, JSON): served as given, only the site delay is added."""
        self._routes[path] = route

    def front(self, block_html: str) -> None:
        """Append a block of HTML to the front page (news lists, shortcuts, links)."""
        self._front_blocks.append(block_html)

    def front_script(self, script: str) -> None:
        self._front_script = script

    # --- build ----------------------------------------------------------------------------------------------

    def build(self) -> Site:
        routes: dict[str, Route] = {}
        for page in self._pages.values():
            routes[page.path] = Reply(body=self._render(page))
        for doc in self._documents.values():
            routes[doc.path] = Reply(body=doc.body, content_type=doc.content_type)
        routes[self.front_path] = Reply(body=self._render_front())
        routes["/kunde/css/site.css"] = Reply(body=CSS, content_type="text/css")
        routes["/dist/css/main.css"] = Reply(body=CSS, content_type="text/css")
        routes["/robots.txt"] = self._robots
        if self.sitemap != "none":
            routes["/sitemap.xml"] = self._sitemap_main
            if self.sitemap == "index":
                routes["/sitemap-pages.xml"] = self._sitemap_pages
                routes["/sitemap-documents.xml"] = self._sitemap_documents
        routes[self.look.search_action] = self._search
        routes.update(self._routes)
        if self.delay > 0:
            routes = {path: _delayed(route, self.delay) for path, route in routes.items()}
        return Site(self.host, routes, name=self.name)

    def _breadcrumbs(self, page: _Page) -> list[Link]:
        chain: list[Link] = []
        parent = page.parent
        while parent is not None:
            p = self._pages[parent]
            chain.append((p.title, p.path))
            parent = p.parent
        chain.append((pages.words(self.look.lang)["home"], "/"))
        return list(reversed(chain))

    def _render(self, page: _Page) -> str:
        content = page.content
        if page.list_children and page.children:
            content += pages.link_list([(self._pages[c].title, c) for c in page.children], css="child-pages")
        return pages.layout(self.look, page.title, content, self._breadcrumbs(page), page.script + self._menu_js())

    def _render_front(self) -> str:
        content = "\n".join(self._front_blocks)
        script = self._front_script + self._menu_js()
        return pages.layout(self.look, pages.words(self.look.lang)["home"], content, (), script)

    def _menu_js(self) -> str:
        return pages.js_menu_script(self.look) if self.look.js_menu else ""

    def _robots(self, request: Request) -> Reply:
        lines = ["User-agent: *", "Disallow: /admin/"]
        if self.robots_extra:
            lines.append(self.robots_extra.strip())
        if self.sitemap != "none":
            lines.append(f"Sitemap: {_base(request)}/sitemap.xml")
        return Reply(body="\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")

    def _urlset(self, base: str, paths: Sequence[str]) -> Reply:
        lastmod = date(2025, 10, 1).isoformat()
        items = "".join(f"<url><loc>{escape(base + p)}</loc><lastmod>{lastmod}</lastmod></url>" for p in paths)
        body = (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{items}</urlset>\n'
        )
        return Reply(body=body, content_type="application/xml; charset=utf-8")

    def _page_paths(self) -> list[str]:
        return ["/", *(p.path for p in self._pages.values() if p.in_sitemap)]

    def _doc_paths(self) -> list[str]:
        listed = [d.path for d in self._documents.values() if d.in_sitemap]
        return listed + [p for p in self.sitemap_extra_docs if p not in listed]

    def _sitemap_main(self, request: Request) -> Reply:
        base = _base(request)
        if self.sitemap == "plain":
            return self._urlset(base, self._page_paths() + self._doc_paths())
        children = "".join(
            f"<sitemap><loc>{base}{p}</loc></sitemap>" for p in ("/sitemap-pages.xml", "/sitemap-documents.xml")
        )
        body = (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{children}</sitemapindex>\n'
        )
        return Reply(body=body, content_type="application/xml; charset=utf-8")

    def _sitemap_pages(self, request: Request) -> Reply:
        return self._urlset(_base(request), self._page_paths())

    def _sitemap_documents(self, request: Request) -> Reply:
        return self._urlset(_base(request), self._doc_paths())

    def _search(self, request: Request) -> Reply:
        """Titles matching any query word (3+ letters, case-insensitive) of searchable pages and documents."""
        query = " ".join(request.query.get("q", [""])).strip()
        terms = [t for t in query.casefold().split() if len(t) >= 3]
        hits: list[tuple[str, str, str]] = []
        if terms:
            for page in self._pages.values():
                if page.searchable and any(t in page.title.casefold() for t in terms):
                    hits.append((page.title, page.path, pages.words(self.look.lang)["updated"] + " 01.10.2025"))
            for doc in self._documents.values():
                if doc.searchable and any(t in doc.title.casefold() for t in terms):
                    kind = "PDF" if doc.path.endswith(".pdf") else "Dokument"
                    hits.append((doc.title, doc.path, f"{kind}, {len(doc.body) // 1024 + 1} kB"))
        return Reply(body=pages.search_results(self.look, query, hits))


def _base(request: Request) -> str:
    return f"http://{request.headers.get('Host') or request.host}"


def _delayed(route: Route, delay: float) -> Route:
    if isinstance(route, Reply):
        return Reply(route.status, route.body, route.content_type, dict(route.headers), delay)

    def slow(request: Request, inner: Callable[[Request], Reply] = route) -> Reply:
        reply = inner(request)
        return Reply(reply.status, reply.body, reply.content_type, dict(reply.headers), delay)

    return slow
