"""`planvakt reclassify` and `planvakt evaluate`: the classifier over what is already stored, and over a labelled
corpus (whose binary documents are read by the crawler's sandboxed extractor, like crawled ones)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from planvakt.options import DbOption
from planvakt.wiring import engine_for, fail, settings_for
from tracker.domain import DocumentText
from tracker.errors import TrackerError
from tracker.store import database


def reclassify_command(db: DbOption = None) -> None:
    """Re-read every stored document with the current classifier and re-decide the latest findings (no re-crawl)."""
    from tracker.clock import utc_now
    from tracker.reclassify import reclassify

    try:
        factory = database.make_session_factory(engine_for(settings_for(db)))
    except TrackerError as exc:
        raise fail(exc) from exc
    report = reclassify(factory, today=utc_now().date(), now=utc_now)
    typer.echo(
        f"classifier {report.version}: read {report.documents_read} documents, re-decided "
        f"{report.findings_redecided} findings ({report.findings_changed} changed)"
    )


_CORPUS_FORMATS = {".pdf": "pdf", ".docx": "docx", ".html": "html", ".htm": "html"}


def _read_corpus_file(path: Path) -> DocumentText:
    """A binary corpus document, read by the crawler's sandboxed extractor (OCR for scans) like a crawled one."""
    from crawlers.errors import ExtractionError
    from crawlers.extract import extract_sync

    fmt = _CORPUS_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise ValueError(f"unsupported file type {path.suffix!r} (use .txt, .pdf, .docx or .html)")
    try:
        extracted = extract_sync(path.read_bytes(), fmt, url=path.as_uri())
    except ExtractionError as exc:
        raise ValueError(f"could not extract: {exc}") from exc
    return DocumentText(url=f"corpus:{path.name}", title=extracted.title, pages=extracted.pages, format=fmt)


def evaluate(
    corpus_dir: Annotated[
        Path,
        typer.Argument(
            help="Folder of .txt/.pdf documents with labels.csv (file,label,language).", exists=True, file_okay=False
        ),
    ],
) -> None:
    """Measure the classifier on a labelled corpus: precision, recall and F1 per category, and the confusion matrix."""
    from tracker.reading.evaluate import evaluate_corpus, format_report

    try:
        report = evaluate_corpus(corpus_dir, read_binary=_read_corpus_file)
    except ValueError as exc:
        raise fail(exc) from exc
    typer.echo(format_report(report))


def register(app: typer.Typer) -> None:
    """Add `planvakt reclassify` and `planvakt evaluate` to the command line."""
    app.command("reclassify")(reclassify_command)
    app.command("evaluate")(evaluate)
