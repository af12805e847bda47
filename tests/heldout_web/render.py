"""HTML of the held-out web: page chrome per CMS style, search results, calendar and facet traps, JS menus.

Each CMS style has its own markup (class names, skip links, search form, footer credit) modelled on the
real systems; links are decorated at render time (absolute URLs on ACOS sites, session ids, utm tracking).
"""

from __future__ import annotations

import html
import zlib
from urllib.parse import urlencode

from . import texts as T
from .graph import print_path
from .model import Block, Link, Page, Site

MENU_JS = """(function () {
  'use strict';
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    for (var k in attrs) { e.setAttribute(k, attrs[k]); }
    if (text) { e.textContent = text; }
    return e;
  }
  function addLinks(list, items) {
    if (!list) { return; }
    items.forEach(function (it) {
      var li = el('li', {});
      li.appendChild(el('a', {href: it.url}, it.title));
      list.appendChild(li);
    });
  }
  async function getJson(url) {
    var r = await fetch(url, {headers: {'Accept': 'application/json'}});
    if (!r.ok) { throw new Error(url + ' ' + r.status); }
    return r.json();
  }
  async function run() {
    var nav = document.querySelector('[data-menu-src]');
    if (!nav) { return; }
    var menu = await getJson(nav.getAttribute('data-menu-src'));
    var top = el('ul', {'class': 'menu'});
    nav.appendChild(top);
    addLinks(top, menu.items);
    var node = nav.getAttribute('data-node');
    if (!node) { return; }
    var sub = await getJson('/api/menu/' + node + '.json');
    addLinks(document.getElementById('js-children'), sub.children || []);
    if (sub.documents) {
      var docs = await getJson(sub.documents);
      addLinks(document.getElementById('js-documents'), docs);
    }
    document.documentElement.setAttribute('data-menu-ready', '1');
  }
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', run);
  } else { run(); }
})();
"""

CREDIT = {
    "acos": "Design og utvikling: ACOS AS",
    "enonic": "Levert av Enonic XP",
    "optimizely": "Optimizely CMS",
    "os2web": "Drevet af OS2web",
    "sitevision": "Sitevision",
    "wordpress": "Drevet med WordPress",
}


