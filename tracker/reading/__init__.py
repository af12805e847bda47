"""Pure: everything Planvakt reads from one document's text, in one call (`read_document`), and the modules it
reads with. No I/O in the package but `evaluate`'s, which loads a labelled corpus from disk.

The category and period (`classify`, from the phrase tables of `themes`), what a document is on the page
(`genre/`) and whether it is an adopted plan or a draft, hearing version or case document (`document_kind`), and
which checklist items it commits to (`criteria`, only for plans); under them the text's `layout` (headings,
sentences), `language` and `plan_years`. `accessibility` judges how findable and readable a found plan is;
`evaluate` measures the classifier against a labelled corpus. Used by ingest for the crawl, tips and
`planvakt reclassify`, so a new classifier version re-reads stored text without a re-crawl.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from tracker.domain import Category, Classification, DocumentText, Evidence
from tracker.reading.classify import CLASSIFIER_VERSION, classify
from tracker.reading.criteria import CriterionHit, assess_criteria
from tracker.reading.document_kind import document_kind

__all__ = ["CLASSIFIER_VERSION", "Reading", "read_document"]


@dataclass(frozen=True)
class Reading:
    classification: Classification
    kind: str
    kind_evidence: tuple[Evidence, ...]
    criteria: tuple[CriterionHit, ...]


def read_document(text: DocumentText, *, today: date) -> Reading:
    classification = classify(text, today=today)
    kind, kind_evidence = document_kind(text)
    criteria: tuple[CriterionHit, ...] = ()
    if classification.category is not Category.OTHER:
        criteria = assess_criteria(text, classification.language)
    return Reading(classification, str(kind), kind_evidence, criteria)
