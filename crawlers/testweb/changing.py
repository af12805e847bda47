"""A kommune site that changes between checks, for testing change detection over time.

`ChangingSite` serves a small site (front page, a plans page listing documents, an "about" page, site search)
whose content a test edits while it is served: publish a document, unlink it, make its URL answer something else
(404/410, a 503, a reply slower than the crawler's timeout, a soft 404, a 301 elsewhere or to the front page, a
challenge page), replace its bytes, take the front page down, or rename every URL at once (a CMS migration).
Pages are rendered on each request from the current state, so an edit shows at the next request.

The reply builders below (`gone`, `unavailable`, `slow`, `soft_404`, `challenge`) are what real kommune sites
answer in those situations.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from crawlers.testweb import pages
from crawlers.testweb.documents import PDF_TYPE
from crawlers.testweb.pages import Look
from crawlers.testweb.plantexts import Lang
from crawlers.testweb.server import NOT_FOUND_HTML, Reply, Request, Route, Site, redirect

CHALLENGE_HTML = (
    "<!DOCTYPE html><html><head><title>Just a moment...</title></head>"
    '<body><div id="cf-challenge">Checking your browser before accessing the site.</div>'
    '<script src="/cdn-cgi/challenge-platform/h/b/orchestrate/jsch/v1"></script></body></html>'
)


def gone(status: int = 404) -> Reply:
    """The document is gone: 404 with the CMS's "Siden finnes ikke" page, or 410."""
    return Reply(status=status, body=NOT_FOUND_HTML)


def unavailable(status: int = 503) -> Reply:
    """A server error (maintenance, overload): says nothing about the document."""
    return Reply(status=status, body="<h1>Tjenesten er midlertidig utilgjengelig</h1>", headers={"Retry-After": "0"})


def slow(seconds: float, status: int = 200, body: bytes | str = b"", content_type: str = PDF_TYPE) -> Reply:
    """A reply that comes after `seconds` (longer than the crawler's timeout: a timeout)."""
    return Reply(status=status, body=body, content_type=content_type, delay=seconds)


def soft_404(lang: Lang = "nb") -> Reply:
    """A 200 answer that is really a "page not found" page (a soft 404)."""
    title = {"nb": "Siden finnes ikke", "nn": "Sida finst ikkje", "da": "Siden blev ikke fundet"}[lang]
    body = f"<!DOCTYPE html><html><head><title>{title}</title></head><body><h1>{title}</h1></body></html>"
    return Reply(status=200, body=body)


def challenge(status: int = 403) -> Reply:
    """A bot-protection interstitial (Cloudflare style) instead of the page asked for."""
    return Reply(status=status, body=CHALLENGE_HTML, headers={"cf-mitigated": "challenge"})


@dataclass
class _Listed:
    title: str
    path: str
    size: int


class ChangingSite:
    """One small kommune site on a loopback host whose documents and answers a test changes between checks."""

    def __init__(self, host: str, name: str, *, lang: Lang = "nb", plans_path: str = "/planer") -> None:
        self.name = name
        self.lang = lang
        self.plans_path = plans_path
        self.site = Site(host, name=name)
        self._lock = threading.Lock()
        self._listed: list[_Listed] = []
        self._front_override: Reply | None = None
        self._serve_pages()

    @property
    def host(self) -> str:
        return self.site.host

    # -- the pages -------------------------------------------------------------------------------------------

    def _look(self) -> Look:
        w = pages.words(self.lang)
        plans_title = "Planer og strategier" if self.lang != "da" else "Planer og politikker"
        return Look(
            kommune=self.name,
            lang=self.lang,
            menu=((plans_title, self.plans_path), (w["contact"], "/om")),
            search_action="/soeg" if self.lang == "da" else "/sok",
            footer=((w["contact"], "/om"), (w["home"], "/")),
        )

    def _serve_pages(self) -> None:
        look = self._look()
        self.site.set("/", self._front)
        self.site.set(self.plans_path, self._plans)
        self.site.set("/om", Reply(body=pages.layout(look, "Om kommunen", pages.paragraphs([f"{self.name}."]))))
        self.site.set(look.search_action, self._search)
        self.site.set("/robots.txt", Reply(body="User-agent: *\nDisallow: /admin/\n", content_type="text/plain"))

    def _front(self, request: Request) -> Reply:
        with self._lock:
            override = self._front_override
        if override is not None:
            return override
        look = self._look()
        news = pages.link_list([("Velkommen til kommunens nye nettsider", "/om")])
        return Reply(body=pages.layout(look, pages.words(self.lang)["home"], f"<section>{news}</section>"))

    def _plans(self, request: Request) -> Reply:
        look = self._look()
        with self._lock:
            listed = [(d.title, d.path, f"PDF, {d.size // 1024 + 1} kB") for d in self._listed]
        content = pages.paragraphs([f"{self.name}: planer og strategier."]) + pages.document_list(listed)
        return Reply(body=pages.layout(look, look.menu[0][0], content, ((pages.words(self.lang)["home"], "/"),)))

    def _search(self, request: Request) -> Reply:
        return Reply(body=pages.search_results(self._look(), " ".join(request.query.get("q", [""])), []))

    # -- edits -----------------------------------------------------------------------------------------------

    def publish(self, path: str, body: bytes, title: str, *, content_type: str = PDF_TYPE, linked: bool = True) -> str:
        """Serve `body` at `path` (replacing what was there) and, if `linked`, list it on the plans page."""
        self.site.set(path, Reply(body=body, content_type=content_type))
        with self._lock:
            self._listed = [d for d in self._listed if d.path != path]
            if linked:
                self._listed.append(_Listed(title, path, len(body)))
        return path

    def unlink(self, path: str) -> None:
        """Take the document's link off the plans page; its URL still answers as before."""
        with self._lock:
            self._listed = [d for d in self._listed if d.path != path]

    def answer(self, path: str, route: Route) -> None:
        """Make `path` answer something else (a status, a slow reply, a redirect ...); its link stays."""
        self.site.set(path, route)

    def redirect(self, path: str, to: str, status: int = 301) -> None:
        """`path` redirects to `to` (another document, or "/" for the front page); its link stays."""
        self.site.set(path, redirect(to, status))

    def front_answers(self, reply: Reply | None) -> None:
        """The front page answers `reply` (503, 429, 403, a slow reply ...); None serves it normally again."""
        with self._lock:
            self._front_override = reply

    def rename_all(self, rename: Callable[[str], str], *, old_answers: Callable[[str], Reply] | None = None) -> None:
        """A CMS migration: every document and the plans page get new URLs; the old ones 404 by default
        (`old_answers(new_path)` gives them something else, e.g. a 301 to the new URL)."""
        with self._lock:
            listed = list(self._listed)
        old_plans = self.plans_path
        self.plans_path = rename(old_plans)
        self.site.remove(old_plans)
        self._serve_pages()
        renamed: list[_Listed] = []
        for doc in listed:
            route = self.site.get(doc.path)
            new_path = rename(doc.path)
            if route is not None:
                self.site.set(new_path, route)
            if old_answers is None:
                self.site.remove(doc.path)
            else:
                self.site.set(doc.path, old_answers(new_path))
            renamed.append(_Listed(doc.title, new_path, doc.size))
        with self._lock:
            self._listed = renamed