class Renderer:
    """Renders one site's pages for one base URL and one session id."""

    def __init__(self, site: Site, base: str, sid: str) -> None:
        self.site = site
        self.base = base
        self.sid = sid
        self.ui = T.UI[site.language]

    # ------------------------------------------------------------ links
    def href(self, link: Link) -> str:
        if link.external:
            return link.target
        target = link.target
        site = self.site
        if site.session_style == "jsessionid":
            path, _, query = target.partition("?")
            target = f"{path};jsessionid={self.sid.upper()}" + (f"?{query}" if query else "")
        elif site.session_style == "sid":
            target += ("&" if "?" in target else "?") + "sid=" + self.sid
        if link.track:
            target += ("&" if "?" in target else "?") + "utm_source=forside&utm_medium=nyhetsliste"
        if site.absolute_links:
            target = self.base + target
        return target

    def a(self, link: Link, cls: str = "") -> str:
        c = f' class="{cls}"' if cls else ""
        return f'<a href="{html.escape(self.href(link))}"{c}>{html.escape(link.text)}</a>'

    # ------------------------------------------------------------ blocks
    def block(self, b: Block) -> str:
        e = html.escape
        if b.kind in ("h2", "h3"):
            return f"<{b.kind}>{e(b.text)}</{b.kind}>"
        if b.kind == "p":
            return f"<p>{e(b.text)}</p>"
        if b.kind == "ul":
            return "<ul>" + "".join(f"<li>{e(i)}</li>" for i in b.items) + "</ul>"
        if b.kind == "table":
            head, *rows = b.rows or [[]]
            th = "".join(f"<th>{e(c)}</th>" for c in head)
            trs = "".join("<tr>" + "".join(f"<td>{e(c)}</td>" for c in r) + "</tr>" for r in rows)
            return f'<table class="table"><thead><tr>{th}</tr></thead><tbody>{trs}</tbody></table>'
        if b.kind == "links":
            title = f"<h2>{e(b.text)}</h2>" if b.text else ""
            items = "".join(f"<li>{self.a(lk)}</li>" for lk in b.links)
            return f'<div class="link-list">{title}<ul>{items}</ul></div>'
        return b.text

    # ------------------------------------------------------------ chrome
    def search_form(self) -> str:
        s = self.site
        ph = html.escape(self.ui["search_ph"])
        return (
            f'<form action="{html.escape(s.search_path)}" method="get" role="search" class="search-form">'
            f'<label for="q">{self.ui["search"]}</label>'
            f'<input type="search" id="q" name="{s.search_param}" placeholder="{ph}" aria-label="Søketekst">'
            f'<button type="submit">{self.ui["search"]}</button></form>'
        )

    def nav(self, page: Page) -> str:
        s = self.site
        if s.js_menu:
            node = f' data-node="{page.menu_node}"' if page.menu_node else ""
            return f'<nav class="main-menu" aria-label="{self.ui["menu"]}" data-menu-src="/api/menu.json"{node}></nav>'
        items = "".join(f'<li class="toplevel">{self.a(lk)}</li>' for lk in s.top_menu)
        cls = {"acos": "vListe", "os2web": "menu menu--main", "wordpress": "menu", "sitevision": "sv-menu"}.get(
            s.cms, "main-menu__list"
        )
        return f'<nav class="main-menu" aria-label="{self.ui["menu"]}"><ul class="{cls}">{items}</ul></nav>'

    def page(self, page: Page, *, print_mode: bool = False) -> str:
        s, ui = self.site, self.ui
        body = "".join(self.block(b) for b in page.blocks)
        if s.js_menu and not print_mode:
            body += '<ul id="js-children" class="child-list"></ul><ul id="js-documents" class="document-list"></ul>'
        title = f"{page.title} - {s.short} {ui['suffix']}" if page.path != "/" else page.title
        if print_mode:
            return self.doc(title, f"<main><h1>{html.escape(page.title)}</h1>{body}</main>", print_mode=True)
        crumbs = ""
        if page.breadcrumb:
            crumbs = (
                '<nav class="breadcrumbs" aria-label="Brødsmuler"><ol>'
                + "".join(f"<li>{self.a(lk)}</li>" for lk in page.breadcrumb)
                + f"<li>{html.escape(page.title)}</li></ol></nav>"
            )
        tools = ""
        if page.printable:
            tools = f'<p class="tools">{self.a(Link(print_path(page.path), ui["print"]))}</p>'
        main = f'<main id="main">{crumbs}<h1>{html.escape(page.title)}</h1>{body}{tools}</main>'
        return self.wrap(title, main, page)

    def wrap(self, title: str, main: str, page: Page | None) -> str:
        s, ui = self.site, self.ui
        header = (
            f'<header class="header"><a href="{html.escape(self.href(Link("/", ui["home"])))}" class="logo">'
            f'<img src="/assets/logo.svg" alt="{html.escape(s.short)} {ui["suffix"]} logo"></a>'
            f"{self.search_form()}{self.nav(page or Page('/x', '', 'x'))}</header>"
        )
        footer = (
            '<footer class="footer"><ul>'
            + "".join(f"<li>{self.a(lk)}</li>" for lk in s.footer)
            + f"</ul><p>{html.escape(s.short)} {ui['suffix']} · Org.nr. 9{s.kommunenummer}12345</p>"
            f'<p class="credit">{CREDIT[s.cms]}</p></footer>'
        )
        skip = f'<a class="skip" href="#main">{ui["skip"]}</a>'
        if s.cms == "acos":
            inner = (
                f'<ul class="il-skip-to-links hidden"><li>{skip}</li></ul>'
                '<form method="post" action="" id="aspnetForm"><input type="hidden" name="__VIEWSTATE" '
                f'value="/wEPDwUK{zlib.crc32(title.encode()):010d}"></form>{header}{main}{footer}'
            )
        elif s.cms == "os2web":
            inner = (
                f'<div class="dialog-off-canvas-main-canvas">{skip}{header}<div class="region region-content">'
                f"{main}</div>{footer}</div>"
            )
        elif s.cms == "sitevision":
            portlet = f'<div class="sv-portlet sv-text-portlet">{main}</div>'
            inner = f'<div class="sv-layout">{skip}{header}{portlet}{footer}</div>'
        elif s.cms == "wordpress":
            inner = f'<div id="page" class="site">{skip}{header}<article class="post">{main}</article>{footer}</div>'
        else:
            inner = f'<div class="page-wrapper">{skip}{header}{main}{footer}</div>'
        return self.doc(title, inner)

    def doc(self, title: str, inner: str, *, print_mode: bool = False) -> str:
        lang = {"nb": "nb", "nn": "nn", "da": "da"}[self.site.language]
        script = '<script src="/assets/js/menu.js" defer></script>' if self.site.js_menu and not print_mode else ""
        gen = {
            "wordpress": '<meta name="generator" content="WordPress 6.4.3">',
            "enonic": '<meta name="generator" content="Enonic XP">',
        }.get(self.site.cms, "")
        robots = '<meta name="robots" content="noindex">' if print_mode else ""
        return (
            f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">{gen}{robots}'
            f"<title>{html.escape(title)}</title>{script}</head><body>{inner}</body></html>"
        )

    # ------------------------------------------------------------ dynamic pages
    def search(self, query: str, page_no: int) -> str:
        s, ui = self.site, self.ui
        tokens = [t for t in query.lower().split() if t]
        scored: list[tuple[int, int, str, str, str]] = []
        for i, (title, path, text) in enumerate(s.search_index):
            tl, xl = title.lower(), text.lower()
            score = sum(5 * tl.count(t) + xl.count(t) for t in tokens)
            if score:
                scored.append((-score, i, title, path, text))
        scored.sort()
        per = 10
        hits = scored[(page_no - 1) * per : page_no * per]
        items = "".join(
            f'<li class="search-result">{self.a(Link(p, t))}<p>{html.escape(x[:180])}…</p></li>'
            for _, _, t, p, x in hits
        )
        nav = ""
        if page_no * per < len(scored):
            q = urlencode({s.search_param: query, "page": page_no + 1})
            nav = f"<p>{self.a(Link(s.search_path + '?' + q, ui['next']))}</p>"
        summary = f"<p>{len(scored)} {ui['hits']}</p>" if scored else f"<p>{ui['no_hits']}</p>"
        main = (
            f'<main id="main"><h1>{ui["results"]}: {html.escape(query)}</h1>{self.search_form()}{summary}'
            f'<ol class="search-results">{items}</ol>{nav}</main>'
        )
        return self.wrap(ui["results"], main, None)

    def calendar(self, month: str) -> str:
        ui = self.ui
        try:
            y, m = (int(x) for x in month.split("-", 1))
            if not (1900 <= y <= 9999 and 1 <= m <= 12):
                raise ValueError
        except ValueError:
            y, m = 2026, 1
        prev_y, prev_m = (y, m - 1) if m > 1 else (y - 1, 12)
        next_y, next_m = (y, m + 1) if m < 12 else (y + 1, 1)
        months = T.MONTHS[self.site.language]
        events = "".join(
            f"<li>{d}. {months[m - 1]} {y}: {name}</li>"
            for d, name in (
                (3 + (y + m) % 5, "Konsert i kulturhuset"),
                (12, "Åpen dag på biblioteket"),
                (21, "Loppemarked"),
            )
        )
        nav = (
            f"<p>{self.a(Link(f'/kalender?month={prev_y}-{prev_m:02d}', ui['prev']))} · "
            f"{self.a(Link(f'/kalender?month={next_y}-{next_m:02d}', ui['next']))}</p>"
        )
        main = f'<main id="main"><h1>{ui["calendar"]} {months[m - 1]} {y}</h1><ul>{events}</ul>{nav}</main>'
        return self.wrap(ui["calendar"], main, None)

    def facets(self, archive: str, params: dict[str, str]) -> str:
        s, ui = self.site, self.ui
        key = zlib.crc32(urlencode(sorted(params.items())).encode())
        news = s.facet_news
        chosen = [news[(key + i * 7) % len(news)] for i in range(min(5, len(news)))] if news else []
        items = "".join(f"<li>{self.a(lk)}</li>" for lk in dict.fromkeys(chosen))
        filters = []
        for tema in ("helse", "skole", "kultur", "politikk", "natur"):
            for aar in ("2023", "2024", "2025"):
                p = dict(params, tema=tema, aar=aar)
                filters.append(Link(archive + "?" + urlencode(sorted(p.items())), f"{tema} {aar}"))
        for sort in ("nyeste", "eldste", "populaer"):
            p = dict(params, sortering=sort)
            filters.append(Link(archive + "?" + urlencode(sorted(p.items())), sort))
        flinks = "".join(f"<li>{self.a(lk)}</li>" for lk in filters)
        main = (
            f'<main id="main"><h1>{ui["news"]}</h1><ul>{items}</ul><h2>{ui["filter"]}</h2>'
            f'<ul class="facets">{flinks}</ul></main>'
        )
        return self.wrap(ui["news"], main, None)

    def not_found(self) -> str:
        ui = self.ui
        return self.wrap(ui["not_found"], f'<main id="main"><h1>{ui["not_found"]}</h1></main>', None)

    def unavailable(self) -> str:
        return self.doc("503", f"<h1>{self.ui['unavailable']}</h1>")
