"""HTML of the test web: the page layouts (ACOS-like for Norwegian kommuner, a typical Danish kommune site for
Danish ones), search results and the calendar.

Layouts are modelled on real ACOS markup (/work/shared/data/html_samples/: "Hopp til innhold", header menu,
search box `txtSearch` with "Hva leter du etter?", breadcrumbs, footer "Design og utvikling: ACOS AS") but kept
lean: no ViewState, no tracking scripts. Everything here returns strings; routing lives in `sitebuilder.py`,
the filler pages' words in `fillers.py`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from html import escape

from crawlers.testweb.plantexts import DocText, Lang

Link = tuple[str, str]  # (text, href)

_WORDS: dict[Lang, dict[str, str]] = {
    "nb": {
        "skip": "Hopp til innhold",
        "skip_menu": "Hopp til meny",
        "skip_search": "Hopp til søk",
        "search_q": "Hva leter du etter?",
        "search": "Søk",
        "menu": "Meny",
        "home": "Forside",
        "results": "Søkeresultat for",
        "none": "Ingen treff på",
        "kommune": "kommune",
        "contact": "Kontakt oss",
        "news": "Aktuelt",
        "shortcuts": "Snarveier",
        "calendar": "Kalender",
        "next_day": "Neste dag",
        "prev_day": "Forrige dag",
        "next_month": "Neste måned",
        "events": "Arrangementer",
        "noscript": "Du må slå på JavaScript for å bruke menyen.",
        "documents": "Dokumenter",
        "updated": "Sist oppdatert",
    },
    "nn": {
        "skip": "Hopp til innhald",
        "skip_menu": "Hopp til meny",
        "skip_search": "Hopp til søk",
        "search_q": "Kva leitar du etter?",
        "search": "Søk",
        "menu": "Meny",
        "home": "Framside",
        "results": "Søkjeresultat for",
        "none": "Ingen treff på",
        "kommune": "kommune",
        "contact": "Kontakt oss",
        "news": "Aktuelt",
        "shortcuts": "Snarvegar",
        "calendar": "Kalender",
        "next_day": "Neste dag",
        "prev_day": "Førre dag",
        "next_month": "Neste månad",
        "events": "Arrangement",
        "noscript": "Du må slå på JavaScript for å bruke menyen.",
        "documents": "Dokument",
        "updated": "Sist oppdatert",
    },
    "da": {
        "skip": "Gå til indhold",
        "skip_menu": "Gå til menu",
        "skip_search": "Gå til søgning",
        "search_q": "Hvad søger du?",
        "search": "Søg",
        "menu": "Menu",
        "home": "Forside",
        "results": "Søgeresultater for",
        "none": "Ingen resultater for",
        "kommune": "Kommune",
        "contact": "Kontakt",
        "news": "Nyheder",
        "shortcuts": "Genveje",
        "calendar": "Kalender",
        "next_day": "Næste dag",
        "prev_day": "Forrige dag",
        "next_month": "Næste måned",
        "events": "Arrangementer",
        "noscript": "Slå JavaScript til for at se menuen.",
        "documents": "Dokumenter",
        "updated": "Senest opdateret",
    },
}


def words(lang: Lang) -> dict[str, str]:
    return _WORDS[lang]


def slug(text: str, lang: Lang) -> str:
    """A URL path segment the way Norwegian/Danish CMSs make them (æ→ae, ø→o/oe, å→a/aa)."""
    lowered = text.lower()
    table = {"æ": "ae", "ø": "oe", "å": "aa"} if lang == "da" else {"æ": "ae", "ø": "o", "å": "a"}
    for char, repl in table.items():
        lowered = lowered.replace(char, repl)
    return re.sub(r"[^a-z0-9]+", "-", lowered).strip("-")


@dataclass(frozen=True)
class Look:
    """What every page of one site shares: kommune name, language, country, header menu and search action."""

    kommune: str
    lang: Lang
    menu: tuple[Link, ...]
    search_action: str  # "/sok" or "/soeg"
    footer: tuple[Link, ...] = ()
    js_menu: bool = False  # the header menu is built by an inline script (static <nav> is empty)

    @property
    def country(self) -> str:
        return "DK" if self.lang == "da" else "NO"

    @property
    def owner(self) -> str:
        return f"{self.kommune} {words(self.lang)['kommune']}"


def _links_ul(links: Sequence[Link], css: str) -> str:
    items = "".join(f'<li class="toplevel"><a href="{escape(h)}">{escape(t)}</a></li>' for t, h in links)
    return f'<ul class="{css}">{items}</ul>'


def _menu_script(menu: Sequence[Link]) -> str:
    data = json.dumps([{"title": t, "url": h} for t, h in menu], ensure_ascii=False)
    return (
        "<script>\n(function () {\n"
        f"  var MENU = {data};\n"
        "  var nav = document.getElementById('main-nav');\n"
        "  var ul = document.createElement('ul');\n"
        "  MENU.forEach(function (item) {\n"
        "    var li = document.createElement('li'); var a = document.createElement('a');\n"
        "    a.href = item.url; a.textContent = item.title; li.appendChild(a); ul.appendChild(li);\n"
        "  });\n"
        "  nav.appendChild(ul);\n})();\n</script>"
    )


def layout(look: Look, title: str, content: str, breadcrumbs: Sequence[Link] = (), script: str = "") -> str:
    """A full page in the site's look; `content` is trusted HTML placed inside <main>."""
    if look.lang == "da":
        return _layout_dk(look, title, content, breadcrumbs, script)
    return _layout_acos(look, title, content, breadcrumbs, script)


