"""Plain domain types shared by the pure core (classify, findings) and the edges. No I/O here."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Final, Literal


class Country(StrEnum):
    NO = "NO"
    DK = "DK"


class Category(StrEnum):
    """What a document is (see DESIGN.md)."""

    ABUSE_SPECIFIC = "abuse_specific"
    GENERAL_VIOLENCE = "general_violence"
    OTHER = "other"


#: the categories that make a document a plan (a kommune's plan is one of these; `other` never is)
PLAN_CATEGORIES: Final[tuple[Category, ...]] = (Category.ABUSE_SPECIFIC, Category.GENERAL_VIOLENCE)


class Status(StrEnum):
    """A kommune's status in one check."""

    ABUSE_SPECIFIC_PLAN = "abuse_specific_plan"
    GENERAL_VIOLENCE_PLAN_ONLY = "general_violence_plan_only"
    NO_PLAN_FOUND = "no_plan_found"
    SITE_UNREACHABLE = "site_unreachable"


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

Language = Literal["nb", "nn", "da"]
#: the languages kommuner write in (Norwegian bokmål and nynorsk, Danish)
LANGUAGES: Final[tuple[Language, ...]] = ("nb", "nn", "da")


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
        if self.year_start is None:
            return ""
        if self.year_end is None or self.year_end == self.year_start:
            return str(self.year_start)
        return f"{self.year_start}-{self.year_end}"
