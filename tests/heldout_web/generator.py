"""Deterministic generator of the held-out kommune web: `build_web(seed, n_sites)`.

Every random choice goes through a `random.Random` seeded from `seed` (one child generator per site), so
a seed always gives the same web, and tuning seeds (1-5) and held-out seeds (>= 1000) are drawn from the
same weights. The truth is derived afterwards by BFS over the generated link graph (`graph.py`).
See SPEC.md for the distributions.
"""

from __future__ import annotations

import json
import random
import re
import unicodedata
import uuid
from urllib.parse import quote

from . import texts as T
from .documents import Item, build_docx, build_pdf, build_scanned_pdf, plain_text
from .graph import derive_truth
from .model import Block, Document, HeldoutWeb, Link, Page, Site
from .names import DK_KOMMUNER, NO_KOMMUNER
from .robots import RobotsRules

CMS_WEIGHTS: dict[str, list[tuple[str, float]]] = {
    "NO": [("acos", 34), ("enonic", 26), ("optimizely", 12), ("sitevision", 10), ("wordpress", 10)],
    "DK": [("os2web", 48), ("optimizely", 28), ("sitevision", 10), ("wordpress", 6)],
}
SEARCH: dict[tuple[str, str], tuple[str, str]] = {
    ("enonic", "NO"): ("/sok", "q"),
    ("acos", "NO"): ("/sok", "q"),
    ("optimizely", "NO"): ("/search", "query"),
    ("optimizely", "DK"): ("/soeg", "query"),
    ("os2web", "DK"): ("/soeg", "search_api_fulltext"),
    ("sitevision", "NO"): ("/sok.html", "query"),
    ("sitevision", "DK"): ("/soeg.html", "query"),
    ("wordpress", "NO"): ("/", "s"),
    ("wordpress", "DK"): ("/", "s"),
}
EXTERNAL: dict[str, list[tuple[str, str]]] = {
    "NO": [
        (
            "http://regjeringen.invalid/no/dokumenter/opptrappingsplan-mot-vold-og-overgrep/id2517390/",
            "Opptrappingsplan mot vold og overgrep (regjeringen.no)",
        ),
        ("http://www.politiet.invalid/rad/seksuelle-overgrep/", "Politiet: seksuelle overgrep"),
        ("http://www.bufdir.invalid/vold/", "Bufdir: vold og overgrep"),
        ("http://www.116111.invalid/", "Alarmtelefonen for barn og unge"),
        ("http://www.statensbarnehus.invalid/", "Statens barnehus"),
    ],
    "DK": [
        ("http://www.socialstyrelsen.invalid/born/overgreb", "Socialstyrelsen: overgreb mod børn"),
        ("http://politi.invalid/anmeld", "Politiet"),
        ("http://www.borneraadet.invalid/", "Børnerådet"),
        ("http://www.bornetelefonen.invalid/", "BørneTelefonen"),
    ],
}


def _w(rng: random.Random, pairs: list[tuple[str, float]]) -> str:
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


def slugify(text: str, lang: str) -> str:
    t = text.lower()
    if lang == "da":
        t = t.replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    else:
        t = t.replace("æ", "a").replace("ø", "o").replace("å", "a")
    t = unicodedata.normalize("NFKD", t).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", t).strip("-")[:80]


