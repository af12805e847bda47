"""The synthetic kommune web: one site per discovery scenario, each with the finding the pipeline should export.

`build_demo_web()` gives the seventeen scenarios of the brief (menu, deep, sitemap_only, search_only, javascript,
general_only, no_plan, expired, robots, down, slow, redirects, calendar_trap, broken_pdf, html_plan, docx_plan,
scanned); `build_large_web()` mixes them over many hosts for benchmarks. Plan periods are relative to `today`, so a
"current" plan stays current whenever the suite runs (in 2026: 2024–2027, 2025–2028 ...).

Conventions every scenario keeps, so the expected row is unambiguous:
- pages on the path to a plan, and plan documents, are left out of sitemaps and site search, except where the
  scenario is about them (sitemap_only, search_only); ordinary pages are in both;
- click depth counts links from the front page (depth 0) to the document, through the shortest static path
  (rendered links for `javascript`);
- `plan_path` is the final URL path of the plan (after redirects); `alternate_paths` lists other paths that
  reach the same bytes.

Accessibility variety: plan PDFs are untagged and declare neither language nor title, except `menu`'s, which
declares both; `general_only` links its plan only as "Last ned"; `scanned` has no text layer at all; `docx_plan`
needs Word.
"""

from __future__ import annotations

import csv
import hashlib
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from types import TracebackType

from crawlers.testweb import fillers, pages
from crawlers.testweb.documents import (
    DOCX_TYPE,
    PDF_TYPE,
    broken_pdf_bytes,
    docx_bytes,
    pdf_bytes,
    scanned_pdf_bytes,
)
from crawlers.testweb.pages import Link, Look
from crawlers.testweb.plantexts import (
    DocText,
    Lang,
    abuse_plan,
    budget,
    council_minutes,
    general_violence_plan,
    short_plan,
)
from crawlers.testweb.server import LoggedRequest, MultiHostServer, Reply, Request, Site, redirect
from crawlers.testweb.sitebuilder import SiteBuilder


@dataclass(frozen=True)
class ExpectedFinding:
    """The export row the crawler + classifier should produce for one demo kommune."""

    status: str  # abuse_specific_plan | general_violence_plan_only | no_plan_found | site_unreachable
    plan_category: str = ""  # abuse_specific | general_violence | ""
    plan_format: str = ""  # pdf | html | docx | ""
    found_via: str = ""  # link | rendered | site_search | sitemap | ""
    click_depth: int | None = None
    plan_current: str = ""  # "true" | "false" | ""
    text_source: str = ""  # text_layer | html | ocr | ""
    plan_path: str = ""
    plan_title: str = ""
    alternate_paths: tuple[str, ...] = ()
    #: paths that must never be requested (robots.txt disallows them)
    never_fetch: tuple[str, ...] = ()
    #: documents that are broken on purpose: expected as recorded errors, never as a crash
    error_paths: tuple[str, ...] = ()


@dataclass
class DemoKommune:
    kommunenummer: str
    name: str
    country: str  # "NO" | "DK"
    scenario: str
    expected: ExpectedFinding
    host: str
    site: Site | None  # None: nothing listens at `host` (the `down` scenario)
    website: str = ""  # base URL, set when the web starts
    region_code: str = ""  # a real fylke/region, so the demo's map and region tables have places
    region: str = ""


class DemoWeb:
    """The demo sites plus their expected outcomes; a context manager that serves them."""

    def __init__(self, kommuner: list[DemoKommune], port: int = 0) -> None:
        self.kommuner = kommuner
        self.server = MultiHostServer([k.site for k in kommuner if k.site is not None], port=port)

    def start(self) -> None:
        self.server.start()
        for k in self.kommuner:
            k.website = f"http://{k.host}:{self.server.port}" if k.site is None else self.server.base_url(k.host)

    def stop(self) -> None:
        self.server.stop()

    def __enter__(self) -> DemoWeb:
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    @property
    def request_log(self) -> list[LoggedRequest]:
        return self.server.request_log

    def kommune(self, key: str) -> DemoKommune:
        """Look a kommune up by scenario slug or kommunenummer."""
        for k in self.kommuner:
            if key in (k.scenario, k.kommunenummer):
                return k
        raise KeyError(key)

    def write_registry(self, path: str | Path) -> Path:
        """Write `kommunenummer,name,country,website,region_code,region` for every kommune (start the web first)."""
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(["kommunenummer", "name", "country", "website", "region_code", "region"])
            for k in self.kommuner:
                writer.writerow([k.kommunenummer, k.name, k.country, k.website, k.region_code, k.region])
        return target


