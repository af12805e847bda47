"""A finding's reason and an accessibility check's line: stored in English, shown in the reader's language.

The database and the exports keep one English machine form per reason (`STORED`), so a journalist's CSV reads the
same whatever language the dashboard was in, and rows written before this catalogue stay valid. `stored(key,
**params)` writes that form (`tracker.findings` uses it); `localise(text, lang)` reads a stored line back into its key
and parameters (each machine form is a pattern with one group per `{placeholder}`) and renders the catalogue's
entry in `lang`, translating enum parameters (a category, how it was found, a document kind, a cause) and
formatting numbers with Babel. Quoted document text ({title}, {shown}) is kept as the document wrote it. A line that
matches no form (an older wording, a free-text note) is shown as it is: never hidden, never guessed.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from tracker.catalogue import CATALOGUE, label, placeholders
from tracker.catalogue import formats as fmt

__all__ = ["STORED", "localise", "localise_cause", "match", "stored"]

#: key -> the English machine form that is stored and exported (the catalogue's entry is what people read)
STORED: Final[Mapping[str, str]] = {
    # tracker/findings.py
    "reason.plan": "{category} plan {title} found via {via}",
    "reason.unreachable": "the site could not be crawled",
    "reason.unreachable_because": "the site could not be crawled: {error}",
    "reason.blocked": "the site turned the crawler away (robots.txt or HTTP 401/403/429)",
    "reason.only_unfinished": "only a {kinds} of a plan was found, no adopted plan",
    "reason.none": "{count} candidate document(s) read; none is a plan against violence",
    # tracker/store/runs.py redecide_finding, with the note tracker/reclassify.py gives
    "reason.redecided": "{reason} (re-decided with classifier {version})",
    # tracker/reading/accessibility.py
    "access_detail.not_pdf": "not a PDF ({format})",
    "access_detail.text_layer_unknown": "text layer not recorded",
    "access_detail.text_layer": "PDF has a text layer",
    "access_detail.scan": "no text layer: a scan, OCR needed",
    "access_detail.scan_ocr": "no text layer: a scan, OCR needed ({pages} pages read by OCR)",
    "access_detail.tagging_unknown": "tagging not recorded",
    "access_detail.tagged": "PDF is tagged",
    "access_detail.untagged": "PDF is untagged: no structure for screen readers",
    "access_detail.language_unknown": "language declaration not recorded for {format}",
    "access_detail.language": "declares language {language}",
    "access_detail.no_language": "declares no language",
    "access_detail.title_unknown": "title declaration not recorded for {format}",
    "access_detail.no_title": "declares no title",
    "access_detail.junk_title": "declared title is not meaningful: {title}",
    "access_detail.title": "declares title {title}",
    "access_detail.size": "{megabytes} MB",
    "access_detail.html": "HTML page",
    "access_detail.word": "Word document: needs Word or a compatible program",
    "access_detail.scanned_pdf": "scanned PDF: image only, not readable as text",
    "access_detail.pdf_text": "PDF with a text layer",
    "access_detail.pdf": "PDF",
    "access_detail.unknown_format": "unknown format {format}",
    "access_detail.no_link": "no link to the document was seen",
    "access_detail.link_ok": "link text names the document",
    "access_detail.vague_link": "vague link text: {shown}",
    "access_detail.by_links": "reached by following links",
    "access_detail.by_rendered": "reached by links that JavaScript draws",
    "access_detail.only_search": "no link path found: only via the site search",
    "access_detail.only_sitemap": "no link path found: only via the sitemap",
    "access_detail.unknown_route": "unknown route {route}",
    "access_detail.no_sitemap": "no sitemap read",
    "access_detail.in_sitemap": "listed in the sitemap",
    "access_detail.not_in_sitemap": "not in sitemap",
    "access_detail.not_searched": "not listed by the site search, or not searched",
    "access_detail.rank_first_page": "rank {rank} in the site search, on the first page",
    "access_detail.rank_beyond": "rank {rank} in the site search, beyond the first {first_page} results",
    # tracker/volunteers/review.py: why a task is in the review queue
    "task_detail.blocked": "robots.txt or 403/429 walls kept the crawler out",
    "task_detail.unreachable": "the site did not answer",
    "task_detail.missed": "{count} tip(s) the crawler never found",
    "task_detail.expired_vs_general": "the abuse-specific plan has expired while a general violence plan is current",
    "task_detail.several_periods": "several abuse-specific plans with different periods",
    "task_detail.only_draft": "only a draft or hearing version of a plan was found",
    "task_detail.low_confidence": "{category} with confidence {confidence}",
    "task_detail.expired": "the best plan's period is over",
    "task_detail.only_via": "found only via {via}",
    "task_detail.no_plan": "no plan found on the site",
    # tracker/volunteers/tips.py: a tip refused at the form, or one that failed when fetched and read
    "tip_error.empty": "the address is empty",
    "tip_error.too_long": "the address is longer than {limit} characters",
    "tip_error.spaces": "the address contains spaces or control characters",
    "tip_error.invalid": "not a valid address: {detail}",
    "tip_error.scheme": "only http and https addresses are accepted",
    "tip_error.no_host": "the address has no host name",
    "tip_error.userinfo": "the address must not contain a user name or password",
    "tip_error.private": "the address points into a private network ({detail})",
    "tip_error.rate": "at most {limit} tips per hour; please try again later",
    "tip_error.robots": "the site's robots.txt does not allow Planvakt to fetch this address",
    "tip_error.too_large": "the document is too large ({detail})",
    "tip_error.fetch": "could not fetch the address: {detail}",
    "tip_error.http": "the site answered HTTP {status}",
    "tip_error.type": "not a PDF, Word document or web page ({content_type})",
    "tip_error.unreadable": "could not read the document: {detail}",
    "tip_error.internal": "internal error: {detail}",
    # dashboards/*.py: the detail of an HTTP error page
    "http_error.no_kommune": "no such kommune",
    "http_error.no_tip": "no such tip",
    "http_error.no_download": "no such download",
    "http_error.csrf": "the form has expired or did not come from Planvakt; reload it",
    "http_error.review_disabled": "review is disabled (no admin token)",
    "http_error.sign_in": "sign in as a reviewer first",
    "http_error.method": "Method Not Allowed",
    # tracker/reading/classify.py: why a document was read as it was (its machine form is Bokmål; «…» quotes the
    # document)
    "cls.not_plan_form": "Dokumentet har ikke en plans form ({marks})",
    "cls.with_form": "{reason}; planens form: {form}",
    "cls.landing": "Dokumentet er {what} ({marks}); selve planen er dokumentet siden lenker til",
    "cls.report": "Dokumentet er ikke en plan, men en rapport eller et katalog ({marks})",
    "cls.not_the_plan": "Dokumentet er {what} ({marks}), ikke selve planen",
    "cls.off_topic": "Dokumentet er {what} ({marks}) og ikke en plan om overgrep eller vold",
    "cls.no_plan_words": "Dokumentet er ikke en plan: ingen planord i tittel, lenketekst eller første side",
    "cls.title_abuse": "Tittelen nevner {lead} og dokumentet er en plan ({plan_word})",
    "cls.title_violence_part": (
        "Tittelen nevner {lead} og dokumentet er en plan ({plan_word}); seksuelle overgrep mot barn er bare én del"
    ),
    "cls.title_other": "Tittelen nevner {lead}: en plan om et annet tema enn vold og overgrep",
    "cls.body_theme": (
        "Dokumentet er en plan ({plan_word}) og teksten handler mest om {lead} ({density} treff per 1000 ord)"
    ),
    "cls.no_theme": "Dokumentet er en plan ({plan_word}), men verken overgrep mot barn eller vold er hovedtema",
}

#: the classifier's Bokmål names of a kind of document (tracker/reading/genre/, tracker/reading/document_kind.py) ->
#: catalogue key
GENRES: Final[Mapping[str, str]] = {
    "en plan": "doc_genre.plan",
    "en nyhetssak": "doc_genre.news",
    "et saksdokument (møtebok, protokoll eller saksframlegg)": "doc_genre.minutes",
    "en høringsnotis": "doc_genre.hearing_notice",
    "en informasjonsside om hjelp og kontakt": "doc_genre.service_page",
    "en nettside som presenterer planen og lenker til den": "doc_genre.landing_page",
    "et budsjett": "doc_genre.budget",
    "ikke en plan": "doc_genre.other",
    "en årsmelding": "doc_genre.annual_report",
    "en rapport eller et katalog": "doc_genre.report",
}

#: causes of an unreachable site in tracker/run_summary.py's words -> their catalogue key
CAUSES: Final[Mapping[str, str]] = {
    "refused by the private-address guard": "cause.private_guard",
    "connection refused": "cause.connection_refused",
    "host name not found": "cause.host_not_found",
    "timed out": "cause.timed_out",
    "not an http(s) address": "cause.not_http",
    "too many redirects": "cause.redirects",
    "other network error": "cause.other",
    "no reason recorded": "cause.none",
}


def stored(key: str, **params: Any) -> str:
    """The English machine form of `key` with `params` (raises KeyError for a key with no machine form)."""
    return STORED[key].format(**params)


@dataclass(frozen=True)
class _Form:
    key: str
    pattern: re.Pattern[str]


def _compile(key: str, form: str) -> _Form:
    parts: list[str] = []
    for literal, name, _, _ in string.Formatter().parse(form):
        parts.append(re.escape(literal))
        if name:
            parts.append(f"(?P<{name}>.+?)")
    return _Form(key, re.compile("^" + "".join(parts) + "$", re.DOTALL))


# the most literal forms first: "PDF has a text layer" must win over "{megabytes} MB"-like catch-alls
_FORMS: Final[tuple[_Form, ...]] = tuple(
    _compile(key, form)
    for key, form in sorted(STORED.items(), key=lambda item: -len(re.sub(r"\{[^}]*\}", "", item[1])))
)


def match(text: str) -> tuple[str, dict[str, str]] | None:
    """The key and raw parameters of a stored line, or None when it matches no machine form."""
    for form in _FORMS:
        found = form.pattern.match(text)
        if found:
            return form.key, found.groupdict()
    return None


def _unquote(value: str) -> str:
    """A Python repr of a title ('…' or "…") back to its text; anything else unchanged."""
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    return value


def _cause(value: str, lang: str) -> str:
    from tracker.run_summary import unreachable_cause  # the crawler's words for a cause live there

    cause = unreachable_cause(value)
    if cause.startswith("HTTP "):
        return CATALOGUE.text(lang, "cause.http", status=cause.removeprefix("HTTP "))
    return CATALOGUE.text(lang, CAUSES[cause]) if cause in CAUSES else value


def localise_cause(error: str | None, lang: str) -> str:
    """Why a site could not be reached, from a check's error, in `lang` (empty for no error)."""
    return _cause(error, lang) if error else ""


