"""Plain domain types shared by the pure core (classify, findings) and the edges, and Planvakt's vocabulary: every
word list (categories, statuses, event kinds, document kinds, genres, how a document was found, languages) is
declared here once; other modules use these (`tests/test_vocabulary.py` fails when a list is declared again). No I/O
here."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Final, Literal


class Country(StrEnum):
    NO = "NO"
    DK = "DK"


COUNTRIES: Final[tuple[str, ...]] = tuple(country.value for country in Country)


class Category(StrEnum):
    """What a document is (see DESIGN.md)."""

    ABUSE_SPECIFIC = "abuse_specific"
    GENERAL_VIOLENCE = "general_violence"
    OTHER = "other"


CATEGORIES: Final[tuple[str, ...]] = tuple(category.value for category in Category)
#: the categories that make a document a plan (a kommune's plan is one of these; `other` never is)
PLAN_CATEGORIES: Final[tuple[Category, ...]] = (Category.ABUSE_SPECIFIC, Category.GENERAL_VIOLENCE)


class Status(StrEnum):
    """A kommune's status in one check."""

    ABUSE_SPECIFIC_PLAN = "abuse_specific_plan"
    GENERAL_VIOLENCE_PLAN_ONLY = "general_violence_plan_only"
    NO_PLAN_FOUND = "no_plan_found"
    SITE_UNREACHABLE = "site_unreachable"


STATUSES: Final[tuple[str, ...]] = tuple(status.value for status in Status)
#: a kommune no check has reached yet (shown beside the statuses, never stored as one)
NOT_CHECKED: Final = "not_checked"
#: what the overview counts and the map colours: a status, with an abuse-specific plan split by whether it is still
#: in force (an expired plan is not counted as if it were current)
STANDINGS: Final[tuple[str, ...]] = (
    "plan_current",
    "plan_expired",
    "plan_undated",
    *(status for status in STATUSES if status != Status.ABUSE_SPECIFIC_PLAN),
    NOT_CHECKED,
)


class EventKind(StrEnum):
    """What a change event says (README "Change events")."""

    PLAN_APPEARED = "plan_appeared"
    PLAN_CHANGED = "plan_changed"
    PLAN_MOVED = "plan_moved"
    PLAN_VANISHED = "plan_vanished"
    PLAN_REAPPEARED = "plan_reappeared"
    CRAWLER_BLOCKED = "crawler_blocked"
    CHECK_FAILED = "check_failed"


EVENT_KINDS: Final[tuple[str, ...]] = tuple(kind.value for kind in EventKind)
#: what a subscription gets when it names no kinds: news about the plans themselves
PLAN_EVENT_KINDS: Final[tuple[str, ...]] = EVENT_KINDS[:5]
#: about Planvakt's own sight, for operator subscriptions that ask for them by name
OPERATOR_EVENT_KINDS: Final[tuple[str, ...]] = EVENT_KINDS[5:]

#: the event kinds that need someone's attention, and those that are good news (alert colours)
WARNING_EVENT_KINDS: Final = frozenset({EventKind.PLAN_VANISHED, EventKind.CRAWLER_BLOCKED, EventKind.CHECK_FAILED})
GOOD_NEWS_EVENT_KINDS: Final = frozenset({EventKind.PLAN_APPEARED, EventKind.PLAN_REAPPEARED})


class DocumentKind(StrEnum):
    """What stage a plan document is at, or that it is no plan (tracker/reading/document_kind.py reads it)."""

    ADOPTED_PLAN = "adopted_plan"
    DRAFT = "draft"
    HEARING_DRAFT = "hearing_draft"
    CASE_DOCUMENT = "case_document"
    NOT_A_PLAN = "not_a_plan"


class Genre(StrEnum):
    """What a document is on the page: a plan, or one of the pages that talk about a plan (tracker/reading/genre/ reads
    it)."""

    PLAN = "plan"
    NEWS = "news"
    MINUTES = "minutes"
    HEARING_NOTICE = "hearing_notice"
    SERVICE_PAGE = "service_page"
    LANDING_PAGE = "landing_page"
    BUDGET = "budget"
    OTHER = "other"


#: a plan not adopted yet: a draft or the version put out for hearing
DRAFT_KINDS: Final[tuple[str, ...]] = (DocumentKind.DRAFT.value, DocumentKind.HEARING_DRAFT.value)
#: kinds that do not give a kommune "a plan": a draft or a case document about a plan is not the plan
NOT_YET_A_PLAN: Final[frozenset[str]] = frozenset({*DRAFT_KINDS, DocumentKind.CASE_DOCUMENT.value})


class FoundVia(StrEnum):
    """How a document was reached (`crawlers.types.FoundVia`, plus a volunteer's tip)."""

    LINK = "link"
    RENDERED = "rendered"
    SITE_SEARCH = "site_search"
    SITEMAP = "sitemap"
    TIP = "tip"


#: ways of finding a document that are no path of links from the front page
NOT_BY_LINKS: Final[tuple[str, ...]] = (FoundVia.SITE_SEARCH.value, FoundVia.SITEMAP.value)
#: the crawler's ways of finding a document, the one easiest for a person first (a finding prefers a plan reached
#: by a link to one reached only by the site's search or sitemap)
FOUND_VIA_PRECEDENCE: Final[tuple[str, ...]] = (FoundVia.LINK.value, FoundVia.RENDERED.value, *NOT_BY_LINKS)

Language = Literal["nb", "nn", "da"]
#: the languages kommuner write in (Norwegian bokmål and nynorsk, Danish)
LANGUAGES: Final[tuple[Language, ...]] = ("nb", "nn", "da")

Locale = Literal["nb", "nn", "da", "en"]
#: the languages a person can read Planvakt in: the kommuner's three and English, in the language switch's order
LOCALES: Final[tuple[Locale, ...]] = (*LANGUAGES, "en")


@dataclass(frozen=True)
class Kommune:
    kommunenummer: str
    name: str
    country: Country
    website: str
    website_alt: str | None = None
    region_code: str | None = None
    region: str | None = None
    written_standard: str | None = None  # Norwegian målform: Bokmål | Nynorsk | Nøytral


@dataclass(frozen=True)
class DocumentText:
    """What the classifier reads: the text of a document page by page, and where it was linked from."""

    url: str
    title: str
    pages: tuple[str, ...]
    anchor_text: str = ""
    format: str = "pdf"


@dataclass(frozen=True)
class Evidence:
    """A phrase that moved the decision, where it stands and which way it pushed."""

    phrase: str
    page: int  # 1-based; 0 means the title / link text
    signal: str  # e.g. "title:abuse", "body:violence", "plan_word", "mention"


@dataclass(frozen=True)
class Classification:
    category: Category
    confidence: float
    evidence: tuple[Evidence, ...]
    reason: str  # one line a journalist can quote
    year_start: int | None
    year_end: int | None
    language: str | None  # nb | nn | da
    classifier_version: str

    @property
    def years(self) -> str:
        """`2021-2024`, `2021`, or empty."""
        return years_text(self.year_start, self.year_end)


def years_text(start: int | None, end: int | None) -> str:
    """A plan's years as evidence, exports and alerts show them: "2024", "2024-2027", or "" when unknown."""
    if start is None:
        return ""
    return str(start) if end is None or end == start else f"{start}-{end}"
