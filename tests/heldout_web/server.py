"""Serving a `HeldoutWeb`: one ThreadingHTTPServer per site on its own loopback address (127.88.S.N).

All sites share one port (picked free for the first site, then reused). A site marked `refused` has no
server at all (connection refused); a site marked `503` answers 503 to everything. Requests are never
serialised by the server: every request runs in its own thread. Slow hosts delay about a third of their
responses by 1-2 s, JSON menu endpoints take 0.2-0.8 s; both times `slow_scale`.
"""

from __future__ import annotations

import contextlib
import csv
import gzip
import hashlib
import threading
import time
import zlib
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, quote, unquote, urlsplit
from xml.sax.saxutils import escape

from .graph import print_path
from .model import HeldoutWeb, RequestRecord, Site, SiteTruth, canonical_target
from .render import MENU_JS, Renderer

DOC_TYPES = {
    "pdf": "application/pdf",
    "pdf_scan": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
#: the answer's last bytes are written on their own, stamped just before (see RequestRecord.answered); small enough
#: to fit a loopback socket's buffer, so that write does not wait for the client
LAST_WRITE = 16 * 1024
LOGO = b'<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40"><rect width="120" height="40"/></svg>'


class _SiteServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64

    def __init__(self, addr: tuple[str, int], web: HeldoutWeb, site: Site, running: RunningWeb) -> None:
        self.web = web
        self.site = site
        self.running = running
        self.counter = 0
        self.counter_lock = threading.Lock()
        self.unquoted = {unquote(p): p for p in [*site.pages, *site.doc_paths, *site.redirects, *site.json]}
        super().__init__(addr, _Handler)


class _Handler(BaseHTTPRequestHandler):
    server: _SiteServer
    protocol_version = "HTTP/1.0"
    server_version = "Apache"
    sys_version = ""

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        return

    def do_HEAD(self) -> None:  # noqa: N802 - stdlib name
        self._handle(head=True)

    def do_GET(self) -> None:  # noqa: N802 - stdlib name
        self._handle(head=False)

    # ------------------------------------------------------------------
    def _handle(self, *, head: bool) -> None:
        started = time.monotonic()
        answered: float | None = None
        status = 500
        try:
            status, headers, body, delay = self._route()
            if delay > 0:
                time.sleep(delay)
            self.send_response(status)
            for k, v in headers.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            if head or not body:
                answered = time.monotonic()
                self.end_headers()
            else:
                self.end_headers()
                if len(body) > LAST_WRITE:
                    self.wfile.write(body[:-LAST_WRITE])
                answered = time.monotonic()  # the client cannot have the whole answer before this
                self.wfile.write(body[-LAST_WRITE:])
        except (BrokenPipeError, ConnectionResetError):
            pass
        finally:
            host, port = self.server.server_address[:2]
            self.server.running._log(
                RequestRecord(
                    host=str(host),
                    port=int(port),
                    method=self.command,
                    target=self.path,
                    user_agent=self.headers.get("User-Agent", ""),
                    started=started,
                    finished=(finished := time.monotonic()),
                    status=status,
                    answered=finished if answered is None else answered,
                )
            )

    def _sid(self) -> str:
        with self.server.counter_lock:
            self.server.counter += 1
            n = self.server.counter // 40
        return hashlib.sha1(f"{self.server.site.host}:{n}".encode()).hexdigest()[:20]

    def _delay(self, key: str) -> float:
        site, scale = self.server.site, self.server.running.slow_scale
        h = zlib.crc32(f"{site.host}{key}".encode())
        if key in site.json:
            return (0.2 + (h % 600) / 1000) * scale
        if site.slow and h % 3 == 0:
            return (1.0 + (h >> 8) % 1000 / 1000) * scale
        return 0.0

    def _route(self) -> tuple[int, dict[str, str], bytes, float]:  # noqa: C901, PLR0911 - a router
        site, web = self.server.site, self.server.web
        base = f"http://{site.host}:{self.server.server_address[1]}"
        html_t = {"Content-Type": "text/html; charset=utf-8"}
        r = Renderer(site, base, self._sid())
        if site.unreachable == "503":
            return 503, {**html_t, "Retry-After": "3600"}, r.unavailable().encode(), 0.0
        canon = canonical_target(self.path if self.path.startswith("/") else urlsplit(self.path).path)
        canon = self.server.unquoted.get(unquote(canon), canon)
        path, _, query = canon.partition("?")
        params = {k: v[0] for k, v in parse_qs(query, keep_blank_values=True).items()}
        delay = self._delay(canon)
        if canon == "/robots.txt":
            if not site.robots_txt:
                return 404, html_t, r.not_found().encode(), delay
            return (
                200,
                {"Content-Type": "text/plain; charset=utf-8"},
                site.robots_txt.replace("{base}", base).encode(),
                delay,
            )
        if path.startswith("/sitemap") and site.sitemap_style != "none":
            sm = self._sitemap(path, base)
            if sm is not None:
                return 200, sm[0], sm[1], delay
        if canon == "/assets/js/menu.js" and site.js_menu:
            return 200, {"Content-Type": "application/javascript"}, MENU_JS.encode(), delay
        if canon == "/assets/logo.svg":
            return 200, {"Content-Type": "image/svg+xml"}, LOGO, 0.0
        if canon in site.json:
            return 200, {"Content-Type": "application/json; charset=utf-8"}, site.json[canon], delay
        if canon in site.redirects:
            return 301, {"Location": base + site.redirects[canon]}, b"", delay
        if canon in site.doc_paths:
            doc = site.documents[site.doc_paths[canon]]
            data = web.document_bytes(site, doc.doc_id)
            if doc.octet:
                hdr = {
                    "Content-Type": "application/octet-stream",
                    "Content-Disposition": f'attachment; filename="{quote(doc.filename)}"; '
                    f"filename*=UTF-8''{quote(doc.filename)}",
                }
            else:
                hdr = {"Content-Type": DOC_TYPES[doc.fmt]}
            return 200, {**hdr, "Last-Modified": "Mon, 15 Jan 2024 10:00:00 GMT"}, data, delay
        if params.get("print") == "1":
            base_path = canon[: -len("print=1")].rstrip("?&")
            page = site.pages.get(base_path)
            if page is not None and page.printable and print_path(base_path) == canon:
                return 200, html_t, r.page(page, print_mode=True).encode(), delay
        if site.search_param in params and path == site.search_path:
            try:
                page_no = max(1, min(50, int(params.get("page", "1"))))
            except ValueError:
                page_no = 1
            return 200, html_t, r.search(params[site.search_param], page_no).encode(), delay
        if canon in site.pages:
            return 200, html_t, r.page(site.pages[canon]).encode(), delay
        if path == "/kalender" and site.calendar:
            return 200, html_t, r.calendar(params.get("month", "2025-11")).encode(), delay
        archive = {"da": "/nyheder"}.get(site.language, "/aktuelt") + (".html" if site.cms == "sitevision" else "")
        if path == archive and site.facets and set(params) & {"tema", "aar", "sortering"}:
            return 200, html_t, r.facets(archive, params).encode(), delay
        return 404, html_t, r.not_found().encode(), delay

    def _sitemap(self, path: str, base: str) -> tuple[dict[str, str], bytes] | None:
        site = self.server.site
        xml_t = {"Content-Type": "application/xml; charset=utf-8"}

        def urlset(paths: list[str]) -> bytes:
            body = "".join(f"<url><loc>{escape(base + p)}</loc><lastmod>2025-10-01</lastmod></url>" for p in paths)
            return (
                '<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/'
                f'sitemap/0.9">{body}</urlset>'
            ).encode()

        news = [p for p in site.sitemap_paths if p in site.pages and site.pages[p].kind == "news"]
        rest = [p for p in site.sitemap_paths if p not in news]
        if site.sitemap_style == "plain" and path == "/sitemap.xml":
            return xml_t, urlset(site.sitemap_paths)
        if site.sitemap_style == "index_gz":
            if path == "/sitemap.xml":
                body = "".join(
                    f"<sitemap><loc>{base}{p}</loc></sitemap>" for p in ("/sitemap-pages.xml.gz", "/sitemap-news.xml")
                )
                return xml_t, (
                    '<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/'
                    f'schemas/sitemap/0.9">{body}</sitemapindex>'
                ).encode()
            if path == "/sitemap-pages.xml.gz":
                return {"Content-Type": "application/gzip"}, gzip.compress(urlset(rest), mtime=0)
            if path == "/sitemap-news.xml":
                return xml_t, urlset(news)
        return None


class RunningWeb:
    """A served web: registry CSV, request log and truth with absolute URLs."""

    def __init__(self, web: HeldoutWeb, slow_scale: float) -> None:
        self.web = web
        self.slow_scale = slow_scale
        self.port = 0
        self._servers: list[_SiteServer] = []
        self._threads: list[threading.Thread] = []
        self._log_lock = threading.Lock()
        self._records: list[RequestRecord] = []
        self.truth: dict[str, SiteTruth] = {}

    def _log(self, rec: RequestRecord) -> None:
        with self._log_lock:
            self._records.append(rec)

    def request_log(self) -> list[RequestRecord]:
        with self._log_lock:
            return list(self._records)

    def base_url(self, site: Site) -> str:
        return f"http://{site.host}:{self.port}/"

    def registry_csv(self, path: str | Path) -> Path:
        p = Path(path)
        with p.open("w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(["kommunenummer", "name", "country", "website"])
            for s in self.web.sites:
                w.writerow([s.kommunenummer, s.name, s.country, self.base_url(s)])
        return p

    def start(self) -> None:
        live = [s for s in self.web.sites if s.unreachable != "refused"]
        for _attempt in range(20):
            port = 0
            servers: list[_SiteServer] = []
            try:
                for s in live:
                    srv = _SiteServer((s.host, port), self.web, s, self)
                    port = srv.server_address[1]
                    servers.append(srv)
            except OSError:
                for srv in servers:
                    srv.server_close()
                continue
            self._servers = servers
            self.port = port if live else 0
            break
        else:
            raise RuntimeError("could not bind the held-out web")
        for srv in self._servers:
            t = threading.Thread(
                target=srv.serve_forever, kwargs={"poll_interval": 0.05}, name=f"heldout-{srv.site.host}", daemon=True
            )
            t.start()
            self._threads.append(t)
        self.truth = self.web.truth(self.port)

    def stop(self) -> None:
        for srv in self._servers:
            srv.shutdown()
        for srv in self._servers:
            srv.server_close()
        for t in self._threads:
            t.join(timeout=5)
        self._servers, self._threads = [], []


@contextlib.contextmanager
def serve(web: HeldoutWeb, *, slow_scale: float = 1.0) -> Iterator[RunningWeb]:
    """Serve every site of `web` until the block exits."""
    running = RunningWeb(web, slow_scale)
    running.start()
    try:
        yield running
    finally:
        running.stop()
