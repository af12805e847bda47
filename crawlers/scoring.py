"""Transparent keyword scores that steer discovery towards plans (nb, nn and da).

A link is scored from its anchor text, the words in its URL and its context (the nearest heading). Every
contribution is kept as a reason, so a human can see why the crawler went where it went. Pure functions.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

#: strong signals: the words a plan against abuse of children lives under
STRONG: tuple[str, ...] = (
    "handlingsplan",
    "overgrep",
    "overgreb",
    "seksuelle",
    "seksuell",
    "beredskab",
    "beredskabsplan",
    "vold",
    "vald",
    "planer og styringsdokumenter",
    "planer og strategier",
    "politikker og planer",
    "barn",
    "born",
    "børn",
    "vern",
    "beskyttelse",
)
#: medium signals: the menu sections plans are usually filed under
MEDIUM: tuple[str, ...] = (
    "planer",
    "plan",
    "strategier",
    "strategi",
    "helse",
    "sundhed",
    "oppvekst",
    "barn og unge",
    "børn og unge",
    "born og unge",
    "tenester",
    "tjenester",
    "dokumenter",
    "politikk",
    "politik",
    "veileder",
    "rettleiar",
    "styringsdokument",
)
#: negative signals: places that eat a crawl budget without ever holding a plan
NEGATIVE: tuple[str, ...] = (
    "kalender",
    "arrangement",
    "arrangementer",
    "login",
    "logg inn",
    "nyhetsarkiv",
    "arkiv",
    "print",
    "utskrift",
    "rss",
    "del på facebook",
    "del på twitter",
    "del på linkedin",
    "facebook",
    "twitter",
    "instagram",
    "linkedin",
    "cookie",
    "neste side",
    "forrige side",
    "neste dag",
    "forrige dag",
    "neste måned",
    "neste månad",
    "næste",
    "ledige stillinger",
    "jobb",
    "english",
)

_WEIGHTS = {
    "strong": {"anchor": 3.0, "url": 2.0, "context": 1.0},
    "medium": {"anchor": 1.0, "url": 0.7, "context": 0.3},
    "negative": {"anchor": -3.0, "url": -3.0, "context": 0.0},
}

#: a plan-like subject: a kind of plan and an abuse/violence topic (title or h1 of an HTML page, a document link)
_PLAN_KIND = re.compile(
    r"\b(handlingsplan\w*|beredskab\w*|beredskapsplan\w*|tiltaksplan\w*|veileder\w*|rettleiar\w*|"
    r"retningslinjer|strategi\w*|plan)\b"
)
_PLAN_WORD = re.compile(
    r"(?<![\wæøå])(handlingsplan|beredskab|beredskap|tiltaksplan|planer\b|plan\b|strategi|veileder|rettleiar)"
)
_BEREDSKAB = re.compile(r"\b(beredskab\w*|beredskap\w*|handleguide\w*|handlevejledning\w*)")
_PLAN_TOPIC = re.compile(r"\b(vold\w*|vald\w*|overgrep\w*|overgreb\w*|seksuel\w*|incest\w*)")


@dataclass(frozen=True)
class Score:
    """A score and the matched words that produced it ("anchor:handlingsplan+3.0")."""

    value: float
    reasons: tuple[str, ...]


#: compounds of a strong word that name an everyday service, not the subject: "barnehage" (kindergarten) starts with
#: "barn", but a kindergarten section holds opening hours and prices, and scoring it as "barn" sent whole subtrees of
#: it ahead of the sections where plans live
_NOT_THE_SUBJECT = {"barn": "eha", "born": "eha", "børn": "ehave"}


def _pattern(word: str) -> re.Pattern[str]:
    # word-start match so "handlingsplan" also hits "handlingsplanen" but "vern" does not hit "moderne"
    tail = _NOT_THE_SUBJECT.get(word)
    return re.compile(r"(?<![\wæøå])" + re.escape(word) + (f"(?!{tail})" if tail else ""))


_PATTERNS: tuple[tuple[str, str, re.Pattern[str]], ...] = tuple(
    (kind, word, _pattern(word))
    for kind, words in (("strong", STRONG), ("medium", MEDIUM), ("negative", NEGATIVE))
    for word in words
)


def url_words(url: str, below: str | None = None) -> str:
    """The readable words of a URL's path and query ("/planer-og-strategier/x.pdf" -> "planer og strategier x pdf").

    `below`: the URL of the page that links it; the path that page shares with it is left out (see `score_link`).
    """
    parts = urlsplit(url)
    path = parts.path
    if below is not None:
        shared = _shared_path(urlsplit(below).path, path)
        path = path[len(shared) :]
    raw = unquote(f"{path} {parts.query}").lower()
    return " ".join(re.split(r"[^\wæøå]+", raw)).strip()


def _shared_path(parent: str, child: str) -> str:
    """The whole path segments `child` shares with `parent` ("/a/b/" of "/a/b/c" and "/a/b/d")."""
    shared = ""
    for a, b in zip(parent.split("/"), child.split("/"), strict=False):
        if a != b:
            break
        shared += a + "/"
    return shared if child.startswith(shared) else ""


@functools.lru_cache(maxsize=1 << 15)
def _matches(text: str) -> tuple[tuple[str, str], ...]:
    """The (kind, word) pairs `text` names. Remembered: a site's menu gives the same anchor texts and headings on
    every page, and 72 searches per text were 7 % of a sweep's CPU."""
    found: list[tuple[str, str]] = []
    for kind, word, pattern in _PATTERNS:
        if pattern.search(text):
            found.append((kind, word))
    # a longer phrase that matched shadows its own words ("barn og unge" is medium, "barn" alone strong)
    phrases = [w for _, w in found if " " in w]
    return tuple((k, w) for k, w in found if " " in w or not any(w in p.split() for p in phrases))


