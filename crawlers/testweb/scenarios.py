"""The synthetic kommune web: one site per discovery scenario, each with the finding the pipeline should export.

`build_demo_web()` gives the seventeen scenarios of the brief (menu, deep, sitemap_only, search_only, javascript,
general_only, no_plan, expired, robots, down, slow, redirects, calendar_trap, broken_pdf, html_plan, docx_plan,
scanned); `build_large_web()` mixes them over many hosts for benchmarks. Plan periods are relative to `today`, so a
"current" plan stays current whenever the suite runs (in 2026: 2024–2027, 2025–2028 ...).

The parts the scenarios build from, and the conventions they keep, are `crawlers.testweb.scenario_kit`; the web
itself (kommuner, expected findings, serving) is `crawlers.testweb.demoweb`.

Accessibility variety: plan PDFs are untagged and declare neither language nor title, except `menu`'s, which
declares both; `general_only` links its plan only as "Last ned"; `scanned` has no text layer at all; `docx_plan`
needs Word.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable
from datetime import date

from crawlers.testweb import pages
from crawlers.testweb.demoweb import DemoKommune, DemoWeb, ExpectedFinding
from crawlers.testweb.documents import DOCX_TYPE, PDF_TYPE, broken_pdf_bytes, docx_bytes, pdf_bytes, scanned_pdf_bytes
from crawlers.testweb.pages import Link
from crawlers.testweb.plantexts import Lang, abuse_plan, budget, council_minutes, general_violence_plan
from crawlers.testweb.scenario_kit import Built, Ctx, add_pdf, base_site, distractors, doc_path, found, note, plans_page
from crawlers.testweb.server import Reply, Request, redirect

# --- the scenarios ----------------------------------------------------------------------------------------------


def _menu(ctx: Ctx) -> Built:
    ctx.extra_menu.append(("Planer og styringsdokumenter", "/planer-og-styringsdokumenter"))
    b = base_site(ctx)
    s, e = ctx.year - 2, ctx.year + 1
    doc = abuse_plan("nb", ctx.docs, s, e)
    path = plans_page(
        b,
        ctx,
        "/planer-og-styringsdokumenter",
        "Planer og styringsdokumenter",
        [doc, *distractors(ctx)],
        declare_first=True,
    )
    return b, found(doc, path, s, e, ctx.year, click_depth=2)


def _deep(ctx: Ctx) -> Built:
    b = base_site(ctx)
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
    path = plans_page(b, ctx, parent + "/vald-og-overgrep", "Vald og overgrep", [doc], parent=parent)
    return b, found(doc, path, s, e, ctx.year, click_depth=5)


def _sitemap_only(ctx: Ctx) -> Built:
    b = base_site(ctx)
    b.sitemap = "index"
    s, e = ctx.year - 1, ctx.year + 2
    doc = abuse_plan("da", ctx.docs, s, e)
    path, _ = add_pdf(b, ctx, doc, in_sitemap=True)
    plans_page(b, ctx, "/politik/planer-og-strategier", "Planer og strategier", distractors(ctx), parent="/politik")
    return b, found(doc, path, s, e, ctx.year, found_via="sitemap", click_depth=None)


def _search_only(ctx: Ctx) -> Built:
    b = base_site(ctx)
    s, e = ctx.year - 1, ctx.year + 2
    doc = abuse_plan("nb", ctx.docs, s, e)
    path, _ = add_pdf(b, ctx, doc, searchable=True)
    plans_page(b, ctx, "/politikk/planer", "Planer", distractors(ctx), parent="/politikk")
    return b, found(doc, path, s, e, ctx.year, found_via="site_search", click_depth=None)


def _javascript(ctx: Ctx) -> Built:
    ctx.js_menu = True
    ctx.extra_menu.append(("Planer og strategier", "/planer-og-strategier"))
    b = base_site(ctx)
    s, e = ctx.year - 2, ctx.year + 1
    doc = abuse_plan("da", ctx.docs, s, e)
    links: list[Link] = []
    for d in [doc, *distractors(ctx)]:
        doc_path, _ = add_pdf(b, ctx, d)
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
    return b, found(doc, links[0][1], s, e, ctx.year, found_via="rendered", click_depth=2)


def _general_only(ctx: Ctx) -> Built:
    b = base_site(ctx)
    s, e = ctx.year - 3, ctx.year
    doc = general_violence_plan("nb", ctx.docs, s, e)
    page = "/tjenester/vold-i-naere-relasjoner"
    path = plans_page(b, ctx, page, "Vold i nære relasjoner", [doc], parent="/tjenester", download_label="Last ned")
    b.front(pages.link_list([("Vold i nære relasjoner", page)], css="shortcuts-extra"))
    return b, found(doc, path, s, e, ctx.year, click_depth=2)


def _no_plan(ctx: Ctx) -> Built:
    b = base_site(ctx)
    bud = budget(ctx.docs, ctx.year)
    bud_path, bud_body = add_pdf(b, ctx, bud)
    minutes = council_minutes(ctx.docs, ctx.year - 1)
    min_path, min_body = add_pdf(b, ctx, minutes)
    b.add_page(
        "/politikk/budsjett-og-okonomiplan",
        "Budsjett og økonomiplan",
        pages.document_list([(bud.title, bud_path, note(bud_body))]),
        parent="/politikk",
    )
    b.add_page(
        "/politikk/protokollar-kommunestyret",
        "Protokollar frå kommunestyret",
        pages.document_list([(minutes.title, min_path, note(min_body))]),
        parent="/politikk",
    )
    return b, ExpectedFinding(status="no_plan_found")


def _expired(ctx: Ctx) -> Built:
    ctx.extra_menu.append(("Planer", "/planer"))
    b = base_site(ctx)
    doc = abuse_plan("nb", ctx.docs, 2013, 2016)
    path = plans_page(b, ctx, "/planer", "Planer", [doc, *distractors(ctx, 1)])
    return b, found(doc, path, 2013, 2016, ctx.year, click_depth=2)


def _robots(ctx: Ctx) -> Built:
    b = base_site(ctx)
    b.robots_extra = "Crawl-delay: 0.2\nDisallow: /intern/"
    hidden = abuse_plan("da", ctx.docs, ctx.year - 1, ctx.year + 2)
    hidden_path = "/intern/" + pages.slug(hidden.title, "da") + ".pdf"
    b.add_document(hidden_path, pdf_bytes(hidden), PDF_TYPE, hidden.title)
    s, e = ctx.year - 2, ctx.year + 1
    doc = general_violence_plan("da", ctx.docs, s, e)
    page = "/borger/vold-i-naere-relationer"
    path = plans_page(b, ctx, page, "Vold i nære relationer", [doc], parent="/borger")
    b.front(pages.link_list([(hidden.title, hidden_path), ("Vold i nære relationer", page)], css="genveje"))
    return b, found(doc, path, s, e, ctx.year, click_depth=2, never_fetch=(hidden_path,))


def _slow(ctx: Ctx) -> Built:
    ctx.delay = 0.8
    ctx.extra_menu.append(("Planer og strategier", "/planer-og-strategier"))
    b = base_site(ctx)
    b.sitemap = "none"
    s, e = ctx.year - 2, ctx.year + 1
    doc = abuse_plan("nb", ctx.docs, s, e)
    path = plans_page(b, ctx, "/planer-og-strategier", "Planer og strategier", [doc])
    return b, found(doc, path, s, e, ctx.year, click_depth=2)


def _redirects(ctx: Ctx) -> Built:
    ctx.extra_menu.append(("Planverk", "/planverk"))
    b = base_site(ctx)
    b.front_path = "/forside"
    b.add_route("/", redirect("/forside"))
    s, e = ctx.year - 1, ctx.year + 2
    doc = abuse_plan("nb", ctx.docs, s, e)
    new_path, body = add_pdf(b, ctx, doc)
    old_path = "/dokumenter/handlingsplan-overgrep.pdf"
    b.add_route(old_path, redirect(new_path))
    b.add_page(
        "/planverk",
        "Planverk",
        pages.document_list([(doc.title, old_path, note(body))]),
        in_sitemap=False,
        searchable=False,
    )
    return b, found(doc, new_path, s, e, ctx.year, click_depth=2, alternate_paths=(old_path,))


def _calendar_trap(ctx: Ctx) -> Built:
    b = base_site(ctx)
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
    path = plans_page(
        b, ctx, "/tenester/oppvekst-og-skule", "Oppvekst og skule", [doc, *distractors(ctx, 1)], parent="/tenester"
    )
    return b, found(doc, path, s, e, ctx.year, click_depth=3)


def _broken_pdf(ctx: Ctx) -> Built:
    b = base_site(ctx)
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
    path = plans_page(b, ctx, "/borger/boern-og-unge", "Børn og unge", [doc], parent="/borger")
    return b, found(doc, path, s, e, ctx.year, click_depth=3, error_paths=(broken_path,))


def _html_plan(ctx: Ctx) -> Built:
    b = base_site(ctx)
    s, e = ctx.year - 2, ctx.year + 2
    doc = abuse_plan("nb", ctx.docs, s, e, title=f"Handlingsplan mot seksuelle overgrep mot barn og unge {s}–{e}")
    path = "/tjenester/" + pages.slug(doc.title, "nb")
    b.add_page(path, doc.title, pages.article_html(doc), parent="/tjenester", in_sitemap=False, searchable=False)
    return b, found(doc, path, s, e, ctx.year, click_depth=2, plan_format="html", text_source="html")


def _docx_plan(ctx: Ctx) -> Built:
    ctx.extra_menu.append(("Planar", "/planar"))
    b = base_site(ctx)
    s, e = ctx.year - 1, ctx.year + 2
    doc = abuse_plan("nn", ctx.docs, s, e, title=f"Handlingsplan mot seksuelle overgrep mot born og unge {s}–{e}")
    body = docx_bytes(doc)
    path = b.add_document(doc_path(ctx, doc.title, "docx"), body, DOCX_TYPE, doc.title)
    b.add_page(
        "/planar",
        "Planar",
        pages.document_list([(doc.title, path, note(body, "Word"))]),
        in_sitemap=False,
        searchable=False,
    )
    return b, found(doc, path, s, e, ctx.year, click_depth=2, plan_format="docx", text_source="text_layer")


def _scanned(ctx: Ctx) -> Built:
    """The plan exists only as a scan (page images, no text layer): found only if the pipeline OCRs it."""
    ctx.extra_menu.append(("Planer", "/planer"))
    b = base_site(ctx)
    s, e = ctx.year - 1, ctx.year + 2
    doc = abuse_plan("nb", ctx.docs, s, e)
    body = scanned_pdf_bytes(doc)
    path = b.add_document(doc_path(ctx, doc.title), body, PDF_TYPE, doc.title)
    listed = [(doc.title, path, note(body, "PDF, skannet"))]
    for other in distractors(ctx, 1):
        other_path, other_body = add_pdf(b, ctx, other)
        listed.append((other.title, other_path, note(other_body)))
    intro = pages.paragraphs([f"{ctx.name}: vedtatte planer."])
    b.add_page("/planer", "Planer", intro + pages.document_list(listed), in_sitemap=False, searchable=False)
    return b, found(doc, path, s, e, ctx.year, click_depth=2, text_source="ocr")


def _down(ctx: Ctx) -> Built:
    return None, ExpectedFinding(status="site_unreachable")


_Scenario = Callable[[Ctx], Built]

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
        ctx = Ctx(
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
        ctx = Ctx(host, lang, name, random.Random(f"{seed}:{i}"), today.year, today, pages_per_site, doc_name=base_name)
        builder, expected = build(ctx)
        assert builder is not None  # LARGE_MIX has no `down`
        country = "DK" if lang == "da" else "NO"
        kommuner.append(DemoKommune(f"{7000 + i}", name, country, scenario, expected, host, builder.build()))
    return DemoWeb(kommuner, port=port)
