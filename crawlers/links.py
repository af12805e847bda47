"""Links out of an HTML page (selectolax/lexbor), and the guess that a page builds its menu with JavaScript.

Each link carries its anchor text (img alt, aria-label and title count when the text is empty) and its context:
the nearest heading before it, which on kommune sites names the section ("Planer og styringsdokumenter").

Every page goes through `parse_html`, which first bounds the parser's work (`guard_html`): lexbor is quadratic
in nesting depth, so a hostile page of unclosed tags is flattened to 512 levels and a huge one is cut.
"""

from __future__ import annotations

import bisect
import logging
import re
from dataclasses import dataclass
from urllib.parse import urljoin

from selectolax.lexbor import LexborHTMLParser, LexborNode

from crawlers.urls import host_of, normalize_url, site_key

logger = logging.getLogger(__name__)

#: characters of one page given to the parser: far above any kommune page (the biggest seen are a few MB),
#: and a bound on what a page of deep-but-legal nesting can cost
MAX_PARSE_CHARS = 8_000_000
#: open elements a page may nest: Chromium's limit (kMaximumHTMLParserDOMTreeDepth)
MAX_DEPTH = 512
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# a start tag, end tag or comment opener; possessive quantifiers and `[^<>]` so a tag never closed costs
# only the characters up to the next `<`
_TAG = re.compile(r"<(?:(?P<comment>!--)|(?P<close>/)?(?P<name>[A-Za-z][^\s/<>]*+)(?P<attrs>[^<>]*+)>)")
_RAW_TEXT = frozenset({"script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "plaintext"})
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"}
    | {"keygen", "frame", "basefont", "bgsound", "image"}
)
# end tags implied by a sibling or the table and document structure, not worth a place on the stack
_UNCOUNTED = frozenset({"thead", "tbody", "tfoot", "colgroup", "rb", "rt", "rp", "rtc", "html", "head", "body"})
# WHATWG tree construction, the parts that keep real pages shallow: a new cell closes back to its row or
# table, a new row back to its table ...
_CELL_PARENTS = {"td": frozenset({"tr", "table"}), "th": frozenset({"tr", "table"}), "tr": frozenset({"table"})}
# ... a new <li> (<dd>, <dt>) closes the open one unless a "special" element other than address, div or p
# stands between them (an item of the other kind is one) ...
_ITEMS = {"li": ("li", "li_stop"), "dd": ("dd_dt", "dd_dt_stop"), "dt": ("dd_dt", "dd_dt_stop")}
_ITEM_STOPS = frozenset(
    {"applet", "article", "aside", "blockquote", "button", "center", "details", "dir", "dl", "fieldset"}
    | {"figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup"}
    | {"listing", "main", "marquee", "menu", "nav", "object", "ol", "pre", "search", "section", "select"}
    | {"summary", "table", "td", "th", "tr", "template", "ul", "svg", "math", "caption", "iframe", "textarea"}
    | {"noscript", "noembed", "noframes", "frameset", "xmp", "plaintext", "title", "foreignobject", "desc"}
    | {"mi", "mo", "mn", "ms", "mtext", "annotation-xml"}
)
_SPECIAL = _ITEM_STOPS | {"address", "div", "p", "li", "dd", "dt"}
# ... a block start tag closes an open <p> unless a button-scope boundary stands between them ...
_CLOSES_P = frozenset(
    {"address", "article", "aside", "blockquote", "center", "details", "dialog", "dir", "div", "dl", "dd", "dt"}
    | {"fieldset", "figcaption", "figure", "footer", "header", "hgroup", "main", "menu", "nav", "ol", "p"}
    | {"search", "section", "summary", "ul", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "listing", "form"}
    | {"table", "li"}
)
# ... an end tag closes its element only when no scope boundary stands between (else it is ignored) ...
_SCOPE = frozenset({"applet", "caption", "table", "td", "th", "marquee", "object", "template"})
_SCOPE |= {"foreignobject", "desc", "mi", "mo", "mn", "ms", "mtext", "annotation-xml"}
_END_SCOPES = {"p": "button_scope", "li": "list_scope", "td": "table_only", "th": "table_only", "tr": "table_only"}
_END_SCOPES["table"] = "none"
# ... formatting elements closed by anything but their own end tag are opened again before the next text
# or inline tag (the list of active formatting elements: at most 3 alike, cleared at a cell's end) ...
_FORMATTING = frozenset({"a", "b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike", "strong", "tt"})
_FORMATTING |= {"u"}
_MARKERS = frozenset({"td", "th", "caption", "applet", "object", "marquee", "template"})
_NO_RECONSTRUCT = frozenset({"hr", "plaintext", "table", "template", "caption", "iframe", "textarea", "frameset"})
#: formatting elements one cell or page keeps open or to reopen: past it, new ones are dropped (real pages
#: keep a handful; each costs a step at every reopening, in lexbor and here)
_FORMATTING_MAX = 32
_TEXT = re.compile(r"\S")
# ... a second <button> in scope closes the first, a <form> in a form is ignored
# elements whose text is read node by node (a heading's, a list item's, a cell's): each read costs the text
# nested inside, so nested in themselves more than _SELF_NEST_MAX deep they are dropped too (no real page
# nests lists or tables that deep; 256 nested <li> over 1 MB of text took 9.5 s in extract_html)
_SELF_NEST_MAX = 10
_SELF_NEST_GROUPS = {"li": "li", "dd": "dd_dt", "dt": "dd_dt", "td": "cell", "th": "cell", "pre": "pre"}
_SELF_NEST_GROUPS |= {name: "heading" for name in _HEADINGS}
# start tags kept past MAX_DEPTH (by up to _KEEP_SLACK levels): links, headings and search forms are what
# the crawler reads, and none of them nests in itself
_KEEP = frozenset({"a", "form", "select", "h1", "h2", "h3", "h4", "h5", "h6"})
_KEEP_SLACK = 64
# HTML start tags that end <svg>/<math> content (WHATWG "parsing main inforeign"; <font> with attributes)
_BREAKOUT = frozenset(
    {"b", "big", "blockquote", "body", "br", "center", "code", "dd", "div", "dl", "dt", "em", "embed", "hr", "i"}
    | {"img", "li", "listing", "menu", "meta", "nobr", "ol", "p", "pre", "ruby", "s", "small", "span", "strong"}
    | {"strike", "sub", "sup", "table", "tt", "u", "ul", "var", "h1", "h2", "h3", "h4", "h5", "h6"}
)
_FONT_BREAKOUT = re.compile(r"\b(?:color|face|size)\s*=", re.IGNORECASE)
# where HTML content goes on inside <svg>/<math>
_INTEGRATION = frozenset({"foreignobject", "desc", "mi", "mo", "mn", "ms", "mtext", "annotation-xml"})


def _group_index() -> dict[str, tuple[str, ...]]:
    """Tag name -> the groups it belongs to, for the groups whose topmost open element _OpenElements tracks."""
    groups = {
        "li": {"li"},
        "dd_dt": {"dd", "dt"},
        "p": {"p"},
        "li_stop": _ITEM_STOPS | {"dd", "dt"},
        "dd_dt_stop": _ITEM_STOPS | {"li"},
        "p_scope": _SCOPE | {"button", "svg", "math"},
        "special": _SPECIAL,
        "scope": _SCOPE,
        "button_scope": _SCOPE | {"button"},
        "list_scope": _SCOPE | {"ul", "ol"},
        "table_only": {"table"},
        "foreign": {"svg", "math"},
        "integration": _INTEGRATION,
        "heading": _HEADINGS,
        "cell": {"td", "th"},
        "pre": {"pre"},
    }
    index: dict[str, tuple[str, ...]] = {}
    for group, names in groups.items():
        for name in names:
            index[name] = (*index.get(name, ()), group)
    return index


_GROUPS = _group_index()

_SKIP_SCHEMES = ("mailto:", "tel:", "javascript:", "data:", "sms:", "ftp:", "file:")
_WS = re.compile(r"\s+")
#: root elements of single-page-app frameworks
_APP_ROOTS = ("#root", "#app", "#__next", "#__nuxt", "[ng-app]", "[data-reactroot]", "app-root", "#svelte")


@dataclass(frozen=True)
class PageLink:
    """One link on a page: absolute URL (normalised), anchor text and the nearest preceding heading."""

    url: str
    text: str
    context: str


def _clean(text: str | None) -> str:
    return _WS.sub(" ", text or "").strip()


def _clean_head(text: str, limit: int) -> str:
    """`_clean(text)[:limit]`, cleaning only as much of `text` as that needs (a heading may hold a whole page)."""
    window = 4 * limit
    while window < len(text):
        head = _clean(text[:window])
        if len(head) >= limit:  # whitespace collapses locally: this prefix is the whole text's prefix
            return head[:limit]
        window *= 4
    return _clean(text)[:limit]


@dataclass(frozen=True)
class GuardedHtml:
    """HTML made safe to parse, and what was cut from it ("" when nothing was): see `guard_html`."""

    html: str
    cut: str = ""


def guard_html(html: str) -> GuardedHtml:
    """Bound the work lexbor will do on `html`: at most MAX_PARSE_CHARS, nesting at most MAX_DEPTH deep.

    lexbor itself is quadratic in nesting depth (measured 2026-12-04: 100k unclosed <div>, 0.5 MB, took 21 s of CPU;
    walking the tree afterwards took milliseconds): every block start tag scans the stack of open elements
    for a <p> to close. Start tags that would nest deeper than MAX_DEPTH are dropped, with their end tags,
    as Chromium caps its tree at 512 levels; their text is kept, and so are links, headings and forms. So are
    list items, cells and headings nested over 10 in themselves, and formatting tags past 32 open at once. A
    page that needed a cut says so in `cut`. Ordinary pages come back unchanged (the same string); none of
    4,500 real HTML files (docs on this machine, up to 15 MB) was flattened, the biggest were cut at 8M.
    """
    cut: list[str] = []
    if len(html) > MAX_PARSE_CHARS:
        cut.append(f"only the first {MAX_PARSE_CHARS} of {len(html)} characters parsed")
        html = html[:MAX_PARSE_CHARS]
    if html.count("<") > _SELF_NEST_MAX:  # fewer tags than that cannot nest too deep
        html, too_deep, self_nested, formatting = _flatten(html)
        if too_deep:
            cut.append(f"{too_deep} start tags nested deeper than {MAX_DEPTH} levels dropped")
        if self_nested:
            cut.append(
                f"{self_nested} list items, cells or headings nested over {_SELF_NEST_MAX} in themselves dropped"
            )
    return GuardedHtml(html, "; ".join(cut))


class _Formatting:
    """An entry of the list of active formatting elements: `index` on the stack, -1 while closed (to reopen)."""

    __slots__ = ("name", "key", "index")

    def __init__(self, name: str, key: str) -> None:
        self.name, self.key, self.index = name, key, -1


class _OpenElements:
    """The tree builder's stack of open elements, by tag name, with the topmost of each name and group at hand,
    and its list of active formatting elements (one segment per open cell or other marker)."""

    def __init__(self) -> None:
        self.names: list[str] = []
        self.entries: list[_Formatting | None] = []  # parallel to names: the list entry of a formatting element
        self.where: dict[str, list[int]] = {}  # tag name -> stack indices where it is open, bottom first
        self.tops: dict[str, list[int]] = {group: [] for groups in _GROUPS.values() for group in groups}
        self.tops["none"] = []
        self.active: list[list[_Formatting]] = [[]]  # segments of the active formatting list, last is current
        self.closed = [0]  # per segment: entries closed, waiting to be reopened

    def push(self, name: str, entry: _Formatting | None = None) -> None:
        for group in _GROUPS.get(name, ()):
            self.tops[group].append(len(self.names))
        self.where.setdefault(name, []).append(len(self.names))
        if entry is not None:
            entry.index = len(self.names)
        self.names.append(name)
        self.entries.append(entry)
        if name in _MARKERS:
            self.active.append([])
            self.closed.append(0)

    def pop_to(self, depth: int) -> None:
        """Close elements until `depth` are open; formatting elements among them wait to be reopened."""
        while len(self.names) > depth:
            name = self.names.pop()
            entry = self.entries.pop()
            self.where[name].pop()
            for group in _GROUPS.get(name, ()):
                self.tops[group].pop()
            if entry is not None:
                entry.index = -1
                self.closed[-1] += 1
            if name in _MARKERS:  # a cell's end clears the formatting opened in it
                self.active.pop()
                self.closed.pop()

    def add_formatting(self, name: str, key: str) -> None:
        """Open formatting element `name`; a fourth one alike (name and attributes) drops the first from the list."""
        current = self.active[-1]
        alike = [entry for entry in current if entry.key == key]
        if len(alike) >= 3:
            self.forget(alike[0])
        entry = _Formatting(name, key)
        current.append(entry)
        self.push(name, entry)

    def forget(self, entry: _Formatting) -> None:
        """Take `entry` off the active formatting list (an element still open stays open)."""
        self.active[-1].remove(entry)
        if entry.index < 0:
            self.closed[-1] -= 1
        else:
            self.entries[entry.index] = None

    def reopen(self) -> None:
        """Reconstruct the active formatting elements: reopen, in order, those closed by something else."""
        if not self.closed[-1]:
            return
        for entry in self.active[-1]:
            if entry.index < 0:
                self.push(entry.name, entry)
        self.closed[-1] = 0

    def formatting(self, name: str) -> _Formatting | None:
        """The last entry for `name` in the current segment of the active formatting list."""
        for entry in reversed(self.active[-1]):
            if entry.name == name:
                return entry
        return None

    def index(self, name: str) -> int:
        """Stack index of the topmost open `name`, -1 when none is open."""
        found = self.where.get(name)
        return found[-1] if found else -1

    def top(self, group: str) -> int:
        """Stack index of the topmost open element of `group`, -1 when none is open."""
        found = self.tops[group]
        return found[-1] if found else -1

    def foreign(self) -> bool:
        """Inside <svg>/<math> content, not back in HTML through a <foreignObject> or the like."""
        return self.top("foreign") > self.top("integration")


def _flatten(html: str) -> tuple[str, int, int, int]:
    """Drop start tags (and their end tags) nested too deep: (html, dropped past MAX_DEPTH, self-nested dropped,
    formatting dropped past _FORMATTING_MAX).

    A linear approximation of the WHATWG tree builder's stack of open elements: void and structural elements
    are not counted, an end tag closes back to its element when the spec would, the rules that close elements
    implicitly on real pages (a new <li>, cell, row, heading, block or <a>) are followed, and formatting
    elements closed that way are reopened (see the tables above). Where it is unsure it keeps an element open:
    counting too deep only drops tags on pages far past any real nesting, too shallow would let one through.
    """
    stack = _OpenElements()
    dropped: dict[str, int] = {}
    pieces: list[str] = []
    kept_from = 0
    too_deep = self_nested = formatting = 0
    skip_to = 0  # end of a comment or of raw text (script, style ...), where tags are only text
    text_from = 0  # end of the last tag: text after it reopens closed formatting elements
    for tag in _TAG.finditer(html):
        if tag.start() < skip_to:
            continue
        if stack.closed[-1] and not stack.foreign() and _TEXT.search(html, text_from, tag.start()):
            stack.reopen()
        text_from = tag.end()
        comment, close, name, attrs = tag.groups()
        if comment is not None:
            end = html.find("-->", tag.end())
            skip_to = text_from = len(html) if end == -1 else end + 3
            continue
        name = name.lower()
        if close:
            if dropped.get(name):
                dropped[name] -= 1
                pieces.append(html[kept_from : tag.start()])
                kept_from = tag.end()
            elif name in _FORMATTING and not stack.foreign():
                _adoption_agency(stack, name)
            else:
                _close(stack, name)
            continue
        before = len(stack.names)
        foreign = stack.foreign()
        if foreign and (name in _BREAKOUT or (name == "font" and _FONT_BREAKOUT.search(attrs))):
            # HTML content ends the <svg>/<math> it stood in
            roots = stack.tops["foreign"]
            stack.pop_to(roots[bisect.bisect_right(roots, stack.top("integration"))])
            foreign = stack.foreign()
        if foreign:
            if attrs.endswith("/"):
                continue  # "/>" closes a foreign element
        else:
            if name in _RAW_TEXT:
                closing = re.compile(rf"</{name}\b", re.IGNORECASE).search(html, tag.end())
                skip_to = text_from = len(html) if closing is None else closing.start()
                continue
            if name in _VOID:
                stack.reopen()
                continue
            if name in _UNCOUNTED or (name == "form" and stack.index("form") >= 0):
                continue  # a <form> in a form is ignored
            if name == "caption" and stack.index("table") < 0:
                continue  # outside a table it is ignored
            if name in ("svg", "math") and attrs.endswith("/"):
                continue  # "<svg/>" opens and closes at once
            _close_implied(stack, name)
        # a tag that closed something is kept whatever the caps say: it does not deepen the page, and its
        # closing must happen in the parser as it did here
        closer = len(stack.names) < before
        if not foreign and name not in _CLOSES_P and name not in _NO_RECONSTRUCT:
            stack.reopen()
        depth = len(stack.names)
        group = _SELF_NEST_GROUPS.get(name)
        if closer and (foreign or name not in _FORMATTING):
            stack.push(name)
            continue
        if closer:
            stack.add_formatting(name, f"{name} {attrs.strip().lower()}")
            continue
        if depth >= MAX_DEPTH and (name not in _KEEP or depth >= MAX_DEPTH + _KEEP_SLACK):
            too_deep += 1
        elif group is not None and len(stack.tops[group]) >= _SELF_NEST_MAX:
            self_nested += 1
        elif foreign or name not in _FORMATTING:
            stack.push(name)
            continue
        elif len(stack.active[-1]) >= _FORMATTING_MAX:
            formatting += 1
        else:
            stack.add_formatting(name, f"{name} {attrs.strip().lower()}")
            continue
        dropped[name] = dropped.get(name, 0) + 1
        pieces.append(html[kept_from : tag.start()])
        kept_from = tag.end()
    if not (too_deep or self_nested or formatting):
        return html, 0, 0, 0
    pieces.append(html[kept_from:])
    return "".join(pieces), too_deep, self_nested, formatting


def _adoption_agency(stack: _OpenElements, name: str) -> None:
    """End tag (or a second <a>/<nobr>) of formatting element `name`, after the adoption agency algorithm.

    Not in the active list: an ordinary end tag. Closed already: forgotten. Out of scope: ignored. With a
    special element (a block) inside it, that block stays open (the element is only forgotten, counted as open:
    the algorithm moves the block under a copy of it). Else it closes, and what it held is reopened later.
    """
    entry = stack.formatting(name)
    if entry is None:
        _close(stack, name)
        return
    if entry.index < 0:
        stack.forget(entry)
        return
    if stack.top("scope") > entry.index:
        return
    stack.forget(entry)
    if stack.top("special") < entry.index:
        stack.pop_to(entry.index)


def _close(stack: _OpenElements, name: str) -> None:
    """End tag `name`: close back to its element when nothing the spec stops at stands between."""
    index = stack.index(name)
    if index < 0:
        return
    if stack.top(_END_SCOPES.get(name, "scope")) > index:
        return  # out of scope: ignored
    stack.pop_to(index)


def _close_implied(stack: _OpenElements, name: str) -> None:
    """Close what HTML closes when start tag `name` comes: the open item, cell, row, heading, <p> or <a>."""
    if name in _ITEMS:
        group, stops = _ITEMS[name]
        item = stack.top(group)
        if item >= 0 and stack.top(stops) < item:
            stack.pop_to(item)
    elif name in _CELL_PARENTS and stack.index("table") >= 0:
        parents = _CELL_PARENTS[name]
        depth = len(stack.names)
        while stack.names[depth - 1] not in parents:
            depth -= 1
        stack.pop_to(depth)
        if name != "tr" and stack.names[-1] == "table":
            stack.push("tr")  # a cell straight in a table gets its row
    elif name in ("a", "nobr") and stack.formatting(name) is not None:
        _adoption_agency(stack, name)  # a second <a> closes the first
    elif name == "button":
        index = stack.index(name)
        if index >= 0 and stack.top("scope") < index:
            stack.pop_to(index)
    elif name == "option" and stack.names and stack.names[-1] == "option":
        stack.pop_to(len(stack.names) - 1)
    elif name in _HEADINGS and stack.names and stack.names[-1] in _HEADINGS:
        stack.pop_to(len(stack.names) - 1)
    if name in _CLOSES_P:
        paragraph = stack.top("p")
        if paragraph >= 0 and stack.top("p_scope") < paragraph:
            stack.pop_to(paragraph)


def parse_html(html: str) -> LexborHTMLParser:
    """Parse a page with lexbor, guarded against pages built to make parsing slow (see `guard_html`).

    A cut is logged; callers that keep a record of the page use `guard_html` themselves to note it.
    """
    guarded = guard_html(html)
    if guarded.cut:
        logger.warning("HTML guarded before parsing: %s", guarded.cut)
    return LexborHTMLParser(guarded.html)


def base_href(tree: LexborHTMLParser, page_url: str) -> str:
    """The URL relative links resolve against: <base href> when present, else the page's own URL."""
    base = tree.css_first("base[href]")
    href = base.attributes.get("href") if base is not None else None
    if href:
        try:
            return urljoin(page_url, href.strip())
        except ValueError:
            return page_url
    return page_url


def _anchor_text(node: LexborNode) -> str:
    text = _clean(node.text(separator=" "))
    if text:
        return text
    for img in node.css("img[alt]"):
        alt = _clean(img.attributes.get("alt"))
        if alt:
            return alt
    for attr in ("aria-label", "title"):
        value = _clean(node.attributes.get(attr))
        if value:
            return value
    return ""


def extract_links(html: str | LexborHTMLParser, page_url: str) -> list[PageLink]:
    """All http(s) links of a page, in document order, deduplicated on the normalised URL (first wins).

    mailto:, tel:, javascript: and bare fragments are skipped.
    """
    tree = html if isinstance(html, LexborHTMLParser) else parse_html(html)
    base = base_href(tree, page_url)
    heading = ""
    seen: set[str] = set()
    links: list[PageLink] = []
    for node in tree.css("h1, h2, h3, h4, h5, h6, a[href], area[href]"):
        if node.tag in _HEADINGS:
            heading = _clean_head(node.text(separator=" "), 200)
            continue
        href = (node.attributes.get("href") or "").strip()
        if not href or href.startswith("#") or href.lower().startswith(_SKIP_SCHEMES):
            continue
        url = normalize_url(href, base)
        if url is None or url in seen:
            continue
        seen.add(url)
        links.append(PageLink(url=url, text=_anchor_text(node)[:300], context=heading))
    return links


def page_title(html: str | LexborHTMLParser) -> str:
    """The <title> of a page ("" when absent)."""
    tree = html if isinstance(html, LexborHTMLParser) else parse_html(html)
    node = tree.css_first("title")
    return _clean(node.text()) if node is not None else ""


def page_h1(html: str | LexborHTMLParser) -> str:
    """The first <h1> of a page ("" when absent)."""
    tree = html if isinstance(html, LexborHTMLParser) else parse_html(html)
    node = tree.css_first("h1")
    return _clean(node.text(separator=" ")) if node is not None else ""


def _is_inside(node: LexborNode, ancestor: LexborNode) -> bool:
    """Whether `node` is a descendant of `ancestor` (walks up from `node`: cost its depth, at most MAX_DEPTH)."""
    parent = node.parent
    while parent is not None:
        if parent.mem_id == ancestor.mem_id:
            return True
        parent = parent.parent
    return False


def links_built_by_script(html: str | LexborHTMLParser, page_url: str) -> bool:
    """Whether a page likely builds its menu with JavaScript, so its static links under-report the site.

    Signs: scripts present and very few static same-site links; or an empty <nav>/menu container; or an empty
    framework root (<div id="root">, #app, #__next ...).
    """
    tree = html if isinstance(html, LexborHTMLParser) else parse_html(html)
    scripts = tree.css("script")
    if not scripts:
        return False
    keys = {site_key(host_of(page_url))}
    same_site = [link for link in extract_links(tree, page_url) if site_key(host_of(link.url)) in keys]
    if len(same_site) < 5:
        return True
    containers = tree.css("nav, [role=navigation], #menu, .menu, #nav, .nav, .main-menu, #main-menu")
    for i, container in enumerate(containers):
        # a container holding another is empty only if that one is: test the innermost only, so nested menus
        # are read once, not once per level (500 nested <nav> over 2 MB of text took 35 s)
        if i + 1 < len(containers) and _is_inside(containers[i + 1], container):
            continue
        if not container.css("a[href]") and not container.text().strip():
            return True
    for selector in _APP_ROOTS:
        root = tree.css_first(selector)
        if root is not None and not root.css("a[href]"):
            return True
    return False
