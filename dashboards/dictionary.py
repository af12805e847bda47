"""The data dictionary: what every column of every download means, in bokmål and English.

The columns themselves come from tracker/export.py (the CLI exports and the downloads share them), so a column
added there without a line here is caught by a test rather than published undocumented. Checklist and
accessibility columns take their wording from the translations of the checklist and the checks. Each column's
JSON type comes from `tracker.export.COLUMN_TYPES`, the one place that decides it.
"""

from __future__ import annotations

from dataclasses import dataclass

from dashboards.i18n import translate
from tracker.export import (
    ACCESSIBILITY_COLUMNS,
    COLUMN_TYPES,
    CRITERIA_COLUMNS,
    EVENTS_COLUMNS,
    FINDINGS_COLUMNS,
    PLANS_COLUMNS,
)

DATASETS: dict[str, tuple[str, ...]] = {
    "findings": FINDINGS_COLUMNS,
    "plans": PLANS_COLUMNS,
    "events": EVENTS_COLUMNS,
}

_STATUS_VALUES = "abuse_specific_plan · general_violence_plan_only · no_plan_found · site_unreachable"
_VIA = "link · rendered · site_search · sitemap · tip"

# column: (nb, en)
_TEXT: dict[str, tuple[str, str]] = {
    "kommunenummer": (
        "4 sifre: norsk kommunenummer eller dansk kommunekode",
        "4 digits: Norwegian kommunenummer or Danish kommunekode",
    ),
    "name": ("kommunens navn fra registeret", "the kommune's name from the registry"),
    "country": ("NO eller DK", "NO or DK"),
    "website": ("kommunens nettsted fra registeret", "the kommune's website from the registry"),
    "region_code": (
        "fylkesnummer (NO) eller regionskode (DK) fra registeret, tom når det ikke er kjent",
        "fylkesnummer (NO) or regionskode (DK) from the registry, empty when not known",
    ),
    "region": (
        "fylke (NO) eller region (DK) fra registeret, tom når det ikke er kjent",
        "fylke (NO) or region (DK) from the registry, empty when not known",
    ),
    "reason": (
        "maskinens begrunnelse for status på én linje (på engelsk), f.eks. hvilken plan og hvordan den ble funnet, "
        "eller hvor mange kandidatdokumenter som ble lest",
        "the machine's one-line reason for the status, e.g. which plan and how it was found, or how many candidate "
        "documents were read",
    ),
    "plan_confidence": (
        "klassifiseringens sikkerhet for planen, 0-1 (to desimaler); tom uten plan",
        "the classification's confidence in the plan, 0-1 (two decimals); empty without a plan",
    ),
    "criteria_met": (
        "kriterier i sjekklisten planen forplikter seg til; tom uten plan",
        "checklist criteria the plan commits to; empty without a plan",
    ),
    "criteria_total": (
        "kriterier som gjelder planens språk: 6 for en norsk plan, 10 for en dansk (beredskabskravene)",
        "criteria that apply to the plan's language: 6 for a Norwegian plan, 10 for a Danish one (beredskab)",
    ),
    "criteria_share": (
        "criteria_met / criteria_total, 0-1 (to desimaler): sammenlign norske og danske kommuner med denne",
        "criteria_met / criteria_total, 0-1 (two decimals): compare Norwegian and Danish kommuner by this",
    ),
    "status": (
        f"{_STATUS_VALUES}; et nettsted som ikke svarte meldes aldri som «ingen plan»",
        f"{_STATUS_VALUES}; an unreachable site is never reported as 'no plan'",
    ),
    "plan_url": (
        "den beste planen mot seksuelle overgrep, ellers den beste generelle voldsplanen, ellers tom",
        "the best abuse-specific plan, else the best general violence plan, else empty",
    ),
    "plan_title": ("dokumentets tittel", "the document's title"),
    "plan_category": ("abuse_specific · general_violence · tom", "abuse_specific · general_violence · empty"),
    "plan_format": ("pdf · html · docx · tom", "pdf · html · docx · empty"),
    "plan_years": ("planperioden, f.eks. 2021-2024", "the plan period, e.g. 2021-2024"),
    "plan_current": (
        "true · false · unknown · tom: om perioden omfatter sjekkdatoen (JSON: true · false · null for unknown "
        "eller ingen plan)",
        "true · false · unknown · empty: whether the period spans the check date (JSON: true · false · null for "
        "unknown or no plan)",
    ),
    "click_depth": (
        "klikk fra forsiden (et dokument lenket fra forsiden har dybde 1); tom når det bare nås via nettstedskart "
        "eller søk",
        "clicks from the front page (a document linked on the front page has depth 1); empty when reachable only "
        "through a sitemap or the site's search",
    ),
    "found_via": (f"hvordan en person når dokumentet: {_VIA}", f"how a person reaches the document: {_VIA}"),
    "text_source": ("text_layer · ocr · html", "text_layer · ocr · html"),
    "pages_fetched": ("sider crawleren hentet på nettstedet i sjekken", "pages the crawler fetched in that check"),
    "checked_at": ("tidspunkt for sjekken, ISO 8601 UTC", "time of the check, ISO 8601 UTC"),
    "url": ("adressen dokumentet ble funnet på", "the address the document was found at"),
    "sha256": ("SHA-256 av dokumentets bytes (navnet på den arkiverte kopien)", "SHA-256 of the document's bytes"),
    "category": ("abuse_specific · general_violence", "abuse_specific · general_violence"),
    "document_kind": (
        "adopted_plan · draft · hearing_draft · case_document · not_a_plan",
        "adopted_plan · draft · hearing_draft · case_document · not_a_plan",
    ),
    "language": ("nb · nn · da", "nb · nn · da"),
    "years": ("planperioden, f.eks. 2021-2024", "the plan period, e.g. 2021-2024"),
    "current": (
        "true · false · unknown (JSON: null): om perioden omfatter sjekkdatoen",
        "true · false · unknown (JSON: null): whether the period spans the check date",
    ),
    "pages": ("antall sider i dokumentet", "number of pages in the document"),
    "format": ("pdf · html · docx", "pdf · html · docx"),
    "size_bytes": ("dokumentets størrelse i bytes", "the document's size in bytes"),
    "ocr_confidence": ("OCR-sikkerhet 0-100 når teksten kom fra OCR", "OCR confidence 0-100 when text came from OCR"),
    "link_text": ("lenketeksten som pekte på dokumentet", "the link text that pointed to the document"),
    "search_rank": ("plass i nettstedets eget søk (1 = øverst)", "rank in the site's own search (1 = top)"),
    "shared_with": (
        "andre kommuner som publiserer samme dokument (samme SHA-256): en liste i JSON, mellomromsdelt i CSV",
        "other kommuner publishing the same document (same SHA-256): a list in JSON, space-separated in CSV",
    ),
    "event_id": ("hendelsens offentlige id (uuid)", "the event's public id (uuid)"),
    "kind": (
        "plan_appeared · plan_changed · plan_moved · plan_vanished · plan_reappeared · crawler_blocked · check_failed",
        "plan_appeared · plan_changed · plan_moved · plan_vanished · plan_reappeared · crawler_blocked · check_failed",
    ),
    "previous_url": ("forrige adresse (ved flytting)", "the previous address (for a move)"),
    "previous_sha256": ("forrige SHA-256 (ved endring)", "the previous SHA-256 (for a change)"),
    "detected_at": ("når endringen ble oppdaget, ISO 8601 UTC", "when the change was detected, ISO 8601 UTC"),
    "details": (
        "hendelsens bevis: et objekt i JSON, JSON-tekst i CSV",
        "the event's evidence: an object in JSON, JSON text in CSV",
    ),
    "override_status": ("en gjennomgangers status, når den overstyrer maskinens", "a reviewer's status overriding"),
    "override_category": ("en gjennomgangers kategori", "a reviewer's category overriding the machine's"),
    "override_reason": ("gjennomgangerens begrunnelse", "the reviewer's reason"),
    "overridden_by": ("hvem som overstyrte", "who overrode it"),
    "overridden_at": ("når det ble overstyrt, ISO 8601 UTC", "when it was overridden, ISO 8601 UTC"),
    "missed_by_crawler": (
        "true når en frivillig fant en plan crawleren aldri har funnet for kommunen (false i JSON, tom i CSV ellers)",
        "true when a volunteer's tip found a plan the crawler never found for this kommune (else false in JSON, "
        "empty in CSV)",
    ),
    "found_by_volunteer": (
        "true når en frivillig fant planen og crawleren ikke hadde den",
        "true when a volunteer found the plan and the crawler had missed it",
    ),
}

