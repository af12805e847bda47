"""The data dictionary: what every column of every download means, in the reader's language.

The columns themselves come from tracker/export.py (the CLI exports and the downloads share them), so a column
added there without an entry `column.<name>` in tracker/catalogue/dashboard.toml is caught by a test rather than
published undocumented. Checklist and accessibility columns take their wording from the labels of the checklist
and the checks. Each column's JSON type comes from `tracker.export.COLUMN_TYPES`, the one place that decides it.
"""

from __future__ import annotations

from dataclasses import dataclass

from dashboards.i18n import translate
from tracker.catalogue import CATALOGUE
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
    """The column's meaning in `lang`; None for an undocumented column."""
    if column in CRITERIA_COLUMNS:
        return f"{translate(lang, 'criterion.' + column)} ({translate(lang, 'column.flag')})"
    if column in ACCESSIBILITY_COLUMNS:
        check = column.removeprefix("access_")
        return f"{translate(lang, 'access.' + check)} ({translate(lang, 'column.flag')})"
    key = f"column.{column}"
    return translate(lang, key) if CATALOGUE.has(key) else None


def dictionary(dataset: str, lang: str) -> list[ColumnDoc]:
    return [ColumnDoc(column, describe(column, lang) or "", type_label(column, lang)) for column in DATASETS[dataset]]