# --- building blocks ------------------------------------------------------------------------------------------


@dataclass
class _Ctx:
    host: str
    lang: Lang
    name: str
    rng: random.Random
    year: int
    today: date
    ordinary: int
    delay: float = 0.0
    #: the kommune name written into documents; the large web shares one per scenario so bytes are cached
    doc_name: str = ""
    extra_menu: list[Link] = field(default_factory=list)
    js_menu: bool = False

    @property
    def docs(self) -> str:
        return self.doc_name or self.name


_Built = tuple[SiteBuilder | None, ExpectedFinding]


def _doc_path(ctx: _Ctx, title: str, ext: str = "pdf") -> str:
    """ACOS-style file URL for NO (`/_f/p1/i<hex>/name.pdf`), Umbraco-style `/media/<n>/name.pdf` for DK."""
    digest = hashlib.sha256(f"{ctx.host}{title}".encode()).hexdigest()
    name = pages.slug(title, ctx.lang)
    if ctx.lang == "da":
        return f"/media/{int(digest[:6], 16) % 9000 + 1000}/{name}.{ext}"
    return f"/_f/p1/i{digest[:32]}/{name}.{ext}"


def _note(body: bytes, kind: str = "PDF") -> str:
    return f"{kind}, {len(body) // 1024 + 1} kB"


def _current(start: int, end: int, year: int) -> str:
    return "true" if start <= year <= end else "false"


def _base(ctx: _Ctx) -> SiteBuilder:
    """The standard site: four sections, ordinary pages, news and shortcuts on the front page."""
    section_links = [(title, f"/{seg}") for title, seg in fillers.sections(ctx.lang)]
    w = pages.words(ctx.lang)
    look = Look(
        kommune=ctx.name,
        lang=ctx.lang,
        menu=tuple(section_links + ctx.extra_menu),
        search_action="/soeg" if ctx.lang == "da" else "/sok",
        footer=((w["contact"], "/om"), (w["home"], "/")),
        js_menu=ctx.js_menu,
    )
    builder = SiteBuilder(ctx.host, look, delay=ctx.delay)
    intro = pages.paragraphs([f"{ctx.name}: {w['documents'].lower()}, {w['news'].lower()}."])
    for title, path in section_links:
        builder.add_page(path, title, intro)
    ordinary = fillers.ordinary_pages(ctx.rng, ctx.lang, ctx.ordinary)
    for page in ordinary:
        builder.add_page(page.path, page.title, pages.paragraphs(page.text), parent=section_links[page.section][1])
    news = [(p.title, p.path) for p in ordinary if p.section == 2][:4]
    shortcuts = [(p.title, p.path) for p in ordinary if p.section == 0][:4]
    if not ctx.js_menu:
        builder.front(f'<section class="news"><h2>{w["news"]}</h2>{pages.link_list(news)}</section>')
        builder.front(f'<section class="shortcuts"><h2>{w["shortcuts"]}</h2>{pages.link_list(shortcuts)}</section>')
    return builder


def _pdf(builder: SiteBuilder, ctx: _Ctx, doc: DocText, declare: bool = False, **kw: bool) -> tuple[str, bytes]:
    body = pdf_bytes(doc, declare=declare)
    path = builder.add_document(_doc_path(ctx, doc.title), body, PDF_TYPE, doc.title, **kw)
    return path, body