def score_link(anchor_text: str, url: str, context: str = "", *, linked_from: str | None = None) -> Score:
    """Score one link. Higher means more likely to lead to a plan; reasons name every matched word.

    `linked_from`: the page the link stands on. The URL words that page's own path shares with the link
    ("/familie-og-barn/" in "/familie-og-barn/avlastning") are not counted again: the crawler already passes a share of
    the page's score to its links, and counting them twice sent every page under a promising section ahead of the
    other sections.
    """
    total = 0.0
    reasons: list[str] = []
    words = url_words(url, linked_from)
    for field_name, text in (("anchor", anchor_text.lower()), ("url", words), ("context", context.lower())):
        if not text:
            continue
        for kind, word in _matches(text):
            weight = _WEIGHTS[kind][field_name]
            if weight:
                total += weight
                reasons.append(f"{field_name}:{word}{weight:+.1f}")
    return Score(round(total, 3), tuple(reasons))


def looks_like_plan(text: str) -> bool:
    """True when a title/heading/anchor names a plan kind and an abuse or violence topic."""
    lowered = text.lower()
    return bool(_PLAN_KIND.search(lowered) and _PLAN_TOPIC.search(lowered))


def may_be_plan_page(text: str) -> bool:
    """True when a page's title or h1 could head a plan: a plan against violence or abuse ("Handlingsplan mot vold"),
    the topic alone ("Vold og seksuelle overgrep mot barn"), or a Danish beredskab or guide whose heading names no
    topic ("Beredskab", "Handleguide", "Vejledning ved mistanke om overgreb"). The classifier reads it and decides."""
    lowered = text.lower()
    return looks_like_plan(lowered) or mentions_topic(lowered) or bool(_BEREDSKAB.search(lowered))


def page_may_be_plan(title: str, h1: str, url: str, headings: Sequence[str]) -> bool:
    """Whether a fetched HTML page is read by the classifier as a possible plan: its title or h1 may head a plan
    (`may_be_plan_page`); its address names one (a WordPress-style slug keeps a plan's full name when its title is
    vague: "Trygge barn"); or its own chapter headings (`crawlers.links.section_headings`) give the subject its title
    leaves out: one of them when the title names a kind of plan ("Veileder" over "4. Hva er seksuelle overgrep?" at a
    WordPress `/?page_id=N` address, which says nothing), two of them when the title names neither kind nor subject."""
    if may_be_plan_page(h1) or may_be_plan_page(title) or looks_like_plan(url_words(url)):
        return True
    on_topic = sum(1 for heading in headings if mentions_topic(heading))
    return on_topic >= 2 or (on_topic == 1 and bool(_PLAN_KIND.search(f"{title} {h1}".lower())))


def mentions_topic(text: str) -> bool:
    """True when the text names violence or abuse at all (vold/vald/overgrep/overgreb/seksuell...)."""
    return bool(_PLAN_TOPIC.search(text.lower()))


def is_candidate_document(anchor_text: str, url: str, context: str) -> bool:
    """Whether a PDF/DOCX link is worth downloading: its link, URL words or heading speak of a plan or the topic.

    Downloading is capped per site, so this stays generous: a plans page heading ("Planer og styringsdokumenter")
    makes its PDFs candidates even when the anchor only says "Last ned (PDF)".
    """
    own = f"{anchor_text} {url_words(url)}".lower()
    if looks_like_plan(own) or mentions_topic(own) or _PLAN_WORD.search(own):
        return True
    ctx = context.lower()
    return mentions_topic(ctx) or bool(_PLAN_WORD.search(ctx))