def _crumbs(breadcrumbs: Sequence[Link], css: str) -> str:
    if not breadcrumbs:
        return ""
    items = "".join(f'<li class="{css}__item"><a href="{escape(h)}">{escape(t)}</a></li>' for t, h in breadcrumbs)
    return f'<nav class="{css}"><ul class="{css}__list">{items}</ul></nav>'


def _layout_acos(look: Look, title: str, content: str, breadcrumbs: Sequence[Link], script: str) -> str:
    w = words(look.lang)
    menu = "" if look.js_menu else _links_ul(look.menu, "vListe")
    footer = _links_ul(look.footer, "vListe footer-links")
    return f"""<!DOCTYPE html>
<html lang="{look.lang}">
<head><meta charset="utf-8" /><meta name="viewport" content="width=device-width, initial-scale=1.0" />
<title>{escape(title)} - {escape(look.owner)}</title>
<link href="/kunde/css/site.css" type="text/css" rel="stylesheet" />
<meta name="author" content="{escape(look.owner)}" /><meta name="language" content="{look.lang}" />
</head>
<body lang="{look.lang}">
<div aria-label="Snarveier" role="navigation"><ul class="il-skip-to-links hidden">
<li class="il-skip-to-link-item"><a class="il-skip-to-link" href="#contentInnhold">{w["skip"]}</a></li>
<li class="il-skip-to-link-item"><a class="il-skip-to-link" href="#contentHovedmeny">{w["skip_menu"]}</a></li>
<li class="il-skip-to-link-item"><a class="il-skip-to-link" href="#contentSok">{w["skip_search"]}</a></li>
</ul></div>
<header class="header"><div class="header-inner responsive-container">
<div class="header-logo"><a href="/"><span class="header-logo-title">{escape(look.owner)}</span></a></div>
<div class="header-navigation"><div class="header-navigation-links">
<div id="Sone1002" class="zone Zone webPartZoneVertical">
<div class="webPart wp-links-header"><div class="webPartInnhold">
{menu}
</div></div></div></div></div></div></header>
<div class="search-box" role="search" id="searchBoxContainer"><div class="webPart wp-search">
<h2 class="webPartTittel"><span>{w["search_q"]}</span></h2>
<form method="get" action="{look.search_action}" class="js-searchform"><a name="contentSok"></a>
<input name="q" type="text" id="ctl00_innhold_WebpartId_1043_txtSearch" placeholder="{w["search_q"]}" />
<input type="submit" value="{w["search"]}" /></form></div></div>
<nav class="main-menu" id="main-nav" aria-label="Hovedmeny"><a name="contentHovedmeny"></a></nav>
<main class="main"><a name="contentInnhold"></a>
{_crumbs(breadcrumbs, "breadcrumbs")}
<div class="article responsive-container"><h1 class="js-content-title">{escape(title)}</h1>
{content}
</div></main>
<footer class="footer"><div class="footer-inner responsive-container">
<p>{escape(look.owner)} · Rådhuset · Postboks 1</p>{footer}
<p class="acos">Design og utvikling: ACOS AS</p></div></footer>
{script}
</body></html>"""


def _layout_dk(look: Look, title: str, content: str, breadcrumbs: Sequence[Link], script: str) -> str:
    w = words(look.lang)
    menu = "" if look.js_menu else _links_ul(look.menu, "main-nav__list")
    footer = _links_ul(look.footer, "footer__links")
    return f"""<!DOCTYPE html>
<html lang="da">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)} | {escape(look.owner)}</title>
<link rel="stylesheet" href="/dist/css/main.css"></head>
<body>
<a class="skip-link" href="#main">{w["skip"]}</a>
<header class="site-header">
<a class="site-header__logo" href="/">{escape(look.owner)}</a>
<nav class="main-nav" id="main-nav" aria-label="Hovedmenu">{menu}</nav>
<noscript>{w["noscript"] if look.js_menu else ""}</noscript>
<form class="site-search" action="{look.search_action}" method="get" role="search">
<label for="q">{w["search_q"]}</label><input id="q" name="q" type="search" placeholder="{w["search_q"]}">
<button type="submit">{w["search"]}</button></form>
</header>
<main id="main" class="page">
{_crumbs(breadcrumbs, "breadcrumb")}
<h1>{escape(title)}</h1>
{content}
</main>
<footer class="site-footer"><p>{escape(look.owner)} · Rådhustorvet 1 · Tlf. 70 20 00 00</p>{footer}</footer>
{script}
</body></html>"""