def _plans_page(
    builder: SiteBuilder,
    ctx: _Ctx,
    path: str,
    title: str,
    docs: list[DocText],
    parent: str | None = None,
    *,
    declare_first: bool = False,
    download_label: str = "",
) -> str:
    """A page listing plan PDFs (the wanted one among ordinary plans); returns the path of the first document.

    `declare_first` gives the first PDF a declared language and title; `download_label` links every document
    by that vague text ("Last ned") instead of by its title.
    """
    listed: list[tuple[str, str, str]] = []
    for index, doc in enumerate(docs):
        doc_path, body = _pdf(builder, ctx, doc, declare=declare_first and index == 0)
        listed.append((doc.title, doc_path, _note(body)))
    intro = pages.paragraphs([f"{ctx.name}: {title}."])
    listing = pages.download_list(listed, download_label) if download_label else pages.document_list(listed)
    content = intro + listing
    builder.add_page(path, title, content, parent=parent, in_sitemap=False, searchable=False)
    return listed[0][1]


def _distractors(ctx: _Ctx, n: int = 2) -> list[DocText]:
    titles = {
        "nb": ["Trafikksikkerhetsplan", "Plan for psykisk helse og rus", "Kulturplan"],
        "nn": ["Trafikktryggleiksplan", "Plan for psykisk helse og rus", "Kulturplan"],
        "da": ["Trafiksikkerhedsplan", "Sundhedspolitik", "Kulturpolitik"],
    }[ctx.lang]
    return [short_plan(ctx.lang, ctx.docs, t, ctx.year - 1, ctx.year + 3) for t in titles[:n]]


def _found(doc: DocText, path: str, start: int, end: int, year: int, **kw: object) -> ExpectedFinding:
    general = "vold i nære" in doc.title.lower()
    defaults: dict[str, object] = {
        "status": "general_violence_plan_only" if general else "abuse_specific_plan",
        "plan_category": "general_violence" if general else "abuse_specific",
        "plan_format": "pdf",
        "found_via": "link",
        "plan_current": _current(start, end, year),
        "text_source": "text_layer",
        "plan_path": path,
        "plan_title": doc.title,
    }
    defaults.update(kw)
    return ExpectedFinding(**defaults)  # type: ignore[arg-type]


# --- the scenarios ----------------------------------------------------------------------------------------------


def _menu(ctx: _Ctx) -> _Built:
    ctx.extra_menu.append(("Planer og styringsdokumenter", "/planer-og-styringsdokumenter"))
    b = _base(ctx)
    s, e = ctx.year - 2, ctx.year + 1
    doc = abuse_plan("nb", ctx.docs, s, e)
    path = _plans_page(
        b,
        ctx,
        "/planer-og-styringsdokumenter",
        "Planer og styringsdokumenter",
        [doc, *_distractors(ctx)],
        declare_first=True,
    )
    return b, _found(doc, path, s, e, ctx.year, click_depth=2)


def _deep(ctx: _Ctx) -> _Built:
    b = _base(ctx)
    chain = [
        ("Helse", "/tenester/helse"),
        ("Barn og unge", "/tenester/helse/barn-og-unge"),
    ]
    parent = "/tenester"
    for title, path in chain:
        text = pages.paragraphs([f"Informasjon om {title.lower()} i {ctx.name} kommune."])
        b.add_page(path, title, text, parent=parent, in_sitemap=False, searchable=False)
        parent = path
    s, e = ctx.year - 1, ctx.year + 2
    doc = abuse_plan("nn", ctx.docs, s, e)
    # Tenester (1) > Helse (2) > Barn og unge (3) > Vald og overgrep (4) > the PDF (5)
    path = _plans_page(b, ctx, parent + "/vald-og-overgrep", "Vald og overgrep", [doc], parent=parent)
    return b, _found(doc, path, s, e, ctx.year, click_depth=5)


def _sitemap_only(ctx: _Ctx) -> _Built:
    b = _base(ctx)
    b.sitemap = "index"
    s, e = ctx.year - 1, ctx.year + 2
    doc = abuse_plan("da", ctx.docs, s, e)
    path, _ = _pdf(b, ctx, doc, in_sitemap=True)
    _plans_page(b, ctx, "/politik/planer-og-strategier", "Planer og strategier", _distractors(ctx), parent="/politik")
    return b, _found(doc, path, s, e, ctx.year, found_via="sitemap", click_depth=None)


