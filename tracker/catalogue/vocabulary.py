"""Every enum value a person can see, by label group: what `label(lang, group, value)` must cover.

The catalogue's labels live under `<group>.<value>` (e.g. `status.no_plan_found`). This module names, per group,
the values the code can produce, read from the modules that own them, so a value added there without a label is a
test failure (tests/tracker/test_catalogue.py) and the page tests know which raw words must never reach a page.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from tracker.alerts.subscriptions import CHANNELS, DIGESTS
from tracker.domain import (
    EVENT_KINDS,
    FOUND_VIA_PRECEDENCE,
    LOCALES,
    NOT_CHECKED,
    STANDINGS,
    STATUSES,
    Category,
    Country,
    DocumentKind,
)
from tracker.reading.accessibility import CHECKS
from tracker.reading.criteria import CRITERIA
from tracker.store.public_subscriptions import PUBLIC_STATES
from tracker.store.volunteer_tips import TIP_FOUND_VIA
from tracker.volunteers.review import TASK_KINDS

__all__ = ["RAW_WORDS", "VOCABULARY"]

VOCABULARY: Final[Mapping[str, tuple[str, ...]]] = {
    "status": (*STATUSES, NOT_CHECKED),
    "standing": STANDINGS,
    "category": tuple(category.value for category in Category),
    "current": ("true", "false", "unknown"),
    "country": tuple(country.value for country in Country),
    "event": EVENT_KINDS,
    "alert.headline": EVENT_KINDS,
    "alert.explanation": EVENT_KINDS,
    "via": (*FOUND_VIA_PRECEDENCE, TIP_FOUND_VIA),
    "source": ("text_layer", "ocr", "html"),
    "document_kind": tuple(kind.value for kind in DocumentKind),
    "criterion": tuple(criterion for criterion, _ in CRITERIA),
    "letter.criterion": tuple(criterion for criterion, _ in CRITERIA),
    "access": CHECKS,
    "task": tuple(TASK_KINDS),
    "task_check": tuple(TASK_KINDS),
    "run_state": ("running", "finished", "interrupted"),
    "run_source": ("crawl", "tip"),
    "act.tip_state": ("pending", "stored", "failed"),
    "review.target": ("finding", "classification"),
    "digest": DIGESTS,
    "channel": CHANNELS,
    "public_state": PUBLIC_STATES,
    "language": LOCALES,
    "lang.name": LOCALES,
}

#: snake_case values that must never appear on a page as they are (single words like "link" or "draft" are
#: ordinary English, so the page tests look for the compound identifiers a reader would stumble on)
RAW_WORDS: Final[frozenset[str]] = frozenset(
    value
    for group, values in VOCABULARY.items()
    if group not in ("lang.name", "language", "country")
    for value in values
    if "_" in value
)
