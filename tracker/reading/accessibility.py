"""Accessibility findings for a found plan: can a citizen, or a screen reader, find and read it?

Owns the list of checks and what passes each one. Pure: it reads what the crawler and the extractors already
recorded (the format, the extractor's accessibility facts, the size, the texts of the links that pointed to the
document, how it was found, whether the sitemap lists it, its rank in the site's own search) and returns one
`AccessibilityFinding` per check, always the same checks in the same order, so exports get stable columns.

`ok` is True (passes), False (a finding to report), or None (the check does not apply to this format, or the
fact it needs was not recorded). A None is never reported as a failure.

The checks, by stable id:
    text_layer          PDF: has a text layer (False: a scan, the text only exists through OCR)
    tagged_pdf          PDF: tagged (structure a screen reader can follow)
    declared_language   the document declares its language (PDF /Lang)
    declared_title      the document declares a meaningful title (PDF /Title, DOCX title, HTML <title>)
    size_mb             at most MAX_SIZE_MB megabytes (detail "3.2 MB")
    format              HTML, or a PDF with a text layer; DOCX needs Word, a scanned PDF needs OCR
    link_text           every link to the document says what it is ("Last ned", "Klikk her" do not)
    reachable_by_links  found by following links (static or rendered), not only via the site search or sitemap
    in_sitemap          the site's sitemap lists the document
    site_search_rank    the site's own search shows the document on its first page of results
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from tracker.domain import NOT_BY_LINKS

__all__ = [
    "CHECKS",
    "MAX_SIZE_MB",
    "SEARCH_FIRST_PAGE",
    "AccessibilityFinding",
    "assess_accessibility",
    "is_vague_link_text",
]

CHECKS: tuple[str, ...] = (
    "text_layer",
    "tagged_pdf",
    "declared_language",
    "declared_title",
    "size_mb",
    "format",
    "link_text",
    "reachable_by_links",
    "in_sitemap",
    "site_search_rank",
)
#: larger downloads are a barrier on a phone over mobile data (decimal megabytes, as browsers show them)
MAX_SIZE_MB = 10.0
#: a site search hit counts as findable when it is on the first page of results (most kommune CMSs show 10)
SEARCH_FIRST_PAGE = 10

#: words that say nothing about where a link leads (nb, nn, da, en), and file-type/size words around them:
#: a link text made only of these ("Last ned", "Klikk her", "Les mer", "Læs mere", "PDF (2 MB)") is vague
_VAGUE_WORDS = frozenset(
    """last ned laste hent her klikk klik trykk tryk les lesa læs mer meir mere se sjå vis åpne opne åbn
    download click here read more open view link lenke lenkje dokument dokumentet dokumenter vedlegg vedlegget
    bilag bilaget fil filen fila file pdf docx doc word kb mb kib mib""".split()
)
_WORD = re.compile(r"[^\W_]+")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
_BARE_URL = re.compile(r"^(?:https?://|www\.)\S+$", re.IGNORECASE)
#: declared titles that a tool made up, not the author ("Microsoft Word - plan.docx", "Untitled", "Dokument1")
_JUNK_TITLE = re.compile(
    r"^(microsoft (word|powerpoint|excel)\s*-.*|untitled.*|uten tittel.*|unavngivet.*|dokument\d*|document\d*"
    r"|title|tittel|titel|no title|.*\.(docx?|pdf|odt|rtf|indd|pptx?|xlsx?|txt)|[\W\d_]*)$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class AccessibilityFinding:
    """One check's outcome: `check` is a stable id from CHECKS; `detail` is one line a volunteer can quote."""

    check: str
    ok: bool | None
    detail: str


def assess_accessibility(
    *,
    format: str,
    facts: Mapping[str, str],
    size_bytes: int,
    anchor_texts: Sequence[str],
    found_via: str,
    in_sitemap: bool | None,
    search_rank: int | None,
) -> tuple[AccessibilityFinding, ...]:
    """Run every check in CHECKS order on one document.

    `format` is "pdf", "html" or "docx"; `facts` are the extractor's string facts (`has_text_layer`, `tagged`,
    `declared_language`, `declared_title` ... see crawlers/extract); `anchor_texts` are the texts of the links that
    pointed to the document (empty when none was seen); `found_via` is link, rendered, site_search or sitemap;
    `in_sitemap` is None when no sitemap was read; `search_rank` is the 1-based position in the site's own search
    results, None when the search was not used or did not list the document.
    """
    fmt = format.lower()
    return (
        _text_layer(fmt, facts),
        _tagged(fmt, facts),
        _declared_language(fmt, facts),
        _declared_title(fmt, facts),
        _size(size_bytes),
        _format(fmt, facts),
        _link_text(anchor_texts),
        _reachable(found_via),
        _in_sitemap(in_sitemap),
        _search_rank(search_rank),
    )


def is_vague_link_text(text: str) -> bool:
    """True when a link text does not say where it leads: empty, a bare URL, or only words like "Last ned"."""
    cleaned = " ".join(text.split())
    if not cleaned or _BARE_URL.match(cleaned):
        return True
    words = _WORD.findall(_NUMBER.sub(" ", cleaned.casefold()))
    return all(word in _VAGUE_WORDS for word in words)