def _search_only(ctx: _Ctx) -> _Built:
    b = _base(ctx)
    s, e = ctx.year - 1, ctx.year + 2
    doc = abuse_plan("nb", ctx.docs, s, e)
    path, _ = _pdf(b, ctx, doc, searchable=True)
    _plans_page(b, ctx, "/politikk/planer", "Planer", _distractors(ctx), parent="/politikk")
    return b, _found(doc, path, s, e, ctx.year, found_via="site_search", click_depth=None)


def _javascript(ctx: _Ctx) -> _Built:
    ctx.js_menu = True
    ctx.extra_menu.append(("Planer og strategier", "/planer-og-strategier"))
    b = _base(ctx)
    s, e = ctx.year - 2, ctx.year + 1
    doc = abuse_plan("da", ctx.docs, s, e)
    links: list[Link] = []
    for d in [doc, *_distractors(ctx)]:
        doc_path, _ = _pdf(b, ctx, d)
        links.append((d.title, doc_path))
    content = pages.paragraphs(["Kommunens gældende planer og strategier."]) + '<ul id="dokumenter"></ul>'
    b.add_page(
        "/planer-og-strategier",
        "Planer og strategier",
        content,
        in_sitemap=False,
        searchable=False,
        script=pages.js_list_script("dokumenter", links),
    )
    b.front('<section class="intro"><p>Velkommen til kommunens hjemmeside.</p></section>')
    return b, _found(doc, links[0][1], s, e, ctx.year, found_via="rendered", click_depth=2)


def _general_only(ctx: _Ctx) -> _Built:
    b = _base(ctx)
    s, e = ctx.year - 3, ctx.year
    doc = general_violence_plan("nb", ctx.docs, s, e)
    page = "/tjenester/vold-i-naere-relasjoner"
    path = _plans_page(b, ctx, page, "Vold i nære relasjoner", [doc], parent="/tjenester", download_label="Last ned")
    b.front(pages.link_list([("Vold i nære relasjoner", page)], css="shortcuts-extra"))
    return b, _found(doc, path, s, e, ctx.year, click_depth=2)


def _no_plan(ctx: _Ctx) -> _Built:
    b = _base(ctx)
    bud = budget(ctx.docs, ctx.year)
    bud_path, bud_body = _pdf(b, ctx, bud)
    minutes = council_minutes(ctx.docs, ctx.year - 1)
    min_path, min_body = _pdf(b, ctx, minutes)
    b.add_page(
        "/politikk/budsjett-og-okonomiplan",
        "Budsjett og økonomiplan",
        pages.document_list([(bud.title, bud_path, _note(bud_body))]),
        parent="/politikk",
    )
    b.add_page(
        "/politikk/protokollar-kommunestyret",
        "Protokollar frå kommunestyret",
        pages.document_list([(minutes.title, min_path, _note(min_body))]),
        parent="/politikk",
    )
    return b, ExpectedFinding(status="no_plan_found")


def _expired(ctx: _Ctx) -> _Built:
    ctx.extra_menu.append(("Planer", "/planer"))
    b = _base(ctx)
    doc = abuse_plan("nb", ctx.docs, 2013, 2016)
    path = _plans_page(b, ctx, "/planer", "Planer", [doc, *_distractors(ctx, 1)])
    return b, _found(doc, path, 2013, 2016, ctx.year, click_depth=2)


def _robots(ctx: _Ctx) -> _Built:
    b = _base(ctx)
    b.robots_extra = "Crawl-delay: 0.2\nDisallow: /intern/"
    hidden = abuse_plan("da", ctx.docs, ctx.year - 1, ctx.year + 2)
    hidden_path = "/intern/" + pages.slug(hidden.title, "da") + ".pdf"
    b.add_document(hidden_path, pdf_bytes(hidden), PDF_TYPE, hidden.title)
    s, e = ctx.year - 2, ctx.year + 1
    doc = general_violence_plan("da", ctx.docs, s, e)
    page = "/borger/vold-i-naere-relationer"
    path = _plans_page(b, ctx, page, "Vold i nære relationer", [doc], parent="/borger")
    b.front(pages.link_list([(hidden.title, hidden_path), ("Vold i nære relationer", page)], css="genveje"))
    return b, _found(doc, path, s, e, ctx.year, click_depth=2, never_fetch=(hidden_path,))