class SiteBuilder:
    """Builds one site; every method draws from the site's own `rng`."""

    def __init__(self, site: Site, rng: random.Random) -> None:
        self.s = site
        self.rng = rng
        self.lang = site.language
        self.ui = T.UI[self.lang]
        self.n = rng.randint(1000, 9000)
        y1 = rng.choice([2014, 2016, 2018, 2019, 2020, 2021, 2022, 2022, 2023, 2023, 2024, 2024, 2025])
        y2 = y1 + rng.choice([2, 3, 3, 4])
        vd_year = y1 if rng.random() < 0.6 else y1 - 1
        day, month = rng.randint(1, 28), rng.randint(1, 12)
        months = T.MONTHS[self.lang]
        self.ctx = {
            "k": site.short,
            "y1": str(y1),
            "y2": str(y2),
            "vd": f"{day}. {months[month - 1]} {vd_year}",
            "sak": f"{rng.randint(10, 120)}/{str(vd_year)[2:]}",
            "org": rng.choice(T.COUNCIL[self.lang]),
            "y": str(rng.choice([2026, 2027])),
            "d": f"{rng.randint(1, 28)}. {months[rng.randint(0, 11)]} 2025",
            "y3": "2029",
            "m": f"{month:02d}",
            "dd": f"{day:02d}",
        }
        self.legacy = site.cms == "acos" and rng.random() < 0.3
        self.prefix = (
            "borger"
            if site.country == "DK"
            else rng.choice(["tjenester", "tjenester", "tenester"] if self.lang == "nn" else ["tjenester"])
        )

    # ------------------------------------------------------------ helpers
    def f(self, text: str) -> str:
        return text.format(**self.ctx)

    def next_id(self) -> int:
        self.n += self.rng.randint(1, 37)
        return self.n

    def slug(self, text: str) -> str:
        return slugify(text, self.lang)

    def page_path(self, parts: list[str], *, news: bool = False) -> str:
        cms = self.s.cms
        slugs = [self.slug(p) for p in parts]
        if news:
            base = {"da": "nyheder", "nn": "aktuelt", "nb": "aktuelt"}[self.lang]
            if cms == "wordpress":
                return f"/?p={self.next_id()}"
            if cms == "sitevision":
                return f"/{base}/{slugs[-1]}.html"
            if self.legacy:
                return f"/{slugs[-1]}.{self.next_id()}.aspx"
            return f"/{base}/{slugs[-1]}" + ("/" if cms in ("acos", "optimizely") else "")
        if cms == "wordpress":
            return "/" + slugs[-1] + "/" if self.rng.random() < 0.8 else f"/?page_id={self.next_id()}"
        if self.legacy:
            ext = ".nn.html" if self.lang == "nn" else ".aspx"
            return f"/{slugs[-1]}.{self.next_id()}{ext}"
        path = "/" + "/".join([self.prefix, *slugs])
        if cms == "sitevision":
            return path + ".html"
        if cms in ("acos", "optimizely"):
            return path + "/"
        return path

    def doc_paths(self, stem: str, ext: str, octet: bool) -> list[str]:
        """Canonical path(s) of a document: first the one linked, then aliases serving the same bytes."""
        rng, cms = self.rng, self.s.cms
        year, month = rng.randint(2015, 2025), rng.randint(1, 12)
        if octet:
            if cms == "os2web":
                return [f"/media/{rng.randint(10000, 99999)}/download"]
            if cms == "acos":
                return [f"/getfile.aspx?fileid={rng.randint(100000, 999999)}"]
            if cms == "optimizely":
                return [f"/api/file/{uuid.UUID(int=rng.getrandbits(128))}"]
            return [f"/dokument/hent?id={rng.randint(1000, 99999)}"]
        if cms == "enonic":
            key = f"{uuid.UUID(int=rng.getrandbits(128))}:{rng.getrandbits(160):040x}"
            name = quote(stem + "." + ext)
            paths = [f"/_/attachment/inline/{key}/{name}"]
            if rng.random() < 0.5:
                paths.append(f"/_/attachment/download/{key}/{name}")
            return paths
        if cms == "acos":
            letters = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(10))
            return [
                f"/getfile.php/{rng.randint(1000000, 9999999)}.{rng.randint(1000, 9999)}.{letters}/"
                f"{quote(stem.replace(' ', '+'), safe='+')}.{ext}"
            ]
        if cms == "optimizely":
            name = self.slug(stem) + "." + ext
            if rng.random() < 0.5:
                return [f"/globalassets/dokumenter/{rng.choice(['planer', 'oppvekst', 'helse', 'politikk'])}/{name}"]
            return [f"/contentassets/{rng.getrandbits(128):032x}/{name}"]
        if cms == "os2web":
            paths = [f"/sites/default/files/{year}-{month:02d}/{self.slug(stem)}.{ext}"]
            if rng.random() < 0.4:
                paths.append(f"/media/{rng.randint(10000, 99999)}/download")
            return paths
        if cms == "sitevision":
            return [
                f"/download/18.{rng.getrandbits(88):022x}/{rng.randint(1500000000000, 1750000000000)}/"
                f"{quote(stem)}.{ext}"
            ]
        return [f"/wp-content/uploads/{year}/{month:02d}/{self.slug(stem)}.{ext}"]

    def add_page(self, page: Page) -> Page:
        while page.path in self.s.pages or page.path in self.s.doc_paths:
            page.path = page.path.rstrip("/") + f"-{self.rng.randint(2, 99)}" + ("/" if page.path.endswith("/") else "")
        self.s.pages[page.path] = page
        return page

    def paras(self, pool: list[str], lo: int, hi: int, t: str = "") -> list[str]:
        k = min(len(pool), self.rng.randint(lo, hi))
        return [self.f(p.replace("{t}", t)) for p in self.rng.sample(pool, k)]

    # ------------------------------------------------------------ documents
    def plan_items(self, kind: str, title: str, *, full: bool, cover_only: bool, draft: bool, scan: bool) -> list[Item]:
        rng, lang = self.rng, self.lang
        items: list[Item] = []
        suffix = self.ui["suffix"]
        if cover_only:
            items.append(Item("cover", f"{self.s.short} {suffix}\n\n{self.ctx['vd']}"))
        else:
            items.append(Item("cover", ("HØRINGSUTKAST\n" if draft else "") + title + f"\n\n{self.s.short} {suffix}"))
        items.append(Item("break"))
        chapters = T.ABUSE_CHAPTERS[lang] if kind == "abuse" else T.GENERAL_CHAPTERS[lang]
        if draft:
            items.append(
                Item(
                    "p",
                    {
                        "da": "Udkast – ikke vedtaget. Sendt i høring.",
                        "nn": "Utkast – ikkje vedteke. Sendt på høyring.",
                    }.get(lang, "Utkast – ikke vedtatt. Sendt på høring."),
                )
            )
        for i, (head, pool) in enumerate(chapters):
            if not full and i not in (0, 1) and rng.random() < 0.35:
                continue
            items.append(Item("h1", f"{i + 1}. {head}"))
            for p in self.paras(pool, 1 if scan else 2, 2 if scan else 3):
                items.append(Item("p", p))
            if full and not scan and rng.random() < 0.5:
                items.append(Item("break"))
        if kind == "abuse":
            items.append(Item("h1", T.TILTAK_CHAPTER[lang]))
            rows = [T.TILTAK_HEAD[lang]]
            y1, y2 = int(self.ctx["y1"]), int(self.ctx["y2"])
            for tiltak, ansvar in rng.sample(T.TILTAK[lang], rng.randint(4, len(T.TILTAK[lang]))):
                rows.append([tiltak, ansvar, str(rng.randint(y1, y2))])
            items.append(Item("table", rows=rows))
            items.append(Item("h1", T.STEPS_HEAD[lang]))
            items.extend(Item("li", s) for s in T.STEPS[lang])
            if full and not scan:
                head, pool = T.SERVICE_APPENDIX[lang]
                for svc in rng.sample(T.SERVICES[lang], rng.randint(3, len(T.SERVICES[lang]))):
                    items.append(Item("break"))
                    items.append(Item("h2", head.replace("{t}", svc)))
                    for p in self.paras(pool, 2, 3, svc):
                        items.append(Item("p", p))
        items.append(Item("h1", T.CONTACT_HEAD[lang]))
        items.extend(Item("li", self.f(c)) for c in T.CONTACTS[lang])
        return items

    def make_doc(
        self,
        title: str,
        genre: str,
        items: list[Item],
        fmt: str,
        *,
        octet: bool = False,
        stem: str | None = None,
        meta_title: bool = True,
    ) -> Document:
        ext = "docx" if fmt == "docx" else "pdf"
        stem = stem or title.replace("–", "-").replace(":", "")
        paths = self.doc_paths(stem, ext, octet)
        author = f"{self.s.short} {self.ui['suffix']}"
        lang = {"nb": "nb-NO", "nn": "nn-NO", "da": "da-DK"}[self.lang] if self.rng.random() < 0.4 else None
        ptitle = title if meta_title else None
        if fmt == "docx":
            build = lambda: build_docx(items, title=ptitle, author=author)  # noqa: E731
        elif fmt == "pdf_scan":
            build = lambda: build_scanned_pdf(items, author=author)  # noqa: E731
        else:
            build = lambda: build_pdf(items, title=ptitle, lang=lang, author=author)  # noqa: E731
        doc_id = f"d{len(self.s.documents) + 1}"
        doc = Document(
            doc_id=doc_id,
            fmt=fmt,
            title=title,
            filename=f"{stem}.{ext}",
            genre=genre,
            paths=paths,
            octet=octet,
            build=build,
            search_text=title + " " + plain_text(items)[:600] if fmt != "pdf_scan" else title,
            size_hint=f"{self.rng.randint(1, 4)},{self.rng.randint(0, 9)} MB"
            if fmt != "docx"
            else f"{self.rng.randint(80, 900)} kB",
        )
        self.s.documents[doc_id] = doc
        for p in paths:
            self.s.doc_paths[p] = doc_id
        return doc

    def doc_link(self, doc: Document, text: str | None = None) -> Link:
        kind = "Word" if doc.fmt == "docx" else self.ui["pdf"]
        return Link(doc.paths[0], text or f"{doc.title} ({kind}, {doc.size_hint})")

    def simple_doc(self, title: str, genre: str, paras: list[str], fmt: str = "pdf") -> Document:
        items = [Item("cover", title + f"\n\n{self.s.short} {self.ui['suffix']}"), Item("break")]
        items += [Item("p", p) for p in paras]
        return self.make_doc(title, genre, items, fmt, octet=self.rng.random() < 0.15)