def _flag(facts: Mapping[str, str], key: str) -> bool | None:
    value = facts.get(key, "").strip().lower()
    return True if value == "true" else False if value == "false" else None


def _text_layer(fmt: str, facts: Mapping[str, str]) -> AccessibilityFinding:
    if fmt != "pdf":
        return AccessibilityFinding("text_layer", None, f"not a PDF ({fmt})")
    has = _flag(facts, "has_text_layer")
    if has is None:
        return AccessibilityFinding("text_layer", None, "text layer not recorded")
    if has:
        return AccessibilityFinding("text_layer", True, "PDF has a text layer")
    ocr = facts.get("ocr_pages", "")
    read = f" ({ocr} pages read by OCR)" if ocr else ""
    return AccessibilityFinding("text_layer", False, f"no text layer: a scan, OCR needed{read}")


def _tagged(fmt: str, facts: Mapping[str, str]) -> AccessibilityFinding:
    if fmt != "pdf":
        return AccessibilityFinding("tagged_pdf", None, f"not a PDF ({fmt})")
    tagged = _flag(facts, "tagged")
    if tagged is None:
        return AccessibilityFinding("tagged_pdf", None, "tagging not recorded")
    if tagged:
        return AccessibilityFinding("tagged_pdf", True, "PDF is tagged")
    return AccessibilityFinding("tagged_pdf", False, "PDF is untagged: no structure for screen readers")


def _declared_language(fmt: str, facts: Mapping[str, str]) -> AccessibilityFinding:
    if "declared_language" not in facts:
        return AccessibilityFinding("declared_language", None, f"language declaration not recorded for {fmt}")
    language = facts["declared_language"].strip()
    if language:
        return AccessibilityFinding("declared_language", True, f"declares language {language}")
    return AccessibilityFinding("declared_language", False, "declares no language")


def _declared_title(fmt: str, facts: Mapping[str, str]) -> AccessibilityFinding:
    key = "declared_title" if "declared_title" in facts else "page_title" if fmt == "html" else ""
    if not key:
        return AccessibilityFinding("declared_title", None, f"title declaration not recorded for {fmt}")
    title = " ".join(facts[key].split())
    if not title:
        return AccessibilityFinding("declared_title", False, "declares no title")
    if _JUNK_TITLE.match(title):
        return AccessibilityFinding("declared_title", False, f"declared title is not meaningful: {title!r}")
    return AccessibilityFinding("declared_title", True, f"declares title {title!r}")


def _size(size_bytes: int) -> AccessibilityFinding:
    megabytes = size_bytes / 1_000_000
    return AccessibilityFinding("size_mb", megabytes <= MAX_SIZE_MB, f"{megabytes:.1f} MB")


def _format(fmt: str, facts: Mapping[str, str]) -> AccessibilityFinding:
    if fmt == "html":
        return AccessibilityFinding("format", True, "HTML page")
    if fmt == "docx":
        return AccessibilityFinding("format", False, "Word document: needs Word or a compatible program")
    if fmt == "pdf":
        has = _flag(facts, "has_text_layer")
        if has is False:
            return AccessibilityFinding("format", False, "scanned PDF: image only, not readable as text")
        return AccessibilityFinding("format", True if has else None, "PDF with a text layer" if has else "PDF")
    return AccessibilityFinding("format", None, f"unknown format {fmt!r}")


def _link_text(anchor_texts: Sequence[str]) -> AccessibilityFinding:
    if not anchor_texts:
        return AccessibilityFinding("link_text", None, "no link to the document was seen")
    vague = [" ".join(text.split()) for text in anchor_texts if is_vague_link_text(text)]
    if not vague:
        return AccessibilityFinding("link_text", True, "link text names the document")
    shown = ", ".join(repr(text) if text else "empty" for text in dict.fromkeys(vague))
    return AccessibilityFinding("link_text", False, f"vague link text: {shown}")


def _reachable(found_via: str) -> AccessibilityFinding:
    if found_via == "link":
        return AccessibilityFinding("reachable_by_links", True, "reached by following links")
    if found_via == "rendered":
        return AccessibilityFinding("reachable_by_links", True, "reached by links that JavaScript draws")
    if found_via in NOT_BY_LINKS:
        where = "the site search" if found_via == "site_search" else "the sitemap"
        return AccessibilityFinding("reachable_by_links", False, f"no link path found: only via {where}")
    return AccessibilityFinding("reachable_by_links", None, f"unknown route {found_via!r}")


def _in_sitemap(in_sitemap: bool | None) -> AccessibilityFinding:
    if in_sitemap is None:
        return AccessibilityFinding("in_sitemap", None, "no sitemap read")
    return AccessibilityFinding("in_sitemap", in_sitemap, "listed in the sitemap" if in_sitemap else "not in sitemap")


def _search_rank(rank: int | None) -> AccessibilityFinding:
    if rank is None:
        return AccessibilityFinding("site_search_rank", None, "not listed by the site search, or not searched")
    if rank < 1:
        raise ValueError(f"search_rank is 1-based, got {rank}")
    ok = rank <= SEARCH_FIRST_PAGE
    where = "on the first page" if ok else f"beyond the first {SEARCH_FIRST_PAGE} results"
    return AccessibilityFinding("site_search_rank", ok, f"rank {rank} in the site search, {where}")