def _slow(ctx: _Ctx) -> _Built:
    ctx.delay = 0.8
    ctx.extra_menu.append(("Planer og strategier", "/planer-og-strategier"))
    b = _base(ctx)
    b.sitemap = "none"
    s, e = ctx.year - 2, ctx.year + 1
    doc = abuse_plan("nb", ctx.docs, s, e)
    path = _plans_page(b, ctx, "/planer-og-strategier", "Planer og strategier", [doc])
    return b, _found(doc, path, s, e, ctx.year, click_depth=2)


def _redirects(ctx: _Ctx) -> _Built:
    ctx.extra_menu.append(("Planverk", "/planverk"))
    b = _base(ctx)
    b.front_path = "/forside"
    b.add_route("/", redirect("/forside"))
    s, e = ctx.year - 1, ctx.year + 2
    doc = abuse_plan("nb", ctx.docs, s, e)
    new_path, body = _pdf(b, ctx, doc)
    old_path = "/dokumenter/handlingsplan-overgrep.pdf"
    b.add_route(old_path, redirect(new_path))
    b.add_page(
        "/planverk",
        "Planverk",
        pages.document_list([(doc.title, old_path, _note(body))]),
        in_sitemap=False,
        searchable=False,
    )
    return b, _found(doc, new_path, s, e, ctx.year, click_depth=2, alternate_paths=(old_path,))


def _calendar_trap(ctx: _Ctx) -> _Built:
    b = _base(ctx)
    b.sitemap = "none"
    look = b.look

    def calendar(request: Request) -> Reply:
        raw = (request.query.get("dato") or [ctx.today.isoformat()])[0]
        try:
            day = date.fromisoformat(raw)
        except ValueError:
            return Reply(status=400, body="<h1>Ugyldig dato</h1>")
        session = hashlib.sha1(raw.encode()).hexdigest()[:16].upper()
        return Reply(body=pages.calendar_html(look, day, session))

    def event(request: Request) -> Reply:
        day = (request.query.get("dato") or [ctx.today.isoformat()])[0]
        back = pages.link_list([("Kalender", f"/kalender?dato={day}&sid={request.query.get('id', ['0'])[0]}")])
        return Reply(body=pages.layout(look, f"Arrangement {day}", "<p>Open for alle.</p>" + back))

    b.add_route("/kalender", calendar)
    b.add_route("/kalender/arrangement", event)
    today = ctx.today.isoformat()
    b.front(
        '<section class="calendar-teaser"><h2>Kva skjer?</h2>'
        + pages.link_list(
            [
                ("Kalender", f"/kalender?dato={today}"),
                ("Arrangement i dag", f"/kalender;jsessionid=0A1B2C3D4E5F?dato={today}"),
            ]
        )
        + "</section>"
    )
    s, e = ctx.year - 2, ctx.year + 1
    doc = abuse_plan("nn", ctx.docs, s, e)
    path = _plans_page(
        b, ctx, "/tenester/oppvekst-og-skule", "Oppvekst og skule", [doc, *_distractors(ctx, 1)], parent="/tenester"
    )
    return b, _found(doc, path, s, e, ctx.year, click_depth=3)