def _number(value: str, lang: str, places: int) -> str:
    try:
        return fmt.decimal(float(value), lang, places)
    except ValueError:
        return value


#: how a parameter of a stored line is shown in the reader's language
_PARAMS: Final[Mapping[str, Callable[[str, str], str]]] = {
    "category": lambda value, lang: label(lang, "category", value),
    "via": lambda value, lang: label(lang, "via", value),
    "title": lambda value, lang: _unquote(value),
    "kinds": lambda value, lang: " / ".join(
        label(lang, "document_kind", kind.strip().replace(" ", "_")) for kind in value.split(" / ")
    ),
    "count": lambda value, lang: _number(value, lang, 0),
    "confidence": lambda value, lang: _number(value, lang, 2),
    "pages": lambda value, lang: _number(value, lang, 0),
    "megabytes": lambda value, lang: _number(value, lang, 1),
    "error": _cause,
    "format": lambda value, lang: _unquote(value).upper(),
    "route": lambda value, lang: label(lang, "via", _unquote(value)),
    "reason": lambda value, lang: localise(value, lang),
    "what": lambda value, lang: CATALOGUE.text(lang, GENRES[value]) if value in GENRES else value,
    "marks": lambda value, lang: (
        CATALOGUE.text(lang, "cls.no_plan_chapters") if value == "ingen plankapitler" else value
    ),
    "density": lambda value, lang: _number(value, lang, 0),
}


def _as_is(value: str, lang: str) -> str:
    return value


def localise(text: str | None, lang: str) -> str:
    """A stored reason or detail line in `lang`; the line itself when it matches no machine form."""
    if not text:
        return ""
    found = match(text)
    if found is None:
        return text
    key, raw = found
    params = {name: _PARAMS.get(name, _as_is)(value, lang) for name, value in raw.items()}
    return CATALOGUE.text(lang, key, **params)


def _check_forms() -> None:
    """Every machine form has a catalogue entry with the same placeholders (checked at import)."""
    for key, form in STORED.items():
        if not CATALOGUE.has(key) or placeholders(CATALOGUE.text("en", key)) != placeholders(form):
            raise ValueError(f"reason {key!r}: no catalogue entry with the placeholders of {form!r}")


_check_forms()
