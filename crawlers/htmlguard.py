"""The HTML guard: bound the work lexbor will do on a page before it parses it (`guard_html`, `parse_html`).

lexbor is quadratic in nesting depth, so a hostile page of unclosed tags is flattened to 512 levels and a huge one
is cut. `_flatten` follows a linear approximation of the WHATWG tree builder's stack of open elements
(`crawlers.html_rules`).
"""

from __future__ import annotations

import bisect
import logging
import re
from dataclasses import dataclass

from selectolax.lexbor import LexborHTMLParser

from crawlers.html_rules import (
    BREAKOUT,
    CELL_PARENTS,
    CLOSES_P,
    END_SCOPES,
    FORMATTING,
    HEADINGS,
    ITEMS,
    NO_RECONSTRUCT,
    RAW_TEXT,
    UNCOUNTED,
    VOID,
    OpenElements,
)

logger = logging.getLogger(__name__)


#: characters of one page given to the parser: far above any kommune page (the biggest seen are a few MB),
#: and a bound on what a page of deep-but-legal nesting can cost
MAX_PARSE_CHARS = 8_000_000
#: open elements a page may nest: Chromium's limit (kMaximumHTMLParserDOMTreeDepth)
MAX_DEPTH = 512
# a start tag, end tag or comment opener; possessive quantifiers and `[^<>]` so a tag never closed costs
# only the characters up to the next `<`
_TAG = re.compile(r"<(?:(?P<comment>!--)|(?P<close>/)?(?P<name>[A-Za-z][^\s/<>]*+)(?P<attrs>[^<>]*+)>)")
#: formatting elements one cell or page keeps open or to reopen: past it, new ones are dropped (real pages
#: keep a handful; each costs a step at every reopening, in lexbor and here)
_FORMATTING_MAX = 32
_TEXT = re.compile(r"\S")
# elements whose text is read node by node (a heading's, a list item's, a cell's): each read costs the text
# nested inside, so nested in themselves more than _SELF_NEST_MAX deep they are dropped too (no real page
# nests lists or tables that deep; 256 nested <li> over 1 MB of text took 9.5 s in extract_html)
_SELF_NEST_MAX = 10
_SELF_NEST_GROUPS = {"li": "li", "dd": "dd_dt", "dt": "dd_dt", "td": "cell", "th": "cell", "pre": "pre"}
_SELF_NEST_GROUPS |= {name: "heading" for name in HEADINGS}
# start tags kept past MAX_DEPTH (by up to _KEEP_SLACK levels): links, headings and search forms are what
# the crawler reads, and none of them nests in itself
_KEEP = frozenset({"a", "form", "select", "h1", "h2", "h3", "h4", "h5", "h6"})
_KEEP_SLACK = 64
_FONT_BREAKOUT = re.compile(r"\b(?:color|face|size)\s*=", re.IGNORECASE)


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


def _flatten(html: str) -> tuple[str, int, int, int]:
    """Drop start tags (and their end tags) nested too deep: (html, dropped past MAX_DEPTH, self-nested dropped,
    formatting dropped past _FORMATTING_MAX).

    A linear approximation of the WHATWG tree builder's stack of open elements: void and structural elements
    are not counted, an end tag closes back to its element when the spec would, the rules that close elements
    implicitly on real pages (a new <li>, cell, row, heading, block or <a>) are followed, and formatting
    elements closed that way are reopened (see the tables above). Where it is unsure it keeps an element open:
    counting too deep only drops tags on pages far past any real nesting, too shallow would let one through.
    Hot code (every page the crawler reads): one call per start tag (`_start_tag`), none per end tag.
    """
    stack = OpenElements()
    dropped: dict[str, int] = {}
    drops = [0] * len(_VERDICTS)  # start tags by `_start_tag`'s verdict
    pieces: list[str] = []
    kept_from = 0
    skip_to = 0  # end of a comment or of raw text (script, style ...), where tags are only text
    text_from = 0  # end of the last tag: text after it reopens closed formatting elements
    closed, text_search, start_tag = stack.closed, _TEXT.search, _start_tag  # local names: looked up per tag
    for tag in _TAG.finditer(html):
        start = tag.start()
        if start < skip_to:
            continue
        if closed[-1] and not stack.foreign() and text_search(html, text_from, start):
            stack.reopen()
        text_from = tag.end()
        comment, close, name, attrs = tag.groups()
        if comment is not None:
            end = html.find("-->", tag.end())
            skip_to = text_from = len(html) if end == -1 else end + 3
            continue
        name = name.lower()
        if close:
            if not dropped.get(name):
                if name in FORMATTING and not stack.foreign():
                    _adoption_agency(stack, name)
                else:
                    _close(stack, name)
                continue
            dropped[name] -= 1
        else:
            verdict = start_tag(stack, name, attrs)
            if not verdict:  # _KEPT
                continue
            if verdict == _RAW_TEXT:
                closing = re.compile(rf"</{name}\b", re.IGNORECASE).search(html, tag.end())
                skip_to = text_from = len(html) if closing is None else closing.start()
                continue
            drops[verdict] += 1
            dropped[name] = dropped.get(name, 0) + 1
        pieces.append(html[kept_from:start])
        kept_from = tag.end()
    if not (drops[_TOO_DEEP] or drops[_SELF_NESTED] or drops[_TOO_MANY_FORMATTING]):
        return html, 0, 0, 0
    pieces.append(html[kept_from:])
    return "".join(pieces), drops[_TOO_DEEP], drops[_SELF_NESTED], drops[_TOO_MANY_FORMATTING]