def js_menu_script(look: Look) -> str:
    return _menu_script(look.menu)


def js_list_script(element_id: str, links: Sequence[Link]) -> str:
    """An inline script that fills `<ul id=element_id>` with links: nothing of them is in the static HTML."""
    data = json.dumps([{"title": t, "url": h} for t, h in links], ensure_ascii=False)
    return (
        f"<script>\n(function () {{\n  var DOCS = {data};\n"
        f"  var ul = document.getElementById('{element_id}');\n"
        "  DOCS.forEach(function (d) {\n"
        "    var li = document.createElement('li'); var a = document.createElement('a');\n"
        "    a.href = d.url; a.textContent = d.title; li.appendChild(a); ul.appendChild(li);\n"
        "  });\n})();\n</script>"
    )


def paragraphs(texts: Sequence[str]) -> str:
    return "".join(f"<p>{escape(t)}</p>" for t in texts)


def link_list(links: Sequence[Link], css: str = "link-list") -> str:
    items = "".join(f'<li><a href="{escape(h)}">{escape(t)}</a></li>' for t, h in links)
    return f'<ul class="{css}">{items}</ul>'


def document_list(docs: Sequence[tuple[str, str, str]]) -> str:
    """Documents as ACOS/Danish sites list them: title link plus a file-type/size note."""
    items = "".join(
        f'<li class="document"><a href="{escape(h)}">{escape(t)}</a> <span class="filetype">({escape(n)})</span></li>'
        for t, h, n in docs
    )
    return f'<ul class="documents">{items}</ul>'


def download_list(docs: Sequence[tuple[str, str, str]], label: str) -> str:
    """Documents as many CMS templates list them: the title as plain text, then a vague link ("Last ned").

    The link text says nothing out of context (WCAG 2.4.4): a screen reader's link list reads "Last ned, Last ned".
    """
    items = "".join(
        f'<li class="document"><span class="document-title">{escape(t)}</span> '
        f'<a class="download" href="{escape(h)}">{escape(label)}</a> <span class="filetype">({escape(n)})</span></li>'
        for t, h, n in docs
    )
    return f'<ul class="documents">{items}</ul>'


def article_html(doc: DocText) -> str:
    """A plan published as an HTML page: sections under <h2>."""
    parts = [f'<p class="ingress">{escape(line)}</p>' for line in doc.cover_lines]
    for section in doc.sections:
        parts.append(f"<h2>{escape(section.heading)}</h2>")
        parts.append(paragraphs(section.paragraphs))
    return "\n".join(parts)


def search_results(look: Look, query: str, hits: Sequence[tuple[str, str, str]]) -> str:
    """The site's search result page for `query`; hits are (title, href, snippet)."""
    w = words(look.lang)
    if hits:
        items = "".join(
            f'<li class="search-result"><h3><a href="{escape(h)}">{escape(t)}</a></h3><p>{escape(s)}</p></li>'
            for t, h, s in hits
        )
        body = f'<p>{len(hits)} treff</p><ol class="search-results">{items}</ol>'
    else:
        body = f"<p>{w['none']} «{escape(query)}».</p>"
    return layout(look, f"{w['results']} «{query}»", body)


def calendar_html(look: Look, day: date, session: str) -> str:
    """One day of an endless event calendar: links to the neighbouring days and month, some with session ids."""
    w = words(look.lang)
    action = "/kalender"
    nxt, prev, month = day + timedelta(days=1), day - timedelta(days=1), day + timedelta(days=31)
    events = [
        ("Konsert i kulturhuset" if look.lang != "da" else "Koncert i kulturhuset", 1),
        ("Eventyrstund på biblioteket" if look.lang != "da" else "Eventyrtime på biblioteket", 2),
        ("Opent møte om kommuneplanen" if look.lang == "nn" else "Åpent møte om kommuneplanen", 3),
    ]
    event_links = link_list(
        [(f"{title} {day.isoformat()}", f"/kalender/arrangement?id={n}&dato={day.isoformat()}") for title, n in events]
    )
    nav = link_list(
        [
            (w["prev_day"], f"{action}?dato={prev.isoformat()}"),
            (w["next_day"], f"{action};jsessionid={session}?dato={nxt.isoformat()}"),
            (w["next_month"], f"{action}?dato={month.isoformat()}&sid={session[:8]}"),
        ],
        css="calendar-nav",
    )
    content = f"<h2>{w['events']} {day.isoformat()}</h2>{event_links}{nav}"
    return layout(look, f"{w['calendar']} {day.isoformat()}", content, [(w["home"], "/")])