_FLAG_NB = "true · false · tom (null i JSON) når kriteriet ikke gjelder"
_FLAG_EN = "true · false · empty (null in JSON) when it does not apply"


@dataclass(frozen=True)
class ColumnDoc:
    column: str
    meaning: str
    type: str


def type_label(column: str, lang: str) -> str:
    """The column's JSON type in words, e.g. "integer or null"; a column without a type is a programming error."""
    kind, nullable = COLUMN_TYPES[column]
    label = translate(lang, f"type.{kind}")
    return f"{label} {translate(lang, 'type.null')}" if nullable else label


def describe(column: str, lang: str) -> str | None:
    """The column's meaning in `lang` (en, else bokmål); None for an undocumented column."""
    english = lang == "en"
    if column in CRITERIA_COLUMNS:
        return f"{translate(lang, 'criterion.' + column)} ({_FLAG_EN if english else _FLAG_NB})"
    if column in ACCESSIBILITY_COLUMNS:
        check = column.removeprefix("access_")
        return f"{translate(lang, 'access.' + check)} ({_FLAG_EN if english else _FLAG_NB})"
    text = _TEXT.get(column)
    if text is None:
        return None
    return text[1] if english else text[0]


def dictionary(dataset: str, lang: str) -> list[ColumnDoc]:
    return [ColumnDoc(column, describe(column, lang) or "", type_label(column, lang)) for column in DATASETS[dataset]]