#: what `_start_tag` did with a start tag: kept it (or ignored it, as the tree builder does), found raw text
#: (script, style ...: tags in it are text), or dropped it for one of the caps
_VERDICTS = _KEPT, _RAW_TEXT, _TOO_DEEP, _SELF_NESTED, _TOO_MANY_FORMATTING = range(5)


def _start_tag(stack: OpenElements, name: str, attrs: str) -> int:
    """Open start tag `name` in `stack` as the tree builder would (closing what it implies, reopening formatting),
    unless a cap drops it: its verdict (`_VERDICTS`). A tag that closed something is kept whatever the caps say."""
    before = len(stack.names)
    foreign = stack.foreign()
    if foreign and (name in BREAKOUT or (name == "font" and _FONT_BREAKOUT.search(attrs))):
        # HTML content ends the <svg>/<math> it stood in
        roots = stack.tops["foreign"]
        stack.pop_to(roots[bisect.bisect_right(roots, stack.top("integration"))])
        foreign = stack.foreign()
    if foreign:
        if attrs.endswith("/"):
            return _KEPT  # "/>" closes a foreign element
    else:
        if name in RAW_TEXT:
            return _RAW_TEXT
        if name in VOID:
            stack.reopen()
            return _KEPT
        if name in UNCOUNTED or (name == "form" and stack.index("form") >= 0):
            return _KEPT  # a <form> in a form is ignored
        if name == "caption" and stack.index("table") < 0:
            return _KEPT  # outside a table it is ignored
        if name in ("svg", "math") and attrs.endswith("/"):
            return _KEPT  # "<svg/>" opens and closes at once
        _close_implied(stack, name)
    # a tag that closed something does not deepen the page, and its closing must happen in the parser as it did
    # here
    closer = len(stack.names) < before
    if not foreign and name not in CLOSES_P and name not in NO_RECONSTRUCT:
        stack.reopen()
    if closer and (foreign or name not in FORMATTING):
        stack.push(name)
        return _KEPT
    if closer:
        stack.add_formatting(name, f"{name} {attrs.strip().lower()}")
        return _KEPT
    depth = len(stack.names)
    if depth >= MAX_DEPTH and (name not in _KEEP or depth >= MAX_DEPTH + _KEEP_SLACK):
        return _TOO_DEEP
    group = _SELF_NEST_GROUPS.get(name)
    if group is not None and len(stack.tops[group]) >= _SELF_NEST_MAX:
        return _SELF_NESTED
    if foreign or name not in FORMATTING:
        stack.push(name)
        return _KEPT
    if len(stack.active[-1]) >= _FORMATTING_MAX:
        return _TOO_MANY_FORMATTING
    stack.add_formatting(name, f"{name} {attrs.strip().lower()}")
    return _KEPT


def _adoption_agency(stack: OpenElements, name: str) -> None:
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


def _close(stack: OpenElements, name: str) -> None:
    """End tag `name`: close back to its element when nothing the spec stops at stands between."""
    index = stack.index(name)
    if index < 0:
        return
    if stack.top(END_SCOPES.get(name, "scope")) > index:
        return  # out of scope: ignored
    stack.pop_to(index)


def _close_implied(stack: OpenElements, name: str) -> None:
    """Close what HTML closes when start tag `name` comes: the open item, cell, row, heading, <p> or <a>."""
    if name in ITEMS:
        group, stops = ITEMS[name]
        item = stack.top(group)
        if item >= 0 and stack.top(stops) < item:
            stack.pop_to(item)
    elif name in CELL_PARENTS and stack.index("table") >= 0:
        parents = CELL_PARENTS[name]
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
    elif name in HEADINGS and stack.names and stack.names[-1] in HEADINGS:
        stack.pop_to(len(stack.names) - 1)
    if name in CLOSES_P:
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