def _broken_pdf(ctx: _Ctx) -> _Built:
    b = _base(ctx)
    broken_title = "Handlingsplan mod seksuelle overgreb mod børn"
    broken_path = b.add_document(
        "/media/4711/handlingsplan-mod-seksuelle-overgreb.pdf", broken_pdf_bytes(ctx.year), PDF_TYPE, broken_title
    )
    b.add_page(
        "/politik/planer-og-politikker",
        "Planer og politikker",
        pages.document_list([(broken_title, broken_path, "PDF, 6 kB")]),
        parent="/politik",
        in_sitemap=False,
        searchable=False,
    )
    s, e = ctx.year - 1, ctx.year + 2
    doc = abuse_plan("da", ctx.docs, s, e)
    path = _plans_page(b, ctx, "/borger/boern-og-unge", "Børn og unge", [doc], parent="/borger")
    return b, _found(doc, path, s, e, ctx.year, click_depth=3, error_paths=(broken_path,))


def _html_plan(ctx: _Ctx) -> _Built:
    b = _base(ctx)
    s, e = ctx.year - 2, ctx.year + 2
    doc = abuse_plan("nb", ctx.docs, s, e, title=f"Handlingsplan mot seksuelle overgrep mot barn og unge {s}–{e}")
    path = "/tjenester/" + pages.slug(doc.title, "nb")
    b.add_page(path, doc.title, pages.article_html(doc), parent="/tjenester", in_sitemap=False, searchable=False)
    return b, _found(doc, path, s, e, ctx.year, click_depth=2, plan_format="html", text_source="html")


def _docx_plan(ctx: _Ctx) -> _Built:
    ctx.extra_menu.append(("Planar", "/planar"))
    b = _base(ctx)
    s, e = ctx.year - 1, ctx.year + 2
    doc = abuse_plan("nn", ctx.docs, s, e, title=f"Handlingsplan mot seksuelle overgrep mot born og unge {s}–{e}")
    body = docx_bytes(doc)
    path = b.add_document(_doc_path(ctx, doc.title, "docx"), body, DOCX_TYPE, doc.title)
    b.add_page(
        "/planar",
        "Planar",
        pages.document_list([(doc.title, path, _note(body, "Word"))]),
        in_sitemap=False,
        searchable=False,
    )
    return b, _found(doc, path, s, e, ctx.year, click_depth=2, plan_format="docx", text_source="text_layer")


def _scanned(ctx: _Ctx) -> _Built:
    """The plan exists only as a scan (page images, no text layer): found only if the pipeline OCRs it."""
    ctx.extra_menu.append(("Planer", "/planer"))
    b = _base(ctx)
    s, e = ctx.year - 1, ctx.year + 2
    doc = abuse_plan("nb", ctx.docs, s, e)
    body = scanned_pdf_bytes(doc)
    path = b.add_document(_doc_path(ctx, doc.title), body, PDF_TYPE, doc.title)
    listed = [(doc.title, path, _note(body, "PDF, skannet"))]
    for other in _distractors(ctx, 1):
        other_path, other_body = _pdf(b, ctx, other)
        listed.append((other.title, other_path, _note(other_body)))
    intro = pages.paragraphs([f"{ctx.name}: vedtatte planer."])
    b.add_page("/planer", "Planer", intro + pages.document_list(listed), in_sitemap=False, searchable=False)
    return b, _found(doc, path, s, e, ctx.year, click_depth=2, text_source="ocr")


def _down(ctx: _Ctx) -> _Built:
    return None, ExpectedFinding(status="site_unreachable")


_Scenario = Callable[[_Ctx], _Built]

#: scenario slug -> (language, kommune name, builder)
SCENARIOS: dict[str, tuple[Lang, str, _Scenario]] = {
    "menu": ("nb", "Bekkestad", _menu),
    "deep": ("nn", "Djupedal", _deep),
    "sitemap_only": ("da", "Kystby", _sitemap_only),
    "search_only": ("nb", "Fjordby", _search_only),
    "javascript": ("da", "Søbjerg", _javascript),
    "general_only": ("nb", "Lindvik", _general_only),
    "no_plan": ("nn", "Kvitefjell", _no_plan),
    "expired": ("nb", "Solhaug", _expired),
    "robots": ("da", "Lyngholm", _robots),
    "down": ("nb", "Havnes", _down),
    "slow": ("nb", "Skogvoll", _slow),
    "redirects": ("nb", "Elvedal", _redirects),
    "calendar_trap": ("nn", "Stølsvik", _calendar_trap),
    "broken_pdf": ("da", "Bøgelund", _broken_pdf),
    "html_plan": ("nb", "Bjerkvoll", _html_plan),
    "docx_plan": ("nn", "Nordbø", _docx_plan),
    "scanned": ("nb", "Steinvåg", _scanned),
}

