"""The parts every demo scenario builds its kommune site from: the standard site, plan PDFs, a page listing plans,
distracting plans, and the expected finding.

Conventions the parts keep, so the expected row is unambiguous:
- pages on the path to a plan, and plan documents, are left out of sitemaps and site search, except where the
  scenario is about them (sitemap_only, search_only); ordinary pages are in both;
- click depth counts links from the front page (depth 0) to the document, through the shortest static path
  (rendered links for `javascript`);
- `plan_path` is the final URL path of the plan (after redirects); `alternate_paths` lists other paths that
  reach the same bytes.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field
from datetime import date

from crawlers.testweb import fillers, pages
from crawlers.testweb.demoweb import ExpectedFinding
from crawlers.testweb.documents import PDF_TYPE, pdf_bytes
from crawlers.testweb.pages import Link, Look
from crawlers.testweb.plantexts import DocText, Lang, short_plan
from crawlers.testweb.sitebuilder import SiteBuilder


@dataclass
class Ctx:
    """One kommune being built: its host, language, names, randomness and dates, and what the scenario adds."""

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


#: what a scenario returns: its site (None: nothing listens) and the finding expected of it
Built = tuple[SiteBuilder | None, ExpectedFinding]


def doc_path(ctx: Ctx, title: str, ext: str = "pdf") -> str:
    """ACOS-style file URL for NO (`/_f/p1/i<hex>/name.pdf`), Umbraco-style `/media/<n>/name.pdf` for DK."""
    digest = hashlib.sha256(f"{ctx.host}{title}".encode()).hexdigest()
    name = pages.slug(title, ctx.lang)
    if ctx.lang == "da":
        return f"/media/{int(digest[:6], 16) % 9000 + 1000}/{name}.{ext}"
    return f"/_f/p1/i{digest[:32]}/{name}.{ext}"


def note(body: bytes, kind: str = "PDF") -> str:
    return f"{kind}, {len(body) // 1024 + 1} kB"


def _current(start: int, end: int, year: int) -> str:
    return "true" if start <= year <= end else "false"


def base_site(ctx: Ctx) -> SiteBuilder:
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


def add_pdf(builder: SiteBuilder, ctx: Ctx, doc: DocText, declare: bool = False, **kw: bool) -> tuple[str, bytes]:
    body = pdf_bytes(doc, declare=declare)
    path = builder.add_document(doc_path(ctx, doc.title), body, PDF_TYPE, doc.title, **kw)
    return path, body


def plans_page(
    builder: SiteBuilder,
    ctx: Ctx,
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
        doc_path, body = add_pdf(builder, ctx, doc, declare=declare_first and index == 0)
        listed.append((doc.title, doc_path, note(body)))
    intro = pages.paragraphs([f"{ctx.name}: {title}."])
    listing = pages.download_list(listed, download_label) if download_label else pages.document_list(listed)
    content = intro + listing
    builder.add_page(path, title, content, parent=parent, in_sitemap=False, searchable=False)
    return listed[0][1]


def distractors(ctx: Ctx, n: int = 2) -> list[DocText]:
    titles = {
        "nb": ["Trafikksikkerhetsplan", "Plan for psykisk helse og rus", "Kulturplan"],
        "nn": ["Trafikktryggleiksplan", "Plan for psykisk helse og rus", "Kulturplan"],
        "da": ["Trafiksikkerhedsplan", "Sundhedspolitik", "Kulturpolitik"],
    }[ctx.lang]
    return [short_plan(ctx.lang, ctx.docs, t, ctx.year - 1, ctx.year + 3) for t in titles[:n]]


def found(doc: DocText, path: str, start: int, end: int, year: int, **kw: object) -> ExpectedFinding:
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
