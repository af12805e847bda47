"""HTML bytes -> ExtractedText: owns boilerplate removal, main-content choice, title cleaning and page chunking.

Kommune sites wrap a short article in a large menu, a footer with opening hours and a cookie banner; the classifier
must see the article only. Pages are chunks of about PAGE_CHARS characters so evidence can cite a "page".
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode, SelectolaxError

from crawlers.errors import ExtractionError
from crawlers.htmlguard import guard_html
from crawlers.types import ExtractedText

logger = logging.getLogger(__name__)

PAGE_CHARS = 3000
_NOISE = (
    "script, style, noscript, template, svg, iframe, object, canvas, nav, header, footer, aside, dialog,"
    " [role=navigation], [role=banner], [role=contentinfo], [role=search], [role=dialog], [aria-hidden=true]"
)
#: cookie/consent banners and other chrome, matched on id and class (case-insensitive)
_CHROME_WORDS = ("cookie", "consent", "gdpr", "cmp-", "breadcrumb", "skip-link", "skiplink", "share-", "social")
_MAIN = ("main", "[role=main]", "article", "#content", "#main-content", "#maincontent", ".main-content", "#main")
_NEVER_DROP = frozenset({"html", "body", "main", "article"})
_BLOCKS = (
    "p, div, section, article, main, li, dt, dd, h1, h2, h3, h4, h5, h6, tr, table, ul, ol, dl, blockquote,"
    " pre, figure, figcaption, address, caption, details, summary, form, fieldset, hr"
)
_PARA = "\u2029"  # block boundary marker inserted into the tree before taking its text
_LINE = "\u2028"  # <br>
_WS = re.compile(r"[^\S\u2028\u2029]+")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)
# a separator starts where a whitespace run starts (or at the "|"), never inside one, and its runs are taken
# possessively: `\s+[-|–—:·»]\s+` tried again from every space of a long run, quadratic (a <title> of 10k
# U+2028, which the whitespace cleaning keeps, took 0.8 s; 40k, 13 s)
_TITLE_SEPARATORS = re.compile(r"((?:(?<!\s)|(?=\S))(?:\s++[-|–—:·»]\s++|\s*+\|\s*+))")
_SITE_WORDS = re.compile(r"\b(kommune|kommunes|kommuner|commune|fylkeskommune)\b", re.IGNORECASE)
_MIN_MAIN_CHARS = 200
_META_KEYS = {
    "description": "description",
    "author": "Author",
    "dcterms.modified": "ModDate",
    "article:modified_time": "ModDate",
    "dcterms.created": "CreationDate",
    "article:published_time": "CreationDate",
}


def extract_html(body: bytes, url: str) -> ExtractedText:
    """Extract the main content of a page as text, its title, h1-h3 headings and declared language.

    Raises ExtractionError when the bytes are not decodable as HTML at all. A page built to make parsing slow
    (nesting thousands deep, over MAX_PARSE_CHARS) is cut first, and the cut is in facts["html_cut"].
    """
    guarded = guard_html(decode_html(body))
    try:
        tree = LexborHTMLParser(guarded.html)
    except SelectolaxError as exc:
        raise ExtractionError(f"HTML could not be parsed: {exc}") from exc
    root = tree.root
    if root is None:
        raise ExtractionError("HTML could not be parsed")
    language = _language(tree)
    metadata = _metadata(tree)
    page_title = _text(tree.css_first("title"))

    _drop_noise(tree)
    content, selector = _main_content(tree)
    headings = tuple(dict.fromkeys(t for t in (_text(h) for h in content.css("h1, h2, h3")) if t))
    h1 = next((_text(h) for h in content.css("h1") if _text(h)), "") or next(
        (_text(h) for h in tree.css("h1") if _text(h)), ""
    )
    title = h1 or clean_title(page_title, url)
    blocks = _blocks(content)
    pages = split_pages(blocks)
    facts: tuple[tuple[str, str], ...] = (
        ("content_selector", selector),
        ("size_bytes", str(len(body))),
        ("page_title", page_title),
    )
    if guarded.cut:
        facts += (("html_cut", guarded.cut),)
    return ExtractedText(
        text_source="html",
        title=title,
        pages=pages,
        page_count=len(pages),
        headings=headings,
        language=language,
        metadata=metadata,
        extractor="selectolax",
        facts=facts,
    )


def decode_html(body: bytes) -> str:
    """Bytes -> str: BOM, then <meta charset>, then UTF-8, then windows-1252 (older Nordic sites)."""
    if body.startswith(b"\xef\xbb\xbf"):
        return body[3:].decode("utf-8", "replace")
    if body.startswith((b"\xff\xfe", b"\xfe\xff")):
        return body.decode("utf-16", "replace")
    declared = _META_CHARSET.search(body[:4096])
    if declared:
        try:
            return body.decode(declared.group(1).decode("ascii", "replace"), "replace")
        except LookupError:
            logger.debug("unknown charset %r", declared.group(1))
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return body.decode("windows-1252", "replace")


def clean_title(title: str, url: str = "") -> str:
    """Drop the site-name parts at either end of a <title>.

    "Handlingsplan mot vold 2021 – 2024 - Bergen kommune" -> "Handlingsplan mot vold 2021 – 2024"; a title with no
    site-name part is kept whole (an en dash in a year range is not a separator).
    """
    pieces = _TITLE_SEPARATORS.split(title.strip())  # with the separators, captured, at odd indices
    host = urlsplit(url).hostname or ""
    labels = {label for label in host.split(".") if len(label) > 3 and label not in {"www", "kommune"}}

    def site_part(part: str) -> bool:
        return bool(_SITE_WORDS.search(part)) or part.strip().casefold().replace(" ", "-") in labels

    while len(pieces) >= 3 and site_part(pieces[-1]):
        pieces = pieces[:-2]
    while len(pieces) >= 3 and site_part(pieces[0]):
        pieces = pieces[2:]
    cleaned = "".join(pieces).strip()
    return cleaned or title.strip()


def split_pages(blocks: Iterable[str], size: int = PAGE_CHARS) -> tuple[str, ...]:
    """Group text blocks into chunks of about `size` characters, breaking long blocks at sentence or word ends."""
    pages: list[str] = []
    current = ""
    for block in blocks:
        for piece in _pieces(block, size):
            if current and len(current) + 2 + len(piece) > size:
                pages.append(current)
                current = piece
            else:
                current = f"{current}\n\n{piece}" if current else piece
    if current:
        pages.append(current)
    return tuple(pages)


def _pieces(block: str, size: int) -> Iterable[str]:
    while len(block) > size:
        cut = max(block.rfind(". ", 0, size), block.rfind("\n", 0, size))
        if cut < size // 2:
            cut = block.rfind(" ", 0, size)
        if cut < size // 2:
            cut = size - 1
        yield block[: cut + 1].strip()
        block = block[cut + 1 :].strip()
    if block:
        yield block


def _language(tree: LexborHTMLParser) -> str | None:
    html = tree.css_first("html")
    lang = (html.attributes.get("lang") or html.attributes.get("xml:lang")) if html is not None else None
    if not lang:
        meta = tree.css_first("meta[http-equiv=content-language i]")
        lang = meta.attributes.get("content") if meta is not None else None
    return lang.strip() if lang and lang.strip() else None


def _metadata(tree: LexborHTMLParser) -> tuple[tuple[str, str], ...]:
    found: dict[str, str] = {}
    for meta in tree.css("meta[content]"):
        name = (meta.attributes.get("name") or meta.attributes.get("property") or "").strip().lower()
        key = _META_KEYS.get(name)
        content = _clean(meta.attributes.get("content") or "")
        if key and content and key not in found:
            found[key] = content
    canonical = tree.css_first("link[rel=canonical][href]")
    if canonical is not None and canonical.attributes.get("href"):
        found["canonical"] = str(canonical.attributes["href"]).strip()
    return tuple(found.items())


def _drop_noise(tree: LexborHTMLParser) -> None:
    for node in tree.css(_NOISE):
        node.decompose()
    chrome = ", ".join(f"[id*={word} i], [class*={word} i]" for word in _CHROME_WORDS)
    for node in tree.css(chrome):
        # A consent script often marks <body class="cookie-consent-given">: never drop the page itself.
        if node.tag not in _NEVER_DROP:
            node.decompose()


def _main_content(tree: LexborHTMLParser) -> tuple[LexborNode, str]:
    """The first semantic main container with real text, else the block holding the most paragraph text."""
    for selector in _MAIN:
        for node in tree.css(selector):
            if len(_text(node)) >= _MIN_MAIN_CHARS:
                return node, selector
    scores: dict[int, tuple[LexborNode, float]] = {}
    for para in tree.css("p, li, td, pre"):
        length = len(_text(para))
        parent = para.parent
        for weight in (1.0, 0.5):
            if parent is None or parent.tag in {"html", "body"}:
                break
            key = parent.mem_id
            scores[key] = (parent, scores.get(key, (parent, 0.0))[1] + length * weight)
            parent = parent.parent
    if scores:
        best, score = max(scores.values(), key=lambda item: item[1])
        if score >= _MIN_MAIN_CHARS:
            return best, "largest_block"
    body = tree.body
    if body is None:
        raise ExtractionError("HTML has no body")
    return body, "body"


def _blocks(content: LexborNode) -> list[str]:
    for node in content.css(_BLOCKS):
        node.insert_before(_PARA)
        node.insert_after(_PARA)
    for node in content.css("br"):
        node.insert_before(_LINE)
    for node in content.css("td, th"):
        node.insert_after(" ")
    raw = content.text(deep=True, separator="")
    blocks = []
    for block in raw.split(_PARA):
        lines = [_clean(line) for line in block.split(_LINE)]
        text = "\n".join(line for line in lines if line)
        if text:
            blocks.append(text)
    return blocks


def _text(node: LexborNode | None) -> str:
    return _clean(node.text(deep=True, separator=" ")) if node is not None else ""


def _clean(text: str) -> str:
    return _WS.sub(" ", text).strip()