def _build_site(site: Site, rng: random.Random) -> None:  # noqa: C901 - one recipe, read top to bottom
    b = SiteBuilder(site, rng)
    lang, ui, country = b.lang, b.ui, site.country
    tags = site.scenarios
    site.search_path, site.search_param = SEARCH[(site.cms, country)]

    # ---------------------------------------------------------------- what this site is
    if site.unreachable != "none":
        site.status = "site_unreachable"
        tags.append(f"unreachable_{site.unreachable}")
        return
    outcome_w = (
        [("abuse", 70), ("general", 10), ("none", 20)]
        if country == "DK"
        else [("abuse", 55), ("general", 20), ("none", 25)]
    )
    outcome = _w(rng, outcome_w)
    discovery = _w(rng, [("link", 64), ("rendered", 13), ("search", 12), ("sitemap", 11)])
    fmt = _w(rng, [("pdf", 45), ("pdf_scan", 10), ("html", 28 if country == "DK" else 15), ("docx", 10)])
    octet = fmt != "html" and rng.random() < 0.22
    vague = rng.random() < 0.28
    cover_only = vague and fmt != "html" and rng.random() < 0.6
    full = rng.random() < 0.6
    site.js_menu = discovery == "rendered" and outcome != "none" or (outcome == "none" and rng.random() < 0.1)
    site.session_style = _w(rng, [("none", 80), ("sid", 12), ("jsessionid", 8)])
    site.absolute_links = site.cms == "acos" and rng.random() < 0.7
    site.slow = rng.random() < 0.3
    site.calendar = rng.random() < 0.45
    site.facets = rng.random() < 0.3
    printable = rng.random() < 0.35
    site.sitemap_style = _w(rng, [("none", 25), ("plain", 45), ("index_gz", 30)])
    if discovery == "sitemap" and site.sitemap_style == "none":
        site.sitemap_style = "plain"
    depth_goal = _w(rng, [("1", 6), ("2", 24), ("3", 34), ("4", 26), ("5", 10)])
    landing = fmt != "html" and discovery in ("link", "rendered") and rng.random() < 0.7
    if landing and depth_goal == "1":
        depth_goal = "2"
    if outcome != "none":
        tags += [f"plan_{outcome}", f"format_{fmt}", f"discovery_{discovery}"]
        tags += ["octet_stream"] * octet + ["vague_title"] * vague + ["cover_only"] * cover_only
        tags += ["long_plan" if full else "short_plan"] + ["landing_page"] * landing
        if discovery == "link":
            tags.append(f"depth_goal_{depth_goal}")
    else:
        tags.append("no_plan")
    tags += ["js_menu"] * site.js_menu + [f"session_{site.session_style}"] * (site.session_style != "none")
    tags += ["slow_host"] * site.slow + ["calendar_trap"] * site.calendar + ["facet_trap"] * site.facets
    tags += ["print_duplicates"] * printable + [f"sitemap_{site.sitemap_style}"]
    tags += ["absolute_links"] * site.absolute_links + ["acos_legacy_urls"] * b.legacy

    # ---------------------------------------------------------------- the tree
    target_pages = rng.randint(40, 250)
    sections = T.SECTIONS[lang]
    keep = sorted(rng.sample(range(len(sections)), rng.randint(min(5, len(sections)), len(sections))))
    # always keep health/family (where plans live) and politics
    must = {0, 1, 2, len(sections) - 1} if country == "NO" else {0, len(sections) - 1}
    keep = sorted(set(keep) | must)
    n_news = rng.randint(8, max(10, target_pages // 5))
    n_meet = rng.randint(3, 12)
    fixed = 1 + len(keep) + sum(len(sections[i][1]) for i in keep) + n_news + n_news // 10 + n_meet + 6
    extra = max(0, target_pages - fixed)
    front = Page(path="/", title=f"{site.short} {ui['suffix']}", kind="front", printable=False)
    site.pages["/"] = front
    section_pages: list[Page] = []
    sub_pages: dict[str, Page] = {}
    sub_lists: dict[str, list[Link]] = {}  # page path -> child links (static or JS)
    for i in keep:
        sec_title, subs = sections[i]
        sec = b.add_page(Page(path=b.page_path([sec_title]), title=sec_title, kind="section", printable=printable))
        section_pages.append(sec)
        sub_lists[sec.path] = []
        for sub_title in subs:
            sp = b.add_page(
                Page(
                    path=b.page_path([sec_title, sub_title]),
                    title=sub_title,
                    kind="sub",
                    printable=printable,
                    blocks=[Block("p", t) for t in b.paras(T.FILLER[lang], 1, 3, sub_title.lower())],
                )
            )
            sp.breadcrumb = [Link("/", ui["home"]), Link(sec.path, sec_title)]
            sub_pages[sub_title] = sp
            sub_lists[sec.path].append(Link(sp.path, sub_title))
            sub_lists[sp.path] = []
    # level-3 service pages to reach the size
    subs_all = list(sub_pages.values())
    for _ in range(extra):
        parent = rng.choice(subs_all)
        topic = rng.choice(
            ["Søknad", "Priser", "Kontakt", "Regler", "Skjema", "Informasjon", "Tilbud", "Vedtekter"]
            if lang != "da"
            else ["Ansøgning", "Priser", "Kontakt", "Regler", "Blanketter", "Tilbud"]
        )
        title = f"{topic} – {parent.title.lower()}"
        p = b.add_page(
            Page(
                path=b.page_path([parent.breadcrumb[-1].text, parent.title, title]),
                title=title,
                kind="service",
                printable=printable,
                blocks=[Block("p", t) for t in b.paras(T.FILLER[lang], 2, 4, parent.title.lower())],
            )
        )
        p.breadcrumb = [*parent.breadcrumb, Link(parent.path, parent.title)]
        sub_lists[parent.path].append(Link(p.path, title))
        sub_lists.setdefault(p.path, [])

    def child_of(parent: Page, title: str, kind: str, blocks: list[Block]) -> Page:
        crumbs = parent.breadcrumb[1:] if parent.breadcrumb else []
        parts = [c.text for c in crumbs] + [parent.title, title] if parent.path != "/" else [title]
        p = b.add_page(Page(path=b.page_path(parts), title=title, kind=kind, printable=printable, blocks=blocks))
        p.breadcrumb = [*(parent.breadcrumb or [Link("/", ui["home"])]), Link(parent.path, parent.title)]
        if parent.path != "/":
            sub_lists.setdefault(parent.path, []).append(Link(p.path, title))
        sub_lists.setdefault(p.path, [])
        return p

    # the branch where plans live
    if country == "DK":
        fam_sec = section_pages[0]
        home_sub = sub_pages.get("Overgreb mod børn og unge") or sub_pages[T.SECTIONS[lang][0][1][0]]
    else:
        home_sub = sub_pages.get("Vold og overgrep") or sub_pages.get("Vald og overgrep") or subs_all[0]
        fam_sec = section_pages[0]
    plans_sub = next(
        (
            p
            for t, p in sub_pages.items()
            if t in ("Planer og strategier", "Planar og strategiar", "Politikker og planer")
        ),
        subs_all[-1],
    )
    meetings_sub = next(
        (p for t, p in sub_pages.items() if t in ("Politiske møter", "Politiske møte", "Dagsordener og referater")),
        subs_all[-2],
    )
    ext_links = [Link(u, t, external=True) for u, t in rng.sample(EXTERNAL[country], 2)]
    shortcuts: list[Link] = []

    # ---------------------------------------------------------------- the plan
    plan_target: str | None = None  # canonical path of THE plan
    if outcome in ("abuse", "general"):
        kind = outcome
        titles = T.ABUSE_TITLES[lang] if kind == "abuse" else T.GENERAL_TITLES[lang]
        real_title = b.f(rng.choice(titles))
        title = b.f(rng.choice(T.VAGUE_TITLES[lang])) if vague and kind == "abuse" else real_title
        if fmt == "html":
            items = b.plan_items(kind, real_title, full=full, cover_only=False, draft=False, scan=False)
            blocks = _items_to_blocks(items[2:])
            host_parent = home_sub if discovery != "link" or int(depth_goal) >= 3 else fam_sec
            plan_page = Page(
                path=b.page_path([host_parent.title, real_title]),
                title=title,
                kind="plan_html",
                printable=printable or rng.random() < 0.3,
                blocks=blocks,
            )
            b.add_page(plan_page)
            plan_page.breadcrumb = [Link("/", ui["home"]), Link(host_parent.path, host_parent.title)]
            sub_lists.setdefault(plan_page.path, [])
            plan_target = plan_page.path
            site.plan_is_page = True
            plan_link = Link(plan_page.path, title)
        else:
            items = b.plan_items(
                kind, real_title, full=full, cover_only=cover_only, draft=False, scan=fmt == "pdf_scan"
            )
            stem = b.f(rng.choice(T.VAGUE_FILENAMES)) if vague else None
            doc = b.make_doc(
                title if not cover_only else f"{site.short} {ui['suffix']}",
                f"{kind}_plan",
                items,
                fmt,
                octet=octet,
                stem=stem,
                meta_title=not vague,
            )
            doc.search_text = real_title + " " + doc.search_text
            plan_target = doc.paths[0]
            dl = {"nb": "Last ned handlingsplanen", "nn": "Last ned planen", "da": "Hent beredskabet"}[lang]
            plan_link = b.doc_link(
                doc,
                f"{dl} (PDF, {doc.size_hint})"
                if vague and fmt != "docx"
                else (rng.choice([ui["download"], "Dokument", title]) if vague else None),
            )
            if rng.random() < 0.12:  # an old-style URL that redirects to the document
                old = f"/dokumenter/{b.slug(real_title)[:40]}"
                site.redirects[old] = doc.paths[0]
                plan_link = Link(old, plan_link.text)
                tags.append("redirect_alias")
            if len(doc.paths) > 1:
                tags.append("alias_paths")
        site.plan_doc = plan_target
        site.plan_kind = kind
        intro = T.LANDING_INTRO[lang] if kind == "abuse" else T.GENERAL_LANDING_INTRO[lang]
        if discovery in ("link", "rendered"):
            d = int(depth_goal) if discovery == "link" else rng.choice([3, 4])
            host_depth = d - 1 - (1 if landing else 0)  # depth of the page that links the landing/plan
            host = _page_at_depth(b, host_depth, front, fam_sec, home_sub, sub_lists, child_of, lang)
            if landing:
                lt = (
                    {
                        "nb": "Handlingsplan mot vold og overgrep",
                        "nn": "Plan mot vald og overgrep",
                        "da": "Beredskab mod overgreb",
                    }[lang]
                    if kind == "abuse"
                    else real_title
                )
                lp_blocks = [Block("p", b.f(p)) for p in intro[: rng.randint(min(2, len(intro)), len(intro))]]
                lp_blocks.append(Block("links", links=[plan_link]))
                lp_blocks.append(Block("links", text=ui["related"], links=ext_links[:1]))
                parent = host if host.path != "/" else home_sub
                lp = child_of(parent, lt, "landing", lp_blocks)
                if host.path == "/":
                    shortcuts.append(Link(lp.path, lt))
                link_into = lp
                if site.js_menu:  # the document list is built by the page script
                    lp.blocks = [bl for bl in lp.blocks if plan_link not in bl.links]
                    lp.js_links.append(plan_link)
            else:
                link_into = host
                if host.path == "/":
                    shortcuts.append(plan_link)
                elif site.js_menu:
                    host.js_links.append(plan_link)
                else:
                    host.blocks.append(Block("links", text=ui["docs"], links=[plan_link]))
            if discovery == "link" and rng.random() < 0.35:  # also listed on the plans page (shortest wins)
                plans_sub.blocks.append(Block("links", text=ui["plans"], links=[plan_link]))
                tags.append("multi_link")
            if discovery == "link" and rng.random() < 0.3:
                tags.append("search_also")
            del link_into
        if discovery in ("link", "rendered", "search") or tags.count("search_also"):
            site.search_index.append(
                (title if fmt != "html" else plan_page.title, plan_target, real_title + " " + " ".join(intro))
            )
        if discovery == "sitemap":
            site.sitemap_paths.append(plan_target)
        if discovery == "link" and fmt != "html" and site.sitemap_style != "none" and rng.random() < 0.3:
            site.sitemap_paths.append(plan_target)

    # a general plan beside an abuse-specific one
    if outcome == "abuse" and rng.random() < 0.35:
        gt = b.f(rng.choice(T.GENERAL_TITLES[lang]))
        gdoc = b.make_doc(
            gt,
            "general_plan",
            b.plan_items("general", gt, full=False, cover_only=False, draft=False, scan=False),
            "pdf",
        )
        where = rng.choice([plans_sub, home_sub])
        where.blocks.append(Block("links", text=ui["docs"], links=[b.doc_link(gdoc)]))
        site.search_index.append((gt, gdoc.paths[0], gdoc.search_text))
        tags.append("decoy_general_plan")

    # ---------------------------------------------------------------- decoys
    hearing_only = outcome == "none" and rng.random() < 0.4
    if hearing_only or rng.random() < 0.25:
        ht, hparas = T.HEARING_NOTICE[lang]
        draft_title = rng.choice(T.DRAFT_PREFIX[lang]) + b.f(rng.choice(T.ABUSE_TITLES[lang]))
        ddoc = b.make_doc(
            draft_title,
            "hearing_draft",
            b.plan_items("abuse", draft_title, full=False, cover_only=False, draft=True, scan=False),
            "pdf",
        )
        hp = child_of(
            plans_sub, ht, "hearing", [Block("p", b.f(p)) for p in hparas] + [Block("links", links=[b.doc_link(ddoc)])]
        )
        site.search_index.append((ht, hp.path, " ".join(hparas)))
        site.search_index.append((draft_title, ddoc.paths[0], ddoc.search_text))
        tags.append("decoy_hearing_draft" + ("_only" if hearing_only else ""))
    for stitle, sparas in rng.sample(T.SERVICE_DECOYS[lang], rng.randint(1, len(T.SERVICE_DECOYS[lang]))):
        sp = child_of(
            home_sub,
            stitle,
            "service_decoy",
            [Block("p", b.f(p)) for p in sparas] + [Block("links", text=ui["related"], links=ext_links)],
        )
        site.search_index.append((stitle, sp.path, " ".join(sparas)))
    tags.append("decoy_service_pages")
    if rng.random() < 0.3:
        pt, pparas = T.POLICE_TEXT[lang]
        child_of(home_sub, pt, "police", [Block("p", b.f(p)) for p in pparas] + [Block("links", links=ext_links[:2])])
        tags.append("decoy_police_text")
    for ot, oparas in rng.sample(T.OTHER_PLANS[lang], rng.randint(1, len(T.OTHER_PLANS[lang]))):
        odoc = b.simple_doc(b.f(ot), "other_plan", [b.f(p) for p in oparas] * rng.randint(3, 8))
        plans_sub.blocks.append(Block("links", links=[b.doc_link(odoc)]))
        site.search_index.append((odoc.title, odoc.paths[0], odoc.search_text))
    tags.append("decoy_other_plans")
    if rng.random() < 0.45:
        bt, bparas = T.BUDGET[lang]
        bdoc = b.simple_doc(b.f(bt), "budget", [b.f(p) for p in bparas] * 6)
        plans_sub.blocks.append(Block("links", links=[b.doc_link(bdoc)]))
        site.search_index.append((bdoc.title, bdoc.paths[0], bdoc.search_text))
        tags.append("decoy_budget")

    # politics: meetings with minutes
    mt = T.MINUTES[lang]
    meet_links: list[Link] = []
    for _j in range(n_meet):
        date = f"{rng.randint(1, 28):02d}.{rng.randint(1, 12):02d}.{rng.choice([2024, 2025])}"
        title = str(mt["title"]).format(org_cap=b.ctx["org"].capitalize(), d=date)
        blocks = [Block("p", str(mt["intro"]))]
        for head, body, decision in rng.sample(list(mt["items"]), rng.randint(2, len(mt["items"]))):  # type: ignore[arg-type]
            blocks += [
                Block("h3", head.format(n=rng.randint(1, 99), yy=date[-2:])),
                Block("p", body),
                Block("p", decision),
            ]
        mp = Page(path=b.page_path([meetings_sub.title, title]), title=title, kind="minutes", blocks=blocks)
        b.add_page(mp)
        mp.breadcrumb = [Link("/", ui["home"]), Link(meetings_sub.path, meetings_sub.title)]
        if rng.random() < 0.3:
            pdoc = b.simple_doc(title, "minutes", [bl.text for bl in blocks if bl.text])
            mp.blocks.append(Block("links", links=[b.doc_link(pdoc)]))
        meet_links.append(Link(mp.path, title))
        site.search_index.append((title, mp.path, " ".join(bl.text for bl in blocks)))
    sub_lists.setdefault(meetings_sub.path, []).extend(meet_links)
    tags.append("decoy_minutes")

    # news, with decoys that mention a plan, and an archive with pagination
    news_pool = [(b.f(t), [b.f(p) for p in ps], True) for t, ps in rng.sample(T.NEWS_DECOYS[lang], rng.randint(1, 3))]
    fillers = T.NEWS_FILLER[lang]
    while len(news_pool) < n_news:
        t, p = fillers[len(news_pool) % len(fillers)]
        news_pool.append((t if len(news_pool) < len(fillers) else f"{t} ({len(news_pool)})", [p], False))
    rng.shuffle(news_pool)
    if any(x[2] for x in news_pool[:4]) is False:
        i = next(i for i, x in enumerate(news_pool) if x[2])
        news_pool.insert(0, news_pool.pop(i))
    news_links: list[Link] = []
    archive_base = {"nb": "/aktuelt", "nn": "/aktuelt", "da": "/nyheder"}[lang]
    if site.cms == "sitevision":
        archive_base += ".html"
    for j, (t, ps, _decoy) in enumerate(news_pool):
        date = f"{28 - j % 28:02d}.{12 - (j // 28) % 12:02d}.2025"
        np_ = Page(
            path=b.page_path([t], news=True),
            title=t,
            kind="news",
            date=date,
            blocks=[Block("p", date)] + [Block("p", p) for p in ps],
            printable=printable,
        )
        b.add_page(np_)
        np_.breadcrumb = [Link("/", ui["home"]), Link(archive_base, ui["news"])]
        news_links.append(Link(np_.path, t))
        site.search_index.append((t, np_.path, " ".join(ps)))
    tags.append("decoy_news")
    per = 10
    n_arch = (len(news_links) + per - 1) // per
    for a in range(n_arch):
        path = archive_base if a == 0 else f"{archive_base}?side={a + 1}"
        nav = []
        if a > 0:
            nav.append(Link(archive_base if a == 1 else f"{archive_base}?side={a}", ui["prev"]))
        if a < n_arch - 1:
            nav.append(Link(f"{archive_base}?side={a + 2}", ui["next"]))
        blocks = [Block("links", links=news_links[a * per : (a + 1) * per]), Block("links", links=nav)]
        if a == 0 and site.facets:
            facet_links = [Link(f"{archive_base}?tema={slugify(s[0], lang)}", s[0]) for s in sections[:4]]
            blocks.append(Block("links", text=ui["filter"], links=facet_links))
        site.pages[path] = Page(
            path=path, title=ui["news"] + (f" – {a + 1}" if a else ""), kind="news_archive", blocks=blocks
        )
    site.facet_news = [lk for lk, x in zip(news_links, news_pool, strict=True) if not x[2]]

    # contact, privacy, employees, the internal area
    contact = Page(
        path=b.page_path([ui["contact"]]),
        title=ui["contact"],
        kind="contact",
        blocks=[Block("p", b.f(p)) for p in T.FILLER[lang][-2:]],
    )
    b.add_page(contact)
    privacy = b.add_page(
        Page(path=b.page_path([ui["privacy"]]), title=ui["privacy"], kind="info", blocks=[Block("p", "…")])
    )
    a11y = b.add_page(Page(path=b.page_path([ui["a11y"]]), title=ui["a11y"], kind="info", blocks=[Block("p", "…")]))
    emp = child_of(contact, ui["employees"], "contact", [Block("ul", items=[f"Ansatt {i}" for i in range(5)])])
    contact.blocks.append(Block("links", links=[Link(emp.path, ui["employees"])]))
    site.footer = [
        Link(contact.path, ui["contact"]),
        Link(privacy.path, ui["privacy"]),
        Link(a11y.path, ui["a11y"]),
        Link(archive_base, ui["news"]),
    ]
    disallow: list[str] = []
    if rng.random() < 0.5:
        ititle = {"nb": "For ansatte", "nn": "For tilsette", "da": "For medarbejdere"}[lang]
        draft_title = rng.choice(T.DRAFT_PREFIX[lang]) + b.f(rng.choice(T.ABUSE_TITLES[lang]))
        idoc = b.make_doc(
            draft_title,
            "internal_draft",
            b.plan_items("abuse", draft_title, full=False, cover_only=False, draft=True, scan=False),
            "pdf",
        )
        idoc_path = "/intern/" + slugify(draft_title, lang)[:50] + ".pdf"
        site.doc_paths.pop(idoc.paths[0])
        idoc.paths = [idoc_path]
        site.doc_paths[idoc_path] = idoc.doc_id
        site.pages["/intern/"] = Page(
            path="/intern/", title=ititle, kind="intern", blocks=[Block("links", links=[Link(idoc_path, draft_title)])]
        )
        site.footer.append(Link("/intern/", ititle))
        disallow.append("/intern/")
        tags.append("decoy_behind_robots")
    if site.calendar:
        site.footer.append(Link("/kalender", ui["calendar"]))
    site.footer += ext_links[:1]

    # ---------------------------------------------------------------- front page
    site.top_menu = [Link(p.path, p.title) for p in section_pages]
    for extra_link in rng.sample(subs_all, min(len(subs_all), rng.randint(3, 6))):
        if extra_link in (home_sub,) and outcome != "none":
            continue
        shortcuts.append(Link(extra_link.path, extra_link.title))
    rng.shuffle(shortcuts)
    teasers = [Link(lk.target, lk.text, track=rng.random() < 0.3) for lk in news_links[: rng.randint(3, 6)]]
    front.blocks = [
        Block(
            "p",
            {"da": f"Velkommen til {site.short} Kommune", "nn": f"Velkomen til {site.short} kommune"}.get(
                lang, f"Velkommen til {site.short} kommune"
            ),
        ),
        Block("links", text=ui["shortcuts"], links=shortcuts),
        Block("links", text=ui["news"], links=teasers + [Link(archive_base, ui["all_news"])]),
        Block("links", text=ui["meetings"], links=[Link(meetings_sub.path, ui["meetings"])]),
    ]

    # child lists: static blocks, or JSON menus built by a script
    for path, children in sub_lists.items():
        page = site.pages[path]
        if not children:
            continue
        if site.js_menu:
            page.js_links.extend(children)
        else:
            page.blocks.append(Block("links", links=children))
    if site.js_menu:
        _build_js_menus(site)

    # ---------------------------------------------------------------- search, sitemap, robots
    for p in site.pages.values():
        if p.kind not in ("news", "minutes", "news_archive") and p.path != site.plan_doc:
            site.search_index.append((p.title, p.path, " ".join(bl.text for bl in p.blocks)[:400]))
    if discovery == "sitemap" and site.plan_doc:
        site.search_index = [e for e in site.search_index if e[1] != site.plan_doc]
    site.sitemap_paths = sorted({*(p for p in site.pages if not p.startswith("/intern")), *site.sitemap_paths})
    if site.calendar and rng.random() < 0.5:
        disallow.append("/kalender")
    search_allowed_needed = discovery == "search" and outcome != "none"
    if not search_allowed_needed and rng.random() < 0.2 and site.search_path != "/":
        disallow.append(site.search_path)
        tags.append("search_disallowed")
    if rng.random() < 0.15:
        disallow.append("/*?print=1")
    disallow += {
        "enonic": ["/_/service/", "/admin/"],
        "wordpress": ["/wp-admin/"],
        "os2web": ["/user/", "/node/add/"],
        "acos": ["/admin/"],
        "optimizely": ["/episerver/", "/util/"],
        "sitevision": ["/edit/"],
    }[site.cms]
    lines = []
    if rng.random() < 0.3:
        lines += ["User-agent: GPTBot", "Disallow: /", ""]
        tags.append("robots_other_bot_group")
    lines.append("User-agent: *")
    lines += [f"Disallow: {d}" for d in disallow]
    if site.cms == "wordpress":
        lines.append("Allow: /wp-admin/admin-ajax.php")
    if rng.random() < 0.15:
        lines.append("Crawl-delay: 2")
        tags.append("crawl_delay")
    if site.sitemap_style != "none" and (rng.random() < 0.8 or discovery == "sitemap"):
        lines += ["", "Sitemap: {base}/sitemap.xml"]
    if rng.random() < 0.1 and not site.js_menu and discovery != "sitemap":
        site.robots_txt = ""  # no robots.txt at all (404)
        tags.append("no_robots_txt")
    else:
        site.robots_txt = "\n".join(lines) + "\n"
    site.robots = RobotsRules.parse(site.robots_txt)
    tags.sort()


def _items_to_blocks(items: list[Item]) -> list[Block]:
    out: list[Block] = []
    ul: list[str] = []
    for it in items:
        if it.kind != "li" and ul:
            out.append(Block("ul", items=ul))
            ul = []
        if it.kind in ("h1", "cover"):
            out.append(Block("h2", it.text))
        elif it.kind == "h2":
            out.append(Block("h3", it.text))
        elif it.kind == "p":
            out.append(Block("p", it.text))
        elif it.kind == "li":
            ul.append(it.text)
        elif it.kind == "table":
            out.append(Block("table", rows=it.rows))
    if ul:
        out.append(Block("ul", items=ul))
    return out


def _page_at_depth(
    b: SiteBuilder,
    depth: int,
    front: Page,
    fam_sec: Page,
    home_sub: Page,
    sub_lists: dict[str, list[Link]],
    child_of,
    lang: str,
) -> Page:  # type: ignore[no-untyped-def]
    """A page at structural depth `depth` in the plan's branch (creating a chain of pages when needed)."""
    if depth <= 0:
        return front
    if depth == 1:
        return fam_sec
    page = home_sub
    names = {
        "nb": ["Rutiner og veiledere", "For ansatte i oppvekst", "Planer"],
        "nn": ["Rutinar og rettleiarar", "For tilsette i oppvekst", "Planar"],
        "da": ["Vejledninger", "For fagpersoner", "Planer og procedurer"],
    }[lang]
    for level in range(3, depth + 1):
        page = child_of(
            page,
            names[(level - 3) % len(names)],
            "service",
            [Block("p", b.f(t)) for t in b.paras(T.FILLER[lang], 1, 2, page.title.lower())],
        )
    return page


def _build_js_menus(site: Site) -> None:
    """JSON endpoints the page script reads: /api/menu.json, /api/menu/<node>.json, .../documents.json."""
    site.json["/api/menu.json"] = json.dumps(
        {"items": [{"id": f"n{i}", "title": lk.text, "url": lk.target} for i, lk in enumerate(site.top_menu)]},
        ensure_ascii=False,
    ).encode()
    for i, page in enumerate(site.pages.values()):
        node = f"p{i}"
        page.menu_node = node
        docs = [lk for lk in page.js_links if lk.target in site.doc_paths or lk.target in site.redirects]
        pages = [lk for lk in page.js_links if lk not in docs]
        body: dict[str, object] = {"id": node, "children": [{"title": lk.text, "url": lk.target} for lk in pages]}
        if docs:
            body["documents"] = f"/api/menu/{node}/documents.json"
            site.json[f"/api/menu/{node}/documents.json"] = json.dumps(
                [{"title": lk.text, "url": lk.target} for lk in docs], ensure_ascii=False
            ).encode()
        site.json[f"/api/menu/{node}.json"] = json.dumps(body, ensure_ascii=False).encode()


def build_web(seed: int, n_sites: int = 40) -> HeldoutWeb:
    """Generate the web for `seed`: about 60 % Norwegian and 40 % Danish sites, 1-2 unreachable."""
    rng = random.Random(seed)
    n_dk = max(1, round(n_sites * 0.4 + rng.uniform(-2, 2))) if n_sites > 1 else 0
    n_dk = min(n_dk, n_sites - 1) if n_sites > 1 else 0
    n_no = n_sites - n_dk
    chosen: list[tuple[str, str, str, str, str]] = []
    for knr, name, short, malform in rng.sample(NO_KOMMUNER, n_no):
        if malform == "Nynorsk":
            lang = "nn"
        elif malform == "Bokmål":
            lang = "nb"
        else:
            lang = "nn" if rng.random() < 0.2 else "nb"
        chosen.append((knr, name, short, "NO", lang))
    for knr, name, short in rng.sample(DK_KOMMUNER, n_dk):
        chosen.append((knr, name, short, "DK", "da"))
    rng.shuffle(chosen)
    n_unreach = min(n_sites, rng.choice([1, 2])) if n_sites >= 4 else 0
    unreachable = set(rng.sample(range(n_sites), n_unreach))
    third = seed % 250
    sites: list[Site] = []
    for i, (knr, name, short, country, lang) in enumerate(chosen):
        site_rng = random.Random(rng.getrandbits(64))
        cms = _w(site_rng, CMS_WEIGHTS[country])
        site = Site(
            index=i,
            kommunenummer=knr,
            name=name,
            short=short,
            country=country,
            language=lang,
            cms=cms,
            host=f"127.88.{third}.{i + 1}",
            scenarios=[f"cms_{cms}", f"lang_{lang}"],
            rng_seed=site_rng.getrandbits(32),
        )
        if i in unreachable:
            site.unreachable = site_rng.choice(["refused", "503"])
        _build_site(site, site_rng)
        sites.append(site)
    truth = {s.kommunenummer: derive_truth(s) for s in sites}
    return HeldoutWeb(seed=seed, sites=sites, truth_paths=truth)