#: scenario slug -> the real fylke/region its invented kommune is given (fylkesnummer / regionskode, name)
DEMO_REGIONS: dict[str, tuple[str, str]] = {
    "menu": ("34", "Innlandet"),
    "deep": ("46", "Vestland"),
    "sitemap_only": ("1081", "Region Nordjylland"),
    "search_only": ("42", "Agder"),
    "javascript": ("1082", "Region Midtjylland"),
    "general_only": ("18", "Nordland"),
    "no_plan": ("15", "Møre og Romsdal"),
    "expired": ("50", "Trøndelag"),
    "robots": ("1085", "Region Sjælland"),
    "down": ("55", "Troms"),
    "slow": ("32", "Akershus"),
    "redirects": ("33", "Buskerud"),
    "calendar_trap": ("46", "Vestland"),
    "broken_pdf": ("1083", "Region Syddanmark"),
    "html_plan": ("11", "Rogaland"),
    "docx_plan": ("40", "Telemark"),
    "scanned": ("56", "Finnmark"),
}


def build_demo_web(seed: int = 0, today: date | None = None, port: int = 0) -> DemoWeb:
    """The seventeen demo kommuner (NO 99xx, DK 98xx) on hosts 127.77.0.11-27; start it with `with`."""
    today = today or date.today()
    kommuner: list[DemoKommune] = []
    for index, (scenario, (lang, name, build)) in enumerate(SCENARIOS.items(), start=1):
        ordinary = 10 if scenario == "slow" else random.Random(f"{seed}:{scenario}").randint(12, 30)
        ctx = _Ctx(
            f"127.77.0.{10 + index}", lang, name, random.Random(f"{seed}:{scenario}:pages"), today.year, today, ordinary
        )
        builder, expected = build(ctx)
        country = "DK" if lang == "da" else "NO"
        number = f"{98 if country == 'DK' else 99}{index:02d}"
        site = builder.build() if builder is not None else None
        code, region = DEMO_REGIONS[scenario]
        kommuner.append(
            DemoKommune(number, name, country, scenario, expected, ctx.host, site, region_code=code, region=region)
        )
    return DemoWeb(kommuner, port=port)


#: scenarios mixed into the large benchmark web (no `down`, no `slow`; no `scanned`: its OCR, ~2.5 s of CPU per
#: page, would dominate a crawl benchmark)
LARGE_MIX: tuple[str, ...] = tuple(s for s in SCENARIOS if s not in ("down", "slow", "scanned"))


def build_large_web(
    n_sites: int, pages_per_site: int, seed: int = 0, today: date | None = None, port: int = 0
) -> DemoWeb:
    """`n_sites` generated kommuner on 127.78.x.y mixing the scenarios, each with `pages_per_site` ordinary
    pages and 1-3 documents. Kommunenummer 7000+i (never a real NO or DK code)."""
    if not 0 < n_sites <= 2000:
        raise ValueError("n_sites must be between 1 and 2000")
    today = today or date.today()
    kommuner: list[DemoKommune] = []
    for i in range(n_sites):
        scenario = LARGE_MIX[(i + seed) % len(LARGE_MIX)]
        lang, base_name, build = SCENARIOS[scenario]
        host = f"127.78.{1 + i // 250}.{1 + i % 250}"
        name = f"{base_name} {i:04d}"
        ctx = _Ctx(
            host, lang, name, random.Random(f"{seed}:{i}"), today.year, today, pages_per_site, doc_name=base_name
        )
        builder, expected = build(ctx)
        assert builder is not None  # LARGE_MIX has no `down`
        country = "DK" if lang == "da" else "NO"
        kommuner.append(DemoKommune(f"{7000 + i}", name, country, scenario, expected, host, builder.build()))
    return DemoWeb(kommuner, port=port)
