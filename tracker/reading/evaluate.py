"""Measure the classifier against a labelled corpus: precision, recall, F1, confusion, language accuracy.

A corpus is a directory of documents: UTF-8 ``.txt`` files (the first non-empty line is the title, pages are
separated by form feeds, ``\\f``) and binary documents (``.pdf``, ``.docx``, ``.html``) read by the ``read_binary``
function the caller passes in (the CLI passes the crawler's sandboxed extractor, OCR included, so a corpus PDF is read
exactly as a crawled one). ``labels.csv`` beside them has the columns
``file,label,language`` (label: abuse_specific | general_violence | other; language: nb | nn | da) and an
optional fourth column ``kind`` (adopted_plan | draft | hearing_draft | case_document | not_a_plan), left
empty where the kind is not asserted; kind accuracy is scored on the documents that assert one.
A malformed ``labels.csv`` raises :class:`ValueError` naming the line, so a bad corpus fails loudly
instead of quietly scoring fewer documents.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from tracker.domain import LANGUAGES, Category, Classification, DocumentText
from tracker.reading.classify import classify
from tracker.reading.document_kind import DocumentKind, document_kind

__all__ = [
    "CategoryScore",
    "EvaluationReport",
    "LabelledDocument",
    "Misclassified",
    "evaluate",
    "evaluate_corpus",
    "format_report",
    "load_corpus",
    "read_document",
]

LABELS_FILE = "labels.csv"
#: reads a non-.txt corpus document (PDF, DOCX, HTML) into what the classifier reads; raises ValueError
BinaryReader = Callable[[Path], DocumentText]
_COLUMNS = ("file", "label", "language")
_LANGUAGES = frozenset(LANGUAGES)


@dataclass(frozen=True)
class LabelledDocument:
    file: str
    label: Category
    language: str
    document: DocumentText
    kind: DocumentKind | None = None


@dataclass(frozen=True)
class CategoryScore:
    precision: float
    recall: float
    f1: float
    support: int


@dataclass(frozen=True)
class Misclassified:
    file: str
    expected: Category
    predicted: Category
    confidence: float
    reason: str


@dataclass(frozen=True)
class EvaluationReport:
    total: int
    per_category: dict[Category, CategoryScore]
    macro_f1: float
    accuracy: float
    confusion: dict[Category, dict[Category, int]]  # confusion[expected][predicted]
    misclassified: tuple[Misclassified, ...]
    language_accuracy: float
    language_errors: tuple[tuple[str, str, str | None], ...]  # (file, expected, detected)
    kind_total: int = 0  # documents whose labels assert a kind
    kind_accuracy: float = 0.0
    kind_errors: tuple[tuple[str, str, str], ...] = ()  # (file, expected, predicted)


def read_document(path: Path) -> DocumentText:
    """Read one corpus file: first non-empty line is the title, ``\\f`` separates pages."""
    text = path.read_text(encoding="utf-8")
    title = next((line.strip() for line in text.splitlines() if line.strip()), "")
    pages = tuple(text.split("\f"))
    return DocumentText(url=f"corpus:{path.name}", title=title, pages=pages, format="txt")


def load_corpus(corpus_dir: Path, read_binary: BinaryReader | None = None) -> list[LabelledDocument]:
    """Read ``labels.csv`` and every document it names; raise ``ValueError`` naming the bad line.

    ``.txt`` files are read here; any other file needs ``read_binary`` (else the line naming it is an error).
    """
    labels_path = corpus_dir / LABELS_FILE
    if not labels_path.is_file():
        raise ValueError(f"{labels_path}: no {LABELS_FILE} in corpus directory")
    docs: list[LabelledDocument] = []
    seen: set[str] = set()
    with labels_path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if header is None:
            raise ValueError(f"{labels_path}, line 1: empty file, expected header {','.join(_COLUMNS)}")
        header = [h.strip() for h in header]
        missing = [c for c in _COLUMNS if c not in header]
        if missing:
            raise ValueError(f"{labels_path}, line 1: missing column(s) {', '.join(missing)}")
        index = {c: header.index(c) for c in _COLUMNS}
        kind_index = header.index("kind") if "kind" in header else None
        for row in reader:
            line = reader.line_num
            if not row or all(not cell.strip() for cell in row):
                continue
            needed = max(index.values()) + 1
            if len(row) < needed:
                raise ValueError(f"{labels_path}, line {line}: expected {len(header)} fields, got {len(row)}")
            kind_text = row[kind_index].strip() if kind_index is not None and kind_index < len(row) else ""
            try:
                kind = DocumentKind(kind_text) if kind_text else None
            except ValueError:
                known = ", ".join(k.value for k in DocumentKind)
                raise ValueError(f"{labels_path}, line {line}: unknown kind {kind_text!r} (known: {known})") from None
            name, label, language = (row[index[c]].strip() for c in _COLUMNS)
            try:
                category = Category(label)
            except ValueError:
                known = ", ".join(c.value for c in Category)
                raise ValueError(f"{labels_path}, line {line}: unknown label {label!r} (known: {known})") from None
            if language not in _LANGUAGES:
                raise ValueError(f"{labels_path}, line {line}: unknown language {language!r} (nb, nn or da)")
            if name in seen:
                raise ValueError(f"{labels_path}, line {line}: file {name!r} is labelled twice")
            path = corpus_dir / name
            if not name or not path.is_file():
                raise ValueError(f"{labels_path}, line {line}: file {name!r} not found in {corpus_dir}")
            seen.add(name)
            if path.suffix.lower() == ".txt":
                document = read_document(path)
            elif read_binary is None:
                raise ValueError(f"{labels_path}, line {line}: no reader for {path.suffix or 'extension-less'} files")
            else:
                try:
                    document = read_binary(path)
                except ValueError as exc:
                    raise ValueError(f"{labels_path}, line {line}: {name}: {exc}") from exc
            docs.append(LabelledDocument(name, category, language, document, kind))
    return docs


def _ratio(num: float, den: float) -> float:
    return num / den if den else 0.0


def evaluate(docs: list[LabelledDocument], *, today: date | None = None) -> EvaluationReport:
    """Classify every document and score the predictions against the labels."""
    results: list[tuple[LabelledDocument, Classification]] = [(d, classify(d.document, today=today)) for d in docs]
    confusion = {e: dict.fromkeys(Category, 0) for e in Category}
    for doc, result in results:
        confusion[doc.label][result.category] += 1
    per_category = {}
    for cat in Category:
        tp = confusion[cat][cat]
        predicted = sum(confusion[e][cat] for e in Category)
        support = sum(confusion[cat].values())
        precision, recall = _ratio(tp, predicted), _ratio(tp, support)
        f1 = _ratio(2 * precision * recall, precision + recall)
        per_category[cat] = CategoryScore(precision, recall, f1, support)
    misclassified = tuple(
        Misclassified(d.file, d.label, r.category, r.confidence, r.reason) for d, r in results if d.label != r.category
    )
    language_errors = tuple((d.file, d.language, r.language) for d, r in results if d.language != r.language)
    kinds = [(d.file, d.kind, document_kind(d.document)[0]) for d in docs if d.kind is not None]
    kind_errors = tuple((f, str(expected), str(got)) for f, expected, got in kinds if expected != got)
    return EvaluationReport(
        total=len(results),
        per_category=per_category,
        macro_f1=sum(s.f1 for s in per_category.values()) / len(per_category),
        accuracy=_ratio(sum(confusion[c][c] for c in Category), len(results)),
        confusion=confusion,
        misclassified=misclassified,
        language_accuracy=_ratio(len(results) - len(language_errors), len(results)),
        language_errors=language_errors,
        kind_total=len(kinds),
        kind_accuracy=_ratio(len(kinds) - len(kind_errors), len(kinds)),
        kind_errors=kind_errors,
    )


def evaluate_corpus(
    corpus_dir: Path, *, today: date | None = None, read_binary: BinaryReader | None = None
) -> EvaluationReport:
    """Load ``corpus_dir`` and evaluate the classifier on it."""
    return evaluate(load_corpus(Path(corpus_dir), read_binary), today=today)


def format_report(report: EvaluationReport) -> str:
    """A plain-text table for a terminal or a CI log."""
    cats = list(Category)
    width = max(len(c.value) for c in cats)
    lines = [f"Documents: {report.total}", "", f"{'category':<{width}}  precision  recall     f1  support"]
    for cat in cats:
        s = report.per_category[cat]
        lines.append(f"{cat.value:<{width}}  {s.precision:9.3f}  {s.recall:6.3f}  {s.f1:5.3f}  {s.support:7d}")
    lines += [
        "",
        f"macro-F1: {report.macro_f1:.3f}   accuracy: {report.accuracy:.3f}   "
        f"language accuracy: {report.language_accuracy:.3f}",
        f"document kind accuracy: {report.kind_accuracy:.3f} on {report.kind_total} documents with a kind label",
        "",
        "confusion (rows = expected, columns = predicted):",
        f"{'':<{width}}  " + "  ".join(f"{c.value[:8]:>8}" for c in cats),
    ]
    for expected in cats:
        row = "  ".join(f"{report.confusion[expected][p]:8d}" for p in cats)
        lines.append(f"{expected.value:<{width}}  {row}")
    if report.misclassified:
        lines += ["", "misclassified:"]
        for m in report.misclassified:
            lines.append(
                f"  {m.file}: expected {m.expected.value}, got {m.predicted.value} ({m.confidence:.2f}) — {m.reason}"
            )
    if report.language_errors:
        lines += ["", "language errors:"]
        lines += [f"  {file}: expected {exp}, got {got}" for file, exp, got in report.language_errors]
    if report.kind_errors:
        lines += ["", "document kind errors:"]
        lines += [f"  {file}: expected {exp}, got {got}" for file, exp, got in report.kind_errors]
    return "\n".join(lines)
